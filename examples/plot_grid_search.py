"""
Choosing a bias method and a training budget with GridSearchCV
==============================================================

The synthesizers are scikit-learn estimators, so
:class:`~sklearn.model_selection.GridSearchCV` chooses their parameters. Each
fold's real rows are held out; the scorers sample from the model fitted on the
other folds and compare:

* :class:`~sklearn_tabbias.ColumnPredictionScorer` (the recommended scorer
  at N <= 1,000): models trained on the sample predict every column of the
  held-out rows from the other columns; the mean accuracy / R² rewards the
  dependence between columns, and every held-out cell counts, so a small fold
  still ranks models the way a large test does;
* :class:`~sklearn_tabbias.DivergenceScorer`: minus the Jensen–Shannon
  divergence, cross-fitted (every held-out row scored by a discriminator that
  did not see it); bounded in [-1, 0], but on folds of a few dozen rows the
  discriminator finds next to nothing, so it ties or ranks by noise.

On a few hundred rows every fold score is noisy: the error bars below (one
standard error of the mean fold score) show how far apart two candidates must
be before the choice means anything. GridSearchCV's default refit takes the
highest mean even when the runner-up is within that noise, so another shuffle
of the same rows can choose differently;
:class:`~sklearn_tabbias.model_selection.OneStandardErrorRule` refits the
cheapest candidate (by fit time) among those within one standard error of the
best, which made the choice stable over five shuffles in
``benchmarks/selection.py``.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, KFold

from sklearn_tabbias import (
    BiasedVAESynthesizer,
    ColumnPredictionScorer,
    DivergenceScorer,
)
from sklearn_tabbias.datasets import load_breast_cancer
from sklearn_tabbias.model_selection import OneStandardErrorRule

frame, target = load_breast_cancer()
real = frame.sample(300, random_state=1)

rule = OneStandardErrorRule(scoring="prediction")
search = GridSearchCV(
    BiasedVAESynthesizer(n_seeds=3, max_epochs=300, random_state=0),
    # a short budget (stop on the validation loss at once) against the default
    {"bias": ["none", "avg"], "min_steps": [0, 1000]},
    scoring={"prediction": ColumnPredictionScorer(), "js": DivergenceScorer("js")},
    refit=rule,
    cv=KFold(3, shuffle=True, random_state=0),
)
search.fit(real)

# %%
# Greater is better for both scores. The chosen model is refitted on all rows.
results = pd.DataFrame(search.cv_results_)
for name in ("prediction", "js"):
    _, results[f"se_test_{name}"] = OneStandardErrorRule(
        scoring=name
    ).mean_and_standard_error(search.cv_results_)
columns = ["param_bias", "param_min_steps", "mean_fit_time"]
scores = [f"{s}_test_{n}" for n in ("prediction", "js") for s in ("mean", "se")]
print(results[columns + scores].round(3).to_string())
print("highest mean:", results.params[results.mean_test_prediction.idxmax()])
print("chosen (one-standard-error rule):", search.best_params_)

# %%
# Scores with their standard errors; the chosen candidate in red.
labels = [
    f"{b}\nmin_steps={m}"
    for b, m in zip(results.param_bias, results.param_min_steps, strict=True)
]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharex=True)
for ax, name in zip(axes, ["prediction", "js"], strict=True):
    ax.errorbar(
        np.arange(len(results)),
        results[f"mean_test_{name}"],
        yerr=results[f"se_test_{name}"],
        fmt="o",
        capsize=4,
    )
    ax.plot(search.best_index_, results[f"mean_test_{name}"][search.best_index_], "ro")
    ax.set_title(f"{name} score (greater is better)")
    ax.set_xticks(np.arange(len(results)), labels)
fig.tight_layout()
plt.show()
