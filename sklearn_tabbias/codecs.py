"""One codec per column kind: its encoded layout, encoding, decoding and dtype.

:class:`~sklearn_tabbias.encoding.TabularEncoder` decides each column's kind
and fits a codec for it; everything a kind means afterwards lives in its codec:

* :class:`ContinuousCodec`: numbers, scaled to one "gaussian" column, with a
  "categorical" state block beside it when the column has point masses or NaN;
* :class:`BinaryCodec`: two values, one 0/1 "bernoulli" column;
* :class:`CategoricalCodec`: one-hot over the observed values (NaN a value of
  its own);
* :class:`ConstantCodec`: one value (or only NaN), no encoded column.

Adding a kind means adding a codec here and the rule that picks it in the
encoder's ``fit``. :func:`is_categorical` is the one rule for "is this column a
category" that the encoder, the metrics and the plots share.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_bool_dtype,
    is_datetime64_any_dtype,
    is_numeric_dtype,
    is_timedelta64_dtype,
)

from sklearn_tabbias.conditions import OneOf, Range

__all__ = [
    "Allowed",
    "Block",
    "BinaryCodec",
    "CategoricalCodec",
    "ColumnCodec",
    "ConstantCodec",
    "ContinuousCodec",
    "as_numbers",
    "is_temporal",
    "is_categorical",
]


@dataclass(frozen=True)
class Block:
    """A slice of the encoded matrix with one likelihood.

    Attributes
    ----------
    kind : {"gaussian", "bernoulli", "categorical"}
        The likelihood of the slice.
    column : int
        Position of the input column the slice belongs to.
    start : int
        First encoded column of the slice.
    width : int
        Number of encoded columns (1 for gaussian and bernoulli).
    gate : int or None
        For a gaussian block whose column also has point masses or NaN: the
        encoded column that is 1 when the row takes a continuous value. The
        gaussian likelihood only counts on those rows.
    """

    kind: str
    column: int
    start: int
    width: int
    gate: int | None = None


@dataclass(frozen=True)
class Allowed:
    """What a condition leaves of one column's encoded states.

    Attributes
    ----------
    states : ndarray of int or None
        The codes a row may take in the column's discrete block (a categorical
        block, a continuous column's state block, or 0/1 of a binary column);
        None: the column has no discrete block, or it is not restricted.
    interval : tuple of float or None
        Bounds of the scaled value (the gaussian block) for rows in its
        "value" state; None: no gaussian block, or it is not restricted.
    """

    states: np.ndarray | None = None
    interval: tuple | None = None


@dataclass
class ColumnCodec:
    """What every codec knows: the column's name, input dtype and missing values.

    Subclasses set ``kind`` and implement ``width``, ``blocks``, ``encode``,
    ``decode`` and ``feature_names``; :meth:`restore` is shared.
    """

    name: object
    dtype: object
    has_nan: bool

    kind = None

    @property
    def width(self):
        """Encoded columns of this column."""
        raise NotImplementedError

    def blocks(self, column, start):
        """The column's :class:`Block` list, its first one at ``start``."""
        raise NotImplementedError

    def encode(self, values):
        """Encoded rows, shape (n, width), of a Series (temporal: as numbers)."""
        raise NotImplementedError

    def known(self, values):
        """Whether :meth:`encode` takes each value (NaN: if fit had NaN)."""
        missing = pd.to_numeric(values, errors="coerce").isna().to_numpy()
        return ~missing | self.has_nan

    def decode(self, part):
        """Values (float or object ndarray) of encoded rows, shape (n, width)."""
        raise NotImplementedError

    def allowed(self, wanted):
        """The :class:`Allowed` states of a condition: a value or a ``Range``.

        Raises ValueError naming the column when no row seen in fit meets it.
        """
        raise NotImplementedError

    def feature_names(self):
        """Names of the encoded columns."""
        raise NotImplementedError

    def restore(self, values):
        """Decoded values as a Series of the column's input dtype."""
        dtype = self.dtype
        if is_temporal(dtype):
            return _from_numbers(values, dtype)
        if isinstance(dtype, pd.CategoricalDtype):
            return pd.Series(
                pd.Categorical(
                    values, categories=dtype.categories, ordered=dtype.ordered
                )
            )
        series = pd.Series(values)
        numeric = is_numeric_dtype(dtype) and not is_bool_dtype(dtype)
        if series.dtype == object and numeric:
            series = pd.to_numeric(series)
        return series.astype(dtype)


