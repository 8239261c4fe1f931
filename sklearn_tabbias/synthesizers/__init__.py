"""The synthesizers: estimators with ``fit(X)`` and ``sample(n_samples)``."""

from sklearn_tabbias.synthesizers.ctgan import BiasedCTGAN
from sklearn_tabbias.synthesizers.vae import BiasedVAESynthesizer

__all__ = ["BiasedCTGAN", "BiasedVAESynthesizer"]
