"""The interface every bias method implements, and what it may ask of a runner."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sklearn.base import BaseEstimator


@dataclass
class RealRows:
    """The real rows of a fit, encoded: the training and validation split.

    ``encode(X)`` encodes other rows with the fit's columns (the user's, before
    any constraint) the way the real rows were (rows of a related table, a
    source's samples); rows holding a category or a NaN the real rows have
    not, or a combination of columns a constraint does not allow, are left out
    with a warning.
    ``n_runs`` is how many runs a later phase whose best run is kept trains
    (fine-tuning, pre-training): the VAE's ``n_finetune_runs``, or 1 where
    the runner cannot rank runs.
    ``extra`` holds the rows of :meth:`BiasMethod.extra_rows` (a DataFrame
    with the fit's columns), which the encoder was fitted on as well (after
    the constraints).
    """

    train: object
    val: object
    encode: Callable | None = None
    n_runs: int = 1
    extra: object = None


@runtime_checkable
class Runner(Protocol):
    """What a bias method may ask of a generator's runner.

    A runner trains and samples one generator family on encoded rows; the
    synthesizer creates it in ``fit`` and passes it to
    :meth:`BiasMethod.initial_state`. ``VAERunner`` implements it (and
    :class:`FunctionalRunner`).

    Attributes
    ----------
    rng : numpy.random.RandomState
        Source of every seed; a bias method draws its own from it.
    records : list of TrainingRecord
        The fit's training phases (``history_``); a phase the method trains
        itself appends one.
    ranks_runs : bool
        Whether runs have a validation loss that ranks them; without one
        (CTGAN) ``best`` is the first run.
    """

    rng: object
    records: list
    ranks_runs: bool

    def split(self, rows):
        """Shuffle encoded rows into (train, validation) rows."""

    def train(self, train, val, n_runs, init_state=None, phase="seed", rows=None):
        """Train ``n_runs`` runs (from ``init_state`` if given).

        ``rows`` (int array of shape (n_runs, n)), if given, holds the indices
        into ``train`` of the rows each run trains on (a bootstrap resample);
        by default every run trains on all of ``train``. Returns the runs
        at their kept epochs: ``n_runs``, ``member(s)`` (a one-run state),
        ``state`` (all runs), ``val_losses``, ``best`` and ``best_state``.
        """

    def sample_from(self, state, rows, n_samples):
        """Encoded rows drawn from a one-run ``state`` fitted on ``rows``."""

    def average(self, state):
        """The element-wise mean of the runs of a batched ``state``."""

    def new_state(self, n_runs=1):
        """A fresh random initialisation of ``n_runs`` runs."""


@runtime_checkable
class FunctionalRunner(Runner, Protocol):
    """A runner whose loss takes explicit parameters (what MAML needs).

    Attributes
    ----------
    settings : dataclass
        The generator's settings; MAML reads ``batch_size``.
    """

    settings: object

    def network(self, n_runs):
        """An uninitialised module of ``n_runs`` runs."""

    def loss(self, module, x, eps, params=None):
        """Loss per run of rows ``x`` with noise ``eps`` (``params``: weights)."""

    def randn(self, shape, generator):
        """Standard normal noise on the runner's device."""

    def generator(self):
        """A torch Generator seeded from ``rng``."""

    def progress(self, total, desc, unit="epoch"):
        """A progress bar (shown when the synthesizer is verbose)."""


class BiasMethod(BaseEstimator):
    """Base class of the inductive-bias methods.

    A bias method turns the S seed runs trained on the real rows into initial
    weights θ0 for the fine-tuning runs. It talks to the model only through a
    :class:`Runner` (MAML also uses a :class:`FunctionalRunner`'s loss where
    the runner has one), so the same method serves every generator.

    Subclasses implement :meth:`initial_state`.
    """

    #: Whether θ0 is built from every seed run (False: from the best one only,
    #: so a runner that cannot rank runs trains a single seed run).
    uses_all_seed_runs = True
    #: Whether θ0 is built from the seed runs at all (False: the seed phase is
    #: skipped and :meth:`initial_state` gets ``seed_runs=None``).
    uses_seed_runs = True
    #: Whether θ0 is a model trained to its own stopping point on other rows
    #: (generated or related ones), which fine-tuning only adapts to the real
    #: rows. False: θ0 does not sample well by itself (an average of weights),
    #: so fine-tuning trains as long as a seed run. A runner may fine-tune a
    #: trained start for fewer steps (``BiasedVAESynthesizer``'s
    #: ``finetune_min_steps``).
    trained_start = False

    def train_seed_runs(self, runner, real, n_runs):
        """The S seed runs on the real rows (paper: independent initialisations).

        Parameters
        ----------
        runner : Runner
            Trains the model.
        real : RealRows
            The encoded real rows.
        n_runs : int
            Seed runs to train.

        Returns
        -------
        runs : the runner's runs
        """
        return runner.train(real.train, real.val, n_runs, phase="seed")

    def extra_rows(self, rng):
        """Rows besides the real ones that the encoder must know, or None.

        A method that trains on rows from outside the fit (a related table)
        returns them here, before the encoder is fitted: the encoder then
        learns their categories too, so none of them has to be left out.
        """
        return None

    def initial_state(self, runner, seed_runs, real):
        """Build θ0.

        Parameters
        ----------
        runner : Runner
            Trains and samples the model.
        seed_runs : Runs or None
            The S seed runs trained on the real rows (None when
            ``uses_seed_runs`` is False).
        real : RealRows
            The encoded real rows.

        Returns
        -------
        state : dict of Tensor or None
            One-member state θ0, or None for no fine-tuning phase.
        """
        raise NotImplementedError


class DiverseSeedRuns:
    """Seed runs from one shared start and/or on bootstrap resamples (a mixin).

    For the methods that build θ0 from every seed run. The paper's seed runs
    start from independent random weights and all train on the same rows, so
    they differ only by their start, data order and noise. With
    ``shared_init`` they all start from one random initialisation (weight
    averaging then averages networks whose hidden units correspond, as in
    model soups); with ``bootstrap`` each trains on its own bootstrap
    resample of the training rows (diversity from the data, as in bagging).
    The class using it has the parameters ``shared_init`` and ``bootstrap``.
    """

    def train_seed_runs(self, runner, real, n_runs):
        """The seed runs, from a shared start or on resamples as set."""
        init = runner.new_state(1) if self.shared_init else None
        rows = None
        if self.bootstrap:
            rows = bootstrap_rows(runner.rng, len(real.train), n_runs)
        return runner.train(
            real.train, real.val, n_runs, init_state=init, phase="seed", rows=rows
        )


#: The parameter constraints of :class:`DiverseSeedRuns`.
DIVERSITY_CONSTRAINTS = {"shared_init": ["boolean"], "bootstrap": ["boolean"]}


def bootstrap_rows(rng, n_rows, n_runs):
    """Row indices of ``n_runs`` bootstrap resamples of ``n_rows`` rows.

    Returns an int array of shape (n_runs, n_rows), drawn with replacement
    from ``rng`` (a numpy RandomState).
    """
    return rng.randint(n_rows, size=(n_runs, n_rows))


def pool_samples(runner, seed_runs, real, n_samples):
    """Draw ``n_samples`` rows evenly from every seed run's generator.

    Returns a list with one tensor per seed run (``ceil(n_samples / S)`` rows
    each).
    """
    n_members = seed_runs.n_runs
    per_member = -(-n_samples // n_members)
    return [
        runner.sample_from(seed_runs.member(s), real.train, per_member)
        for s in range(n_members)
    ]
