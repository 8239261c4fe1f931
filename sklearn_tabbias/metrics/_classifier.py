"""Helpers shared by the discriminator-based estimators of divergences."""

import numpy as np
from sklearn.base import clone

from sklearn_tabbias._validation import MAX_SEED

#: Probabilities are clipped to [EPS, 1 - EPS] before taking logs.
EPS = 1e-7


def check_classifier(classifier, name):
    """``classifier`` if it has ``predict_proba``, else a TypeError naming ``name``."""
    if not hasattr(classifier, "predict_proba"):
        raise TypeError(
            f"{name} must be a classifier with predict_proba, got "
            f"{type(classifier).__name__}."
        )
    return classifier


def fit_seeded(classifier, X, y, rng):
    """A clone of ``classifier`` seeded from ``rng`` (when it takes a seed), fitted."""
    model = clone(classifier)
    if "random_state" in model.get_params():
        model.set_params(random_state=int(rng.randint(MAX_SEED)))
    return model.fit(X, y)


def prob_real(model, X):
    """The model's clipped probability that each row of ``X`` is real (class 1)."""
    column = list(model.classes_).index(1)
    return np.clip(model.predict_proba(X)[:, column], EPS, 1 - EPS)


def check_divergence(divergence):
    """``divergence`` if it is "js" or "kl"; a ValueError naming it otherwise."""
    if divergence not in ("js", "kl"):
        raise ValueError(f"divergence must be 'js' or 'kl', got {divergence!r}.")
    return divergence


def describe_divergences(estimate, spread, spread_label=""):
    """The JS and KL of an estimate with their spread and confidence intervals.

    ``spread(name)`` gives the ± value of each divergence.
    """
    parts = []
    for name, unit in (("js", "bits"), ("kl", "nats")):
        low, high = estimate.interval(name)
        parts.append(
            f"{name.upper()} = {estimate.mean(name):.3f} ± {spread(name):.3f} {unit}"
            f" ({spread_label}{estimate.confidence:.0%} CI {low:.3f}–{high:.3f})"
        )
    return "; ".join(parts)
