"""Command line: ``tabbias`` (also ``python -m sklearn_tabbias``).

Subcommands: ``demo``, ``fit``, ``sample``, ``evaluate``, ``benchmark``. A thin
layer over the public API: options the user leaves out are not passed, so the
estimators' own defaults apply. Exit codes: 0 success, 2 bad usage or input
(missing file, unknown column, invalid parameter), with a message on stderr.
"""

import argparse
import ast
import shlex
import sys
import time
from pathlib import Path

from sklearn_tabbias.benchmark import add_arguments, run_from_args

#: ``--model`` -> the synthesizer class's name (imported when a command runs).
MODELS = {"vae": "BiasedVAESynthesizer", "ctgan": "BiasedCTGAN"}


class CommandError(Exception):
    """A problem with the user's input: reported on stderr, exit code 2."""


def demo(args):
    """Fit bias methods on breast-cancer rows and evaluate them on held-out rows."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    from sklearn_tabbias import BiasedVAESynthesizer
    from sklearn_tabbias.datasets import load_breast_cancer
    from sklearn_tabbias.metrics import crossfit_divergence, privacy, utility

    frame, target = load_breast_cancer()
    train, test = train_test_split(
        frame, test_size=0.3, stratify=frame[target], random_state=args.random_state
    )
    print(
        f"Real table: {frame.shape[0]} rows x {frame.shape[1]} columns (target "
        f"{target!r}); fit on {len(train)} rows, evaluate on {len(test)} held-out rows"
    )
    for bias in args.bias:
        synth = BiasedVAESynthesizer(bias=bias, random_state=args.random_state)
        started = time.perf_counter()
        synth.fit(train)
        seconds = time.perf_counter() - started
        sample = synth.sample(args.n_samples)
        print(
            f"\nbias={bias!r}: fit {seconds:.1f}s, best validation loss "
            f"{synth.val_losses_[synth.best_run_]:.3f} "
            f"(best seed run {synth.seed_val_losses_[synth.best_seed_]:.3f})"
        )
        with pd.option_context("display.max_columns", 8, "display.width", 120):
            print(sample.head())
        # cross-fitted: every held-out row scored, JS in [0, 1], with its s.e.
        print(crossfit_divergence(test, sample, random_state=args.random_state))
        print(utility(sample, test, target, real_train=train))
        print(f"privacy: {privacy(sample, train, test)}")
    print(
        f"\nWith {len(test)} held-out rows the divergences are rough (paper App. A "
        "asks for thousands); compare the bias methods, not the absolute values."
    )
    return 0


def read_table(path, options=None, dates=()):
    """Read a CSV file, or raise CommandError saying what is wrong.

    ``options``: :func:`csv_options` of the command line; ``dates``: columns
    to read as dates.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        frame = pd.read_csv(path, **(options or {}))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        hint = " (try --file-encoding latin-1)" if isinstance(e, UnicodeError) else ""
        raise CommandError(f"{path}: not a readable CSV table ({e}){hint}.") from e
    except LookupError as e:  # an unknown --file-encoding
        raise CommandError(f"--file-encoding: {e}.") from e
    if frame.empty:
        raise CommandError(f"{path}: the table has no rows.")
    _check_columns(frame, dates, path)
    for column in dates:
        try:
            frame[column] = pd.to_datetime(frame[column])
        except (ValueError, TypeError) as e:
            raise CommandError(f"{path}: column {column!r} is not dates ({e}).") from e
    return frame


def csv_options(args):
    """The pandas CSV options the command line set."""
    return dict(
        sep=args.sep,
        decimal=args.decimal,
        thousands=args.thousands,
        na_values=args.na_values,
        encoding=args.file_encoding,
    )


def _check_folder(path):
    """Raise CommandError before the work when ``path``'s folder is missing."""
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise CommandError(f"{path}: the folder {folder} does not exist.")


def _add_csv_arguments(p, dates=False):
    p.add_argument("--sep", default=",", help="CSV field separator")
    p.add_argument("--decimal", default=".", help="decimal mark, e.g. ','")
    p.add_argument("--thousands", default=None, help="thousands separator, e.g. ','")
    p.add_argument(
        "--na-values",
        nargs="+",
        default=None,
        metavar="TEXT",
        help="texts that mean a missing value, e.g. '?'",
    )
    p.add_argument(
        "--file-encoding", default="utf-8", help="text encoding, e.g. latin-1"
    )
    if dates:
        p.add_argument(
            "--dates", nargs="+", default=[], metavar="COL", help="columns of dates"
        )


def _check_columns(frame, columns, path):
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CommandError(
            f"{path}: no column {missing[0]!r}; the columns are {list(frame.columns)}."
        )


