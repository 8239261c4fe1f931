"""Early stopping of VAE runs after a minimum number of optimiser steps.

On a few hundred rows an epoch is one or two gradient steps, and the
validation loss (negative ELBO) turns upward after a few dozen of them: the
network starts to overfit before its decoder uses the latent code for the
links between columns. A run stopped there samples good marginals and a label
independent of the features (Letter, 300 rows: synthetic-trained accuracy at
chance). The samples keep improving for hundreds of steps more while the
validation loss rises (measured in ``docs/benchmarks.md``, "The small-data
recipe"), so a run only starts to wait for a better validation loss, and only
keeps an epoch, once it has taken ``min_steps`` optimiser steps. On large
tables, where an epoch is many steps, the rule changes nothing.
"""

import numpy as np
import torch

__all__ = ["FINETUNE_MIN_STEPS", "MIN_STEPS", "EarlyStopping"]

#: Default of ``BiasedVAESynthesizer(min_steps=...)``.
MIN_STEPS = 1000
#: Default of ``BiasedVAESynthesizer(finetune_min_steps=...)``: fine-tuning a
#: trained start for ``MIN_STEPS`` steps on 240 rows undid what pre-training
#: taught (Adult, route a: Pre-train JS 0.146 against 0.124 at 300 steps),
#: while 300 steps kept Letter's gain (docs/benchmarks.md).
FINETUNE_MIN_STEPS = 300


class EarlyStopping:
    """Best state per member by validation loss, after ``min_steps`` steps.

    Parameters
    ----------
    state : dict of Tensor
        Batched state of all members (copied into as members improve).
    patience : int
        Epochs without improvement after which a member stops.
    min_steps : int
        Optimiser steps before which no epoch is kept and no patience counts.
    steps_per_epoch : int
        Optimiser steps of one epoch.
    max_epochs : int
        Epochs of a run at most: the last one is kept in any case.
    """

    def __init__(self, state, patience, min_steps, steps_per_epoch, max_epochs):
        n_members = next(iter(state.values())).shape[0]
        self.state = state
        self.patience = patience
        first = -(-min_steps // steps_per_epoch) - 1  # the epoch reaching min_steps
        self.first_epoch = min(max(first, 0), max_epochs - 1)
        self.score = np.full(n_members, np.inf)
        self.epoch = np.zeros(n_members, dtype=int)
        self.waited = np.zeros(n_members, dtype=int)

    def update(self, module, active, val_loss, epoch):
        """Record the epoch's validation losses of the active members.

        Members that set a new best have their weights kept.

        Returns
        -------
        stopped : ndarray of bool, shape (len(active),)
            Which active members have run out of patience.
        """
        if epoch < self.first_epoch:
            return np.zeros(len(active), dtype=bool)
        improved = val_loss < self.score[active]
        if improved.any():
            members = active[improved]
            device = module.enc_w1.device
            rows = torch.as_tensor(np.flatnonzero(improved), device=device)
            for name, param in module.named_parameters():
                self.state[name][members] = param.detach()[rows]
            self.score[members] = val_loss[improved]
            self.epoch[members] = epoch
        self.waited[active] = np.where(improved, 0, self.waited[active] + 1)
        return self.waited[active] >= self.patience
