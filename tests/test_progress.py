import pytest
from conftest import TINY

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer


@pytest.mark.parametrize("bias", ["avg", "maml"])
def test_verbose_vae_shows_a_bar_per_phase(adult300, capsys, bias):
    BiasedVAESynthesizer(bias=bias, verbose=1, random_state=0, **TINY).fit(
        adult300.head(80)
    )
    err = capsys.readouterr().err
    assert "seed (3 runs)" in err and "best_val_loss=" in err and "running=" in err
    assert "finetune (1 run)" in err  # n_finetune_runs' default
    assert ("maml" in err and "query_loss=" in err) == (bias == "maml")
    assert "[sklearn_tabbias] seed: 3 run(s)" in err  # the log lines too


def test_quiet_by_default(adult300, capsys):
    BiasedVAESynthesizer(random_state=0, **TINY).fit(adult300.head(80))
    BiasedCTGAN(bias="none", epochs=2, random_state=0).fit(adult300.head(60))
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_verbose_ctgan_shows_losses(adult300, capsys):
    BiasedCTGAN(bias="none", epochs=2, verbose=1, random_state=0).fit(adult300.head(60))
    err = capsys.readouterr().err
    assert "ctgan seed" in err and "loss_g=" in err and "loss_d=" in err
