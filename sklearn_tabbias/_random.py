"""Seeding of code that draws from numpy's and torch's global generators."""

import contextlib

import numpy as np
import torch

__all__ = ["seeded_globals"]


@contextlib.contextmanager
def seeded_globals(seed):
    """A context that seeds numpy's and torch's global generators with ``seed``.

    For code that draws from the global generators (ctgan, SDV, arfpy,
    ForestDiffusion): the caller's global state comes back when the context
    ends.

    Examples
    --------
    >>> import numpy as np
    >>> with seeded_globals(0):
    ...     first = np.random.rand()
    >>> with seeded_globals(0):
    ...     bool(np.random.rand() == first)
    True
    """
    # the legacy global generator is what this context exists to seed
    saved = np.random.get_state(), torch.get_rng_state()  # noqa: NPY002
    np.random.set_state(np.random.RandomState(seed).get_state())  # noqa: NPY002
    torch.set_rng_state(torch.Generator().manual_seed(seed).get_state())
    try:
        yield
    finally:
        np.random.set_state(saved[0])  # noqa: NPY002
        torch.set_rng_state(saved[1])
