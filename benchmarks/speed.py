"""Speed of BiasedVAESynthesizer on raw Adult rows (2 cores, CPU).

Prints, for every bias value, the median fit time over ``--repeats`` runs with
``n_seeds=10``; the ratio time(n_seeds=10) / time(n_seeds=1) for "avg"; the
fit time of ctgan's TVAE (SDV's TVAE model, default settings) on the same rows and
our "avg" / TVAE ratio; the median time of ``sample(10_000)``; the seconds per
epoch of the seed phase as the rows (``--scale-rows``) and the columns (Adult's
columns repeated ``--scale-columns`` times) grow; the arithmetic throughput of
the seed phase next to this CPU's batched-matmul peak (how close training runs to
the hardware limit); and the peak resident memory.
Run with ``OMP_NUM_THREADS=1 python benchmarks/speed.py``; set
``SKLEARN_TABBIAS_DATA`` to the folder holding ``adult/raw_uci/adult.csv``.
"""

import argparse
import resource
import statistics
import time

import pandas as pd
import torch

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.datasets import fetch_adult


def load_adult(n_rows, seed=0):
    frame = fetch_adult()[0]
    replace = n_rows > len(frame)
    return frame.sample(n_rows, replace=replace, random_state=seed).reset_index(
        drop=True
    )


def widen(frame, copies):
    """Adult's columns ``copies`` times, each copy on its own row order."""
    parts = [frame] + [
        frame.sample(frac=1, random_state=i).reset_index(drop=True).add_suffix(f"_{i}")
        for i in range(1, copies)
    ]
    return pd.concat(parts, axis=1)


def seed_phase(frame, epochs=10):
    """Seconds per epoch and matmul GFLOP/s of a 10-member seed phase."""
    synth = BiasedVAESynthesizer(
        bias="none", n_seeds=10, max_epochs=epochs, patience=epochs, random_state=0
    )
    synth.fit(frame)
    record = synth.history_[0]
    seconds = record.seconds / record.n_epochs
    return seconds, matmul_flops(synth, record) / seconds / 1e9


def matmul_flops(synth, record):
    """Multiply-adds of one epoch's matmuls: forward+backward on the training
    rows (3 passes' worth), forward on the validation rows."""
    module = synth.module_
    n_in, hidden = module.enc_w1.shape[1:]
    latent, n_out = module.latent_dim, module.dec_w2.shape[2]
    per_row = 2 * (n_in * hidden + hidden * 2 * latent + latent * hidden)
    per_row += 2 * hidden * n_out
    return record.n_runs * per_row * (3 * record.n_train + record.n_val)


def bmm_peak(members=10, rows=240, width=256, repeats=200):
    """GFLOP/s of torch.bmm on the seed phase's shapes (the hardware limit here)."""
    a = torch.randn(members, rows, width)
    b = torch.randn(members, width, width)
    for _ in range(5):
        torch.bmm(a, b)
    started = time.perf_counter()
    for _ in range(repeats):
        torch.bmm(a, b)
    seconds = (time.perf_counter() - started) / repeats
    return 2 * members * rows * width * width / seconds / 1e9


def tvae_seconds(frame, repeats):
    from ctgan import TVAE

    discrete = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    data = frame.copy()
    data[discrete] = data[discrete].astype(str)  # TVAE rejects NaN in any form
    data = data.fillna(data.median(numeric_only=True))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        TVAE(enable_gpu=False).fit(data, discrete)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fit_seconds(frame, repeats, **params):
    times, epochs = [], []
    for repeat in range(repeats):
        synth = BiasedVAESynthesizer(random_state=repeat, **params)
        started = time.perf_counter()
        synth.fit(frame)
        times.append(time.perf_counter() - started)
        epochs.append({r.phase: r.n_epochs for r in synth.history_})
    return statistics.median(times), times, epochs


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--threads", type=int, default=None, help="torch.set_num_threads for this run"
    )
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument(
        "--bias", nargs="*", default=["none", "pretrain", "avg", "maml", "drs"]
    )
    parser.add_argument(
        "--scale-rows", nargs="*", type=int, default=[300, 1000, 10000, 100000]
    )
    parser.add_argument("--scale-columns", nargs="*", type=int, default=[1, 2, 4])
    parser.add_argument(
        "--defaults-only",
        action="store_true",
        help="only the fit time of each bias at the library's defaults",
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    frame = load_adult(args.rows)
    print(f"Adult, {args.rows} raw rows, torch threads={torch.get_num_threads()}")
    print(f"{'bias':<10}{'n_seeds':>8}{'median s':>10}  runs (s) / epochs per phase")
    if args.defaults_only:
        for bias in args.bias:
            median, times, epochs = fit_seconds(frame, args.repeats, bias=bias)
            runs = ", ".join(f"{t:.1f}" for t in times)
            print(f"{bias:<10}{'default':>8}{median:>10.1f}  [{runs}] {epochs[0]}")
        return
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
        tvae = tvae_seconds(frame, args.repeats)
        print(
            f"ctgan TVAE (defaults) fit: {tvae:.1f}s; avg / TVAE: "
            f"{medians['avg'] / tvae:.2f}"
        )
    synth = BiasedVAESynthesizer(bias="none", random_state=0).fit(frame)
    times = []
    for seed in range(5):
        started = time.perf_counter()
        synth.sample(10_000, random_state=seed)
        times.append(time.perf_counter() - started)
    print(f"sample(10_000): median {statistics.median(times):.3f}s")
    print("\nseed phase, n_seeds=10: seconds per epoch, matmul GFLOP/s")
    cells = [(n, 1) for n in args.scale_rows] + [(300, c) for c in args.scale_columns]
    for n_rows, copies in cells:
        table = widen(load_adult(n_rows), copies)
        seconds, gflops = seed_phase(table, epochs=10 if n_rows <= 10_000 else 2)
        shape = f"{n_rows:>7} rows x {15 * copies:>3} columns"
        print(f"  {shape}: {seconds:8.3f} {gflops:6.1f}")
    print(f"torch.bmm on the seed phase's shapes: {bmm_peak():.1f} GFLOP/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
