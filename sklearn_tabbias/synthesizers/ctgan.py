"""BiasedCTGAN: SDV's CTGAN with a real warm start from any bias method."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_tabbias._validation import MAX_SEED, as_labels
from sklearn_tabbias.base import SynthesizerMixin, proposal_size
from sklearn_tabbias.bias import BIAS_METHODS, BiasMethod, RealRows
from sklearn_tabbias.codecs import ContinuousCodec
from sklearn_tabbias.synthesizers._common import (
    COMMON_CONSTRAINTS,
    TorchPickleMixin,
)
from sklearn_tabbias.synthesizers._ctgan_runner import (
    CTGANRunner,
    auto_batch,
    steps_per_epoch,
)
from sklearn_tabbias.synthesizers._settings import CTGANSettings, settings_from
from sklearn_tabbias.synthesizers._skeleton import BiasedFitMixin

__all__ = ["BiasedCTGAN"]

_NAN = "__nan__"
#: ctgan's default epochs, the least ``epochs="auto"`` trains.
CTGAN_EPOCHS = 300
#: Generator steps every training on the real rows takes with ``epochs="auto"``.
AUTO_MIN_STEPS = 6000
#: Point-mass indicator of a value that is none of its column's point masses.
_REST = "-"


class BiasedCTGAN(BiasedFitMixin, TorchPickleMixin, SynthesizerMixin, BaseEstimator):
    """CTGAN (the ``ctgan`` package SDV ships) with an artificial inductive bias.

    The fit is the one both synthesizers share: seed runs on the real rows, a
    bias method builds θ0 (the generator's **and** the discriminator's
    weights) from them, and a CTGAN fine-tunes from θ0 on the real rows. A GAN
    has no validation loss to rank runs by, so where only the best run would
    be kept one run trains:

    * ``"none"``: one CTGAN trained on the real rows.
    * ``"pretrain"``: one CTGAN trained on the real rows samples 10,000 rows
      (``pretrain_samples``); a second CTGAN trains on them for
      ``pretrain_epochs``; it then fine-tunes on the real rows (the paper's
      CTGAN Pre-train).
    * ``"avg"``: θ0 is the element-wise mean of ``n_seeds`` CTGANs' weights.
    * ``"drs"``: ``n_seeds`` CTGANs each contribute an equal share of the
      synthetic rows one CTGAN pre-trains on (paper eq. 7).
    * ``"maml"``: θ0 is meta-learned from a fresh CTGAN, each seed run's
      samples a task; an adversarial loss takes no explicit parameters, so
      :class:`~sklearn_tabbias.bias.MAMLBias` takes Reptile steps (its
      first-order cousin) through CTGAN's own training steps.
    * a :class:`~sklearn_tabbias.bias.BiasMethod` object with its parameters
      (``bias__<name>`` in a grid).

    Unlike the paper's reference code, whose warm start is discarded by
    ``CTGAN.fit``, the fine-tuning phase really starts from the pre-trained
    weights (``init_state_``), and every phase uses the one data transformer
    fitted on the real rows. Built on ctgan's ``DataTransformer``,
    ``DataSampler``, ``Generator``, ``Discriminator`` and loss pieces; ctgan and
    SDV are under the Business Source License.

    Parameters
    ----------
    bias : {"none", "pretrain", "avg", "maml", "drs"} or BiasMethod, \
