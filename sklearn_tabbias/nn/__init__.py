"""Torch modules only: no data handling, no device choice."""

from sklearn_tabbias.nn.vae import EnsembleVAE, TabularLikelihood

__all__ = ["EnsembleVAE", "TabularLikelihood"]
