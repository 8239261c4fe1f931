"""Small-data fidelity: utility and detection of synthetic rows at N = 50…1,000.

For each raw table (Adult, King, Letter), size N and seed: draw N training rows
at random (the seed), fit a synthesizer, sample 2,000 rows, then score them on
2,000 fixed held-out real rows:

* utility: gradient boosting trained on the synthetic rows, accuracy (Adult,
  Letter) or R² (King) on the held-out rows, beside the same model trained on
  the N real rows;
* detection: cross-validated ROC AUC of a classifier telling held-out real rows
  from synthetic rows (0.5 = indistinguishable).

``--set name=value ...`` changes synthesizer parameters (one ``--set`` with
several pairs; ``bias="AverageBias(bootstrap=True)"`` builds a bias object),
so one run is one arm of an ablation; ``--fixed a,b`` adds the constraint
``FixedCombinations(["a", "b"])`` (repeatable). Results go to a
JSON-lines file, one line per fit.

    OMP_NUM_THREADS=1 python benchmarks/small_data.py --datasets letter king \\
        --sizes 100 300 --seeds 0 1 2 --out small.jsonl
"""

import argparse
import ast
import json
import time

import numpy as np
from joblib import Parallel, delayed
from scipy import stats

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer, datasets
from sklearn_tabbias import bias as bias_methods
from sklearn_tabbias.benchmark.settings import PAPER_MODEL
from sklearn_tabbias.bias import BiasMethod
from sklearn_tabbias.constraints import FixedCombinations
from sklearn_tabbias.metrics import estimate_detection, estimate_divergence, utility

FETCH = {
    "adult": datasets.fetch_adult,
    "king": datasets.fetch_king,
    "letter": datasets.fetch_letter,
}
N_TEST, N_SYNTH = 2000, 2000
#: Repeats of the JS estimate (``--js``).
JS_REPEATS = 1


def split(dataset, n_rows, seed, rest=False):
    """N random training rows and the fixed held-out rows of a raw table
    (and, with ``rest``, the pool's other rows: real rows for the JS)."""
    frame, target = FETCH[dataset]()
    frame = frame.sample(frac=1, random_state=0).reset_index(drop=True)
    test, pool = frame.iloc[-N_TEST:], frame.iloc[:-N_TEST]
    train = pool.sample(n_rows, random_state=seed)
    parts = (train.reset_index(drop=True), test.reset_index(drop=True), target)
    if rest:
        parts += (pool.drop(index=train.index).reset_index(drop=True),)
    return parts


def score_js(synthesizer, real, seed):
    """The paper's JS and KL (ordinal, M=7500, L=1000, ``JS_REPEATS`` repeat(s)) of
    10,000 synthetic rows against real rows the fit did not see."""
    estimate = estimate_divergence(
        real,
        synthesizer.sample(10_000, random_state=seed + 1),
        n_train=7500,
        n_eval=1000,
        n_repeats=JS_REPEATS,
        encoding="ordinal",
        random_state=seed,
    )
    return dict(js=estimate.mean("js"), kl=estimate.mean("kl"))


def make_model(name, params, seed):
    """A synthesizer (ours or a peer) with its parameters; ``constraints=None``
    unless ``--set constraints=auto`` or ``--fixed`` (the arms recorded before
    ``"auto"`` became the default were fitted so)."""
    params = {**PAPER_MODEL, **params}
    if name == "vae":
        return BiasedVAESynthesizer(random_state=seed, **params)
    if name == "ctgan":
        return BiasedCTGAN(random_state=seed, **params)
    raise ValueError(f"unknown model {name!r}")


def run_one(dataset, n_rows, seed, model, params, js=False):
    """Fit, sample and score one (table, N, seed) (with ``js``, the JS too)."""
    train, test, target, *rest = split(dataset, n_rows, seed, rest=js)
    task = "regression" if dataset == "king" else "classification"
    started = time.perf_counter()
    synthesizer = make_model(model, params, seed).fit(train)
    seconds = time.perf_counter() - started
    record = dict(dataset=dataset, n=n_rows, seed=seed, model=model, params=params)
    record.update(score_fit(synthesizer, train, test, target, task, seed))
    record["seconds"] = seconds
    if js:
        record.update(score_js(synthesizer, rest[0], seed))
    history = getattr(synthesizer, "history_", None)
    if history and history[-1].best_epoch is not None:  # the VAE's records
        record["best_epochs"] = [int(e) for e in history[-1].best_epoch]
    return record


def score_fit(synthesizer, train, test, target, task, seed):
    """Utility (accuracy or R², beside the N real rows') and detection AUC of
    ``N_SYNTH`` rows of a fitted synthesizer, on the held-out ``test`` rows."""
    sample = synthesizer.sample(N_SYNTH, random_state=seed)
    scores = utility(sample, test, target, real_train=train, task=task)
    synthetic, real = scores.synthetic, scores.real
    if task == "regression":  # as R²
        variance = test[target].var(ddof=0)
        synthetic, real = 1 - synthetic / variance, 1 - real / variance
    detection = estimate_detection(test, sample, random_state=seed)
    return dict(utility=synthetic, utility_real=real, detection=detection.mean)


