"""Rules of the data that synthetic rows keep by construction.

A constraint is passed as ``constraints=[...]`` to a synthesizer. It is fitted
on the real rows, rewrites the table the model learns (``transform``) and turns
the model's rows back into the user's columns (``reverse``), so every sampled
row obeys it whatever the model does.

* :class:`FixedCombinations`: the combinations of some columns are those seen
  in the real rows (Adult's ``education`` and ``education-num``; a city and
  its country). The columns become one categorical column of the observed
  combinations.
* :class:`Inequality`: one column never exceeds another (admission before
  discharge). The model learns the difference, which stays within the
  non-negative range it saw.
* :class:`Range` and :class:`Positive`: a numeric column's bounds; sampled
  values are clipped to them.
* :class:`Unique`: an identifier. The model never sees it; every sampled row
  gets a new value no real row has.

Conditions of ``sample(conditions=...)`` on constrained columns are rewritten
the same way (``condition``), where they can be.

``constraints="auto"`` (the synthesizers' default) keeps the columns that map one
to one in the training rows together (:func:`detect_fixed_combinations`), with
a :class:`DetectedConstraintWarning` naming them; ``constraints=None`` learns
every column freely.
"""

import copy
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sklearn_tabbias.codecs import as_numbers, is_temporal
from sklearn_tabbias.conditions import OneOf, holds
from sklearn_tabbias.conditions import Range as ConditionRange

__all__ = [
    "DetectedConstraintWarning",
    "FixedCombinations",
    "Inequality",
    "Positive",
    "Range",
    "Unique",
    "apply",
    "detect",
    "detect_fixed_combinations",
    "from_records",
    "restore",
    "rewrite",
    "transform_known",
]


@dataclass
class FixedCombinations:
    """Only the combinations of ``columns`` seen in the real rows are sampled.

    Parameters
    ----------
    columns : list of str or int
        Two or more columns of the table.

    Attributes
    ----------
    combinations_ : DataFrame
        The observed combinations, one row each (after ``fit``).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"level": ["a", "b", "a"], "code": [1, 2, 1]})
    >>> rule = FixedCombinations(["level", "code"]).fit(table)
    >>> rule.transform(table).columns.tolist()
    ['level+code']
    >>> rule.reverse(rule.transform(table)).equals(table)
    True
    """

    columns: list
    combinations_: pd.DataFrame | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def name(self):
        """The name of the joint column.

        ``"a+b"``, or with integer column names (an array's positions) the
        first column's, which the joint column takes.
        """
        if all(isinstance(c, (int, np.integer)) for c in self.columns):
            return self.columns[0]
        return "+".join(str(c) for c in self.columns)

    @property
    def removes(self):
        """The user's columns the model does not see."""
        return list(self.columns)

    def fit(self, frame):
        """Learn the combinations the real rows hold."""
        missing = [c for c in self.columns if c not in frame.columns]
        if len(set(self.columns)) < 2 or missing:
            raise ValueError(
                f"FixedCombinations needs two or more columns of the table; got "
                f"{list(self.columns)}"
                + (f", of which {missing} are not columns." if missing else ".")
            )
        if self.name in frame.columns and self.name not in self.columns:
            raise ValueError(
                f"FixedCombinations({list(self.columns)}): the table already has "
                f"a column {self.name!r}; rename it."
            )
        combos = frame[self.columns].drop_duplicates().reset_index(drop=True)
        self.combinations_ = combos
        return self

    def transform(self, frame):
        """The table with the columns replaced by the code of their combination."""
        codes = self._codes(frame[self.columns])
        position = list(frame.columns).index(self.columns[0])
        out = frame.drop(columns=self.columns)
        out.insert(min(position, out.shape[1]), self.name, codes)
        return out

    def reverse(self, frame):
        """The model's rows with the columns of their combination back."""
        index = frame[self.name].astype(int).to_numpy()
        values = self.combinations_.iloc[index].reset_index(drop=True)
        out = frame.drop(columns=self.name).reset_index(drop=True)
        for column in self.columns:
            out[column] = values[column].to_numpy()
            out[column] = out[column].astype(self.combinations_[column].dtype)
        return out

    def condition(self, items):
        """Conditions on the columns as one condition on the joint column."""
        mine = [(c, w) for c, w in items if c in self.columns]
        if not mine:
            return items
        keep = np.ones(len(self.combinations_), dtype=bool)
        for column, wanted in mine:
            keep &= holds(self.combinations_[column], wanted)
        if not keep.any():
            raise ValueError(
                f"conditions {dict(mine)}: no combination of {list(self.columns)} "
                "seen in fit meets them (FixedCombinations)."
            )
        rest = [(c, w) for c, w in items if c not in self.columns]
        codes = tuple(str(i) for i in np.flatnonzero(keep))
        return [*rest, (self.name, OneOf(codes))]

    def known(self, frame):
        """Whether each row's combination was seen in fit (others cannot be)."""
        return self._found(frame[self.columns]) >= 0

    def _found(self, part):
        keys = pd.MultiIndex.from_frame(self.combinations_.astype(object))
        return keys.get_indexer(pd.MultiIndex.from_frame(part.astype(object)))

    def _codes(self, part):
        found = self._found(part)
        if (found < 0).any():
            row = part[found < 0].iloc[0].to_dict()
            raise ValueError(f"{row} is not a combination seen in fit.")
        return found.astype(str)


