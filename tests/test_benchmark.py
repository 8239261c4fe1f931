import dataclasses
import json

import pandas as pd
import pytest
import torch
from conftest import DATA_HOME

from sklearn_tabbias import cli
from sklearn_tabbias.benchmark import (
    cache,
    command,
    peers,
    report,
    scoring,
    settings,
    tables,
)
from sklearn_tabbias.benchmark.paper import paper_results
from sklearn_tabbias.datasets import fetch_adult

needs_data = pytest.mark.skipif(
    not (DATA_HOME / "adult").exists(), reason="benchmark tables not found"
)

#: Even smaller than the --quick preset: the cells' code paths in seconds.
TINY = dataclasses.replace(
    settings.SETTINGS["quick"],
    name="tiny",
    n_big=400,
    n_samples=300,
    validations=((100, 50, 1),),
    vae=dict(settings.SETTINGS["quick"].vae, max_epochs=5),
)


def _record(scenario, js, kl, model="VAE", seed=0, dataset="adult", route="a"):
    return dict(
        dataset=dataset,
        route=route,
        model=model,
        scenario=scenario,
        seed=seed,
        n_train_rows=300,
        fit_seconds=1.0,
        settings="tiny",
        commit="abc",
        utility_model="hgb",
        utility_metric="accuracy",
        utility_synthetic=0.7,
        utility_real=0.8,
        divergence=[dict(M=7500, L=1000, encoding="ordinal", js=js, kl=kl)],
    )


def test_gains_are_decreases_over_low_data():
    records = [
        _record("Low data", 0.8, 2.0),
        _record("AVG", 0.4, 1.5),
        _record("MAML", 0.9, 2.0),
    ]
    (row,) = report.gains(scoring.results_frame(records), 7500, "ordinal")
    assert row[("AVG", "js")] == pytest.approx((0.4, 0.5))
    assert row[("AVG", "kl")] == pytest.approx((0.5, 0.25))
    assert row[("MAML", "js")][0] == pytest.approx(-0.1)
    assert ("DRS", "js") not in row


def test_paper_gains_match_the_papers_table_2():
    rows = {r["table"]: r for r in report.paper_gains(paper_results())}
    # Table 2, Adult, AVG: JS 0.257 (0.612), KL 0.624 (0.615); King MAML KL -4.949
    assert rows["adult (paper)"][("AVG", "js")] == pytest.approx(
        (0.257, 0.612), abs=1e-3
    )
    assert rows["adult (paper)"][("AVG", "kl")][0] == pytest.approx(0.623, abs=2e-3)
    assert rows["king (paper)"][("MAML", "kl")][0] == pytest.approx(-4.949, abs=1e-3)


def test_average_of_paper_gains_is_table_2s_average_row():
    rows = report.paper_gains(paper_results())[:3]
    average = report.average_gains(rows, "average")
    # Table 2, "Average": Pre-train JS 0.117 (0.227), AVG KL 1.169 (0.393); the
    # paper's 0.227 is not the mean of its rows' 0.567, 0.046, 0.106 (0.240)
    assert average[("Pre-train", "js")] == pytest.approx((0.117, 0.240), abs=2e-3)
    assert average[("AVG", "kl")] == pytest.approx((1.169, 0.393), abs=2e-3)
    assert average[("MAML", "kl")] == pytest.approx((-1.608, -0.234), abs=2e-3)


def test_report_tables_and_markers(tmp_path):
    records = [
        _record(s, js, 1.0, seed=seed)
        for s, js in [("Low data", 0.42), ("AVG", 0.16)]
        for seed in (0, 1)
    ]
    records[1]["divergence"][0]["js"] = 0.44  # two seeds: mean ± std
    markdown = report.report(records, "python -m sklearn_tabbias benchmark")
    assert "Regenerate: `python -m sklearn_tabbias benchmark`" in markdown
    assert "| Low data | 300 | 0.430 ± 0.014 | 0.420 |" in markdown
    assert "| adult (a) | – | – | 0.270 (0.628) |" in markdown
    target = tmp_path / "benchmarks.md"
    target.write_text(f"# B\n\nintro\n{report.START}\nold\n{report.END}\noutro\n")
    report.write_into(target, markdown)
    text = target.read_text()
    assert text.startswith("# B\n\nintro\n") and text.endswith("outro\n")
    assert "old" not in text and markdown in text
    target.write_text("no markers")
    with pytest.raises(ValueError, match="tables:start"):
        report.write_into(target, markdown)


