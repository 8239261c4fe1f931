"""Augmentation ([augment]): do synthetic rows make downstream models better?

For each table, N and seed: draw N training rows, cut them into 5 folds
(``KFold(5, shuffle=True, random_state=seed)``) and, for each fold, fit an
``imblearn.pipeline.Pipeline`` (sampler, then a downstream model) on the other
four folds, so synthetic rows are added to training folds only. Each fitted
pipeline is scored on 2,000 fixed held-out real rows (the main number: the
fold's own 20–60 rows are too few) and on its fold. Samplers ("arms"):

* ``real``: no sampler;
* ``ours``: ``SyntheticOversampler`` over ``BiasedVAESynthesizer(bias="none",
  n_seeds=1)``;
* ``smote``: imbalanced-learn's SMOTENC (SMOTE without categorical columns);
* ``arf``: ``SyntheticOversampler`` over adversarial random forests (arfpy),
  the fastest strong peer, sampled freely and kept per class.

Every sampler adds ``per_row`` synthetic rows per real row of each class
(plain augmentation), except on the imbalanced table (Adult with ">50K" cut to
5 %), where the minority is filled up to the majority (``"auto"``). King is a
regression: ``real`` and ``ours`` only (SMOTE has no regression form; the
synthetic rows are drawn freely, each with its target). Downstream models:
gradient boosting (``HistGradientBoosting*``) and a linear model (logistic
regression or ridge, one-hot categories, scaled numbers). Results: one JSON
line per (table, N, seed, fold, arm, model).

    OMP_NUM_THREADS=1 python benchmarks/augment.py --tables adult adult5 \\
        --sizes 100 300 --seeds 0 --out augment.jsonl
"""

import argparse
import copy
import json
import time
import warnings

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, SMOTENC
from imblearn.pipeline import Pipeline
from scipy import stats
from sklearn.base import BaseEstimator, clone
from sklearn.compose import make_column_transformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    r2_score,
    roc_auc_score,
)
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from sklearn_tabbias import BiasedVAESynthesizer, datasets
from sklearn_tabbias.benchmark.peers import ARFPeer
from sklearn_tabbias.oversampling import SyntheticOversampler

N_TEST = 2000


def load(table):
    """Features, target, task of a table: raw tables, or the authors' splits."""
    if table in ("news", "intrusion"):
        splits = datasets.fetch_paper_splits(table)
        frame = pd.concat([splits.n, splits.l], ignore_index=True)
        for column in splits.categorical_features:
            if column != splits.target:
                frame[column] = frame[column].astype(int).astype(str)
        target = splits.target
        frame[target] = frame[target].astype(int)
    else:
        fetch = {"adult5": datasets.fetch_adult}.get(table) or getattr(
            datasets, f"fetch_{table}"
        )
        frame, target = fetch()
    if table == "adult5":  # ">50K" cut to 5 % of the rows
        rich = frame[frame[target] == ">50K"]
        poor = frame[frame[target] != ">50K"]
        keep = rich.sample(int(0.05 / 0.95 * len(poor)), random_state=0)
        frame = pd.concat([poor, keep])
    task = "regression" if table == "king" else "classification"
    return frame.sample(frac=1, random_state=0).reset_index(drop=True), target, task


def split(frame, target, n_rows, seed):
    """N training rows and the fixed held-out rows."""
    test, pool = frame.iloc[-N_TEST:], frame.iloc[:-N_TEST]
    train = pool.sample(n_rows, random_state=seed).reset_index(drop=True)
    X, y = train.drop(columns=target), train[target]
    return X, y, test.drop(columns=target), test[target]


class JointPeer(BaseEstimator):
    """A peer that models the target as a column: ``fit(X, y)``, ``sample``."""

    def __init__(self, peer):
        self.peer = peer

    def fit(self, X, y):
        self.peer_ = copy.deepcopy(self.peer).fit(X.assign(__y__=np.asarray(y)))
        return self

    def sample(self, n_samples, random_state=None, return_y=False):
        rows = self.peer_.sample(n_samples, random_state=random_state)
        X, y = rows.drop(columns="__y__"), rows["__y__"].to_numpy()
        return (X, y) if return_y else X


