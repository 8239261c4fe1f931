"""Scorers for model selection: ``scorer(estimator, X, y=None) -> float``.

They sample from a fitted synthesizer, compare the sample with the held-out
real rows ``X`` and return a value where greater is better (divergences and
MSE are negated), so they plug into ``GridSearchCV``, ``cross_val_score`` and
``cross_validate``, alone or in a multi-metric ``scoring={...}`` dict. Each
scorer seeds its own sampling and discriminators, so the same fitted
synthesizer and ``X`` always get the same score.
"""

from sklearn_tabbias._validation import as_frame
from sklearn_tabbias.metrics._classifier import check_divergence
from sklearn_tabbias.metrics.crossfit import crossfit_divergence
from sklearn_tabbias.metrics.detection import estimate_detection
from sklearn_tabbias.metrics.divergence import estimate_divergence
from sklearn_tabbias.metrics.prediction import column_prediction
from sklearn_tabbias.metrics.utility import utility

__all__ = [
    "ColumnPredictionScorer",
    "DetectionScorer",
    "DivergenceScorer",
    "UtilityScorer",
]

#: Synthetic rows ``ColumnPredictionScorer`` trains its models on by default.
PREDICTION_SAMPLES = 2000
#: Synthetic rows per real row that ``DivergenceScorer(method="crossfit")``
#: draws by default: they are free, and they train its discriminator.
CROSSFIT_SAMPLES_PER_ROW = 4


class _SamplingScorer:
    """Shared part: draw a seeded synthetic sample the size of ``X``."""

    def _sample(self, estimator, X, per_row=1):
        fitted = getattr(estimator, "feature_names_in_", None)
        columns = list(getattr(X, "columns", []))
        if fitted is not None and columns and columns != list(fitted):
            raise ValueError(
                f"{type(self).__name__}: X has the columns {columns}, but the "
                f"synthesizer was fitted on {list(fitted)}."
            )
        n_samples = per_row * len(X) if self.n_samples is None else self.n_samples
        return estimator.sample(n_samples, random_state=self.random_state)

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


class DivergenceScorer(_SamplingScorer):
    """Negative JS (bits) or KL (nats) divergence between ``X`` and a sample.

    Parameters
    ----------
    divergence : {"js", "kl"}, default="js"
        Which divergence.
    method : {"crossfit", "paper"}, default="crossfit"
        "crossfit": :func:`~sklearn_tabbias.metrics.crossfit_divergence`, every
        row of ``X`` scored out of fold against a larger sample; the score lies
        in [-1, 0] for JS and [-inf, 0] for KL. "paper": the paper's estimator
        (:func:`~sklearn_tabbias.metrics.estimate_divergence`) with ``n_train``
        and ``n_eval`` rows; on a small fold it is noisy and can be far above 0.
    n_samples : int, default=None
        Synthetic rows to draw; None draws ``CROSSFIT_SAMPLES_PER_ROW`` (4)
        times as many as ``X`` has for "crossfit", as many for "paper".
    n_splits : int, default=5
        Folds of "crossfit".
    n_train, n_eval : int, default=None
        Rows per table to train (M) and evaluate (L) the discriminator of
        "paper"; None splits the smaller table 80/20.
    n_repeats : int, default=1
        Discriminators averaged by "paper".
    encoding : {"onehot", "ordinal"}, default="onehot"
        Feature encoding.
    discriminator : classifier, default=None
        None uses the paper's MLP.
    random_state : int, default=0
        Seeds the sample and the discriminators.
    n_jobs : int, default=None
        Processes for the folds or repeats (joblib); the score does not depend
        on it.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.metrics import DivergenceScorer
    >>> X = load_iris(as_frame=True).frame
    >>> gen = BiasedVAESynthesizer(n_seeds=2, max_epochs=30, random_state=0).fit(X)
    >>> -1 <= DivergenceScorer()(gen, X) <= 0
    True
    """

    def __init__(
        self,
        divergence="js",
        *,
        method="crossfit",
        n_samples=None,
        n_splits=5,
        n_train=None,
        n_eval=None,
        n_repeats=1,
        encoding="onehot",
        discriminator=None,
        random_state=0,
        n_jobs=None,
    ):
        check_divergence(divergence)
        if method not in ("crossfit", "paper"):
            raise ValueError(f"method must be 'crossfit' or 'paper', got {method!r}.")
        self.divergence = divergence
        self.method = method
        self.n_samples = n_samples
        self.n_splits = n_splits
        self.n_train = n_train
        self.n_eval = n_eval
        self.n_repeats = n_repeats
        self.encoding = encoding
        self.discriminator = discriminator
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __call__(self, estimator, X, y=None):
        """Return minus the divergence of a fresh sample from ``X``."""
        return -self.estimate(estimator, X).mean(self.divergence)

    def estimate(self, estimator, X):
        """The divergence estimate behind the score (with its uncertainty).

        Returns
        -------
        estimate : CrossFitDivergence or DivergenceEstimate
            By ``method``.
        """
        per_row = CROSSFIT_SAMPLES_PER_ROW if self.method == "crossfit" else 1
        sample = self._sample(estimator, X, per_row)
        common = dict(
            encoding=self.encoding,
            discriminator=self.discriminator,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        )
        if self.method == "crossfit":
            return crossfit_divergence(X, sample, n_splits=self.n_splits, **common)
        return estimate_divergence(
            X,
            sample,
            n_train=self.n_train,
            n_eval=self.n_eval,
            n_repeats=self.n_repeats,
            **common,
        )


