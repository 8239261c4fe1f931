"""Training and sampling of VAE-BGM ensembles: the model side of the bias methods.

The bias strategies in :mod:`sklearn_tabbias.bias` only see the small protocol
of :class:`VAERunner`: ``train``, ``sample``, ``new_state``, ``average``,
``split`` and ``loss``.
"""

import copy
import logging
import time
from dataclasses import dataclass, replace

import numpy as np
import torch
from sklearn.mixture import BayesianGaussianMixture
from torch import nn

from sklearn_tabbias._progress import progress_bar
from sklearn_tabbias._validation import MAX_SEED
from sklearn_tabbias.nn.vae import (
    EnsembleVAE,
    TabularLikelihood,
    average_state,
)
from sklearn_tabbias.synthesizers._vae_stopping import EarlyStopping
from sklearn_tabbias.training import TrainingRecord, runs_label

logger = logging.getLogger("sklearn_tabbias")

#: Before a run may keep an epoch, its validation loss is computed only every
#: this many epochs (for the training curves of ``history_``).
CURVE_EVERY = 10


@dataclass
class Runs:
    """The result of training S members: each at its best validation epoch.

    Attributes
    ----------
    state : dict of Tensor
        Batched state, one row per member.
    val_losses : ndarray of shape (S,)
        Best validation loss (negative ELBO per row) of each member, over the
        epochs after its first ``min_steps`` optimiser steps.
    record : TrainingRecord
        Phase name, data sizes, epochs run, and loss curves (for ``history_``).
    """

    state: dict
    val_losses: np.ndarray
    record: TrainingRecord

    @property
    def n_runs(self):
        """Number of members."""
        return len(self.val_losses)

    @property
    def best(self):
        """Index of the member with the lowest validation loss."""
        return int(np.argmin(self.val_losses))

    def member(self, s):
        """One-member state of member ``s`` (a copy)."""
        return {k: v[[s]] for k, v in self.state.items()}

    @property
    def best_state(self):
        """One-member state of the best member."""
        return self.member(self.best)


@dataclass
class LatentPrior:
    """Bayesian Gaussian mixture over encoder means, plus posterior noise."""

    weights: np.ndarray
    means: np.ndarray
    cholesky: np.ndarray
    noise_std: np.ndarray

    def sample(self, n, rng):
        """Draw ``n`` latent codes with a numpy Generator."""
        comps = rng.choice(len(self.weights), size=n, p=self.weights)
        eps = rng.standard_normal((n, self.means.shape[1]))
        z = self.means[comps] + np.einsum("nij,nj->ni", self.cholesky[comps], eps)
        return z + self.noise_std * rng.standard_normal(z.shape)


