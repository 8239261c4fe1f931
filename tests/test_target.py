"""fit(X, y): the target is modelled as a column and sampled back with return_y."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer

FAST = dict(n_seeds=1, max_epochs=5, min_steps=0, hidden_dim=16, latent_dim=2)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True, as_frame=True)


def test_fit_with_y_models_the_target_and_samples_it_back(iris):
    X, y = iris
    synth = BiasedVAESynthesizer(random_state=0, **FAST).fit(X, y)
    assert list(synth.encoder_.feature_names_in_) == [*X.columns, "target"]
    assert synth.n_features_in_ == X.shape[1]
    features, target = synth.sample(50, return_y=True)
    assert list(features.columns) == list(X.columns)
    assert isinstance(target, pd.Series) and target.name == "target"
    assert target.dtype == y.dtype and set(target) <= {0, 1, 2}
    assert synth.sample(7).shape == (7, X.shape[1])  # X only, as fit's X


def test_fit_with_array_y_returns_an_array_target(iris):
    X, y = iris
    labels = np.array(["setosa", "versicolor", "virginica"])[y.to_numpy()]
    synth = BiasedVAESynthesizer(random_state=0, **FAST).fit(X.to_numpy(), labels)
    features, target = synth.sample(20, return_y=True)
    assert features.shape == (20, 4) and features.dtype == np.float64
    assert isinstance(target, np.ndarray) and set(target) <= set(labels)


def test_the_ctgan_keeps_y_too(iris):
    X, y = iris
    synth = BiasedCTGAN(
        epochs=2,
        n_seeds=1,
        embedding_dim=8,
        generator_dim=(16,),
        discriminator_dim=(16,),
        random_state=0,
    ).fit(X, y)
    features, target = synth.sample(10, return_y=True)
    assert features.shape == (10, 4) and len(target) == 10


def test_bad_targets_are_clear_errors(iris):
    X, y = iris
    synth = BiasedVAESynthesizer(**FAST)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        synth.fit(X, y[:-1])
    with pytest.raises(ValueError, match="y must be 1-d"):
        synth.fit(X, np.c_[y, y])
    with pytest.raises(ValueError, match="X already has a column 'target'"):
        synth.fit(X.assign(target=y), y)
    synth.fit(X)
    with pytest.raises(ValueError, match="fitted without y"):
        synth.sample(5, return_y=True)