@needs_data
def test_cells_run_resume_and_report(tmp_path, monkeypatch):
    models = ["VAE", "SDV GaussianCopula"]
    monkeypatch.setitem(settings.MODELS, "VAE", ["Big data", "Low data", "AVG"])
    records = cache.run(
        {"adult": ("a", "b")},
        models,
        TINY,
        tmp_path,
        data_home=DATA_HOME,
        progress=False,
    )
    assert len(records) == 2 * 4
    for record in records:
        assert record["n_train_rows"] == (
            400 if record["scenario"] == "Big data" else 300
        )
        (divergence,) = record["divergence"]
        assert divergence["M"] == 100 and 0 <= divergence["js"] <= 1
        assert 0 <= record["utility_synthetic"] <= 1 and record["fit_seconds"] > 0
    assert len(list((tmp_path / "cells").glob("*.json"))) == 8

    def fail(*args):
        raise AssertionError("a cached cell was run again")

    monkeypatch.setattr(cache, "run_cell", fail)
    again = cache.run({"adult": ("a", "b")}, models, TINY, tmp_path, progress=False)
    assert again == records
    markdown = report.report(records, "cmd", plot_path=tmp_path / "js.png")
    assert "## Adult, route (b): raw table, our encoder" in markdown
    assert (tmp_path / "js.png").stat().st_size > 0
    assert all(0 <= r["detection"] <= 1 for r in records)
    assert "| detection AUC | utility | fit s |" in markdown


@needs_data
def test_route_b_rows_are_disjoint():
    table = tables.load_table("adult", "b", settings.SETTINGS["full"], DATA_HOME)
    assert (len(table.small), len(table.real), len(table.big)) == (300, 9500, 10000)
    full, _ = fetch_adult(data_home=DATA_HOME)
    repeated = set(full[full.duplicated()].fillna("?").apply(tuple, axis=1))
    small, real, big = (
        set(f.fillna("?").apply(tuple, axis=1))
        for f in (table.small, table.real, table.big)
    )
    assert (small & real) | (small & big) | (real & big) <= repeated  # same rows twice
    assert table.test.equals(table.real.tail(2000).reset_index(drop=True))


def test_report_shows_detection_and_a_dash_for_cells_without_it():
    old = [_record("Low data", 0.4, 1.0, seed=seed) for seed in (0, 1)]
    new = [
        dict(_record("AVG", 0.2, 1.0, seed=s), detection=d)
        for s, d in [(0, 0.8), (1, 0.9)]
    ]
    markdown = report.report(old + new, "cmd")
    assert "| VAE det. | CTGAN det. |" in markdown
    # AVG: CTGAN utility, its paper value, VAE and CTGAN detection
    assert "| – | – | 0.850 ± 0.071 | – |" in markdown
    assert "| – | 0.682 | – | – |" in markdown  # Low data: no detection yet


@pytest.mark.parametrize("name", sorted(peers.PEERS))
def test_peer_adapters_sample_the_real_tables_columns_and_dtypes(name, adult300):
    adapter, package = peers.PEERS[name], settings.PEER_PACKAGES[name]
    pytest.importorskip(package)
    rows = adult300.head(120)
    params = settings.SETTINGS["quick"].peers[name]
    model = adapter(random_state=0, **params).fit(rows)
    sample = model.sample(50, random_state=1)
    assert sample.shape == (50, rows.shape[1]) and list(sample) == list(rows)
    integers = rows.select_dtypes("integer").columns
    assert (sample[integers] == sample[integers].round()).all().all()
    for column in rows.select_dtypes(exclude="number"):
        seen = set(rows[column].dropna())
        # TabularARGN's default value protection writes rare categories as _RARE_
        assert set(sample[column].dropna()) - seen <= {"_RARE_"}, column


@pytest.mark.parametrize("name", sorted(peers.PEERS))
def test_peer_adapters_keep_numbers_declared_categorical_as_categories(name, adult300):
    # route (a) codes every category as a number: seen as continuous, ARF's
    # synthetic Adult labels were fractions and its utility 0.015 accuracy
    adapter, package = peers.PEERS[name], settings.PEER_PACKAGES[name]
    pytest.importorskip(package)
    rows = adult300.head(120).select_dtypes("number").astype(float)
    rows["income"] = (adult300.head(120)["income"] == ">50K").astype(float)
    rows["workclass"] = pd.factorize(adult300.head(120)["workclass"])[0] * 1.5
    params = settings.SETTINGS["quick"].peers[name]
    model = adapter(
        categorical_features=["income", "workclass"], random_state=0, **params
    ).fit(rows)
    sample = model.sample(50, random_state=1)
    assert sample.dtypes.equals(rows.dtypes)
    for column in ("income", "workclass"):
        assert set(sample[column].dropna()) <= set(rows[column]), column


