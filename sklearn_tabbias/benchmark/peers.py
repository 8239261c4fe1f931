"""Other projects' synthesizers behind our ``fit(X)`` / ``sample(n)`` calls.

Each peer is called through its public API with its default settings (stated
otherwise in :data:`FOREST_DIFFUSION_BUDGET`) and seeded: peers that draw from
numpy's or torch's global generators run inside
:func:`~sklearn_tabbias._random.seeded_globals`, which puts the caller's state
back. Samples come back with the real table's columns and dtypes (integer
columns rounded), so every metric sees them as it sees ours.

The peers are optional: ``pip install "sklearn-tabbias[peers]"`` installs
``arfpy``, ``ForestDiffusion`` and ``mostlyai-engine``; SDV comes with the
package.
"""

import contextlib
import warnings

import numpy as np
import pandas as pd

from sklearn_tabbias._random import seeded_globals

__all__ = [
    "FOREST_DIFFUSION_BUDGET",
    "PEERS",
    "ARFPeer",
    "ForestDiffusionPeer",
    "SDVPeer",
    "TabularARGNPeer",
]

#: ForestDiffusion's settings here. Its defaults (n_t=50 noise levels, each row
#: duplicated 100 times, 100 trees per output) grow one boosted model per noise
#: level with a tree per round for each of the ~100 one-hot outputs of Adult:
#: hours per fit on 2 cores. This budget took about 10 minutes on 300 Adult rows.
FOREST_DIFFUSION_BUDGET = dict(n_t=10, duplicate_K=10, n_estimators=20)


class _Peer:
    """Shared part: seeds, declared categories, samples in the real table's dtypes.

    ``categorical_features`` names columns that are categories although they
    hold numbers (the authors' preprocessed splits code every category as a
    number); they reach the peer as object columns, which every peer treats as
    categorical, and come back as numbers.
    """

    def __init__(self, categorical_features=None, random_state=0, **params):
        self.categorical_features = categorical_features
        self.random_state = random_state
        self.params = params

    def _like_real(self, sample):
        """``sample`` with the fitted table's columns and dtypes."""
        sample = pd.DataFrame(sample).reset_index(drop=True)
        if set(sample.columns) == set(self.columns_):
            sample = sample[self.columns_]  # by name
        else:
            sample.columns = self.columns_  # a bare array, in the fitted order
        out = {}
        for name, dtype in self.dtypes_.items():
            column = sample[name]
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(
                dtype
            ):
                values = pd.to_numeric(column.astype(object), errors="coerce")
                values = values.astype(float)
                if pd.api.types.is_integer_dtype(dtype):
                    values = values.round()
                    if not values.isna().any():
                        values = values.astype(dtype)
                out[name] = values
            else:
                out[name] = column.astype(object).where(column.notna(), np.nan)
        return pd.DataFrame(out)

    def _seed(self, random_state=None):
        """The seed of a call: its own ``random_state``, else the peer's."""
        return int(self.random_state if random_state is None else random_state)

    def _remember(self, X):
        """Store columns and dtypes; X with declared categories as objects."""
        self.columns_ = list(X.columns)
        self.dtypes_ = X.dtypes.to_dict()
        X = X.copy()
        for name in self.categorical_features or []:
            X[name] = X[name].astype(object)
        return X


class SDVPeer(_Peer):
    """An SDV single-table synthesizer (``kind``: GaussianCopula, TVAE, CTGAN).

    SDV draws from numpy's and torch's global generators when it fits (and
    seeds its sampling with a fixed seed of its own); ``random_state`` seeds
    them for the fit and puts the caller's state back afterwards.
    """

    def __init__(self, kind, categorical_features=None, random_state=0, **params):
        super().__init__(categorical_features, random_state, **params)
        self.kind = kind

    def fit(self, X):
        """Detect metadata (declaring the categorical columns) and fit, seeded."""
        from sdv import single_table
        from sdv.metadata import Metadata

        metadata = Metadata.detect_from_dataframes({"table": X})
        for column in self.categorical_features or []:
            metadata.update_column(column, sdtype="categorical", table_name="table")
        cls = getattr(single_table, f"{self.kind}Synthesizer")
        params = {} if self.kind == "GaussianCopula" else self.params
        if self.kind != "GaussianCopula":
            params = {"enable_gpu": False, **params}
        with warnings.catch_warnings(), seeded_globals(self.random_state):
            # SDV's advice to save the metadata
            warnings.filterwarnings("ignore", "We strongly recommend saving")
            self.model_ = cls(metadata, **params)
            self.model_.fit({"table": X})
        return self

    def sample(self, n_samples, random_state=None):
        """Draw rows (SDV seeds itself; ``random_state`` is not used)."""
        return self.model_.sample(n_samples)["table"]