class DetectionScorer(_SamplingScorer):
    """Minus the ROC AUC of a classifier telling ``X`` from a sample.

    A classifier two-sample test (see
    :func:`~sklearn_tabbias.metrics.estimate_detection`): every real row of
    ``X`` is scored out of fold against as many synthetic rows. The score lies
    in [-1, 0]; -0.5 means the sample cannot be told from the real rows, -1
    that every row is recognised.

    Parameters
    ----------
    n_samples : int, default=None
        Synthetic rows to draw; None draws as many as ``X`` has.
    n_splits : int, default=5
        Cross-fitting folds.
    classifier : classifier with predict_proba, default=None
        None uses gradient boosting with native categorical splits.
    random_state : int, default=0
        Seeds the sample, the folds and the classifier.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.metrics import DetectionScorer
    >>> X = load_iris(as_frame=True).frame
    >>> gen = BiasedVAESynthesizer(n_seeds=2, max_epochs=30, random_state=0).fit(X)
    >>> -1 <= DetectionScorer()(gen, X) <= 0
    True
    """

    def __init__(self, *, n_samples=None, n_splits=5, classifier=None, random_state=0):
        self.n_samples = n_samples
        self.n_splits = n_splits
        self.classifier = classifier
        self.random_state = random_state

    def __call__(self, estimator, X, y=None):
        """Return minus the cross-validated ROC AUC of real vs. sample."""
        estimate = estimate_detection(
            X,
            self._sample(estimator, X),
            n_splits=self.n_splits,
            classifier=self.classifier,
            random_state=self.random_state,
        )
        return -estimate.mean


class UtilityScorer(_SamplingScorer):
    """Accuracy (or negative MSE) on ``X`` of a model trained on a sample.

    Parameters
    ----------
    target : str or int
        The target column of the table.
    model : {"hgb", "paper"} or estimator, default="hgb"
        See :func:`~sklearn_tabbias.metrics.utility`.
    task : {"classification", "regression"}, default=None
        None infers it from the target.
    n_samples : int, default=None
        Synthetic rows to train on; None draws as many as ``X`` has.
    random_state : int, default=0
        Seeds the sample and the model.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.metrics import UtilityScorer
    >>> X = load_iris(as_frame=True).frame
    >>> gen = BiasedVAESynthesizer(n_seeds=2, max_epochs=30, random_state=0).fit(X)
    >>> 0 <= UtilityScorer(target="target")(gen, X) <= 1
    True
    """

    def __init__(
        self, target, *, model="hgb", task=None, n_samples=None, random_state=0
    ):
        self.target = target
        self.model = model
        self.task = task
        self.n_samples = n_samples
        self.random_state = random_state

    def __call__(self, estimator, X, y=None):
        """Return the accuracy, or minus the MSE, on ``X``."""
        result = utility(
            self._sample(estimator, X),
            as_frame(X),
            self.target,
            model=self.model,
            task=self.task,
            random_state=self.random_state,
        )
        return result.synthetic if result.metric == "accuracy" else -result.synthetic


class ColumnPredictionScorer(_SamplingScorer):
    """Mean score of predicting each column of ``X`` from the others.

    Models trained on a sample predict every column of the held-out real rows
    from the other columns (see
    :func:`~sklearn_tabbias.metrics.column_prediction`): accuracy for
    categorical columns, R² for numeric ones, averaged over the columns. It
    rewards a synthesizer for the dependence between columns, which the
    discriminator scores cannot see on small folds; the recommended scorer for
    model selection at N <= 1,000 (see the user guide).

    Parameters
    ----------
    n_samples : int, default=2000
        Synthetic rows to train on (they are free; the score does not depend
        on the fold's size).
    classifier, regressor : estimator, default=None
        None: gradient boosting with native categorical splits.
    random_state : int, default=0
        Seeds the sample and the models.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.metrics import ColumnPredictionScorer
    >>> X = load_iris(as_frame=True).frame
    >>> gen = BiasedVAESynthesizer(n_seeds=2, max_epochs=30, random_state=0).fit(X)
    >>> ColumnPredictionScorer(n_samples=500)(gen, X) <= 1
    True
    """

    def __init__(
        self,
        *,
        n_samples=PREDICTION_SAMPLES,
        classifier=None,
        regressor=None,
        random_state=0,
    ):
        self.n_samples = n_samples
        self.classifier = classifier
        self.regressor = regressor
        self.random_state = random_state

    def __call__(self, estimator, X, y=None):
        """Return the mean column score on ``X`` (at most 1; greater is better)."""
        return self.estimate(estimator, X).mean

    def estimate(self, estimator, X):
        """The :class:`~sklearn_tabbias.metrics.ColumnPrediction` behind the score."""
        return column_prediction(
            self._sample(estimator, X),
            X,
            classifier=self.classifier,
            regressor=self.regressor,
            random_state=self.random_state,
        )
