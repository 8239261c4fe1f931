"""The VAE's output distributions under conditions on some of the columns.

Given a latent code, the columns of the VAE are independent, so conditioning is
exact in two steps: the probability that a row drawn from a code meets the
conditions (:meth:`ConditionedColumns.log_prob`, which tilts the latent codes)
and draws of the conditioned columns restricted to what the conditions allow
(:meth:`ConditionedColumns.fill`): categories and states from their renormalised
probabilities, a scaled value from its normal truncated to the interval.
"""

import math
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from sklearn_tabbias.nn.vae import LOG_STD_MAX, LOG_STD_MIN

__all__ = ["ConditionedColumns"]


@dataclass
class _Column:
    """One conditioned column: its discrete block and its gaussian block."""

    states_in: torch.Tensor | None  # input positions of the discrete block
    states_out: torch.Tensor | None  # its decoder outputs (logits)
    allowed: torch.Tensor | None  # allowed codes of the discrete block
    binary: bool  # the discrete block is one bernoulli column
    gauss_in: int | None  # input position of the scaled value
    gauss_out: torch.Tensor | None  # (mean, log std) outputs
    interval: tuple  # bounds of the scaled value


class ConditionedColumns:
    """Log-probability and restricted draws of conditioned columns.

    Parameters
    ----------
    likelihood : TabularLikelihood
        The network's likelihood (its output layout).
    columns : list of (list of (kind, start, width, gate), Allowed)
        Each conditioned column's blocks and what its condition allows.
    """

    def __init__(self, likelihood, columns):
        self.columns = [
            _column(likelihood, blocks, allowed)
            for blocks, allowed in columns
            if blocks and (allowed.states is not None or allowed.interval is not None)
        ]

    def log_prob(self, out):
        """Log-probability that a row decoded from ``out`` meets every condition."""
        total = torch.zeros(out.shape[:-1], dtype=out.dtype, device=out.device)
        for column in self.columns:
            total = total + torch.logsumexp(_entries(column, out), dim=-1)
        return total

    def fill(self, x, out, generator):
        """Redraw the conditioned columns of sampled rows ``x`` (in place)."""
        for column in self.columns:
            entries = _entries(column, out)
            noise = torch.rand(entries.shape, generator=generator).to(out)
            gumbel = -torch.log(-torch.log(noise.clamp(1e-12, 1 - 1e-7)))
            choice = (entries + gumbel).argmax(dim=-1)
            value_state = _fill_states(column, x, choice)
            if column.gauss_in is not None:
                drawn = _truncated_normal(column, out, generator)
                x[..., column.gauss_in] = torch.where(value_state, drawn, 0.0)
        return x


def _column(likelihood, blocks, allowed):
    discrete = [b for b in blocks if b[0] != "gaussian"]
    gauss = [b for b in blocks if b[0] == "gaussian"]
    column = _Column(None, None, None, False, None, None, (-math.inf, math.inf))
    if discrete:
        kind, start, width, _ = discrete[0]
        column.states_in = torch.arange(start, start + width)
        column.states_out = likelihood.outputs_of(start)
        column.binary = kind == "bernoulli"
        codes = range(2 if column.binary else width)
        column.allowed = torch.as_tensor(
            list(codes) if allowed.states is None else allowed.states
        )
    if gauss:
        column.gauss_in = gauss[0][1]
        column.gauss_out = likelihood.outputs_of(gauss[0][1])
        if allowed.interval is not None:
            column.interval = allowed.interval
    return column


def _entries(column, out):
    """Log-probability of each allowed code of the column's discrete block.

    The "value" state is tilted by the mass of its interval; a column without
    a discrete block has one entry, the mass.
    """
    if column.states_out is None:
        return _log_mass(column, out).unsqueeze(-1)
    logits = out[..., column.states_out]
    if column.binary:
        log_p = torch.cat(
            [F.logsigmoid(-logits), F.logsigmoid(logits)],
            dim=-1,
        )
    else:
        log_p = torch.log_softmax(logits, dim=-1)
    entries = log_p[..., column.allowed]
    if column.gauss_in is not None:  # state 0 is the column's "value" state
        tilt = torch.where(column.allowed == 0, 1.0, 0.0).to(out)
        entries = entries + tilt * _log_mass(column, out).unsqueeze(-1)
    return entries


def _normal(column, out):
    mean = out[..., column.gauss_out[0]]
    std = torch.exp(out[..., column.gauss_out[1]].clamp(LOG_STD_MIN, LOG_STD_MAX))
    low, high = column.interval
    return mean, std, (low - mean) / std, (high - mean) / std


def _log_mass(column, out):
    """Log-probability of the scaled value's interval under its normal."""
    _, _, a, b = _normal(column, out)
    mass = torch.special.ndtr(b) - torch.special.ndtr(a)
    return torch.log(mass.clamp(min=1e-30))


def _truncated_normal(column, out, generator):
    """Draws of the scaled value from its normal truncated to the interval."""
    mean, std, a, b = _normal(column, out)
    low, high = torch.special.ndtr(a), torch.special.ndtr(b)
    u = low + (high - low) * torch.rand(mean.shape, generator=generator).to(out)
    drawn = mean + std * torch.special.ndtri(u.clamp(1e-7, 1 - 1e-7))
    return drawn.clamp(*column.interval)


def _fill_states(column, x, choice):
    """Write the chosen codes; whether each row took its "value" state."""
    if column.states_in is None:
        return torch.ones(choice.shape, dtype=torch.bool, device=x.device)
    code = column.allowed.to(x.device)[choice]
    if column.binary:
        x[..., column.states_in[0]] = code.to(x.dtype)
    else:
        block = torch.zeros((*code.shape, len(column.states_in)), dtype=x.dtype)
        block.scatter_(-1, code.unsqueeze(-1).cpu(), 1.0)
        x[..., column.states_in] = block.to(x.device)
    return code == 0
