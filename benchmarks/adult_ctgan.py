"""BiasedCTGAN "none" vs "pretrain" vs "drs" on 300 raw Adult rows (paper Table 1).

Three fits per bias (random_state 0, 1, 2) with default settings; each samples
8,500 rows, compared with 8,500 unseen rows: JS/KL at M=7500, L=1000 (paper MLP,
ordinal encoding as the paper's authors) and accuracy of a gradient-boosting model
trained on the sample. Run: ``OMP_NUM_THREADS=1 python benchmarks/adult_ctgan.py``.
"""

import argparse
import time

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from sklearn_tabbias import BiasedCTGAN
from sklearn_tabbias.datasets import fetch_adult
from sklearn_tabbias.metrics import estimate_divergence, utility

PAPER = {  # Table 1 (a), CTGAN: JS, KL, synthetic accuracy (real 0.775)
    "none": (0.742, 2.454, 0.682),
    "pretrain": (0.565, 1.665, 0.689),
}


def load():
    table = fetch_adult()[0]
    train = table.sample(300, random_state=0)
    rest = table.drop(index=train.index).sample(8500, random_state=1)
    return train.reset_index(drop=True), rest.reset_index(drop=True)


def one_cell(bias, seed):
    train, rest = load()
    started = time.perf_counter()
    synth = BiasedCTGAN(bias=bias, random_state=seed).fit(train)
    seconds = time.perf_counter() - started
    sample = synth.sample(8500, random_state=seed)
    est = estimate_divergence(
        rest,
        sample,
        n_train=7500,
        n_eval=1000,
        n_repeats=1,
        encoding="ordinal",
        random_state=seed,
    )
    acc = utility(sample, rest, "income", real_train=train)
    return bias, seconds, est.mean("js"), est.mean("kl"), acc.synthetic, acc.real


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bias", nargs="+", default=["none", "pretrain", "drs"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    cells = [(b, s) for b in args.bias for s in range(args.repeats)]
    rows = Parallel(n_jobs=args.n_jobs)(delayed(one_cell)(b, s) for b, s in cells)
    frame = pd.DataFrame(rows, columns=["bias", "fit_s", "js", "kl", "acc", "real_acc"])
    print("BiasedCTGAN on 300 raw Adult rows; M=7500, L=1000, ordinal, paper MLP")
    print(f"{'bias':<10}{'fit s':>16}{'JS':>16}{'KL':>16}{'acc':>16}  paper JS/KL/acc")
    for bias, group in frame.groupby("bias", sort=False):
        cells = [
            f"{group[c].mean():.3f} ± {group[c].std():.3f}"
            for c in ("fit_s", "js", "kl", "acc")
        ]
        print(
            f"{bias:<10}" + "".join(f"{c:>16}" for c in cells) + f"  {PAPER.get(bias)}"
        )
    print(f"real-trained accuracy: {np.mean(frame['real_acc']):.3f}")


if __name__ == "__main__":
    main()
