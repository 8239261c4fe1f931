"""TrainingRecord: what one training phase of a synthesizer did (``history_``)."""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["CURVE_LABELS", "TrainingRecord", "runs_label"]

#: Curve names of the records and what they measure (plot labels).
CURVE_LABELS = {
    "validation": "validation loss (−ELBO per row)",
    "train": "training loss (−ELBO per row)",
    "generator": "generator loss",
    "discriminator": "discriminator loss",
    "query": "MAML query loss",
}


@dataclass
class TrainingRecord:
    """One training phase: one entry of a synthesizer's ``history_``.

    Both synthesizers and the bias methods write them, and
    :class:`~sklearn_tabbias.plotting.TrainingCurvesDisplay` draws them.

    Attributes
    ----------
    phase : str
        "seed" (runs on the real rows), "pretrain", "drs", "maml" (building
        θ0), "finetune" (runs on the real rows from θ0).
    n_runs : int
        Runs trained together (the members of a VAE ensemble; 1 for a CTGAN
        pair and for MAML's θ).
    n_train : int
        Training rows (for MAML, the rows of all tasks).
    n_val : int
        Validation rows; 0 where the phase does not validate.
    warm_start : bool
        Whether the runs started from trained weights (θ0).
    batch_size : int
        Rows per optimiser step.
    steps_per_epoch : int
        Optimiser steps per epoch (1 for MAML's meta-iterations).
    epochs : ndarray of int, shape (n_runs,)
        Epochs (MAML: meta-iterations) each run took.
    curves : dict of str to ndarray of shape (max(epochs), n_runs)
        Losses per epoch and run (keys of :data:`CURVE_LABELS`); NaN where a
        run had stopped or the loss was not computed.
    seconds : float
        Wall time of the phase.
    best_epoch : ndarray of int, shape (n_runs,) or None
        The epoch whose weights each run kept; None: the last one.
    unit : str
        What ``epochs`` counts: "epoch" or "iteration".

    Examples
    --------
    >>> import numpy as np
    >>> record = TrainingRecord("seed", n_runs=2, n_train=8, n_val=2,
    ...     warm_start=False, batch_size=8, steps_per_epoch=1,
    ...     epochs=np.array([3, 2]), curves={"train": np.ones((3, 2))},
    ...     seconds=0.1)
    >>> record.n_epochs
    3
    """

    phase: str
    n_runs: int
    n_train: int
    n_val: int
    warm_start: bool
    batch_size: int
    steps_per_epoch: int
    epochs: np.ndarray
    curves: dict = field(default_factory=dict)
    seconds: float = 0.0
    best_epoch: np.ndarray = None
    unit: str = "epoch"

    @property
    def n_epochs(self):
        """Epochs of the longest run."""
        return int(np.max(self.epochs)) if len(self.epochs) else 0

    @property
    def steps(self):
        """Optimiser steps of the longest run."""
        return self.n_epochs * self.steps_per_epoch


def runs_label(n_runs):
    """How progress bars and plots name a phase's runs: "1 run", "3 runs"."""
    return f"{n_runs} run{'s' if n_runs != 1 else ''}"
