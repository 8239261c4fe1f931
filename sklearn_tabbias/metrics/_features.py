"""Numeric features for the metrics' classifiers, fitted on the real rows."""

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from sklearn_tabbias._validation import as_frame, as_labels
from sklearn_tabbias.codecs import is_categorical

ENCODINGS = ("onehot", "ordinal")
#: Most categories a column may have to be split natively by gradient boosting.
MAX_NATIVE_CATEGORIES = 255
#: Also for tree models with native categorical and missing-value support.
_ALL_ENCODINGS = (*ENCODINGS, "native")


def categorical_columns(frame):
    """Names of the columns that are not plain numbers (strings, categories, bools)."""
    return [name for name, column in frame.items() if is_categorical(column)]


def as_categories(frame, columns):
    """Copy of ``frame`` with ``columns`` as strings and NaN as its own level."""
    frame = frame.copy()
    for name in columns:
        frame[name] = as_labels(frame[name])
    return frame


def make_feature_encoder(real, encoding="onehot"):
    """Fit the shared numeric encoding of a table on its real rows.

    Parameters
    ----------
    real : DataFrame or array-like
        The real rows.
    encoding : {"onehot", "ordinal", "native"}, default="onehot"
        ``"onehot"``: one-hot categories (unknown ones all zero), standardised
        numbers, a NaN indicator for numeric columns with missing values.
        ``"ordinal"``: integer category codes (unknown ones -1), standardised
        numbers (the encoding of the paper's authors).
        ``"native"``: the categorical columns first, as integer category codes
        (unknown ones -1), then the numbers as they are, NaN kept (for
        gradient boosting with native categorical and missing-value support).

    Returns
    -------
    encode : callable
        ``encode(table) -> ndarray of float32`` for real or synthetic rows with
        the same columns.
    """
    if encoding not in _ALL_ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, got {encoding!r}.")
    real = as_frame(real)
    categorical = categorical_columns(real)
    numeric = [name for name in real.columns if name not in categorical]
    if encoding == "onehot":
        cat_step = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    else:
        cat_step = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    num_step = "passthrough"
    if encoding != "native":
        num_step = make_pipeline(
            SimpleImputer(add_indicator=encoding == "onehot", keep_empty_features=True),
            StandardScaler(),
        )
    columns = list(real.columns)
    position = columns.index  # positions, since integer labels need not be them
    transformer = ColumnTransformer(
        [
            ("categorical", cat_step, [position(name) for name in categorical]),
            ("numeric", num_step, [position(name) for name in numeric]),
        ],
        sparse_threshold=0,
    ).fit(as_categories(real, categorical))

    def encode(table):
        frame = as_frame(table)
        if list(frame.columns) != columns:
            raise ValueError(
                f"Expected the columns {columns}, got {list(frame.columns)}."
            )
        frame = as_categories(frame, categorical)
        return transformer.transform(frame).astype(np.float32)

    return encode


def to_frame_like(table, reference):
    """``table`` as a DataFrame with the reference's column labels."""
    frame = as_frame(table)
    if not isinstance(table, pd.DataFrame):
        frame.columns = as_frame(reference).columns
    return frame


def native_mask(real):
    """Which encoded columns gradient boosting splits as categories.

    ``make_feature_encoder(real, "native")`` puts the categorical columns
    first; columns with more categories than the classifier's bins stay
    ordered codes.
    """
    categorical = categorical_columns(real)
    numeric = len(real.columns) - len(categorical)
    native = [
        real[name].nunique(dropna=False) <= MAX_NATIVE_CATEGORIES
        for name in categorical
    ]
    return np.array(native + [False] * numeric, dtype=bool)
