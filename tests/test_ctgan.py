import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.model_selection import GridSearchCV

from sklearn_tabbias import BiasedCTGAN, DivergenceScorer, UtilityScorer
from sklearn_tabbias.bias import AverageBias, DRSBias, MAMLBias
from sklearn_tabbias.metrics import SmallSampleWarning
from sklearn_tabbias.synthesizers import ctgan as ctgan_module
from sklearn_tabbias.synthesizers._ctgan_runner import CTGANRunner

SMALL = dict(
    epochs=10,
    n_seeds=2,
    pretrain_samples=600,
    pretrain_epochs=2,
    embedding_dim=16,
    generator_dim=(32,),
    discriminator_dim=(32,),
)


@pytest.fixture
def spy(monkeypatch):
    calls = []
    original = CTGANRunner.train_pair

    def train_pair(self, data, epochs, init=None, phase="real", batch_size=None):
        start = None if init is None else [_state(m) for m in init]
        pair = original(self, data, epochs, init, phase, batch_size)
        calls.append(
            dict(phase=phase, n_rows=len(data), data=data, init=start, pair=pair)
        )
        return pair

    monkeypatch.setattr(CTGANRunner, "train_pair", train_pair)
    return calls


def _state(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


#: MAML through Reptile steps, small enough for a unit test.
TINY_MAML = MAMLBias(n_samples=600, meta_iterations=3, inner_steps=2)
#: SMALL without the short form (for bias objects).
SMALL_OBJECT = {k: v for k, v in SMALL.items() if k != "pretrain_samples"}


def _small(bias):
    return dict(bias=bias, **(SMALL_OBJECT if isinstance(bias, MAMLBias) else SMALL))


@pytest.mark.parametrize("bias", ["none", "pretrain", "avg", "drs", TINY_MAML])
def test_schema_and_reproducibility(adult300, bias):
    before = (np.random.get_state()[1].copy(), torch.get_rng_state())
    a = BiasedCTGAN(random_state=0, **_small(bias)).fit(adult300)
    b = BiasedCTGAN(random_state=0, **_small(bias)).fit(adult300)
    sample = a.sample(500, random_state=1)
    pd.testing.assert_frame_equal(sample, b.sample(500, random_state=1))
    np.testing.assert_array_equal(before[0], np.random.get_state()[1])
    assert torch.equal(before[1], torch.get_rng_state())
    assert list(sample.columns) == list(adult300.columns)
    assert sample.dtypes.equals(adult300.dtypes)
    for name in adult300.columns:
        if not pd.api.types.is_numeric_dtype(adult300[name]):
            assert set(sample[name].dropna()) <= set(adult300[name].dropna())
    assert (sample.isna().mean()[adult300.isna().mean() == 0] == 0).all()


def test_warm_start_uses_the_pretrained_pair(adult300, spy):
    synth = BiasedCTGAN(bias="pretrain", random_state=0, **SMALL).fit(adult300)
    phases = [c["phase"] for c in spy]
    assert phases == ["seed", "pretrain", "finetune"]  # one run each (paper)
    pretrain, finetune = spy[1], spy[2]
    assert pretrain["n_rows"] == SMALL["pretrain_samples"]
    assert finetune["n_rows"] == len(adult300)
    generator, discriminator = pretrain["pair"]
    # fine-tuning starts from exactly the pre-trained generator and discriminator
    _assert_same(synth.init_state_["generator"], _state(generator))
    _assert_same(synth.init_state_["discriminator"], _state(discriminator))
    _assert_same(finetune["init"][0], _state(generator))
    _assert_same(finetune["init"][1], _state(discriminator))
    assert not torch.equal(
        next(synth.generator_.parameters()), next(generator.parameters())
    )
    # first-epoch losses differ from a cold start on the same rows
    runner = synth._runner
    cold = runner.records[-1]  # the fine-tuning record
    runner.train_pair(runner.real, 1, phase="cold")
    cold_start = runner.records[-1]
    assert cold.warm_start and not cold_start.warm_start
    for name in ("discriminator", "generator"):
        assert cold.curves[name][0, 0] != cold_start.curves[name][0, 0]


def test_drs_pools_every_seed_run(adult300, spy):
    BiasedCTGAN(bias="drs", random_state=0, **SMALL).fit(adult300)
    assert [c["phase"] for c in spy] == ["seed", "seed", "drs", "finetune"]
    assert spy[2]["n_rows"] == SMALL["pretrain_samples"]
    _assert_same(spy[3]["init"][0], _state(spy[2]["pair"][0]))


def test_avg_starts_from_the_mean_of_the_seed_pairs(adult300, spy):
    synth = BiasedCTGAN(bias="avg", random_state=0, **SMALL).fit(adult300)
    assert [c["phase"] for c in spy] == ["seed", "seed", "finetune"]
    seeds = [_state(c["pair"][0]) for c in spy[:2]]
    for key, value in synth.init_state_["generator"].items():
        if value.is_floating_point():
            torch.testing.assert_close(value, (seeds[0][key] + seeds[1][key]) / 2)


def test_seed_pairs_share_a_start_and_train_on_resamples(adult300, spy):
    bias = AverageBias(shared_init=True, bootstrap=True)
    BiasedCTGAN(bias=bias, random_state=0, **SMALL_OBJECT).fit(adult300)
    seeds = [c for c in spy if c["phase"] == "seed"]
    assert len(seeds) == SMALL["n_seeds"]
    _assert_same(seeds[0]["init"][0], seeds[1]["init"][0])  # one shared start
    assert all(c["n_rows"] == len(adult300) for c in spy)  # resamples of N rows
    distinct = [len(np.unique(c["data"], axis=0)) for c in spy]
    assert max(distinct[:-1]) < distinct[-1] == len(adult300)  # fine-tuning: all
    assert all(c["init"] is not None for c in spy)  # all warm: no fresh pair


def test_maml_meta_learns_through_reptile_steps(adult300):
    synth = BiasedCTGAN(random_state=0, **_small(TINY_MAML)).fit(adult300)
    assert [r.phase for r in synth.history_] == ["seed", "seed", "maml", "finetune"]
    assert synth.history_[2].n_epochs == 3 and synth.history_[2].unit == "iteration"


def test_bias_parameters_are_nested_parameters_in_a_ctgan_grid(adult300):
    search = GridSearchCV(
        BiasedCTGAN(bias=DRSBias(), random_state=0, **SMALL_OBJECT),
        {"bias__n_samples": [200, 400]},
        scoring=lambda est, X: -est.history_[-1].seconds,
        cv=2,
    ).fit(adult300.head(120))
    assert [p["bias__n_samples"] for p in search.cv_results_["params"]] == [200, 400]


@pytest.mark.parametrize("n_rows", [50, 300, 33])
def test_small_tables_get_safe_batches(adult300, n_rows):
    synth = BiasedCTGAN(bias="none", random_state=0, **SMALL).fit(
        adult300.iloc[:n_rows]
    )
    batch, pac = synth.batch_size_, synth.pac_
    assert batch <= n_rows and batch % 2 == 0 and batch % pac == 0
    assert synth.history_[0].steps_per_epoch >= 2
    assert synth.sample(7).shape == (7, adult300.shape[1])


def test_bad_batch_size_is_named(adult300):
    with pytest.raises(
        ValueError, match="batch_size=25 must be a multiple of 2 \\* pac"
    ):
        BiasedCTGAN(bias="none", batch_size=25, **SMALL).fit(adult300)


def test_sampling_is_in_eval_mode_and_changes_nothing(adult300):
    synth = BiasedCTGAN(bias="none", random_state=0, **SMALL).fit(adult300)
    before = _state(synth.generator_)
    synth.sample(300, random_state=0)
    _assert_same(before, _state(synth.generator_))  # batch-norm statistics included
    assert synth.generator_.training  # mode restored


def test_grid_search_over_bias(adult300):
    grid = [
        {"bias": ["none", "pretrain", "avg", "drs"], "pretrain_samples": [600]},
        {"bias": [TINY_MAML]},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        search = GridSearchCV(
            BiasedCTGAN(random_state=0, **SMALL_OBJECT),
            grid,
            scoring={"js": DivergenceScorer(), "acc": UtilityScorer(target="income")},
            refit="js",
            cv=2,
        ).fit(adult300)
    assert len(search.cv_results_["params"]) == 5
    assert np.all(np.isfinite(search.cv_results_["mean_test_acc"]))


def test_drs_seed_runs_in_parallel_give_the_same_model(adult300, four_cores):
    serial = BiasedCTGAN(bias="drs", random_state=0, **SMALL).fit(adult300)
    parallel = BiasedCTGAN(bias="drs", n_jobs=2, random_state=0, **SMALL).fit(adult300)
    pd.testing.assert_frame_equal(
        serial.sample(200, random_state=0), parallel.sample(200, random_state=0)
    )
    assert [r.phase for r in parallel.history_] == [
        "seed",
        "seed",
        "drs",
        "finetune",
    ]


def _fit_and_sample(rows):
    model = BiasedCTGAN(bias="none", random_state=0, **{**SMALL, "epochs": 1})
    return model.fit(rows).sample(100, random_state=0)


def test_a_fit_inside_a_joblib_worker_gives_the_serial_model(adult_full):
    # from 500 rows ctgan encodes columns in parallel, in threads inside a worker
    rows = adult_full.iloc[:2000]
    serial = _fit_and_sample(rows)
    for in_worker in joblib.Parallel(n_jobs=2)(
        joblib.delayed(_fit_and_sample)(rows) for _ in range(2)
    ):
        pd.testing.assert_frame_equal(in_worker, serial)


def test_point_masses_reach_ctgan_as_discrete_columns(monkeypatch):
    """A zero-inflated column: ctgan sees its zeros as a discrete indicator.

    Before, ctgan's mode-specific normalisation smeared the zeros (300 King rows:
    half of the sampled yr_renovated between 0 and 1900, where no row lies).
    """
    rng = np.random.default_rng(0)
    renovated = np.where(rng.random(200) < 0.9, 0, rng.integers(1950, 2015, 200))
    frame = pd.DataFrame({"renovated": renovated, "x": rng.normal(size=200)})
    seen = {}

    def spy_init(self, real, discrete, params, rng):
        seen.update(real=real.copy(), discrete=list(discrete))
        original_init(self, real, discrete, params, rng)

    original_init = CTGANRunner.__init__
    monkeypatch.setattr(CTGANRunner, "__init__", spy_init)
    gen = BiasedCTGAN(bias="none", n_seeds=1, epochs=2, random_state=0).fit(frame)
    assert "c0_mass" in seen["discrete"]
    at_zero = renovated == 0
    assert (seen["real"]["c0_mass"][at_zero] == "0").all()
    assert (seen["real"]["c0"][at_zero] == np.median(renovated[~at_zero])).all()
    sample = gen.sample(500, random_state=0)
    assert (sample["renovated"] == 0).mean() > 0.2  # exact zeros, from the indicator


def test_auto_epochs_give_small_tables_enough_steps(adult300, monkeypatch):
    # ctgan's 300 epochs are 600 steps on 300 rows: CTGAN learned little of
    # King's or Letter's joint structure in them (docs/benchmarks.md)
    monkeypatch.setattr(ctgan_module, "CTGAN_EPOCHS", 3)
    monkeypatch.setattr(ctgan_module, "AUTO_MIN_STEPS", 40)
    small = {**SMALL, "epochs": "auto"}
    synth = BiasedCTGAN(bias="none", random_state=0, **small).fit(adult300.head(60))
    record = synth.history_[0]
    assert record.steps_per_epoch == 3  # batch 20 of 60 rows
    assert synth.epochs_ == record.n_epochs == 14  # ceil(40 / 3) > 3
    many = BiasedCTGAN(bias="none", random_state=0, **small).fit(adult300)
    assert many.history_[0].steps_per_epoch == 2 and many.epochs_ == 20
    monkeypatch.setattr(ctgan_module, "AUTO_MIN_STEPS", 4)
    few = BiasedCTGAN(bias="none", random_state=0, **small).fit(adult300.head(60))
    assert few.epochs_ == 3  # ctgan's epochs when they take enough steps
    fixed = BiasedCTGAN(bias="none", random_state=0, **SMALL).fit(adult300.head(60))
    assert fixed.epochs_ == fixed.history_[0].n_epochs == SMALL["epochs"]


def test_huge_numbers_fit_and_come_back_in_range():
    """ctgan's mixtures square the values: 1e160 used to overflow to inf."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {"a": rng.normal(size=100) * 1e160, "b": rng.choice(["x", "y"], 100)}
    )
    sample = BiasedCTGAN(bias="none", epochs=2, random_state=0).fit(X).sample(50)
    assert np.isfinite(sample["a"]).all()
    assert sample["a"].between(X["a"].min(), X["a"].max()).all()
