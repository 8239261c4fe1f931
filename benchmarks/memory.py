"""Peak memory of a fit on 100,000 raw Adult rows and of sample(1_000_000).

Each case runs in a fresh process and reports its peak resident memory (Linux
``ru_maxrss``) after the fit and after sampling, next to the size of the input
and of the output, so the growth with n can be read off. Few epochs: memory,
not quality, is measured. Run: ``OMP_NUM_THREADS=1 python benchmarks/memory.py``.
"""

import argparse
import subprocess
import sys
from string import Template

CASE = Template("""
import resource, time
from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.datasets import fetch_adult

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

frame = fetch_adult()[0].sample($rows, replace=True, random_state=0)
frame = frame.reset_index(drop=True)
synth = BiasedVAESynthesizer(
    bias="none", n_seeds=$seeds, max_epochs=$epochs, random_state=0
)
started = time.perf_counter()
synth.fit(frame)
fit_s, after_fit = time.perf_counter() - started, peak()
started = time.perf_counter()
out = synth.sample($samples, random_state=0)
sample_s = time.perf_counter() - started
mib = lambda table: table.memory_usage(deep=True).sum() / 2**20
print(
    f"fit {$rows:>7} rows: {fit_s:6.1f}s, input {mib(frame):5.0f} MiB, peak "
    f"{after_fit:5.0f} MiB | sample({$samples:>9}): {sample_s:5.1f}s, output "
    f"{mib(out):5.0f} MiB, peak {peak():5.0f} MiB"
)
""")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", nargs="*", type=int, default=[1_000, 100_000])
    parser.add_argument("--samples", nargs="*", type=int, default=[10_000, 1_000_000])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    print(f"BiasedVAESynthesizer(n_seeds={args.seeds}, max_epochs={args.epochs})")
    for rows in args.rows:
        for samples in args.samples:
            code = CASE.substitute(
                rows=rows, samples=samples, epochs=args.epochs, seeds=args.seeds
            )
            subprocess.run([sys.executable, "-c", code], check=True)


if __name__ == "__main__":
    main()
