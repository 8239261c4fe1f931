"""Markdown tables (and a plot) from benchmark cells, next to the paper's numbers."""

import os
import platform
from datetime import date

import numpy as np
import torch

from sklearn_tabbias.benchmark.paper import PAPER_SECONDS, paper_results
from sklearn_tabbias.benchmark.scoring import results_frame
from sklearn_tabbias.benchmark.settings import MODELS, SCENARIOS

BIAS_SCENARIOS = ["Pre-train", "AVG", "MAML", "DRS"]
#: Our models, the columns of the per-scenario tables.
MAIN = ("VAE", "CTGAN")
ROUTE_NAMES = {
    "a": "route (a): the authors' preprocessed splits",
    "b": "route (b): raw table, our encoder",
}
START, END = "<!-- tables:start -->", "<!-- tables:end -->"


def _stat(values, digits=3):
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{values.mean():.{digits}f} ± {values.std(ddof=1):.{digits}f}"


def _column(cells, name):
    """A column's values without NaN (empty if no cell has it, e.g. old cells)."""
    return cells[name].dropna() if name in cells else cells.iloc[:0, 0]


def _paper(value, digits=3):
    return "–" if value is None else f"{value:.{digits}f}"


def _markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _pick(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for key, value in where.items():
        mask &= frame[key].to_numpy() == value
    return frame[mask]


def divergence_table(frame, dataset, route, m, encoding, paper):
    """Table 1 / A.3 form: scenarios x (VAE, CTGAN) JS, KL and utility."""
    header = ["Scenario", "N"]
    for model in MAIN:
        header += [f"{model} JS", "paper", f"{model} KL", "paper"]
    header += ["Real util.", "paper", "VAE util.", "paper", "CTGAN util.", "paper"]
    header += ["VAE det.", "CTGAN det."]
    rows = []
    for scenario in SCENARIOS:
        cells = _pick(frame, dataset=dataset, route=route, M=m, encoding=encoding)
        cells = _pick(cells, scenario=scenario)
        if cells.empty:
            continue
        published = paper.get((dataset, m, scenario), {})
        row = [scenario, int(cells["n_train_rows"].iloc[0])]
        for model in MAIN:
            mine = _pick(cells, model=model)
            for metric in ("JS", "KL"):
                row += [
                    _stat(mine[metric.lower()]),
                    _paper(published.get(f"{model} {metric}")),
                ]
        real = _pick(cells, model="VAE")["utility_real"]
        row += [_stat(real), _paper(published.get("real"))]
        for model in MAIN:
            mine = _pick(cells, model=model)["utility_synthetic"]
            row += [_stat(mine), _paper(published.get(f"{model} util"))]
        row += [_stat(_column(_pick(cells, model=m), "detection")) for m in MAIN]
        rows.append(row)
    return _markdown(header, rows)


def peers_table(frame, dataset, route, m, encodings):
    """Every model at N=300 without a bias ("Low data"), plus our best bias."""
    header = ["Model", "bias"]
    header += [f"JS ({e})" for e in encodings] + [f"KL ({e})" for e in encodings]
    header += ["detection AUC", "utility", "fit s"]
    rows = []
    for model in MODELS:
        for scenario in MODELS[model]:
            if SCENARIOS[scenario][1] == "big":
                continue
            cells = _pick(frame, dataset=dataset, route=route, M=m, model=model)
            cells = _pick(cells, scenario=scenario)
            if cells.empty:
                continue
            row = [model, SCENARIOS[scenario][0]]
            for metric in ("js", "kl"):
                row += [_stat(_pick(cells, encoding=e)[metric]) for e in encodings]
            first = _pick(cells, encoding=encodings[0])
            row += [
                _stat(_column(first, "detection")),
                _stat(first["utility_synthetic"]),
                _stat(first["fit_seconds"], 1),
            ]
            rows.append(row)
    return _markdown(header, rows)


def times_table(frame, dataset, route):
    """Fit seconds per scenario next to the paper's Table C.5."""
    cells = frame.drop_duplicates(["dataset", "route", "model", "scenario", "seed"])
    cells = _pick(cells, dataset=dataset, route=route)
    header = ["Scenario", "VAE s", "paper VAE s", "CTGAN s", "paper CTGAN s"]
    rows = []
    for scenario in SCENARIOS:
        paper = PAPER_SECONDS.get(dataset, {}).get(scenario, (None, None))
        row = [scenario]
        for i, model in enumerate(("VAE", "CTGAN")):
            mine = _pick(cells, model=model, scenario=scenario)["fit_seconds"]
            row += [_stat(mine, 1), _paper(paper[i], 1)]
        rows.append(row)
    return _markdown(header, rows)


def gains(frame, m, encoding):
    """Table 2: absolute (relative) JS and KL gains of each bias over Low data."""
    rows = []
    vae = _pick(frame, model="VAE", M=m, encoding=encoding)
    for (dataset, route), cells in vae.groupby(["dataset", "route"], sort=False):
        base = _pick(cells, scenario="Low data")
        if base.empty:
            continue
        row = {"table": f"{dataset} ({route})"}
        for scenario in BIAS_SCENARIOS:
            mine = _pick(cells, scenario=scenario)
            for metric in ("js", "kl"):
                if mine.empty:
                    continue
                low, value = base[metric].mean(), mine[metric].mean()
                row[(scenario, metric)] = (low - value, (low - value) / low)
        rows.append(row)
    return rows


def paper_gains(paper, m=7500):
    """Table 2 recomputed from the paper's Table 1 / B.4 means.

    Rows in the order adult, king, letter (Table 2's tables), news, intrusion.
    """
    rows = []
    for dataset in ("adult", "king", "letter", "news", "intrusion"):
        low = paper.get((dataset, m, "Low data"))
        if low is None:
            continue
        row = {"table": f"{dataset} (paper)"}
        for scenario in BIAS_SCENARIOS:
            mine = paper.get((dataset, m, scenario))
            for metric in ("JS", "KL"):
                base, value = low[f"VAE {metric}"], mine[f"VAE {metric}"]
                row[(scenario, metric.lower())] = (base - value, (base - value) / base)
        rows.append(row)
    return rows


def average_gains(rows, name):
    """One row with the mean absolute and relative gain of ``rows``."""
    keys = {key for row in rows for key in row if key != "table"}
    average = {"table": name}
    for key in keys:
        values = np.array([row[key] for row in rows if key in row])
        average[key] = tuple(values.mean(axis=0))
    return average


def gains_table(rows):
    """Markdown of :func:`gains` rows: "absolute (relative)", higher is better."""
    header = ["Table"] + [
        f"{s} {m.upper()}" for s in BIAS_SCENARIOS for m in ("js", "kl")
    ]
    body = []
    for row in rows:
        cells = [row["table"]]
        for scenario in BIAS_SCENARIOS:
            for metric in ("js", "kl"):
                gain = row.get((scenario, metric))
                cells.append("–" if gain is None else f"{gain[0]:.3f} ({gain[1]:.3f})")
        body.append(cells)
    return _markdown(header, body)


def plot(frame, path, m=7500, encoding="ordinal"):
    """Bar chart of the VAE's JS per scenario and table, paper means as markers."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    vae = _pick(frame, model="VAE", M=m, encoding=encoding)
    groups = list(vae.groupby(["dataset", "route"], sort=False))
    paper = paper_results()
    fig, ax = plt.subplots(figsize=(2.2 * max(len(groups), 2) + 2, 4))
    width = 0.8 / len(SCENARIOS)
    for i, scenario in enumerate(SCENARIOS):
        means, errors, marks = [], [], []
        for (dataset, _), cells in groups:
            js = _pick(cells, scenario=scenario)["js"]
            means.append(js.mean() if len(js) else np.nan)
            errors.append(js.std(ddof=1) if len(js) > 1 else 0.0)
            marks.append(paper.get((dataset, m, scenario), {}).get("VAE JS", np.nan))
        x = np.arange(len(groups)) + (i - len(SCENARIOS) / 2 + 0.5) * width
        ax.bar(x, means, width, yerr=errors, label=scenario)
        ax.plot(x, marks, "k_", markersize=10)
    ax.set_xticks(np.arange(len(groups)))
    ax.set_xticklabels([f"{d} ({r})" for (d, r), _ in groups])
    ax.set_ylabel(f"JS divergence (bits), M={m}, {encoding}")
    ax.set_title("VAE: ours (bars, mean ± std over seeds) and the paper (black ticks)")
    ax.legend(ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(records, command, plot_path=None, plot_name=None):
    """The generated part of ``docs/benchmarks.md`` as Markdown.

    Parameters
    ----------
    records : list of dict
        Cell records (see :func:`sklearn_tabbias.benchmark.cache.run`).
    command : str
        The command that regenerates the tables (printed at the top).
    plot_path, plot_name : str, optional
        Where to write the plot, and how the Markdown links it.

    Returns
    -------
    markdown : str
    """
    frame = results_frame(records)
    paper = paper_results()
    encodings = list(dict.fromkeys(frame["encoding"]))
    sizes = sorted(set(zip(frame["M"], frame["L"], strict=True)), reverse=True)
    commits = ", ".join(sorted(set(frame["commit"])))
    parts = [
        f"Regenerate: `{command}`",
        "",
        f"Commit {commits}; {date.today().isoformat()}; {platform.machine()}, "
        f"{os.cpu_count()} CPU cores, torch {torch.__version__}, "
        f"settings {', '.join(sorted(set(frame['settings'])))}; "
        f"{frame['seed'].nunique()} seeds per cell. Mean ± std over seeds.",
    ]
    for (dataset, route), _ in frame.groupby(["dataset", "route"], sort=False):
        parts += ["", f"## {dataset.capitalize()}, {ROUTE_NAMES[route]}"]
        cells = _pick(frame, dataset=dataset, route=route)
        metric = cells["utility_metric"].iloc[0]
        route_encodings = list(dict.fromkeys(cells["encoding"]))
        for m, n_eval in sizes:
            for encoding in route_encodings:
                parts += [
                    "",
                    f"### M={m}, L={n_eval}, {encoding} features (utility: {metric})",
                    "",
                    divergence_table(
                        frame,
                        dataset,
                        route,
                        m,
                        encoding,
                        paper if encoding == "ordinal" else {},  # theirs: ordinal
                    ),
                ]
        m, n_eval = sizes[0]
        n_small = _pick(frame, scenario="Low data")["n_train_rows"].iloc[0]
        parts += [
            "",
            f"### Peers at N={n_small} (M={m}, L={n_eval})",
            "",
            peers_table(frame, dataset, route, m, route_encodings),
            "",
            "### Fit times (2 cores, CPU); the paper's Table C.5 used 32 cores "
            "and a GPU for CTGAN",
            "",
            times_table(frame, dataset, route),
        ]
    m, n_eval = sizes[0]
    ours, theirs = gains(frame, m, encodings[0]), paper_gains(paper)
    parts += [
        "",
        f"## Gains over Low data (paper Table 2 form; M={m}, L={n_eval}, "
        f"{encodings[0]})",
        "",
        "absolute (relative) decrease of the divergence; higher is better. "
        "The paper's rows are recomputed from its Table 1 and B.4 means; its "
        "Table 2 averages adult, king and letter.",
        "",
        gains_table(
            ours
            + [average_gains(ours, "average (ours)")]
            + theirs[:3]
            + [average_gains(theirs[:3], "average (paper Table 2)")]
            + theirs[3:]
        ),
    ]
    if plot_path is not None:
        plot(frame, plot_path, m=m, encoding=encodings[0])
        parts += ["", f"![VAE JS per scenario]({plot_name or plot_path})"]
    return "\n".join(parts) + "\n"


def write_into(path, markdown, start=START, end=END):
    """Replace the generated block of ``path`` (between the markers) by ``markdown``.

    The hand-written text around the markers stays; a new file gets a title and
    the block. ``start`` and ``end`` are the markers (the tables' by default).
    """
    block = f"{start}\n{markdown}{end}"
    try:
        text = path.read_text()
    except FileNotFoundError:
        text = f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in text or end not in text:
        raise ValueError(f"{path} has no {start} ... {end} block to replace.")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(head + block + tail)


def summary(records):
    """A short text table for the terminal: VAE/CTGAN JS per scenario."""
    frame = results_frame(records)
    m = frame["M"].max()
    encoding = frame["encoding"].iloc[0]
    cells = _pick(frame, M=m, encoding=encoding)
    table = cells.pivot_table(
        index=["dataset", "route", "scenario"], columns="model", values="js", sort=False
    )
    return f"JS (bits), M={m}, {encoding} features, mean over seeds:\n" + (
        table.to_string(float_format=lambda v: f"{v:.3f}")
    )
