"""Column prediction: every column predicted from the others, trained on synthetic rows.

The dimension-wise prediction of medGAN (Choi et al., 2017), with gradient
boosting: for each column of the table, a model trained on the synthetic rows
predicts that column from all the others on the real rows. Categorical columns
are scored by accuracy, numeric ones by R² on the real column's quantile scale
(1 - MSE / variance after mapping values to their mid-ranks among the real
values, so heavy tails and outliers cannot dominate). The mean over the
columns measures how much of the dependence between columns the synthetic rows
carry: a sample with good marginals but independent columns predicts nothing
(R² near 0, majority-class accuracy). Each real row takes part in every
column's score, so a fold of 60 rows gives as many predictions as it has
cells, which is why this estimate ranks synthesizers on small folds where a
real-vs-synthetic discriminator sees only noise.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.utils import check_random_state

from sklearn_tabbias._validation import MAX_SEED, as_frame, as_labels
from sklearn_tabbias.metrics._features import (
    categorical_columns,
    make_feature_encoder,
    native_mask,
    to_frame_like,
)

__all__ = ["ColumnPrediction", "column_prediction"]

#: Boosting iterations of the default models (enough for a few thousand rows).
MAX_ITER = 50


@dataclass
class ColumnPrediction:
    """How well models trained on synthetic rows predict each real column.

    Attributes
    ----------
    columns : list of str
        The predicted columns (constant real columns are left out).
    tasks : list of {"classification", "regression"}
        The task of each column.
    scores : ndarray of shape (n_columns,)
        Accuracy (classification) or R² on the real column's quantile scale
        (regression) of each column.
    row_scores : ndarray of shape (n_real,)
        Each real row's share of the mean (its mean over the columns of a hit or
        of ``1 - error² / variance``); their mean is :attr:`mean`.
    n_synthetic : int
        Synthetic rows the models were trained on.
    confidence : float
        Level of :meth:`interval`.
    """

    columns: list
    tasks: list
    scores: np.ndarray
    row_scores: np.ndarray
    n_synthetic: int
    confidence: float = 0.95

    @property
    def mean(self):
        """Mean score over the columns (1 is perfect; 0 predicts like a constant)."""
        return float(np.mean(self.scores))

    @property
    def se(self):
        """Standard error of :attr:`mean` over the real rows."""
        n = len(self.row_scores)
        return float(np.std(self.row_scores, ddof=1) / np.sqrt(n)) if n > 1 else 0.0

    def interval(self):
        """Normal confidence interval of :attr:`mean`."""
        half = stats.norm.ppf((1 + self.confidence) / 2) * self.se
        return (self.mean - half, self.mean + half)

    def __str__(self):
        low, high = self.interval()
        return (
            f"column prediction = {self.mean:.3f} ± {self.se:.3f} "
            f"({self.confidence:.0%} CI {low:.3f}–{high:.3f}) over "
            f"{len(self.columns)} columns and {len(self.row_scores)} real rows; "
            f"models trained on {self.n_synthetic} synthetic rows"
        )


def column_prediction(
    synthetic, real, *, classifier=None, regressor=None, random_state=None
):
    """Predict every real column from the others with models trained on synthetic rows.

    Parameters
    ----------
    synthetic : DataFrame or array-like
        Synthetic rows (the training rows of the models).
    real : DataFrame or array-like
        Real rows with the same columns (never used for training). Columns that
        are constant in ``real`` are left out; non-numeric and bool columns are
        classes, the others numbers.
    classifier, regressor : estimator, default=None
        Cloned for each column. None: histogram gradient boosting (50
        iterations) with native categorical splits. Features are category
        codes first, then the numbers with NaN.
    random_state : int, RandomState instance or None, default=None
        Seeds the default models.

    Returns
    -------
    result : ColumnPrediction
        Per-column scores, their mean and its standard error.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn_tabbias.metrics import column_prediction
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=600)
    >>> real = pd.DataFrame({"x": x[:300], "y": 2 * x[:300]})
    >>> linked = pd.DataFrame({"x": x[300:], "y": 2 * x[300:]})
    >>> independent = pd.DataFrame({"x": x[300:], "y": 2 * rng.permutation(x[300:])})
    >>> good = column_prediction(linked, real, random_state=0).mean
    >>> bad = column_prediction(independent, real, random_state=0).mean
    >>> bool(bad < 0.1 < 0.9 < good)
    True
    """
    real = as_frame(real)
    synthetic = to_frame_like(synthetic, real)
    _check_model(classifier, "classifier", is_classifier)
    _check_model(regressor, "regressor", is_regressor)
    seed = int(check_random_state(random_state).randint(MAX_SEED))
    categorical = set(categorical_columns(real))
    columns = [name for name in real.columns if real[name].nunique() > 1]
    if not columns:
        raise ValueError(
            "Every column of the real table is constant: nothing to predict."
        )
    shares = np.zeros((len(real), len(columns)))
    tasks, scores = [], []
    for j, name in enumerate(columns):
        task = "classification" if name in categorical else "regression"
        model = classifier if task == "classification" else regressor
        hits = _column_shares(synthetic, real, name, task, model, seed)
        present = ~np.isnan(hits)
        shares[present, j] = hits[present] / present.mean()
        tasks.append(task)
        scores.append(float(np.mean(hits[present])))
    return ColumnPrediction(
        columns=columns,
        tasks=tasks,
        scores=np.asarray(scores),
        row_scores=shares.mean(axis=1),
        n_synthetic=len(synthetic),
    )


def _check_model(model, name, kind):
    if model is not None and not kind(model):
        raise TypeError(
            f"{name} must be a scikit-learn {name} (or None), got "
            f"{type(model).__name__}."
        )


def _column_shares(synthetic, real, name, task, model, seed):
    """Each real row's hit (classes) or ``1 - error² / variance`` (numbers).

    NaN where a real row has no value of a numeric column.
    """
    features = real.drop(columns=[name])
    encode = make_feature_encoder(features, "native")
    if task == "classification":
        y_train, y_real = as_labels(synthetic[name]), as_labels(real[name]).to_numpy()
        keep = np.ones(len(synthetic), dtype=bool)
    else:
        to_quantiles = quantile_scale(real[name].to_numpy(float))
        y_train = to_quantiles(synthetic[name].to_numpy(float))
        y_real = to_quantiles(real[name].to_numpy(float))
        keep = ~np.isnan(y_train)
    if model is None:
        model = _default_model(task, native_mask(features), seed)
    if task == "classification" and y_train.nunique() < 2:
        model = DummyClassifier(strategy="most_frequent")
    if keep.any():
        X_train = encode(synthetic.drop(columns=[name])[keep])
        # a feature without synthetic values carries nothing (and breaks binning)
        X_train[:, np.isnan(X_train).all(axis=0)] = 0.0
        fitted = clone(model).fit(X_train, np.asarray(y_train)[keep])
        predicted = fitted.predict(encode(features))
    else:  # a sample without values of the column predicts the real median
        predicted = np.full(len(real), 0.5)
    if task == "classification":
        return (predicted == y_real).astype(float)
    error = (y_real - predicted) ** 2 / np.nanvar(y_real)
    return 1.0 - error  # NaN where the real row has no value


def quantile_scale(values):
    """Map numbers to the real column's quantiles (mid-ranks in (0, 1)).

    Ties share their mean rank; values between two real values are
    interpolated, values outside the real range clamp to its ends, NaN stays
    NaN. On this scale a heavy tail (a few incomes of 99,999 among zeros)
    cannot dominate a squared error.
    """
    present = values[~np.isnan(values)]
    levels, counts = np.unique(present, return_counts=True)
    below = np.cumsum(counts) - counts  # values under each level
    quantiles = (below + counts / 2) / len(present)  # mid-rank - 1/2, over n
    return lambda x: np.interp(x, levels, quantiles)


def _default_model(task, categorical_mask, seed):
    model = (
        HistGradientBoostingClassifier
        if task == "classification"
        else HistGradientBoostingRegressor
    )
    return model(
        max_iter=MAX_ITER, categorical_features=categorical_mask, random_state=seed
    )
