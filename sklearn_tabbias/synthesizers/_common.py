"""Pieces every torch-backed synthesizer shares."""

import io
import warnings
from dataclasses import replace

import torch
from sklearn.utils._param_validation import StrOptions

#: Parameter constraints of the parameters every synthesizer has.
COMMON_CONSTRAINTS = {
    "categorical_features": ["array-like", None],
    "constraints": [list, StrOptions({"auto"}), None],
    "random_state": ["random_state"],
    "device": [str, torch.device],
    "verbose": ["verbose"],
}


def check_device(device):
    """Return ``device`` as a torch.device; a clear error for CUDA without a GPU."""
    try:
        device = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device={device!r} is not a torch device; use 'cpu', 'cuda' or "
            "'cuda:<index>'."
        ) from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={str(device)!r} but torch finds no CUDA GPU; use device='cpu'."
        )
    return device


class TorchPickleMixin:
    """Pickling that carries torch state across devices, as skorch does.

    The fitted attributes (names ending in ``_``, and the private runner) go
    through ``torch.save``. On unpickling, tensors land on their saved device
    when it exists and on the CPU otherwise: a model trained on a GPU loads on a
    CPU-only machine, with a warning and ``device="cpu"``.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: never pop from __dict__
        fitted = {k: state.pop(k) for k in list(state) if _is_fitted_attribute(k)}
        if fitted:
            buffer = io.BytesIO()
            torch.save(fitted, buffer)
            state["_torch_fitted"] = buffer.getvalue()
        return state

    def __setstate__(self, state):
        data = state.pop("_torch_fitted", None)
        if data is not None:
            wanted = torch.device(state.get("device", "cpu"))
            on_cpu = wanted.type == "cuda" and not torch.cuda.is_available()
            fitted = torch.load(
                io.BytesIO(data),
                map_location="cpu" if on_cpu else None,
                weights_only=False,
            )
            if on_cpu:
                warnings.warn(
                    f"This model was saved with device={str(wanted)!r} but torch "
                    "finds no CUDA GPU here: it is loaded on the CPU and its "
                    "device parameter is set to 'cpu'.",
                    UserWarning,
                    stacklevel=2,
                )
                state["device"] = "cpu"
                runner = fitted.get("_runner")
                if runner is not None:
                    runner.settings = replace(
                        runner.settings, device=torch.device("cpu")
                    )
            state.update(fitted)
        super().__setstate__(state)


def _is_fitted_attribute(name):
    return name == "_runner" or (name.endswith("_") and not name.startswith("__"))


def check_varying(encoder):
    """Raise a clear error when every column of the fitted table is constant."""
    if all(kind == "constant" for kind in encoder.kinds_.values()):
        raise ValueError(
            f"Every column of X is constant (or all NaN): {list(encoder.kinds_)}; "
            "there is nothing to learn. Give at least one column that varies."
        )
