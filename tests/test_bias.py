"""Each bias method does what the paper says, checked on its mechanism."""

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import TINY
from sklearn.base import clone
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV

from sklearn_tabbias import BiasedVAESynthesizer, TabularEncoder
from sklearn_tabbias.bias import (
    AverageBias,
    DRSBias,
    MAMLBias,
    PretrainBias,
    RealRows,
)
from sklearn_tabbias.bias._base import pool_samples
from sklearn_tabbias.constraints import FixedCombinations
from sklearn_tabbias.synthesizers._settings import VAESettings
from sklearn_tabbias.synthesizers._vae_runner import VAERunner

#: TINY without the bias short forms (for bias objects).
_NO_SHORT = {
    k: v for k, v in TINY.items() if k not in ("pretrain_samples",) and "maml" not in k
}

RUNNER_SETTINGS = VAESettings(
    latent_dim=4,
    hidden_dim=32,
    max_epochs=40,
    batch_size=256,
    learning_rate=1e-3,
    patience=10,
    min_steps=0,
    finetune_min_steps=0,
    validation_fraction=0.2,
    bgm_components=5,
    device=torch.device("cpu"),
    verbose=0,
)


@pytest.fixture
def spy(monkeypatch):
    """Record every VAERunner.train call: its arguments and its result."""
    calls = []
    original = VAERunner.train

    def train(self, train, val, n_members, init_state=None, phase="seed", rows=None):
        runs = original(self, train, val, n_members, init_state, phase, rows)
        calls.append(
            dict(
                phase=phase,
                rows=rows,
                n_rows=len(train) + len(val),
                n_members=n_members,
                init_state=init_state,
                runs=runs,
                runs_input=(train, val),
            )
        )
        return runs

    monkeypatch.setattr(VAERunner, "train", train)
    return calls


@pytest.fixture(scope="module")
def setting(adult300):
    enc = TabularEncoder(random_state=0).fit(adult300)
    runner = VAERunner(enc.blocks_, RUNNER_SETTINGS, np.random.RandomState(0))
    train, val = runner.split(enc.transform(adult300))
    return runner, RealRows(train, val)


def _assert_states_equal(a, b):
    assert a.keys() == b.keys()
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=0, atol=1e-7)


def _distance(a, b):
    return sum(float((a[k] - b[k]).norm()) for k in a)


def test_avg_theta0_is_mean_of_seed_members(adult300, spy):
    synth = BiasedVAESynthesizer(bias="avg", random_state=0, **TINY).fit(adult300)
    seed = spy[0]["runs"].state
    assert next(iter(seed.values())).shape[0] == TINY["n_seeds"]
    expected = {k: v.mean(dim=0, keepdim=True) for k, v in seed.items()}
    _assert_states_equal(synth.init_state_, expected)
    # the members really differ, so the mean is not one of them
    assert _distance({k: v[[0]] for k, v in seed.items()}, expected) > 1e-3


@pytest.mark.parametrize("bias", ["pretrain", "avg", "maml", "drs"])
def test_finetuning_starts_from_theta0(adult300, spy, bias):
    synth = BiasedVAESynthesizer(bias=bias, random_state=0, **TINY).fit(adult300)
    finetune = [c for c in spy if c["phase"] == "finetune"]
    assert len(finetune) == 1
    assert finetune[0]["n_rows"] == len(adult300)
    assert finetune[0]["n_members"] == 1  # n_finetune_runs' default
    _assert_states_equal(finetune[0]["init_state"], synth.init_state_)


@pytest.mark.parametrize("bias", ["pretrain", "avg"])
@pytest.mark.parametrize("n_finetune_runs, expected", [(2, 2), (None, TINY["n_seeds"])])
def test_n_finetune_runs_sets_the_later_phases_runs(
    adult300, spy, bias, n_finetune_runs, expected
):
    synth = BiasedVAESynthesizer(
        bias=bias, n_finetune_runs=n_finetune_runs, random_state=0, **TINY
    ).fit(adult300)  # None: as many as seed runs (the paper's protocol)
    runs = {c["phase"]: c["n_members"] for c in spy}
    later = {"finetune": expected}
    if bias == "pretrain":
        later["pretrain"] = expected
    assert runs == {"seed": TINY["n_seeds"], **later}
    assert synth.val_losses_.shape == (expected,)


