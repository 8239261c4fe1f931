"""SynthesizerMixin: the fit/sample contract shared by every synthesizer."""

import logging
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import _fit_context
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from sklearn_tabbias._validation import MAX_SEED, as_frame
from sklearn_tabbias.conditions import Condition, plan
from sklearn_tabbias.constraints import apply, restore, rewrite
from sklearn_tabbias.metrics.scorers import ColumnPredictionScorer

__all__ = ["SynthesizerMixin", "proposal_size"]

logger = logging.getLogger("sklearn_tabbias")

#: Rows generated and decoded at a time by ``sample``.
SAMPLE_CHUNK = 65_536
#: Conditional sampling gives up after this many proposed rows, or this many
#: rounds of proposals, per condition.
PROPOSAL_BUDGET, PROPOSAL_ROUNDS = 1_000_000, 50


class SynthesizerMixin:
    """Mixin for estimators that learn a table and sample new rows from it.

    ``fit(X)`` validates the table, records its container and column names and
    calls ``self._fit(frame, rng)`` with a DataFrame and a ``RandomState`` drawn
    from ``random_state``. ``sample(n_samples)`` calls
    ``self._sample(n_samples, rng)``, which returns a DataFrame in the input
    schema, and hands it back in the container ``fit`` got: a DataFrame with the
    same columns, or an ndarray of the input's dtype.

    Successive ``sample()`` calls continue one random stream seeded at fit
    time, so they return different rows; refitting with the same
    ``random_state`` reproduces the stream. ``sample(n, random_state=...)``
    draws from a stream of its own and leaves that one alone.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the distribution of a table.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The real rows: numbers, strings, categories, bools; NaN for missing.
        y : array-like of shape (n_samples,), default=None
            A target, modelled as one more column of the table (named after a
            Series' name, else ``"y"``, or ``n_features`` for an array ``X``);
            ``sample(n, return_y=True)`` returns it beside the features, and
            ``sample(n, conditions={self.target_name_: value})`` draws rows of
            one target value. A target column inside ``X`` works as well.

        Returns
        -------
        self : object
            The fitted synthesizer.
        """
        frame = as_frame(X)
        if len(frame) < 2:
            raise ValueError(
                f"Found {len(frame)} sample(s) while a minimum of 2 is required: "
                "1 sample cannot be split into training and validation rows."
            )
        validate_data(self, X, skip_check_array=True)
        self._output_dtype = (
            None if isinstance(X, pd.DataFrame) else np.asarray(X).dtype
        )
        self._target = None if y is None else _Target.of(y, frame)
        if self._target is not None:
            frame = self._target.joined(frame, y)
        self._columns = list(frame.columns)
        self.constraints_, frame = apply(getattr(self, "constraints", None), frame)
        self.target_name_ = None if self._target is None else self._target.name
        rng = check_random_state(self.random_state)
        with _verbose_logging(getattr(self, "verbose", 0)):
            self._fit(frame, rng)
        self._sampling_rng = np.random.default_rng(rng.randint(MAX_SEED))
        return self

    def sample(self, n_samples, random_state=None, return_y=False, conditions=None):
        """Draw synthetic rows.

        Parameters
        ----------
        n_samples : int
            Number of rows, at least 1.
        random_state : int, RandomState instance or None, default=None
            Seed of this draw. None continues the synthesizer's own stream.
        return_y : bool, default=False
            Also return the synthetic target (``fit`` must have had a ``y``).
        conditions : dict or DataFrame, default=None
            Rows to draw from the model's conditional distribution. A dict maps
            a column (the target's name included) to a value, a list of
            values (cycled over the rows) or a ``(low, high)`` range of a
            numeric or datetime column (None: an open end), or a list of such
            ranges. A DataFrame holds partial rows: each output row takes the
            non-missing cells of one of its rows (cycled) and the model fills
            the others. Every row meets its condition exactly; a condition no
            row seen in fit meets raises ``ValueError`` naming the column.

        Returns
        -------
        X_synthetic : DataFrame or ndarray of shape (n_samples, n_features_in_)
            Same container, columns and dtypes as the table passed to ``fit``.
        y_synthetic : Series or ndarray of shape (n_samples,)
            Only with ``return_y``: the target of each row, in ``y``'s
            container and dtype.
        """
        check_is_fitted(self)
        if not isinstance(n_samples, Integral) or isinstance(n_samples, bool):
            raise TypeError(
                f"n_samples must be an integer, got {type(n_samples).__name__}."
            )
        if n_samples < 1:
            raise ValueError(f"n_samples must be at least 1, got {n_samples}.")
        if return_y and getattr(self, "_target", None) is None:
            raise ValueError(
                "sample(return_y=True) needs a synthesizer fitted with fit(X, y); "
                "this one was fitted without y."
            )
        if random_state is None:
            rng = self._sampling_rng
        else:
            seed = check_random_state(random_state).randint(MAX_SEED)
            rng = np.random.default_rng(seed)
        n_samples = int(n_samples)
        if conditions is None:
            frame = self._sample_chunked(n_samples, rng)
        else:
            frame = self._sample_conditioned(conditions, n_samples, rng)
        fitted = getattr(self, "constraints_", None)
        if fitted:
            frame = restore(fitted, frame, self._columns)
        target = getattr(self, "_target", None)
        y = None
        if target is not None:
            frame, y = target.split(frame)
        if self._output_dtype is not None:
            frame = frame.to_numpy(dtype=self._output_dtype)
        return (frame, y) if return_y else frame

    def _sample_chunked(self, n_samples, rng):
        """Rows decoded a chunk at a time: memory beyond the output stays bounded."""
        chunks = [
            self._sample(min(SAMPLE_CHUNK, n_samples - start), rng)
            for start in range(0, n_samples, SAMPLE_CHUNK)
        ]
        return chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)

    def _sample_conditioned(self, conditions, n_samples, rng):
        """Each row drawn under its condition, in the order of the conditions."""
        parts = []
        fitted = getattr(self, "constraints_", None)
        for condition, rows in plan(conditions, n_samples, self._modelled_columns()):
            condition = Condition(tuple(rewrite(fitted, list(condition.items))))
            part = self._sample_matching(len(rows), condition, rng)
            parts.append(part.set_axis(rows))
        return pd.concat(parts).sort_index().reset_index(drop=True)

    def _modelled_columns(self):
        """The columns of the table the synthesizer models, its target included.

        Fitted before the columns were recorded (older pickles): from
        ``feature_names_in_`` or positions, and the target's name.
        """
        columns = getattr(self, "_columns", None)
        if columns is None:
            names = getattr(self, "feature_names_in_", None)
            columns = list(range(self.n_features_in_) if names is None else names)
            target = getattr(self, "_target", None)
            columns += [] if target is None else [target.name]
        return columns

    def _sample_matching(self, n_samples, condition, rng):
        """``n_samples`` rows that meet a ``Condition``, from bounded proposals."""
        parts, n_kept, n_proposed, n_resampled = [], 0, 0, 0
        prepared = self._prepare_condition(condition)
        for rounds in range(PROPOSAL_ROUNDS + 1):
            if n_kept >= n_samples:
                break
            if n_proposed >= PROPOSAL_BUDGET or rounds == PROPOSAL_ROUNDS:
                raise ValueError(
                    f"conditions {condition.describe()}: only {n_kept} of "
                    f"{n_proposed} rows drawn from the model met them, and "
                    f"{n_samples} were asked for. Widen the ranges, or ask for "
                    "fewer rows."
                )
            rate = (n_kept + 1) / (n_proposed + 1)
            frame, resampled = self._propose(
                n_samples - n_kept, rate, condition, prepared, rng
            )
            n_proposed += len(frame)
            n_resampled += resampled
            frame = frame[condition.matches(frame)]
            parts.append(frame)
            n_kept += len(frame)
        if n_resampled:
            warnings.warn(
                f"conditions {condition.describe()}: the model deems them very rare; "
                f"{n_resampled} of the {n_samples} rows were drawn by importance "
                "resampling, so they vary less than exact draws would.",
                UserWarning,
                stacklevel=4,
            )
        return pd.concat(parts, ignore_index=True).iloc[:n_samples]

    def _prepare_condition(self, condition):
        """What ``_propose`` needs of ``condition``, worked out once (None here).

        Raises ValueError naming a column when the condition cannot be met.
        """
        return None

    def _propose(self, n_needed, rate, condition, prepared, rng):
        """Rows of which about ``n_needed`` meet ``condition``; how many resampled.

        By rejection: ``rate`` is the share of proposed rows met so far.
        """
        return self._sample(proposal_size(n_needed, rate), rng), 0

    def score(self, X, y=None):
        """How well a fresh sample predicts each column of ``X`` from the others.

        Uses :class:`~sklearn_tabbias.metrics.ColumnPredictionScorer` with its
        defaults (gradient boosting trained on 2,000 synthetic rows predicts
        every column of ``X`` from the other columns; accuracy for categories,
        R² on the real column's quantile scale for numbers; the mean over the
        columns; fixed seed), so ``GridSearchCV(scoring=None)`` ranks
        synthesizers by it. On 300-row tables cut into 5 folds it ranks
        candidates the way a 10,000-row test does, where the divergence and
        detection scores do not (see the user guide); for the JS divergence
        use :class:`~sklearn_tabbias.metrics.DivergenceScorer`.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features_in_)
            Held-out real rows with the columns seen in ``fit``.
        y : None
            Ignored.

        Returns
        -------
        score : float
            At most 1 (every column predicted exactly); about 0 when the
            sample carries no dependence between columns. Greater is better.
        """
        check_is_fitted(self)
        validate_data(self, X, reset=False, skip_check_array=True)
        return ColumnPredictionScorer()(self, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        return tags


def proposal_size(n_needed, rate):
    """Rows to draw for about ``n_needed`` to meet a condition.

    ``rate`` is the share of rows drawn so far that met it; at least 1,024
    rows, at most ``SAMPLE_CHUNK``.
    """
    return int(np.clip(1.2 * n_needed / rate, 1024, SAMPLE_CHUNK))


@dataclass
class _Target:
    """Where ``fit``'s ``y`` lives in the modelled table, and how it came."""

    name: object
    is_series: bool
    dtype: object

    @classmethod
    def of(cls, y, frame):
        """Check ``y`` against the table ``frame`` and name its column."""
        values = np.asarray(y)
        if values.ndim != 1:
            raise ValueError(
                f"y must be 1-d (one target per row), got shape {values.shape}; "
                "put several targets in X as columns."
            )
        check_consistent_length(frame, values)
        is_series = isinstance(y, pd.Series)
        if all(isinstance(c, Integral) for c in frame.columns):
            name = len(frame.columns)  # an array's columns are 0 .. n-1
        else:
            name = y.name if is_series and y.name is not None else "y"
        if name in frame.columns:
            raise ValueError(
                f"y is named {name!r}, but X already has a column {name!r}; rename "
                "one of them, or pass the target inside X only."
            )
        return cls(name, is_series, values.dtype)

    def joined(self, frame, y):
        """A copy of the table with ``y`` as its last column."""
        joined = frame.copy()
        joined[self.name] = y.to_numpy() if self.is_series else np.asarray(y)
        return joined

    def split(self, frame):
        """Features and target of a sampled table."""
        y = frame[self.name]
        X = frame.drop(columns=[self.name])
        if not self.is_series:
            y = y.to_numpy(dtype=self.dtype if self.dtype != object else None)
        return X, y


@contextmanager
def _verbose_logging(verbose):
    """Show the package's INFO messages on stderr while ``verbose`` is set."""
    if not verbose or logger.handlers:
        yield
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[sklearn_tabbias] %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
