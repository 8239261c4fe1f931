"""BiasedVAESynthesizer: the VAE-BGM with an artificial inductive bias."""

from numbers import Integral, Real

import torch
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_tabbias.base import SynthesizerMixin
from sklearn_tabbias.bias import BIAS_METHODS, BiasMethod, RealRows
from sklearn_tabbias.synthesizers._common import (
    COMMON_CONSTRAINTS,
    TorchPickleMixin,
)
from sklearn_tabbias.synthesizers._settings import VAESettings, settings_from
from sklearn_tabbias.synthesizers._skeleton import BiasedFitMixin
from sklearn_tabbias.synthesizers._vae_conditional import sample_matching
from sklearn_tabbias.synthesizers._vae_runner import VAERunner
from sklearn_tabbias.synthesizers._vae_stopping import (
    FINETUNE_MIN_STEPS,
    MIN_STEPS,
)

__all__ = ["BiasedVAESynthesizer"]


class BiasedVAESynthesizer(
    BiasedFitMixin, TorchPickleMixin, SynthesizerMixin, BaseEstimator
):
    """VAE-BGM synthesizer whose initial weights come from earlier runs of itself.

    Fitting follows Apellániz et al. (Neurocomputing), §2–3:

    1. **Seed runs**: ``n_seeds`` VAEs train on the real rows, each from its own
       random initialisation, with early stopping on a validation split; each is
       restored to its best epoch.
    2. **Bias θ0** from the seed runs, by ``bias``:

       * ``"none"``: no θ0; the best seed run is the model.
       * ``"pretrain"``: 10,000 rows (``pretrain_samples``) drawn from the best seed run
         train ``n_finetune_runs`` runs; θ0 is the best of them.
       * ``"avg"``: θ0 is the element-wise mean of the seed runs' weights.
       * ``"maml"``: θ0 is meta-learned with MAML, each seed run's samples a task.
       * ``"drs"``: one run trains on 10,000 rows (``pretrain_samples``) pooled from all
         seed runs; θ0 is its weights.

    3. **Fine-tuning**: ``n_finetune_runs`` runs start from θ0 on the real rows
       with the same split and recipe; the one with the lowest validation loss
       samples.

    All runs of a phase train as one batched module. Sampling draws latent codes
    from a Bayesian Gaussian mixture fitted on the encoder means of the training
    rows plus the encoder's average posterior noise, decodes them and samples
    every column from its output distribution.

    Parameters
    ----------
    bias : {"none", "pretrain", "avg", "maml", "drs"} or BiasMethod, default="avg"
        How θ0 is built. A :class:`~sklearn_tabbias.bias.BiasMethod` instance
        brings its own parameters, reachable as ``bias__<name>`` (e.g. in a
        grid); a string is the method with its defaults, changed by the short
        forms below.
    n_seeds : int, default=3
        Seed runs (S): the runs trained from random initialisations, which
        the bias methods build θ0 from (for "none": the runs the best is
        kept of). The paper uses 10; at N=300 on Adult, King and Letter,
        ``bias="avg"`` with 3 seed runs and one fine-tuning run was level with
        10 and 10 on utility and detection and 3-4x faster (benchmarks page).
        With ``bias="none"``, 1 is as good and cheaper still.
    n_finetune_runs : int or None, default=1
        Runs of each later phase that keeps its best run by validation loss:
        fine-tuning from θ0, and "pretrain"'s runs on the generated rows.
        None: ``n_seeds`` (the paper's protocol).
    latent_dim : int, default=10
        Latent dimension.
    hidden_dim : int, default=256
        Hidden units of the encoder and the decoder.
    max_epochs : int, default=1000
        Most epochs of a run.
    batch_size : int, default=256
        Rows per gradient step.
    learning_rate : float, default=3e-3
        Adam learning rate.
    patience : int, default=50
        Epochs without a lower validation loss after which a run stops.
    min_steps : int, default=1000
        Optimiser steps every run takes before it waits for a lower validation
        loss; only epochs after them are kept. On a few hundred rows the
        validation loss turns upward after a few dozen steps, long before the
        samples keep the links between columns; on large tables an epoch is
        many steps and this changes nothing. 0 restores plain early stopping.
    finetune_min_steps : int, default=300
        ``min_steps`` of the fine-tuning runs when θ0 is a model already
        trained on rows of its own ("pretrain", "drs"; see
        ``BiasMethod.trained_start``): fine-tuning adapts it to the real rows,
        and a long fine-tuning on a few hundred rows undoes what it learnt
        (Adult: JS 0.146 at 1,000 steps, 0.124 at 300). After "avg" and
        "maml" fine-tuning takes ``min_steps``, like a seed run. At most
        ``min_steps`` (``min_steps=0`` is plain early stopping everywhere).
    validation_fraction : float, default=0.2
        Share of rows held out for early stopping and for choosing the best run.
    refit : bool, default=False
        After the last phase, train its best run's recipe once more on all
        rows, the validation rows too: one run from the same start (θ0, or a
        fresh initialisation for "none") for as many optimiser steps as the
        best run took to its kept epoch. That run samples, and the latent
        prior is fitted on all rows. On a small table the held-out fifth is
        a fifth of the data (as GridSearchCV's ``refit``).
    pretrain_samples : int, default=None
        Short form of ``n_samples`` of "pretrain", "drs" and "maml": the
        synthetic rows they train on (None: the method's default, 10,000).
    maml_inner_steps, maml_inner_lr, maml_outer_lr, maml_meta_iterations, \
maml_first_order : default=None
        Short forms of :class:`~sklearn_tabbias.bias.MAMLBias`'s
        ``inner_steps`` (5), ``inner_lr`` (1e-3), ``outer_lr`` (1e-3),
        ``meta_iterations`` (300) and ``first_order`` (False); None: its
        default. The short forms apply to a string ``bias`` and only to the
        methods that have them (so one grid can hold all five); with a
        :class:`~sklearn_tabbias.bias.BiasMethod` object they are an error (set
        the object's parameter instead, e.g. ``bias__inner_steps`` in a grid).
    bgm_components : int, default=10
        Upper bound on the components of the latent Bayesian Gaussian mixture.
    categorical_features : array-like of str or int, default=None
        Columns to treat as categorical whatever their dtype (see
        :class:`~sklearn_tabbias.encoding.TabularEncoder`).
    constraints : list, "auto" or None, default="auto"
        Rules every sampled row keeps by construction, e.g.
        ``[FixedCombinations(["education", "education-num"])]`` (see
        :mod:`sklearn_tabbias.constraints`); fitted copies are
        ``constraints_``. "auto": the columns that map one to one in the
        training rows keep their observed combinations
        (:func:`~sklearn_tabbias.constraints.detect_fixed_combinations`, with a
        warning naming them); None: no rule.
    random_state : int, RandomState instance or None, default=None
        Seeds every initialisation, split, batch order and sample. The global
        numpy and torch random states are never used.
    device : str, default="cpu"
        Torch device, e.g. "cpu" or "cuda".
    verbose : int, default=0
        When positive, show a progress bar per training phase (epochs, best
        validation loss, runs still training) and log each phase to stderr.

    Attributes
    ----------
    encoder_ : TabularEncoder
        The fitted encoder of the real table.
    bias_ : BiasMethod
        The bias method used.
    init_state_ : dict of Tensor or None
        θ0 (one-member state), None for ``bias="none"``.
    seed_val_losses_ : ndarray of shape (n_seeds,) or None
        Validation loss (negative ELBO per row) of each seed run at its kept
        epoch; None when the bias method needs no seed runs
        (``PretrainBias(source=...)``).
    best_seed_ : int or None
        Index of the best seed run.
    val_losses_ : ndarray of shape (n_finetune_runs,) or (n_seeds,)
        Validation loss of each final run (the seed runs for "none") at its
        kept epoch.
    best_run_ : int
        Index of the final run that samples.
    module_ : EnsembleVAE
        The sampling network (one member), in eval mode.
    prior_ : LatentPrior
        Its latent Bayesian Gaussian mixture and noise scale.
    history_ : list of TrainingRecord
        One :class:`~sklearn_tabbias.training.TrainingRecord` per training
        phase: its rows, epochs, kept epochs, loss curves and seconds.
    n_features_in_ : int
        Number of columns seen in fit.
    feature_names_in_ : ndarray of str
        Column names seen in fit, for DataFrames with string column names.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> X = load_iris(as_frame=True).frame
    >>> gen = BiasedVAESynthesizer(bias="avg", n_seeds=2, max_epochs=20,
    ...                            random_state=0).fit(X)
    >>> gen.sample(5).shape
    (5, 5)
    >>> list(gen.sample(5).columns) == list(X.columns)
    True
    """

    BIAS_SHORTHANDS = {
        "pretrain_samples": "n_samples",
        "maml_inner_steps": "inner_steps",
        "maml_inner_lr": "inner_lr",
        "maml_outer_lr": "outer_lr",
        "maml_meta_iterations": "meta_iterations",
        "maml_first_order": "first_order",
    }

    _parameter_constraints = {
        "bias": [StrOptions(set(BIAS_METHODS)), BiasMethod],
        "n_seeds": [Interval(Integral, 1, None, closed="left")],
        "n_finetune_runs": [Interval(Integral, 1, None, closed="left"), None],
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "hidden_dim": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "min_steps": [Interval(Integral, 0, None, closed="left")],
        "finetune_min_steps": [Interval(Integral, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "refit": ["boolean"],
        "pretrain_samples": [Interval(Integral, 2, None, closed="left"), None],
        "maml_inner_steps": [Interval(Integral, 1, None, closed="left"), None],
        "maml_inner_lr": [Interval(Real, 0, None, closed="neither"), None],
        "maml_outer_lr": [Interval(Real, 0, None, closed="neither"), None],
        "maml_meta_iterations": [Interval(Integral, 0, None, closed="left"), None],
        "maml_first_order": ["boolean", None],
        "bgm_components": [Interval(Integral, 1, None, closed="left")],
        **COMMON_CONSTRAINTS,
    }

    def __init__(
        self,
        bias="avg",
        n_seeds=3,
        n_finetune_runs=1,
        latent_dim=10,
        hidden_dim=256,
        max_epochs=1000,
        batch_size=256,
        learning_rate=3e-3,
        patience=50,
        min_steps=MIN_STEPS,
        finetune_min_steps=FINETUNE_MIN_STEPS,
        validation_fraction=0.2,
        refit=False,
        pretrain_samples=None,
        maml_inner_steps=None,
        maml_inner_lr=None,
        maml_outer_lr=None,
        maml_meta_iterations=None,
        maml_first_order=None,
        bgm_components=10,
        categorical_features=None,
        constraints="auto",
        random_state=None,
        device="cpu",
        verbose=0,
    ):
        self.bias = bias
        self.n_seeds = n_seeds
        self.n_finetune_runs = n_finetune_runs
        self.latent_dim = latent_dim
        self.hidden_dim = hidden_dim
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.patience = patience
        self.min_steps = min_steps
        self.finetune_min_steps = finetune_min_steps
        self.validation_fraction = validation_fraction
        self.refit = refit
        self.pretrain_samples = pretrain_samples
        self.maml_inner_steps = maml_inner_steps
        self.maml_inner_lr = maml_inner_lr
        self.maml_outer_lr = maml_outer_lr
        self.maml_meta_iterations = maml_meta_iterations
        self.maml_first_order = maml_first_order
        self.bgm_components = bgm_components
        self.categorical_features = categorical_features
        self.constraints = constraints
        self.random_state = random_state
        self.device = device
        self.verbose = verbose

    def _check_rows(self, frame):
        if len(frame) < 3:
            raise ValueError(
                f"BiasedVAESynthesizer needs at least 3 rows (2 to train, 1 to "
                f"validate), got {len(frame)}."
            )

    def _start(self, frame, encoder, device, rng):
        self.encoder_ = encoder
        finetune_min_steps = self.min_steps
        if self.bias_.trained_start:
            finetune_min_steps = min(self.finetune_min_steps, self.min_steps)
        settings = settings_from(
            VAESettings, self, device=device, finetune_min_steps=finetune_min_steps
        )
        runner = VAERunner(encoder.blocks_, settings, rng)
        n_runs = self.n_finetune_runs or self.n_seeds
        train, val = runner.split(encoder.transform(frame))
        return runner, RealRows(train, val, n_runs=n_runs)

    def _encode(self, runner, encoder, frame):
        return runner.to_tensor(encoder.transform(frame))

    def _finish(self, runner, seed_runs, final, real):
        self.seed_val_losses_ = None if seed_runs is None else seed_runs.val_losses
        self.best_seed_ = None if seed_runs is None else seed_runs.best
        self.val_losses_ = final.val_losses
        self.best_run_ = final.best
        state, rows = final.best_state, real.train
        if self.refit:
            rows = torch.cat([real.train, real.val])
            record = final.record
            n_steps = (record.best_epoch[final.best] + 1) * record.steps_per_epoch
            state = runner.train_steps(rows, n_steps, self.init_state_).best_state
        self.module_ = runner.sampling_network(state)
        self.prior_ = runner.fit_prior(self.module_, rows)

    def _sample(self, n_samples, rng):
        rows = self._runner.sample(self.module_, self.prior_, n_samples, rng)
        return self.encoder_.inverse_transform(rows.numpy())

    def _prepare_condition(self, condition):
        """The conditioned columns' blocks and what the condition allows there."""
        return self.encoder_.conditioned_blocks(condition)

    def _propose(self, n_needed, rate, condition, prepared, rng):
        """Rows drawn from the latent codes tilted by the condition (all meet it)."""
        try:
            draw = sample_matching(
                self._runner, self.module_, self.prior_, n_needed, prepared, rng
            )
        except ValueError as error:
            raise ValueError(
                f"conditions {condition.describe()} cannot be met: {error}."
            ) from None
        return self.encoder_.inverse_transform(draw.rows.numpy()), draw.n_resampled
