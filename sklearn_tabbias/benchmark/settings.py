"""What a benchmark run is made of: scenarios, models, tables' routes and sizes.

Plain data with no heavy imports, so the command line can list the choices
without loading torch.
"""

import importlib.util
from dataclasses import dataclass, field

__all__ = [
    "CELL_KEYS",
    "PEER_PACKAGES",
    "LATENT_DIM",
    "MODELS",
    "PAPER_MODEL",
    "ROUTES",
    "SCENARIOS",
    "SETTINGS",
    "Settings",
    "installed",
]

#: Scenario -> (bias, training rows); the paper's six VAE and three CTGAN rows.
SCENARIOS = {
    "Big data": ("none", "big"),
    "Low data": ("none", "small"),
    "Pre-train": ("pretrain", "small"),
    "AVG": ("avg", "small"),
    "MAML": ("maml", "small"),
    "DRS": ("drs", "small"),
}
#: Model -> the scenarios it runs.
MODELS = {
    "VAE": list(SCENARIOS),
    "CTGAN": ["Big data", "Low data", "Pre-train"],
    "SDV GaussianCopula": ["Low data"],
    "SDV TVAE": ["Low data"],
    "SDV CTGAN": ["Low data"],
    "ARF": ["Low data"],
    "ForestDiffusion": ["Low data"],
    "TabularARGN": ["Low data"],
}
#: Models of the optional ``peers`` extra -> the package each imports.
PEER_PACKAGES = {
    "ARF": "arfpy",
    "ForestDiffusion": "ForestDiffusion",
    "TabularARGN": "mostlyai",
}
#: Table -> its data routes: (a) the authors' splits, (b) the raw table.
ROUTES = {
    "adult": ("a", "b"),
    "king": ("a", "b"),
    "letter": ("b",),
    "news": ("a",),
    "intrusion": ("a",),
}
#: What identifies a cell (its cache file name is made of these).
CELL_KEYS = ("dataset", "route", "model", "scenario", "seed")
#: The paper's latent dimensions (§3.3); 10 elsewhere.
LATENT_DIM = {"king": 15, "news": 20}


@dataclass
class Settings:
    """Sizes of one benchmark run (``full`` is the paper's protocol)."""

    name: str
    n_small: int = 300
    n_big: int = 10_000
    n_samples: int = 10_000
    seeds: tuple = (0, 1, 2)
    validations: tuple = ((7500, 1000, 1), (100, 100, 10))  # (M, L, repeats)
    encodings: tuple = ("ordinal", "onehot")
    utility_model: str = "paper"  # the paper's MLP / linear regression
    vae: dict = field(default_factory=dict)
    ctgan: dict = field(default_factory=dict)
    sdv: dict = field(default_factory=dict)
    peers: dict = field(default_factory=dict)  # model -> its settings


#: The paper's models learn every column: no constraint detected at fit time
#: (the library's default is ``constraints="auto"``).
PAPER_MODEL = dict(constraints=None)

SETTINGS = {
    # the paper's S = 10 seed runs, each fine-tuned (the library's defaults are
    # fewer runs: docs/benchmarks.md, "How many seed runs does AVG need?")
    "full": Settings(
        "full",
        vae=dict(n_seeds=10, n_finetune_runs=None, **PAPER_MODEL),
        ctgan=dict(PAPER_MODEL),
    ),
    "quick": Settings(
        "quick",
        n_big=1000,
        n_samples=1200,
        seeds=(0,),
        validations=((500, 200, 1), (100, 100, 2)),
        encodings=("ordinal",),
        utility_model="hgb",
        vae=dict(
            n_seeds=2,
            max_epochs=20,
            patience=5,
            hidden_dim=32,
            pretrain_samples=500,
            maml_meta_iterations=3,
            maml_inner_steps=2,
            **PAPER_MODEL,
        ),
        ctgan=dict(
            n_seeds=2, epochs=3, pretrain_samples=500, pretrain_epochs=2, **PAPER_MODEL
        ),
        sdv=dict(epochs=3),
        peers={
            "ARF": dict(num_trees=5, max_iters=1),
            "ForestDiffusion": dict(n_t=3, duplicate_K=2, n_estimators=5),
            "TabularARGN": dict(max_epochs=1),
        },
    ),
}


def installed(model):
    """Whether ``model`` can run here (a peer of the extra needs its package)."""
    package = PEER_PACKAGES.get(model)
    return package is None or importlib.util.find_spec(package) is not None
