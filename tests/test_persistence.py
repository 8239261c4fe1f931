import pickle
from dataclasses import replace

import joblib
import pytest
import torch
from conftest import TINY

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer


@pytest.fixture(scope="module")
def fitted(adult300):
    return {
        "vae": BiasedVAESynthesizer(bias="avg", random_state=0, **TINY).fit(
            adult300.head(80)
        ),
        "ctgan": BiasedCTGAN(bias="none", epochs=2, random_state=0).fit(
            adult300.head(60)
        ),
    }


@pytest.mark.parametrize("name", ["vae", "ctgan"])
def test_joblib_round_trip_samples_the_same_rows(fitted, name, tmp_path):
    model = fitted[name]
    path = tmp_path / "model.joblib"
    joblib.dump(model, path)
    loaded = joblib.load(path)
    assert loaded.sample(30, random_state=1).equals(model.sample(30, random_state=1))
    assert loaded.get_params() == model.get_params()
    state = model.__getstate__()
    assert "_torch_fitted" in state and "history_" not in state


def test_unfitted_model_pickles_without_torch_state():
    model = BiasedVAESynthesizer(bias="drs")
    assert "_torch_fitted" not in model.__getstate__()
    assert pickle.loads(pickle.dumps(model)).get_params() == model.get_params()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
@pytest.mark.parametrize("name", ["vae", "ctgan"])
def test_model_saved_for_cuda_loads_on_cpu(fitted, name):
    model = pickle.loads(pickle.dumps(fitted[name]))
    model.device = "cuda"  # as if trained on a GPU
    cuda = torch.device("cuda")
    model._runner.settings = replace(model._runner.settings, device=cuda)
    with pytest.warns(UserWarning, match="finds no CUDA GPU here"):
        loaded = pickle.loads(pickle.dumps(model))
    assert loaded.device == "cpu" and loaded._runner.device.type == "cpu"
    expected = fitted[name].sample(20, random_state=3)
    assert loaded.sample(20, random_state=3).equals(expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_cuda_model_loads_with_cpu_map(adult300, monkeypatch):
    model = BiasedVAESynthesizer(device="cuda", random_state=0, **TINY)
    model.fit(adult300.head(80))
    data = pickle.dumps(model)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="finds no CUDA GPU here"):
        loaded = pickle.loads(data)
    assert next(loaded.module_.parameters()).device.type == "cpu"
    assert len(loaded.sample(10)) == 10
