"""Pre-training on samples of the best seed run (paper §2.1.1)."""

from numbers import Integral

from sklearn.utils._param_validation import Interval

from sklearn_tabbias.bias._base import BiasMethod


class PretrainBias(BiasMethod):
    """θ0 = best of S runs trained on ``n_samples`` rows drawn from the best seed run.

    Parameters
    ----------
    n_samples : int, default=10000
        Synthetic rows drawn from the best seed run (split for validation like
        the real rows).

    Examples
    --------
    >>> from sklearn_tabbias.bias import PretrainBias
    >>> PretrainBias(n_samples=5000)
    PretrainBias(n_samples=5000)
    """

    uses_all_seed_runs = False

    _parameter_constraints = {"n_samples": [Interval(Integral, 2, None, closed="left")]}

    def __init__(self, n_samples=10000):
        self.n_samples = n_samples

    def initial_state(self, runner, seed_runs, real):
        """Sample from the best seed run, train S runs on it, keep the best."""
        rows = runner.sample_from(seed_runs.best_state, real.train, self.n_samples)
        train, val = runner.split(rows)
        runs = runner.train(train, val, seed_runs.n_runs, phase="pretrain")
        return runs.best_state
