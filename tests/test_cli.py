import json

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

from sklearn_tabbias.cli import build_parser, main


def test_parser_knows_demo():
    args = build_parser().parse_args(["demo", "--bias", "none", "-n", "5"])
    assert args.bias == ["none"] and args.n_samples == 5


def test_unknown_command_exits_with_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["nope"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.slow
def test_demo_runs(capsys):
    assert main(["demo", "--bias", "none", "-n", "20"]) == 0
    out = capsys.readouterr().out
    assert "bias='none'" in out and "JS = " in out and "accuracy: synthetic" in out


TINY_PARAMS = [
    "--param",
    "max_epochs=3",
    "--param",
    "hidden_dim=16",
    "--param",
    "patience=2",
]


@pytest.fixture
def table_csv(tmp_path, adult300):
    path = tmp_path / "real.csv"
    adult300.head(120).to_csv(path, index=False)
    return path


def test_fit_sample_evaluate_round_trip(tmp_path, table_csv, adult300, capsys):
    model = tmp_path / "model.joblib"
    code = main(
        [
            "fit",
            str(table_csv),
            "--bias",
            "avg",
            "--n-seeds",
            "2",
            "--target",
            "income",
            "--random-state",
            "0",
            "-o",
            str(model),
            *TINY_PARAMS,
        ]
    )
    assert code == 0 and model.exists()
    out = capsys.readouterr().out
    assert "BiasedVAESynthesizer(" in out and "n_seeds=2" in out and "saved to" in out
    synth = tmp_path / "synth.csv"
    assert main(["sample", str(model), "-n", "50", "-o", str(synth)]) == 0
    rows = pd.read_csv(synth)
    assert list(rows.columns) == list(adult300.columns) and len(rows) == 50
    assert set(rows["income"]) <= set(adult300["income"])
    given = ["--condition", "income=>50K", "--condition", "age=(30, 40)"]
    some = tmp_path / "conditioned.csv"
    assert main(["sample", str(model), "-n", "20", "-o", str(some), *given]) == 0
    rows = pd.read_csv(some)
    assert (rows["income"] == ">50K").all() and rows["age"].between(30, 40).all()
    code = main(["sample", str(model), "-n", "5", "-o", str(some), "--condition", "x"])
    assert code == 2 and "--condition expects NAME=VALUE" in capsys.readouterr().err
    held_out = tmp_path / "held_out.csv"
    adult300.tail(150).to_csv(held_out, index=False)
    code = main(
        [
            "evaluate",
            str(held_out),
            str(synth),
            "--target",
            "income",
            "--train",
            str(table_csv),
            "--n-train",
            "40",
            "--n-eval",
            "10",
            "--n-repeats",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "JS = " in out and "accuracy: synthetic" in out


def test_fit_passes_only_given_options(table_csv, tmp_path, monkeypatch):
    import joblib

    from sklearn_tabbias import BiasedVAESynthesizer

    seen = {}

    def record(self, X, y=None):
        seen.update(self.get_params())
        return self

    monkeypatch.setattr(BiasedVAESynthesizer, "fit", record)
    monkeypatch.setattr(joblib, "dump", lambda model, path: None)
    out = str(tmp_path / "m.joblib")
    assert main(["fit", str(table_csv), "-o", out, "--param", "latent_dim=3"]) == 0
    defaults = BiasedVAESynthesizer().get_params()
    assert seen == {**defaults, "latent_dim": 3}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fit", "missing.csv", "-o", "m"], "missing.csv: no such file"),
        (["fit", "{data}", "-o", "m", "--target", "nope"], "no column 'nope'"),
        (["fit", "{data}", "-o", "m", "--param", "nope=1"], "no parameter 'nope'"),
        (["fit", "{data}", "-o", "m", "--param", "oops"], "expects NAME=VALUE"),
        (["fit", "{data}", "-o", "m", "--bias", "magic"], "'bias' parameter"),
        (["fit", "{data}", "-o", "m", "--categorical", "zz"], "no column 'zz'"),
        (["sample", "{data}", "-n", "5", "-o", "s.csv"], "not a saved model"),
        (["sample", "nope.joblib", "-n", "5", "-o", "s.csv"], "no such file"),
        (["evaluate", "{data}", "{other}"], "different columns"),
        (["evaluate", "{data}", "{data}", "--target", "zz"], "no column 'zz'"),
        (["evaluate", "{empty}", "{data}"], "no rows"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv, message, table_csv, tmp_path, capsys):
    other = tmp_path / "other.csv"
    pd.DataFrame({"a": [1, 2]}).to_csv(other, index=False)
    empty = tmp_path / "empty.csv"
    empty.write_text("age,income\n")
    names = dict(data=table_csv, other=other, empty=empty)
    argv = [a.format(**names) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tabbias {argv[0]}: error:") and message in err


def test_sample_rejects_a_model_that_is_not_a_synthesizer(tmp_path, capsys):
    path = tmp_path / "scaler.joblib"
    joblib.dump(StandardScaler(), path)
    assert main(["sample", str(path), "-n", "3", "-o", str(tmp_path / "x.csv")]) == 2
    assert "holds a StandardScaler, not a synthesizer" in capsys.readouterr().err


def test_evaluate_reports_privacy_with_train(tmp_path, adult300, capsys):
    real, train = tmp_path / "real.csv", tmp_path / "train.csv"
    adult300.tail(150).to_csv(real, index=False)
    adult300.head(150).to_csv(train, index=False)
    synthetic = tmp_path / "copy.csv"
    adult300.head(150).to_csv(synthetic, index=False)  # a "synthesizer" that copies
    argv = ["evaluate", str(real), str(synthetic), "--n-train", "40", "--n-eval", "10"]
    assert main([*argv, "--train", str(train)]) == 0
    out = capsys.readouterr().out
    assert "privacy: DCR ratio 0.000" in out and "synthetic 100.00%" in out
    assert main(argv) == 0 and "privacy" not in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"a": [1, 2]}).to_csv(bad, index=False)
    assert main([*argv, "--train", str(bad)]) == 2
    assert (
        "bad.csv and the real table have different columns" in capsys.readouterr().err
    )


def test_fit_keeps_the_rules_of_a_constraints_file(tmp_path, table_csv, capsys):
    rules = tmp_path / "rules.json"
    pair = ["education", "education-num"]
    rules.write_text(json.dumps([{"type": "FixedCombinations", "columns": pair}]))
    model, rows = tmp_path / "model.joblib", tmp_path / "rows.csv"
    argv = ["fit", str(table_csv), "-o", str(model), "--constraints", str(rules)]
    assert main([*argv, "--bias", "none", *TINY_PARAMS]) == 0
    assert main(["sample", str(model), "-n", "200", "-o", str(rows)]) == 0
    seen = set(map(tuple, pd.read_csv(table_csv)[pair].drop_duplicates().to_numpy()))
    assert set(map(tuple, pd.read_csv(rows)[pair].to_numpy())) <= seen
    rules.write_text(json.dumps([{"type": "Sometimes", "columns": pair}]))
    assert main([*argv, *TINY_PARAMS]) == 2
    assert "is not a constraint" in capsys.readouterr().err


def test_fit_notes_the_rules_it_found_without_a_python_warning(
    tmp_path, table_csv, capsys
):
    argv = ["fit", str(table_csv), "-o", str(tmp_path / "m.joblib"), "--bias", "none"]
    assert main([*argv, *TINY_PARAMS]) == 0
    err = capsys.readouterr().err
    assert "note: constraints='auto': the columns ['education', 'education-num']" in err
    assert "Warning" not in err and "--param constraints=None" in err
    assert main([*argv, *TINY_PARAMS, "--param", "constraints=None"]) == 0
    assert "note:" not in capsys.readouterr().err


def test_csv_options_read_and_write_real_world_files(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 60
    table = pd.DataFrame(
        {
            "city": rng.choice(["Zürich", "Genève", "?"], n),
            "price": rng.normal(1000, 100, n).round(1),
            "day": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 90, n), "D"),
        }
    )
    path = tmp_path / "latin.csv"
    table.to_csv(path, sep=";", decimal=",", index=False, encoding="latin-1")
    model, rows = tmp_path / "model.joblib", tmp_path / "rows.csv"
    csv = ["--sep", ";", "--decimal", ",", "--file-encoding", "latin-1"]
    fit = ["fit", str(path), "-o", str(model), "--bias", "none", *TINY_PARAMS]
    assert main(fit) == 2 and "latin-1" in capsys.readouterr().err
    options = [*csv, "--na-values", "?", "--dates", "day"]
    assert main([*fit, *options]) == 0
    capsys.readouterr()
    assert main(["sample", str(model), "-n", "30", "-o", str(rows), *csv]) == 0
    back = pd.read_csv(rows, sep=";", decimal=",", encoding="latin-1")
    assert set(back["city"].dropna()) <= {"Zürich", "Genève"}
    assert back["price"].dtype == float and back["city"].isna().any()
    days = pd.to_datetime(back["day"])
    assert (days == days.dt.normalize()).all()  # whole days, as read


def test_missing_output_folders_and_bad_devices_fail_before_the_work(
    tmp_path, table_csv, capsys
):
    lost = tmp_path / "missing" / "model.joblib"
    assert main(["fit", str(table_csv), "-o", str(lost), *TINY_PARAMS]) == 2
    assert "does not exist" in capsys.readouterr().err
    model = tmp_path / "model.joblib"
    argv = ["fit", str(table_csv), "-o", str(model), "--bias", "none"]
    assert main([*argv, "--device", "gpu", *TINY_PARAMS]) == 2
    assert "'gpu' is not a torch device" in capsys.readouterr().err
    assert main([*argv, *TINY_PARAMS]) == 0
    rows = tmp_path / "missing" / "rows.csv"
    assert main(["sample", str(model), "-n", "5", "-o", str(rows)]) == 2
    assert "does not exist" in capsys.readouterr().err
