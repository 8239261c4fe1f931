"""Exploration: does the fine-tuning phase need the recipe's ``min_steps``?

The recipe of Dec 2026 fine-tuned every bias's θ0 for at least
``min_steps=1000`` optimiser steps on the 240 training rows; since then a
trained start ("pretrain", "drs") takes ``finetune_min_steps=300``. This
script runs a scenario's cells (``SETTINGS["full"]``, seeds 0-2) with the
fine-tuning phase of any bias at another number of steps (0: plain early
stopping, the old rule) and prints one JSON line per cell: JS (M=7500,
L=1000, ordinal), detection AUC, utility and fit seconds. It patches
``VAERunner.train`` for the ``"finetune"`` phase only (also after "avg" and
"maml", which the library fine-tunes for ``min_steps``).

    OMP_NUM_THREADS=1 python benchmarks/finetune_steps.py 0 adult a Pre-train
"""

import json
import sys
import warnings
from dataclasses import replace

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
    min_steps, dataset, route, scenario = sys.argv[1:5]
    warnings.simplefilter("ignore")
    patch_finetune(int(min_steps))
    settings = SETTINGS["full"]
    table = load_table(dataset, route, settings)
    for seed in settings.seeds:
        cell = dict(
            dataset=dataset, route=route, model="VAE", scenario=scenario, seed=seed
        )
        record = run_cell(cell, table, settings)
        js = [d["js"] for d in record["divergence"] if d["M"] == 7500][0]
        keep = ("detection", "utility_synthetic", "fit_seconds")
        print(
            json.dumps(
                dict(
                    cell,
                    min_steps=int(min_steps),
                    js=js,
                    **{k: record.get(k) for k in keep},
                )
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
