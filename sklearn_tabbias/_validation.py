"""Turning user tables into validated DataFrames and back."""

import numbers

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype, is_object_dtype

#: Upper bound of the integer seeds drawn from a random state.
MAX_SEED = np.iinfo(np.int32).max


def as_frame(X):
    """Return ``X`` as a DataFrame with the minimal checks every table needs.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        The table. Arrays become DataFrames with integer column labels.

    Returns
    -------
    frame : DataFrame
        The table (the same object when ``X`` already is a DataFrame).

    Raises
    ------
    ValueError
        If ``X`` is not two-dimensional, has no rows or no columns, duplicated
        column names, or a numeric column holds ``inf``.
    TypeError
        If ``X`` is sparse, complex, its column names mix types, or an object
        column holds values that are neither strings nor numbers.
    """
    if hasattr(X, "toarray") or hasattr(X, "tocsr"):
        raise TypeError(
            "Sparse input is not supported: pass a dense array or a DataFrame."
        )
    if isinstance(X, pd.DataFrame):
        frame = X
    else:
        array = np.asarray(X) if not isinstance(X, np.ndarray) else X
        if array.ndim != 2:
            raise ValueError(
                f"Expected a 2D table (DataFrame or array of shape (n_samples, "
                f"n_features)), got an array with {array.ndim} dimension(s). "
                "Reshape your data with array.reshape(-1, 1) for a single feature."
            )
        if np.iscomplexobj(array):
            raise ValueError("Complex data not supported: X has a complex dtype.")
        frame = pd.DataFrame(array)
    n_samples, n_features = frame.shape
    if n_features == 0:
        raise ValueError(
            f"0 feature(s) (shape=({n_samples}, 0)) while a minimum of 1 is required."
        )
    if n_samples == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape=(0, {n_features})) while a "
            "minimum of 1 is required."
        )
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        name = duplicated[0]
        raise ValueError(
            f"Column names must be unique: {name!r} appears "
            f"{int((frame.columns == name).sum())} times. Rename the duplicates."
        )
    types = {"int" if _is_int(n) else type(n).__name__ for n in frame.columns}
    if len(types) > 1 or not types <= {"str", "int"}:
        raise TypeError(
            "Column names must be all strings (or all integers, as an array's "
            f"positions are); got names of types {sorted(types)}. Convert them, "
            "e.g. X.columns = X.columns.astype(str)."
        )
    for name, column in frame.items():
        _check_column(name, column)
    return frame


def _is_int(name):
    return isinstance(name, (int, np.integer)) and not isinstance(name, bool)


def _check_column(name, column):
    dtype = column.dtype
    if is_numeric_dtype(dtype) and not is_bool_dtype(dtype):
        if np.iscomplexobj(column.to_numpy()):
            raise ValueError(f"Complex data not supported in column {name!r}.")
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        if np.isinf(values).any():
            raise ValueError(
                f"Input X contains infinity in column {name!r}; expected finite "
                "values or NaN for missing entries."
            )
    elif is_object_dtype(dtype):
        bad = column[~column.map(_is_scalar_value)]
        if len(bad):
            raise TypeError(
                f"Column {name!r} holds a value of type {type(bad.iloc[0]).__name__}:"
                " argument must be a string or a number (or NaN)."
            )
        if np.iscomplexobj(np.asarray(column.dropna().tolist())):
            raise ValueError(f"Complex data not supported in column {name!r}.")


def _is_scalar_value(value):
    return value is None or isinstance(value, (str, numbers.Number, np.generic))


def object_as_numeric(column):
    """Return ``column`` as float64 if its object values are all numbers, else None.

    Parameters
    ----------
    column : Series of object dtype
        The column.

    Returns
    -------
    numeric : Series or None
        The numeric version of the column, or None when it holds strings or bools.
    """
    values = column.dropna()
    if len(values) == 0 or not all(
        isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))
        for v in values
    ):
        return None
    numeric = pd.to_numeric(column, errors="coerce").astype("float64")
    if np.isinf(numeric.to_numpy()).any():
        raise ValueError(
            f"Input X contains infinity in column {column.name!r}; expected finite "
            "values or NaN for missing entries."
        )
    return numeric


def as_labels(column, missing="__missing__"):
    """``column`` as strings, with NaN as the level ``missing``."""
    return column.astype(object).where(column.notna(), missing).astype(str)
