"""Pieces every torch-backed synthesizer shares."""

import torch

#: Parameter constraints of the parameters every synthesizer has.
COMMON_CONSTRAINTS = {
    "categorical_features": ["array-like", None],
    "random_state": ["random_state"],
    "device": [str, torch.device],
    "verbose": ["verbose"],
}


def check_device(device):
    """Return ``device`` as a torch.device; a clear error for CUDA without a GPU."""
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={str(device)!r} but torch finds no CUDA GPU; use device='cpu'."
        )
    return device
