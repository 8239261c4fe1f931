"""The interface every bias method implements."""

from dataclasses import dataclass

from sklearn.base import BaseEstimator


@dataclass
class RealRows:
    """The real rows of a fit, encoded: the training and validation split."""

    train: object
    val: object


class BiasMethod(BaseEstimator):
    """Base class of the inductive-bias methods.

    A bias method turns the S seed runs trained on the real rows into initial
    weights θ0 for the fine-tuning runs. It talks to the model only through a
    runner (see ``sklearn_tabbias.synthesizers._vae_runner.VAERunner``), so the
    same method can serve other generators.

    Subclasses implement :meth:`initial_state`.
    """

    #: Whether the method needs ``runner.loss`` on explicit parameters (MAML).
    needs_functional_loss = False

    def initial_state(self, runner, seed_runs, real):
        """Build θ0.

        Parameters
        ----------
        runner : VAERunner
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
