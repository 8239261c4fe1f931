"""Fit times of BiasedVAESynthesizer on 300 raw Adult rows (2 cores, CPU).

Prints, for every bias value, the median fit time over ``--repeats`` runs with
``n_seeds=10``, and the ratio time(n_seeds=10) / time(n_seeds=1) for "avg".
Run with ``OMP_NUM_THREADS=1 python benchmarks/speed.py``; set
``SKLEARN_TABBIAS_DATA`` to the folder holding ``adult/raw_uci/adult.csv``.
"""

import argparse
import os
import statistics
import time
from pathlib import Path

import pandas as pd

from sklearn_tabbias import BiasedVAESynthesizer

DATA = Path(os.environ.get("SKLEARN_TABBIAS_DATA", "../shared/datasets"))


def load_adult(n_rows, seed=0):
    frame = pd.read_csv(
        DATA / "adult" / "raw_uci" / "adult.csv", skipinitialspace=True, na_values="?"
    )
    return frame.sample(n_rows, random_state=seed).reset_index(drop=True)


def fit_seconds(frame, repeats, **params):
    times, epochs = [], []
    for repeat in range(repeats):
        synth = BiasedVAESynthesizer(random_state=repeat, **params)
        started = time.perf_counter()
        synth.fit(frame)
        times.append(time.perf_counter() - started)
        epochs.append(
            {r["phase"]: int(max(r.get("epochs", [0]))) for r in synth.history_}
        )
    return statistics.median(times), times, epochs


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument(
        "--bias", nargs="+", default=["none", "pretrain", "avg", "maml", "drs"]
    )
    args = parser.parse_args()
    frame = load_adult(args.rows)
    threads = os.environ.get("OMP_NUM_THREADS")
    print(f"Adult, {args.rows} raw rows, OMP_NUM_THREADS={threads}")
    print(f"{'bias':<10}{'n_seeds':>8}{'median s':>10}  runs (s) / epochs per phase")
    medians = {}
    for bias in args.bias:
        median, times, epochs = fit_seconds(frame, args.repeats, bias=bias, n_seeds=10)
        medians[bias] = median
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"{bias:<10}{10:>8}{median:>10.1f}  [{runs}] {epochs[0]}")
    if "avg" in medians:
        single, times, _ = fit_seconds(frame, args.repeats, bias="avg", n_seeds=1)
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"{'avg':<10}{1:>8}{single:>10.1f}  [{runs}]")
        print(
            f"time(n_seeds=10) / time(n_seeds=1) for avg: {medians['avg'] / single:.2f}"
        )


if __name__ == "__main__":
    main()
