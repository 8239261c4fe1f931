"""
Choosing a bias method with GridSearchCV
========================================

The synthesizers are scikit-learn estimators and their ``score`` is minus the
Jensen–Shannon divergence between a sample and the held-out fold, so
:class:`~sklearn.model_selection.GridSearchCV` picks a bias method (or any other
parameter). :class:`~sklearn_tabbias.UtilityScorer` adds the accuracy of a
model trained on synthetic rows and tested on the held-out real rows.
"""

# %%
import pandas as pd
from sklearn.model_selection import GridSearchCV

from sklearn_tabbias import BiasedVAESynthesizer, DivergenceScorer, UtilityScorer
from sklearn_tabbias.datasets import load_breast_cancer

frame, target = load_breast_cancer()
real = frame.sample(300, random_state=1)

search = GridSearchCV(
    BiasedVAESynthesizer(n_seeds=3, max_epochs=200, random_state=0),
    {"bias": ["none", "avg", "drs"]},
    scoring={"js": DivergenceScorer("js"), "accuracy": UtilityScorer(target=target)},
    refit="js",
    cv=3,
)
search.fit(real)

# %%
# Greater is better for both scores (the divergence is negated). With 100
# held-out rows per fold the divergences are rough: compare methods, not
# absolute values.
results = pd.DataFrame(search.cv_results_)
print(results[["param_bias", "mean_test_js", "std_test_js", "mean_test_accuracy"]])
print("best:", search.best_params_)
