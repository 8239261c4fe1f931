"""Validation metrics: divergences, utility, and scorers for model selection."""

from sklearn_tabbias.metrics.divergence import (
    DivergenceEstimate,
    SmallSampleWarning,
    estimate_divergence,
)
from sklearn_tabbias.metrics.scorers import DivergenceScorer, UtilityScorer
from sklearn_tabbias.metrics.utility import UtilityResult, utility

__all__ = [
    "DivergenceEstimate",
    "DivergenceScorer",
    "SmallSampleWarning",
    "UtilityResult",
    "UtilityScorer",
    "estimate_divergence",
    "utility",
]
