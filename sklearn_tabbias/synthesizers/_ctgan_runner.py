"""Training CTGAN from ctgan's own building blocks, with a real warm start.

``ctgan.CTGAN.fit`` rebuilds the transformer, the sampler, the generator and a
local discriminator on every call, so a pre-trained model cannot be fine-tuned
through it. :class:`CTGANRunner` keeps one ``DataTransformer`` fitted on the
real rows and trains ``Generator``/``Discriminator`` pairs with ctgan's loss
pieces (``_apply_activate``, ``_cond_loss``, ``calc_gradient_penalty``) in a
WGAN-GP loop of its own, so a pair can start from another pair's weights.
ctgan draws its randomness from the global numpy/torch generators; every call
here runs inside ctgan's ``set_random_states``, seeded from our random state,
which restores the caller's global state afterwards.
"""

import copy
import logging
import time
from dataclasses import dataclass

import numpy as np
import torch
from ctgan.data_sampler import DataSampler
from ctgan.data_transformer import DataTransformer
from ctgan.synthesizers.ctgan import CTGAN, Discriminator, Generator
from joblib import delayed, parallel_config

from sklearn_tabbias._parallel import Parallel
from sklearn_tabbias._progress import progress_bar
from sklearn_tabbias._random import seeded_globals
from sklearn_tabbias._validation import MAX_SEED
from sklearn_tabbias.training import TrainingRecord

logger = logging.getLogger("sklearn_tabbias")


