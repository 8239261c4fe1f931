"""Model averaging: θ0 is the element-wise mean of the seed runs (paper eq. 2)."""

from sklearn_tabbias.bias._base import BiasMethod


class AverageBias(BiasMethod):
    """θ0 = element-wise mean of the S seed runs' weights.

    Examples
    --------
    >>> from sklearn_tabbias.bias import AverageBias
    >>> AverageBias()
    AverageBias()
    """

    def initial_state(self, runner, seed_runs, real):
        """Average the seed runs' weights."""
        return runner.average(seed_runs.state)