def test_runs_start_exactly_from_init_state(setting):
    runner, real = setting
    theta0 = runner.new_state(1)
    still = _copy(runner, learning_rate=1e-30, max_epochs=2)
    runs = still.train(real.train, real.val, 3, init_state=theta0)
    for s in range(3):
        _assert_states_equal({k: v[[s]] for k, v in runs.state.items()}, theta0)
    moved = runner.train(real.train, real.val, 3, init_state=theta0)
    assert _distance({k: v[[0]] for k, v in moved.state.items()}, theta0) > 1e-3


@pytest.mark.parametrize("method", [AverageBias, DRSBias, MAMLBias])
def test_shared_init_seed_runs_start_from_one_state(adult300, spy, method):
    bias = _small(method, shared_init=True)
    BiasedVAESynthesizer(bias=bias, random_state=0, **_NO_SHORT).fit(adult300)
    seed = spy[0]
    assert seed["phase"] == "seed" and seed["rows"] is None
    assert next(iter(seed["init_state"].values())).shape[0] == 1
    assert seed["runs"].record.warm_start


@pytest.mark.parametrize("method", [AverageBias, DRSBias, MAMLBias])
def test_bootstrap_seed_runs_train_on_their_own_resamples(adult300, spy, method):
    bias = _small(method, bootstrap=True)
    BiasedVAESynthesizer(bias=bias, random_state=0, **_NO_SHORT).fit(adult300)
    seed = spy[0]
    rows, n_train = np.asarray(seed["rows"]), len(seed["runs_input"][0])
    assert seed["init_state"] is None  # independent starts unless shared_init
    assert rows.shape == (TINY["n_seeds"], n_train)
    assert rows.min() >= 0 and rows.max() < n_train
    assert len(np.unique(rows[0])) < n_train  # drawn with replacement
    assert not np.array_equal(rows[0], rows[1])


def test_default_seed_runs_are_the_papers(adult300, spy):
    BiasedVAESynthesizer(bias=AverageBias(), random_state=0, **_NO_SHORT).fit(adult300)
    assert spy[0]["rows"] is None and spy[0]["init_state"] is None


@pytest.mark.parametrize("batch_size", [256, 64])
def test_runs_train_on_the_rows_they_are_given(setting, batch_size):
    """Identity rows reproduce a plain fit bit for bit; other rows change it."""
    runner, real = setting
    runner = _copy(runner, batch_size=batch_size, max_epochs=3)
    n_train = len(real.train)
    seeds = np.random.RandomState(1).randint(2**31, size=3)
    fits = []
    for rows in (None, np.tile(np.arange(n_train), (2, 1)), np.zeros((2, n_train))):
        runner.rng = np.random.RandomState(seeds[0])
        rows = None if rows is None else rows.astype(int)
        fits.append(runner.train(real.train, real.val, 2, rows=rows).state)
    _assert_states_equal(fits[0], fits[1])
    assert _distance(fits[0], fits[2]) > 1e-3


def _copy(runner, **settings):
    """A runner like ``runner`` with other settings and its own records."""
    copy = VAERunner.__new__(VAERunner)
    copy.__dict__.update(runner.__dict__)
    copy.settings = replace(runner.settings, **settings)
    copy.records = []
    return copy


def _small(method, **params):
    """A bias method with small synthetic-row and meta-learning budgets."""
    small = {
        AverageBias: {},
        DRSBias: {"n_samples": 60},
        MAMLBias: {"n_samples": 60, "meta_iterations": 2, "inner_steps": 1},
    }
    return method(**small[method], **params)


@pytest.mark.parametrize("bias, n_members", [("pretrain", 1), ("drs", 1)])
def test_pretrain_and_drs_train_on_the_stated_number_of_synthetic_rows(
    adult300, spy, bias, n_members
):
    synth = BiasedVAESynthesizer(bias=bias, random_state=0, **TINY).fit(adult300)
    phase = [c for c in spy if c["phase"] == bias]
    assert len(phase) == 1
    assert phase[0]["n_rows"] == TINY["pretrain_samples"] != len(adult300)
    assert phase[0]["n_members"] == n_members
    assert phase[0]["init_state"] is None
    record = [r for r in synth.history_ if r.phase == bias][0]
    assert record.n_train + record.n_val == TINY["pretrain_samples"]
    # θ0 is the best pre-trained run (pretrain) / the single DRS run
    _assert_states_equal(synth.init_state_, phase[0]["runs"].best_state)


def test_pretrain_rows_come_from_the_best_seed_run(adult300, spy, monkeypatch):
    sampled_from = []
    original = VAERunner.sample_from

    def sample_from(self, state, Z_fit, n_samples):
        sampled_from.append((state, n_samples))
        return original(self, state, Z_fit, n_samples)

    monkeypatch.setattr(VAERunner, "sample_from", sample_from)
    BiasedVAESynthesizer(bias="pretrain", random_state=0, **TINY).fit(adult300)
    assert len(sampled_from) == 1
    state, n = sampled_from[0]
    assert n == TINY["pretrain_samples"]
    _assert_states_equal(state, spy[0]["runs"].best_state)


