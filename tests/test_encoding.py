import numpy as np
import pandas as pd
import pytest

from sklearn_tabbias import TabularEncoder


@pytest.fixture
def mixed():
    rng = np.random.default_rng(0)
    n = 200
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": rng.lognormal(10, 1, n),
            "gain": np.where(rng.random(n) < 0.8, 0, rng.integers(1, 10_000, n)),
            "city": rng.choice(["a", "b", "c"], n).astype(object),
            "grade": pd.Categorical(
                rng.choice(["x", "y"], n), categories=["x", "y", "z"]
            ),
            "smoker": rng.random(n) < 0.3,
            "children": rng.integers(0, 4, n),
            "weight": np.float32(rng.normal(70, 10, n)),
        }
    )
    frame.loc[rng.random(n) < 0.1, "city"] = np.nan
    frame.loc[rng.random(n) < 0.15, "income"] = np.nan
    return frame


def test_kinds_are_inferred(mixed):
    enc = TabularEncoder().fit(mixed)
    assert enc.kinds_ == {
        "age": "continuous",
        "income": "continuous",
        "gain": "continuous",
        "city": "categorical",
        "grade": "binary",
        "smoker": "binary",
        "children": "categorical",
        "weight": "continuous",
    }


def test_point_mass_and_nan_become_states(mixed):
    enc = TabularEncoder().fit(mixed)
    spec = enc.columns_[2]
    assert list(spec.spikes) == [0.0]
    names = list(enc.get_feature_names_out())
    assert "gain=0.0" in names and "income=nan" in names
    gate_blocks = [
        b for b in enc.blocks_ if b.kind == "gaussian" and b.gate is not None
    ]
    assert {b.column for b in gate_blocks} == {1, 2}


def test_a_coarse_grid_of_values_gets_no_point_masses():
    rng = np.random.default_rng(0)
    grid = rng.binomial(15, 0.4, 400)  # Letter-like: 0-15, several values >= 10%
    zeros = np.where(rng.random(400) < 0.7, 0.0, rng.lognormal(5, 1, 400))
    frame = pd.DataFrame({"grid": grid, "zeros": zeros})
    enc = TabularEncoder().fit(frame)
    grid_spec, zeros_spec = enc.columns_
    assert grid_spec.kind == "continuous" and len(grid_spec.spikes) == 0
    assert list(zeros_spec.spikes) == [0.0]
    many = TabularEncoder(max_point_masses=10).fit(frame).columns_[0]
    assert len(many.spikes) >= 3


def test_decoded_values_stay_on_the_columns_grid():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "bathrooms": rng.integers(2, 20, 300) / 4,  # quarters, as King's
            "price": rng.integers(1000, 90000, 300) / 100,  # cents
            "measured": rng.normal(size=300),  # full precision: no grid
        }
    )
    enc = TabularEncoder().fit(frame)
    assert [spec.grid for spec in enc.columns_] == [4.0, 100.0, 0.0]
    Z = np.random.default_rng(1).normal(0, 1, (500, enc.n_features_out_))
    out = enc.inverse_transform(Z)
    quarters, cents = out["bathrooms"] * 4, out["price"] * 100
    assert np.allclose(quarters, quarters.round()) and np.allclose(cents, cents.round())
    assert out["measured"].nunique() == 500


def test_round_trip_restores_schema(mixed):
    enc = TabularEncoder().fit(mixed)
    back = enc.inverse_transform(enc.transform(mixed))
    assert list(back.columns) == list(mixed.columns)
    assert back.dtypes.equals(mixed.dtypes)
    assert list(back["grade"].cat.categories) == ["x", "y", "z"]
    pd.testing.assert_frame_equal(back, mixed, check_exact=False, rtol=1e-4)


def test_inverse_of_random_codes_stays_in_schema(mixed):
    enc = TabularEncoder().fit(mixed)
    Z = np.random.default_rng(1).normal(0, 3, (500, enc.n_features_out_))
    out = enc.inverse_transform(Z)
    assert out.dtypes.equals(mixed.dtypes)
    assert out["age"].between(mixed["age"].min(), mixed["age"].max()).all()
    assert set(out["city"].dropna()) <= set(mixed["city"].dropna())
    assert set(out["children"]) <= set(mixed["children"])
    assert set(out["grade"]) <= {"x", "y"}


def test_categorical_features_override(mixed):
    enc = TabularEncoder(categorical_features=["age"]).fit(mixed)
    assert enc.kinds_["age"] == "categorical"
    with pytest.raises(ValueError, match="categorical_features names 'nope'"):
        TabularEncoder(categorical_features=["nope"]).fit(mixed)


def test_unseen_category_in_transform_names_column(mixed):
    enc = TabularEncoder().fit(mixed)
    other = mixed.copy()
    other.loc[0, "city"] = "zzz"
    with pytest.raises(ValueError, match="Column 'city' has the value 'zzz'"):
        enc.transform(other)


def test_ndarray_and_constant_columns():
    X = np.column_stack([np.arange(30.0) / 7, np.full(30, 2.0)])
    enc = TabularEncoder().fit(X)
    assert enc.kinds_ == {0: "continuous", 1: "constant"}
    back = enc.inverse_transform(enc.transform(X))
    np.testing.assert_allclose(back.to_numpy(dtype=float), X, atol=1e-5)


def test_object_numbers_are_numeric_and_bad_objects_rejected():
    X = np.random.default_rng(0).uniform(size=(20, 2)).astype(object)
    assert TabularEncoder().fit(X).kinds_[0] == "continuous"
    X[0, 0] = {"a": 1}
    with pytest.raises(TypeError, match="string or a number"):
        TabularEncoder().fit(X)


def test_nullable_and_special_dtypes_round_trip():
    n = 40
    frame = pd.DataFrame(
        {
            "i64": pd.array(
                [None if i % 5 == 0 else i % 3 for i in range(n)], dtype="Int64"
            ),
            "flag": pd.array(
                [None if i % 7 == 0 else i % 2 == 0 for i in range(n)], dtype="boolean"
            ),
            "text": pd.array([f"s{i % 4}" for i in range(n)], dtype="string"),
            "empty": np.full(n, np.nan),
            "const": ["k"] * n,
            "i8": np.arange(n, dtype=np.int8) * 3,
        }
    )
    enc = TabularEncoder().fit(frame)
    assert enc.kinds_["empty"] == "constant" and enc.kinds_["const"] == "constant"
    back = enc.inverse_transform(enc.transform(frame))
    assert back.dtypes.equals(frame.dtypes)
    pd.testing.assert_frame_equal(back, frame)


@pytest.mark.parametrize(
    "step, values",
    [
        ("D", pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(40) * 3, "D")),
        ("min", pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(40) * 7, "min")),
        ("h", pd.to_timedelta(np.arange(40) * 5, "h")),
    ],
)
def test_dates_and_durations_decode_on_their_time_step(step, values):
    frame = pd.DataFrame({"t": values})
    encoder = TabularEncoder(random_state=0).fit(frame)
    Z = encoder.transform(frame)
    Z[:, -1] += np.random.default_rng(0).normal(0, 0.05, len(Z))  # off the grid
    decoded = encoder.inverse_transform(Z)["t"]
    assert decoded.dtype == frame["t"].dtype
    assert (decoded == decoded.dt.round(step)).all()
