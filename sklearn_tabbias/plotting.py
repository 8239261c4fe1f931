"""Plots of a synthetic table against the real one, and of training.

Displays follow scikit-learn's pattern: build one with ``from_estimator`` or
``from_frames``, which computes what to draw and calls ``plot``; the attributes
``figure_`` and ``axes_`` (or ``ax_``) hold the matplotlib objects. matplotlib
is an optional dependency: ``pip install sklearn-tabbias[plot]``.
"""

import numpy as np
import pandas as pd

from sklearn_tabbias._validation import as_frame
from sklearn_tabbias.metrics.utility import infer_task
from sklearn_tabbias.training import CURVE_LABELS, runs_label

__all__ = ["CorrelationDifferenceDisplay", "MarginalsDisplay", "TrainingCurvesDisplay"]


def _pyplot():
    try:
        from matplotlib import pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "sklearn_tabbias.plotting needs matplotlib: pip install matplotlib "
            "(or the 'plot' extra)."
        ) from e
    return plt


def _grid(n_panels, n_cols, panel_size=(3.2, 2.4)):
    plt = _pyplot()
    n_cols = max(1, min(n_cols, n_panels))
    n_rows = -(-n_panels // n_cols)
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(panel_size[0] * n_cols, panel_size[1] * n_rows),
        squeeze=False,
    )
    for ax in axes.flat[n_panels:]:
        ax.set_visible(False)
    return fig, axes.flat[:n_panels]


def _is_discrete(column):
    """Drawn as level shares: the columns the utility metric treats as classes."""
    return infer_task(column) == "classification"


def _sample_like(estimator, X, n_samples, random_state):
    """``X`` as a DataFrame and a sample of the estimator with its columns."""
    X = as_frame(X)
    sample = estimator.sample(n_samples or len(X), random_state=random_state)
    return X, pd.DataFrame(sample, columns=X.columns)


def _check_columns(real, synthetic):
    real, synthetic = as_frame(real), as_frame(synthetic)
    if list(real.columns) != list(synthetic.columns):
        raise ValueError(
            "real and synthetic must have the same columns in the same order; got "
            f"{list(real.columns)} and {list(synthetic.columns)}."
        )
    return real, synthetic


class MarginalsDisplay:
    """Real-vs-synthetic marginal distribution of every column.

    Numeric columns: overlaid density histograms on common bins. Discrete columns
    (strings, categories, bools, few integer values): side-by-side bars of each
    level's share, the ``max_levels`` most frequent real levels, missing values
    as a level "NaN".

    Parameters
    ----------
    real, synthetic : DataFrame
        The tables (same columns).
    columns : list of str
        Columns drawn.

    Attributes
    ----------
    figure_ : matplotlib Figure
    axes_ : ndarray of matplotlib Axes
        One per column.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from sklearn_tabbias.plotting import MarginalsDisplay
    >>> real = pd.DataFrame({"age": [30, 41, 52, 38], "sex": ["F", "M", "F", "F"]})
    >>> synth = pd.DataFrame({"age": [33, 45, 50, 36], "sex": ["M", "M", "F", "F"]})
    >>> display = MarginalsDisplay.from_frames(real, synth)
    >>> [ax.get_title() for ax in display.axes_]
    ['age', 'sex']
    """

    def __init__(self, real, synthetic, columns):
        self.real = real
        self.synthetic = synthetic
        self.columns = columns

    @classmethod
    def from_frames(
        cls, real, synthetic, columns=None, n_bins=30, max_levels=12, n_cols=3
    ):
        """Draw the marginals of two tables.

        Parameters
        ----------
        real, synthetic : DataFrame
            The tables, with the same columns.
        columns : list of str, optional
            Columns to draw (default: all).
        n_bins : int, default=30
            Histogram bins of numeric columns.
        max_levels : int, default=12
            Levels shown per discrete column.
        n_cols : int, default=3
            Panels per row.

        Returns
        -------
        display : MarginalsDisplay
        """
        real, synthetic = _check_columns(real, synthetic)
        columns = list(real.columns) if columns is None else list(columns)
        unknown = [c for c in columns if c not in real.columns]
        if unknown:
            raise ValueError(f"columns: {unknown[0]!r} is not a column of the tables.")
        return cls(real, synthetic, columns).plot(
            n_bins=n_bins, max_levels=max_levels, n_cols=n_cols
        )

    @classmethod
    def from_estimator(cls, estimator, X, n_samples=None, random_state=0, **kwargs):
        """Sample a fitted synthesizer and draw its marginals against ``X``.

        Parameters
        ----------
        estimator : fitted synthesizer
            Anything with ``sample(n, random_state=...)``.
        X : DataFrame
            Real rows.
        n_samples : int, optional
            Rows to sample (default: ``len(X)``).
        random_state : int, default=0
            Seed of the sample.
        **kwargs
            Passed to :meth:`from_frames`.

        Returns
        -------
        display : MarginalsDisplay
        """
        X, sample = _sample_like(estimator, X, n_samples, random_state)
        return cls.from_frames(X, sample, **kwargs)

    def plot(self, n_bins=30, max_levels=12, n_cols=3):
        """Draw (again) into a new figure; returns self."""
        self.figure_, self.axes_ = _grid(len(self.columns), n_cols)
        for ax, column in zip(self.axes_, self.columns, strict=True):
            real, synth = self.real[column], self.synthetic[column]
            if _is_discrete(real):
                self._bars(ax, real, synth, max_levels)
            else:
                self._histogram(ax, real, synth, n_bins)
            ax.set_title(str(column))
        self.axes_[0].legend(fontsize=8)
        self.figure_.tight_layout()
        return self

    @staticmethod
    def _histogram(ax, real, synth, n_bins):
        values = pd.concat([real, synth]).astype(float).dropna()
        bins = np.histogram_bin_edges(values, bins=n_bins)
        for data, label in ((real, "real"), (synth, "synthetic")):
            ax.hist(
                data.astype(float).dropna(),
                bins=bins,
                density=True,
                alpha=0.5,
                label=label,
            )

    @staticmethod
    def _bars(ax, real, synth, max_levels):
        def shares(column):
            return (
                column.astype(object)
                .fillna("NaN")
                .astype(str)
                .value_counts(normalize=True)
            )

        real_shares, synth_shares = shares(real), shares(synth)
        levels = list(real_shares.index[:max_levels])
        x = np.arange(len(levels))
        ax.bar(x - 0.2, real_shares.reindex(levels).to_numpy(), 0.4, label="real")
        ax.bar(
            x + 0.2,
            synth_shares.reindex(levels, fill_value=0).to_numpy(),
            0.4,
            label="synthetic",
        )
        ax.set_xticks(x)
        ax.set_xticklabels(levels, rotation=45, ha="right", fontsize=7)
        ax.set_ylabel("share")


