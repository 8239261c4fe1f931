"""The paper's experiments (Tables 1, A.3, B.4) as resumable benchmark cells.

A *cell* is one fit: a table, a data route, a model, a scenario and a seed. It
fits the synthesizer on the scenario's real rows, samples, and records the fit
time, JS and KL at every validation size (M, L) and feature encoding, and the
utility of the sample. Each finished cell is written to ``OUT/cells/*.json``, so
an interrupted run resumes where it stopped. The ``report`` module turns them
into the Markdown tables of ``docs/benchmarks.md``.

Data routes:

* ``"a"``: the authors' preprocessed splits (:func:`fetch_paper_splits`): the
  exact 300 training rows, 10,000 rows for "Big data", held-out ``m`` and ``l``
  rows for validation.
* ``"b"``: the raw table (``fetch_*``) through our own encoder: shuffled once,
  300 training rows, 9,500 held-out rows for validation, 10,000 further rows for
  "Big data".

Run ``python -m sklearn_tabbias benchmark --help``.
"""

import json
import subprocess
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from joblib import delayed

from sklearn_tabbias import datasets
from sklearn_tabbias._parallel import Parallel
from sklearn_tabbias.benchmark import peers
from sklearn_tabbias.metrics import (
    SmallSampleWarning,
    estimate_detection,
    estimate_divergence,
    utility,
)
from sklearn_tabbias.synthesizers import BiasedCTGAN, BiasedVAESynthesizer

#: Scenario -> (bias, training rows); the paper's six VAE and three CTGAN rows.
SCENARIOS = {
    "Big data": ("none", "big"),
    "Low data": ("none", "small"),
    "Pre-train": ("pretrain", "small"),
    "AVG": ("avg", "small"),
    "MAML": ("maml", "small"),
    "DRS": ("drs", "small"),
}
MODELS = {
    "VAE": list(SCENARIOS),
    "CTGAN": ["Big data", "Low data", "Pre-train"],
    "SDV GaussianCopula": ["Low data"],
    "SDV TVAE": ["Low data"],
    "SDV CTGAN": ["Low data"],
    "ARF": ["Low data"],
    "ForestDiffusion": ["Low data"],
    "TabularARGN": ["Low data"],
}

ROUTES = {
    "adult": ("a", "b"),
    "king": ("a", "b"),
    "letter": ("b",),
    "news": ("a",),
    "intrusion": ("a",),
}
#: What identifies a cell (its cache file name is made of these).
CELL_KEYS = ("dataset", "route", "model", "scenario", "seed")
#: The paper's latent dimensions (§3.3); 10 elsewhere.
LATENT_DIM = {"king": 15, "news": 20}
_FETCH = {
    "adult": datasets.fetch_adult,
    "king": datasets.fetch_king,
    "letter": datasets.fetch_letter,
}


@dataclass
class Settings:
    """Sizes of one benchmark run (``full`` is the paper's protocol)."""

    name: str
    n_small: int = 300
    n_big: int = 10_000
    n_samples: int = 10_000
    seeds: tuple = (0, 1, 2)
    validations: tuple = ((7500, 1000, 1), (100, 100, 10))  # (M, L, repeats)
    encodings: tuple = ("ordinal", "onehot")
    utility_model: str = "paper"  # the paper's MLP / linear regression
    vae: dict = field(default_factory=dict)
    ctgan: dict = field(default_factory=dict)
    sdv: dict = field(default_factory=dict)
    peers: dict = field(default_factory=dict)  # model -> its settings


SETTINGS = {
    "full": Settings("full"),
    "quick": Settings(
        "quick",
        n_big=1000,
        n_samples=1200,
        seeds=(0,),
        validations=((500, 200, 1), (100, 100, 2)),
        encodings=("ordinal",),
        utility_model="hgb",
        vae=dict(
            n_seeds=2,
            max_epochs=20,
            patience=5,
            hidden_dim=32,
            pretrain_samples=500,
            maml_meta_iterations=3,
            maml_inner_steps=2,
        ),
        ctgan=dict(n_seeds=2, epochs=3, pretrain_samples=500, pretrain_epochs=2),
        sdv=dict(epochs=3),
        peers={
            "ARF": dict(num_trees=5, max_iters=1),
            "ForestDiffusion": dict(n_t=3, duplicate_K=2, n_estimators=5),
            "TabularARGN": dict(max_epochs=1),
        },
    ),
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
    n_real = 9500
    small = frame.iloc[: settings.n_small]
    real = frame.iloc[settings.n_small : settings.n_small + n_real]
    big = frame.iloc[settings.n_small + n_real :].head(settings.n_big)
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


def make_model(cell, settings, table):
    """The estimator of one cell."""
    model, seed = cell["model"], cell["seed"]
    bias, _ = SCENARIOS[cell["scenario"]]
    cats = table.categorical_features
    if model == "VAE":
        params = {"latent_dim": LATENT_DIM.get(cell["dataset"], 10), **settings.vae}
        return BiasedVAESynthesizer(
            bias=bias, random_state=seed, categorical_features=cats, **params
        )
    if model == "CTGAN":
        return BiasedCTGAN(
            bias=bias, random_state=seed, categorical_features=cats, **settings.ctgan
        )
    if model in peers.PEERS:
        adapter, _ = peers.PEERS[model]
        return adapter(
            categorical_features=cats,
            random_state=seed,
            **settings.peers.get(model, {}),
        )
    kind = model.removeprefix("SDV ")
    return peers.SDVPeer(
        kind, categorical_features=cats, random_state=seed, **settings.sdv
    )


def run_cell(cell, table, settings):
    """Fit, sample and score one cell; returns its record."""
    model = make_model(cell, settings, table)
    rows = table.big if SCENARIOS[cell["scenario"]][1] == "big" else table.small
    started = time.perf_counter()
    model.fit(rows)
    seconds = time.perf_counter() - started
    sample = model.sample(settings.n_samples, random_state=cell["seed"])
    record = dict(cell, n_train_rows=len(rows), fit_seconds=seconds, divergence=[])
    # Route (a) tables are all numbers: every encoding codes them the same way.
    encodings = settings.encodings[:1] if route_a(table) else settings.encodings
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
                    random_state=cell["seed"],
                )
            record["divergence"].append(
                dict(
                    M=n_train,
                    L=n_eval,
                    encoding=encoding,
                    js=estimate.mean("js"),
                    kl=estimate.mean("kl"),
                )
            )
    scores = utility(sample, table.test, table.target, real_train=rows, task=table.task)
    detection = estimate_detection(table.real, sample, random_state=cell["seed"])
    record.update(
        detection=detection.mean,
        utility_metric=scores.metric,
        utility_synthetic=scores.synthetic,
        utility_real=scores.real,
    )
    return record


