"""The rows each (table, route) gives its cells.

Data routes:

* ``"a"``: the authors' preprocessed splits
  (:func:`~sklearn_tabbias.datasets.fetch_paper_splits`): the exact 300
  training rows, 10,000 rows for "Big data", held-out ``m`` and ``l`` rows for
  validation.
* ``"b"``: the raw table (``fetch_*``) through our own encoder: shuffled once,
  300 training rows, 9,500 held-out rows for validation, 10,000 further rows for
  "Big data".
"""

from dataclasses import dataclass

import pandas as pd

from sklearn_tabbias import datasets

__all__ = ["N_HELD_OUT", "Table", "load_table", "route_a"]

#: Route (b): held-out real rows for the divergences (the last 2,000 for utility).
N_HELD_OUT = 9500
_FETCH = {
    "adult": datasets.fetch_adult,
    "king": datasets.fetch_king,
    "letter": datasets.fetch_letter,
}


@dataclass
class Table:
    """The rows one (dataset, route) provides to its cells."""

    small: pd.DataFrame
    big: pd.DataFrame
    real: pd.DataFrame  # held-out rows for the divergences
    test: pd.DataFrame  # held-out rows for utility
    target: str
    task: str
    categorical_features: list


def load_table(dataset, route, settings, data_home=None):
    """The training and held-out rows of ``dataset`` along ``route``."""
    if route == "a":
        splits = datasets.fetch_paper_splits(dataset, data_home=data_home)
        kind = splits.feature_types[splits.target]
        return Table(
            small=splits.train300.head(settings.n_small),
            big=splits.n.head(settings.n_big),
            real=pd.concat([splits.m, splits.l], ignore_index=True),
            test=splits.l,
            target=splits.target,
            task="regression" if kind == "gaussian" else "classification",
            categorical_features=splits.categorical_features,
        )
    frame, target = _FETCH[dataset](data_home=data_home)
    frame = frame.sample(frac=1, random_state=0).reset_index(drop=True)
    small = frame.iloc[: settings.n_small]
    real = frame.iloc[settings.n_small : settings.n_small + N_HELD_OUT]
    big = frame.iloc[settings.n_small + N_HELD_OUT :].head(settings.n_big)
    return Table(
        small=small.reset_index(drop=True),
        big=big.reset_index(drop=True),
        real=real.reset_index(drop=True),
        test=real.tail(2000).reset_index(drop=True),
        target=target,
        task="regression" if dataset == "king" else "classification",
        categorical_features=None,
    )


def route_a(table):
    """Whether a table comes from the authors' preprocessed splits (all numbers)."""
    return table.categorical_features is not None