def test_maml_moves_theta_and_lowers_loss_on_held_out_tasks(setting):
    runner, real = setting
    seed_runs = runner.train(real.train, real.val, 5)
    tasks = torch.stack(pool_samples(runner, seed_runs, real, 5 * 300))
    train_tasks, held_out = tasks[:4], tasks[4:]
    maml = MAMLBias(meta_iterations=60, inner_steps=3, inner_lr=1e-3, outer_lr=3e-3)
    start = runner.new_state(1)
    theta = maml.meta_learn(runner, train_tasks, start)
    assert _distance(theta, start) > 1e-2
    record = runner.records[-1]
    assert record.phase == "maml" and record.n_train == 4 * train_tasks.shape[1]
    query = record.curves["query"][:, 0]
    assert query[-10:].mean() < query[:10].mean()

    def held_out_loss(state):
        generator = torch.Generator().manual_seed(0)
        support, query = held_out[:, :150], held_out[:, 150:]
        return maml.adapted_loss(runner, state, support, query, generator).item()

    assert held_out_loss(theta) < held_out_loss(start)
    first_order = MAMLBias(meta_iterations=5, inner_steps=2, first_order=True)
    second_order = MAMLBias(meta_iterations=5, inner_steps=2, first_order=False)
    runner.rng = np.random.RandomState(1)
    a = first_order.meta_learn(runner, train_tasks, start)
    runner.rng = np.random.RandomState(1)
    b = second_order.meta_learn(runner, train_tasks, start)
    assert _distance(a, b) > 0


def _train_with(setting, n_members, **params):
    """Train on the setting's rows with some runner parameters changed."""
    runner, real = setting
    runner.settings = replace(RUNNER_SETTINGS, **params)
    try:
        return runner.train(real.train, real.val, n_members)
    finally:
        runner.settings = RUNNER_SETTINGS


def test_early_stopped_members_stop_updating(setting):
    runs = _train_with(setting, 4, max_epochs=400, patience=5)
    record = runs.record
    epochs, best = record.epochs, record.best_epoch
    stopped = epochs < 400
    assert stopped.sum() >= 2 and len(set(epochs)) >= 2
    # a stopped member ran exactly `patience` epochs past its best epoch ...
    np.testing.assert_array_equal(epochs[stopped], best[stopped] + 1 + 5)
    # ... and its curve has no entries after it stopped
    for member in np.flatnonzero(stopped):
        assert np.isnan(record.curves["validation"][epochs[member] :, member]).all()
    # the restored state is the best epoch's: its validation loss is the minimum
    np.testing.assert_allclose(
        runs.val_losses, np.nanmin(record.curves["validation"], axis=0), rtol=1e-6
    )


def test_no_epoch_is_kept_before_min_steps(setting):
    """Runs take min_steps optimiser steps before early stopping may keep an epoch."""
    n_train = len(setting[1].train)
    runs = _train_with(
        setting,
        3,
        max_epochs=400,
        patience=5,
        batch_size=n_train // 2 + 1,  # two steps per epoch
        min_steps=60,
    )
    record = runs.record
    first = 29  # the epoch whose end is step 60
    assert (record.best_epoch >= first).all()
    assert (record.epochs >= first + 1 + 5).all()
    np.testing.assert_allclose(
        runs.val_losses,
        np.nanmin(record.curves["validation"][first:], axis=0),
        rtol=1e-6,
    )


def test_finetune_phase_takes_finetune_min_steps(setting):
    """The "finetune" phase waits finetune_min_steps; the other phases min_steps."""
    runner, real = setting
    runner.settings = replace(
        RUNNER_SETTINGS, max_epochs=50, patience=3, min_steps=40, finetune_min_steps=0
    )
    try:
        seed = runner.train(real.train, real.val, 2, phase="seed")
        tuned = runner.train(
            real.train, real.val, 2, init_state=seed.best_state, phase="finetune"
        )
    finally:
        runner.settings = RUNNER_SETTINGS
    assert (seed.record.best_epoch >= 39).all()  # one step an epoch
    # before min_steps the validation loss is computed only for the curves
    assert np.isnan(seed.record.curves["validation"][1]).all()
    assert np.isfinite(tuned.record.curves["validation"][1]).all()


