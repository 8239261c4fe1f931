"""Fold-sized estimates stay inside their ranges (issue: a fold's JS was -1.17)."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import Replay
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.metrics import (
    ColumnPredictionScorer,
    DetectionScorer,
    DivergenceScorer,
    SmallSampleWarning,
    crossfit_divergence,
    estimate_detection,
)


def _table(rng, n_rows, shift=0.0):
    return pd.DataFrame(
        {
            "x": rng.normal(shift, 1, n_rows),
            "k": rng.integers(0, 3, n_rows),
            "c": rng.choice(["a", "b", "c"], n_rows),
        }
    )


def _assert_bounded(real, synthetic, discriminator):
    div = crossfit_divergence(real, synthetic, discriminator=discriminator)
    det = estimate_detection(real, synthetic, random_state=0)
    values = [div.js, div.kl, div.js_se, div.kl_se, det.mean, det.se]
    assert not any(math.isnan(v) for v in values)
    assert 0 <= div.js <= 1 and div.kl >= 0 and 0 <= det.mean <= 1
    low, high = div.interval("js")
    assert 0 <= low <= high <= 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_real=st.integers(10, 40),
    ratio=st.sampled_from([1, 2, 4]),
    shift=st.sampled_from([0.0, 0.5, 3.0]),
    seed=st.integers(0, 2**16),
)
def test_crossfit_and_detection_stay_in_range(n_real, ratio, shift, seed):
    rng = np.random.default_rng(seed)
    real = _table(rng, n_real)
    _assert_bounded(real, _table(rng, ratio * n_real, shift), LogisticRegression())


def test_degenerate_samples_stay_in_range():
    rng = np.random.default_rng(0)
    real = _table(rng, 12)
    copies = pd.concat([real] * 4, ignore_index=True)  # the real rows themselves
    constant = pd.DataFrame({"x": [0.0] * 48, "k": [1] * 48, "c": ["a"] * 48})
    for synthetic in (copies, constant):
        _assert_bounded(real, synthetic, LogisticRegression())
        _assert_bounded(real, synthetic, None)  # the paper's MLP


@pytest.fixture(scope="module")
def fitted(adult300):
    return BiasedVAESynthesizer(
        bias="none", n_seeds=1, max_epochs=5, hidden_dim=16, random_state=0
    ).fit(adult300)


@pytest.mark.parametrize("n_rows", [10, 60])
def test_scorers_of_a_fitted_synthesizer_on_small_folds(fitted, adult300, n_rows):
    synth = fitted
    fold = adult300.iloc[-n_rows:]
    js = DivergenceScorer("js")(synth, fold)
    kl = DivergenceScorer("kl")(synth, fold)
    assert -1 <= js <= 0 and kl <= 0
    assert -1 <= DetectionScorer()(synth, fold) <= 0
    assert synth.score(fold) <= 1
    prediction = ColumnPredictionScorer(n_samples=300).estimate(synth, fold)
    assert prediction.mean <= 1 and not np.isnan([prediction.mean, prediction.se]).any()


def test_crossfit_is_more_precise_than_the_papers_estimator_on_a_fold():
    # 60 real rows against a sample that differs: the paper's estimator (M=48,
    # L=12) swings widely between seeds; the cross-fitted one much less
    rng = np.random.default_rng(0)
    real = _table(rng, 60)
    replay = Replay(_table(rng, 5000, shift=0.7))
    crossfit, paper = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        for seed in range(6):
            params = dict(discriminator=LogisticRegression(), random_state=seed)
            crossfit.append(DivergenceScorer(**params)(replay, real))
            paper.append(DivergenceScorer(method="paper", **params)(replay, real))
    assert np.std(crossfit) < 0.5 * np.std(paper)
    assert all(-1 <= score <= 0 for score in crossfit)


def test_bad_method_is_named():
    with pytest.raises(ValueError, match="method must be 'crossfit' or 'paper'"):
        DivergenceScorer(method="fast")


def test_crossfit_estimates_print_their_divergences():
    rng = np.random.default_rng(0)
    real = pd.DataFrame({"x": rng.normal(size=60)})
    synthetic = pd.DataFrame({"x": rng.normal(0.5, size=240)})
    text = str(crossfit_divergence(real, synthetic, random_state=0))
    assert text.startswith("JS = ") and "KL = " in text and "60 real" in text