def cells_for(dataset_routes, models, settings, scenarios=None):
    """Every cell of a run, in a stable order (``scenarios=None``: all of them)."""
    return [
        dict(dataset=d, route=r, model=m, scenario=s, seed=seed)
        for d, routes in dataset_routes.items()
        for r in routes
        for m in models
        for s in MODELS[m]
        if scenarios is None or s in scenarios
        for seed in settings.seeds
    ]


def cell_name(cell):
    """A cell's name, e.g. ``adult-a-VAE-Low_data-0`` (its cache file's stem)."""
    return "-".join(str(cell[k]) for k in CELL_KEYS).replace(" ", "_")


def _cell_path(out, cell):
    return out / "cells" / f"{cell_name(cell)}.json"


def _work(cell, settings, data_home, out, commit):
    table = load_table(cell["dataset"], cell["route"], settings, data_home)
    record = run_cell(cell, table, settings)
    record.update(settings=settings.name, commit=commit)
    path = _cell_path(out, cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1))
    return record


def _commit():
    """The code's commit, "+dirty" when files differ from it (read at the start)."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty=+dirty", "--abbrev=7"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run(
    dataset_routes,
    models,
    settings,
    out,
    data_home=None,
    n_jobs=1,
    progress=True,
    cached_only=False,
    scenarios=None,
):
    """Run every missing cell (``n_jobs`` in parallel) and return all records.

    Parameters
    ----------
    dataset_routes : dict
        Dataset name -> routes, e.g. ``{"adult": ("a", "b")}``.
    models : list of str
        Keys of :data:`MODELS`.
    settings : Settings
        Sizes (see :data:`SETTINGS`).
    out : path-like
        Folder of the cell cache.
    data_home : path-like, optional
        Data folder for the fetchers.
    n_jobs : int, default=1
        Cells run in parallel (joblib).
    progress : bool, default=True
        Show a progress bar over the cells.
    cached_only : bool, default=False
        Run nothing: return the records of the cells already in the cache.
    scenarios : list of str, optional
        Keys of :data:`SCENARIOS` to run; default: every scenario of each model.

    Returns
    -------
    records : list of dict
    """
    out = Path(out)
    cells = cells_for(dataset_routes, models, settings, scenarios)
    todo = [c for c in cells if not _cell_path(out, c).exists()]
    if cached_only:
        cells = [c for c in cells if c not in todo]
        todo = []
    commit = _commit()
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_work)(c, settings, data_home, out, commit) for c in todo
    )
    if progress and todo:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, total=len(todo), desc="benchmark cells", unit="cell")
    for _ in jobs:
        pass
    return [json.loads(_cell_path(out, c).read_text()) for c in cells]


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


def cells_to_verify(records):
    """The cheapest cached cell of each (commit, model): one re-run per code version.

    Parameters
    ----------
    records : list of dict
        Cached cell records.

    Returns
    -------
    records : list of dict
        One record per (commit, model), the one with the shortest fit.
    """
    cheapest = {}
    for record in records:
        key = (record["commit"], record["model"])
        if key not in cheapest or record["fit_seconds"] < cheapest[key]["fit_seconds"]:
            cheapest[key] = record
    return list(cheapest.values())


def _rerun(record, settings, data_home):
    cell = {k: record[k] for k in CELL_KEYS}
    table = load_table(cell["dataset"], cell["route"], settings, data_home)
    old, new = scores(record), scores(run_cell(cell, table, settings))
    # a cell written before detection was measured is checked on what it has
    diff = (
        max(abs(new[k] - old[k]) for k in old)
        if old.keys() <= new.keys()
        else float("inf")
    )
    return dict(cell, commit=record["commit"], max_abs_diff=diff)


def verify(records, settings, data_home=None, n_jobs=1):
    """Run cached cells again with this code and compare their numbers.

    A cell is seeded end to end (synthesizer, sample, discriminator, utility
    model), so on the same machine and thread count a re-run that gives the
    cached numbers shows that the code which wrote the cell and this code
    compute the same thing.

    Parameters
    ----------
    records : list of dict
        Cached cell records to run again (e.g. from :func:`cells_to_verify`).
    settings : Settings
        The sizes the records were made with.
    data_home : path-like, optional
        Data folder for the fetchers.
    n_jobs : int, default=1
        Cells run in parallel (joblib).

    Returns
    -------
    results : list of dict
        Per record: its cell keys, its commit and ``max_abs_diff``, the largest
        absolute difference over its JS, KL, utility and detection values
        (inf when the re-run measured other settings; cells from before the
        detection AUC are compared on the rest).
    """
    return Parallel(n_jobs=n_jobs)(
        delayed(_rerun)(record, settings, data_home) for record in records
    )


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
