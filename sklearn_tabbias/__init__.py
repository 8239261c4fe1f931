"""Synthetic tabular data from small tables with an artificial inductive bias.

Every generator is a scikit-learn estimator with ``fit(X)`` and ``sample(n)``.
"""

from sklearn_tabbias.encoding import TabularEncoder
from sklearn_tabbias.metrics import DetectionScorer, DivergenceScorer, UtilityScorer
from sklearn_tabbias.synthesizers import BiasedCTGAN, BiasedVAESynthesizer

__version__ = "0.1.0.dev0"

__all__ = [
    "BiasedCTGAN",
    "BiasedVAESynthesizer",
    "DetectionScorer",
    "DivergenceScorer",
    "TabularEncoder",
    "UtilityScorer",
    "__version__",
]