@pytest.mark.parametrize(
    "bias, expected", [("pretrain", 7), ("drs", 7), ("avg", 20), ("maml", 20)]
)
def test_only_a_trained_start_is_fine_tuned_for_fewer_steps(adult300, bias, expected):
    synth = BiasedVAESynthesizer(
        bias=bias, **dict(TINY, max_epochs=2), min_steps=20, finetune_min_steps=7
    ).fit(adult300)
    assert synth._runner.settings.finetune_min_steps == expected


def test_finetune_min_steps_is_at_most_min_steps(adult300):
    synth = BiasedVAESynthesizer(
        bias="pretrain", **dict(TINY, max_epochs=2), min_steps=0
    ).fit(adult300)
    assert synth._runner.settings.finetune_min_steps == 0


def test_min_steps_beyond_the_budget_keeps_the_last_epoch(setting):
    runs = _train_with(setting, 2, max_epochs=7, min_steps=10_000)
    np.testing.assert_array_equal(runs.record.best_epoch, [6, 6])
    last = runs.record.curves["validation"][-1]
    np.testing.assert_allclose(runs.val_losses, last, rtol=1e-6)


def test_bias_object_with_own_parameters(adult300, spy):
    synth = BiasedVAESynthesizer(
        bias=MAMLBias(n_samples=300, meta_iterations=3, inner_steps=1),
        random_state=0,
        **_NO_SHORT,
    ).fit(adult300)
    assert synth.bias_.n_samples == 300
    record = [r for r in synth.history_ if r.phase == "maml"][0]
    assert record.n_epochs == 3 and record.unit == "iteration"
    assert record.n_train == 300


def test_short_forms_with_a_bias_object_are_an_error(adult300):
    synth = BiasedVAESynthesizer(bias=MAMLBias(), maml_inner_steps=2, **_NO_SHORT)
    with pytest.raises(ValueError, match=r"maml_inner_steps.*bias__inner_steps"):
        synth.fit(adult300.head(60))


def test_short_forms_build_the_same_method_as_the_object(adult300):
    rows = adult300.head(80)
    short = BiasedVAESynthesizer(bias="maml", random_state=0, **TINY).fit(rows)
    params = dict(n_samples=400, meta_iterations=5, inner_steps=2)
    obj = BiasedVAESynthesizer(bias=MAMLBias(**params), random_state=0, **_NO_SHORT)
    obj.fit(rows)
    assert short.bias_.get_params() == obj.bias_.get_params()
    assert short.sample(30, random_state=1).equals(obj.sample(30, random_state=1))


def test_bias_parameters_are_nested_parameters_in_a_grid(adult300):
    from sklearn.model_selection import GridSearchCV

    synth = BiasedVAESynthesizer(bias=MAMLBias(n_samples=200), **_NO_SHORT)
    assert synth.get_params()["bias__inner_steps"] == 5
    search = GridSearchCV(
        synth,
        {"bias__meta_iterations": [1, 3]},
        scoring=lambda est, X: -float(est.val_losses_.min()),
        cv=2,
    ).fit(adult300.head(80))
    assert [p["bias__meta_iterations"] for p in search.cv_results_["params"]] == [1, 3]
    assert search.best_estimator_.bias_.meta_iterations in (1, 3)


def test_the_vae_runner_implements_the_runner_protocols(setting):
    from sklearn_tabbias.bias import FunctionalRunner, Runner

    runner, _ = setting
    assert isinstance(runner, Runner) and isinstance(runner, FunctionalRunner)


#: TINY without the short forms of the bias parameters (set on the objects).
PLAIN = {k: v for k, v in TINY.items() if not k.startswith(("pretrain_", "maml_"))}


@pytest.fixture(scope="module")
def related(adult_full, adult300):
    """1,000 other Adult rows: a related table with the same columns."""
    return adult_full.drop(adult300.index).sample(1000, random_state=1)


