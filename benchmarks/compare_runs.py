"""Compare the cells of a (partial) benchmark run with an older run's cells.

Prints a Markdown table with one row per (table, route, model, scenario) of the
new run: seeds, JS at M=7500, L=1000 with ordinal features (old → new),
detection AUC, utility (old → new) and fit seconds (old → new); mean ± std over
seeds. With ``--into FILE`` the table replaces the block between
``<!-- landed:start -->`` and ``<!-- landed:end -->`` of FILE. ``--paired``
prints instead each bias scenario of the new run against its Low data cells of
the same model, table and route, paired by seed: the JS and detection-AUC
differences with their 95 % t-intervals.

    OMP_NUM_THREADS=1 python benchmarks/compare_runs.py \\
        benchmarks/results/full benchmarks/results/full-dec2026 \\
        --into docs/benchmarks.md
"""

import argparse
import json
from pathlib import Path

import numpy as np
from scipy import stats

from sklearn_tabbias.benchmark.report import write_into
from sklearn_tabbias.benchmark.scoring import results_frame, scale_regression_utility

START, END = "<!-- landed:start -->", "<!-- landed:end -->"
KEYS = ["dataset", "route", "model", "scenario"]


def load(folder):
    """The cells of a run folder, regression utilities scaled as in the report."""
    records = [
        json.loads(p.read_text()) for p in sorted(Path(folder).glob("cells/*.json"))
    ]
    frame = results_frame(scale_regression_utility(records))
    return frame[(frame["M"] == 7500) & (frame["encoding"] == "ordinal")]


def stat(values):
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{values.mean():.3f} ± {values.std(ddof=1):.3f}"


def seconds(values):
    return "–" if len(values) == 0 else f"{np.mean(values):.0f}"


def rows(old, new):
    """One Markdown row per group of the new run."""
    lines = []
    for key, cells in new.groupby(KEYS):
        before = old
        for name, value in zip(KEYS, key, strict=True):
            before = before[before[name] == value]
        dataset, route, model, scenario = key
        detection = cells["detection"] if "detection" in cells else []
        metric = cells["utility_metric"].iloc[0]
        commits = ", ".join(sorted(set(cells["commit"])))
        lines.append(
            f"| {dataset} ({route}) | {model} | {scenario} | {len(cells)} | "
            f"{stat(before['js'])} → {stat(cells['js'])} | {stat(detection)} | "
            f"{stat(before['utility_synthetic'])} → "
            f"{stat(cells['utility_synthetic'])} ({metric}) | "
            f"{seconds(before['fit_seconds'])} → {seconds(cells['fit_seconds'])} | "
            f"{commits} |"
        )
    return lines


def table(old, new):
    header = (
        "| table | model | scenario | seeds | JS old → new | detection AUC | "
        "utility old → new | fit s old → new | commit |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    return "\n".join([header, *rows(old, new)])


def paired(new):
    """Bias scenarios minus Low data, paired by seed, with 95 % t-intervals."""
    lines = [
        "| table | model | scenario | seeds | JS: Low data → scenario | ΔJS | "
        "Δdetection AUC |",
        "|---|---|---|---|---|---|---|",
    ]
    wide = new.pivot_table(
        index=["dataset", "route", "model", "seed"],
        columns="scenario",
        values=["js", "detection"],
    )
    for (dataset, route, model), part in wide.groupby(level=[0, 1, 2]):
        for scenario in sorted(set(part.columns.get_level_values(1))):
            if scenario in ("Low data", "Big data") or ("js", "Low data") not in part:
                continue
            both = part[[("js", "Low data"), ("js", scenario)]].dropna()
            if len(both) < 2:
                continue
            d_js = _interval(part[("js", scenario)] - part[("js", "Low data")])
            d_det = _interval(
                part[("detection", scenario)] - part[("detection", "Low data")]
            )
            lines.append(
                f"| {dataset} ({route}) | {model} | {scenario} | {len(both)} | "
                f"{both.iloc[:, 0].mean():.3f} → {both.iloc[:, 1].mean():.3f} | "
                f"{d_js} | {d_det} |"
            )
    return "\n".join(lines)


def _interval(diff):
    diff = diff.dropna().to_numpy()
    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
    mean = diff.mean()
    mark = " *" if abs(mean) > half else ""  # the interval excludes 0
    return f"{mean:+.3f} [{mean - half:+.3f}, {mean + half:+.3f}]{mark}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the older run's folder")
    parser.add_argument("new", help="the new run's folder")
    parser.add_argument("--into", help="Markdown file with a landed block to replace")
    parser.add_argument("--paired", action="store_true", help="gains over Low data")
    args = parser.parse_args()
    if args.paired:
        print(paired(load(args.new)))
        return
    markdown = table(load(args.old), load(args.new))
    if args.into is None:
        print(markdown)
        return
    write_into(Path(args.into), markdown + "\n", START, END)


if __name__ == "__main__":
    main()