class VAERunner:
    """Trains and samples VAE-BGM ensembles on encoded tables.

    Parameters
    ----------
    blocks : list of Block
        The encoded table's layout.
    settings : VAESettings
        The synthesizer's hyperparameters.
    rng : numpy.random.RandomState
        Source of all seeds.

    Attributes
    ----------
    records : list of TrainingRecord
        One record per training phase, in order (the synthesizer's ``history_``).
    """

    #: Runs are ranked by their validation loss (see :class:`Runs`).
    ranks_runs = True

    def __init__(self, blocks, settings, rng):
        self.settings = settings
        self.rng = rng
        self.likelihood = TabularLikelihood(
            [(b.kind, b.start, b.width, b.gate) for b in blocks]
        ).to(self.device)
        self.n_inputs = self.likelihood.n_inputs
        self.records = []

    @property
    def device(self):
        """The torch device every tensor of the runner lives on."""
        return self.settings.device

    def generator(self):
        """A CPU torch Generator seeded from the runner's random state."""
        generator = torch.Generator(device="cpu")
        generator.manual_seed(int(self.rng.randint(MAX_SEED)))
        return generator

    def network(self, n_members):
        """An uninitialised ensemble of ``n_members`` VAEs on the runner's device."""
        return EnsembleVAE(
            n_members,
            self.n_inputs,
            self.likelihood.n_outputs,
            hidden_dim=self.settings.hidden_dim,
            latent_dim=self.settings.latent_dim,
        ).to(self.device)

    def new_state(self, n_members=1):
        """A fresh random initialisation of ``n_members`` members."""
        module = self.network(n_members)
        module.reset_parameters(self.generator())
        return module.state()

    @staticmethod
    def average(state):
        """Element-wise mean of the members' weights (paper eq. 2)."""
        return average_state(state)

    def to_tensor(self, Z):
        """Encoded rows as a float32 tensor on the runner's device."""
        if torch.is_tensor(Z):
            return Z.to(device=self.device, dtype=torch.float32)
        return torch.as_tensor(np.asarray(Z, dtype=np.float32), device=self.device)

    def split(self, Z):
        """Shuffle encoded rows and split them into training and validation rows."""
        Z = self.to_tensor(Z)
        n = Z.shape[0]
        n_val = int(round(self.settings.validation_fraction * n))
        n_val = min(max(n_val, 1), n - 1)
        order = torch.as_tensor(self.rng.permutation(n), device=self.device)
        return Z[order[n_val:]], Z[order[:n_val]]

    def loss(self, module, x, eps, params=None):
        """Negative ELBO per member (see TabularLikelihood.loss)."""
        return self.likelihood.loss(module, x, eps, params)

    def progress(self, total, desc, unit="epoch"):
        """A progress bar for a training loop (shown when ``verbose``)."""
        return progress_bar(total, desc, self.settings.verbose, unit)

    def randn(self, shape, generator):
        """Standard normal noise on the runner's device."""
        return torch.randn(shape, generator=generator).to(self.device)

    def train(self, train, val, n_members, init_state=None, phase="seed", rows=None):
        """Train ``n_members`` members with early stopping on validation loss.

        All members train in one batched module, each with its own
        initialisation (or all from ``init_state``), mini-batch order and noise.
        Once a member has taken ``min_steps`` optimiser steps
        (``finetune_min_steps`` in the "finetune" phase; see
        :mod:`~sklearn_tabbias.synthesizers._vae_stopping`), it stops when its
        validation loss has not improved for ``patience`` epochs; stopped
        members are removed from the module (with their optimiser state) so
        they cost nothing more. Each member is restored to its best epoch
        after ``min_steps``.

        Parameters
        ----------
        train, val : Tensor of shape (n, n_inputs)
            Encoded training and validation rows.
        n_members : int
            Number of runs S.
        init_state : dict of Tensor, optional
            One-member state every run starts from (the bias θ0).
        phase : str, default="seed"
            Name stored in the record.
        rows : array-like of int, shape (n_members, n), optional
            Indices into ``train`` of the rows each member trains on (e.g. a
            bootstrap resample); by default every member trains on all.

        Returns
        -------
        runs : Runs
        """
        s = self.settings
        if rows is not None:
            rows = torch.as_tensor(np.asarray(rows), device=self.device)
        started = time.perf_counter()
        generator = self.generator()
        members = _Members(self._initialised(n_members, init_state, generator), s)
        stopping = EarlyStopping(
            members.module.state(),
            s.patience,
            s.finetune_min_steps if phase == "finetune" else s.min_steps,
            steps_per_epoch=self._steps_per_epoch(len(train)),
            max_epochs=s.max_epochs,
        )
        curves = _Curves(s.max_epochs, n_members)
        eps_val = self.randn((n_members, len(val), s.latent_dim), generator)
        bar = self.progress(s.max_epochs, f"{phase} ({runs_label(n_members)})")
        for epoch in range(s.max_epochs):
            module, active = members.module, members.active
            own_rows = None if rows is None else rows[active]
            train_loss = self._epoch(
                module, members.optimizer, train, generator, own_rows
            )
            if epoch < stopping.first_epoch and epoch % CURVE_EVERY:
                curves.record(epoch, active, train_loss)
                bar.update(1)
                continue  # no epoch is kept yet: validate only for the curves
            val_loss = self._validation_loss(module, val, eps_val[active])
            curves.record(epoch, active, train_loss, val_loss)
            stopped = stopping.update(module, active, val_loss, epoch)
            bar.update(1)
            bar.set_postfix(
                best_val_loss=f"{stopping.score.min():.4f}", running=len(active)
            )
            if stopped.all():
                break
            members.drop(stopped)
        bar.close()
        return self._finish(phase, (train, val), init_state, stopping, curves, started)

    def train_steps(self, rows, n_steps, init_state=None, phase="refit"):
        """One run trained ``n_steps`` optimiser steps on ``rows`` and kept.

        No early stopping: the run takes the epochs that ``n_steps`` need on
        ``rows`` (at least one) and keeps its last one (its curves' validation
        loss is on ``rows`` themselves). Used to train a chosen recipe again
        on all rows.

        Returns
        -------
        runs : Runs
        """
        n_epochs = max(1, -(-int(n_steps) // self._steps_per_epoch(len(rows))))
        fixed = copy.copy(self)  # shares rng and records
        fixed.settings = replace(
            self.settings,
            max_epochs=n_epochs,
            min_steps=n_epochs * self._steps_per_epoch(len(rows)),
        )
        return fixed.train(rows, rows, 1, init_state=init_state, phase=phase)

    def _initialised(self, n_members, init_state, generator):
        """``n_members`` members: fresh (from ``generator``) or all ``init_state``."""
        module = self.network(n_members)
        if init_state is None:
            module.reset_parameters(generator)
        else:
            module.load_state(init_state)
        return module

    def _finish(self, phase, rows, init_state, stopping, curves, started):
        """Record and log a finished phase; its runs at their kept epochs."""
        train, val = rows
        record = TrainingRecord(
            phase=phase,
            n_runs=len(curves.epochs),
            n_train=len(train),
            n_val=len(val),
            warm_start=init_state is not None,
            batch_size=self._batch_size(len(train)),
            steps_per_epoch=self._steps_per_epoch(len(train)),
            epochs=curves.epochs,
            curves=curves.as_dict(),
            seconds=time.perf_counter() - started,
            best_epoch=stopping.epoch,
        )
        self.records.append(record)
        logger.info(
            "%s: %d run(s) on %d rows, %d epochs max, best val. loss %.4f (%.1fs)",
            phase,
            record.n_runs,
            record.n_train + record.n_val,
            record.n_epochs,
            stopping.score.min(),
            record.seconds,
        )
        return Runs(state=stopping.state, val_losses=stopping.score, record=record)

    def _steps_per_epoch(self, n_train):
        """Optimiser steps of one epoch over ``n_train`` rows."""
        return -(-n_train // self._batch_size(n_train))

    def _batch_size(self, n_train):
        """Rows per gradient step on ``n_train`` training rows."""
        return min(self.settings.batch_size, n_train)

    def _epoch(self, module, optimizer, train, generator, rows=None):
        """One pass over shuffled training rows; mean training loss per member.

        ``rows``: each active member's row indices (see :meth:`train`).
        """
        p = self.settings
        n_active, n_train = module.n_members, len(train)
        batch_size = self._batch_size(n_train)
        total = torch.zeros(n_active, device=self.device)
        module.train()
        for batch in self._batches(train, n_active, batch_size, generator, rows):
            eps = self.randn((n_active, batch.shape[1], p.latent_dim), generator)
            loss = self.loss(module, batch, eps)
            optimizer.zero_grad(set_to_none=True)
            loss.sum().backward()
            optimizer.step()
            total += loss.detach() * batch.shape[1]
        return (total / n_train).cpu().numpy()

    def _batches(self, train, n_active, batch_size, generator, rows=None):
        """Each member's mini-batches of one epoch, in its own shuffled order.

        A full batch needs no order: the loss is a mean over the rows. With
        ``rows`` (n_active, n) a member's epoch runs over its own rows.
        """
        if batch_size >= len(train):
            yield train.expand(n_active, *train.shape) if rows is None else train[rows]
            return
        order = torch.argsort(torch.rand(n_active, len(train), generator=generator), 1)
        order = order.to(self.device)
        if rows is not None:
            order = torch.gather(rows, 1, order)
        for start in range(0, len(train), batch_size):
            yield train[order[:, start : start + batch_size]]

    def _validation_loss(self, module, val, eps, chunk=4096):
        """Per-member loss on all validation rows, in chunks (bounded memory)."""
        module.eval()
        total = torch.zeros(eps.shape[0], device=self.device)
        with torch.no_grad():
            for start in range(0, len(val), chunk):
                rows = val[start : start + chunk]
                x = rows.expand(eps.shape[0], *rows.shape)
                noise = eps[:, start : start + chunk]
                total += self.loss(module, x, noise) * len(rows)
        return (total / len(val)).cpu().numpy()

    def sampling_network(self, state):
        """The one-member network of ``state``, in eval mode (for sampling)."""
        module = self.network(1)
        module.load_state(state)
        module.eval()
        return module

    def fit_prior(self, module, Z):
        """Fit the BGM latent prior of a one-member network on encoded rows ``Z``."""
        with torch.no_grad():
            mu, logvar = module.encode(Z.unsqueeze(0))
        mu = mu[0].cpu().double().numpy()
        n_distinct = len(np.unique(mu.round(6), axis=0))
        seed = int(self.rng.randint(MAX_SEED))
        for reg_covar in (1e-3, 1e-2, 1e-1):
            bgm = BayesianGaussianMixture(
                n_components=min(self.settings.bgm_components, n_distinct),
                max_iter=500,
                reg_covar=reg_covar,
                random_state=seed,
            )
            try:
                bgm.fit(mu)
                break
            except ValueError:  # collapsed latent codes: regularise more
                continue
        return LatentPrior(
            weights=bgm.weights_ / bgm.weights_.sum(),
            means=bgm.means_,
            cholesky=np.linalg.cholesky(bgm.covariances_),
            noise_std=np.exp(0.5 * logvar[0].mean(0).cpu().double().numpy()),
        )

    def sample(self, module, prior, n_samples, rng, batch_size=65536):
        """Draw ``n_samples`` encoded rows from a one-member network and its prior.

        Parameters
        ----------
        module : EnsembleVAE
            One-member network in eval mode (:meth:`sampling_network`).
        prior : LatentPrior
            Its latent prior.
        n_samples : int
            Number of rows.
        rng : numpy.random.Generator
            Source of randomness.
        batch_size : int, default=65536
            Rows decoded at a time (bounds memory).

        Returns
        -------
        Z : Tensor of shape (n_samples, n_inputs)
            Encoded rows drawn from the output distributions.
        """
        generator = torch.Generator().manual_seed(int(rng.integers(MAX_SEED)))
        parts = []
        with torch.no_grad():
            for start in range(0, n_samples, batch_size):
                n = min(batch_size, n_samples - start)
                z = torch.as_tensor(prior.sample(n, rng), dtype=torch.float32)
                out = module.decode(z.unsqueeze(0).to(self.device))[0]
                parts.append(self.likelihood.sample(out, generator).cpu())
        return torch.cat(parts)

    def sample_from(self, state, Z_fit, n_samples):
        """Sample encoded rows from a one-member state, fitting its prior on ``Z_fit``.

        Used by the bias methods to turn a trained run into synthetic training
        data (pre-training, DRS, MAML tasks).
        """
        module = self.sampling_network(state)
        prior = self.fit_prior(module, Z_fit)
        rng = np.random.default_rng(self.rng.randint(MAX_SEED))
        return self.sample(module, prior, n_samples, rng).to(self.device)


class _Curves:
    """Per-epoch training and validation losses of every member."""

    def __init__(self, max_epochs, n_members):
        self.train = np.full((max_epochs, n_members), np.nan)
        self.val = np.full((max_epochs, n_members), np.nan)
        self.epochs = np.zeros(n_members, dtype=int)

    def record(self, epoch, active, train_loss, val_loss=None):
        """Store the epoch's losses of the active members (NaN: not validated)."""
        self.train[epoch, active] = train_loss
        if val_loss is not None:
            self.val[epoch, active] = val_loss
        self.epochs[active] += 1

    def as_dict(self):
        """The curves of a :class:`~sklearn_tabbias.training.TrainingRecord`."""
        n = self.epochs.max()
        return {"train": self.train[:n], "validation": self.val[:n]}


class _Members:
    """The members of a phase still training, with their optimiser."""

    def __init__(self, module, settings):
        self.module = module
        self.learning_rate = settings.learning_rate
        self.optimizer = _adam(module.parameters(), self.learning_rate)
        self.active = np.arange(module.n_members)

    def drop(self, stopped):
        """Remove the ``stopped`` members (a mask over the active ones)."""
        if stopped.any():
            keep = ~stopped
            self.optimizer = _keep_members(
                self.module, self.optimizer, keep, self.learning_rate
            )
            self.active = self.active[keep]


def _adam(parameters, learning_rate):
    """Adam with one fused kernel for all parameters (about 3x faster on a CPU)."""
    return torch.optim.Adam(parameters, lr=learning_rate, fused=True)


def _keep_members(module, optimizer, keep, learning_rate):
    """Drop stopped members from the module and from Adam's state."""
    keep_rows = torch.as_tensor(np.flatnonzero(keep), device=module.enc_w1.device)
    old = {name: optimizer.state[param] for name, param in module.named_parameters()}
    for name, param in list(module.named_parameters()):
        setattr(module, name, nn.Parameter(param.detach()[keep_rows].clone()))
    optimizer = _adam(module.parameters(), learning_rate)
    for name, param in module.named_parameters():
        state = old[name]
        optimizer.state[param] = {
            "step": state["step"].clone(),
            "exp_avg": state["exp_avg"][keep_rows].clone(),
            "exp_avg_sq": state["exp_avg_sq"][keep_rows].clone(),
        }
    return optimizer
