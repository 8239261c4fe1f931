"""sample(conditions=...): exact conditions, ranges, partial rows, clear errors."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer
from sklearn_tabbias.codecs import Allowed
from sklearn_tabbias.conditions import Condition, Range, plan
from sklearn_tabbias.nn.conditioning import ConditionedColumns
from sklearn_tabbias.nn.vae import TabularLikelihood
from sklearn_tabbias.synthesizers import _vae_conditional

FAST = dict(bias="none", n_seeds=1, max_epochs=300, min_steps=600, hidden_dim=32)


def _table(n=400, seed=0):
    """``b`` near 0 where ``a`` is "x", near 5 elsewhere; "z" in 4 % of rows."""
    rng = np.random.default_rng(seed)
    a = rng.choice(["x", "y", "z"], n, p=[0.6, 0.36, 0.04])
    b = np.where(a == "x", rng.normal(0, 0.5, n), rng.normal(5, 0.5, n)).round(1)
    return pd.DataFrame(
        {"a": a, "b": b, "c": rng.integers(0, 50, n), "d": rng.random(n) < 0.3}
    )


@pytest.fixture(scope="module")
def fitted():
    return BiasedVAESynthesizer(random_state=0, **FAST).fit(_table())


def test_plan_cycles_lists_and_groups_rows_by_condition():
    groups = plan({"a": ["x", "y"], "b": (1, None)}, 5, ["a", "b", "c"])
    described = {c.describe(): rows.tolist() for c, rows in groups}
    assert described == {
        "{'a': 'x', 'b': [1, ∞)}": [0, 2, 4],
        "{'a': 'y', 'b': [1, ∞)}": [1, 3],
    }


def test_plan_takes_the_cells_of_partial_rows_and_cycles_them():
    rows = pd.DataFrame({"a": ["x", None], "c": [np.nan, 3.0]})
    groups = plan(rows, 3, ["a", "b", "c"])
    described = {c.describe(): r.tolist() for c, r in groups}
    assert described == {"{'a': 'x'}": [0, 2], "{'c': 3.0}": [1]}


@pytest.mark.parametrize(
    "conditions, message",
    [
        ({"q": 1}, "not fitted on: \\['q'\\]"),
        ({"a": (3, 1)}, "low must not exceed high"),
        ({"a": (1, 2, 3)}, "a range is a \\(low, high\\) tuple"),
        ({"a": []}, "empty list"),
        (pd.DataFrame({"a": []}), "empty DataFrame"),
    ],
)
def test_plan_rejects_conditions_it_cannot_read(conditions, message):
    with pytest.raises(ValueError, match=message):
        plan(conditions, 3, ["a", "b"])
    with pytest.raises(TypeError, match="must be a dict"):
        plan([("a", 1)], 3, ["a", "b"])


def test_condition_matches_values_ranges_and_missing_cells():
    frame = pd.DataFrame({"a": ["x", "y", None], "b": [1.0, 5.0, np.nan]})
    assert Condition((("a", "x"),)).matches(frame).tolist() == [True, False, False]
    assert Condition((("b", Range(2, None)),)).matches(frame).tolist() == [
        False,
        True,
        False,
    ]
    assert Condition((("a", None),)).matches(frame).tolist() == [False, False, True]


def test_every_row_meets_its_condition_exactly(fitted):
    sample = fitted.sample(
        60, conditions={"a": ["x", "z"], "b": (4.0, 6.0), "c": 10, "d": True}
    )
    assert sample["a"].tolist() == ["x", "z"] * 30  # cycled in order
    assert sample["b"].between(4.0, 6.0).all()
    assert (sample["c"] == 10).all() and sample["d"].all()
    assert sample.dtypes.equals(_table().dtypes)


def test_the_other_columns_follow_the_model_s_conditional(fitted):
    """Conditioning tilts the latent codes (it does not just overwrite a cell):
    conditional rows look like the model's free rows that meet the condition."""
    free = fitted.sample(40_000, random_state=1)
    means = {}
    for value in ["x", "z"]:
        rows = fitted.sample(2000, conditions={"a": value}, random_state=2)
        means[value] = rows["b"].mean()
        assert abs(means[value] - free["b"][free["a"] == value].mean()) < 0.3
    assert means["z"] > 3 > 1 > means["x"]  # real rows: 5 and 0
    high = fitted.sample(2000, conditions={"b": (4.0, None)}, random_state=2)
    share = (high["a"] == "x").mean()
    assert abs(share - (free["a"][free["b"] >= 4] == "x").mean()) < 0.05
    assert share < 0.2  # real rows: b ≥ 4 only outside "x"


