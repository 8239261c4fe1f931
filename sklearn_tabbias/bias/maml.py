"""MAML: meta-learn θ0 with the seed runs' samples as tasks (paper §2.2.1)."""

import time
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils._param_validation import Interval

from sklearn_tabbias.bias._base import (
    DIVERSITY_CONSTRAINTS,
    BiasMethod,
    DiverseSeedRuns,
    FunctionalRunner,
    pool_samples,
)
from sklearn_tabbias.training import TrainingRecord


class MAMLBias(DiverseSeedRuns, BiasMethod):
    """θ0 meta-learned with MAML over tasks drawn from the S seed runs.

    Each seed run's samples form one task. Every meta-iteration draws a fresh
    support and query batch from each task, adapts a copy of θ per task with
    ``inner_steps`` SGD steps on the support batch (paper eq. 5), and moves θ
    with Adam on the summed query losses of the adapted copies (paper eq. 6).
    All tasks are adapted at once in one batched module. θ starts from a fresh
    random initialisation.

    Parameters
    ----------
    n_samples : int, default=10000
        Synthetic rows in all, drawn evenly from the seed runs.
    inner_steps : int, default=5
        SGD steps of the inner (adaptation) loop.
    inner_lr : float, default=1e-3
        Learning rate α of the inner loop.
    outer_lr : float, default=1e-3
        Learning rate γ of the outer Adam step.
    meta_iterations : int, default=300
        Outer steps.
    first_order : bool, default=False
        Drop the second-order terms (first-order MAML).
    batch_size : int, default=None
        Rows in each support and query batch (at most half a task); None: the
        synthesizer's ``batch_size``.
    reptile_step : float, default=0.5
        For generators whose loss cannot take explicit parameters (CTGAN's
        adversarial losses), MAML's first-order cousin Reptile (Nichol et al.,
        2018) runs instead: each meta-iteration adapts θ to every task with
        ``inner_steps`` of the generator's own training steps and moves θ this
        share of the way to the adapted weights' mean. ``inner_lr``,
        ``outer_lr``, ``first_order`` and ``batch_size`` do not apply there.
    shared_init : bool, default=False
        Start every seed run from one random initialisation (see
        :class:`AverageBias`).
    bootstrap : bool, default=False
        Train each seed run on its own bootstrap resample of the training
        rows (more diverse tasks).

    Examples
    --------
    >>> from sklearn_tabbias.bias import MAMLBias
    >>> MAMLBias(inner_steps=3, first_order=True)
    MAMLBias(first_order=True, inner_steps=3)
    """

    _parameter_constraints = {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "inner_steps": [Interval(Integral, 1, None, closed="left")],
        "inner_lr": [Interval(Real, 0, None, closed="neither")],
        "outer_lr": [Interval(Real, 0, None, closed="neither")],
        "meta_iterations": [Interval(Integral, 0, None, closed="left")],
        "first_order": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "reptile_step": [Interval(Real, 0, 1, closed="right")],
        **DIVERSITY_CONSTRAINTS,
    }

    def __init__(
        self,
        n_samples=10000,
        inner_steps=5,
        inner_lr=1e-3,
        outer_lr=1e-3,
        meta_iterations=300,
        first_order=False,
        batch_size=None,
        reptile_step=0.5,
        shared_init=False,
        bootstrap=False,
    ):
        self.n_samples = n_samples
        self.inner_steps = inner_steps
        self.inner_lr = inner_lr
        self.outer_lr = outer_lr
        self.meta_iterations = meta_iterations
        self.first_order = first_order
        self.batch_size = batch_size
        self.reptile_step = reptile_step
        self.shared_init = shared_init
        self.bootstrap = bootstrap

    def initial_state(self, runner, seed_runs, real):
        """Sample one task per seed run and meta-learn θ0 from a random start."""
        tasks = pool_samples(runner, seed_runs, real, self.n_samples)
        if not isinstance(runner, FunctionalRunner):
            return self.reptile(runner, tasks, runner.new_state(1))
        return self.meta_learn(runner, torch.stack(tasks), runner.new_state(1))

    def reptile(self, runner, tasks, init_state):
        """First-order meta-learning through the runner's own training steps.

        Parameters
        ----------
        runner : Runner
            Provides ``adapt(state, rows, n_steps)`` and ``average(states,
            weights)``.
        tasks : list of Tensor
            Encoded rows of each task.
        init_state : state
            The starting point θ.

        Returns
        -------
        state : the runner's one-run state
            θ after ``meta_iterations`` Reptile steps.
        """
        started = time.perf_counter()
        theta = init_state
        bar = runner.progress(self.meta_iterations, "reptile", unit="iteration")
        for _ in range(self.meta_iterations):
            adapted = runner.average(
                [runner.adapt(theta, task, self.inner_steps) for task in tasks]
            )
            step = self.reptile_step
            theta = runner.average([theta, adapted], weights=[1 - step, step])
            bar.update(1)
        bar.close()
        runner.records.append(
            TrainingRecord(
                phase="maml",
                n_runs=1,
                n_train=sum(len(task) for task in tasks),
                n_val=0,
                warm_start=False,
                batch_size=0,
                steps_per_epoch=self.inner_steps * len(tasks),
                epochs=np.array([self.meta_iterations]),
                seconds=time.perf_counter() - started,
                unit="iteration",
            )
        )
        return theta

    def meta_learn(self, runner, tasks, init_state):
        """Run MAML from ``init_state`` on ``tasks``.

        Parameters
        ----------
        runner : VAERunner
            Provides the network and its loss.
        tasks : Tensor of shape (T, n_rows, n_inputs)
            Encoded rows of each task.
        init_state : dict of Tensor
            One-member starting point.

        Returns
        -------
        state : dict of Tensor
            The meta-learned one-member state θ_MAML.
        """
        started = time.perf_counter()
        theta = {
            k: v.detach().clone().requires_grad_(True) for k, v in init_state.items()
        }
        optimizer = torch.optim.Adam(theta.values(), lr=self.outer_lr)
        generator = runner.generator()
        curve = np.empty(self.meta_iterations)
        bar = runner.progress(self.meta_iterations, "maml", unit="iteration")
        batch_size = self.batch_size or runner.settings.batch_size
        for iteration in range(self.meta_iterations):
            support, query = self._support_query(tasks, generator, batch_size)
            query_loss = self.adapted_loss(runner, theta, support, query, generator)
            optimizer.zero_grad(set_to_none=True)
            query_loss.mean().backward()
            optimizer.step()
            curve[iteration] = query_loss.mean().item()
            bar.update(1)
            bar.set_postfix(query_loss=f"{curve[iteration]:.4f}")
        bar.close()
        runner.records.append(
            TrainingRecord(
                phase="maml",
                n_runs=1,
                n_train=tasks.shape[0] * tasks.shape[1],
                n_val=0,
                warm_start=False,
                batch_size=batch_size,
                steps_per_epoch=1,
                epochs=np.array([self.meta_iterations]),
                curves={"query": curve[:, None]},
                seconds=time.perf_counter() - started,
                unit="iteration",
            )
        )
        return {k: v.detach() for k, v in theta.items()}

    def adapted_loss(self, runner, theta, support, query, generator):
        """Query loss of each task after adapting ``theta`` on its support rows.

        Parameters
        ----------
        runner : VAERunner
            Provides the network and its loss.
        theta : dict of Tensor
            One-member state; when it requires grad, the result is
            differentiable with respect to it.
        support, query : Tensor of shape (T, B, n_inputs)
            Per-task adaptation and evaluation rows.
        generator : torch.Generator
            Source of the reparametrisation noise.

        Returns
        -------
        loss : Tensor of shape (T,)
            Negative ELBO of each task's query rows under its adapted weights.
        """
        n_tasks = support.shape[0]
        network = runner.network(n_tasks)
        latent = network.latent_dim
        params = {k: v.expand(n_tasks, *v.shape[1:]) for k, v in theta.items()}
        if not any(p.requires_grad for p in params.values()):
            params = {k: v.detach().requires_grad_(True) for k, v in params.items()}
        for _ in range(self.inner_steps):
            eps = runner.randn((*support.shape[:2], latent), generator)
            loss = runner.loss(network, support, eps, params).sum()
            grads = torch.autograd.grad(
                loss, list(params.values()), create_graph=not self.first_order
            )
            params = {
                k: p - self.inner_lr * g
                for (k, p), g in zip(params.items(), grads, strict=True)
            }
        eps = runner.randn((*query.shape[:2], latent), generator)
        return runner.loss(network, query, eps, params)

    @staticmethod
    def _support_query(tasks, generator, batch_size):
        n_tasks, n_rows, _ = tasks.shape
        batch = max(1, min(batch_size, n_rows // 2))
        order = torch.argsort(torch.rand(n_tasks, n_rows, generator=generator), dim=1)
        order = order[:, : 2 * batch].to(tasks.device)
        rows = torch.gather(
            tasks, 1, order.unsqueeze(-1).expand(-1, -1, tasks.shape[-1])
        )
        return rows[:, :batch], rows[:, batch:]
