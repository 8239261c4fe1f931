"""Bad input gets a clear error, nothing in the schema is lost (issue [reliability])."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer, TabularEncoder, base
from sklearn_tabbias.metrics import DivergenceScorer, UtilityScorer, privacy

FAST_VAE = dict(n_seeds=2, max_epochs=3, patience=2, hidden_dim=8, latent_dim=2)
FAST_GAN = dict(bias="none", epochs=1)
RNG = np.random.default_rng(0)
BASE = pd.DataFrame({"x": RNG.normal(size=40), "c": RNG.choice(list("ab"), 40)})


def estimators():
    return [
        TabularEncoder(),
        BiasedVAESynthesizer(**FAST_VAE),
        BiasedCTGAN(**FAST_GAN),
    ]


#: (case, table, error class, message pattern) for every estimator's ``fit``.
BAD_TABLES = [
    ("empty table", BASE.iloc[:0], ValueError, "0 sample"),
    (
        "inf",
        BASE.assign(x=np.r_[np.inf, BASE.x[1:]]),
        ValueError,
        "infinity in column 'x'",
    ),
    (
        "duplicated names",
        pd.concat([BASE, BASE[["x"]]], axis=1),
        ValueError,
        "'x' appears 2 times",
    ),
    (
        "mixed name types",
        BASE.set_axis(["x", 1], axis=1),
        TypeError,
        r"all strings .*\['int', 'str'\]",
    ),
    (
        "object of dicts",
        BASE.assign(d=[{"a": 1}] * 40),
        TypeError,
        "Column 'd' holds a value of type dict",
    ),
    ("complex", BASE.assign(z=np.ones(40) * 1j), ValueError, "Complex data"),
    ("1-D", BASE["x"].to_numpy(), ValueError, "Expected a 2D table"),
    ("no columns", pd.DataFrame(index=range(5)), ValueError, "0 feature"),
]
#: Only the synthesizers reject these (the encoder handles them).
BAD_FOR_SYNTHESIZERS = [
    (
        "all constant",
        pd.DataFrame({"k": [1] * 9, "n": [np.nan] * 9}),
        ValueError,
        r"Every column of X is constant .*\['k', 'n'\]",
    ),
]


@pytest.mark.parametrize(
    "case, X, error, message",
    BAD_FOR_SYNTHESIZERS,
    ids=[c[0] for c in BAD_FOR_SYNTHESIZERS],
)
@pytest.mark.parametrize("estimator", estimators()[1:], ids=lambda e: type(e).__name__)
def test_bad_table_for_synthesizers(estimator, case, X, error, message):
    with pytest.raises(error, match=message):
        estimator.fit(X)


@pytest.mark.parametrize(
    "case, X, error, message", BAD_TABLES, ids=[c[0] for c in BAD_TABLES]
)
@pytest.mark.parametrize("estimator", estimators(), ids=lambda e: type(e).__name__)
def test_bad_table_is_rejected_clearly(estimator, case, X, error, message):
    with pytest.raises(error, match=message):
        estimator.fit(X)


@pytest.mark.parametrize(
    "estimator, n_rows, message",
    [
        (BiasedVAESynthesizer(**FAST_VAE), 1, "minimum of 2 is required"),
        (BiasedVAESynthesizer(**FAST_VAE), 2, "needs at least 3 rows"),
        (BiasedCTGAN(**FAST_GAN), 1, "minimum of 2 is required"),
    ],
)
def test_too_few_rows_for_a_split(estimator, n_rows, message):
    with pytest.raises(ValueError, match=message):
        estimator.fit(BASE.head(n_rows))


#: Tables that need handling, not an error: each estimator fits and samples them.
HANDLED = [
    ("all-NaN column", BASE.assign(n=np.nan)),
    ("constant column", BASE.assign(k=1.0)),
    ("high-cardinality", BASE.assign(h=[f"h{i % 35}" for i in range(40)])),
    ("datetime", BASE.assign(d=pd.date_range("2020", periods=40, freq="37h"))),
    (
        "datetime tz with NaT",
        BASE.assign(
            d=pd.date_range("2020", periods=40, tz="Europe/Madrid").where(
                np.arange(40) % 9 != 0
            )
        ),
    ),
    ("timedelta", BASE.assign(t=pd.to_timedelta(np.arange(40) * 7, unit="min"))),
    ("mixed-type objects", BASE.assign(m=[1, "a", 2.5, None] * 10)),
    ("integer names", BASE.set_axis([0, 1], axis=1)),
    ("two rows (CTGAN, encoder)", BASE.head(3)),
]


@pytest.mark.parametrize("case, X", HANDLED, ids=[c[0] for c in HANDLED])
@pytest.mark.parametrize("estimator", estimators(), ids=lambda e: type(e).__name__)
def test_awkward_tables_keep_their_schema(estimator, case, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X)
    if isinstance(estimator, TabularEncoder):
        out = estimator.inverse_transform(estimator.transform(X))
        assert out.dtypes.equals(X.dtypes)
        return
    out = estimator.sample(25, random_state=0)
    assert list(out.columns) == list(X.columns) and out.dtypes.equals(X.dtypes)
    for name in X.columns:
        seen = set(X[name].dropna().map(str))
        if not pd.api.types.is_numeric_dtype(X[name].dtype) and len(seen) < 40:
            if not pd.api.types.is_datetime64_any_dtype(X[name].dtype) and not (
                pd.api.types.is_timedelta64_dtype(X[name].dtype)
            ):
                assert set(out[name].dropna().map(str)) <= seen  # no unseen category


def test_mixed_object_values_keep_their_types():
    X = BASE.assign(m=[1, "a", 2.5, None] * 10)
    enc = TabularEncoder().fit(X)
    back = enc.inverse_transform(enc.transform(X))
    assert back["m"].tolist()[:3] == [1, "a", 2.5] and back["m"].isna().sum() == 10


def test_datetimes_round_trip_to_float32_precision():
    stamps = pd.Series(pd.date_range("2021-03-01", periods=40, freq="17min"))
    X = pd.DataFrame({"when": stamps.where(stamps.index % 7 != 0)})
    enc = TabularEncoder().fit(X)
    back = enc.inverse_transform(enc.transform(X))
    assert back["when"].isna().equals(X["when"].isna())
    gap = (back["when"] - X["when"]).abs().max()
    span = X["when"].max() - X["when"].min()
    assert gap < span * 1e-6  # the encoded matrix is float32


def test_identifier_column_warns():
    X = BASE.assign(id=[f"patient-{i}" for i in range(40)])
    with pytest.warns(UserWarning, match="Column 'id' has a different value in every"):
        TabularEncoder().fit(X)
    X = BASE.assign(id=np.random.default_rng(0).permutation(40) + 1000)
    with pytest.warns(UserWarning, match="'id' has consecutive whole numbers.*Unique"):
        TabularEncoder().fit(X)


@pytest.fixture(scope="module")
def fitted():
    return BiasedVAESynthesizer(**FAST_VAE, random_state=0).fit(BASE)


@pytest.mark.parametrize(
    "n, error, message",
    [
        (0, ValueError, "n_samples must be at least 1, got 0"),
        (-3, ValueError, "at least 1, got -3"),
        (2.5, TypeError, "n_samples must be an integer, got float"),
        ("7", TypeError, "must be an integer, got str"),
        (True, TypeError, "must be an integer, got bool"),
    ],
)
def test_sample_size_is_checked(fitted, n, error, message):
    with pytest.raises(error, match=message):
        fitted.sample(n)


def test_sample_accepts_numpy_integers(fitted):
    assert len(fitted.sample(np.int64(4))) == 4


@pytest.mark.parametrize("cls", [BiasedVAESynthesizer, BiasedCTGAN])
def test_sampling_before_fit(cls):
    with pytest.raises(
        NotFittedError, match=f"This {cls.__name__} instance is not fitted"
    ):
        cls().sample(3)


@pytest.mark.parametrize("cls", [BiasedVAESynthesizer, BiasedCTGAN])
def test_unknown_bias(cls):
    with pytest.raises(ValueError, match="The 'bias' parameter of .* must be"):
        cls(bias="magic").fit(BASE)


@pytest.mark.parametrize(
    "scorer",
    [DivergenceScorer(), UtilityScorer(target="c")],
    ids=lambda s: type(s).__name__,
)
def test_scorer_with_other_columns(fitted, scorer):
    with pytest.raises(ValueError, match=r"X has the columns \['y', 'c'\], but the"):
        scorer(fitted, BASE.rename(columns={"x": "y"}))


def test_score_and_privacy_with_other_columns(fitted):
    with pytest.raises(ValueError, match="feature names should match"):
        fitted.score(BASE.rename(columns={"x": "y"}))
    with pytest.raises(ValueError, match="Expected the columns"):
        privacy(BASE.rename(columns={"x": "y"}), BASE, BASE)


# -- schema round trip over every dtype users have --------------------------------


def _all_dtypes(n=60):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "i8": rng.integers(-5, 100, n).astype("int8"),
            "i16": rng.integers(0, 2000, n).astype("int16"),
            "i32": rng.integers(0, 10**6, n).astype("int32"),
            "i64": rng.integers(0, 10**9, n).astype("int64"),
            "Int64": pd.array(rng.integers(0, 50, n), dtype="Int64"),
            "boolean": pd.array(rng.random(n) < 0.4, dtype="boolean"),
            "string": pd.array(rng.choice(["u", "v", "w"], n), dtype="string"),
            "f32": rng.normal(size=n).astype("float32"),
            "f64": rng.lognormal(size=n),
            "bool": rng.random(n) < 0.5,
            "category": pd.Categorical(
                rng.choice(["lo", "mid"], n), categories=["lo", "mid", "hi"]
            ),
            "object": rng.choice(["red", "green"], n).astype(object),
        }
    )
    for name in ("Int64", "boolean", "string", "f64", "object"):
        frame.loc[rng.random(n) < 0.2, name] = None
    return frame


@pytest.mark.parametrize(
    "synth",
    [
        BiasedVAESynthesizer(n_seeds=2, max_epochs=60, patience=20, random_state=0),
        BiasedCTGAN(bias="none", epochs=20, random_state=0),
    ],
    ids=lambda s: type(s).__name__,
)
def test_schema_round_trip_over_all_dtypes(synth):
    X = _all_dtypes()
    out = synth.fit(X).sample(400, random_state=0)
    assert list(out.columns) == list(X.columns)
    assert out.dtypes.equals(X.dtypes)
    assert list(out["category"].cat.categories) == ["lo", "mid", "hi"]
    for name in ("Int64", "boolean", "string", "f64", "object"):
        assert abs(out[name].isna().mean() - X[name].isna().mean()) < 0.15, name
    for name in ("string", "object", "boolean", "bool", "category"):
        assert set(out[name].dropna()) <= set(X[name].dropna()), name
    for name in ("i8", "i16", "i32", "i64", "Int64"):
        assert out[name].min() >= X[name].min() and out[name].max() <= X[name].max()


# -- property-based: random mixed tables --------------------------------------------

COLUMN = st.sampled_from(["float", "int", "text", "bool", "category", "nullable"])


@st.composite
def tables(draw, varying=False):
    n = draw(st.integers(min_value=3, max_value=30))
    kinds = draw(st.lists(COLUMN, min_size=1, max_size=5))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    data = {}
    for i, kind in enumerate(kinds):
        if kind == "float":
            values = rng.normal(size=n) * draw(st.sampled_from([1e-3, 1.0, 1e6]))
            values[rng.random(n) < draw(st.sampled_from([0, 0.3, 1.0]))] = np.nan
        elif kind == "int":
            values = rng.integers(0, draw(st.integers(1, 1000)), n)
        elif kind == "text":
            levels = draw(
                st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=6)
            )
            values = np.asarray(rng.choice(levels, n), dtype=object)
        elif kind == "bool":
            values = rng.random(n) < 0.5
        elif kind == "category":
            values = pd.Categorical(
                rng.choice(["a", "b", "c"], n), categories=list("abcd")
            )
        else:
            values = pd.array(
                [None if rng.random() < 0.3 else int(v) for v in rng.integers(0, 5, n)],
                dtype="Int64",
            )
        data[f"col{i}_{kind}"] = values
    frame = pd.DataFrame(data)
    if varying:  # the synthesizers need one varying column (else: a clear error)
        frame["varies"] = np.arange(n) % 2 == 0
    return frame


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(varying=True))
def test_fit_sample_keeps_schema_on_random_tables(X):
    for synth in (
        BiasedVAESynthesizer(**FAST_VAE, random_state=0),
        BiasedCTGAN(**FAST_GAN, random_state=0),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = synth.fit(X).sample(7, random_state=0)
        assert list(out.columns) == list(X.columns) and len(out) == 7
        assert out.dtypes.equals(X.dtypes)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_encoder_round_trip_on_random_tables(X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        enc = TabularEncoder().fit(X)
    back = enc.inverse_transform(enc.transform(X))
    assert back.dtypes.equals(X.dtypes)
    for name in X.columns:
        assert back[name].isna().equals(X[name].isna()), name


@pytest.mark.parametrize("cls", [BiasedVAESynthesizer, BiasedCTGAN])
def test_large_samples_are_drawn_in_chunks(cls, monkeypatch):
    params = FAST_VAE if cls is BiasedVAESynthesizer else FAST_GAN
    synth = cls(**params, random_state=0).fit(BASE)
    whole = synth.sample(50, random_state=1)
    monkeypatch.setattr(base, "SAMPLE_CHUNK", 16)
    calls = []
    original = synth._sample
    monkeypatch.setattr(
        synth, "_sample", lambda n, rng: calls.append(n) or original(n, rng)
    )
    chunked = synth.sample(50, random_state=1)
    assert calls == [16, 16, 16, 2]
    assert chunked.dtypes.equals(whole.dtypes) and chunked.index.equals(whole.index)
    assert (
        not chunked.iloc[:16]
        .reset_index(drop=True)
        .equals(chunked.iloc[16:32].reset_index(drop=True))
    )
