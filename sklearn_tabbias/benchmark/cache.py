"""Benchmark cells: run the missing ones, cache each, verify cached ones.

A *cell* is one fit: a table, a data route, a model, a scenario and a seed. It
fits the synthesizer on the scenario's real rows, samples, and records the fit
time and what :func:`~.scoring.score_sample` measures. Each finished cell is
written to ``OUT/cells/<name>.json``, so an interrupted run resumes where it
stopped; the record names the commit of the code that made it and the platform
it ran on (a seeded fit's numbers depend on both).
"""

import json
import platform
import subprocess
import time
from pathlib import Path

from joblib import delayed

from sklearn_tabbias._parallel import Parallel
from sklearn_tabbias.benchmark.models import make_model
from sklearn_tabbias.benchmark.scoring import score_sample, scores
from sklearn_tabbias.benchmark.settings import CELL_KEYS, MODELS, SCENARIOS
from sklearn_tabbias.benchmark.tables import load_table

__all__ = [
    "cell_name",
    "cell_path",
    "cells_for",
    "cells_to_verify",
    "platform_name",
    "run",
    "run_cell",
    "verify",
]


def run_cell(cell, table, settings):
    """Fit, sample and score one cell; returns its record."""
    model = make_model(cell, settings, table)
    rows = table.big if SCENARIOS[cell["scenario"]][1] == "big" else table.small
    started = time.perf_counter()
    model.fit(rows)
    seconds = time.perf_counter() - started
    sample = model.sample(settings.n_samples, random_state=cell["seed"])
    record = dict(cell, n_train_rows=len(rows), fit_seconds=seconds)
    record.update(score_sample(sample, table, rows, settings, cell["seed"]))
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


def cell_path(out, cell):
    """The cache file of ``cell`` in the folder ``out``."""
    return Path(out) / "cells" / f"{cell_name(cell)}.json"


def _work(cell, settings, data_home, out, made_by):
    table = load_table(cell["dataset"], cell["route"], settings, data_home)
    record = run_cell(cell, table, settings)
    record.update(settings=settings.name, **made_by)
    path = cell_path(out, cell)
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


def platform_name():
    """The CPU and the numeric libraries a seeded cell's numbers depend on.

    The same seed gives other numbers on a CPU with other vector instructions
    (torch and MKL pick their kernels by them, and the sums round differently),
    so a cell reproduces bit for bit only on the platform that wrote it.

    Returns
    -------
    name : str
        E.g. ``"AMD EPYC (AVX2); torch 2.13.0+cpu, numpy 2.4.6, scikit-learn 1.9.1"``.
    """
    import numpy
    import sklearn
    import torch

    return (
        f"{_cpu_model()} ({torch.backends.cpu.get_cpu_capability()}); "
        f"torch {torch.__version__}, numpy {numpy.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )


def _cpu_model():
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        lines = []
    names = [line.split(":", 1)[1].strip() for line in lines if "model name" in line]
    return names[0] if names else platform.processor() or platform.machine()


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
        Keys of :data:`~.settings.MODELS`.
    settings : Settings
        Sizes (see :data:`~.settings.SETTINGS`).
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
        Keys of :data:`~.settings.SCENARIOS` to run; default: every scenario of
        each model.

    Returns
    -------
    records : list of dict
    """
    cells = cells_for(dataset_routes, models, settings, scenarios)
    todo = [c for c in cells if not cell_path(out, c).exists()]
    if cached_only:
        cells = [c for c in cells if c not in todo]
        todo = []
    made_by = dict(commit=_commit(), platform=platform_name()) if todo else {}
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_work)(c, settings, data_home, out, made_by) for c in todo
    )
    if progress and todo:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, total=len(todo), desc="benchmark cells", unit="cell")
    for _ in jobs:
        pass
    return [json.loads(cell_path(out, c).read_text()) for c in cells]


def cells_to_verify(records):
    """The cheapest cached cell of each (commit, model, platform).

    One re-run per code version and machine: a difference on the platform that
    wrote a cell is code drift; on another one it may be rounding.

    Parameters
    ----------
    records : list of dict
        Cached cell records (those without a ``platform`` count as one
        unrecorded platform).

    Returns
    -------
    records : list of dict
        One record per (commit, model, platform), the one with the shortest fit.
    """
    cheapest = {}
    for record in records:
        key = (record["commit"], record["model"], record.get("platform"))
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
    return dict(
        cell,
        commit=record["commit"],
        platform=record.get("platform"),
        max_abs_diff=diff,
    )


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
        Per record: its cell keys, its commit, its ``platform`` (None when
        not recorded) and ``max_abs_diff``, the largest
        absolute difference over its JS, KL, utility and detection values
        (inf when the re-run measured other settings; cells from before the
        detection AUC are compared on the rest).
    """
    return Parallel(n_jobs=n_jobs)(
        delayed(_rerun)(record, settings, data_home) for record in records
    )