def arms(table, task, X, y, seed, per_row):
    """Each arm's sampler (None: real rows only) for a training fold."""
    strategy = dict(sampling_strategy="auto") if table == "adult5" else {}
    if not strategy:
        strategy = dict(per_row=per_row)
    vae = BiasedVAESynthesizer(bias="none", n_seeds=1)
    if task == "regression":  # no classes: rows drawn freely, each with its target
        return {"real": None, "ours": FreeRows(vae, per_row, seed)}
    out = {
        "real": None,
        "ours": SyntheticOversampler(vae, random_state=seed, **strategy),
    }
    out["arf"] = SyntheticOversampler(
        JointPeer(ARFPeer(random_state=seed)), random_state=seed, **strategy
    )
    sampler = smote(X, y, seed, table, per_row)
    if sampler is not None:  # None: a class has a single row in the fold
        out["smote"] = sampler
    return out


class FreeRows(BaseEstimator):
    """Plain augmentation of a regression table: ``per_row`` synthetic rows
    per real row, drawn freely with their target (``fit(X, y)``)."""

    def __init__(self, synthesizer, per_row, seed):
        self.synthesizer = synthesizer
        self.per_row = per_row
        self.seed = seed

    def fit_resample(self, X, y):
        synth = clone(self.synthesizer).set_params(random_state=self.seed)
        synth.fit(X, pd.Series(np.asarray(y), name="__y__"))
        n_rows = int(round(self.per_row * len(X)))
        rows, target = synth.sample(n_rows, random_state=self.seed, return_y=True)
        X_new = pd.concat([X, rows], ignore_index=True)
        return X_new, np.concatenate([np.asarray(y), np.asarray(target)])


def smote(X, y, seed, table, per_row):
    """SMOTENC (SMOTE without categories), or None when a class is too small."""
    counts = pd.Series(y).value_counts()
    if counts.min() < 2:
        return None
    strategy = "auto"
    if table != "adult5":
        strategy = {c: int(n + round(per_row * n)) for c, n in counts.items()}
    k = min(5, int(counts.min()) - 1)
    categorical = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    options = dict(sampling_strategy=strategy, k_neighbors=k, random_state=seed)
    return SMOTEFrame(categorical, options)


class SMOTEFrame(BaseEstimator):
    """SMOTENC (SMOTE without categories) on a frame with NaN: categories' NaN
    as a level, numbers' NaN as their median."""

    def __init__(self, categorical, options):
        self.categorical = categorical
        self.options = options

    def fit_resample(self, X, y):
        X = X.copy()
        for c in X.columns:
            X[c] = (
                X[c].fillna("nan")
                if c in self.categorical
                else X[c].fillna(X[c].median())
            )
        if not self.categorical:
            return SMOTE(**self.options).fit_resample(X, y)
        sampler = SMOTENC(categorical_features=self.categorical, **self.options)
        return sampler.fit_resample(X, y)


def models(task, X):
    """The downstream models, each with its preprocessing."""
    categorical = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    numeric = [c for c in X.columns if c not in categorical]
    ordinal = make_column_transformer(
        (
            OrdinalEncoder(
                handle_unknown="use_encoded_value",
                unknown_value=-1,
                encoded_missing_value=-1,
            ),
            categorical,
        ),
        remainder="passthrough",
    )
    onehot = make_column_transformer(
        (
            make_pipeline(
                SimpleImputer(strategy="constant", fill_value="nan"),
                OneHotEncoder(handle_unknown="ignore"),
            ),
            categorical,
        ),
        (make_pipeline(SimpleImputer(), StandardScaler()), numeric),
    )
    mask = [True] * len(categorical) + [False] * len(numeric)
    if task == "regression":
        return {
            "hgb": make_pipeline(
                ordinal,
                HistGradientBoostingRegressor(
                    categorical_features=mask, random_state=0
                ),
            ),
            "linear": make_pipeline(onehot, Ridge()),
        }
    return {
        "hgb": make_pipeline(
            ordinal,
            HistGradientBoostingClassifier(categorical_features=mask, random_state=0),
        ),
        "linear": make_pipeline(onehot, LogisticRegression(max_iter=2000)),
    }


def scores(task, fitted, X, y):
    """Accuracy, balanced accuracy and (binary) ROC AUC, or R²."""
    if task == "regression":
        return {"r2": r2_score(y, fitted.predict(X))}
    predicted = fitted.predict(X)
    out = {
        "accuracy": accuracy_score(y, predicted),
        "balanced_accuracy": balanced_accuracy_score(y, predicted),
    }
    classes = list(fitted.classes_)
    if len(classes) == 2 and len(np.unique(y)) == 2:
        out["roc_auc"] = roc_auc_score(y == classes[1], fitted.predict_proba(X)[:, 1])
    return out


