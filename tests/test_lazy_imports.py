"""Importing the package and listing the CLI's options stay light (issue #17)."""

import subprocess
import sys

import pytest

HEAVY = ("torch", "ctgan", "rdt", "sdv")


def _loaded_after(code):
    report = f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    probe = f"import sys\n{code}\n{report}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import sklearn_tabbias",
        "from sklearn_tabbias import cli; cli.build_parser()",
    ],
)
def test_package_and_cli_parser_load_neither_torch_nor_sdv(code):
    assert _loaded_after(code) == set()


def test_the_vae_does_not_load_sdvs_packages():
    assert _loaded_after("from sklearn_tabbias import BiasedVAESynthesizer") == {
        "torch"
    }


def test_lazy_names_are_the_real_objects():
    import sklearn_tabbias
    from sklearn_tabbias.synthesizers.vae import BiasedVAESynthesizer

    assert sklearn_tabbias.BiasedVAESynthesizer is BiasedVAESynthesizer
    assert set(sklearn_tabbias.__all__) <= set(dir(sklearn_tabbias))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sklearn_tabbias.nope  # noqa: B018
