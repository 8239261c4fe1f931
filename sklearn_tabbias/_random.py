"""Seeding of code that draws from numpy's and torch's global generators."""

import numpy as np
import torch
from ctgan.synthesizers.base import set_random_states

__all__ = ["seeded_globals"]


def _keep_nothing(state):
    """Callback for ``set_random_states``: the caller keeps its own seeds."""


def seeded_globals(seed):
    """A context that seeds numpy's and torch's global generators with ``seed``.

    For code that draws from the global generators (ctgan, SDV, arfpy,
    ForestDiffusion): the caller's global state comes back when the context
    ends.
    """
    states = (np.random.RandomState(seed), torch.Generator().manual_seed(seed))
    return set_random_states(states, _keep_nothing)