@dataclass
class Inequality:
    """``low_column`` ≤ ``high_column`` in every sampled row (numbers or dates).

    The model learns ``high - low`` (in the dates' ticks) in place of the high
    column; decoded differences stay within the range seen in fit, so they are
    never negative. A row missing either value misses the high one.

    Parameters
    ----------
    low_column, high_column : str or int
        Two numeric, datetime or timedelta columns.

    Examples
    --------
    >>> import pandas as pd
    >>> stay = pd.DataFrame({"in": [1, 5], "out": [3, 9]})
    >>> rule = Inequality("in", "out").fit(stay)
    >>> rule.transform(stay)["out - in"].tolist()
    [2.0, 4.0]
    """

    low_column: object
    high_column: object
    dtype_: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def columns(self):
        """Both columns."""
        return [self.low_column, self.high_column]

    @property
    def removes(self):
        """The high column (its difference from the low one replaces it)."""
        return [self.high_column]

    @property
    def name(self):
        """The name of the difference column."""
        return f"{self.high_column} - {self.low_column}"

    def fit(self, frame):
        """Check the real rows keep the rule and remember the high column's dtype."""
        missing = [c for c in self.columns if c not in frame.columns]
        if missing or self.low_column == self.high_column:
            raise ValueError(
                f"Inequality needs two different columns of the table; got "
                f"{self.columns}."
            )
        gap = self._difference(frame)
        if (gap < 0).any():
            raise ValueError(
                f"Inequality({self.low_column!r}, {self.high_column!r}): "
                f"{int((gap < 0).sum())} real rows have {self.high_column!r} below "
                f"{self.low_column!r}."
            )
        self.dtype_ = frame[self.high_column].dtype
        return self

    def transform(self, frame):
        """The table with the high column replaced by the difference."""
        out = frame.copy()
        position = list(frame.columns).index(self.high_column)
        gap = self._difference(frame)
        out = out.drop(columns=self.high_column)
        out.insert(position, self.name, gap.to_numpy())
        return out

    def reverse(self, frame):
        """The model's rows with the high column back (low + difference)."""
        out = frame.drop(columns=self.name).reset_index(drop=True)
        gap = frame[self.name].clip(lower=0).reset_index(drop=True)
        low = out[self.low_column]
        if is_temporal(self.dtype_):
            unit = np.datetime_data(self.dtype_)[0]
            high = low + pd.to_timedelta(gap.round(), unit=unit)
        else:
            high = pd.to_numeric(low, errors="coerce") + gap
            if pd.api.types.is_integer_dtype(self.dtype_) and not high.isna().any():
                high = high.round()
        out[self.high_column] = high.astype(self.dtype_)
        return out

    def condition(self, items):
        """Conditions on the low column pass; on the high one they cannot."""
        if any(c == self.high_column for c, _ in items):
            raise ValueError(
                f"conditions on {self.high_column!r} are not supported with "
                f"Inequality({self.low_column!r}, {self.high_column!r}); condition "
                f"on {self.low_column!r} instead."
            )
        return items

    def _difference(self, frame):
        low, high = (_numbers(frame[c]) for c in self.columns)
        return high - low


@dataclass
class Range:
    """``low`` ≤ ``column`` ≤ ``high`` in every sampled row (None: no bound).

    The real rows must hold it; sampled values are clipped into it.

    Examples
    --------
    >>> import pandas as pd
    >>> rule = Range("age", 18, 99).fit(pd.DataFrame({"age": [20, 50]}))
    >>> rule.reverse(pd.DataFrame({"age": [10, 70, 120]}))["age"].tolist()
    [18, 70, 99]
    """

    column: object
    low: object = None
    high: object = None

    @property
    def columns(self):
        """The column."""
        return [self.column]

    @property
    def removes(self):
        """None: the model sees the column."""
        return []

    def fit(self, frame):
        """Check that the real rows hold the bounds."""
        if self.column not in frame.columns:
            raise ValueError(f"{self!r}: {self.column!r} is not a column.")
        values = frame[self.column]
        outside = (values < self.low if self.low is not None else False) | (
            values > self.high if self.high is not None else False
        )
        if np.any(outside):
            raise ValueError(
                f"{self!r}: {int(np.sum(outside))} real rows lie outside the range."
            )
        return self

    def transform(self, frame):
        """The table as it is."""
        return frame

    def reverse(self, frame):
        """Sampled values clipped into the range."""
        out = frame.copy()
        out[self.column] = out[self.column].clip(self.low, self.high)
        return out

    def condition(self, items):
        """Conditions pass as they are."""
        return items