def test_pretrain_source_table_rows_are_the_pretraining_rows(adult300, related, spy):
    bias = PretrainBias(source=related, n_samples=5000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no source row left out
        synth = BiasedVAESynthesizer(
            bias=bias, constraints=None, random_state=0, **PLAIN
        ).fit(adult300)
    # the encoder learnt the source's categories too (countries the 300 rows lack)
    assert synth.encoder_.known_rows(related).all()
    assert not TabularEncoder().fit(adult300).known_rows(related).all()
    phase = [c for c in spy if c["phase"] == "pretrain"]
    assert len(phase) == 1 and phase[0]["n_rows"] == len(related)
    record = [r for r in synth.history_ if r.phase == "pretrain"][0]
    assert record.n_train + record.n_val == len(related)
    expected = torch.as_tensor(synth.encoder_.transform(related))
    rows = torch.cat([phase[0]["runs_input"][0], phase[0]["runs_input"][1]])
    assert sorted(map(tuple, rows.tolist())) == sorted(map(tuple, expected.tolist()))
    assert [c["phase"] for c in spy] == ["pretrain", "finetune"]  # no seed runs
    assert synth.seed_val_losses_ is None and synth.best_seed_ is None
    assert phase[0]["n_members"] == 1  # n_finetune_runs
    assert phase[0]["init_state"] is None
    assert (synth.sample(50).dtypes == adult300.dtypes).all()


def test_pretrain_source_rows_pass_through_the_constraints(adult300, related, spy):
    pair = ["education", "education-num"]
    seen = set(map(tuple, adult300[pair].to_numpy()))
    known = related[pair].apply(tuple, axis=1).isin(seen)
    source = pd.concat([related, related.head(3).assign(**{"education-num": 99})])
    bias = PretrainBias(source=source, n_samples=5000)
    with pytest.warns(UserWarning, match=f"{(~known).sum() + 3} of {len(source)}"):
        synth = BiasedVAESynthesizer(
            bias=bias, constraints=[FixedCombinations(pair)], random_state=0, **PLAIN
        ).fit(adult300)
    phase = [c for c in spy if c["phase"] == "pretrain"][0]
    assert phase["n_rows"] == known.sum()  # the joint column's codes, encoded
    sample = synth.sample(200, random_state=0)
    assert set(map(tuple, sample[pair].to_numpy())) <= seen


def test_pretrain_source_table_is_subsampled_to_n_samples(adult300, related, spy):
    bias = PretrainBias(source=related.dropna(), n_samples=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        BiasedVAESynthesizer(bias=bias, random_state=0, **PLAIN).fit(adult300)
    (phase,) = [c for c in spy if c["phase"] == "pretrain"]
    assert 150 < phase["n_rows"] <= 200


def test_pretrain_source_sampler_with_array_samples(spy):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    mixture = GaussianMixture(2, random_state=0).fit(X)  # sample -> (array, labels)
    bias = PretrainBias(source=mixture, n_samples=400)
    synth = BiasedVAESynthesizer(bias=bias, random_state=0, **PLAIN).fit(X)
    (phase,) = [c for c in spy if c["phase"] == "pretrain"]
    assert phase["n_rows"] == 400
    assert list(synth.sample(5).columns) == ["a", "b", "c"]


def test_pretrain_source_survives_clone_and_grid_search(adult300, related):
    source = related.dropna()
    bias = PretrainBias(source=source, n_samples=300)
    assert clone(bias).source is source
    assert (
        repr(bias)
        == f"PretrainBias(n_samples=300, source=<DataFrame of shape {source.shape}>)"
    )
    search = GridSearchCV(
        BiasedVAESynthesizer(random_state=0, **{**PLAIN, "n_seeds": 1}),
        {"bias": ["none", bias]},
        cv=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(adult300.iloc[:120])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_pretrain_source_works_for_the_ctgan(adult300, related):
    from sklearn_tabbias import BiasedCTGAN

    bias = PretrainBias(source=related.dropna(), n_samples=300)
    small = dict(epochs=2, n_seeds=1, embedding_dim=8, generator_dim=(16,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        synth = BiasedCTGAN(bias=bias, discriminator_dim=(16,), random_state=0, **small)
        synth.fit(adult300)
    phases = [r.phase for r in synth.history_]
    assert "pretrain" in phases and len(synth.sample(10)) == 10


class _EncodesAliens(PretrainBias):
    """A custom method that encodes rows the encoder never saw."""

    uses_seed_runs = True

    def extra_rows(self, rng):
        return None  # the encoder does not learn them

    def initial_state(self, runner, seed_runs, real):
        self.encoded_ = real.encode(self.source)


def test_real_rows_encode_refuses_rows_it_cannot_encode(adult300):
    alien = adult300.iloc[:20].assign(workclass="Astronaut")
    bias = _EncodesAliens(source=alien)
    synth = BiasedVAESynthesizer(bias=bias, **PLAIN)
    with pytest.raises(ValueError, match="None of the 20 rows given to _EncodesAliens"):
        synth.fit(adult300)
    mixed = pd.concat([alien, adult300.iloc[:10]])
    synth.set_params(bias=_EncodesAliens(source=mixed))
    with pytest.warns(UserWarning, match="20 of 30 rows hold a category"):
        synth.fit(adult300)
    assert len(synth.bias_.encoded_) == 10  # the known rows only