@contextlib.contextmanager
def _numpy_in1d():
    """Alias ``np.in1d`` to isin: arfpy 0.1.1 calls it, and numpy 2.4 removed it."""
    missing = not hasattr(np, "in1d")
    if missing:
        np.in1d = np.isin  # noqa: NPY201 (arfpy's 1-d arguments: same result)
    try:
        yield
    finally:
        if missing:
            del np.in1d  # noqa: NPY201


class ARFPeer(_Peer):
    """Adversarial random forests (``arfpy``: Watson et al., AISTATS 2023)."""

    def fit(self, X):
        """Grow the forests and estimate the leaf densities (FORDE), seeded."""
        from arfpy import arf

        X = self._remember(X)
        with seeded_globals(self._seed()), _numpy_in1d(), warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # arfpy's pandas calls
            self.model_ = arf.arf(x=X, verbose=False, **self.params)
            self.model_.forde()
        return self

    def sample(self, n_samples, random_state=None):
        """Draw rows from the leaf densities (FORGE)."""
        with (
            seeded_globals(self._seed(random_state)),
            _numpy_in1d(),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", FutureWarning)
            return self._like_real(self.model_.forge(n=n_samples))


class ForestDiffusionPeer(_Peer):
    """ForestFlow (``ForestDiffusion``: Jolicoeur-Martineau et al., AISTATS 2024).

    Categorical columns go in one-hot coded here (every level, missing values a
    level of their own) as plain numbers, and come back as the argmax of their
    block: ForestDiffusion's own dummy coding (1.0.x) finds a column's dummies
    by substring of positional names, so the dummies of columns 3 and 13 mix
    (Adult's education and native-country), and it drops the one dummy of a
    column constant in the training rows, which breaks ``generate``. Integer
    columns are flagged as integers. Settings: :data:`FOREST_DIFFUSION_BUDGET`
    unless given.
    """

    def fit(self, X):
        """Code the table as numbers and train the flow's boosted trees, seeded."""
        from ForestDiffusion import ForestDiffusionModel

        X = self._remember(X)
        self.categories_, blocks, int_indexes = {}, [], []
        for name in X.columns:
            column = X[name]
            if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(
                column
            ):
                if pd.api.types.is_integer_dtype(column):
                    int_indexes.append(sum(block.shape[1] for block in blocks))
                blocks.append(column.to_numpy(float)[:, None])
                continue
            values = column.astype(object).where(column.notna(), None)
            categories = pd.Index(pd.unique(values))
            self.categories_[name] = categories
            blocks.append(np.eye(len(categories))[categories.get_indexer(values)])
        params = {**FOREST_DIFFUSION_BUDGET, **self.params}
        with seeded_globals(self._seed()):
            self.model_ = ForestDiffusionModel(
                np.hstack(blocks),
                diffusion_type="flow",
                n_jobs=1,
                seed=self._seed(),
                int_indexes=int_indexes,
                **params,
            )
        return self

    def sample(self, n_samples, random_state=None):
        """Integrate the flow from noise and decode the one-hot blocks."""
        with seeded_globals(self._seed(random_state)):
            values = self.model_.generate(batch_size=n_samples)
        out, start = {}, 0
        for name in self.columns_:
            categories = self.categories_.get(name)
            width = 1 if categories is None else len(categories)
            block = values[:, start : start + width]
            start += width
            if categories is None:
                out[name] = block[:, 0]
            else:
                out[name] = categories[block.argmax(axis=1)]
        return self._like_real(pd.DataFrame(out))


class TabularARGNPeer(_Peer):
    """MOSTLY AI's TabularARGN (``mostlyai-engine``), its scikit-learn interface."""

    def fit(self, X):
        """Train on the rows (CPU, default settings), seeded."""
        from mostlyai.engine import TabularARGN

        X = self._remember(X)
        self.model_ = TabularARGN(
            random_state=self._seed(), device="cpu", **self.params
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model_.fit(X)
        return self

    def sample(self, n_samples, random_state=None):
        """Draw rows (the engine seeds sampling from its ``random_state``)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self._like_real(self.model_.sample(n_samples=n_samples))


#: Peers of the optional ``peers`` extra: name -> adapter (the packages they
#: import: :data:`~.settings.PEER_PACKAGES`).
PEERS = {
    "ARF": ARFPeer,
    "ForestDiffusion": ForestDiffusionPeer,
    "TabularARGN": TabularARGNPeer,
}
