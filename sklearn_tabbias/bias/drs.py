"""Domain-randomized search: one model on samples pooled from all seed runs."""

from numbers import Integral

import torch
from sklearn.utils._param_validation import Interval

from sklearn_tabbias.bias._base import (
    DIVERSITY_CONSTRAINTS,
    BiasMethod,
    DiverseSeedRuns,
    pool_samples,
)


class DRSBias(DiverseSeedRuns, BiasMethod):
    """θ0 = one run trained on ``n_samples`` rows pooled from all S seed runs.

    Paper eq. 7: every seed run is a task (a domain); their samples are pooled
    into one training set.

    Parameters
    ----------
    n_samples : int, default=10000
        Pooled synthetic rows, drawn evenly from the seed runs.
    shared_init : bool, default=False
        Start every seed run from one random initialisation (see
        :class:`AverageBias`).
    bootstrap : bool, default=False
        Train each seed run on its own bootstrap resample of the training
        rows (more diverse domains to pool).

    Examples
    --------
    >>> from sklearn_tabbias.bias import DRSBias
    >>> DRSBias(n_samples=5000)
    DRSBias(n_samples=5000)
    """

    trained_start = True

    _parameter_constraints = {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        **DIVERSITY_CONSTRAINTS,
    }

    def __init__(self, n_samples=10000, shared_init=False, bootstrap=False):
        self.n_samples = n_samples
        self.shared_init = shared_init
        self.bootstrap = bootstrap

    def initial_state(self, runner, seed_runs, real):
        """Pool samples of every seed run and train one run on them."""
        pooled = torch.cat(pool_samples(runner, seed_runs, real, self.n_samples))
        keep = torch.as_tensor(runner.rng.permutation(len(pooled))[: self.n_samples])
        train, val = runner.split(pooled[keep.to(pooled.device)])
        return runner.train(train, val, 1, phase="drs").best_state
