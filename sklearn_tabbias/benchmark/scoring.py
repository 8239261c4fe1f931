"""What a cell measures on its sample, and the flat views of cell records."""

import warnings

import pandas as pd

from sklearn_tabbias.benchmark.settings import SETTINGS
from sklearn_tabbias.benchmark.tables import load_table, route_a
from sklearn_tabbias.metrics import (
    SmallSampleWarning,
    estimate_detection,
    estimate_divergence,
    utility,
)

__all__ = ["results_frame", "scale_regression_utility", "score_sample", "scores"]


def _divergences(sample, table, settings, seed):
    """JS and KL at every validation size (M, L) and feature encoding."""
    # Route (a) tables are all numbers: every encoding codes them the same way.
    encodings = settings.encodings[:1] if route_a(table) else settings.encodings
    found = []
    for n_train, n_eval, repeats in settings.validations:
        for encoding in encodings:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SmallSampleWarning)
                estimate = estimate_divergence(
                    table.real,
                    sample,
                    n_train=n_train,
                    n_eval=n_eval,
                    n_repeats=repeats,
                    encoding=encoding,
                    random_state=seed,
                )
            found.append(
                dict(
                    M=n_train,
                    L=n_eval,
                    encoding=encoding,
                    js=estimate.mean("js"),
                    kl=estimate.mean("kl"),
                )
            )
    return found


def score_sample(sample, table, train_rows, settings, seed):
    """A cell's measurements of its synthetic ``sample``.

    Parameters
    ----------
    sample : DataFrame
        The synthetic rows.
    table : Table
        The cell's table (held-out rows, target, task).
    train_rows : DataFrame
        The real rows the model was fitted on (the utility reference).
    settings : Settings
        Validation sizes and encodings.
    seed : int
        Seeds the discriminators and the utility model.

    Returns
    -------
    scores : dict
        ``divergence`` (a list of dicts), ``detection``, ``utility_metric``,
        ``utility_synthetic`` and ``utility_real``.
    """
    divergence = _divergences(sample, table, settings, seed)
    found = utility(
        sample, table.test, table.target, real_train=train_rows, task=table.task
    )
    detection = estimate_detection(table.real, sample, random_state=seed)
    return dict(
        divergence=divergence,
        detection=detection.mean,
        utility_metric=found.metric,
        utility_synthetic=found.synthetic,
        utility_real=found.real,
    )


def scores(record):
    """The numbers a cell measured (everything but its fit time), flat."""
    flat = {
        f"{d['encoding']} M={d['M']} L={d['L']} {metric}": d[metric]
        for d in record["divergence"]
        for metric in ("js", "kl")
    }
    flat.update(
        utility_synthetic=record["utility_synthetic"],
        utility_real=record["utility_real"],
    )
    if "detection" in record:  # cells before Dec 2026 have none
        flat["detection"] = record["detection"]
    return flat


def scale_regression_utility(records, data_home=None):
    """Route (b) regression MSEs divided by the held-out target's variance.

    Route (a) targets are z-scored by the authors, so their MSEs read like the
    paper's; a raw target (King's price in dollars) gives MSEs of 1e10. Dividing
    by the variance of the held-out rows' target puts them on the same scale
    (the MSE of a z-scored target; 1 = predicting the mean).

    Parameters
    ----------
    records : list of dict
        Cell records.
    data_home : path-like, optional
        Data folder for the fetchers.

    Returns
    -------
    records : list of dict
        Copies; scaled ones have ``utility_metric="mse / var(y)"``.
    """
    variances, scaled = {}, []
    for record in records:
        if record["route"] == "b" and record["utility_metric"] == "mse":
            key = record["dataset"]
            if key not in variances:
                table = load_table(key, "b", SETTINGS["full"], data_home)
                variances[key] = table.real[table.target].var()
            record = dict(
                record,
                utility_metric="mse / var(y)",
                utility_synthetic=record["utility_synthetic"] / variances[key],
                utility_real=record["utility_real"] / variances[key],
            )
        scaled.append(record)
    return scaled


def results_frame(records):
    """One row per cell and validation setting."""
    rows = []
    for record in records:
        base = {k: v for k, v in record.items() if k != "divergence"}
        for divergence in record["divergence"]:
            rows.append({**base, **divergence})
    return pd.DataFrame(rows)
