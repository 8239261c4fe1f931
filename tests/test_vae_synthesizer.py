import pickle
import random

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import ADULT, TINY
from sklearn.base import clone

from sklearn_tabbias import BiasedVAESynthesizer

BIASES = ["none", "pretrain", "avg", "maml", "drs"]


@pytest.fixture(scope="module")
def fitted(adult300):
    return {
        bias: BiasedVAESynthesizer(bias=bias, random_state=0, **ADULT).fit(adult300)
        for bias in BIASES
    }


@pytest.mark.parametrize("bias", BIASES)
def test_sample_keeps_adult_schema(fitted, adult300, bias):
    synth = fitted[bias].sample(1000, random_state=1)
    assert synth.shape == (1000, adult300.shape[1])
    assert list(synth.columns) == list(adult300.columns)
    assert synth.dtypes.equals(adult300.dtypes)
    for name in adult300.columns:
        if not pd.api.types.is_numeric_dtype(adult300[name]):
            assert set(synth[name].dropna()) <= set(adult300[name].dropna()), name
        else:
            real = adult300[name]
            assert synth[name].between(real.min(), real.max()).all(), name
    real_nan = adult300.isna().mean()
    synth_nan = synth.isna().mean()
    assert (synth_nan[real_nan == 0] == 0).all()
    np.testing.assert_allclose(synth_nan, real_nan, atol=0.05)


def test_ndarray_in_ndarray_out():
    X = np.random.default_rng(0).normal(size=(60, 3))
    synth = BiasedVAESynthesizer(bias="none", random_state=0, **TINY).fit(X)
    out = synth.sample(7)
    assert isinstance(out, np.ndarray) and out.shape == (7, 3) and out.dtype == X.dtype


def test_same_random_state_gives_identical_samples(adult300):
    a = BiasedVAESynthesizer(bias="avg", random_state=3, **TINY).fit(adult300)
    b = BiasedVAESynthesizer(bias="avg", random_state=3, **TINY).fit(adult300)
    pd.testing.assert_frame_equal(a.sample(300), b.sample(300))
    pd.testing.assert_frame_equal(
        a.sample(50, random_state=5), b.sample(50, random_state=5)
    )
    c = BiasedVAESynthesizer(bias="avg", random_state=4, **TINY).fit(adult300)
    assert not a.sample(300, random_state=0).equals(c.sample(300, random_state=0))


def test_successive_samples_differ_but_seeded_ones_repeat(fitted):
    synth = fitted["avg"]
    assert not synth.sample(100).equals(synth.sample(100))
    assert synth.sample(100, random_state=7).equals(synth.sample(100, random_state=7))


def test_clone_and_pickle_round_trip(fitted, adult300):
    synth = fitted["pretrain"]
    copy = clone(synth)
    assert copy.get_params() == synth.get_params()
    assert not hasattr(copy, "module_")
    loaded = pickle.loads(pickle.dumps(synth))
    pd.testing.assert_frame_equal(
        loaded.sample(200, random_state=0), synth.sample(200, random_state=0)
    )


def test_global_random_state_untouched(adult300):
    np.random.seed(123)
    torch.manual_seed(123)
    random.seed(123)
    before = (np.random.get_state()[1].copy(), torch.get_rng_state(), random.getstate())
    synth = BiasedVAESynthesizer(bias="maml", random_state=0, **TINY).fit(adult300)
    synth.sample(100)
    synth.sample(100, random_state=1)
    after = (np.random.get_state()[1], torch.get_rng_state(), random.getstate())
    np.testing.assert_array_equal(before[0], after[0])
    assert torch.equal(before[1], after[1])
    assert before[2] == after[2]


def test_fitted_attributes(fitted, adult300):
    synth = fitted["avg"]
    assert synth.n_features_in_ == adult300.shape[1]
    assert list(synth.feature_names_in_) == list(adult300.columns)
    assert synth.seed_val_losses_.shape == (ADULT["n_seeds"],)
    assert synth.best_seed_ == int(np.argmin(synth.seed_val_losses_))
    assert [r.phase for r in synth.history_] == ["seed", "finetune"]
    assert fitted["none"].init_state_ is None
    assert [r.phase for r in fitted["none"].history_] == ["seed"]


@pytest.mark.parametrize(
    "params, match",
    [
        ({"bias": "nope"}, "bias"),
        ({"n_seeds": 0}, "n_seeds"),
        ({"validation_fraction": 1.5}, "validation_fraction"),
    ],
)
def test_bad_parameters_name_the_parameter(adult300, params, match):
    with pytest.raises(ValueError, match=match):
        BiasedVAESynthesizer(**params).fit(adult300)


def test_sample_arguments_are_checked(fitted):
    with pytest.raises(ValueError, match="n_samples must be at least 1"):
        fitted["none"].sample(0)
    with pytest.raises(TypeError, match="n_samples must be an integer"):
        fitted["none"].sample(2.5)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_fit_and_sample(adult300):
    synth = BiasedVAESynthesizer(device="cuda", random_state=0, **TINY).fit(adult300)
    assert synth.sample(100).shape == (100, adult300.shape[1])


@pytest.mark.parametrize("bias", ["none", "avg"])
def test_refit_trains_the_best_recipe_again_on_all_rows(adult300, bias):
    plain = BiasedVAESynthesizer(bias=bias, random_state=0, **TINY).fit(adult300)
    synth = clone(plain).set_params(refit=True).fit(adult300)
    *phases, refit = synth.history_
    assert [r.phase for r in phases] == [r.phase for r in plain.history_]
    last = phases[-1]  # the same phases as without refit, then one more run
    assert refit.phase == "refit" and refit.n_runs == 1
    assert refit.n_train == len(adult300) and refit.warm_start == (bias != "none")
    steps = (last.best_epoch[synth.best_run_] + 1) * last.steps_per_epoch
    assert refit.n_epochs == -(-steps // refit.steps_per_epoch)
    sample = synth.sample(200, random_state=0)
    assert sample.shape == (200, adult300.shape[1])
    assert not sample.equals(plain.sample(200, random_state=0))