default="pretrain"
        The bias method.
    n_seeds : int, default=10
        CTGANs trained on the real rows for "avg", "drs" and "maml" (one for
        "none" and "pretrain").
    epochs : int or "auto", default="auto"
        Epochs on the real rows (phase 1 and fine-tuning). "auto": ctgan's 300
        epochs, or more on small tables, so that every training on the real
        rows takes at least ``AUTO_MIN_STEPS`` (6,000) generator steps; the
        300 epochs of a few hundred rows are only 600 steps, after which a
        CTGAN has learned little of the joint distribution (see
        ``docs/benchmarks.md``).
    pretrain_samples : int, default=None
        Short form of the bias method's ``n_samples`` (synthetic rows for
        "pretrain", "drs" and the "maml" tasks; None: its default, 10,000);
        an error with a BiasMethod object.
    pretrain_epochs : int, default=30
        Epochs of a CTGAN on synthetic rows ("pretrain", "drs").
    embedding_dim : int, default=128
        Size of the generator's noise input.
    generator_dim, discriminator_dim : tuple of int, default=(256, 256)
        Hidden layer sizes.
    generator_lr, discriminator_lr : float, default=2e-4
        Adam learning rates.
    generator_decay, discriminator_decay : float, default=1e-6
        Adam weight decays.
    batch_size : int or "auto", default="auto"
        Rows per step on the real rows. "auto": half the rows, at most 500,
        rounded down to a multiple of ``2 * pac`` so that an epoch has at least two
        steps. Pre-training uses 500 (or fewer when there are fewer rows).
    pac : int, default=10
        Rows the discriminator judges together; lowered to 1 for tables with
        fewer than ``4 * pac`` rows.
    discriminator_steps : int, default=1
        Discriminator steps per generator step.
    log_frequency : bool, default=True
        Sample conditions by log frequency.
    categorical_features : array-like of str or int, default=None
        Columns forced to be discrete; others are inferred as in
        :class:`~sklearn_tabbias.encoding.TabularEncoder`.
    constraints : list, "auto" or None, default="auto"
        Rules every sampled row keeps by construction, e.g.
        ``[FixedCombinations(["education", "education-num"])]`` (see
        :mod:`sklearn_tabbias.constraints`); fitted copies are
        ``constraints_``. "auto": the columns that map one to one in the
        training rows keep their observed combinations
        (:func:`~sklearn_tabbias.constraints.detect_fixed_combinations`, with a
        warning naming them); None: no rule.
    n_jobs : int, default=None
        Processes for the independent seed runs of "avg", "drs" and "maml"
        (joblib); the result does not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds everything; the caller's global numpy/torch states are restored.
    device : str, default="cpu"
        Torch device.
    verbose : int, default=0
        When positive, show a progress bar per training phase (epochs, the
        generator and discriminator losses) and log each phase to stderr.

    Attributes
    ----------
    schema_ : TabularEncoder
        Column kinds and dtypes of the real table.
    generator_ : torch.nn.Module
        The sampling generator (eval mode when sampling).
    discriminator_ : torch.nn.Module
        Its discriminator.
    bias_ : BiasMethod
        The bias method used.
    init_state_ : dict or None
        θ0: state dicts of the generator and discriminator that fine-tuning
        started from (``{"generator": ..., "discriminator": ...}``); None for
        "none".
    batch_size_, pac_, epochs_ : int
        The batch size, pac and epochs used on the real rows.
    history_ : list of TrainingRecord
        One :class:`~sklearn_tabbias.training.TrainingRecord` per trained
        CTGAN: its rows, epochs, generator and discriminator losses, seconds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedCTGAN
    >>> X = load_iris(as_frame=True).frame
    >>> gen = BiasedCTGAN(bias="pretrain", epochs=2, pretrain_samples=200,
    ...                   pretrain_epochs=1, random_state=0).fit(X)
    >>> gen.sample(4).shape
    (4, 5)
    """

    BIAS_SHORTHANDS = {"pretrain_samples": "n_samples"}

    _parameter_constraints = {
        "bias": [StrOptions(set(BIAS_METHODS)), BiasMethod],
        "n_seeds": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "pretrain_samples": [Interval(Integral, 2, None, closed="left"), None],
        "pretrain_epochs": [Interval(Integral, 1, None, closed="left")],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "generator_dim": ["array-like"],
        "discriminator_dim": ["array-like"],
        "generator_lr": [Interval(Real, 0, None, closed="neither")],
        "generator_decay": [Interval(Real, 0, None, closed="left")],
        "discriminator_lr": [Interval(Real, 0, None, closed="neither")],
        "discriminator_decay": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "pac": [Interval(Integral, 1, None, closed="left")],
        "discriminator_steps": [Interval(Integral, 1, None, closed="left")],
        "log_frequency": ["boolean"],
        "n_jobs": [Integral, None],
        **COMMON_CONSTRAINTS,
    }

    def __init__(
        self,
        bias="pretrain",
        n_seeds=10,
        epochs="auto",
        pretrain_samples=None,
        pretrain_epochs=30,
        embedding_dim=128,
        generator_dim=(256, 256),
        discriminator_dim=(256, 256),
        generator_lr=2e-4,
        generator_decay=1e-6,
        discriminator_lr=2e-4,
        discriminator_decay=1e-6,
        batch_size="auto",
        pac=10,
        discriminator_steps=1,
        log_frequency=True,
        categorical_features=None,
        constraints="auto",
        n_jobs=None,
        random_state=None,
        device="cpu",
        verbose=0,
    ):
        self.bias = bias
        self.n_seeds = n_seeds
        self.epochs = epochs
        self.pretrain_samples = pretrain_samples
        self.pretrain_epochs = pretrain_epochs
        self.embedding_dim = embedding_dim
        self.generator_dim = generator_dim
        self.discriminator_dim = discriminator_dim
        self.generator_lr = generator_lr
        self.generator_decay = generator_decay
        self.discriminator_lr = discriminator_lr
        self.discriminator_decay = discriminator_decay
        self.batch_size = batch_size
        self.pac = pac
        self.discriminator_steps = discriminator_steps
        self.log_frequency = log_frequency
        self.categorical_features = categorical_features
        self.constraints = constraints
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.device = device
        self.verbose = verbose

    def _batch_and_pac(self, n_rows):
        pac = self.pac if n_rows >= 4 * self.pac else 1
        if self.batch_size == "auto":
            return auto_batch(n_rows, pac), pac
        if self.batch_size % (2 * pac):
            raise ValueError(
                f"batch_size={self.batch_size} must be a multiple of 2 * pac = "
                f"{2 * pac}."
            )
        return self.batch_size, pac

    def _epochs(self, n_rows):
        if self.epochs != "auto":
            return self.epochs
        steps = steps_per_epoch(n_rows, self.batch_size_)
        return max(CTGAN_EPOCHS, -(-AUTO_MIN_STEPS // steps))

    def _start(self, frame, encoder, device, rng):
        self.schema_ = encoder
        prepared, discrete = _prepare(frame, encoder)
        self.batch_size_, self.pac_ = self._batch_and_pac(len(frame))
        self.epochs_ = self._epochs(len(frame))
        settings = settings_from(
            CTGANSettings,
            self,
            epochs=self.epochs_,
            generator_dim=tuple(self.generator_dim),
            discriminator_dim=tuple(self.discriminator_dim),
            batch_size=self.batch_size_,
            pac=self.pac_,
            device=device,
        )
        runner = CTGANRunner(prepared, discrete, settings, rng)
        return runner, RealRows(runner.real, None)

    def _encode(self, runner, encoder, frame):
        return runner.encode(_prepare(frame, encoder)[0])

    def _finish(self, runner, seed_runs, final, real):
        self.generator_, self.discriminator_ = runner.load_pair(final.best_state)

    def _sample(self, n_samples, rng):
        table = self._runner.sample(self.generator_, n_samples, rng.integers(MAX_SEED))
        return _restore(table, self.schema_)

    def _prepare_condition(self, condition):
        """The conditional vector of the condition's first single category.

        None: there is none, rows are drawn freely. Raises ValueError for a
        value never seen in fit.
        """
        conditioned = self.schema_.conditioned_blocks(condition)
        return _conditional_vector(conditioned, self.schema_)

    def _propose(self, n_needed, rate, condition, prepared, rng):
        """Rows to filter by the condition, drawn with its conditional vector."""
        table = self._runner.sample(
            self.generator_,
            proposal_size(n_needed, rate),
            rng.integers(MAX_SEED),
            condition=prepared,
        )
        return _restore(table, self.schema_), 0


def _prepare(frame, schema):
    """Rows for ctgan: positional names, indicators, discrete columns as strings."""
    prepared, discrete = {}, []
    for i, codec in enumerate(schema.columns_):
        column = frame.iloc[:, i]
        name = f"c{i}"
        if isinstance(codec, ContinuousCodec):
            values = pd.to_numeric(column, errors="coerce").astype("float64")
            for suffix, labels in _indicators(codec, values).items():
                prepared[name + suffix] = labels
                discrete.append(name + suffix)
            prepared[name] = _continuous_part(codec, values)
        else:
            if np.asarray(codec.values).dtype.kind == "f":  # numbers kept as floats
                column = pd.to_numeric(column, errors="coerce").astype("float64")
            prepared[name] = as_labels(column, _NAN)
            discrete.append(name)
    return pd.DataFrame(prepared), discrete


def _indicators(codec, values):
    """Discrete companions of a continuous column: NaN, and which point mass.

    ctgan's mode-specific normalisation smears a point mass over its modes (on
    300 King rows, half of the sampled yr_renovated fell between 0 and 1900,
    where no real row lies); as a discrete column ctgan samples it exactly.
    """
    out = {}
    if codec.has_nan:
        out["_nan"] = np.where(values.isna(), "1", "0")
    if len(codec.spikes):
        mass = np.full(len(values), _REST, dtype=object)
        for j, spike in enumerate(codec.spikes):
            mass[values.to_numpy() == spike] = str(j)
        out["_mass"] = mass
    return out


def _scale(codec):
    """A power of ten that brings a column of huge numbers near 1 for ctgan.

    ctgan's Gaussian mixtures square the values: numbers beyond about 1e154
    overflow to inf. Columns within ``±1e100`` are passed as they are (1).
    """
    largest = max(abs(codec.low), abs(codec.high))
    if not np.isfinite(largest) or largest <= 1e100:
        return 1.0
    return float(10.0 ** np.floor(np.log10(largest)))


def _continuous_part(codec, values):
    """A continuous column with NaN and point masses set to the other values' median.

    Their indicator columns carry them; huge numbers are divided by
    :func:`_scale`.
    """
    at_mass = values.isin(codec.spikes) | values.isna()
    rest = values[~at_mass]
    fill = rest.median() if len(rest) else 0.0
    return values.where(~at_mass, fill).to_numpy() / _scale(codec)


def _conditional_vector(conditioned, schema):
    """The (prepared column, label) of the first category allowing one value.

    ``conditioned``: ``TabularEncoder.conditioned_blocks`` of a condition;
    None when no category column allows a single value.
    """
    for blocks, allowed in conditioned:
        if not blocks or allowed.states is None or len(allowed.states) != 1:
            continue  # a constant, or several values allowed
        index = blocks[0].column
        codec = schema.columns_[index]
        if isinstance(codec, ContinuousCodec):
            continue
        value = codec.take(np.asarray(allowed.states))[0]
        return f"c{index}", as_labels(pd.Series([value], dtype=object), _NAN)[0]
    return None


def _restore(table, schema):
    """Decoded ctgan rows back to the input schema (names, dtypes, NaN)."""
    return schema.assemble(
        [_decoded(table, f"c{i}", codec) for i, codec in enumerate(schema.columns_)]
    )


def _decoded(table, name, codec):
    """One column's values from ctgan's decoded rows (and its indicators)."""
    raw = table[name]
    if not isinstance(codec, ContinuousCodec):
        lookup = {str(v): v for v in codec.values}
        return np.array([lookup.get(v, np.nan) for v in raw.astype(str)], dtype=object)
    values = codec.snap(raw.to_numpy(dtype="float64") * _scale(codec))
    if len(codec.spikes):
        mass = table[f"{name}_mass"].astype(str).to_numpy()
        for j, spike in enumerate(codec.spikes):
            values[mass == str(j)] = spike
    if codec.has_nan:
        values[table[f"{name}_nan"].astype(str).to_numpy() == "1"] = np.nan
    return values
