"""Validation metrics: divergences, utility, privacy, and scorers."""

from sklearn_tabbias.metrics.crossfit import CrossFitDivergence, crossfit_divergence
from sklearn_tabbias.metrics.detection import DetectionEstimate, estimate_detection
from sklearn_tabbias.metrics.divergence import (
    DivergenceEstimate,
    SmallSampleWarning,
    estimate_divergence,
)
from sklearn_tabbias.metrics.prediction import ColumnPrediction, column_prediction
from sklearn_tabbias.metrics.privacy import PrivacyResult, PrivacyScorer, privacy
from sklearn_tabbias.metrics.scorers import (
    ColumnPredictionScorer,
    DetectionScorer,
    DivergenceScorer,
    UtilityScorer,
)
from sklearn_tabbias.metrics.utility import UtilityResult, utility

__all__ = [
    "ColumnPrediction",
    "ColumnPredictionScorer",
    "CrossFitDivergence",
    "DetectionEstimate",
    "DetectionScorer",
    "DivergenceEstimate",
    "DivergenceScorer",
    "PrivacyResult",
    "PrivacyScorer",
    "SmallSampleWarning",
    "UtilityResult",
    "UtilityScorer",
    "column_prediction",
    "crossfit_divergence",
    "estimate_detection",
    "estimate_divergence",
    "privacy",
    "utility",
]
