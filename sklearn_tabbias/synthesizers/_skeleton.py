"""The fit both synthesizers share (a template method, like sklearn's BaseMixture).

encode -> seed runs -> ``bias.initial_state`` -> fine-tuning from θ0 -> the
best run samples. A synthesizer provides the runner (:meth:`_start`) and keeps
what samples (:meth:`_finish`); the bias methods see only the runner
(:class:`~sklearn_tabbias.bias.Runner`).
"""

import warnings
from functools import partial

import pandas as pd

from sklearn_tabbias._validation import MAX_SEED, as_frame
from sklearn_tabbias.bias import make_bias
from sklearn_tabbias.constraints import transform_known
from sklearn_tabbias.encoding import TabularEncoder
from sklearn_tabbias.synthesizers._common import check_device, check_varying

__all__ = ["BiasedFitMixin"]


class BiasedFitMixin:
    """``_fit`` for a synthesizer with an artificial inductive bias.

    The synthesizer has the parameters ``bias``, ``n_seeds``,
    ``categorical_features`` and ``device``, a class attribute
    ``BIAS_SHORTHANDS`` (its short-form parameter -> the bias parameter), and
    implements :meth:`_start` (whose ``RealRows.n_runs``, default 1, sets the
    runs of the fine-tuning) and :meth:`_finish`. A runner that cannot rank
    its runs (``ranks_runs`` False: a GAN has no validation loss) trains one
    seed run when the method uses only the best one.
    """

    #: Short-form parameters -> the bias method's parameter each one sets.
    BIAS_SHORTHANDS = {}

    def _bias_method(self):
        shorthands = {
            flat: (inner, getattr(self, flat))
            for flat, inner in self.BIAS_SHORTHANDS.items()
        }
        return make_bias(self.bias, shorthands, type(self).__name__)

    def _fit(self, frame, rng):
        self._check_rows(frame)
        device = check_device(self.device)
        self.bias_ = self._bias_method()
        extra = self.bias_.extra_rows(rng)  # in the user's columns
        learnt = frame
        if extra is not None:
            extra = _with_dtypes(_named(extra, self._columns), frame)
            rows = _with_dtypes(self._as_model_rows(extra)[0], frame)
            learnt = pd.concat([frame, rows], ignore_index=True)
        encoder = TabularEncoder(
            categorical_features=self._categorical_left(),
            random_state=rng.randint(MAX_SEED),
        ).fit(learnt)
        check_varying(encoder)
        runner, real = self._start(frame, encoder, device, rng)
        real.encode = partial(self._encode_known, runner, encoder)
        real.extra = extra
        ranks, uses_all = runner.ranks_runs, self.bias_.uses_all_seed_runs
        seed_runs = None
        if self.bias_.uses_seed_runs:
            n_seed_runs = self.n_seeds if ranks or uses_all else 1
            seed_runs = self.bias_.train_seed_runs(runner, real, n_seed_runs)
        self.init_state_ = self.bias_.initial_state(runner, seed_runs, real)
        final = seed_runs
        if self.init_state_ is not None:
            final = runner.train(
                real.train,
                real.val,
                real.n_runs,
                init_state=self.init_state_,
                phase="finetune",
            )
        self._finish(runner, seed_runs, final, real)
        self.history_ = runner.records
        self._runner = runner

    def _as_model_rows(self, rows):
        """Rows in the user's columns as rows of the table the model learns.

        Returns them, after the constraints, and how many rows the
        constraints could not take (see ``constraints.transform_known``).
        """
        return transform_known(self.constraints_, _named(rows, self._columns))

    def _categorical_left(self):
        """``categorical_features`` less the columns constraints rewrote."""
        consumed = {c for k in self.constraints_ or [] for c in k.removes}
        if self.categorical_features is None or not consumed:
            return self.categorical_features
        return [c for c in self.categorical_features if c not in consumed]

    def _encode_known(self, runner, encoder, X):
        """``X``, in the user's columns, encoded like the real rows.

        Rows the constraints or the encoder cannot take are left out.
        """
        frame, left_out = self._as_model_rows(X)
        known = encoder.known_rows(frame)
        n_rows, n_out = len(frame) + left_out, left_out + (~known).sum()
        if n_out == n_rows:
            raise ValueError(
                f"None of the {n_rows} rows given to {type(self.bias_).__name__} "
                "can be encoded: each holds a category or a NaN that the real rows "
                "do not (see TabularEncoder.known_rows), or a combination of "
                "columns that a constraint does not allow."
            )
        if n_out:
            warnings.warn(
                f"{type(self.bias_).__name__}: {n_out} of {n_rows} rows hold a "
                "category, a NaN or a combination of columns (FixedCombinations) "
                "that the real rows do not; they are left out.",
                UserWarning,
                stacklevel=2,
            )
        return self._encode(runner, encoder, frame[known])

    def _encode(self, runner, encoder, frame):
        """Rows of ``frame`` in the runner's encoding."""
        raise NotImplementedError

    def _check_rows(self, frame):
        """Raise when ``frame`` has too few rows for this synthesizer."""

    def _start(self, frame, encoder, device, rng):
        """The runner and the encoded real rows (``RealRows``)."""
        raise NotImplementedError

    def _finish(self, runner, seed_runs, final, real):
        """Keep the sampling model and the fitted attributes."""
        raise NotImplementedError


def _named(X, columns):
    """``X`` as a DataFrame; an array of that width takes the ``columns``."""
    rows = as_frame(X)
    if not isinstance(X, pd.DataFrame) and rows.shape[1] == len(columns):
        rows = rows.set_axis(list(columns), axis=1)  # a sampler's array
    return rows


def _with_dtypes(rows, frame):
    """``rows`` cast to the dtypes of ``frame``'s columns where they can be."""
    rows = rows.copy()
    for name, dtype in frame.dtypes.items():
        if name not in rows.columns:
            continue  # e.g. a constraint's joint column
        try:
            rows[name] = rows[name].astype(dtype)
        except (TypeError, ValueError):
            pass  # e.g. NaN in an integer column: the joint dtype wins
    return rows
