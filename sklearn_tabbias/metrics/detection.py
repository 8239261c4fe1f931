"""Detection: how well a classifier tells real rows from synthetic ones.

A classifier two-sample test, the detection metric of SDMetrics and synthcity:
real rows (class 1) and as many synthetic rows (class 0) are split into
stratified folds; a gradient-boosting classifier with native categorical
support is trained on all but one fold and scores the held-out fold. The ROC
AUC over the held-out predictions is 0.5 when the tables cannot be told apart
and 1.0 when every row is recognised. Every real row is used, each one scored
by a classifier that did not see it (cross-fitting), so small real tables give
as precise an answer as they can.
"""

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy import stats
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import check_random_state

from sklearn_tabbias._validation import MAX_SEED, as_frame
from sklearn_tabbias.metrics._classifier import check_classifier
from sklearn_tabbias.metrics._features import (
    make_feature_encoder,
    native_mask,
    to_frame_like,
)

__all__ = ["DetectionEstimate", "estimate_detection"]


@dataclass
class DetectionEstimate:
    """Cross-validated ROC AUC of a real-vs-synthetic classifier.

    Attributes
    ----------
    auc : ndarray of shape (n_splits,)
        ROC AUC on each held-out fold (0.5: indistinguishable).
    n_real, n_synthetic : int
        Rows of each table used.
    classifier : str
        The classifier, as its repr.
    confidence : float
        Level of :meth:`interval`.
    """

    auc: np.ndarray
    n_real: int
    n_synthetic: int
    classifier: str
    confidence: float = 0.95

    @property
    def mean(self):
        """Mean ROC AUC over the folds."""
        return float(np.mean(self.auc))

    @property
    def std(self):
        """Standard deviation of the fold AUCs."""
        return float(np.std(self.auc, ddof=1)) if len(self.auc) > 1 else 0.0

    @property
    def se(self):
        """Standard error of the mean AUC (the folds' spread over their number)."""
        return self.std / np.sqrt(len(self.auc))

    def interval(self):
        """Student-t confidence interval of the mean AUC over the folds."""
        if len(self.auc) < 2:
            return (np.nan, np.nan)
        half = stats.t.ppf((1 + self.confidence) / 2, len(self.auc) - 1)
        half *= stats.sem(self.auc)
        return (self.mean - float(half), self.mean + float(half))

    def __str__(self):
        low, high = self.interval()
        return (
            f"detection AUC = {self.mean:.3f} ± {self.std:.3f} "
            f"({self.confidence:.0%} CI {low:.3f}–{high:.3f}) over {len(self.auc)} "
            f"folds; {self.n_real} real and {self.n_synthetic} synthetic rows, "
            f"classifier={self.classifier}"
        )


def _default_detector(categorical_mask, random_state):
    """Gradient boosting with native categorical splits (the default detector)."""
    return HistGradientBoostingClassifier(
        categorical_features=categorical_mask, random_state=random_state
    )


def estimate_detection(
    real,
    synthetic,
    *,
    n_splits=5,
    classifier=None,
    random_state=None,
):
    """Estimate how well a classifier tells real rows from synthetic rows.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like
        Tables with the same columns (raw: strings, categories, NaN are fine).
        As many synthetic rows as real rows are drawn (all of them when the
        synthetic table is smaller).
    n_splits : int, default=5
        Stratified folds; each row is scored by a classifier trained on the
        other folds.
    classifier : classifier with predict_proba, default=None
        None: ``HistGradientBoostingClassifier`` with native categorical
        support on integer category codes. Another classifier is cloned and
        gets the same features (category codes, then the numbers with NaN).
    random_state : int, RandomState instance or None, default=None
        Seeds the draw of synthetic rows, the folds and the classifier.

    Returns
    -------
    estimate : DetectionEstimate
        The ROC AUC of each fold.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_tabbias.metrics import estimate_detection
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(500, 2))
    >>> same = estimate_detection(real, rng.normal(size=(500, 2)), random_state=0)
    >>> shifted = estimate_detection(real, rng.normal(1, 1, (500, 2)), random_state=0)
    >>> bool(same.mean < 0.6 < shifted.mean)
    True
    """
    real = as_frame(real)
    synthetic = to_frame_like(synthetic, real)
    if not isinstance(n_splits, Integral) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}.")
    if classifier is not None:
        check_classifier(classifier, "classifier")
    n_synth = min(len(real), len(synthetic))
    if n_synth < n_splits:
        raise ValueError(
            f"The real table has {len(real)} rows and the synthetic one "
            f"{len(synthetic)}: too few for n_splits={n_splits} folds; pass more "
            "rows or a smaller n_splits."
        )
    rng = check_random_state(random_state)
    synthetic = synthetic.iloc[rng.permutation(len(synthetic))[:n_synth]]
    encode = make_feature_encoder(real, "native")
    X = np.vstack([encode(real), encode(synthetic)])
    y = np.r_[np.ones(len(real)), np.zeros(n_synth)]
    seed = int(rng.randint(MAX_SEED))
    if classifier is None:
        classifier = _default_detector(native_mask(real), seed)
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    auc = [
        _fold_auc(classifier, X, y, train, test) for train, test in folds.split(X, y)
    ]
    return DetectionEstimate(
        auc=np.asarray(auc),
        n_real=len(real),
        n_synthetic=n_synth,
        classifier=repr(classifier),
    )


def _fold_auc(classifier, X, y, train, test):
    model = clone(classifier).fit(X[train], y[train])
    column = list(model.classes_).index(1)
    return float(roc_auc_score(y[test], model.predict_proba(X[test])[:, column]))
