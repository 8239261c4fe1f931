"""Exploration: the benchmark's VAE cells with the recipe changed.

Runs a scenario's cells (``SETTINGS["full"]``, seeds 0-2) with some
parameters of ``BiasedVAESynthesizer`` set otherwise (``--set``, e.g.
``learning_rate=1e-3``) and/or the fine-tuning phase of any bias at another
number of steps before early stopping may keep an epoch (``--finetune``; 0:
plain early stopping, the old rule). The recipe of Dec 2026 fine-tuned every
bias's θ0 for ``min_steps=1000`` steps on the 240 training rows; since commit
805cb23 a trained start ("pretrain", "drs") takes ``finetune_min_steps=300``,
and ``--finetune`` also reaches "avg" and "maml", which the library fine-tunes
for ``min_steps`` (it patches ``VAERunner.train`` for the ``"finetune"`` phase:
an experiment, not a setting of the library). One JSON line per cell: JS
(M=7500, L=1000, ordinal), detection AUC, utility and fit seconds.

    OMP_NUM_THREADS=1 python benchmarks/finetune_steps.py adult a Pre-train --finetune 0
    OMP_NUM_THREADS=1 python benchmarks/finetune_steps.py news a "Big data" \\
        --set learning_rate=1e-3
"""

import argparse
import json
import warnings
from dataclasses import replace

from small_data import parse_set

from sklearn_tabbias.benchmark.cache import run_cell
from sklearn_tabbias.benchmark.settings import SETTINGS
from sklearn_tabbias.benchmark.tables import load_table
from sklearn_tabbias.synthesizers._vae_runner import VAERunner


def patch_finetune(min_steps):
    """Make every ``"finetune"`` phase take ``min_steps`` before it may stop."""
    original = VAERunner.train

    def train(self, train, val, n_members, init_state=None, phase="seed", rows=None):
        saved = self.settings
        if phase == "finetune":
            self.settings = replace(saved, finetune_min_steps=min_steps)
        try:
            return original(self, train, val, n_members, init_state, phase, rows)
        finally:
            self.settings = saved

    VAERunner.train = train


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("route")
    parser.add_argument("scenario")
    parser.add_argument("--finetune", type=int, help="fine-tuning steps, any bias")
    parser.add_argument("--set", nargs="*", default=[], help="name=value")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    params = parse_set(args.set)
    label = dict(params)
    if args.finetune is not None:
        patch_finetune(args.finetune)
        label["min_steps"] = args.finetune  # the records' name for it
    settings = SETTINGS["full"]
    settings = replace(settings, vae={**settings.vae, **params})
    table = load_table(args.dataset, args.route, settings)
    for seed in settings.seeds:
        cell = dict(
            dataset=args.dataset,
            route=args.route,
            model="VAE",
            scenario=args.scenario,
            seed=seed,
        )
        record = run_cell(cell, table, settings)
        js = [d["js"] for d in record["divergence"] if d["M"] == 7500][0]
        keep = ("detection", "utility_synthetic", "fit_seconds")
        print(
            json.dumps(
                dict(cell, **label, js=js, **{k: record.get(k) for k in keep}),
                default=repr,
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
