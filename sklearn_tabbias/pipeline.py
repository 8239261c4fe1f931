"""A Pipeline that can sample: sklearn's Pipeline plus ``sample(n_samples)``."""

import numpy as np
import pandas as pd
from sklearn import pipeline as sk_pipeline
from sklearn.utils.metaestimators import available_if

__all__ = ["Pipeline", "make_pipeline"]


def _final_step_samples(self):
    return hasattr(self._final_estimator, "sample")


class Pipeline(sk_pipeline.Pipeline):
    """scikit-learn's Pipeline whose last step may be a synthesizer.

    ``sample(n_samples)`` draws rows from the last step and passes them back
    through ``inverse_transform`` of the earlier steps, last to first, so the
    sample lives in the space of the data given to ``fit``, with its dtypes:
    integer columns (and float columns that held whole numbers only) come back
    rounded. Everything else is :class:`sklearn.pipeline.Pipeline`.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import QuantileTransformer
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.pipeline import make_pipeline
    >>> X = load_iris().data
    >>> pipe = make_pipeline(
    ...     QuantileTransformer(n_quantiles=50),
    ...     BiasedVAESynthesizer(n_seeds=2, max_epochs=20, random_state=0),
    ... ).fit(X)
    >>> pipe.sample(5).shape
    (5, 4)
    """

    def fit(self, X, y=None, **params):
        """Fit the steps (sklearn's ``fit``) and remember the input's columns."""
        super().fit(X, y, **params)
        self._whole_columns = _whole_columns(X)
        self._input_dtypes = X.dtypes if isinstance(X, pd.DataFrame) else None
        return self

    @available_if(_final_step_samples)
    def sample(self, n_samples, random_state=None, return_y=False):
        """Sample from the last step and invert the earlier steps.

        Parameters
        ----------
        n_samples : int
            Number of rows.
        random_state : int, RandomState instance or None, default=None
            Passed to the last step's ``sample``.
        return_y : bool, default=False
            Also return the synthetic target (the pipeline was fitted with a
            ``y``, which the synthesizer models as a column).

        Returns
        -------
        X_synthetic : DataFrame or ndarray of shape (n_samples, n_features)
            Rows in the space of the data given to ``fit``; a DataFrame with
            its column names when ``fit`` got a DataFrame.
        y_synthetic : Series or ndarray of shape (n_samples,)
            Only with ``return_y``: the target of each row.

        Raises
        ------
        TypeError
            If an earlier step has no ``inverse_transform``.
        """
        steps = [
            (name, step)
            for _, name, step in self._iter(with_final=False, filter_passthrough=True)
        ]
        for name, step in steps:
            if not hasattr(step, "inverse_transform"):
                raise TypeError(
                    f"Step {name!r} ({type(step).__name__}) has no inverse_transform, "
                    "so samples cannot be mapped back to the input space; use "
                    "invertible steps before the synthesizer."
                )
        rows = self._final_estimator.sample(
            n_samples, random_state=random_state, return_y=return_y
        )
        rows, y = rows if return_y else (rows, None)
        for _, step in reversed(steps):
            rows = step.inverse_transform(rows)
        names = getattr(self, "feature_names_in_", None)
        if names is not None and not isinstance(rows, pd.DataFrame):
            rows = pd.DataFrame(rows, columns=names)  # fitted on a DataFrame
        rows = self._like_input(rows)
        return (rows, y) if return_y else rows

    def _like_input(self, rows):
        """Whole-number columns rounded, a DataFrame's dtypes restored."""
        whole = getattr(self, "_whole_columns", None)
        if whole is None or not whole.any():
            return rows
        if isinstance(rows, pd.DataFrame):
            rows = rows.copy()
            pairs = zip(rows.columns[whole], self._input_dtypes[whole], strict=True)
            for name, dtype in pairs:
                rows[name] = np.round(rows[name].astype(float)).astype(dtype)
            return rows
        rows = np.array(rows, dtype=float)
        rows[:, whole] = np.round(rows[:, whole])
        return rows


def _whole_columns(X):
    """Which numeric columns of ``X`` hold whole numbers only (NaN aside)."""
    frame = pd.DataFrame(X)
    whole = []
    for _, column in frame.items():
        numeric = pd.api.types.is_numeric_dtype(column) and not (
            pd.api.types.is_bool_dtype(column)
        )
        values = column.dropna().to_numpy(dtype=float) if numeric else None
        whole.append(numeric and bool(np.all(np.mod(values, 1) == 0)))
    return np.array(whole, dtype=bool)


def make_pipeline(*steps, memory=None, verbose=False):
    """Build a :class:`Pipeline` with step names derived from the estimators.

    Parameters
    ----------
    *steps : estimators
        The steps; the last may be a synthesizer.
    memory : str or object with the joblib.Memory interface, default=None
        Caches fitted transformers.
    verbose : bool, default=False
        Print the time of each step.

    Returns
    -------
    pipeline : Pipeline
        The pipeline.

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.pipeline import make_pipeline
    >>> make_pipeline(StandardScaler(), BiasedVAESynthesizer()).steps[0][0]
    'standardscaler'
    """
    named = sk_pipeline.make_pipeline(*steps).steps
    return Pipeline(named, memory=memory, verbose=verbose)
