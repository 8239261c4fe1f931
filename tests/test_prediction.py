import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.metrics import (
    ColumnPrediction,
    ColumnPredictionScorer,
    column_prediction,
)
from sklearn_tabbias.metrics.prediction import quantile_scale


def _linked(n, seed):
    """A table whose columns determine each other (up to noise)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(0, 0.1, n),
            "sign": np.where(x > 0, "pos", "neg"),
            "flag": x > 1,
        }
    )


def _independent(frame, seed):
    """The same marginals, every column permuted on its own."""
    rng = np.random.default_rng(seed)
    return frame.apply(lambda column: rng.permutation(column.to_numpy()))


def test_dependence_is_rewarded_and_independence_is_not():
    real, synthetic = _linked(300, 0), _linked(2000, 1)
    good = column_prediction(synthetic, real, random_state=0)
    bad = column_prediction(_independent(synthetic, 2), real, random_state=0)
    assert isinstance(good, ColumnPrediction)
    assert good.columns == ["x", "y", "sign", "flag"]
    assert good.tasks == ["regression"] * 2 + ["classification"] * 2
    assert good.mean > 0.85 and bad.mean < 0.5
    assert good.mean - 2 * good.se > bad.mean + 2 * bad.se
    # R^2 of an independent numeric column is about 0; a class about its share
    assert abs(bad.scores[0]) < 0.1
    np.testing.assert_allclose(good.row_scores.mean(), good.mean)


def test_missing_values_constant_columns_and_one_class_samples():
    real, synthetic = _linked(200, 0), _linked(500, 1)
    real.loc[::7, "x"] = np.nan  # rows without a value are not scored on x
    synthetic.loc[::3, "y"] = np.nan  # nor used to train y
    real["const"] = 1.0
    synthetic["const"] = 1.0
    synthetic["flag"] = False  # one class only
    result = column_prediction(synthetic, real, random_state=0)
    assert "const" not in result.columns and len(result.scores) == 4
    empty = column_prediction(synthetic.assign(x=np.nan), real, random_state=0)
    assert empty.scores[0] == pytest.approx(0, abs=0.05)  # the median of x
    assert not np.isnan(result.scores).any() and not np.isnan(result.se)
    assert result.scores[3] == pytest.approx(1 - real["flag"].mean())
    np.testing.assert_allclose(result.row_scores.mean(), result.mean)
    low, high = result.interval()
    assert low < result.mean < high and "column prediction" in str(result)


def test_other_models_arrays_and_reproducibility():
    real, synthetic = _linked(200, 0), _linked(500, 1)
    numbers = real[["x", "y"]].to_numpy(), synthetic[["x", "y"]].to_numpy()
    result = column_prediction(numbers[1], numbers[0], regressor=LinearRegression())
    assert result.mean > 0.9 and result.columns == [0, 1]
    first = column_prediction(synthetic, real, random_state=3)
    second = column_prediction(synthetic, real, random_state=3)
    np.testing.assert_array_equal(first.scores, second.scores)
    other = column_prediction(synthetic, real, classifier=LogisticRegression())
    assert other.mean > 0.8


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(classifier=LinearRegression()), "classifier"),
        (dict(regressor=LogisticRegression()), "regressor"),
    ],
)
def test_bad_models_are_named(kwargs, message):
    with pytest.raises(TypeError, match=message):
        column_prediction(_linked(50, 0), _linked(50, 1), **kwargs)


def test_a_constant_table_has_nothing_to_predict():
    constant = pd.DataFrame({"a": [1.0] * 10, "b": ["x"] * 10})
    with pytest.raises(ValueError, match="constant"):
        column_prediction(constant, constant)


def test_scorer_ranks_a_trained_synthesizer_above_an_untrained_one():
    """A collapse to the marginals (issue [fidelity]) must lose the selection."""
    real = _linked(300, 0)
    trained = BiasedVAESynthesizer(n_seeds=1, random_state=0).fit(real)
    untrained = BiasedVAESynthesizer(
        n_seeds=1, max_epochs=1, min_steps=0, random_state=0
    ).fit(real)
    scorer = ColumnPredictionScorer(n_samples=1000)
    held_out = _linked(200, 5)
    assert scorer(trained, held_out) > scorer(untrained, held_out) + 0.2
    assert scorer(trained, held_out) == scorer.estimate(trained, held_out).mean


def test_quantile_scale_ties_interpolation_and_nan():
    scale = quantile_scale(np.array([0.0, 0.0, 0.0, 10.0, 1e6, np.nan]))
    np.testing.assert_allclose(scale(np.array([0.0, 10.0, 1e6])), [0.3, 0.7, 0.9])
    np.testing.assert_allclose(scale(np.array([-5.0, 5.0, 1e9])), [0.3, 0.5, 0.9])
    assert np.isnan(scale(np.array([np.nan]))).all()


def test_a_heavy_tail_cannot_dominate_the_mean():
    """Synthetic outliers (Adult's capital-gain of 99,999) are one quantile.

    On the raw scale this column's R^2 would be about -20,000 (predictions of
    99,999 against real values of at most 2,000) and swamp the other columns.
    """
    real, synthetic = _linked(60, 0), _linked(2000, 1)
    real["gain"] = np.where(np.arange(60) < 5, 2000.0, 0.0)
    synthetic["gain"] = np.where(synthetic["x"] > 1.5, 99999.0, 0.0)
    result = column_prediction(synthetic, real, random_state=0)
    assert -1 < result.scores[-1] < 0.5
    assert result.mean > 0.6
