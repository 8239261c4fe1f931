"""Divergences between real and synthetic tables, estimated with a discriminator.

The method of the paper's ref. [26]: a classifier learns to tell ``n_train``
real rows (class 1) from as many synthetic rows (class 0); on ``n_eval`` fresh
rows of each, its probabilities give the density ratio, hence

* KL(real ‖ synthetic) in nats = mean logit of the real rows;
* JS in bits = ½ (2 + mean log₂ D(real) + mean log₂ (1 − D(synthetic))).

Both are lower bounds whose size grows with the classifier's strength and
depends on the feature encoding, so every estimate states both.
"""

import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from joblib import delayed
from scipy import stats
from sklearn.utils import check_random_state

from sklearn_tabbias._parallel import Parallel
from sklearn_tabbias._validation import MAX_SEED, as_frame
from sklearn_tabbias.metrics._classifier import (
    check_classifier,
    check_divergence,
    describe_divergences,
    fit_seeded,
    prob_real,
)
from sklearn_tabbias.metrics._features import make_feature_encoder, to_frame_like
from sklearn_tabbias.nn.discriminator import MLPDiscriminator

__all__ = ["DivergenceEstimate", "SmallSampleWarning", "estimate_divergence"]

#: Below these sizes the paper's App. A finds estimates unreliable.
RELIABLE_N_TRAIN, RELIABLE_N_EVAL = 1000, 500


class SmallSampleWarning(UserWarning):
    """The estimate uses too few rows to be reliable (paper App. A)."""


@dataclass
class DivergenceEstimate:
    """JS and KL estimates over independent repeats, with their setting.

    Attributes
    ----------
    js : ndarray of shape (n_repeats,)
        Jensen–Shannon divergence in bits, one value per repeat.
    kl : ndarray of shape (n_repeats,)
        KL(real ‖ synthetic) in nats, one value per repeat.
    n_train, n_eval : int
        Rows of each table used to train (M) and to evaluate (L).
    encoding : str
        Feature encoding.
    discriminator : str
        The classifier, as its repr.
    confidence : float
        Level of the intervals of :meth:`interval`.
    """

    js: np.ndarray
    kl: np.ndarray
    n_train: int
    n_eval: int
    encoding: str
    discriminator: str
    confidence: float = 0.95

    def mean(self, divergence="js"):
        """Mean over repeats."""
        return float(np.mean(self._values(divergence)))

    def std(self, divergence="js"):
        """Standard deviation over repeats (0 for one repeat)."""
        values = self._values(divergence)
        return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0

    def interval(self, divergence="js"):
        """Student-t confidence interval of the mean (NaN-wide for one repeat)."""
        values = self._values(divergence)
        if len(values) < 2:
            return (np.nan, np.nan)
        half = stats.t.ppf((1 + self.confidence) / 2, len(values) - 1) * stats.sem(
            values
        )
        return (float(values.mean() - half), float(values.mean() + half))

    def _values(self, divergence):
        return np.asarray(getattr(self, check_divergence(divergence)))

    def __str__(self):
        return (
            describe_divergences(self, self.std)
            + f" over {len(self.js)} repeats; M={self.n_train}, L={self.n_eval}, "
            f"encoding={self.encoding!r}, discriminator={self.discriminator}"
        )


