"""Statistical checks of sample quality (slow: run with ``-m slow``)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split

from sklearn_tabbias import BiasedVAESynthesizer, TabularEncoder
from sklearn_tabbias.datasets import load_breast_cancer

pytestmark = pytest.mark.slow


def _detection_auc(real, other, seed=0):
    """Cross-validated AUC of a classifier telling ``real`` from ``other`` rows.

    ``real`` must be rows the synthesizer never saw: rows that share exact
    values across the two sides make cross-validated detection anti-predictive.
    """
    enc = TabularEncoder(random_state=seed).fit(pd.concat([real, other]))
    X = np.vstack([enc.transform(real), enc.transform(other)])
    y = np.r_[np.ones(len(real)), np.zeros(len(other))]
    clf = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    proba = cross_val_predict(clf, X, y, cv=cv, method="predict_proba")[:, 1]
    return roc_auc_score(y, proba)


def _shuffle_columns(frame, n, seed):
    """``n`` rows whose columns are drawn independently from ``frame``."""
    return frame.apply(
        lambda c: c.sample(
            n, replace=True, random_state=seed + hash(c.name) % 1000
        ).to_numpy()
    )


def test_breast_cancer_marginals_and_detectability():
    frame, target = load_breast_cancer()
    train, holdout = train_test_split(frame, test_size=169, random_state=0)
    synth = BiasedVAESynthesizer(bias="avg", n_seeds=5, random_state=0).fit(train)
    sample = synth.sample(len(train), random_state=0)
    numeric = train.drop(columns=target)
    z = (sample[numeric.columns].mean() - numeric.mean()) / numeric.std()
    assert z.abs().max() < 0.25
    share = sample[target].value_counts(normalize=True)
    real = train[target].value_counts(normalize=True)
    assert (share - real).abs().max() < 0.06
    diff = (sample[numeric.columns].corr() - numeric.corr()).abs().to_numpy()
    assert np.nanmean(diff) < 0.15
    # a detector against unseen real rows: clearly better than columns drawn
    # independently (which keep every marginal but lose all dependence)
    auc_synth = _detection_auc(holdout, sample.iloc[: len(holdout)])
    auc_independent = _detection_auc(holdout, _shuffle_columns(train, len(holdout), 1))
    assert auc_synth < auc_independent - 0.05


def test_adult_detectability_beats_independent_columns(adult_full, adult300):
    seen = adult_full.sample(300, random_state=0).index  # the rows of adult300
    holdout = adult_full.drop(index=seen).sample(300, random_state=1)
    synth = BiasedVAESynthesizer(bias="avg", n_seeds=5, random_state=0).fit(adult300)
    sample = synth.sample(300, random_state=0)
    independent = _shuffle_columns(adult300, 300, 1)
    assert _detection_auc(holdout, sample) < _detection_auc(holdout, independent)
