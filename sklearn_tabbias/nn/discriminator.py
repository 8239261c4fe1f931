"""The validation discriminator: the paper's MLP as a seeded skorch classifier.

The torch module draws its initial weights and dropout masks from its own
generator, so training is reproducible without touching torch's global random
state; :class:`MLPDiscriminator` wraps it in skorch (early stopping on a
stratified validation split) behind the scikit-learn classifier API, so the
metrics never touch torch.
"""

import math
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn
from torch.utils.data import BatchSampler, Dataset, RandomSampler, SequentialSampler

from sklearn_tabbias._validation import MAX_SEED

__all__ = ["DiscriminatorMLP", "MLPDiscriminator"]


def _quiet(*args, **kwargs):
    """Swallow skorch's messages."""


class _Batches(Dataset):
    """Rows and labels indexed a whole batch at a time (a list of row indices).

    skorch's own dataset indexes row by row, which costs more than the
    network's step on a table this small.
    """

    def __init__(self, X, y):
        self.X = torch.as_tensor(X)
        self.y = torch.as_tensor(y)

    def __len__(self):
        return len(self.X)

    def __getitem__(self, index):
        index = torch.as_tensor(index)
        return self.X[index], self.y[index]


class _SeededDropout(nn.Module):
    """Dropout whose masks come from the module's own generator."""

    def __init__(self, p, generator):
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = torch.rand(x.shape, generator=self.generator).to(x.device) >= self.p
        return x * keep / (1 - self.p)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["generator"] = self.generator.get_state()
        return state

    def __setstate__(self, state):
        generator = torch.Generator()
        generator.set_state(state.pop("generator"))
        self.__dict__.update(state, generator=generator)


class DiscriminatorMLP(nn.Module):
    """MLP with batch norm, LeakyReLU and dropout that outputs one logit per row.

    Parameters
    ----------
    n_inputs : int
        Input width.
    hidden : tuple of int, default=(256, 64, 32)
        Hidden layer widths.
    dropout : float, default=0.5
        Dropout rate after every hidden layer.
    seed : int, default=0
        Seeds the initial weights and the dropout masks.
    """

    def __init__(self, n_inputs, hidden=(256, 64, 32), dropout=0.5, seed=0):
        super().__init__()
        generator = torch.Generator().manual_seed(int(seed))
        layers, width = [], n_inputs
        # nn.Linear draws its default init from the global generator: keep the
        # caller's global state (the seeded init below replaces those weights)
        with torch.random.fork_rng(devices=[]):
            for units in hidden:
                layers += [
                    nn.Linear(width, units),
                    nn.BatchNorm1d(units),
                    nn.LeakyReLU(0.2),
                    _SeededDropout(dropout, generator),
                ]
                width = units
            layers.append(nn.Linear(width, 1))
        self.layers = nn.Sequential(*layers)
        with torch.no_grad():
            for layer in self.layers:
                if isinstance(layer, nn.Linear):
                    bound = 1.0 / math.sqrt(layer.in_features)
                    for tensor in (layer.weight, layer.bias):
                        noise = torch.rand(tensor.shape, generator=generator)
                        tensor.copy_((2 * noise - 1) * bound)

    def forward(self, x):
        """Logits of shape (n,)."""
        return self.layers(x).squeeze(-1)


