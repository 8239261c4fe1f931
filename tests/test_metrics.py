import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import DATA_HOME
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LinearRegression

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.metrics import (
    SmallSampleWarning,
    estimate_divergence,
    utility,
)
from sklearn_tabbias.metrics.utility import infer_task

HGB = HistGradientBoostingClassifier(max_iter=50, random_state=0)


@pytest.fixture(scope="module")
def adult2000(adult_full):
    return adult_full.sample(2000, random_state=3).reset_index(drop=True)


def test_same_distribution_gives_near_zero_js(adult2000):
    first, second = adult2000.iloc[:1000], adult2000.iloc[1000:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        est = estimate_divergence(
            first, second.reset_index(drop=True), n_repeats=3, random_state=0
        )
    assert abs(est.mean("js")) < 0.05
    assert est.js.shape == (3,) and est.kl.shape == (3,)


def test_column_shuffled_table_is_clearly_divergent(adult2000):
    first, second = adult2000.iloc[:1000], adult2000.iloc[1000:].reset_index(drop=True)
    shuffled = second.copy()
    for i, name in enumerate(second.columns):  # one permutation per column
        shuffled[name] = second[name].sample(frac=1, random_state=i).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        est = estimate_divergence(first, shuffled, n_repeats=2, random_state=0)
    assert est.mean("js") > 0.15
    assert est.mean("kl") > 0.15


def test_estimate_is_reproducible_and_reports_its_setting(adult2000):
    kwargs = dict(
        n_train=600,
        n_eval=200,
        n_repeats=2,
        discriminator=HGB,
        encoding="ordinal",
        random_state=4,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        a = estimate_divergence(adult2000.iloc[:1000], adult2000.iloc[1000:], **kwargs)
        b = estimate_divergence(adult2000.iloc[:1000], adult2000.iloc[1000:], **kwargs)
    np.testing.assert_array_equal(a.js, b.js)
    text = str(a)
    assert "M=600, L=200" in text and "encoding='ordinal'" in text
    assert "HistGradientBoostingClassifier" in text
    low, high = a.interval("js")
    assert low <= a.mean("js") <= high


def test_default_discriminator_and_utility_leave_global_random_state_alone(
    adult2000,
):
    before = (np.random.get_state()[1].copy(), torch.get_rng_state())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        estimate_divergence(
            adult2000.iloc[:300],
            adult2000.iloc[300:600],
            n_train=100,
            n_eval=50,
            random_state=0,
        )
    utility(adult2000.iloc[:300], adult2000.iloc[300:600], "income")
    np.testing.assert_array_equal(before[0], np.random.get_state()[1])
    assert torch.equal(before[1], torch.get_rng_state())


def test_small_sizes_warn_and_too_small_tables_raise(adult2000):
    with pytest.warns(SmallSampleWarning, match="n_train=80 and n_eval=20"):
        estimate_divergence(
            adult2000.iloc[:100],
            adult2000.iloc[100:200],
            discriminator=HGB,
            n_repeats=1,
        )
    with pytest.raises(ValueError, match="too few to split"):
        estimate_divergence(
            adult2000.iloc[:100], adult2000.iloc[100:200], n_train=90, n_eval=20
        )
    with pytest.raises(ValueError, match="encoding must be one of"):
        estimate_divergence(adult2000, adult2000, encoding="hash")
    with pytest.raises(TypeError, match="predict_proba"):
        estimate_divergence(adult2000, adult2000, discriminator=LinearRegression())


def test_any_classifier_with_predict_proba(adult2000):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        est = estimate_divergence(
            adult2000.iloc[:1000],
            adult2000.iloc[1000:],
            n_repeats=1,
            discriminator=RandomForestClassifier(n_estimators=20, random_state=0),
        )
    assert -0.2 < est.mean("js") < 0.2


def test_utility_classification_and_regression(adult2000):
    train, test = adult2000.iloc[:1000], adult2000.iloc[1000:]
    result = utility(train, test, "income", real_train=train)
    assert (result.task, result.metric) == ("classification", "accuracy")
    assert result.synthetic == result.real and 0.75 < result.real < 0.95
    noise = train.copy()
    noise["income"] = noise["income"].sample(frac=1, random_state=0).to_numpy()
    assert utility(noise, test, "income").synthetic < result.real - 0.02
    reg = utility(train, test, "hours-per-week", model="paper")
    assert (reg.task, reg.metric) == ("regression", "mse") and reg.synthetic > 0
    assert "LinearRegression" in reg.model
    with pytest.raises(ValueError, match="target='nope'"):
        utility(train, test, "nope")


def test_infer_task():
    assert infer_task(pd.Series(["a", "b"])) == "classification"
    assert infer_task(pd.Series([0, 1, 2, 1])) == "classification"
    assert infer_task(pd.Series(np.linspace(0, 1, 100))) == "regression"


@pytest.mark.slow
def test_matches_the_paper_authors_estimate_on_their_adult_output():
    folder = DATA_HOME / "adult"
    if not (folder / "preprocessed_data_m.csv").exists():
        pytest.skip("reference data not found")
    real = pd.concat(
        [
            pd.read_csv(folder / "preprocessed_data_m.csv"),
            pd.read_csv(folder / "preprocessed_data_l.csv"),
        ],
        ignore_index=True,
    )
    generated = pd.read_csv(
        folder / "reference_outputs_low_data" / "vae_best_seed2_gen_data.csv"
    )
    est = estimate_divergence(
        real,
        generated,
        n_train=7500,
        n_eval=1000,
        n_repeats=3,
        encoding="ordinal",
        random_state=0,
    )
    assert abs(est.mean("js") - 0.331) < 0.03  # the authors' stored value
    assert 0.5 < est.mean("kl") < 1.0  # theirs: 0.697


def test_noise_synthesizer_scores_worse_than_a_fitted_one(adult300, adult_full):
    from sklearn_tabbias.metrics import DivergenceScorer

    class NoiseSynthesizer:
        """Independent columns: every marginal right, every dependence lost."""

        def __init__(self, table):
            self.table = table

        def sample(self, n_samples, random_state=None):
            return self.table.apply(
                lambda c: c.sample(
                    n_samples, replace=True, random_state=random_state
                ).to_numpy()
            )

    held_out = adult_full.sample(600, random_state=11).reset_index(drop=True)
    fitted = BiasedVAESynthesizer(bias="none", random_state=0).fit(adult300)
    scorer = DivergenceScorer(discriminator=HGB, n_samples=600)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        assert scorer(fitted, held_out) > scorer(NoiseSynthesizer(adult300), held_out)