def Positive(column):  # noqa: N802 (a constraint, named like the others)
    """``column`` ≥ 0 in every sampled row: ``Range(column, low=0)``.

    Examples
    --------
    >>> Positive("income")
    Range(column='income', low=0, high=None)
    """
    return Range(column, low=0)


@dataclass
class Unique:
    """An identifier column: each sampled row gets a value no real row has.

    The model does not see the column (an identifier carries no pattern and
    replaying real ones reveals training rows). Integers count up from above
    the largest real one; other values become ``"<prefix><number>"``.
    Numbering continues across ``sample`` calls of one fitted synthesizer.

    Parameters
    ----------
    column : str or int
        The identifier column.
    prefix : str, default="synthetic-"
        Start of the new values of a non-integer column.
    """

    column: object
    prefix: str = "synthetic-"
    start_: int = field(default=0, init=False, repr=False, compare=False)
    dtype_: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def columns(self):
        """The column."""
        return [self.column]

    @property
    def removes(self):
        """The column: the model does not see it."""
        return [self.column]

    def fit(self, frame):
        """Remember the column's dtype and where new numbers start."""
        if self.column not in frame.columns:
            raise ValueError(f"{self!r}: {self.column!r} is not a column.")
        values = frame[self.column]
        self.dtype_ = values.dtype
        integer = pd.api.types.is_integer_dtype(values.dtype)
        self.start_ = int(values.max()) + 1 if integer and len(values) else 0
        return self

    def transform(self, frame):
        """The table without the identifier."""
        return frame.drop(columns=self.column)

    def reverse(self, frame):
        """New identifiers, one per row."""
        out = frame.reset_index(drop=True)
        numbers = np.arange(self.start_, self.start_ + len(out))
        self.start_ += len(out)
        if pd.api.types.is_integer_dtype(self.dtype_):
            out[self.column] = numbers.astype(self.dtype_)
        else:
            out[self.column] = [f"{self.prefix}{k}" for k in numbers]
        return out

    def condition(self, items):
        """Identifiers cannot be conditioned on."""
        if any(c == self.column for c, _ in items):
            raise ValueError(
                f"conditions on {self.column!r} are not supported: it is a Unique "
                "identifier, new in every sampled row."
            )
        return items


def _numbers(column):
    """A column as floats (dates and durations as their ticks)."""
    return pd.to_numeric(as_numbers(column), errors="coerce").astype("float64")


class DetectedConstraintWarning(UserWarning):
    """``constraints="auto"`` found columns to keep together.

    See :func:`detect_fixed_combinations`.
    """


def detect_fixed_combinations(frame, max_levels=50, min_rows_per_combination=5):
    """:class:`FixedCombinations` of the columns that map one to one.

    What ``constraints="auto"`` enforces: each value of one column pairs with
    one value of the other, both ways, chained into groups; at most
    ``max_levels`` values a column, at least ``min_rows_per_combination``
    rows per combination on average and two combinations seen twice or more,
    so that the map is not an accident of few rows (one rare value meeting
    another).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"grade": list("abcabcabcabcabc"),
    ...                       "level": [1, 2, 3] * 5, "x": range(15)})
    >>> detect_fixed_combinations(frame, max_levels=10)
    [FixedCombinations(columns=['grade', 'level'])]
    """
    groups = _one_to_one_groups(frame, max_levels, min_rows_per_combination)
    return [FixedCombinations(group) for group in groups]


def detect(frame, max_levels=50, min_rows_per_combination=5):
    """Constraints the rows of ``frame`` suggest, to review before use.

    * :class:`FixedCombinations` for columns that map one to one (each value of
      one pairs with one value of the other, both ways), chained into groups;
      at most ``max_levels`` values a column, and at least
      ``min_rows_per_combination`` rows per combination on average, so that
      the map is not an accident of few rows.
    * :class:`Inequality` for numeric or date columns whose values overlap but
      never cross in a row (one is never above the other).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"grade": list("abcabcabcabcabc"),
    ...                       "level": [1, 2, 3] * 5,
    ...                       "start": range(15), "end": range(2, 17)})
    >>> for rule in detect(frame, max_levels=10):
    ...     print(rule)
    FixedCombinations(columns=['grade', 'level'])
    Inequality(low_column='start', high_column='end')
    """
    found = detect_fixed_combinations(frame, max_levels, min_rows_per_combination)
    numeric = [
        c
        for c in frame.columns
        if is_temporal(frame[c].dtype)
        or (pd.api.types.is_numeric_dtype(frame[c]) and frame[c].nunique() > max_levels)
    ]
    for low in numeric:
        for high in numeric:
            if low != high and _never_crosses(frame[low], frame[high]):
                found.append(Inequality(low, high))
    return found


