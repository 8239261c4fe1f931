"""What ``sample(conditions=...)`` asks for: the values and ranges of each row.

A user writes conditions as a dict (column -> value, list of values to cycle,
or ``(low, high)`` range) or as a DataFrame of partial rows (each row's
non-missing cells are its conditions, rows cycled). :func:`plan` turns either
into groups of output rows that share one :class:`Condition`, which the
synthesizers serve with their model and check with :meth:`Condition.matches`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Condition", "OneOf", "Range", "holds", "plan"]


@dataclass(frozen=True)
class Range:
    """A closed range of a numeric (or datetime) column; None: unbounded.

    Examples
    --------
    >>> Range(18, None).describe()
    '[18, ∞)'
    """

    low: object = None
    high: object = None

    def describe(self):
        """The range in interval notation."""
        low = "(-∞" if self.low is None else f"[{self.low!r}"
        high = "∞)" if self.high is None else f"{self.high!r}]"
        return f"{low}, {high}"

    def holds(self, column):
        """Whether each value of ``column`` lies in the range (NaN: never)."""
        inside = column.notna().to_numpy()
        if self.low is not None:
            inside &= (column >= self.low).fillna(False).to_numpy(dtype=bool)
        if self.high is not None:
            inside &= (column <= self.high).fillna(False).to_numpy(dtype=bool)
        return inside


@dataclass(frozen=True)
class OneOf:
    """Any of several values of a categorical column.

    Examples
    --------
    >>> OneOf(("Black", "Other")).describe()
    "one of ('Black', 'Other')"
    """

    values: tuple

    def describe(self):
        """The alternatives."""
        return f"one of {tuple(self.values)!r}"


@dataclass(frozen=True)
class Condition:
    """What every row of a group must hold: column -> value or :class:`Range`.

    Attributes
    ----------
    items : tuple of (column, value or Range)
        In the table's column order. A value NaN (or None) asks for a
        missing cell.
    """

    items: tuple

    def matches(self, frame):
        """Boolean mask of the rows of ``frame`` that hold the condition."""
        mask = np.ones(len(frame), dtype=bool)
        for column, wanted in self.items:
            mask &= holds(frame[column], wanted)
        return mask

    def describe(self):
        """The condition as the user would write it."""
        parts = [
            f"{column!r}: {w.describe() if hasattr(w, 'describe') else repr(w)}"
            for column, w in self.items
        ]
        return "{" + ", ".join(parts) + "}"


def holds(column, wanted):
    """Whether each value of ``column`` meets ``wanted``.

    ``wanted`` is a value (NaN or None: a missing cell), a ``Range`` or a
    ``OneOf``.
    """
    if isinstance(wanted, Range):
        return wanted.holds(column)
    if isinstance(wanted, OneOf):
        return column.isin(list(wanted.values)).to_numpy()
    if _is_missing(wanted):
        return column.isna().to_numpy()
    return (column == wanted).fillna(False).to_numpy(dtype=bool)


def _is_missing(value):
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def plan(conditions, n_samples, columns):
    """Each output row's condition, grouped by condition.

    Parameters
    ----------
    conditions : dict or DataFrame
        A dict of column -> value, list of values (cycled over the rows),
        ``(low, high)`` tuple (a :class:`Range`; None for an open end) or list
        of such tuples; or a DataFrame of partial rows whose non-missing cells
        are the conditions of one output row each (rows cycled).
    n_samples : int
        Number of output rows.
    columns : sequence
        The columns of the modelled table, in order.

    Returns
    -------
    groups : list of (Condition, ndarray of int)
        Each condition and the positions of the output rows that hold it.

    Examples
    --------
    >>> groups = plan({"sex": ["F", "M"], "age": (30, 40)}, 3, ["age", "sex"])
    >>> [(c.describe(), rows.tolist()) for c, rows in groups]
    [("{'age': [30, 40], 'sex': 'F'}", [0, 2]), ("{'age': [30, 40], 'sex': 'M'}", [1])]
    """
    rows = _rows(conditions, n_samples, list(columns))
    groups = {}
    for position, items in enumerate(rows):
        key = tuple((c, repr(w)) for c, w in items)
        groups.setdefault(key, (Condition(items), []))[1].append(position)
    return [(condition, np.array(rows)) for condition, rows in groups.values()]


def _rows(conditions, n_samples, columns):
    """One tuple of (column, wanted) per output row, in column order."""
    if isinstance(conditions, pd.DataFrame):
        _check_columns(conditions.columns, columns)
        if len(conditions) == 0:
            raise ValueError("conditions is an empty DataFrame: give at least one row.")
        records = conditions.to_dict("records")
        per_row = [
            {c: v for c, v in records[i % len(records)].items() if not _is_missing(v)}
            for i in range(n_samples)
        ]
    elif isinstance(conditions, Mapping):
        _check_columns(conditions.keys(), columns)
        cycles = {c: _cycle(c, wanted) for c, wanted in conditions.items()}
        per_row = [
            {c: values[i % len(values)] for c, values in cycles.items()}
            for i in range(n_samples)
        ]
    else:
        raise TypeError(
            "conditions must be a dict (column -> value, list or (low, high)) or a "
            f"DataFrame of partial rows, got {type(conditions).__name__}."
        )
    order = {c: i for i, c in enumerate(columns)}
    return [tuple(sorted(row.items(), key=lambda kv: order[kv[0]])) for row in per_row]


def _cycle(column, wanted):
    """The values one column cycles through (a single value: a list of one)."""
    values = wanted if isinstance(wanted, list) else [wanted]
    if not values:
        raise ValueError(f"conditions[{column!r}] is an empty list.")
    return [_wanted(column, value) for value in values]


def _wanted(column, value):
    if not isinstance(value, tuple):
        return value
    if len(value) != 2:
        raise ValueError(
            f"conditions[{column!r}] = {value!r}: a range is a (low, high) tuple."
        )
    low, high = value
    if low is not None and high is not None and low > high:
        raise ValueError(
            f"conditions[{column!r}] = {value!r}: low must not exceed high."
        )
    return Range(low, high)


def _check_columns(given, columns):
    unknown = [c for c in given if c not in columns]
    if unknown:
        raise ValueError(
            f"conditions name columns the synthesizer was not fitted on: {unknown}; "
            f"its columns are {list(columns)}."
        )