class CorrelationDifferenceDisplay:
    """Heat map of the absolute difference of real and synthetic correlations.

    Columns are coded as numbers first (discrete levels by their order in the
    real table, NaN as its own code) and compared with Spearman's rank
    correlation, so numeric and categorical columns share one matrix.

    Parameters
    ----------
    difference : DataFrame
        The absolute differences, columns x columns.

    Attributes
    ----------
    difference_ : DataFrame
        Same as ``difference``.
    real_corr_, synthetic_corr_ : DataFrame
        The two correlation matrices (set by ``from_frames``).
    figure_, ax_ : matplotlib Figure and Axes
    image_ : matplotlib AxesImage

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from sklearn_tabbias.plotting import CorrelationDifferenceDisplay
    >>> real = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 4, 6, 8]})
    >>> synth = pd.DataFrame({"a": [1, 2, 3, 4], "b": [8, 6, 4, 2]})
    >>> CorrelationDifferenceDisplay.from_frames(real, synth).difference_.loc["a", "b"]
    np.float64(2.0)
    """

    def __init__(self, difference):
        self.difference = difference

    @classmethod
    def from_frames(cls, real, synthetic, ax=None):
        """Compute both correlation matrices and draw their difference.

        Parameters
        ----------
        real, synthetic : DataFrame
            The tables, with the same columns.
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        display : CorrelationDifferenceDisplay
        """
        real, synthetic = _check_columns(real, synthetic)
        real_codes, synth_codes = _codes(real, synthetic)
        real_corr = real_codes.corr(method="spearman")
        synth_corr = synth_codes.corr(method="spearman")
        display = cls((real_corr - synth_corr).abs())
        display.real_corr_, display.synthetic_corr_ = real_corr, synth_corr
        return display.plot(ax=ax)

    @classmethod
    def from_estimator(cls, estimator, X, n_samples=None, random_state=0, ax=None):
        """Sample a fitted synthesizer and draw the difference against ``X``."""
        X, sample = _sample_like(estimator, X, n_samples, random_state)
        return cls.from_frames(X, sample, ax=ax)

    def plot(self, ax=None, cmap="viridis"):
        """Draw the heat map; returns self."""
        plt = _pyplot()
        if ax is None:
            size = 1.5 + 0.35 * len(self.difference)
            _, ax = plt.subplots(figsize=(size + 1, size))
        self.difference_ = self.difference
        names = [str(c) for c in self.difference.columns]
        self.image_ = ax.imshow(
            self.difference.to_numpy(dtype=float), vmin=0, vmax=2, cmap=cmap
        )
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=90, fontsize=7)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels(names, fontsize=7)
        ax.set_title("|Spearman corr. real − synthetic|")
        ax.figure.colorbar(self.image_, ax=ax)
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _codes(real, synthetic):
    """Both tables as numbers: discrete levels coded in the real table's order."""
    coded = {}
    for column in real.columns:
        if _is_discrete(real[column]):
            levels = pd.concat([real[column], synthetic[column]]).astype(object)
            levels = levels.fillna("NaN").astype(str)
            order = {v: i for i, v in enumerate(pd.unique(levels))}
            n = len(real)
            coded[column] = levels.map(order).to_numpy(dtype=float)
            coded[column] = (coded[column][:n], coded[column][n:])
        else:
            coded[column] = (
                real[column].astype(float).to_numpy(),
                synthetic[column].astype(float).to_numpy(),
            )
    return (
        pd.DataFrame({c: v[0] for c, v in coded.items()}),
        pd.DataFrame({c: v[1] for c, v in coded.items()}),
    )


