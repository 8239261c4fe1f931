"""Scorers, score() and the sampling Pipeline inside scikit-learn's tools."""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import TINY, Replay
from joblib import parallel_config
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate
from sklearn.preprocessing import Normalizer, PowerTransformer, QuantileTransformer
from sklearn.tree import DecisionTreeRegressor

from sklearn_tabbias import (
    BiasedVAESynthesizer,
    ColumnPredictionScorer,
    DetectionScorer,
    DivergenceScorer,
    UtilityScorer,
)
from sklearn_tabbias.metrics import SmallSampleWarning
from sklearn_tabbias.model_selection import (
    OneStandardErrorRule,
    within_one_standard_error,
)
from sklearn_tabbias.pipeline import Pipeline, make_pipeline

BIASES = ["none", "pretrain", "avg", "maml", "drs"]
#: Trained enough for utility to beat chance, small enough for 15 fits.
GRID = dict(
    n_seeds=2,
    max_epochs=150,
    patience=20,
    hidden_dim=64,
    pretrain_samples=600,
    maml_meta_iterations=20,
    maml_inner_steps=2,
)


@pytest.fixture(autouse=True)
def _quiet_small_samples():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        yield


def test_grid_search_over_all_bias_methods(adult300):
    search = GridSearchCV(
        BiasedVAESynthesizer(random_state=0, **GRID),
        {"bias": BIASES},
        scoring={"js": DivergenceScorer("js"), "acc": UtilityScorer(target="income")},
        refit="js",
        cv=3,
    ).fit(adult300)
    results = search.cv_results_
    assert search.best_params_["bias"] in BIASES
    assert [p["bias"] for p in results["params"]] == BIASES
    js, acc = results["mean_test_js"], results["mean_test_acc"]
    # folds of 100 rows leave L=20 evaluation rows: estimates scatter by ~0.2 and
    # an overconfident discriminator gives JS estimates below 0 (seen: -0.45)
    assert np.all(np.isfinite(js)) and np.all((js > -1.01) & (js < 0.6))
    assert np.all((acc > 0.4) & (acc <= 1)) and acc.max() > 0.65
    assert search.best_index_ == int(np.argmax(js))
    assert hasattr(search.best_estimator_, "module_")
    assert search.best_estimator_.sample(10).shape == (10, adult300.shape[1])


def test_scores_are_reproducible(adult300):
    synth = BiasedVAESynthesizer(bias="none", random_state=0, **TINY).fit(adult300)
    held_out = adult300.iloc[:150]
    for scorer in (DivergenceScorer("kl"), UtilityScorer(target="income")):
        assert scorer(synth, held_out) == scorer(synth, held_out)
    assert synth.score(held_out) == synth.score(held_out)
    assert synth.score(held_out) == ColumnPredictionScorer()(synth, held_out)


def test_cross_validate_and_parallel_grid_search(adult300, four_cores):
    estimator = BiasedVAESynthesizer(random_state=0, **TINY)
    scores = cross_val_score(estimator, adult300, cv=3)  # uses score()
    assert scores.shape == (3,) and np.all(scores <= 1)
    scorer = DivergenceScorer(discriminator=HistGradientBoostingClassifier())
    cv = cross_validate(estimator, adult300, cv=2, scoring={"js": scorer})
    assert cv["test_js"].shape == (2,)
    serial = GridSearchCV(estimator, {"bias": ["none", "avg"]}, cv=2).fit(adult300)
    parallel = GridSearchCV(estimator, {"bias": ["none", "avg"]}, cv=2, n_jobs=2)
    # sklearn's workers get cpu_count() // n_jobs threads; the README's recipe gives
    # them the caller's count, for the serial scores on any machine
    with parallel_config(backend="loky", inner_max_num_threads=torch.get_num_threads()):
        parallel.fit(adult300)
    np.testing.assert_allclose(
        serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"]
    )


def test_detection_scorer_is_bounded_and_ranks_a_shifted_sample_lower(adult300):
    held_out = adult300.iloc[:150]
    shifted = adult300.iloc[150:].assign(age=adult300["age"] + 30)
    scorer = DetectionScorer(random_state=0)
    good, bad = (
        scorer(Replay(adult300.iloc[150:]), held_out),
        scorer(Replay(shifted), held_out),
    )
    assert -0.7 < good <= -0.3 and -1 <= bad < -0.9
    assert scorer(Replay(shifted), held_out) == bad  # seeded
    synth = BiasedVAESynthesizer(bias="none", random_state=0, **TINY).fit(adult300)
    cv = cross_validate(synth, adult300, cv=2, scoring={"detection": scorer})
    assert np.all((cv["test_detection"] >= -1) & (cv["test_detection"] <= 0))


def test_utility_scorer_regression_is_negated_mse(adult300):
    synth = BiasedVAESynthesizer(bias="none", random_state=0, **TINY).fit(adult300)
    assert UtilityScorer(target="age")(synth, adult300) < 0


