"""The synthesizers: estimators with ``fit(X)`` and ``sample(n_samples)``.

Imported on first use: the VAE does not load SDV's ctgan package.
"""

from sklearn_tabbias._lazy import lazy_attributes

_EXPORTS = {
    "BiasedCTGAN": "sklearn_tabbias.synthesizers.ctgan",
    "BiasedVAESynthesizer": "sklearn_tabbias.synthesizers.vae",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_attributes(globals(), _EXPORTS)
