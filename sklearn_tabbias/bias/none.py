"""No bias: the best seed run is the model (the paper's "Low data" row)."""

from sklearn_tabbias.bias._base import BiasMethod


class NoBias(BiasMethod):
    """No inductive bias: keep the best of the S seed runs, no fine-tuning.

    Examples
    --------
    >>> from sklearn_tabbias.bias import NoBias
    >>> NoBias()
    NoBias()
    """

    uses_all_seed_runs = False

    def initial_state(self, runner, seed_runs, real):
        """Return None: there is no fine-tuning phase."""
        return None