@dataclass
class _ValuesCodec(ColumnCodec):
    """A column of a few observed values, coded by position in ``values``."""

    values: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))

    def codes(self, column):
        """Position of each value in ``values`` (NaN: ``len(values)``)."""
        missing = column.isna().to_numpy()
        lookup = self._lookup()
        codes = np.empty(len(column), dtype=np.int64)
        for i, (value, is_missing) in enumerate(
            zip(column.to_numpy(dtype=object), missing, strict=True)
        ):
            if is_missing:
                if not self.has_nan:
                    raise ValueError(
                        f"Column {self.name!r} has NaN, which it had not in fit."
                    )
                codes[i] = len(self.values)
                continue
            code = lookup.get(_key(value))
            if code is None:
                raise ValueError(
                    f"Column {self.name!r} has the value {value!r}, which was not "
                    f"seen in fit; expected one of {list(self.values)}."
                )
            codes[i] = code
        return codes

    def _lookup(self):
        """Each observed value's key -> its code."""
        return {_key(v): i for i, v in enumerate(self.values)}

    def known(self, values):
        """Whether each value was seen in fit (NaN: whether fit had NaN)."""
        seen = self._lookup()
        missing = values.isna().to_numpy()
        listed = np.array([_key(v) in seen for v in values.to_numpy(dtype=object)])
        return np.where(missing, self.has_nan, listed.astype(bool))

    def take(self, codes):
        """Values at ``codes``, NaN where a code points past the observed values."""
        out = np.empty(len(codes), dtype=object)
        inside = codes < len(self.values)
        out[inside] = np.asarray(self.values, dtype=object)[codes[inside]]
        out[~inside] = np.nan
        return out

    def allowed(self, wanted):
        """The code of the wanted value, or the codes of a ``OneOf`` or a ``Range``."""
        if isinstance(wanted, OneOf):
            return Allowed(
                states=self.codes(pd.Series(list(wanted.values), dtype=object))
            )
        if not isinstance(wanted, Range):
            return Allowed(states=self.codes(pd.Series([wanted], dtype=object)))
        try:
            codes = np.flatnonzero(wanted.holds(pd.Series(self.values)))
        except TypeError:
            raise ValueError(
                f"conditions[{self.name!r}]: the column holds categories "
                f"({list(self.values)[:10]}), not numbers; give a value, not a range."
            ) from None
        if not len(codes):
            raise ValueError(
                f"conditions[{self.name!r}] = {wanted.describe()}: no value seen in "
                f"fit lies in the range; the column takes {list(self.values)}."
            )
        return Allowed(states=codes)

    def labels(self):
        """One label per code: the values, then "nan"."""
        return [str(v) for v in self.values] + (["nan"] if self.has_nan else [])


@dataclass
class ConstantCodec(_ValuesCodec):
    """A single value, or only NaN: nothing to encode."""

    kind = "constant"

    @property
    def width(self):
        """No encoded column."""
        return 0

    def blocks(self, column, start):
        """No block."""
        return []

    def encode(self, values):
        """An empty slice."""
        return np.zeros((len(values), 0), dtype=np.float32)

    def known(self, values):
        """Every value: the column decodes to its constant whatever it held."""
        return np.ones(len(values), dtype=bool)

    def allowed(self, wanted):
        """Nothing to restrict, once the constant meets the condition."""
        super().allowed(wanted)
        return Allowed()

    def decode(self, part):
        """The value (or NaN for an all-NaN column) in every row."""
        return self.take(np.zeros(part.shape[0], dtype=int))

    def feature_names(self):
        """None."""
        return []


