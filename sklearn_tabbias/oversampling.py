"""An imbalanced-learn over-sampler whose new rows come from a synthesizer.

Needs imbalanced-learn (``pip install imbalanced-learn``, or the ``augment``
extra).
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import validate_data

from sklearn_tabbias._validation import MAX_SEED, as_frame
from sklearn_tabbias.base import SynthesizerMixin

__all__ = ["SyntheticOversampler"]

#: The name of the class column in the table the synthesizer models.
_CLASS = "__class__"


class SyntheticOversampler(BaseOverSampler):
    """Add synthetic rows of the classes that need them, drawn from one model.

    ``fit_resample(X, y)`` fits a clone of ``synthesizer`` once on all rows
    with ``y`` as a column (``fit(X, y)``), so every class borrows the
    structure the others share, and draws the rows ``sampling_strategy`` asks
    for of each class from the model's conditional distribution
    (``sample(n, conditions={target_name_: label})``, exact and fast even for a rare
    class). A synthesizer without ``conditions`` is sampled freely and its
    rows of the class kept (at most ``max_draws`` rows per wanted row, then a
    clear error). Inside
    ``imblearn.pipeline.Pipeline`` the synthetic rows are added to the
    training folds only.

    Parameters
    ----------
    synthesizer : estimator, default=None
        The generator, with ``fit(X, y)`` and ``sample(n, return_y=True)``;
        None: ``BiasedVAESynthesizer(bias="none", n_seeds=1)``
        (one seed run: as good as ten for ``"none"`` at N=300, see
        docs/benchmarks.md). It is cloned; its ``random_state`` is set from
        this sampler's when it has one.
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes get how many rows, as in imbalanced-learn's samplers
        (``"auto"``: every class but the majority up to the majority's size).
    per_row : float or None, default=None
        Plain augmentation instead: ``per_row`` synthetic rows for each real
        row of every class (e.g. 1.0 doubles the table). Set it only with the
        default ``sampling_strategy``.
    max_draws : int, default=100
        For a synthesizer without conditional sampling: synthetic rows drawn
        at most per wanted row before giving up on a class the model rarely
        produces.
    random_state : int, RandomState instance or None, default=None
        Seeds the synthesizer and the draws.

    Attributes
    ----------
    synthesizer_ : estimator
        The fitted clone.
    sampling_strategy_ : dict
        Rows added per class.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.oversampling import SyntheticOversampler
    >>> X, y = load_iris(return_X_y=True)
    >>> keep = (y != 2) | (np.arange(150) % 5 == 0)  # 10 rows of class 2
    >>> gen = BiasedVAESynthesizer(n_seeds=1, max_epochs=20, min_steps=0)
    >>> sampler = SyntheticOversampler(gen, random_state=0)
    >>> X_new, y_new = sampler.fit_resample(X[keep], y[keep])
    >>> np.bincount(y_new).tolist()
    [50, 50, 50]
    """

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "synthesizer": [HasMethods(["fit", "sample"]), None],
        "per_row": [Interval(Real, 0, None, closed="neither"), None],
        "max_draws": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        synthesizer=None,
        *,
        sampling_strategy="auto",
        per_row=None,
        max_draws=100,
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.synthesizer = synthesizer
        self.per_row = per_row
        self.max_draws = max_draws
        self.random_state = random_state

    def _check_X_y(self, X, y, accept_sparse=None):
        """Let tables with strings and NaN through (the synthesizer reads them)."""
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        wanted = self._wanted(y)
        rng = check_random_state(self.random_state)
        frame, labels = as_frame(X), pd.Series(np.asarray(y), name=_CLASS)
        self.synthesizer_ = self._synthesizer(rng).fit(frame, labels)
        parts_X, parts_y = [frame], [labels.to_numpy()]
        for label, n_rows in wanted.items():
            if n_rows > 0:
                rows = self._draw(label, n_rows, rng)
                parts_X.append(rows)
                parts_y.append(np.full(n_rows, label, dtype=labels.dtype))
        X_new = pd.concat(parts_X, ignore_index=True)
        if not isinstance(X, pd.DataFrame):
            X_new = X_new.to_numpy(dtype=np.asarray(X).dtype)
        return X_new, np.concatenate(parts_y)

    def _wanted(self, y):
        """Rows to add per class."""
        if self.per_row is None:
            return dict(self.sampling_strategy_)
        if self.sampling_strategy != "auto":
            raise ValueError(
                "Set either per_row or sampling_strategy, not both: per_row="
                f"{self.per_row!r} adds rows to every class, sampling_strategy="
                f"{self.sampling_strategy!r} chooses classes."
            )
        labels, counts = np.unique(y, return_counts=True)
        wanted = {
            c: int(round(self.per_row * n)) for c, n in zip(labels, counts, strict=True)
        }
        self.sampling_strategy_ = wanted
        return wanted

    def _synthesizer(self, rng):
        if self.synthesizer is None:
            from sklearn_tabbias.synthesizers.vae import BiasedVAESynthesizer

            synthesizer = BiasedVAESynthesizer(bias="none", n_seeds=1)
        else:
            synthesizer = clone(self.synthesizer)
        if "random_state" in synthesizer.get_params():
            synthesizer.set_params(random_state=int(rng.randint(MAX_SEED)))
        return synthesizer

    def _draw(self, label, n_rows, rng):
        """``n_rows`` synthetic feature rows of class ``label``."""
        if isinstance(self.synthesizer_, SynthesizerMixin):
            rows, _ = self.synthesizer_.sample(
                n_rows,
                random_state=int(rng.randint(MAX_SEED)),
                return_y=True,
                conditions={self.synthesizer_.target_name_: label},
            )
            return rows
        kept, drawn, batch = [], 0, max(4 * n_rows, 256)
        while sum(len(k) for k in kept) < n_rows and drawn < self.max_draws * n_rows:
            X_s, y_s = self.synthesizer_.sample(
                batch, random_state=int(rng.randint(MAX_SEED)), return_y=True
            )
            kept.append(X_s[np.asarray(y_s) == label])
            drawn += batch
        found = sum(len(k) for k in kept)
        if found < n_rows:
            raise ValueError(
                f"The synthesizer produced {found} rows of class {label!r} in "
                f"{drawn} draws, fewer than the {n_rows} wanted; raise max_draws "
                f"(now {self.max_draws}) or ask for fewer rows of this class."
            )
        return pd.concat(kept, ignore_index=True).iloc[:n_rows]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.sparse = False
        return tags
