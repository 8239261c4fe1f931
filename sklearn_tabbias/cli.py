"""Command line: ``tabbias demo|benchmark`` (also ``python -m sklearn_tabbias``)."""

import argparse
import shlex
import sys
import time
import warnings

import pandas as pd
from sklearn.model_selection import train_test_split

from sklearn_tabbias.benchmark import add_arguments, run_from_args
from sklearn_tabbias.datasets import load_breast_cancer
from sklearn_tabbias.metrics import SmallSampleWarning, estimate_divergence, utility
from sklearn_tabbias.synthesizers import BiasedVAESynthesizer


def demo(args):
    """Fit bias methods on breast-cancer rows and evaluate them on held-out rows."""
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SmallSampleWarning)
            estimate = estimate_divergence(
                test, sample, n_repeats=5, random_state=args.random_state
            )
        print(estimate)
        print(utility(sample, test, target, real_train=train))
    print(
        f"\nWith {len(test)} held-out rows the divergences are rough (paper App. A "
        "asks for thousands); compare the bias methods, not the absolute values."
    )
    return 0


def build_parser():
    """The argument parser of the ``tabbias`` command."""
    parser = argparse.ArgumentParser(
        prog="tabbias",
        description="Synthetic tabular data from small tables with an artificial "
        "inductive bias.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parser_demo = commands.add_parser(
        "demo", help="fit on the embedded breast-cancer table and sample"
    )
    parser_demo.add_argument(
        "--bias", nargs="+", default=["none", "avg"], help="bias methods to compare"
    )
    parser_demo.add_argument("-n", "--n-samples", type=int, default=1000)
    parser_demo.add_argument("--random-state", type=int, default=0)
    parser_demo.set_defaults(func=demo)
    parser_bench = commands.add_parser(
        "benchmark", help="the paper's experiments (see docs/benchmarks.md)"
    )
    add_arguments(parser_bench)
    parser_bench.set_defaults(func=benchmark)
    return parser


def benchmark(args):
    """Run the paper's benchmark cells and print (or write) the tables."""
    command = "python -m sklearn_tabbias " + shlex.join(sys.argv[1:])
    return run_from_args(args, command)


def main(argv=None):
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