class TrainingCurvesDisplay:
    """Training and validation curves of every phase of a fitted synthesizer.

    For a VAE: one panel per phase (seed runs, pre-training, fine-tuning …), the
    validation loss of each run (solid) and its training loss (dotted, same
    colour), and a marker at the epoch each run kept. MAML's query loss per
    meta-iteration. For CTGAN: generator and discriminator losses per epoch.

    Parameters
    ----------
    history : list of TrainingRecord
        The estimator's ``history_``.

    Attributes
    ----------
    figure_ : matplotlib Figure
    axes_ : ndarray of matplotlib Axes
        One per phase.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_tabbias.plotting import TrainingCurvesDisplay
    >>> from sklearn_tabbias.training import TrainingRecord
    >>> curves = {"train": np.ones((5, 2)), "validation": np.ones((5, 2))}
    >>> history = [TrainingRecord("seed", n_runs=2, n_train=8, n_val=2,
    ...     warm_start=False, batch_size=8, steps_per_epoch=1,
    ...     epochs=np.array([5, 4]), curves=curves, best_epoch=np.array([4, 3]))]
    >>> len(TrainingCurvesDisplay(history).plot().axes_[0].lines)  # 2 runs x 2 + kept
    5
    """

    def __init__(self, history):
        self.history = history

    @classmethod
    def from_estimator(cls, estimator, n_cols=3):
        """Draw the curves in a fitted synthesizer's ``history_``."""
        if not hasattr(estimator, "history_"):
            raise ValueError(
                f"{type(estimator).__name__} is not fitted: it has no history_ to "
                "plot; call fit first."
            )
        return cls(estimator.history_).plot(n_cols=n_cols)

    def plot(self, n_cols=3):
        """Draw one panel per phase; returns self."""
        self.figure_, self.axes_ = _grid(len(self.history), n_cols, (4, 2.8))
        for ax, record in zip(self.axes_, self.history, strict=True):
            if "validation" in record.curves:
                self._vae_phase(ax, record)
            else:
                for name, curve in record.curves.items():
                    ax.plot(curve[:, 0], label=CURVE_LABELS[name])
                ax.set_ylabel("loss")
            ax.set_xlabel(record.unit)
            runs = runs_label(record.n_runs)
            ax.set_title(f"{record.phase} ({runs}, {record.n_train} rows)")
            ax.legend(fontsize=7)
        self.figure_.tight_layout()
        return self

    @staticmethod
    def _vae_phase(ax, record):
        val, train = record.curves["validation"], record.curves["train"]
        for member in range(val.shape[1]):
            # before min_steps only every few epochs are validated
            validated = np.flatnonzero(~np.isnan(val[:, member]))
            first = member == 0  # one legend entry per line style
            (line,) = ax.plot(
                validated,
                val[validated, member],
                lw=1,
                label="validation (solid)" if first else None,
            )
            ax.plot(
                train[:, member],
                lw=0.8,
                ls=":",
                color=line.get_color(),
                label="training (dotted)" if first else None,
            )
        best = record.best_epoch
        ax.plot(best, val[best, np.arange(val.shape[1])], "k.", label="kept epoch")
        ax.set_ylabel("loss (−ELBO per row)")
