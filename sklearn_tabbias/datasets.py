"""Data sets: the embedded default table for demos and tests."""

import pandas as pd
from sklearn import datasets as _sk_datasets

__all__ = ["load_breast_cancer"]


def load_breast_cancer():
    """Load sklearn's bundled breast-cancer table with its target as a category.

    569 rows, 30 numeric features and the ``"diagnosis"`` column
    (``"malignant"``/``"benign"``, a pandas category). Bundled with
    scikit-learn, so it needs no download.

    Returns
    -------
    frame : DataFrame of shape (569, 31)
        Features and the target column.
    target : str
        The name of the target column, ``"diagnosis"``.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import load_breast_cancer
    >>> frame, target = load_breast_cancer()
    >>> frame.shape, target
    ((569, 31), 'diagnosis')
    """
    bunch = _sk_datasets.load_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    names = pd.Categorical.from_codes(bunch.target, categories=bunch.target_names)
    frame["diagnosis"] = names
    return frame, "diagnosis"
