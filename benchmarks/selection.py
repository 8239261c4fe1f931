"""Does cross-validated model selection on 300 rows agree with a large test?

For each raw table (route b of the benchmark: the same 300 training rows and
9,500 held-out real rows) and each candidate synthesizer (``CANDIDATES``: two
bias values x settings that move quality, from the old stopping rule to the
small-data recipe):

* reference: the candidate fitted on all 300 rows samples 10,000 rows, scored
  against the 9,500 held-out rows with the paper's estimator (M=7500, L=1000,
  3 repeats, ordinal features): mean JS and its standard error;
* selection: ``GridSearchCV`` over the candidates with ``cv=KFold(5,
  shuffle=True, random_state=k)`` for ``k`` in ``--shuffles``, scored on every
  fold by each scorer of ``SCORERS`` (one fit, several scores).

Every result is one JSON line of ``--out`` (``kind``: reference or search), and
finished pieces are skipped when the script runs again, so it resumes. The
summary per table and scorer: Spearman correlation of the mean fold score with
the reference (over the candidates, for each shuffle), whether the chosen
candidate is within one reference standard error of the reference best, and in
how many shuffles the choice is the modal one.

    OMP_NUM_THREADS=1 python benchmarks/selection.py --datasets adult king letter \\
        --shuffles 0 1 2 3 4 --n-jobs 2 --out selection.jsonl
"""

import argparse
import json
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.benchmark.settings import SETTINGS
from sklearn_tabbias.benchmark.tables import load_table
from sklearn_tabbias.metrics import (
    DetectionScorer,
    DivergenceScorer,
    SmallSampleWarning,
    estimate_divergence,
)

#: The candidates: parameters of BiasedVAESynthesizer (random_state=0).
CANDIDATES = [
    dict(bias=bias, **budget)
    for bias in ("none", "avg")
    for budget in (
        dict(min_steps=0, learning_rate=1e-3),  # the old stopping rule
        dict(min_steps=0, learning_rate=1e-3, latent_dim=2),
        dict(min_steps=300),
        dict(min_steps=1000, latent_dim=2),
        dict(min_steps=1000),  # the default recipe
    )
]
#: Scorers compared (greater is better).
SCORERS = {
    "js_crossfit": DivergenceScorer(),
    "js_crossfit_logistic": DivergenceScorer(discriminator=LogisticRegression()),
    "js_paper": DivergenceScorer(method="paper"),
    "detection": DetectionScorer(),
}
#: Reference sizes: synthetic rows, M, L, repeats (``--quick``: a smoke test).
REFERENCE = dict(full=(10_000, 7500, 1000, 3), quick=(1200, 500, 200, 2))
#: ``--quick`` trains every candidate this little.
QUICK = dict(n_seeds=2, max_epochs=3, hidden_dim=16)


def done(path):
    """Keys of the results already in the output file."""
    if not Path(path).exists():
        return set()
    lines = Path(path).read_text().splitlines()
    return {json.loads(line)["key"] for line in lines if line.strip()}


def write(path, record):
    with open(path, "a") as out:
        out.write(json.dumps(record) + "\n")


def reference(table, index, sizes, base):
    """The candidate on all rows, scored against the held-out real rows."""
    n_samples, n_train, n_eval, n_repeats = sizes
    started = time.perf_counter()
    model = BiasedVAESynthesizer(**base, **CANDIDATES[index]).fit(table.small)
    seconds = time.perf_counter() - started
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        estimate = estimate_divergence(
            table.real,
            model.sample(n_samples, random_state=0),
            n_train=n_train,
            n_eval=n_eval,
            n_repeats=n_repeats,
            encoding="ordinal",
            random_state=0,
        )
    return dict(
        js=estimate.mean("js"),
        js_se=estimate.std("js") / np.sqrt(n_repeats),
        fit_seconds=seconds,
    )


def search(table, shuffle, n_jobs, base):
    """GridSearchCV over the candidates with every scorer on one CV shuffle."""
    grid = [{k: [v] for k, v in params.items()} for params in CANDIDATES]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        cv = GridSearchCV(
            BiasedVAESynthesizer(**base),
            grid,
            scoring=SCORERS,
            refit=False,
            cv=KFold(5, shuffle=True, random_state=shuffle),
            n_jobs=n_jobs,
        ).fit(table.small)
    results = cv.cv_results_
    out = dict(seconds=time.perf_counter() - started)
    out["mean_fit_time"] = results["mean_fit_time"].tolist()
    out["mean_score_time"] = results["mean_score_time"].tolist()
    for name in SCORERS:
        out[name] = results[f"mean_test_{name}"].tolist()
        out[name + "_std"] = results[f"std_test_{name}"].tolist()
    return out


def summarise(path):
    """Agreement, choice and stability per table and scorer."""
    records = [json.loads(line) for line in Path(path).read_text().splitlines()]
    for dataset in sorted({r["dataset"] for r in records}):
        refs = {
            r["candidate"]: r
            for r in records
            if r["dataset"] == dataset and r["kind"] == "reference"
        }
        if len(refs) < len(CANDIDATES):
            print(f"{dataset}: {len(refs)} of {len(CANDIDATES)} references")
            continue
        js = np.array([refs[i]["js"] for i in range(len(CANDIDATES))])
        se = np.array([refs[i]["js_se"] for i in range(len(CANDIDATES))])
        best = int(np.argmin(js))
        spread = (js.max() - js.min()) / max(se.mean(), 1e-12)
        print(f"{dataset}: reference JS {np.round(js, 3)}; spread {spread:.1f} s.e.")
        searches = [
            r for r in records if r["dataset"] == dataset and r["kind"] == "search"
        ]
        for name in SCORERS:
            rhos, choices = [], []
            for r in searches:
                scores = np.asarray(r[name])
                rhos.append(stats.spearmanr(-js, scores).statistic)
                choices.append(int(np.argmax(scores)))
            if not choices:
                continue
            modal, count = Counter(choices).most_common(1)[0]
            near = [js[c] - js[best] <= se[best] for c in choices]
            print(
                f"  {name:>22}: Spearman {np.mean(rhos):.2f} "
                f"[{min(rhos):.2f}, {max(rhos):.2f}]; choice within 1 s.e. of the "
                f"best in {sum(near)}/{len(choices)}; same choice {count}/"
                f"{len(choices)} (candidate {modal})"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["adult", "king", "letter"])
    parser.add_argument("--shuffles", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--out", default="selection.jsonl")
    parser.add_argument("--summary", action="store_true", help="only summarise")
    parser.add_argument("--quick", action="store_true", help="tiny smoke-test sizes")
    args = parser.parse_args()
    sizes = REFERENCE["quick" if args.quick else "full"]
    base = dict(random_state=0, **(QUICK if args.quick else {}))
    if not args.summary:
        finished = done(args.out)
        for dataset in args.datasets:
            table = load_table(dataset, "b", SETTINGS["full"])
            for index in range(len(CANDIDATES)):
                key = f"{dataset}-reference-{index}"
                if key not in finished:
                    result = reference(table, index, sizes, base)
                    write(
                        args.out,
                        dict(
                            key=key,
                            kind="reference",
                            dataset=dataset,
                            candidate=index,
                            **result,
                        ),
                    )
            for shuffle in args.shuffles:
                key = f"{dataset}-search-{shuffle}"
                if key not in finished:
                    result = search(table, shuffle, args.n_jobs, base)
                    write(
                        args.out,
                        dict(
                            key=key,
                            kind="search",
                            dataset=dataset,
                            shuffle=shuffle,
                            **result,
                        ),
                    )
    summarise(args.out)


if __name__ == "__main__":
    main()