def _one_to_one_groups(frame, max_levels, min_rows):
    columns = [c for c in frame.columns if 2 <= frame[c].nunique() <= max_levels]
    parent = {c: c for c in columns}

    def root(c):
        while parent[c] != c:
            c = parent[c]
        return c

    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            counts = frame.groupby([a, b], dropna=True, observed=True).size()
            one_to_one = len(counts) == frame[a].nunique() == frame[b].nunique()
            # two combinations seen twice or more: not one rare value meeting another
            repeated = (counts >= 2).sum() >= 2
            if one_to_one and repeated and len(frame) >= min_rows * len(counts):
                parent[root(b)] = root(a)
    groups = {}
    for c in columns:
        groups.setdefault(root(c), []).append(c)
    return [group for group in groups.values() if len(group) > 1]


def _never_crosses(low, high):
    """Whether ``low`` ≤ ``high`` in every row, their ranges overlapping."""
    if low.dtype.kind != high.dtype.kind:
        return False
    both = low.notna() & high.notna()
    a, b = _numbers(low[both]), _numbers(high[both])
    return bool(len(a)) and bool((a <= b).all()) and a.max() > b.min()


#: The constraint each ``"type"`` of :func:`from_records` names.
KINDS = {
    "FixedCombinations": FixedCombinations,
    "Inequality": Inequality,
    "Positive": Positive,
    "Range": Range,
    "Unique": Unique,
}


def from_records(records):
    """Constraints from plain records, e.g. a JSON file's list.

    Examples
    --------
    >>> from_records([{"type": "FixedCombinations", "columns": ["a", "b"]}])
    [FixedCombinations(columns=['a', 'b'])]
    """
    if not isinstance(records, list):
        raise ValueError("constraints: expected a list of {'type': ..., ...} records.")
    constraints = []
    for record in records:
        kind = KINDS.get(record.get("type") if isinstance(record, dict) else None)
        try:
            options = {k: v for k, v in record.items() if k != "type"}
            constraints.append(kind(**options))
        except (TypeError, AttributeError):
            raise ValueError(
                f"constraints: {record!r} is not a constraint; expected e.g. "
                "{'type': 'FixedCombinations', 'columns': [...]} or {'type': "
                "'Inequality', 'low_column': ..., 'high_column': ...}."
            ) from None
    return constraints


def apply(constraints, frame):
    """Each constraint fitted on ``frame`` in turn; the table the model learns.

    ``constraints="auto"``: those of :func:`detect_fixed_combinations`.
    """
    if isinstance(constraints, str):  # "auto", the parameter's one string
        constraints = _detected(frame)
    fitted = []
    for constraint in constraints or []:
        if isinstance(constraint, ConditionRange):  # a common mix-up
            raise TypeError(
                "conditions.Range is a condition of sample(); the constraint is "
                "constraints.Range(column, low, high)."
            )
        constraint = copy.deepcopy(constraint).fit(frame)
        frame = constraint.transform(frame)
        fitted.append(constraint)
    return fitted, frame


def _detected(frame):
    """The fixed combinations of ``frame``, each announced with a warning."""
    found = detect_fixed_combinations(frame)
    for constraint in found:
        warnings.warn(
            f"constraints='auto': the columns {constraint.columns} map one to one "
            "in the training rows, so only their observed combinations are "
            "sampled. Pass constraints=None to learn them freely, or a list of "
            "constraints to choose.",
            DetectedConstraintWarning,
            stacklevel=5,
        )
    return found


def transform_known(fitted, frame):
    """Other rows in the user's columns (a source table) as the model's rows.

    Returns the rows every fitted constraint can transform, transformed, and
    how many were not. A constraint with a ``known(frame)`` mask
    (:class:`FixedCombinations`: the combinations seen in fit) leaves the other
    rows out; the rest transform every row.
    """
    n_rows = len(frame)
    for constraint in fitted:
        known = getattr(constraint, "known", None)
        if known is not None:
            frame = frame[np.asarray(known(frame))].reset_index(drop=True)
        frame = constraint.transform(frame)
    return frame, n_rows - len(frame)


def restore(fitted, frame, columns):
    """The model's rows in the user's columns, in their order."""
    for constraint in reversed(fitted):
        frame = constraint.reverse(frame)
    return frame[columns]


def rewrite(fitted, items):
    """Condition items on the user's columns as items on the model's columns."""
    for constraint in fitted:
        items = constraint.condition(items)
    return items
