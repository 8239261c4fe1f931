"""Transfer: what a related table buys a small target table ([bias]).

Each task splits one raw table into two populations with the same columns:

* ``adult-sex``: target the women of Adult, source the men (income >50K for
  11 % of the women, 31 % of the men);
* ``king-north``: target the houses north of King County's median latitude,
  source those south of it (other prices, sizes and ages).

For each task, target size N and seed: N random target rows, 5,000 fixed
source rows, 2,000 fixed held-out target rows. The arms:

* ``low``: ``BiasedVAESynthesizer(bias="none")`` on the N target rows;
* ``source``: ``bias=PretrainBias(source=<the source rows>, n_samples=5000)``
  on the N target rows (pre-trained on the source, fine-tuned on the target);
* ``pooled``: ``bias="none"`` on the source and target rows together.

Scores as in ``small_data.py`` on the held-out target rows (utility of gradient
boosting trained on 2,000 synthetic rows; detection AUC). ``--summary`` prints
each arm's mean and its difference from ``low`` with a paired 95 % confidence
interval over the seeds (utility: greater is better; detection AUC: lower is
better). Results go to a JSON-lines file, one line per fit,
and a run skips the fits already there.

    OMP_NUM_THREADS=1 python benchmarks/transfer.py --tasks adult-sex \\
        --sizes 50 100 300 --seeds 0 1 2 3 4 --out transfer.jsonl
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from small_data import paired_interval, parse_set, score_fit

from sklearn_tabbias import BiasedVAESynthesizer, datasets
from sklearn_tabbias.benchmark.settings import PAPER_MODEL
from sklearn_tabbias.bias import PretrainBias

N_TEST, N_SOURCE = 2000, 5000
ARMS = ("low", "source", "pooled")


def _adult_sex():
    frame, target = datasets.fetch_adult()
    return frame, frame["sex"] == "Female", target, "classification"


def _king_north():
    frame, target = datasets.fetch_king()
    return frame, frame["lat"] >= frame["lat"].median(), target, "regression"


TASKS = {"adult-sex": _adult_sex, "king-north": _king_north}


def split(task, n_rows, seed):
    """N target rows (the seed), the fixed source and held-out target rows."""
    frame, in_target, target, kind = TASKS[task]()
    targets = frame[in_target].sample(frac=1, random_state=0)
    source = frame[~in_target].sample(N_SOURCE, random_state=0)
    test, pool = targets.iloc[-N_TEST:], targets.iloc[:-N_TEST]
    train = pool.sample(n_rows, random_state=seed)
    return dict(
        train=train.reset_index(drop=True),
        source=source.reset_index(drop=True),
        test=test.reset_index(drop=True),
        target=target,
        task=kind,
    )


def fit_arm(arm, data, seed, params):
    """The arm's synthesizer, fitted (``constraints=None`` unless ``--set``)."""
    params = {**PAPER_MODEL, **params}
    if arm == "source":
        bias = PretrainBias(source=data["source"], n_samples=N_SOURCE)
        return BiasedVAESynthesizer(bias=bias, random_state=seed, **params).fit(
            data["train"]
        )
    rows = data["train"]
    if arm == "pooled":
        rows = pd.concat([data["source"], rows], ignore_index=True)
    return BiasedVAESynthesizer(bias="none", random_state=seed, **params).fit(rows)


def run_one(task, n_rows, seed, arm, params):
    """Fit and score one (task, N, seed, arm)."""
    data = split(task, n_rows, seed)
    started = time.perf_counter()
    synthesizer = fit_arm(arm, data, seed, params)
    seconds = time.perf_counter() - started
    scores = score_fit(
        synthesizer, data["train"], data["test"], data["target"], data["task"], seed
    )
    return dict(
        key=key(task, n_rows, seed, arm, params),
        task=task,
        n=n_rows,
        seed=seed,
        arm=arm,
        params=params,
        seconds=seconds,
        **scores,
    )


def key(task, n_rows, seed, arm, params):
    return f"{task}|{n_rows}|{seed}|{arm}|{json.dumps(params, sort_keys=True)}"


def read(path):
    """The records of the output file."""
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line]


def summarise(records):
    """Each arm's mean utility and detection, and its paired gain over low."""
    by = {}
    for r in records:
        by.setdefault((r["task"], r["n"], json.dumps(r["params"])), {}).setdefault(
            r["arm"], {}
        )[r["seed"]] = r
    for (task, n, params), arms in sorted(by.items()):
        print(f"{task} N={n} {params}")
        low = arms.get("low", {})
        for arm in ARMS:
            if arm in arms:
                print("  " + _line(arm, arms[arm], low))


def _line(arm, runs, low):
    """One arm: means, fit time, and the gain over low paired by seed."""
    util = np.mean([r["utility"] for r in runs.values()])
    det = np.mean([r["detection"] for r in runs.values()])
    sec = np.mean([r["seconds"] for r in runs.values()])
    text = f"{arm:>12}: utility {util:.3f} detection {det:.3f} fit {sec:.0f} s"
    seeds = sorted(set(runs) & set(low))
    if arm != "low" and len(seeds) >= 2:
        for name in ("utility", "detection"):  # detection: lower is better
            mean, half = paired_interval([runs[s][name] - low[s][name] for s in seeds])
            text += f"; {name} - low {mean:+.3f} ± {half:.3f}"
        text += f" ({len(seeds)} seeds)"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=TASKS)
    parser.add_argument("--sizes", nargs="+", type=int, default=[50, 100, 300])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--arms", nargs="+", default=list(ARMS), choices=ARMS)
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--out", default="transfer.jsonl")
    parser.add_argument("--summary", action="store_true", help="only summarise")
    args = parser.parse_args()
    params = parse_set(args.set)
    if not args.summary:
        done = {r["key"] for r in read(args.out)}
        jobs = [
            (t, n, s, a)
            for t in args.tasks
            for n in args.sizes
            for s in args.seeds
            for a in args.arms
            if key(t, n, s, a, params) not in done
        ]
        results = Parallel(n_jobs=args.n_jobs, return_as="generator")(
            delayed(run_one)(*job, params) for job in jobs
        )
        for record in results:
            with open(args.out, "a") as out:
                out.write(json.dumps(record) + "\n")
    summarise(read(args.out))


if __name__ == "__main__":
    main()