def test_partial_rows_keep_their_cells_and_fill_the_others(fitted):
    rows = pd.DataFrame({"a": ["z", None, "y"], "c": [np.nan, 7, 3]})
    sample = fitted.sample(6, conditions=rows, random_state=0)
    assert sample["a"].iloc[[0, 2, 3, 5]].tolist() == ["z", "y", "z", "y"]
    assert sample["c"].iloc[[1, 2, 4, 5]].tolist() == [7, 3, 7, 3]
    assert sample.notna().all().all()


def test_conditions_on_the_target_of_fit_x_y():
    table = _table()
    synth = BiasedVAESynthesizer(random_state=0, **FAST).fit(
        table.drop(columns="a"), table["a"]
    )
    X, y = synth.sample(20, conditions={"a": "z"}, return_y=True)
    assert (y == "z").all() and list(X.columns) == ["b", "c", "d"]


@pytest.mark.parametrize(
    "conditions, message",
    [
        ({"a": "w"}, "'a' has the value 'w', which was not seen in fit"),
        ({"a": (1, 2)}, "holds categories"),
        ({"b": (100, 200)}, "no value seen in fit lies in the range"),
        ({"c": 3.5}, "on a grid of step 1"),
        ({"b": "high"}, "'high' is not a value of the column"),
        ({"d": None}, "has NaN, which it had not in fit"),
    ],
)
def test_conditions_no_row_of_fit_meets_raise_naming_the_column(
    fitted, conditions, message
):
    with pytest.raises(ValueError, match=message):
        fitted.sample(3, conditions=conditions)


def test_a_condition_the_model_deems_very_rare_is_resampled_with_a_warning(
    fitted, monkeypatch
):
    monkeypatch.setattr(_vae_conditional, "LATENT_BUDGET", 1024)
    monkeypatch.setattr(_vae_conditional, "_BATCH", (1024, 1024))
    with pytest.warns(UserWarning, match="importance resampling"):
        sample = fitted.sample(2000, conditions={"a": "z", "c": 49})
    assert (sample["a"] == "z").all() and (sample["c"] == 49).all()


def test_conditioned_columns_give_exact_probabilities_and_restricted_draws():
    """A categorical block (3 codes) and a continuous column (state + value)."""
    blocks = [
        ("categorical", 0, 3, None),
        ("categorical", 3, 2, 3),
        ("gaussian", 5, 1, 3),
    ]
    likelihood = TabularLikelihood(blocks)
    # outputs: gaussian mean, log std, then the logits of both categorical blocks
    out = torch.tensor([[0.0, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0]])
    columns = ConditionedColumns(
        likelihood,
        [
            (blocks[:1], Allowed(states=np.array([1, 2]))),
            (blocks[1:], Allowed(states=np.array([0]), interval=(0.0, math.inf))),
        ],
    )
    cat = torch.log_softmax(torch.tensor([1.0, 2.0, 3.0]), 0)
    expected = torch.logsumexp(cat[1:], 0) + math.log(0.5) + math.log(0.5)
    assert torch.allclose(columns.log_prob(out), expected.reshape(1))
    x = likelihood.sample(out.expand(500, -1), torch.Generator().manual_seed(0))
    columns.fill(x, out.expand(500, -1), torch.Generator().manual_seed(1))
    assert (x[:, 0] == 0).all() and (x[:, 1:3].sum(1) == 1).all()
    assert (x[:, 3] == 1).all() and (x[:, 5] >= 0).all()
    share = x[:, 2].mean().item()  # code 2 against code 1: e / (1 + e)
    assert abs(share - math.e / (1 + math.e)) < 0.07


def test_ctgan_serves_conditions_and_names_unseen_values():
    synth = BiasedCTGAN(
        bias="none",
        epochs=5,
        embedding_dim=16,
        generator_dim=(32,),
        discriminator_dim=(32,),
        random_state=0,
    ).fit(_table(200))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sample = synth.sample(30, conditions={"a": "x", "c": (10, 40)})
    assert (sample["a"] == "x").all() and sample["c"].between(10, 40).all()
    with pytest.raises(ValueError, match="'w', which was not seen in fit"):
        synth.sample(3, conditions={"a": "w"})


def test_a_synthesizer_pickled_before_conditions_existed_still_takes_them():
    synth = BiasedVAESynthesizer(random_state=0, **dict(FAST, min_steps=0)).fit(
        _table()
    )
    del synth._columns  # as in a model saved before conditional sampling
    assert (synth.sample(5, conditions={"a": "z"})["a"] == "z").all()
