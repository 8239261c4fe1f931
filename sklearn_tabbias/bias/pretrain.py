"""Pre-training on samples of the best seed run (paper §2.1.1) or on a source."""

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils import resample
from sklearn.utils._param_validation import HasMethods, Interval

from sklearn_tabbias.bias._base import BiasMethod


class PretrainBias(BiasMethod):
    """θ0 = best of S runs pre-trained on other rows than the real ones.

    Without a ``source`` (the paper's method) the rows are ``n_samples``
    samples of the best seed run. With one, they come from outside the real
    rows: a related table with the same columns (another period, region or
    population), or the samples of any fitted generator. The S runs are then
    fine-tuned on the real rows as usual.

    Parameters
    ----------
    n_samples : int, default=10000
        Rows to pre-train on (split for validation like the real rows): drawn
        from the best seed run or from a generator ``source``; a table
        ``source`` with more rows is subsampled to this many.
    source : DataFrame, array-like or object with ``sample(n)``, default=None
        Where the pre-training rows come from. None: the best seed run. A
        table: its rows, with the columns of the real rows. An object with a
        ``sample(n)`` method (a fitted :class:`~sklearn_tabbias.BiasedCTGAN`,
        an SDV synthesizer, a fitted ``GaussianMixture``): ``n_samples`` of its
        rows (the first element when ``sample`` returns a tuple). The encoder is
        fitted on the real and the source rows together, so categories only
        the source holds are kept (and may be sampled).
        ``clone`` keeps the same source object (it is data, not a sub-model to
        refit), so a fitted generator stays fitted inside ``GridSearchCV``.

    Examples
    --------
    >>> from sklearn_tabbias.bias import PretrainBias
    >>> PretrainBias(n_samples=5000)
    PretrainBias(n_samples=5000)
    """

    uses_all_seed_runs = False
    trained_start = True

    @property
    def uses_seed_runs(self):
        """Only the paper's method (no ``source``) samples a seed run."""
        return self.source is None

    _parameter_constraints = {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "source": [None, "array-like", HasMethods(["sample"])],
    }

    def __init__(self, n_samples=10000, source=None):
        self.n_samples = n_samples
        self.source = source

    def initial_state(self, runner, seed_runs, real):
        """Pre-train S runs on the source's rows and keep the best."""
        if self.source is None:
            rows = runner.sample_from(seed_runs.best_state, real.train, self.n_samples)
        else:
            rows = real.encode(real.extra)
        train, val = runner.split(rows)
        runs = runner.train(train, val, real.n_runs, phase="pretrain")
        return runs.best_state

    def extra_rows(self, rng):
        """The source's rows (the encoder learns their categories too)."""
        return None if self.source is None else self._source_rows(rng)

    def _source_rows(self, rng):
        """The source's rows: a table (subsampled) or a generator's sample."""
        if not _is_table(self.source):
            rows = self.source.sample(self.n_samples)
            return rows[0] if isinstance(rows, tuple) else rows
        table = self.source if hasattr(self.source, "iloc") else np.asarray(self.source)
        if len(table) <= self.n_samples:
            return table
        return resample(
            table, replace=False, n_samples=self.n_samples, random_state=rng
        )

    def __sklearn_clone__(self):
        """A clone that keeps the same ``source`` (data, not a model to refit)."""
        params = self.get_params(deep=False)
        source = params.pop("source")
        params = {k: clone(v, safe=False) for k, v in params.items()}
        return type(self)(source=source, **params)

    def __repr__(self, N_CHAR_MAX=700):
        if not _is_table(self.source):
            return super().__repr__(N_CHAR_MAX)
        shape = np.shape(self.source)
        return (
            f"PretrainBias(n_samples={self.n_samples}, "
            f"source=<{type(self.source).__name__} of shape {shape}>)"
        )


def _is_table(source):
    """Whether ``source`` is rows (a DataFrame, an array) rather than a sampler."""
    return source is not None and (
        hasattr(source, "shape")
        or hasattr(source, "__array__")
        or isinstance(source, list | tuple)
    )