@dataclass
class BinaryCodec(_ValuesCodec):
    """Exactly two values, no NaN: 0/1 for the first/second value."""

    kind = "binary"

    @property
    def width(self):
        """One 0/1 column."""
        return 1

    def blocks(self, column, start):
        """One bernoulli block."""
        return [Block("bernoulli", column, start, 1)]

    def encode(self, values):
        """The value's code (0 or 1)."""
        return self.codes(values).astype(np.float32)[:, None]

    def decode(self, part):
        """The second value above 0.5."""
        return self.take((part[:, 0] > 0.5).astype(int))

    def feature_names(self):
        """The column's name."""
        return [str(self.name)]


@dataclass
class CategoricalCodec(_ValuesCodec):
    """One-hot over the observed values, NaN a value of its own."""

    kind = "categorical"

    @property
    def width(self):
        """One column per value (and NaN)."""
        return len(self.values) + self.has_nan

    def blocks(self, column, start):
        """One categorical block."""
        return [Block("categorical", column, start, self.width)]

    def encode(self, values):
        """One-hot rows."""
        return _one_hot(self.codes(values), self.width)

    def decode(self, part):
        """The value of the largest entry (one-hot rows or probabilities)."""
        return self.take(part.argmax(axis=1))

    def feature_names(self):
        """``"<column>=<value>"`` per value."""
        return [f"{self.name}={label}" for label in self.labels()]


