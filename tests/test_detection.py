import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from sklearn_tabbias.metrics import DetectionEstimate, estimate_detection


def _mixed(n, seed, shift=0.0, p_nan=0.1):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "x": rng.normal(shift, 1, n),
            "colour": rng.choice(["red", "green", "blue"], n),
            "count": rng.poisson(3, n),
        }
    )
    frame.loc[rng.random(n) < p_nan, "x"] = np.nan
    return frame


def test_same_distribution_is_near_half_and_a_shift_is_detected():
    real = _mixed(600, 0)
    same = estimate_detection(real, _mixed(600, 1), random_state=0)
    shifted = estimate_detection(real, _mixed(600, 2, shift=2.0), random_state=0)
    assert abs(same.mean - 0.5) < 0.07
    assert shifted.mean > 0.8
    assert isinstance(same, DetectionEstimate) and same.auc.shape == (5,)


def test_detects_a_broken_dependence_between_columns():
    """Marginals kept, joint broken: the test must still see it."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    real = pd.DataFrame({"x": x, "y": np.where(x > 0, "pos", "neg")})
    broken = real.copy()
    broken["y"] = rng.permutation(broken["y"].to_numpy())
    # Half the permuted rows still follow the rule: the best AUC is 0.75.
    assert estimate_detection(real.iloc[:1000], broken.iloc[1000:]).mean > 0.7


def test_missing_values_and_unseen_categories_count():
    real = _mixed(600, 0, p_nan=0.0)
    synthetic = _mixed(600, 1, p_nan=0.5)
    assert estimate_detection(real, synthetic, random_state=0).mean > 0.7
    unseen = _mixed(600, 1, p_nan=0.0).assign(colour="purple")
    assert estimate_detection(real, unseen, random_state=0).mean > 0.95


def test_reproducible_balanced_and_reports_its_setting():
    real, synthetic = _mixed(300, 0), _mixed(1000, 1)
    first = estimate_detection(real, synthetic, n_splits=3, random_state=4)
    second = estimate_detection(real, synthetic, n_splits=3, random_state=4)
    np.testing.assert_array_equal(first.auc, second.auc)
    assert first.n_real == first.n_synthetic == 300
    low, high = first.interval()
    assert low <= first.mean <= high
    assert "detection AUC" in str(first) and "300 real" in str(first)


def test_another_classifier_and_arrays():
    rng = np.random.default_rng(0)
    real, synthetic = rng.normal(size=(400, 3)), rng.normal(0.8, 1, (400, 3))
    estimate = estimate_detection(
        real, synthetic, classifier=LogisticRegression(), random_state=0
    )
    assert estimate.mean > 0.75 and "LogisticRegression" in estimate.classifier


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(n_splits=1), "n_splits"),
        (dict(classifier=object()), "predict_proba"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        estimate_detection(_mixed(50, 0), _mixed(50, 1), **kwargs)


def test_too_few_rows_for_the_folds():
    with pytest.raises(ValueError, match="too few"):
        estimate_detection(_mixed(3, 0), _mixed(3, 1))