def run(table, n_rows, seed, per_row=1.0):
    """Every fold, arm and model of one (table, N, seed)."""
    frame, target, task = load(table)
    X, y, X_test, y_test = split(frame, target, n_rows, seed)
    records = []
    folds = KFold(5, shuffle=True, random_state=seed).split(X)
    for fold, (inside, outside) in enumerate(folds):
        X_in, y_in = X.iloc[inside], y.iloc[inside]
        held_out = {"": (X_test, y_test), "fold_": (X.iloc[outside], y.iloc[outside])}
        for arm, sampler in arms(table, task, X_in, y_in, seed, per_row).items():
            for name, model in models(task, X).items():
                where = dict(table=table, n=n_rows, seed=seed, fold=fold, arm=arm)
                record = fit_and_score(sampler, model, task, (X_in, y_in), held_out)
                if record is not None:
                    records.append(dict(where, model=name, **record))
    return records


def fit_and_score(sampler, model, task, train, held_out):
    """Fit (sampler, model) on ``train``; its seconds and scores on each
    held-out set (keys prefixed by the set's name), or None when it fails."""
    steps = [("clf", clone(model))]
    if sampler is not None:
        steps.insert(0, ("aug", clone(sampler)))
    started = time.perf_counter()
    try:
        fitted = Pipeline(steps).fit(*train)
    except ValueError as error:  # e.g. a class the peer never draws
        print(f"{type(sampler).__name__}: {error}")
        return None
    record = {"seconds": time.perf_counter() - started}
    for prefix, (X, y) in held_out.items():
        record.update({prefix + k: v for k, v in scores(task, fitted, X, y).items()})
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tables",
        nargs="+",
        default=["adult", "adult5", "king", "letter", "news", "intrusion"],
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 300])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--per-row", type=float, default=1.0)
    parser.add_argument("--out", default="augment.jsonl")
    parser.add_argument(
        "--summary", action="store_true", help="print the Markdown table of --out"
    )
    args = parser.parse_args()
    if args.summary:
        print(markdown(pd.read_json(args.out, lines=True)))
        return
    warnings.filterwarnings("ignore", category=UserWarning)
    for table in args.tables:
        for n_rows in args.sizes:
            for seed in args.seeds:
                records = run(table, n_rows, seed, args.per_row)
                with open(args.out, "a") as out:
                    out.writelines(json.dumps(r) + "\n" for r in records)
                summarise(records)


def summarise(records):
    """Mean held-out score per arm and model, and the gain over real rows."""
    frame = pd.DataFrame(records)
    metric = "r2" if "r2" in frame else "balanced_accuracy"
    table = frame.pivot_table(index=["model", "fold"], columns="arm", values=metric)
    for model, part in table.groupby(level="model"):
        gains = {
            arm: f"{part[arm].mean():.3f} ({(part[arm] - part['real']).mean():+.3f})"
            for arm in part.columns
        }
        print(records[0]["table"], f"N={records[0]['n']}", model, metric, gains)


def markdown(frame):
    """Per table, N and model: each arm's mean held-out score, and its gain over
    real rows only with a 95 % t-interval over the folds (paired by fold)."""
    lines = [
        "| table | N | model | metric | real | ours | SMOTE(NC) | ARF |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (table, n, model), part in frame.groupby(["table", "n", "model"], sort=False):
        metrics = ["r2"] if table == "king" else ["balanced_accuracy", "roc_auc"]
        for metric in [m for m in metrics if m in part and part[m].notna().any()]:
            wide = part.pivot_table(index="fold", columns="arm", values=metric)
            cells = [f"{wide['real'].mean():.3f}"]
            for arm in ("ours", "smote", "arf"):
                cells.append(_gain(wide, arm))
            lines.append(
                f"| {table} | {n} | {model} | {metric} | " + " | ".join(cells) + " |"
            )
    return "\n".join(lines)


def _gain(wide, arm):
    if arm not in wide:
        return "–"
    diff = (wide[arm] - wide["real"]).dropna()
    if len(diff) < 2:
        return f"{wide[arm].mean():.3f} ({diff.mean():+.3f}, {len(diff)} fold)"
    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
    mark = " *" if abs(diff.mean()) > half else ""  # the interval excludes 0
    return f"{wide[arm].mean():.3f} ({diff.mean():+.3f} ± {half:.3f}){mark}"


if __name__ == "__main__":
    main()
