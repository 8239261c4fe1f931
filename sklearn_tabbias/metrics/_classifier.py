"""Helpers shared by the discriminator-based estimators."""

import numpy as np
from sklearn.base import clone

from sklearn_tabbias._validation import MAX_SEED

#: Probabilities are clipped to [EPS, 1 - EPS] before taking logs.
EPS = 1e-7


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
