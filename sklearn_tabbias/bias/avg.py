"""Model averaging: θ0 is the element-wise mean of the seed runs (paper eq. 2)."""

from sklearn_tabbias.bias._base import (
    DIVERSITY_CONSTRAINTS,
    BiasMethod,
    DiverseSeedRuns,
)


class AverageBias(DiverseSeedRuns, BiasMethod):
    """θ0 = element-wise mean of the S seed runs' weights.

    Parameters
    ----------
    shared_init : bool, default=False
        Start every seed run from one random initialisation instead of its
        own (the paper's), so the averaged networks' hidden units correspond
        (a "model soup" of runs that differ by data order and noise).
    bootstrap : bool, default=False
        Train each seed run on its own bootstrap resample of the training
        rows (their validation rows are shared).

    Examples
    --------
    >>> from sklearn_tabbias.bias import AverageBias
    >>> AverageBias(shared_init=True, bootstrap=True)
    AverageBias(bootstrap=True, shared_init=True)
    """

    _parameter_constraints = dict(DIVERSITY_CONSTRAINTS)

    def __init__(self, shared_init=False, bootstrap=False):
        self.shared_init = shared_init
        self.bootstrap = bootstrap

    def initial_state(self, runner, seed_runs, real):
        """Average the seed runs' weights."""
        return runner.average(seed_runs.state)