def _parse_value(text):
    """A --param value: a Python literal if it parses as one, else the string."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def estimator_params(args):
    """The estimator parameters the user gave (named options and --param)."""
    params = {
        name: getattr(args, name)
        for name in ("bias", "n_seeds", "random_state", "device", "verbose")
        if hasattr(args, name)
    }
    if hasattr(args, "categorical"):
        params["categorical_features"] = args.categorical
    if getattr(args, "constraints", None):
        params["constraints"] = _read_constraints(args.constraints)
    params.update(_pairs(args.param, "--param"))
    return params


def _read_constraints(path):
    """The constraints of a JSON file: [{"type": ..., "columns": [...]}, ...]."""
    import json

    from sklearn_tabbias.constraints import from_records

    try:
        records = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise CommandError(f"--constraints {path}: {error}") from None
    return from_records(records)


def _pairs(items, option):
    """``NAME=VALUE`` items as a dict, each value a Python literal or a string."""
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CommandError(f"{option} expects NAME=VALUE, got {item!r}.")
        pairs[key] = _parse_value(value)
    return pairs


def fit(args):
    """Fit a synthesizer on a CSV table and save it with joblib."""
    import joblib

    import sklearn_tabbias
    from sklearn_tabbias.metrics.utility import infer_task

    _check_folder(args.output)
    frame = read_table(args.data, csv_options(args), args.dates)
    cls = getattr(sklearn_tabbias, MODELS[args.model])
    params = estimator_params(args)
    unknown = sorted(set(params) - set(cls().get_params()))
    if unknown:
        raise CommandError(
            f"{cls.__name__} has no parameter {unknown[0]!r}; see "
            f"help({cls.__name__}) for its parameters."
        )
    if args.target is not None:
        _check_columns(frame, [args.target], args.data)
        if infer_task(frame[args.target]) == "classification":  # keep it a class
            listed = params.get("categorical_features") or []
            params["categorical_features"] = sorted({*listed, args.target})
    if params.get("categorical_features"):
        _check_columns(frame, params["categorical_features"], args.data)
    for constraint in params.get("constraints") or []:
        _check_columns(frame, constraint.columns, args.data)
    model = cls(**params)
    started = time.perf_counter()
    _fit_with_notes(model, frame)
    seconds = time.perf_counter() - started
    joblib.dump(model, args.output)
    print(
        f"fitted {model!r} on {len(frame)} rows x {frame.shape[1]} columns in "
        f"{seconds:.1f}s; saved to {args.output}"
    )
    return 0


def _fit_with_notes(model, frame):
    """Fit; a rule found in the rows is a note on stderr, not a Python warning."""
    import warnings

    from sklearn_tabbias.constraints import DetectedConstraintWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DetectedConstraintWarning)
        model.fit(frame)
    for warning in caught:
        if issubclass(warning.category, DetectedConstraintWarning):
            print(
                f"note: {warning.message} (On the command line: --param "
                "constraints=None or --constraints FILE.)",
                file=sys.stderr,
            )
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def load_model(path):
    """Load a saved synthesizer, or raise CommandError."""
    import joblib

    path = Path(path)
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        model = joblib.load(path)
    except Exception as e:  # joblib raises many kinds for a file that is not a model
        raise CommandError(f"{path}: not a saved model ({type(e).__name__}).") from e
    if not hasattr(model, "sample"):
        raise CommandError(
            f"{path}: holds a {type(model).__name__}, not a synthesizer."
        )
    return model


def sample(args):
    """Draw rows from a saved synthesizer into a CSV file."""
    import pandas as pd

    _check_folder(args.output)
    model = load_model(args.model)
    conditions = _pairs(args.condition, "--condition") or None
    rows = model.sample(
        args.n_samples, random_state=args.random_state, conditions=conditions
    )
    options = csv_options(args)
    pd.DataFrame(rows).to_csv(
        args.output,
        index=False,
        **{k: options[k] for k in ("sep", "decimal", "encoding")},
    )
    print(f"wrote {len(rows)} rows to {args.output}")
    return 0


def evaluate(args):
    """JS/KL (with uncertainty), utility and privacy of a synthetic table."""
    from sklearn_tabbias.metrics import estimate_divergence, privacy, utility

    options = csv_options(args)
    real = read_table(args.real, options)
    synthetic = _same_columns(read_table(args.synthetic, options), args.synthetic, real)
    train = None
    if args.train is not None:
        train = _same_columns(read_table(args.train, options), args.train, real)
    if args.target is not None:
        _check_columns(real, [args.target], args.real)
    options = {
        k: getattr(args, k)
        for k in ("n_train", "n_eval", "n_repeats", "encoding", "random_state")
        if hasattr(args, k)
    }
    print(f"real: {len(real)} rows; synthetic: {len(synthetic)} rows")
    print(estimate_divergence(real, synthetic, **options))
    if args.target is not None:
        print(utility(synthetic, real, args.target, real_train=train))
    if train is not None:  # the real rows are the holdout the model never saw
        print(f"privacy: {privacy(synthetic, train, real)}")
    return 0


def _same_columns(frame, path, real):
    if list(frame.columns) != list(real.columns):
        raise CommandError(
            f"{path} and the real table have different columns: "
            f"{list(frame.columns)} vs {list(real.columns)}."
        )
    return frame


def benchmark(args):
    """Run the paper's benchmark cells and print (or write) the tables."""
    command = "python -m sklearn_tabbias " + shlex.join(sys.argv[1:])
    return run_from_args(args, command)


