"""Synthetic tabular data from small tables with an artificial inductive bias.

Every generator is a scikit-learn estimator with ``fit(X)`` and ``sample(n)``.
The names below are imported on first use, so ``import sklearn_tabbias`` (and
the command line's ``--help``) loads neither torch nor SDV.
"""

from sklearn_tabbias._lazy import lazy_attributes

__version__ = "0.1.0.dev0"

_EXPORTS = {
    "BiasedCTGAN": "sklearn_tabbias.synthesizers.ctgan",
    "BiasedVAESynthesizer": "sklearn_tabbias.synthesizers.vae",
    "ColumnPredictionScorer": "sklearn_tabbias.metrics.scorers",
    "DetectionScorer": "sklearn_tabbias.metrics.scorers",
    "DivergenceScorer": "sklearn_tabbias.metrics.scorers",
    "TabularEncoder": "sklearn_tabbias.encoding",
    "UtilityScorer": "sklearn_tabbias.metrics.scorers",
}
__all__ = [*_EXPORTS, "__version__"]
__getattr__, __dir__ = lazy_attributes(globals(), _EXPORTS)