@dataclass
class ContinuousCodec(ColumnCodec):
    """Numbers: a scaled value, plus a state block for point masses and NaN.

    Attributes
    ----------
    spikes : ndarray
        Point masses: values that are discrete states of their own.
    scaler : transformer or None
        Fitted on the other values (None when every value is a point mass).
    is_integer : bool
        Whether the observed values are whole.
    low, high : float
        The observed range; decoded values stay within it.
    grid : float
        Every observed value times ``grid`` is whole (0: no grid).
    """

    spikes: np.ndarray = field(default_factory=lambda: np.empty(0))
    scaler: object = None
    is_integer: bool = False
    low: float = np.nan
    high: float = np.nan
    grid: float = 0.0

    kind = "continuous"

    @property
    def states(self):
        """Number of discrete states (a value, each spike, NaN)."""
        return int(self.scaler is not None) + len(self.spikes) + int(self.has_nan)

    @property
    def width(self):
        """The state block (when there are several states) and the value."""
        return (self.states if self.states > 1 else 0) + int(self.scaler is not None)

    def blocks(self, column, start):
        """A categorical state block (several states), then a gated gaussian."""
        blocks, gate = [], None
        if self.states > 1:
            blocks.append(Block("categorical", column, start, self.states))
            gate = start if self.scaler is not None else None
            start += self.states
        if self.scaler is not None:
            blocks.append(Block("gaussian", column, start, 1, gate))
        return blocks

    def snap(self, values):
        """Decoded values on the column's grid, within its observed range.

        The grid: whole numbers, quarters, cents, ... (0: none).
        """
        if self.grid:
            values = np.round(values * self.grid) / self.grid
        return np.clip(values, self.low, self.high)

    def encode(self, values):
        """The state one-hot (if any), then the scaled value (0 at a state)."""
        values = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        missing = np.isnan(values)
        if missing.any() and not self.has_nan:
            raise ValueError(f"Column {self.name!r} has NaN, which it had not in fit.")
        spike_of = np.full(len(values), -1)
        for i, spike in enumerate(self.spikes):
            spike_of[values == spike] = i
        parts = []
        if self.states > 1:
            offset = int(self.scaler is not None)
            state = np.where(spike_of >= 0, offset + spike_of, 0)
            if self.has_nan:
                state[missing] = self.states - 1
            parts.append(_one_hot(state, self.states))
        if self.scaler is not None:
            regular = ~missing & (spike_of < 0)
            scaled = np.zeros((len(values), 1), dtype=np.float32)
            if regular.any():
                scaled[regular, 0] = self.scaler.transform(
                    values[regular].reshape(-1, 1)
                ).ravel()
            parts.append(scaled)
        return np.concatenate(parts, axis=1)

    def decode(self, part):
        """Values from the state (largest entry) and the scaled value."""
        n = part.shape[0]
        values = np.full(n, np.nan)
        states = np.zeros(n, dtype=int)
        if self.states > 1:
            states = part[:, : self.states].argmax(axis=1)
        if self.scaler is not None:
            scaled = part[:, -1].reshape(-1, 1)
            values = self.snap(self.scaler.inverse_transform(scaled).ravel())
        offset = int(self.scaler is not None)
        for i, spike in enumerate(self.spikes):
            values[states == offset + i] = spike
        if self.has_nan:
            values[states == self.states - 1] = np.nan
        return values

    def allowed(self, wanted):
        """The states and the scaled interval a value or a ``Range`` leaves.

        On a column with a grid (whole numbers, cents, ...) a range keeps the
        grid values inside it, and the interval of the scaled value is widened
        by half a grid step so that every value drawn rounds into the range;
        an exact value is the range of that one value. A column measured to
        full precision (no grid) takes ranges only.
        """
        if isinstance(wanted, OneOf):
            raise ValueError(
                f"conditions[{self.name!r}]: a numeric column takes a value or a "
                "range (low, high), not several values."
            )
        if not isinstance(wanted, Range):
            wanted = self._exact(wanted)
            if isinstance(wanted, Allowed):
                return wanted
        low = -np.inf if wanted.low is None else _as_number(wanted.low, self)
        high = np.inf if wanted.high is None else _as_number(wanted.high, self)
        half = 0.0
        if self.grid:
            low = np.ceil(low * self.grid - 1e-9) / self.grid
            high = np.floor(high * self.grid + 1e-9) / self.grid
            half = 0.5 / self.grid
        offset = int(self.scaler is not None)
        states = [offset + i for i, s in enumerate(self.spikes) if low <= s <= high]
        inner = max(low - half, self.low), min(high + half, self.high)
        interval = None
        if self.scaler is not None and low <= high and inner[0] <= inner[1]:
            states.insert(0, 0)
            scaled = self.scaler.transform(np.reshape(inner, (-1, 1))).ravel()
            interval = (float(scaled[0]), float(scaled[1]))
        if not states:
            raise ValueError(
                f"conditions[{self.name!r}] = {wanted.describe()}: no value seen in "
                f"fit lies in the range; the column's values span "
                f"[{self.low!r}, {self.high!r}]"
                + (f" on a grid of step {1 / self.grid:g}." if self.grid else ".")
            )
        return Allowed(states=self._states(states), interval=interval)

    def _exact(self, wanted):
        """The :class:`Allowed` of NaN or a point mass, else a one-value range."""
        value = np.nan if wanted is None else _as_number(wanted, self)
        if np.isnan(value):
            if not self.has_nan:
                raise ValueError(
                    f"conditions[{self.name!r}] asks for NaN, which the column had "
                    "not in fit."
                )
            return Allowed(states=self._states([self.states - 1]))
        if value in self.spikes:
            spike = int(np.flatnonzero(self.spikes == value)[0])
            return Allowed(states=self._states([int(self.scaler is not None) + spike]))
        if not self.grid:
            raise ValueError(
                f"conditions[{self.name!r}] = {wanted!r}: the column holds values "
                "measured to full precision; give a range (low, high) instead."
            )
        return Range(wanted, wanted)

    def _states(self, states):
        """The state codes, or None when the column has no state block."""
        return np.array(states) if self.states > 1 else None

    def feature_names(self):
        """``"<column>=<state>"`` per state, then ``"<column>"`` for the value."""
        names = []
        if self.states > 1:
            labels = ["value"] if self.scaler is not None else []
            labels += [str(s) for s in self.spikes] + (["nan"] if self.has_nan else [])
            names = [f"{self.name}={label}" for label in labels]
        return names + ([str(self.name)] if self.scaler is not None else [])


