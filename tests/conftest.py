import os
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from joblib import _parallel_backends

DATA_HOME = Path(
    os.environ.get(
        "SKLEARN_TABBIAS_DATA",
        Path(__file__).resolve().parents[2] / "shared" / "datasets",
    )
)


@pytest.fixture
def four_cores(monkeypatch):
    """joblib's process workers start as on a 4-core machine: 2 threads each for 2.

    joblib sets every thread variable the parent has not set to
    ``cpu_count() // n_jobs``; the parent's are cleared so that only this decides.
    """
    monkeypatch.setattr(joblib, "cpu_count", lambda *args, **kwargs: 4)
    monkeypatch.setattr(_parallel_backends, "cpu_count", lambda *args, **kwargs: 4)
    for var in _parallel_backends.LokyBackend.MAX_NUM_THREADS_VARS:
        monkeypatch.delenv(var, raising=False)


#: Small settings that keep a fit under a second or two.
TINY = dict(
    n_seeds=3,
    max_epochs=15,
    patience=5,
    hidden_dim=32,
    latent_dim=4,
    pretrain_samples=400,
    maml_meta_iterations=5,
    maml_inner_steps=2,
)


#: Enough training for sample statistics to mean something, still a few seconds.
ADULT = dict(
    n_seeds=3,
    max_epochs=300,
    patience=30,
    hidden_dim=128,
    pretrain_samples=2000,
    maml_meta_iterations=50,
)


def _adult_path():
    path = DATA_HOME / "adult" / "raw_uci" / "adult.csv"
    if not path.exists():
        pytest.skip(f"Adult data not found at {path} (set SKLEARN_TABBIAS_DATA)")
    return path


@pytest.fixture(scope="session")
def adult_full():
    return pd.read_csv(_adult_path(), skipinitialspace=True, na_values="?")


@pytest.fixture(scope="session")
def adult300(adult_full):
    """300 raw Adult rows, with strings and NaN as they come."""
    return adult_full.sample(300, random_state=0).reset_index(drop=True)


class Replay:
    """A fitted 'synthesizer' that samples rows of a fixed table."""

    def __init__(self, rows):
        self.rows = rows
        self.feature_names_in_ = np.asarray(rows.columns)

    def sample(self, n_samples, random_state=None):
        return self.rows.sample(n_samples, random_state=random_state)
