import numpy as np
import pandas as pd
import pytest
from conftest import TINY

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.metrics import PrivacyScorer, privacy


@pytest.fixture(scope="module")
def split(adult_full):
    rows = adult_full.drop_duplicates().sample(3000, random_state=0)
    return rows[:1000], rows[1000:2000], rows[2000:]


def test_copies_are_caught(split):
    train, holdout, _ = split
    result = privacy(train.sample(500, random_state=1), train, holdout)
    assert result.exact_copy_rate == 1.0 and result.dcr_synthetic == 0.0
    assert result.dcr_ratio == 0.0 and result.close_rate == 1.0
    assert result.holdout_copy_rate == 0.0 and result.n_train == 1000
    assert "DCR ratio 0.000" in str(result)


def test_fresh_real_rows_look_private(split):
    train, holdout, fresh = split
    result = privacy(fresh, train, holdout)
    assert result.exact_copy_rate == 0.0
    assert 0.85 < result.dcr_ratio < 1.15 and result.close_rate < 0.1


def test_near_copies_lower_the_ratio(split):
    train, holdout, _ = split
    jittered = train.copy()
    jittered["fnlwgt"] = jittered["fnlwgt"] + 7  # tiny change: no exact copy
    result = privacy(jittered, train, holdout)
    assert result.exact_copy_rate == 0.0 and result.dcr_ratio < 0.05


def test_missing_values_count_as_equal():
    train = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": ["x", None, "z"]})
    holdout = pd.DataFrame({"a": [5.0, 6.0], "b": ["x", "y"]})
    synthetic = pd.DataFrame({"a": [np.nan, 2.0], "b": [None, "x"]})
    assert privacy(synthetic, train, holdout).exact_copy_rate == 0.5


def test_columns_must_match():
    train = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(ValueError, match="Expected the columns"):
        privacy(pd.DataFrame({"b": [1.0]}), train, train)


def test_scorer(split, adult300):
    train, holdout, _ = split
    model = BiasedVAESynthesizer(random_state=0, **TINY).fit(train.head(200))
    ratio = PrivacyScorer(train.head(200))(model, holdout.head(200))
    copies = PrivacyScorer(train.head(200), metric="exact_copy_rate")
    assert ratio > 0.3 and -1 <= copies(model, holdout.head(200)) <= 0
    with pytest.raises(ValueError, match="metric must be"):
        PrivacyScorer(train, metric="auc")
    assert "metric='dcr_ratio'" in repr(PrivacyScorer(train))
