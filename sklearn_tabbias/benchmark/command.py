"""The benchmark's command line: ``python -m sklearn_tabbias benchmark``.

Only :mod:`~sklearn_tabbias.benchmark.settings` is imported up front, so the
options are listed without loading torch; the cells' code loads when they run.
"""

from pathlib import Path

from sklearn_tabbias.benchmark.settings import (
    MODELS,
    ROUTES,
    SCENARIOS,
    SETTINGS,
    installed,
)

__all__ = ["add_arguments", "run_from_args"]

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
        help="run the cheapest cached cell of each (commit, model, platform) in the "
        "selection again and compare its numbers with the cache; exit 1 when a cell "
        "written on this platform (CPU and numeric libraries) differs "
        "(narrow the selection, e.g. --scenarios 'Big data', to check other cells)",
    )


def run_from_args(args, command):
    """Run the benchmark the parsed ``args`` describe; returns the exit code."""
    from sklearn_tabbias.benchmark.cache import run

    selection = _selection(args)
    if isinstance(selection, int):
        return selection
    settings, dataset_routes, models = selection
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
    _report(records, args, command)
    return 0


def _selection(args):
    """(settings, dataset -> routes, models) of ``args``, or an exit code of 2."""
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
    if not any(s in MODELS[m] for m in models for s in args.scenarios or SCENARIOS):
        print(
            "No cell to run: none of --models has a scenario in --scenarios "
            f"(the models' scenarios: {MODELS})."
        )
        return 2
    return settings, dataset_routes, models


def _report(records, args, command):
    """Print the summary; write the tables and the plot into ``--report``."""
    from sklearn_tabbias.benchmark.report import report, summary, write_into
    from sklearn_tabbias.benchmark.scoring import scale_regression_utility

    print(summary(records))
    if args.report is not None:
        records = scale_regression_utility(records, data_home=args.data_home)
        plot = args.report.with_name(args.report.stem + "_js.png")
        write_into(
            args.report, report(records, command, plot_path=plot, plot_name=plot.name)
        )
        print(f"wrote {args.report} and {plot}")


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
    """Re-run cells; exit 1 when one written on this platform gives other numbers."""
    from sklearn_tabbias.benchmark.cache import (
        cell_name,
        cells_to_verify,
        platform_name,
        verify,
    )

    here = platform_name()
    results = verify(
        cells_to_verify(records), settings, data_home=args.data_home, n_jobs=args.n_jobs
    )
    drift = False
    for r in results:
        differs, mine = r["max_abs_diff"] > VERIFY_TOLERANCE, r["platform"] == here
        drift |= differs and mine
        verdict = ("DIFFERENT" if mine else "differs") if differs else "same"
        print(
            f"{cell_name(r)} (commit {r['commit']}): max |diff| "
            f"{r['max_abs_diff']:.3g} -> {verdict}"
        )
    if any(r["platform"] != here for r in results):
        print(
            f"This platform: {here}. Cells written on another or an unrecorded "
            "platform ('differs') cannot tell code drift from rounding: a seeded "
            "fit's numbers depend on the CPU's vector instructions."
        )
    return int(drift)
