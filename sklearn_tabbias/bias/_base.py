"""The interface every bias method implements, and what it may ask of a runner."""

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sklearn.base import BaseEstimator


@dataclass
class RealRows:
    """The real rows of a fit, encoded: the training and validation split."""

    train: object
    val: object


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
    """

    rng: object
    records: list

    def split(self, rows):
        """Shuffle encoded rows into (train, validation) rows."""

    def train(self, train, val, n_runs, init_state=None, phase="seed"):
        """Train ``n_runs`` runs (from ``init_state`` if given); returns Runs."""

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
    :class:`Runner` (a :class:`FunctionalRunner` when
    ``needs_functional_loss``), so the same method can serve other generators.

    Subclasses implement :meth:`initial_state`.
    """

    #: Whether the method needs ``runner.loss`` on explicit parameters (MAML).
    needs_functional_loss = False

    def initial_state(self, runner, seed_runs, real):
        """Build θ0.

        Parameters
        ----------
        runner : Runner
            Trains and samples the model.
        seed_runs : Runs
            The S seed runs trained on the real rows.
        real : RealRows
            The encoded real rows.

        Returns
        -------
        state : dict of Tensor or None
            One-member state θ0, or None for no fine-tuning phase.
        """
        raise NotImplementedError


def pool_samples(runner, seed_runs, real, n_samples):
    """Draw ``n_samples`` rows evenly from every seed run's generator.

    Returns a list with one tensor per seed run (``ceil(n_samples / S)`` rows
    each).
    """
    n_members = len(seed_runs.val_losses)
    per_member = -(-n_samples // n_members)
    return [
        runner.sample_from(
            {k: v[[s]] for k, v in seed_runs.state.items()}, real.train, per_member
        )
        for s in range(n_members)
    ]
