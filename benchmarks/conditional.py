"""Conditional sampling ([augment]): time, exactness and detection on raw Adult.

For each seed: fit ``BiasedVAESynthesizer(bias="none", n_seeds=1)`` on N random
raw Adult rows, then for each condition draw 1,000 rows with
``sample(1000, conditions=...)`` and report its time, the share of rows that
meet the condition, and the detection AUC of the conditional rows against the
held-out real rows that meet it; beside it, the detection AUC of as many
unconditional rows against as many held-out real rows (the same classifier
power), so the two AUCs compare, and that of the model's own unconditional rows
that meet the condition (from 200,000 free rows), which the conditional rows
match when the sampler is exact: a gap there is the sampler's, a gap to the
free rows is the model's.

    OMP_NUM_THREADS=1 python benchmarks/conditional.py --n-rows 2000 --seeds 0 1 2
"""

import argparse
import json
import time

import numpy as np

from sklearn_tabbias import BiasedVAESynthesizer, datasets
from sklearn_tabbias.conditions import plan
from sklearn_tabbias.constraints import FixedCombinations
from sklearn_tabbias.metrics import estimate_detection

CONDITIONS = {
    "sex=Female (33 %)": {"sex": "Female"},
    "education=5th-6th (1.0 %)": {"education": "5th-6th"},
    "race=Other (0.8 %)": {"race": "Other"},
    "Germany and >50K (0.14 %)": {"native-country": "Germany", "income": ">50K"},
    "age ≥ 70 (1.4 %)": {"age": (70, None)},
}


def run(n_rows, seed, fixed=(), n_samples=1000):
    """One fit and every condition's record (``fixed``: column pairs to keep)."""
    frame, _ = datasets.fetch_adult()
    frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    train, test = frame.iloc[:n_rows], frame.iloc[n_rows:]
    synth = BiasedVAESynthesizer(
        bias="none",
        n_seeds=1,
        random_state=seed,
        constraints=[FixedCombinations(f.split(",")) for f in fixed] or None,
    )
    started = time.perf_counter()
    synth.fit(train)
    records = [dict(condition="fit", seconds=time.perf_counter() - started)]
    pool = synth.sample(200_000, random_state=seed + 2)
    for label, conditions in CONDITIONS.items():
        ((condition, _),) = plan(conditions, 1, list(frame.columns))
        started = time.perf_counter()
        rows = synth.sample(n_samples, conditions=conditions, random_state=seed)
        seconds = time.perf_counter() - started
        real = test[condition.matches(test)]
        n = min(len(real), n_samples)  # equal sizes: one classifier power
        real = real.sample(n, random_state=seed)
        met = pool[condition.matches(pool)]
        records.append(
            dict(
                condition=label,
                seconds=seconds,
                met=float(condition.matches(rows).mean()),
                n_real=n,
                detection=_detection(real, rows.iloc[:n], seed),
                detection_free=_detection(
                    test.sample(n, random_state=seed), pool.iloc[:n], seed
                ),
                detection_filtered=_detection(real, met.iloc[:n], seed),
            )
        )
    return [dict(r, seed=seed, n_rows=n_rows, fixed=list(fixed)) for r in records]


def _detection(real, synthetic, seed):
    return estimate_detection(real, synthetic, random_state=seed).mean


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", default=None, help="JSON-lines file to append to")
    parser.add_argument(
        "--fixed",
        action="append",
        default=[],
        metavar="COLUMN,COLUMN",
        help="fit with FixedCombinations of these columns (repeatable)",
    )
    args = parser.parse_args()
    records = [r for seed in args.seeds for r in run(args.n_rows, seed, args.fixed)]
    for r in records:
        print({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()})
    if args.out:
        with open(args.out, "a") as out:
            out.writelines(json.dumps(r) + "\n" for r in records)
    summarise(records)


def summarise(records):
    """Mean over seeds per condition."""
    for label in CONDITIONS:
        rows = [r for r in records if r["condition"] == label]
        mean = {k: np.mean([r[k] for r in rows]) for k in ("seconds", "met")}
        gap = np.array([r["detection"] - r["detection_free"] for r in rows])
        print(
            f"{label:>28}: {mean['seconds']:.2f} s, met {mean['met']:.3f}, "
            f"detection {np.mean([r['detection'] for r in rows]):.3f} vs free "
            f"{np.mean([r['detection_free'] for r in rows]):.3f}, filtered "
            f"{np.mean([r['detection_filtered'] for r in rows]):.3f} "
            f"(gap {gap.mean():+.3f}, max {gap.max():+.3f})"
        )


if __name__ == "__main__":
    main()