def estimate_divergence(
    real,
    synthetic,
    *,
    n_train=None,
    n_eval=None,
    n_repeats=5,
    encoding="onehot",
    discriminator=None,
    random_state=None,
    n_jobs=None,
):
    """Estimate JS and KL divergences between a real and a synthetic table.

    Each repeat draws ``n_train + n_eval`` fresh rows of each table (without
    replacement), trains a clone of ``discriminator`` on ``n_train`` real vs
    ``n_train`` synthetic rows and evaluates it on the other ``n_eval`` of each.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like
        Tables with the same columns (raw: strings, categories, NaN are fine).
    n_train : int, default=None
        Rows of each table to train the discriminator on (M). None: 80% of the
        smaller table.
    n_eval : int, default=None
        Rows of each table to evaluate on (L). None: the rest of the smaller
        table.
    n_repeats : int, default=5
        Independent repeats (fresh rows, fresh discriminator).
    encoding : {"onehot", "ordinal"}, default="onehot"
        Feature encoding, fitted on the real rows (see
        :func:`~sklearn_tabbias.metrics._features.make_feature_encoder`).
        "ordinal" is the paper authors' setting.
    discriminator : classifier with predict_proba, default=None
        Any scikit-learn classifier; None uses the paper's MLP
        (:class:`~sklearn_tabbias.nn.discriminator.MLPDiscriminator`).
        ``HistGradientBoostingClassifier`` is a fast, strong alternative.
    random_state : int, RandomState instance or None, default=None
        Seeds the row draws and the discriminators.
    n_jobs : int, default=None
        Repeats run in parallel with joblib.

    Returns
    -------
    estimate : DivergenceEstimate
        Per-repeat JS and KL with their setting.

    Warns
    -----
    SmallSampleWarning
        When ``n_train`` < 1000 or ``n_eval`` < 500 (unreliable; paper App. A).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklearn_tabbias.metrics import estimate_divergence
    >>> rng = np.random.default_rng(0)
    >>> real, shifted = rng.normal(size=(3000, 2)), rng.normal(1, 1, (3000, 2))
    >>> est = estimate_divergence(real, shifted, n_repeats=2, random_state=0,
    ...                           discriminator=HistGradientBoostingClassifier())
    >>> 0.2 < est.mean("js") < 0.6
    True
    """
    real = as_frame(real)
    synthetic = to_frame_like(synthetic, real)
    n_train, n_eval = _check_sizes(len(real), len(synthetic), n_train, n_eval)
    if not isinstance(n_repeats, Integral) or n_repeats < 1:
        raise ValueError(f"n_repeats must be a positive integer, got {n_repeats!r}.")
    encode = make_feature_encoder(real, encoding)
    X_real, X_synth = encode(real), encode(synthetic)
    discriminator = check_classifier(
        MLPDiscriminator() if discriminator is None else discriminator, "discriminator"
    )
    rng = check_random_state(random_state)
    seeds = rng.randint(MAX_SEED, size=n_repeats)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_one_repeat)(X_real, X_synth, n_train, n_eval, discriminator, seed)
        for seed in seeds
    )
    js, kl = np.asarray(results).T
    return DivergenceEstimate(
        js=js,
        kl=kl,
        n_train=n_train,
        n_eval=n_eval,
        encoding=encoding,
        discriminator=repr(discriminator),
    )


def _check_sizes(n_real, n_synth, n_train, n_eval):
    available = min(n_real, n_synth)
    if n_train is None and n_eval is None:
        n_eval = max(available // 5, 1)
        n_train = available - n_eval
    elif n_train is None:
        n_train = available - n_eval
    elif n_eval is None:
        n_eval = available - n_train
    for name, value in (("n_train", n_train), ("n_eval", n_eval)):
        if not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if n_train < 4 or n_train + n_eval > available:
        raise ValueError(
            f"The real table has {n_real} rows and the synthetic one {n_synth}: too "
            f"few to split into n_train={n_train} (at least 4) and n_eval={n_eval} "
            "fresh rows of each. Pass more rows or smaller n_train / n_eval."
        )
    if n_train < RELIABLE_N_TRAIN or n_eval < RELIABLE_N_EVAL:
        warnings.warn(
            f"Divergence estimated from n_train={n_train} and n_eval={n_eval} rows "
            f"per table; below {RELIABLE_N_TRAIN} and {RELIABLE_N_EVAL} the estimate "
            "is unreliable (paper App. A): compare settings, not absolute values.",
            SmallSampleWarning,
            stacklevel=3,
        )
    return int(n_train), int(n_eval)


def _one_repeat(X_real, X_synth, n_train, n_eval, discriminator, seed):
    rng = np.random.RandomState(seed)
    real_rows = rng.permutation(len(X_real))[: n_train + n_eval]
    synth_rows = rng.permutation(len(X_synth))[: n_train + n_eval]
    X = np.vstack([X_real[real_rows[:n_train]], X_synth[synth_rows[:n_train]]])
    y = np.r_[np.ones(n_train), np.zeros(n_train)]
    model = fit_seeded(discriminator, X, y, rng)
    p_real = prob_real(model, X_real[real_rows[n_train:]])
    p_synth = prob_real(model, X_synth[synth_rows[n_train:]])
    kl = float(np.mean(np.log(p_real) - np.log1p(-p_real)))
    js = 0.5 * (2 + np.mean(np.log2(p_real)) + np.mean(np.log2(1 - p_synth)))
    return float(js), kl