def test_pipeline_samples_in_the_original_space():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.lognormal(8, 1, 300), rng.normal(1000, 50, 300)])
    pipe = make_pipeline(
        QuantileTransformer(n_quantiles=100),
        BiasedVAESynthesizer(bias="none", random_state=0, **TINY),
    ).fit(X)
    assert isinstance(pipe, Pipeline)
    inner = pipe[-1].sample(200, random_state=0)
    assert inner.min() >= 0 and inner.max() <= 1  # the synthesizer saw [0, 1]
    sample = pipe.sample(200, random_state=0)
    np.testing.assert_allclose(sample, pipe[0].inverse_transform(inner))
    assert sample[:, 1].min() > 700 and sample[:, 1].max() < 1300
    assert abs(np.median(sample[:, 0]) - np.median(X[:, 0])) < 0.5 * np.median(X[:, 0])


def test_pipeline_fitted_on_a_frame_samples_a_frame():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.lognormal(8, 1, 200), "b": rng.normal(0, 1, 200)})
    pipe = make_pipeline(
        QuantileTransformer(n_quantiles=100),
        BiasedVAESynthesizer(bias="none", random_state=0, **TINY),
    ).fit(X)
    sample = pipe.sample(20, random_state=0)
    assert isinstance(sample, pd.DataFrame) and list(sample.columns) == ["a", "b"]


def test_pipeline_samples_whole_numbers_where_the_input_had_them():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {"hours": rng.integers(10, 60, 200), "rate": rng.normal(20, 5, 200)}
    )
    pipe = make_pipeline(
        PowerTransformer(),
        BiasedVAESynthesizer(bias="none", random_state=0, **TINY),
    ).fit(X)
    sample = pipe.sample(50, random_state=0)
    assert sample.dtypes.equals(X.dtypes)
    assert (sample["rate"] % 1 != 0).any()  # a real-valued column stays real
    array = pipe.fit(X.to_numpy(dtype=float)).sample(50, random_state=0)
    assert (array[:, 0] % 1 == 0).all() and (array[:, 1] % 1 != 0).any()


def test_pipeline_fitted_with_y_samples_the_target_back():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.lognormal(8, 1, 200), "b": rng.normal(0, 1, 200)})
    y = pd.Series(np.where(X["b"] > 0, "up", "down"), name="side")
    pipe = make_pipeline(
        QuantileTransformer(n_quantiles=100),
        BiasedVAESynthesizer(bias="none", random_state=0, **TINY),
    ).fit(X, y)
    sample, target = pipe.sample(20, random_state=0, return_y=True)
    assert list(sample.columns) == ["a", "b"] and sample["a"].min() > 0
    assert len(target) == 20 and set(target) <= {"up", "down"}


def test_pipeline_sample_needs_invertible_steps_and_a_sampler():
    X = np.random.default_rng(0).normal(size=(60, 3))
    pipe = make_pipeline(Normalizer(), BiasedVAESynthesizer(bias="none", **TINY)).fit(X)
    with pytest.raises(TypeError, match="'normalizer'.*no inverse_transform"):
        pipe.sample(5)
    assert not hasattr(make_pipeline(Normalizer()), "sample")


def test_divergence_scorer_repeats_in_parallel_give_the_same_score(
    adult300, four_cores
):
    synth = BiasedVAESynthesizer(bias="none", random_state=0, **TINY).fit(adult300)
    for params in ({"method": "paper", "n_repeats": 2}, {"n_splits": 3}):
        serial = DivergenceScorer(**params)(synth, adult300)
        assert DivergenceScorer(**params, n_jobs=2)(synth, adult300) == serial


def test_one_standard_error_rule_refits_the_cheapest_near_best_candidate():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y = X[:, 0] + rng.normal(0, 0.5, 200)
    rule = OneStandardErrorRule(scoring="r2", cost="param_max_depth")
    search = GridSearchCV(
        DecisionTreeRegressor(random_state=0),
        {"max_depth": [2, 3, 4, 5]},
        scoring={"r2": "r2", "mse": "neg_mean_squared_error"},
        refit=rule,
        cv=5,
    ).fit(X, y)
    means, ses = rule.mean_and_standard_error(search.cv_results_)
    np.testing.assert_allclose(means, search.cv_results_["mean_test_r2"])
    best = np.argmax(means)  # depth 3 wins the argmax by less than its s.e.
    assert best == 1 and means[0] >= means[best] - ses[best]
    assert search.best_params_ == {"max_depth": 2}
    assert hasattr(search.best_estimator_, "tree_")


def test_within_one_standard_error_keeps_the_best_when_nothing_is_near():
    assert within_one_standard_error([0.9, 0.5, 0.4], [0.01, 0.2, 0.2], [9, 1, 0]) == 0
    assert within_one_standard_error([0.9, 0.89, np.nan], [0.02, 0, 0], [5, 1, 0]) == 1
    with pytest.raises(ValueError, match="of one length"):
        within_one_standard_error([0.9, 0.8], [0.1], [1, 2])


def test_one_standard_error_rule_names_a_missing_score_or_cost():
    results = {"split0_test_score": [1.0], "mean_test_score": [1.0], "x": [0]}
    with pytest.raises(ValueError, match=r"'js'.*the scores are \['score'\]"):
        OneStandardErrorRule(scoring="js")(results)
    with pytest.raises(ValueError, match="cost='nope'.*mean_fit_time"):
        OneStandardErrorRule(cost="nope")(results)
    assert OneStandardErrorRule(cost="x")(results) == 0
