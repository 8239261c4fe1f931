"""The estimator each benchmark model name stands for.

:data:`BUILDERS` maps every name of :data:`~.settings.MODELS` to a function
``(bias, seed, dataset, settings, categorical_features) -> estimator``; peers
are only imported when their cell runs.
"""

from sklearn_tabbias.benchmark import peers
from sklearn_tabbias.benchmark.settings import LATENT_DIM, SCENARIOS
from sklearn_tabbias.synthesizers import BiasedCTGAN, BiasedVAESynthesizer

__all__ = ["BUILDERS", "make_model"]


def _vae(bias, seed, dataset, settings, categorical_features):
    params = {"latent_dim": LATENT_DIM.get(dataset, 10), **settings.vae}
    return BiasedVAESynthesizer(
        bias=bias,
        random_state=seed,
        categorical_features=categorical_features,
        **params,
    )


def _ctgan(bias, seed, dataset, settings, categorical_features):
    return BiasedCTGAN(
        bias=bias,
        random_state=seed,
        categorical_features=categorical_features,
        **settings.ctgan,
    )


def _sdv(kind):
    def build(bias, seed, dataset, settings, categorical_features):
        return peers.SDVPeer(
            kind,
            categorical_features=categorical_features,
            random_state=seed,
            **settings.sdv,
        )

    return build


def _peer(name):
    def build(bias, seed, dataset, settings, categorical_features):
        return peers.PEERS[name](
            categorical_features=categorical_features,
            random_state=seed,
            **settings.peers.get(name, {}),
        )

    return build


#: Model name -> the function that builds its estimator.
BUILDERS = {
    "VAE": _vae,
    "CTGAN": _ctgan,
    **{f"SDV {kind}": _sdv(kind) for kind in ("GaussianCopula", "TVAE", "CTGAN")},
    **{name: _peer(name) for name in peers.PEERS},
}


def make_model(cell, settings, table):
    """The estimator of one cell (its bias from the cell's scenario)."""
    bias, _ = SCENARIOS[cell["scenario"]]
    return BUILDERS[cell["model"]](
        bias, cell["seed"], cell["dataset"], settings, table.categorical_features
    )
