"""Privacy of a synthetic table: copies of, or rows hugging, the training rows.

Two checks, both against a *holdout* of real rows the synthesizer never saw:

* **Distance to closest record (DCR).** For each synthetic row, the distance to
  its nearest training row; the same for each holdout row. A synthesizer that
  generalises puts its rows no closer to the training rows than fresh real rows
  are, so the ratio of the medians is about 1; well below 1 means it memorised.
* **Exact copies.** The share of synthetic rows equal to a training row, next to
  the same share for holdout rows (real tables have duplicates of their own).

Distances use the shared feature encoding of the divergence estimate, fitted on
the training rows: standardised numbers (plus NaN indicators) and one-hot
categories, Euclidean.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from sklearn_tabbias._validation import as_frame
from sklearn_tabbias.metrics._features import make_feature_encoder, to_frame_like

__all__ = ["PrivacyResult", "PrivacyScorer", "privacy"]


@dataclass
class PrivacyResult:
    """Distances to the closest training record and exact-copy rates.

    Attributes
    ----------
    dcr_synthetic, dcr_holdout : float
        Median distance from a synthetic (holdout) row to its nearest training
        row.
    dcr_ratio : float
        ``dcr_synthetic / dcr_holdout``: about 1 when the synthetic rows are no
        closer to the training rows than unseen real rows; below 1 suggests
        memorisation. ``inf`` when ``dcr_holdout`` is 0 and ``dcr_synthetic``
        is not.
    close_rate : float
        Share of synthetic rows closer to the training rows than 95% of the
        holdout rows are (about 0.05 when nothing is memorised).
    exact_copy_rate, holdout_copy_rate : float
        Share of synthetic (holdout) rows identical to a training row.
    n_synthetic, n_train, n_holdout : int
        Rows compared.
    """

    dcr_synthetic: float
    dcr_holdout: float
    dcr_ratio: float
    close_rate: float
    exact_copy_rate: float
    holdout_copy_rate: float
    n_synthetic: int
    n_train: int
    n_holdout: int

    def __str__(self):
        return (
            f"DCR ratio {self.dcr_ratio:.3f} (median distance to the closest "
            f"training row: synthetic {self.dcr_synthetic:.3f}, holdout "
            f"{self.dcr_holdout:.3f}); {self.close_rate:.1%} of synthetic rows "
            f"closer than 95% of holdout rows; exact copies of training rows: "
            f"synthetic {self.exact_copy_rate:.2%}, holdout "
            f"{self.holdout_copy_rate:.2%} ({self.n_synthetic} synthetic, "
            f"{self.n_train} training, {self.n_holdout} holdout rows)"
        )


def privacy(synthetic, train, holdout, n_jobs=None):
    """Distance-to-closest-record ratio and exact-copy rates of a synthetic table.

    Parameters
    ----------
    synthetic : DataFrame or array-like
        Synthetic rows.
    train : DataFrame or array-like
        The real rows the synthesizer was fitted on.
    holdout : DataFrame or array-like
        Real rows it never saw, from the same source (the reference).
    n_jobs : int, default=None
        Threads of the nearest-neighbour search.

    Returns
    -------
    result : PrivacyResult

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_tabbias.metrics import privacy
    >>> rng = np.random.default_rng(0)
    >>> x, c = rng.normal(size=400), rng.choice(list("ab"), 400)
    >>> real = pd.DataFrame({"x": x, "c": c})
    >>> train, holdout = real[:200], real[200:]
    >>> copies = privacy(train.sample(100, random_state=0), train, holdout)
    >>> copies.exact_copy_rate, copies.dcr_ratio
    (1.0, 0.0)
    """
    train = as_frame(train)
    synthetic = to_frame_like(synthetic, train)
    holdout = to_frame_like(holdout, train)
    encode = make_feature_encoder(train)
    neighbours = NearestNeighbors(n_neighbors=1, n_jobs=n_jobs).fit(encode(train))
    dcr_synth = neighbours.kneighbors(encode(synthetic))[0][:, 0]
    dcr_hold = neighbours.kneighbors(encode(holdout))[0][:, 0]
    median_synth, median_hold = float(np.median(dcr_synth)), float(np.median(dcr_hold))
    if median_hold > 0:
        ratio = median_synth / median_hold
    else:
        ratio = 1.0 if median_synth == 0 else float("inf")
    threshold = np.quantile(dcr_hold, 0.05)
    keys = set(_row_keys(train))
    return PrivacyResult(
        dcr_synthetic=median_synth,
        dcr_holdout=median_hold,
        dcr_ratio=ratio,
        close_rate=float(np.mean(dcr_synth < threshold)),
        exact_copy_rate=float(np.mean([k in keys for k in _row_keys(synthetic)])),
        holdout_copy_rate=float(np.mean([k in keys for k in _row_keys(holdout)])),
        n_synthetic=len(synthetic),
        n_train=len(train),
        n_holdout=len(holdout),
    )


def _row_keys(frame):
    """One hash per row from its values as text (NaN equals NaN)."""
    text = frame.astype(object).where(frame.notna(), "<NA>").astype(str)
    return pd.util.hash_pandas_object(text, index=False).to_numpy()


class PrivacyScorer:
    """Scorer for a synthesizer fitted on known training rows: greater is better.

    ``scorer(estimator, X)`` samples ``len(X)`` rows and compares them with
    ``train`` using ``X`` as the holdout. Use it on a model fitted on ``train``
    (not inside a cross-validation, whose training folds differ).

    Parameters
    ----------
    train : DataFrame
        The rows the synthesizer was fitted on.
    metric : {"dcr_ratio", "exact_copy_rate"}, default="dcr_ratio"
        ``"dcr_ratio"`` is returned as is (about 1 is good, lower is worse);
        ``"exact_copy_rate"`` negated.
    n_samples : int, default=None
        Synthetic rows; None draws as many as ``X`` has.
    random_state : int, default=0
        Seed of the sample.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.metrics import PrivacyScorer
    >>> X = load_iris(as_frame=True).frame.sample(frac=1, random_state=0)
    >>> train, holdout = X[:100], X[100:]
    >>> gen = BiasedVAESynthesizer(n_seeds=2, max_epochs=30, random_state=0)
    >>> score = PrivacyScorer(train)(gen.fit(train), holdout)
    >>> bool(score > 0)
    True
    """

    def __init__(self, train, metric="dcr_ratio", n_samples=None, random_state=0):
        if metric not in ("dcr_ratio", "exact_copy_rate"):
            raise ValueError(
                f"metric must be 'dcr_ratio' or 'exact_copy_rate', got {metric!r}."
            )
        self.train = train
        self.metric = metric
        self.n_samples = n_samples
        self.random_state = random_state

    def __call__(self, estimator, X, y=None):
        """Sample, compare with ``train`` (``X`` the holdout), return the score."""
        n_samples = len(X) if self.n_samples is None else self.n_samples
        sample = estimator.sample(n_samples, random_state=self.random_state)
        result = privacy(sample, self.train, X)
        if self.metric == "exact_copy_rate":
            return -result.exact_copy_rate
        return result.dcr_ratio

    def __repr__(self):
        return (
            f"PrivacyScorer(metric={self.metric!r}, n_samples={self.n_samples!r}, "
            f"random_state={self.random_state!r})"
        )