def test_default_models_are_the_installed_ones(monkeypatch, capsys):
    monkeypatch.setattr(settings.importlib.util, "find_spec", lambda name: None)
    chosen = command._models(None)
    assert "ARF" not in chosen and "VAE" in chosen and "SDV TVAE" in chosen
    assert (
        "skipped: ['ARF', 'ForestDiffusion', 'TabularARGN']" in capsys.readouterr().out
    )
    assert command._models(["VAE", "ARF"]) is None
    assert "sklearn-tabbias[peers]" in capsys.readouterr().out


def test_cli_benchmark_rejects_empty_selection(capsys):
    code = cli.main(["benchmark", "--datasets", "news", "--routes", "b"])
    assert code == 2 and "No (dataset, route) pair" in capsys.readouterr().out
    code = cli.main(["benchmark", "--models", "SDV TVAE", "--scenarios", "Big data"])
    assert code == 2 and "none of --models has a scenario" in capsys.readouterr().out


def test_scenarios_select_cells():
    dataset_routes = {"adult": ("a", "b")}
    full = settings.SETTINGS["full"]
    chosen = cache.cells_for(dataset_routes, ["VAE", "CTGAN"], full, ["Big data"])
    assert {(c["model"], c["scenario"]) for c in chosen} == {
        ("VAE", "Big data"),
        ("CTGAN", "Big data"),
    }
    assert len(chosen) == 2 * 2 * len(full.seeds)
    every = cache.cells_for(dataset_routes, ["CTGAN"], full)
    assert {c["scenario"] for c in every} == set(settings.MODELS["CTGAN"])


def test_cell_file_is_json(tmp_path):
    cell = dict(
        dataset="adult", route="a", model="SDV TVAE", scenario="Low data", seed=1
    )
    path = cache.cell_path(tmp_path, cell)
    assert path.name == "adult-a-SDV_TVAE-Low_data-1.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"x": 1}))
    assert json.loads(path.read_text()) == {"x": 1}


def test_cached_only_reports_what_is_there(tmp_path, monkeypatch, capsys):
    cell = dict(dataset="adult", route="a", model="VAE", scenario="AVG", seed=0)
    path = cache.cell_path(tmp_path, cell)
    path.parent.mkdir()
    path.write_text(json.dumps(_record("AVG", 0.2, 0.5)))
    monkeypatch.setattr(cache, "run_cell", lambda *a: pytest.fail("ran a cell"))
    records = cache.run(
        {"adult": ("a", "b")},
        ["VAE"],
        settings.SETTINGS["full"],
        tmp_path,
        progress=False,
        cached_only=True,
    )
    assert [r["scenario"] for r in records] == ["AVG"]
    argv = ["benchmark", "--cached-only", "--out", str(tmp_path), "--datasets", "adult"]
    assert cli.main([*argv, "--scenarios", "DRS", "--models", "VAE"]) == 2
    assert cli.main([*argv, "--scenarios", "AVG", "--models", "VAE"]) == 0
    assert "AVG" in capsys.readouterr().out
    empty = tmp_path / "empty"
    argv = ["benchmark", "--cached-only", "--datasets", "king", "--out", str(empty)]
    assert cli.main(argv) == 2
    assert "No cached cells" in capsys.readouterr().out


def test_cells_to_verify_picks_the_cheapest_per_commit_and_model():
    records = [
        dict(_record("Low data", 0.1, 0.1), fit_seconds=s, commit=c, scenario=n)
        for c, s, n in [("a1", 5.0, "AVG"), ("a1", 2.0, "Low data"), ("b2", 9.0, "DRS")]
    ]
    chosen = cache.cells_to_verify(records)
    assert [(r["commit"], r["scenario"]) for r in chosen] == [
        ("a1", "Low data"),
        ("b2", "DRS"),
    ]
    assert cache.cell_name(chosen[0]) == "adult-a-VAE-Low_data-0"
    records[0]["platform"] = "another CPU"  # written elsewhere: checked apart
    chosen = cache.cells_to_verify(records)
    assert [(r["commit"], r.get("platform")) for r in chosen] == [
        ("a1", "another CPU"),
        ("a1", None),
        ("b2", None),
    ]