class MLPDiscriminator(ClassifierMixin, BaseEstimator):
    """Binary classifier with the paper's discriminator MLP, trained with skorch.

    Adam on the binary cross-entropy, mini-batches, early stopping on the loss of
    a stratified validation split with the best epoch restored. Fully seeded by
    ``random_state`` (weights, dropout, batch order, split); the global torch
    random state is left alone.

    Parameters
    ----------
    hidden : tuple of int, default=(256, 64, 32)
        Hidden layer widths.
    dropout : float, default=0.5
        Dropout rate (the paper authors' value).
    learning_rate : float, default=4e-3
        Adam learning rate.
    batch_size : int or "auto", default="auto"
        Rows per step. "auto": a tenth of the training rows, between 64 and
        1024 (about ten steps per epoch). Never more than the training rows; the
        last partial batch of an epoch is dropped, so batch norm never sees a
        single row.
    max_epochs : int, default=400
        Most epochs.
    patience : int, default=30
        Epochs without a lower validation loss before stopping.
    validation_fraction : float, default=0.2
        Share of rows held out for early stopping.
    random_state : int, RandomState instance or None, default=None
        Seeds everything.
    device : str, default="cpu"
        Torch device.

    Attributes
    ----------
    net_ : skorch.NeuralNetBinaryClassifier
        The trained network.
    classes_ : ndarray of shape (2,)
        The two class labels.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn_tabbias.nn.discriminator import MLPDiscriminator
    >>> X, y = make_classification(200, random_state=0)
    >>> clf = MLPDiscriminator(max_epochs=20, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        "hidden": ["array-like"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "device": [str],
    }

    def __init__(
        self,
        hidden=(256, 64, 32),
        dropout=0.5,
        learning_rate=4e-3,
        batch_size="auto",
        max_epochs=400,
        patience=30,
        validation_fraction=0.2,
        random_state=None,
        device="cpu",
    ):
        self.hidden = hidden
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.device = device

    def fit(self, X, y):
        """Train the discriminator on two classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features.
        y : array-like of shape (n_samples,)
            Two class labels.

        Returns
        -------
        self : MLPDiscriminator
            The fitted classifier.
        """
        from skorch import NeuralNetBinaryClassifier

        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float32)
        codes = self._class_codes(y)
        rng = check_random_state(self.random_state)
        module = DiscriminatorMLP(
            X.shape[1], tuple(self.hidden), self.dropout, rng.randint(MAX_SEED)
        )
        train, split, callbacks, valid_batches = self._validation(X, codes, rng)
        sampler = self._train_sampler(len(train), rng)
        self.net_ = NeuralNetBinaryClassifier(
            module=module,
            optimizer=torch.optim.Adam,
            lr=self.learning_rate,
            max_epochs=self.max_epochs,
            train_split=split,
            iterator_train__sampler=sampler,
            iterator_train__batch_size=None,
            iterator_valid__sampler=valid_batches,
            iterator_valid__batch_size=None,
            # DataLoader draws a worker base seed from the global generator
            # unless it has its own (no workers here: the draw is its only use)
            iterator_train__generator=torch.Generator(),
            iterator_valid__generator=torch.Generator(),
            callbacks=callbacks,
            device=self.device,
            verbose=0,
        )
        self.net_.fit(_Batches(X[train], codes[train]), None)
        return self

    def _class_codes(self, y):
        """``classes_`` of a binary target, and ``y`` as float 0/1 codes."""
        check_classification_targets(y)
        y_type = type_of_target(y, input_name="y", raise_unknown=True)
        if y_type != "binary":
            raise ValueError(
                "Only binary classification is supported. The type of the target "
                f"is {y_type}."
            )
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError("MLPDiscriminator needs 2 classes; y holds 1 class.")
        return codes.astype(np.float32)

    def _validation(self, X, codes, rng):
        """Training rows, skorch's split, early stopping and validation batches.

        No validation (all rows train, no early stopping) when the fraction
        leaves fewer than two rows or a class has fewer than two.
        """
        n_val = math.ceil(len(X) * self.validation_fraction)
        if n_val < 2 or min(np.bincount(codes.astype(int))) < 2:
            return np.arange(len(X)), None, [], None
        from skorch.callbacks import EarlyStopping
        from skorch.helper import predefined_split

        train, val = next(
            StratifiedShuffleSplit(
                1, test_size=n_val, random_state=rng.randint(MAX_SEED)
            ).split(X, codes)
        )
        split = predefined_split(_Batches(X[val], codes[val]))
        batches = BatchSampler(SequentialSampler(range(n_val)), 4096, drop_last=False)
        stopping = EarlyStopping(patience=self.patience, load_best=True, sink=_quiet)
        return train, split, [stopping], batches

    def _train_sampler(self, n_train, rng):
        """Whole seeded batches: no per-row indexing, and no one-row batch.

        (Batch norm cannot train on a one-row batch.)
        """
        batch_size = self.batch_size
        if batch_size == "auto":
            batch_size = min(1024, max(64, n_train // 10))
        batch_size = max(2, min(batch_size, n_train))
        generator = torch.Generator().manual_seed(int(rng.randint(MAX_SEED)))
        return BatchSampler(
            RandomSampler(range(n_train), generator=generator),
            batch_size,
            drop_last=True,
        )

    def predict_proba(self, X):
        """Probabilities of the two classes, shape (n_samples, 2)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float32, reset=False)
        module = self.net_.module_.eval()
        with torch.no_grad():
            logits = [
                module(torch.as_tensor(X[start : start + 65536], device=self.device))
                for start in range(0, len(X), 65536)
            ]
        p = torch.sigmoid(torch.cat(logits)).cpu().numpy().astype(np.float64)
        return np.column_stack([1 - p, p])

    def predict(self, X):
        """Most probable class."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags
