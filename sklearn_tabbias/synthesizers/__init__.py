"""The synthesizers: estimators with ``fit(X)`` and ``sample(n_samples)``."""

from sklearn_tabbias.synthesizers.vae import BiasedVAESynthesizer

__all__ = ["BiasedVAESynthesizer"]
