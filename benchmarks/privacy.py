"""Privacy of synthetic Adult rows: distance to closest record and exact copies.

Fits every bias value of BiasedVAESynthesizer and BiasedCTGAN on 300 raw Adult
rows (defaults), samples 2,000 rows and compares them with the 300 training rows,
using 2,000 unseen Adult rows as the holdout (see ``sklearn_tabbias.metrics.privacy``).
Run: ``OMP_NUM_THREADS=1 python benchmarks/privacy.py``.
"""

import argparse
import time

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer
from sklearn_tabbias.datasets import fetch_adult
from sklearn_tabbias.metrics import privacy

MODELS = {
    "VAE": (BiasedVAESynthesizer, ["none", "pretrain", "avg", "maml", "drs"]),
    "CTGAN": (BiasedCTGAN, ["none", "pretrain", "drs"]),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--n-samples", type=int, default=2000)
    args = parser.parse_args()
    table = fetch_adult()[0]
    train = table.sample(300, random_state=0)
    holdout = table.drop(index=train.index).sample(args.n_samples, random_state=1)
    print("300 raw Adult rows; holdout: 2,000 unseen rows")
    print(
        f"{'model':<6}{'bias':<10}{'DCR ratio':>10}{'close':>8}{'copies':>8}"
        f"{'holdout copies':>16}{'fit s':>8}"
    )
    for name in args.models:
        cls, biases = MODELS[name]
        for bias in biases:
            started = time.perf_counter()
            synth = cls(bias=bias, random_state=0).fit(train)
            seconds = time.perf_counter() - started
            sample = synth.sample(args.n_samples, random_state=0)
            r = privacy(sample, train, holdout)
            print(
                f"{name:<6}{bias:<10}{r.dcr_ratio:>10.3f}{r.close_rate:>8.1%}"
                f"{r.exact_copy_rate:>8.2%}{r.holdout_copy_rate:>16.2%}{seconds:>8.1f}"
            )


if __name__ == "__main__":
    main()