def is_categorical(column, max_integer_values=0):
    """Whether a column is a category rather than a quantity.

    Non-numeric and bool columns are categories; so are whole-number columns
    with at most ``max_integer_values`` distinct values. Each caller states its
    threshold: the encoder's ``max_integer_categories`` (10; two values are
    always a category there), the utility metric's ``MAX_CLASSES`` for a
    target (30), and 0 for the discriminators' features (the paper's protocol:
    only non-numeric columns are one-hot or ordinal coded).

    Parameters
    ----------
    column : Series
        The column (temporal columns as numbers, see :func:`as_numbers`).
    max_integer_values : int, default=0
        Most distinct whole values of a numeric category.

    Returns
    -------
    categorical : bool

    Examples
    --------
    >>> import pandas as pd
    >>> is_categorical(pd.Series(["a", "b"])), is_categorical(pd.Series([1, 2, 3]))
    (True, False)
    >>> is_categorical(pd.Series([1, 2, 3]), max_integer_values=10)
    True
    """
    dtype = column.dtype
    if not is_numeric_dtype(dtype) or is_bool_dtype(dtype):
        return True
    if max_integer_values <= 0:
        return False
    values = pd.unique(column.dropna().to_numpy(dtype="float64"))
    return len(values) <= max_integer_values and bool(np.all(np.mod(values, 1) == 0))


def _one_hot(codes, width):
    out = np.zeros((len(codes), width), dtype=np.float32)
    out[np.arange(len(codes)), codes] = 1.0
    return out


def _key(value):
    """Hashable lookup key that matches 1 and 1.0 and numpy scalars."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def is_temporal(dtype):
    """Whether ``dtype`` is a datetime (time-zone aware too) or a timedelta."""
    return is_datetime64_any_dtype(dtype) or is_timedelta64_dtype(dtype)


def as_numbers(column):
    """Datetime and timedelta columns as float ticks of their unit (NaT as NaN).

    Other columns are returned as they are. Ticks above 2**53 (nanosecond
    timestamps) keep about 0.2 microsecond precision.

    Examples
    --------
    >>> import pandas as pd
    >>> as_numbers(pd.Series(pd.to_datetime(["1970-01-01", None]))).tolist()
    [0.0, nan]
    """
    if not is_temporal(column.dtype):
        return column
    ticks = column.array.asi8.astype("float64")
    ticks[column.isna().to_numpy()] = np.nan
    return pd.Series(ticks, index=column.index, name=column.name)


def _as_number(value, codec):
    """A condition's value as the number ``codec`` sees (temporal: its ticks)."""
    try:
        if is_temporal(codec.dtype):
            series = pd.Series([value]).astype(codec.dtype)
            return float(as_numbers(series).iloc[0])
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"conditions[{codec.name!r}]: {value!r} is not a value of the column, "
            f"which holds numbers of dtype {codec.dtype}."
        ) from None


def _from_numbers(values, dtype):
    """Float ticks back to a datetime or timedelta Series of ``dtype``."""
    ticks = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    ticks = ticks.round().astype("Int64")
    if is_timedelta64_dtype(dtype):
        return pd.to_timedelta(ticks, unit=np.datetime_data(dtype)[0]).astype(dtype)
    if isinstance(dtype, pd.DatetimeTZDtype):
        stamps = pd.to_datetime(ticks, unit=dtype.unit, utc=True)
        return stamps.dt.tz_convert(dtype.tz).astype(dtype)
    return pd.to_datetime(ticks, unit=np.datetime_data(dtype)[0]).astype(dtype)
