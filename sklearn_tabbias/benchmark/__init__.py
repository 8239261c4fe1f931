"""The paper's benchmark: ``python -m sklearn_tabbias benchmark``.

Also ``python benchmarks/paper.py``.
Runs the cells of :mod:`~sklearn_tabbias.benchmark.cells` (cached, resumable,
``--n-jobs`` in parallel) and prints a summary; ``--report docs/benchmarks.md``
writes the tables and a plot into the documentation.
"""

import shlex
import sys
from pathlib import Path

from sklearn_tabbias.benchmark.cells import (
    MODELS,
    ROUTES,
    SCENARIOS,
    SETTINGS,
    cell_name,
    cells_for,
    cells_to_verify,
    run,
    scale_regression_utility,
    verify,
)
from sklearn_tabbias.benchmark.peers import installed
from sklearn_tabbias.benchmark.report import report as markdown_report
from sklearn_tabbias.benchmark.report import summary, write_into

__all__ = ["add_arguments", "main", "run", "run_from_args"]

#: Largest difference ``--verify`` accepts between a re-run and its cached cell.
VERIFY_TOLERANCE = 1e-9


def add_arguments(parser):
    """Add the benchmark's options to an argparse parser."""
    parser.add_argument(
        "--settings",
        choices=sorted(SETTINGS),
        default="full",
        help="'full': the paper's protocol; 'quick': tiny sizes (a smoke test)",
    )
    parser.add_argument(
        "--quick",
        action="store_const",
        const="quick",
        dest="settings",
        help="same as --settings quick",
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=sorted(ROUTES),
        default=None,
        help="tables to run (default: all; with --quick: adult)",
    )
    parser.add_argument(
        "--routes",
        nargs="+",
        choices=["a", "b"],
        default=["a", "b"],
        help="data routes: (a) the authors' splits, (b) raw tables",
    )
    parser.add_argument(
        "--models",
        nargs="+",
        choices=sorted(MODELS),
        default=None,
        metavar="MODEL",
        help=f"models to run, from {sorted(MODELS)} (default: all that are "
        "installed; ARF, ForestDiffusion and TabularARGN come with the 'peers' extra)",
    )
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=list(SCENARIOS),
        default=None,
        metavar="SCENARIO",
        help=f"scenarios to run (default: all), from {list(SCENARIOS)}",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="cell cache folder (default: benchmark_results/<settings>)",
    )
    parser.add_argument("--n-jobs", type=int, default=1, help="cells run in parallel")
    parser.add_argument("--data-home", default=None, help="folder of the tables")
    parser.add_argument(
        "--report",
        type=Path,
        default=None,
        help="Markdown file to write the tables into (a plot goes beside it)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="run nothing; report the cells already in the cache (a partial run)",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="run the cheapest cached cell of each (commit, model) in the selection "
        "again and compare its numbers with the cache; exit 1 when they differ "
        "(narrow the selection, e.g. --scenarios 'Big data', to check other cells)",
    )


def run_from_args(args, command):
    """Run the benchmark the parsed ``args`` describe; returns the exit code."""
    settings = SETTINGS[args.settings]
    names = args.datasets or (["adult"] if args.settings == "quick" else list(ROUTES))
    dataset_routes = {
        name: tuple(r for r in ROUTES[name] if r in args.routes) for name in names
    }
    dataset_routes = {k: v for k, v in dataset_routes.items() if v}
    if not dataset_routes:
        print("No (dataset, route) pair to run: check --datasets and --routes.")
        return 2
    models = _models(args.models)
    if models is None:
        return 2
    if not cells_for(dataset_routes, models, settings, args.scenarios):
        print(
            "No cell to run: none of --models has a scenario in --scenarios "
            f"(the models' scenarios: {MODELS})."
        )
        return 2
    out = args.out or Path("benchmark_results") / args.settings
    records = run(
        dataset_routes,
        models,
        settings,
        out,
        data_home=args.data_home,
        n_jobs=args.n_jobs,
        progress=not args.no_progress,
        cached_only=args.cached_only or args.verify,
        scenarios=args.scenarios,
    )
    if not records:
        print(f"No cached cells in {out} for this selection.")
        return 2
    if args.verify:
        return _verify(records, settings, args)
    print(summary(records))
    if args.report is not None:
        records = scale_regression_utility(records, data_home=args.data_home)
        plot = args.report.with_name(args.report.stem + "_js.png")
        markdown = markdown_report(
            records, command, plot_path=plot, plot_name=plot.name
        )
        write_into(args.report, markdown)
        print(f"wrote {args.report} and {plot}")
    return 0


def _models(asked):
    """The models to run: those asked for, or every installed one; None on error."""
    missing = [m for m in asked or MODELS if not installed(m)]
    if asked is None:
        if missing:
            print(
                f"Not installed, skipped: {missing} (pip install "
                "'sklearn-tabbias[peers]')."
            )
        return [m for m in MODELS if m not in missing]
    if missing:
        print(
            f"--models {missing}: not installed; pip install 'sklearn-tabbias[peers]'."
        )
        return None
    return list(asked)


def _verify(records, settings, args):
    results = verify(
        cells_to_verify(records), settings, data_home=args.data_home, n_jobs=args.n_jobs
    )
    differs = [r["max_abs_diff"] > VERIFY_TOLERANCE for r in results]
    for r, different in zip(results, differs, strict=True):
        print(
            f"{cell_name(r)} (commit {r['commit']}): max |diff| "
            f"{r['max_abs_diff']:.3g} -> {'DIFFERENT' if different else 'same'}"
        )
    return int(any(differs))


def main(argv=None):
    """Entry point of ``benchmarks/paper.py``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    argv = sys.argv[1:] if argv is None else argv
    command = "python benchmarks/paper.py " + shlex.join(argv)
    return run_from_args(parser.parse_args(argv), command)
