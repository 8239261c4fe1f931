"""constraints=[FixedCombinations(...)]: sampled rows keep the observed combinations."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer
from sklearn_tabbias.conditions import OneOf
from sklearn_tabbias.conditions import Range as ConditionRange
from sklearn_tabbias.constraints import (
    DetectedConstraintWarning,
    FixedCombinations,
    Inequality,
    Positive,
    Range,
    Unique,
    detect,
    detect_fixed_combinations,
    from_records,
)

FAST = dict(bias="none", n_seeds=1, max_epochs=30, min_steps=100, hidden_dim=32)
CODES = {k: i + 1 for i, k in enumerate("abcdefgh")}


def _table(n=300, seed=0):
    """``code`` is a function of ``level`` (as Adult's education-num of education)."""
    rng = np.random.default_rng(seed)
    level = rng.choice(list(CODES), n)
    code = pd.Series(level).map(CODES).to_numpy()
    return pd.DataFrame({"level": level, "x": rng.normal(size=n) + code, "code": code})


def test_the_columns_become_one_and_come_back():
    table = _table()
    rule = FixedCombinations(["level", "code"]).fit(table)
    assert len(rule.combinations_) == 8
    model = rule.transform(table)
    assert list(model.columns) == ["level+code", "x"]
    back = rule.reverse(model)[list(table.columns)]
    pd.testing.assert_frame_equal(back, table)


@pytest.mark.parametrize(
    "columns, message",
    [(["level"], "two or more columns"), (["level", "nope"], "\\['nope'\\] are not")],
)
def test_bad_columns_are_named(columns, message):
    with pytest.raises(ValueError, match=message):
        FixedCombinations(columns).fit(_table())


def test_a_joint_name_already_taken_is_an_error():
    table = _table().assign(**{"level+code": 1})
    with pytest.raises(ValueError, match="already has a column 'level\\+code'"):
        FixedCombinations(["level", "code"]).fit(table)


@pytest.mark.parametrize("cls", [BiasedVAESynthesizer, BiasedCTGAN])
def test_every_sampled_row_is_an_observed_combination(cls):
    table = _table()
    params = FAST if cls is BiasedVAESynthesizer else dict(bias="none", epochs=5)
    rule = FixedCombinations(["level", "code"])
    synth = cls(constraints=[rule], random_state=0, **params).fit(table)
    assert rule.combinations_ is None  # the user's object is not fitted
    assert synth.constraints_[0].combinations_ is not None
    sample = synth.sample(500, random_state=0)
    assert list(sample.columns) == list(table.columns)
    assert sample.dtypes.equals(table.dtypes)
    assert (sample["code"] == sample["level"].map(CODES)).all()
    assert clone(synth).get_params()["constraints"][0].columns == ["level", "code"]


def test_conditions_on_constrained_columns_are_rewritten():
    synth = BiasedVAESynthesizer(
        constraints=[FixedCombinations(["level", "code"])], random_state=0, **FAST
    ).fit(_table())
    rows = synth.sample(20, conditions={"code": 3, "x": (0, None)}, random_state=0)
    assert (rows["level"] == "c").all() and (rows["code"] == 3).all()
    assert (rows["x"] >= 0).all()
    rows = synth.sample(40, conditions={"level": OneOf(("a", "h"))}, random_state=0)
    assert set(rows["level"]) <= {"a", "h"} and set(rows["code"]) <= {1, 8}
    with pytest.raises(ValueError, match="no combination of \\['level', 'code'\\]"):
        synth.sample(3, conditions={"code": 99})


def test_categorical_features_may_name_constrained_columns():
    synth = BiasedVAESynthesizer(
        constraints=[FixedCombinations(["level", "code"])],
        categorical_features=["code"],
        random_state=0,
        **FAST,
    ).fit(_table())
    assert synth.sample(10).shape == (10, 3)


def test_adult_education_and_education_num_stay_consistent(adult300):
    pair = ["education", "education-num"]
    synth = BiasedVAESynthesizer(
        constraints=[FixedCombinations(pair)], random_state=0, **FAST
    ).fit(adult300)
    sample = synth.sample(1000, random_state=0)
    seen = set(map(tuple, adult300[pair].drop_duplicates().to_numpy()))
    assert set(map(tuple, sample[pair].to_numpy())) <= seen


@pytest.mark.parametrize("cls", [BiasedVAESynthesizer, BiasedCTGAN])
def test_by_default_columns_that_map_one_to_one_keep_their_combinations(cls):
    table = _table()
    params = FAST if cls is BiasedVAESynthesizer else dict(bias="none", epochs=2)
    with pytest.warns(DetectedConstraintWarning, match="\\['level', 'code'\\]"):
        synth = cls(random_state=0, **params).fit(table)
    assert synth.constraints_ == [FixedCombinations(["level", "code"])]
    sample = synth.sample(500, random_state=0)
    assert (sample["code"] == sample["level"].map(CODES)).all()
    free = cls(constraints=None, random_state=0, **params).fit(table)
    assert free.constraints_ == []


def test_auto_needs_enough_rows_per_combination():
    table = _table(n=30)  # 8 combinations, under 5 rows each
    assert detect_fixed_combinations(table) == []
    assert detect_fixed_combinations(_table(n=60)) == [
        FixedCombinations(["level", "code"])
    ]
    categories = _table(n=60).astype({"level": "category", "code": "category"})
    assert detect_fixed_combinations(categories) == [
        FixedCombinations(["level", "code"])  # unobserved pairs do not count
    ]


def test_fixed_combinations_of_an_array_keep_integer_column_names():
    table = _table().assign(level=lambda t: t["code"] * 10)
    array = table.to_numpy(dtype=float)
    with pytest.warns(DetectedConstraintWarning, match="\\[0, 2\\]"):
        synth = BiasedVAESynthesizer(random_state=0, **FAST).fit(array)
    sample = synth.sample(200, random_state=0)
    assert isinstance(sample, np.ndarray) and sample.shape == (200, 3)
    assert (sample[:, 0] == sample[:, 2] * 10).all()


def _stays(n=300, seed=0):
    """Hospital stays: discharge never before admission."""
    rng = np.random.default_rng(seed)
    admitted = pd.Timestamp("2020-01-01") + pd.to_timedelta(
        rng.integers(0, 365, n), "D"
    )
    days = rng.gamma(2.0, 3.0, n).round()
    return pd.DataFrame(
        {
            "age": rng.integers(20, 90, n),
            "admitted": admitted,
            "discharged": admitted + pd.to_timedelta(days, "D"),
            "cost": (days * 1000 + rng.normal(0, 300, n)).round(),
            "paid": (days * 900).round(),
        }
    )


def test_inequality_keeps_dates_and_numbers_in_order():
    stays = _stays()
    rules = [Inequality("admitted", "discharged"), Inequality("paid", "cost")]
    with pytest.raises(ValueError, match="real rows have 'cost' below 'paid'"):
        BiasedVAESynthesizer(constraints=rules, **FAST).fit(stays)
    rules = [Inequality("admitted", "discharged"), Inequality("age", "cost")]
    synth = BiasedVAESynthesizer(constraints=rules, random_state=0, **FAST).fit(stays)
    sample = synth.sample(1000, random_state=0)
    assert list(sample.columns) == list(stays.columns)
    assert sample.dtypes.equals(stays.dtypes)
    assert (sample["discharged"] >= sample["admitted"]).all()
    assert (sample["cost"] >= sample["age"]).all()
    rows = synth.sample(10, conditions={"age": (30, 40)}, random_state=0)
    assert rows["age"].between(30, 40).all()
    with pytest.raises(ValueError, match="conditions on 'discharged' are not"):
        synth.sample(3, conditions={"discharged": (pd.Timestamp("2020-03-01"), None)})


def test_constraints_read_from_records():
    rules = from_records(
        [
            {"type": "FixedCombinations", "columns": ["a", "b"]},
            {"type": "Inequality", "low_column": "in", "high_column": "out"},
        ]
    )
    assert rules == [FixedCombinations(["a", "b"]), Inequality("in", "out")]
    with pytest.raises(ValueError, match="is not a constraint"):
        from_records([{"type": "Inequality", "columns": ["in", "out"]}])


def test_detect_suggests_the_rules_the_rows_hold(adult300):
    found = detect(_table())
    assert found == [FixedCombinations(["level", "code"])]
    assert FixedCombinations(["education", "education-num"]) in detect(adult300)
    stays = _stays()
    assert Inequality("admitted", "discharged") in detect(stays)
    assert Inequality("discharged", "admitted") not in detect(stays)


def test_range_and_positive_bound_the_sampled_values():
    stays = _stays()
    with pytest.raises(ValueError, match="real rows lie outside the range"):
        BiasedVAESynthesizer(constraints=[Range("age", 30, 60)], **FAST).fit(stays)
    rules = [Range("age", 20, 89), Positive("cost")]
    synth = BiasedVAESynthesizer(constraints=rules, random_state=0, **FAST).fit(stays)
    sample = synth.sample(2000, random_state=0)
    assert sample["age"].between(20, 89).all() and (sample["cost"] >= 0).all()
    assert sample.dtypes.equals(stays.dtypes)
    with pytest.raises(TypeError, match="constraints.Range\\(column, low, high\\)"):
        BiasedVAESynthesizer(constraints=[ConditionRange(1, 2)], **FAST).fit(stays)


def test_unique_identifiers_are_new_in_every_row():
    table = _table().assign(
        patient=np.arange(1000, 1300), name=[f"p{i}" for i in range(300)]
    )
    rules = [Unique("patient"), Unique("name", prefix="anon-")]
    synth = BiasedVAESynthesizer(constraints=rules, random_state=0, **FAST).fit(table)
    first, second = synth.sample(200), synth.sample(200)
    assert list(first.columns) == list(table.columns)
    ids = pd.concat([first["patient"], second["patient"]])
    assert ids.is_unique and ids.min() >= 1300 and ids.dtype == table["patient"].dtype
    assert first["name"].str.startswith("anon-").all()
    assert not set(first["name"]) & set(table["name"])
    with pytest.raises(ValueError, match="'patient' are not supported"):
        synth.sample(3, conditions={"patient": 1000})


def test_ctgan_conditions_on_constrained_columns_use_the_joint_column():
    synth = BiasedCTGAN(
        bias="none",
        epochs=5,
        constraints=[FixedCombinations(["level", "code"])],
        random_state=0,
    ).fit(_table())
    rows = synth.sample(10, conditions={"code": 3}, random_state=0)
    assert (rows["level"] == "c").all() and (rows["code"] == 3).all()
    rows = synth.sample(10, conditions={"level": OneOf(("a", "b"))}, random_state=0)
    assert set(rows["level"]) <= {"a", "b"}