def steps_per_epoch(n_rows, batch_size):
    """Generator steps of one epoch over ``n_rows`` rows (ctgan's rule)."""
    return max(n_rows // batch_size, 1)


class CTGANRunner:
    """Fits the transformer on the real rows, then trains and samples GAN pairs.

    Parameters
    ----------
    real : DataFrame
        The real rows, prepared for ctgan (no NaN in continuous columns).
    discrete_columns : list of str
        The discrete columns.
    settings : CTGANSettings
        The synthesizer's hyperparameters.
    rng : numpy.random.RandomState
        Source of all seeds.

    Attributes
    ----------
    records : list of TrainingRecord
        One record per trained pair.
    """

    #: A GAN has no validation loss to rank runs by (see :class:`PairRuns`).
    ranks_runs = False

    def __init__(self, real, discrete_columns, settings, rng):
        self.settings = settings
        self.rng = rng
        self.discrete_columns = list(discrete_columns)
        self.records = []
        # ctgan's helper object holds the transformer its loss pieces read
        self.helper = CTGAN(
            embedding_dim=settings.embedding_dim,
            batch_size=settings.batch_size,
            pac=settings.pac,
            enable_gpu=False,
        )
        with self._seeded():
            self.transformer = DataTransformer()
            self.transformer.fit(real, self.discrete_columns)
        self.helper._transformer = self.transformer
        self.real = self.encode(real)
        self.real_sampler = self.sampler(self.real)

    @property
    def device(self):
        """The torch device of the networks."""
        return self.settings.device

    def _seeded(self):
        return seeded_globals(int(self.rng.randint(MAX_SEED)))

    def encode(self, table):
        """Transform prepared rows with the transformer fitted on the real rows.

        Column by column in this thread: from 500 rows on, ctgan transforms the
        columns in parallel, and each continuous column draws its modes from
        numpy's global generator (under rdt's per-column seed). Inside a joblib
        worker that parallel call runs in threads, which then race on the one
        global generator, and the rows come out differently from run to run.
        """
        with parallel_config(backend="sequential"):
            return self.transformer.transform(table).astype("float32")

    def new_pair(self, sampler):
        """A freshly initialised generator and discriminator."""
        with self._seeded():
            return self._modules(sampler)

    def _modules(self, sampler):
        """A generator and a discriminator, initialised from the global seeds."""
        p = self.settings
        data_dim = self.transformer.output_dimensions
        cond_dim = sampler.dim_cond_vec()
        generator = Generator(p.embedding_dim + cond_dim, p.generator_dim, data_dim)
        discriminator = Discriminator(
            data_dim + cond_dim, p.discriminator_dim, pac=p.pac
        )
        return generator.to(self.device), discriminator.to(self.device)

    def sampler(self, data):
        """Ctgan's conditional sampler over transformed rows."""
        return DataSampler(
            data, self.transformer.output_info_list, self.settings.log_frequency
        )

    def train(self, train, val, n_runs, init_state=None, phase="seed", rows=None):
        """Train ``n_runs`` pairs: the :class:`~sklearn_tabbias.bias.Runner` call.

        On the real rows a pair trains ``settings.epochs`` epochs with the
        real rows' batch size; on synthetic rows (pre-training, DRS)
        ``settings.pretrain_epochs`` with :func:`auto_batch`. One pair trains in
        this process; several train as independent joblib tasks
        (``settings.n_jobs``), each seeded from ``rng``, so the result does not
        depend on their order or process.

        Parameters
        ----------
        train : ndarray or Tensor
            Transformed rows (``self.real`` for the real rows).
        val : ignored
            A GAN has no validation loss; :meth:`split` returns no rows.
        n_runs : int
            Pairs to train.
        init_state : dict, optional
            A pair's state (``{"generator": ..., "discriminator": ...}``)
            every pair starts from.
        phase : str, default="seed"
            Name stored in the records.
        rows : array-like of int, shape (n_runs, n), optional
            Indices into ``train`` of the rows each pair trains on (e.g. a
            bootstrap resample of the real rows, trained like them); by
            default every pair trains on all.

        Returns
        -------
        runs : PairRuns
        """
        s = self.settings
        if train is self.real:
            data, sizes = train, (s.epochs, None)
        else:
            data = np.asarray(train, dtype="float32")
            sizes = (s.pretrain_epochs, auto_batch(len(data), s.pac))
        datas = [data] * n_runs if rows is None else [data[r] for r in np.asarray(rows)]
        if n_runs == 1:
            pairs = [self._run(datas[0], sizes, init_state, phase)]
        else:
            seeds = self.rng.randint(MAX_SEED, size=n_runs)
            tasks = Parallel(n_jobs=s.n_jobs)(
                delayed(_worker_run)(self, seed, run_data, sizes, init_state, phase)
                for seed, run_data in zip(seeds, datas, strict=True)
            )
            pairs = [pair for pair, _ in tasks]
            self.records.extend(record for _, record in tasks)
        return PairRuns([pair_state(pair) for pair in pairs])

    def _run(self, data, sizes, init_state, phase):
        epochs, batch = sizes
        init = None if init_state is None else self.load_pair(init_state)
        return self.train_pair(data, epochs, init=init, phase=phase, batch_size=batch)

    def load_pair(self, state):
        """A generator and discriminator with a pair's state.

        Builds them without drawing from ``rng`` (their initial weights are
        overwritten), under fixed global seeds the caller gets back.
        """
        with seeded_globals(0):
            pair = self._modules(self.real_sampler)
        for module, name in zip(pair, ("generator", "discriminator"), strict=True):
            module.load_state_dict(state[name])
        return pair

    def split(self, rows):
        """Shuffled rows, and no validation rows (a GAN has no validation loss)."""
        rows = np.asarray(rows, dtype="float32")
        return rows[self.rng.permutation(len(rows))], rows[:0]

    def sample_from(self, state, rows, n_samples):
        """``n_samples`` transformed rows drawn from a pair's generator.

        Decoded and transformed again, as the real rows were (``rows`` is not
        used: a generator needs no prior).
        """
        generator, _ = self.load_pair(state)
        table = self.sample(generator, n_samples, self.rng.randint(MAX_SEED))
        return torch.as_tensor(self.encode(table))

    @staticmethod
    def average(states, weights=None):
        """Element-wise (weighted) mean of the pairs' weights and statistics."""
        weights = np.full(len(states), 1 / len(states)) if weights is None else weights
        return {
            name: {
                key: _mean([state[name][key] for state in states], weights)
                for key in states[0][name]
            }
            for name in ("generator", "discriminator")
        }

    def new_state(self, n_runs=1):
        """A fresh pair's state (one pair: ``n_runs`` must be 1)."""
        return pair_state(self.new_pair(self.real_sampler))

    def adapt(self, state, rows, n_steps):
        """A pair's state after ``n_steps`` steps on ``rows`` (fresh optimisers).

        For first-order meta-learning (Reptile); records nothing.
        """
        data = np.asarray(rows, dtype="float32")
        batch = auto_batch(len(data), self.settings.pac)
        pair = self.load_pair(state)
        sizes = (1, n_steps, batch)
        self._epochs(pair, self.sampler(data), data, sizes, "adapt", quiet=True)
        return pair_state(pair)

    def progress(self, total, desc, unit="epoch"):
        """A progress bar (shown when ``verbose``)."""
        return progress_bar(total, desc, self.settings.verbose, unit)

    def train_pair(self, data, epochs, init=None, phase="real", batch_size=None):
        """Train a generator/discriminator pair on transformed rows.

        Parameters
        ----------
        data : ndarray
            Transformed rows.
        epochs : int
            Epochs (each :func:`steps_per_epoch` generator steps).
        init : tuple of (Generator, Discriminator), optional
            A pair to start from, trained in place (the warm start; ``train``
            passes a fresh pair loaded from θ0).
        phase : str, default="real"
            Name stored in the record.
        batch_size : int, optional
            Rows per step (even, divisible by ``pac``); the runner's by default.

        Returns
        -------
        generator, discriminator : Module
            The trained pair.
        """
        started = time.perf_counter()
        sampler = self.real_sampler if data is self.real else self.sampler(data)
        pair = self.new_pair(sampler) if init is None else init
        batch = self.settings.batch_size if batch_size is None else batch_size
        steps = steps_per_epoch(len(data), batch)
        losses = self._epochs(pair, sampler, data, (epochs, steps, batch), phase)
        record = TrainingRecord(
            phase=phase,
            n_runs=1,
            n_train=len(data),
            n_val=0,
            warm_start=init is not None,
            batch_size=batch,
            steps_per_epoch=steps,
            epochs=np.array([epochs]),
            curves={"generator": losses[:, :1], "discriminator": losses[:, 1:]},
            seconds=time.perf_counter() - started,
        )
        self.records.append(record)
        logger.info(
            "ctgan %s: %d rows, %d epochs (%.1fs)",
            phase,
            len(data),
            epochs,
            record.seconds,
        )
        return pair

    def _epochs(self, pair, sampler, data, sizes, phase, quiet=False):
        """WGAN-GP epochs of ``pair``; the last losses of each epoch (G, D)."""
        s = self.settings
        epochs, steps, batch = sizes
        generator, discriminator = pair
        opt_g = _adam(generator, s.generator_lr, s.generator_decay)
        opt_d = _adam(discriminator, s.discriminator_lr, s.discriminator_decay)
        losses = np.zeros((epochs, 2))
        generator.train()
        discriminator.train()
        bar = progress_bar(epochs, f"ctgan {phase}", 0 if quiet else s.verbose)
        with self._seeded():
            for epoch in range(epochs):
                for _ in range(steps):
                    for _ in range(s.discriminator_steps):
                        loss_d = self._critic_step(
                            generator, discriminator, opt_d, sampler, data, batch
                        )
                    loss_g = self._generator_step(
                        generator, discriminator, opt_g, sampler, batch
                    )
                losses[epoch] = loss_g, loss_d
                bar.update(1)
                bar.set_postfix(loss_g=f"{loss_g:.3f}", loss_d=f"{loss_d:.3f}")
        bar.close()
        return losses

    def _noise(self, sampler, batch):
        z = torch.randn(batch, self.settings.embedding_dim, device=self.device)
        condvec = sampler.sample_condvec(batch)
        if condvec is None:
            return z, None, None, None, None
        cond, mask, column, option = condvec
        cond = torch.from_numpy(cond).to(self.device)
        mask = torch.from_numpy(mask).to(self.device)
        return torch.cat([z, cond], dim=1), cond, mask, column, option

    def _critic_step(self, generator, discriminator, optimizer, sampler, data, batch):
        z, cond, _, column, option = self._noise(sampler, batch)
        if cond is None:
            real = sampler.sample_data(data, batch, None, None)
        else:  # real rows matching the same conditions, in another order
            order = torch.randperm(batch).numpy()
            real = sampler.sample_data(data, batch, column[order], option[order])
        real = torch.from_numpy(real.astype("float32")).to(self.device)
        with torch.no_grad():  # the critic step does not train the generator ...
            fake = self.helper._apply_activate(generator(z))
        fake.requires_grad_(True)  # ... but the gradient penalty differentiates inputs
        if cond is not None:
            real = torch.cat([real, cond[order]], dim=1)
            fake = torch.cat([fake, cond], dim=1)
        penalty = discriminator.calc_gradient_penalty(
            real, fake, self.device, self.settings.pac
        )
        loss = discriminator(fake).mean() - discriminator(real).mean()
        optimizer.zero_grad(set_to_none=True)
        (penalty + loss).backward()
        optimizer.step()
        return loss.item()

    def _generator_step(self, generator, discriminator, optimizer, sampler, batch):
        z, cond, mask, _, _ = self._noise(sampler, batch)
        raw = generator(z)
        fake = self.helper._apply_activate(raw)
        if cond is not None:
            fake = torch.cat([fake, cond], dim=1)
        loss = -discriminator(fake).mean()
        if cond is not None:
            loss = loss + self.helper._cond_loss(raw, cond, mask)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    def sample(self, generator, n_samples, seed, condition=None):
        """Decode ``n_samples`` rows (prepared format) in eval mode, no autograd.

        ``condition``: a discrete (prepared) column and one of its labels, set
        in every row's conditional vector (ctgan's own conditional sampling:
        it raises the share of rows with that label, it does not fix it);
        None: conditional vectors as in training.
        """
        batch = self.settings.batch_size
        sampler = self.real_sampler
        info = None
        if condition is not None:
            info = self.transformer.convert_column_name_value_to_id(*condition)
        was_training = generator.training
        generator.eval()
        parts = []
        with seeded_globals(int(seed)), torch.no_grad():
            for start in range(0, n_samples, batch):
                n = min(batch, n_samples - start)
                z = torch.randn(n, self.settings.embedding_dim, device=self.device)
                cond = (
                    sampler.sample_original_condvec(n)
                    if info is None
                    else sampler.generate_cond_from_condition_column_info(info, n)
                )
                if cond is not None:
                    z = torch.cat([z, torch.from_numpy(cond).to(self.device)], dim=1)
                parts.append(self.helper._apply_activate(generator(z)).cpu().numpy())
            table = self.transformer.inverse_transform(np.concatenate(parts))
        generator.train(was_training)
        return table


@dataclass
class PairRuns:
    """Trained CTGAN pairs, as the bias methods see runs.

    A GAN has no validation loss to rank its runs by: ``best`` is the first
    pair and ``val_losses`` are zeros. (BiasedCTGAN trains several pairs only
    where a bias method uses all of them: "avg", "drs", "maml".)
    """

    state: list

    @property
    def n_runs(self):
        """Number of pairs."""
        return len(self.state)

    @property
    def val_losses(self):
        """Zeros: pairs are not ranked."""
        return np.zeros(self.n_runs)

    @property
    def best(self):
        """The first pair."""
        return 0

    def member(self, s):
        """Pair ``s``'s state."""
        return self.state[s]

    @property
    def best_state(self):
        """The first pair's state."""
        return self.state[0]


def pair_state(pair):
    """``{"generator": state_dict, "discriminator": state_dict}`` (copies)."""
    return {
        name: {k: v.detach().clone() for k, v in module.state_dict().items()}
        for name, module in zip(("generator", "discriminator"), pair, strict=True)
    }


def auto_batch(n_rows, pac):
    """Half the rows, at most 500, a multiple of ``2 * pac`` (two or more steps)."""
    step = 2 * pac
    return max(step, min(500, n_rows // 2) // step * step)


def _mean(tensors, weights):
    """Weighted mean of float tensors; integer ones (batch counts) from the first."""
    if not tensors[0].is_floating_point():
        return tensors[0].clone()
    return sum(float(w) * t for w, t in zip(weights, tensors, strict=True))


def _worker_run(runner, seed, data, sizes, init_state, phase):
    """Train one pair in a shallow copy with its own seed (a joblib task)."""
    worker = copy.copy(runner)
    worker.rng = np.random.RandomState(seed)
    worker.records = []
    pair = worker._run(data, sizes, init_state, phase)
    return pair, worker.records[0]


def _adam(module, learning_rate, decay):
    """Adam with ctgan's betas (0.5, 0.9); fusing it gains nothing here (measured)."""
    return torch.optim.Adam(
        module.parameters(),
        lr=learning_rate,
        betas=(0.5, 0.9),
        weight_decay=decay,
    )
