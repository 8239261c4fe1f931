"""Utility of synthetic rows: train on synthetic, test on real (paper §3.2)."""

from dataclasses import dataclass

from sklearn.base import clone, is_classifier
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LinearRegression
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.neural_network import MLPClassifier

from sklearn_tabbias._validation import as_frame, as_labels
from sklearn_tabbias.codecs import is_categorical
from sklearn_tabbias.metrics._features import make_feature_encoder, to_frame_like

__all__ = ["UtilityResult", "infer_task", "utility"]

#: Named models: (classifier, regressor) factories.
MODELS = {
    "hgb": (
        lambda seed: HistGradientBoostingClassifier(random_state=seed),
        lambda seed: HistGradientBoostingRegressor(random_state=seed),
    ),
    "paper": (
        lambda seed: MLPClassifier(
            hidden_layer_sizes=(256, 64, 32),
            early_stopping=True,
            max_iter=500,
            random_state=seed,
        ),
        lambda seed: LinearRegression(),
    ),
}

#: Integer targets with at most this many distinct values are classes.
MAX_CLASSES = 30


@dataclass
class UtilityResult:
    """Train-on-synthetic-test-on-real score next to the train-on-real reference.

    Attributes
    ----------
    task : {"classification", "regression"}
        The task.
    metric : {"accuracy", "mse"}
        Accuracy (higher is better) or mean squared error (lower is better).
    synthetic : float
        The metric of the model trained on synthetic rows, on the real test rows.
    real : float or None
        The metric of the same model trained on the real training rows, if given.
    model : str
        The model, as its repr.
    """

    task: str
    metric: str
    synthetic: float
    real: float | None
    model: str

    def __str__(self):
        real = "n/a" if self.real is None else f"{self.real:.4g}"
        return (
            f"{self.metric}: synthetic {self.synthetic:.4g}, real {real} "
            f"({self.task}, model {self.model})"
        )


def infer_task(target):
    """Classify a target column: a classification or a regression task.

    Non-numeric, bool and integer targets with at most ``MAX_CLASSES`` values
    are classes; everything else is regression.

    Parameters
    ----------
    target : Series
        The target column.

    Returns
    -------
    task : {"classification", "regression"}
    """
    if is_categorical(target, MAX_CLASSES):
        return "classification"
    return "regression"


def utility(
    synthetic,
    real_test,
    target,
    *,
    real_train=None,
    model="hgb",
    task=None,
    random_state=0,
):
    """Score a model trained on synthetic rows on real rows.

    Parameters
    ----------
    synthetic : DataFrame or array-like
        Synthetic rows, target included.
    real_test : DataFrame or array-like
        Real rows to evaluate on (never used for training), same columns.
    target : str or int
        The target column (a name, or a position for arrays).
    real_train : DataFrame or array-like, default=None
        Real training rows; when given, the same model trained on them gives
        the reference score.
    model : {"hgb", "paper"} or estimator, default="hgb"
        "hgb": histogram gradient boosting (fast, strong on tables). "paper":
        the paper's MLP 256–64–32 classifier / linear regression. An estimator
        is cloned and must fit the task.
    task : {"classification", "regression"}, default=None
        None infers it from the target of ``real_test``.
    random_state : int, default=0
        Seed of the named models.

    Returns
    -------
    result : UtilityResult
        Accuracy (classification) or MSE (regression) for the synthetic- and,
        if given, the real-trained model.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias.metrics import utility
    >>> iris = load_iris(as_frame=True).frame
    >>> result = utility(iris.sample(150, random_state=1), iris, "target")
    >>> result.metric, result.task
    ('accuracy', 'classification')
    """
    real_test = as_frame(real_test)
    if target not in real_test.columns:
        raise ValueError(
            f"target={target!r} is not a column of the table; expected one of "
            f"{list(real_test.columns)}."
        )
    task = infer_task(real_test[target]) if task is None else task
    if task not in ("classification", "regression"):
        raise ValueError(
            f"task must be 'classification' or 'regression', got {task!r}."
        )
    estimator = _model(model, task, random_state)
    encode = make_feature_encoder(real_test.drop(columns=[target]))

    def split(table):
        frame = to_frame_like(table, real_test)
        if task == "regression":  # rows without a target value teach nothing
            frame = frame[frame[target].notna()]
        return encode(frame.drop(columns=[target])), _labels(frame[target], task)

    X_test, y_test = split(real_test)

    def score(table):
        predicted = clone(estimator).fit(*split(table)).predict(X_test)
        if task == "classification":
            return float(accuracy_score(y_test, predicted))
        return float(mean_squared_error(y_test, predicted))

    return UtilityResult(
        task=task,
        metric="accuracy" if task == "classification" else "mse",
        synthetic=score(synthetic),
        real=None if real_train is None else score(real_train),
        model=repr(estimator),
    )


def _model(model, task, seed):
    if isinstance(model, str):
        if model not in MODELS:
            raise ValueError(
                f"model must be one of {sorted(MODELS)} or an estimator, got {model!r}."
            )
        classifier, regressor = MODELS[model]
        return classifier(seed) if task == "classification" else regressor(seed)
    if is_classifier(model) != (task == "classification"):
        raise ValueError(f"model {model!r} does not fit the {task} task.")
    return model


def _labels(target, task):
    if task == "classification":
        return as_labels(target)
    return target.to_numpy(dtype=float)