def test_platform_names_the_cpu_and_the_numeric_libraries():
    name = cache.platform_name()
    assert torch.backends.cpu.get_cpu_capability() in name
    assert f"torch {torch.__version__}" in name and "scikit-learn" in name


def test_verify_fails_only_for_drift_on_the_platform_that_wrote_the_cell(
    monkeypatch, capsys
):
    here = cache.platform_name()
    records = [
        dict(_record("Low data", 0.1, 0.1), platform=p, max_abs_diff=d)
        for p, d in [(here, 0.0), ("another CPU", 0.3), (None, 0.2)]
    ]
    monkeypatch.setattr(cache, "run", lambda *args, **kwargs: records)
    monkeypatch.setattr(cache, "verify", lambda chosen, *args, **kwargs: chosen)
    argv = ["benchmark", "--verify", "--datasets", "adult", "--models", "VAE"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("-> same") == 1 and out.count("-> differs") == 2
    assert "cannot tell code drift from rounding" in out
    records[0]["max_abs_diff"] = 0.01
    assert cli.main(argv) == 1
    assert "-> DIFFERENT" in capsys.readouterr().out


@needs_data
def test_verify_reruns_cells_and_finds_changed_numbers(tmp_path, monkeypatch):
    monkeypatch.setitem(settings.MODELS, "VAE", ["Low data"])
    records = cache.run(
        {"adult": ("b",)},
        ["VAE", "SDV GaussianCopula", "SDV TVAE"],
        TINY,
        tmp_path,
        data_home=DATA_HOME,
        progress=False,
    )
    assert {r["platform"] for r in records} == {cache.platform_name()}
    torch_state = torch.get_rng_state()
    results = cache.verify(records, TINY, data_home=DATA_HOME)
    assert [r["max_abs_diff"] for r in results] == [0.0, 0.0, 0.0]
    assert torch.equal(torch.get_rng_state(), torch_state)  # SDV seeded locally
    records[0]["divergence"][0]["kl"] += 0.25
    records[1]["utility_real"] -= 0.5
    del records[2]["detection"]  # a cell from before the detection AUC
    results = cache.verify(records, TINY, data_home=DATA_HOME)
    assert [r["max_abs_diff"] for r in results] == pytest.approx([0.25, 0.5, 0.0])


@pytest.mark.skipif(not (DATA_HOME / "king").exists(), reason="King not found")
def test_route_b_regression_utility_is_scaled_by_the_target_variance():
    table = tables.load_table("king", "b", settings.SETTINGS["full"], DATA_HOME)
    variance = table.real["price"].var()
    mse = dict(_record("AVG", 0.1, 0.1, dataset="king", route="b"))
    mse.update(utility_metric="mse", utility_synthetic=variance, utility_real=0.5)
    accuracy = _record("AVG", 0.1, 0.1, route="b")
    scaled, same = scoring.scale_regression_utility([mse, accuracy], DATA_HOME)
    assert scaled["utility_metric"] == "mse / var(y)"
    assert scaled["utility_synthetic"] == pytest.approx(1.0)
    assert scaled["utility_real"] == pytest.approx(0.5 / variance)
    assert same == accuracy and mse["utility_metric"] == "mse"  # copies


def test_every_model_has_one_builder_and_every_peer_its_package():
    from sklearn_tabbias.benchmark.models import BUILDERS

    assert set(BUILDERS) == set(settings.MODELS)
    assert set(peers.PEERS) == set(settings.PEER_PACKAGES)


def test_forest_diffusion_gets_categories_it_cannot_mix_or_drop(adult300):
    """ForestDiffusion's own dummies mix columns 3 and 13 and lose constant ones."""
    pytest.importorskip("ForestDiffusion")
    rows = adult300.head(120).copy()
    rows["constant"] = "same"  # a category with one level
    for position in (3, 13):  # education and native-country
        assert not pd.api.types.is_numeric_dtype(rows.iloc[:, position])
    params = settings.SETTINGS["quick"].peers["ForestDiffusion"]
    model = peers.ForestDiffusionPeer(random_state=0, **params).fit(rows)
    sample = model.sample(80, random_state=1)
    assert (sample["constant"] == "same").all()
    for column in rows.select_dtypes(exclude="number"):
        assert set(sample[column].dropna()) <= set(rows[column].dropna()), column