#: An option left out is not passed on to the estimator.
SKIP = argparse.SUPPRESS


def build_parser():
    """The argument parser of the ``tabbias`` command."""
    parser = argparse.ArgumentParser(
        prog="tabbias",
        description="Synthetic tabular data from small tables with an artificial "
        "inductive bias.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for add in (_demo_parser, _fit_parser, _sample_parser, _evaluate_parser):
        add(commands)
    p = commands.add_parser(
        "benchmark", help="the paper's experiments (see docs/benchmarks.md)"
    )
    add_arguments(p)
    p.set_defaults(func=benchmark)
    return parser


def _demo_parser(commands):
    p = commands.add_parser(
        "demo", help="fit on the embedded breast-cancer table and sample"
    )
    p.add_argument(
        "--bias", nargs="+", default=["none", "avg"], help="bias methods to compare"
    )
    p.add_argument("-n", "--n-samples", type=int, default=1000)
    p.add_argument("--random-state", type=int, default=0)
    p.set_defaults(func=demo)


def _fit_parser(commands):
    p = commands.add_parser("fit", help="fit a synthesizer on a CSV table")
    p.add_argument("data", help="CSV file of real rows (header row first)")
    p.add_argument("-o", "--output", required=True, help="file for the model (joblib)")
    p.add_argument("--model", choices=sorted(MODELS), default="vae")
    p.add_argument("--bias", default=SKIP, help="bias method, e.g. avg, pretrain")
    p.add_argument("--n-seeds", type=int, default=SKIP)
    p.add_argument("--random-state", type=int, default=SKIP)
    p.add_argument("--device", default=SKIP, help="torch device, e.g. cuda")
    p.add_argument(
        "--target", default=None, help="target column (kept a class if it is one)"
    )
    p.add_argument(
        "--categorical",
        nargs="+",
        default=SKIP,
        metavar="COL",
        help="columns to treat as categories",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other estimator parameter, e.g. --param max_epochs=200",
    )
    p.add_argument(
        "--constraints",
        default=None,
        metavar="FILE",
        help='JSON list of rules every row keeps, e.g. [{"type": '
        '"FixedCombinations", "columns": ["education", "education-num"]}]',
    )
    p.add_argument("-v", "--verbose", action="count", default=SKIP)
    _add_csv_arguments(p, dates=True)
    p.set_defaults(func=fit)


def _sample_parser(commands):
    p = commands.add_parser("sample", help="draw rows from a saved synthesizer")
    p.add_argument("model", help="model file written by 'tabbias fit'")
    p.add_argument("-n", "--n-samples", type=int, required=True)
    p.add_argument("-o", "--output", required=True, help="CSV file for the rows")
    p.add_argument("--random-state", type=int, default=None)
    p.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="draw only rows where COLUMN takes VALUE: a value, a list of values "
        "to cycle, or a (low, high) range, e.g. 'age=(30, 40)'; repeatable",
    )
    _add_csv_arguments(p)
    p.set_defaults(func=sample)


def _evaluate_parser(commands):
    p = commands.add_parser(
        "evaluate", help="divergences and utility of a synthetic table"
    )
    p.add_argument("real", help="CSV of real rows the model did not see")
    p.add_argument("synthetic", help="CSV of synthetic rows, same columns")
    p.add_argument("--target", default=None, help="target column for utility")
    p.add_argument(
        "--train",
        default=None,
        help="CSV of the real training rows: utility reference and privacy check",
    )
    p.add_argument("--n-train", type=int, default=SKIP, help="M rows per table")
    p.add_argument("--n-eval", type=int, default=SKIP, help="L rows per table")
    p.add_argument("--n-repeats", type=int, default=SKIP)
    p.add_argument("--encoding", choices=["onehot", "ordinal"], default=SKIP)
    p.add_argument("--random-state", type=int, default=SKIP)
    _add_csv_arguments(p)
    p.set_defaults(func=evaluate)


def main(argv=None):
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CommandError, ValueError, TypeError) as e:
        print(f"tabbias {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
