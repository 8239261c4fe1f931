"""SyntheticOversampler: imbalanced-learn's sampler API over a synthesizer."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.oversampling import SyntheticOversampler

FAST = dict(n_seeds=1, max_epochs=20, min_steps=0, hidden_dim=16, latent_dim=2)
#: Enough training (the default 1,000 steps) for the label to depend on the rows.
TRAINED = dict(n_seeds=1, hidden_dim=32, latent_dim=4)


@pytest.fixture(scope="module")
def imbalanced():
    X, y = load_iris(return_X_y=True, as_frame=True)
    keep = (y != 2) | (np.arange(len(y)) % 5 == 0)  # 10 rows of class 2
    return X[keep].reset_index(drop=True), y[keep].reset_index(drop=True)


def test_classes_are_filled_up_to_the_majority(imbalanced):
    X, y = imbalanced
    sampler = SyntheticOversampler(BiasedVAESynthesizer(**TRAINED), random_state=0)
    X_new, y_new = sampler.fit_resample(X, y)
    assert isinstance(X_new, pd.DataFrame) and list(X_new.columns) == list(X.columns)
    assert y_new.value_counts().to_dict() == {0: 50, 1: 50, 2: 50}
    pd.testing.assert_frame_equal(X_new.iloc[: len(X)], X)  # real rows first
    assert {k: v for k, v in sampler.sampling_strategy_.items() if v} == {2: 40}
    # the model learnt the classes: new class-2 rows have class 2's long petals
    new = X_new.iloc[len(X) :]["petal length (cm)"]
    real = X["petal length (cm)"]
    assert abs(new.mean() - real[y == 2].mean()) < abs(new.mean() - real[y != 2].mean())
    assert (new > real[y == 0].max()).mean() > 0.8


def test_per_row_augments_every_class(imbalanced):
    X, y = imbalanced
    sampler = SyntheticOversampler(
        BiasedVAESynthesizer(**FAST), per_row=0.5, random_state=0
    )
    _, y_new = sampler.fit_resample(X.to_numpy(), y.to_numpy())
    assert np.bincount(y_new).tolist() == [75, 75, 15]
    with pytest.raises(ValueError, match="either per_row or sampling_strategy"):
        SyntheticOversampler(per_row=1.0, sampling_strategy="minority").fit_resample(
            X, y
        )


def test_runs_inside_an_imblearn_pipeline_with_cross_validate(imbalanced):
    X, y = imbalanced
    pipe = Pipeline(
        [
            ("augment", SyntheticOversampler(BiasedVAESynthesizer(**FAST))),
            ("model", LogisticRegression(max_iter=500)),
        ]
    )
    scores = cross_validate(pipe, X, y, cv=3, scoring="balanced_accuracy")
    assert np.isfinite(scores["test_score"]).all()


class FreeOnly(BaseEstimator):
    """A synthesizer without conditional sampling (only fit and sample)."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y):
        self.model_ = BiasedVAESynthesizer(random_state=self.random_state, **FAST)
        self.model_.fit(X, y)
        return self

    def sample(self, n_samples, random_state=None, return_y=False):
        return self.model_.sample(n_samples, random_state, return_y=return_y)


def test_a_rare_class_is_drawn_from_the_model_s_conditional(imbalanced):
    X, y = imbalanced
    sampler = SyntheticOversampler(
        BiasedVAESynthesizer(**FAST),
        sampling_strategy={2: 10_000},
        max_draws=1,  # not used: conditional sampling needs no free draws
        random_state=0,
    )
    X_new, y_new = sampler.fit_resample(X, y)
    assert np.bincount(y_new).tolist() == [50, 50, 10_000]
    assert len(X_new) == len(y_new) and X_new.notna().all().all()


def test_a_class_a_free_synthesizer_never_draws_is_a_clear_error(imbalanced):
    X, y = imbalanced
    sampler = SyntheticOversampler(
        FreeOnly(), sampling_strategy={2: 10_000}, max_draws=1, random_state=0
    )
    with pytest.raises(ValueError, match=r"rows of class 2 in \d+ draws"):
        sampler.fit_resample(X, y)


def _sampler_checks():
    from imblearn.utils.estimator_checks import _yield_sampler_checks

    sampler = SyntheticOversampler(BiasedVAESynthesizer(**FAST), random_state=0)
    return [(sampler, check) for check in _yield_sampler_checks(sampler)]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(
    "sampler, check", _sampler_checks(), ids=lambda x: getattr(x, "__name__", "")
)
def test_imbalanced_learn_sampler_checks(sampler, check):
    check(type(sampler).__name__, sampler)