def parse_set(items):
    """``name=value`` pairs to a dict: values are Python literals, a bias
    method's constructor with literal arguments (``AverageBias(bootstrap=True)``)
    or else strings."""
    params = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            params[name] = parse_value(value)
        except (ValueError, SyntaxError):
            params[name] = value
    return params


def parse_value(text):
    """A literal, or a bias method built from literal keyword arguments."""
    node = ast.parse(text, mode="eval").body
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        method = getattr(bias_methods, node.func.id, None)
        if not (isinstance(method, type) and issubclass(method, BiasMethod)):
            raise ValueError(f"not a bias method: {node.func.id}")
        if node.args:
            raise ValueError("bias methods take keyword arguments here")
        return method(**{k.arg: ast.literal_eval(k.value) for k in node.keywords})
    return ast.literal_eval(node)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["adult", "king", "letter"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 300])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--model", default="vae")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--label", default="", help="name of the arm")
    parser.add_argument(
        "--fixed",
        action="append",
        default=[],
        metavar="COLUMN,COLUMN",
        help="keep the observed combinations of these columns (repeatable)",
    )
    parser.add_argument(
        "--js",
        action="store_true",
        help="also the paper's JS and KL against the pool's unseen real rows",
    )
    parser.add_argument(
        "--compare",
        metavar="BASE",
        help="fit nothing: print every arm of --out against the arm labelled BASE",
    )
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", default="small_data.jsonl")
    args = parser.parse_args()
    if args.compare is not None:
        compare(args.out, args.compare)
        return
    params = parse_set(args.set)
    if args.fixed:
        params["constraints"] = [FixedCombinations(f.split(",")) for f in args.fixed]
    jobs = [(d, n, s) for d in args.datasets for n in args.sizes for s in args.seeds]
    records = Parallel(n_jobs=args.n_jobs)(
        delayed(run_one)(d, n, s, args.model, params, args.js) for d, n, s in jobs
    )
    with open(args.out, "a") as out:
        for record in records:
            out.write(json.dumps(dict(record, label=args.label), default=repr) + "\n")
    summarise(records, args.label)


def paired_interval(gains):
    """Mean of paired differences and the half-width of its 95 % t-interval."""
    gains = np.asarray(gains, dtype=float)
    half = stats.t.ppf(0.975, len(gains) - 1) * gains.std(ddof=1) / np.sqrt(len(gains))
    return gains.mean(), half


#: The scores ``compare`` reports (utility: higher is better; JS, AUC: lower).
SCORES = (
    ("js", "JS", False),
    ("utility", "utility", True),
    ("detection", "AUC", False),
)


def compare(path, base):
    """A Markdown table of every arm's gain over the arm ``base``, paired by
    draw (same table, N and seed), with 95 % t-intervals (``*``: excludes 0;
    a JS gain is also given relative to the base arm's JS)."""
    runs = {}
    for line in open(path):
        r = json.loads(line)
        runs.setdefault((r["dataset"], r["n"], r["label"]), {})[r["seed"]] = r
    print("| table | N | arm | draws | JS (Δ, relative) | utility Δ | AUC Δ | fit s |")
    print("|---|---|---|---|---|---|---|---|")
    for (dataset, n, label), arm in sorted(runs.items()):
        low = runs.get((dataset, n, base), {})
        seeds = sorted(set(arm) & set(low))
        if label == base or len(seeds) < 2:
            continue
        cells = [_gain_cell(arm, low, seeds, key) for key, _, _ in SCORES]
        seconds = np.mean([arm[s]["seconds"] for s in seeds])
        print(
            f"| {dataset} | {n} | {label} | {len(seeds)} | "
            + " | ".join(cells)
            + f" | {seconds:.0f} |"
        )


def _gain_cell(arm, low, seeds, key):
    """``mean (Δ [lo, hi])`` of one score, paired by seed."""
    if not all(key in arm[s] and key in low[s] for s in seeds):
        return "–"
    gain, half = paired_interval([arm[s][key] - low[s][key] for s in seeds])
    star = " *" if abs(gain) > half else ""
    mean = np.mean([arm[s][key] for s in seeds])
    text = f"{mean:.3f} ({gain:+.3f} [{gain - half:+.3f}, {gain + half:+.3f}]{star}"
    if key == "js":
        text += f", {gain / np.mean([low[s][key] for s in seeds]):+.0%}"
    return text + ")"


def summarise(records, label=""):
    """Mean and range per (table, N) on stdout."""
    groups = {}
    for r in records:
        groups.setdefault((r["dataset"], r["n"]), []).append(r)
    for (dataset, n), rows in sorted(groups.items()):
        util = np.array([r["utility"] for r in rows])
        real = np.array([r["utility_real"] for r in rows])
        det = np.array([r["detection"] for r in rows])
        sec = np.array([r["seconds"] for r in rows])
        js = np.array([r.get("js", np.nan) for r in rows])
        print(
            f"{label:>12} {dataset:>7} N={n:<5} utility {util.mean():.3f} "
            f"[{util.min():.3f}, {util.max():.3f}] (real {real.mean():.3f}) "
            f"detection {det.mean():.3f} JS {js.mean():.3f} fit {sec.mean():.1f}s"
        )


if __name__ == "__main__":
    main()
