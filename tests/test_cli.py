import pytest

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
