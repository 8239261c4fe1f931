"""Conditional sampling of a fitted VAE-BGM: latent codes tilted by the conditions.

A code z from the latent prior is kept with the probability that a row decoded
from it meets the conditions, p(c | z) (exact rejection sampling of p(z | c):
its acceptance rate is the model's probability of the conditions); the
conditioned columns of its row are then drawn from their distributions given z
restricted to what the conditions allow, the other columns as usual. Nothing
is rejected after decoding, so a condition that holds in 1 % of the rows costs
about 100 latent codes per row, which the decoder scores in one batched pass.
When ``LATENT_BUDGET`` codes are drawn before enough are kept (a condition the
model deems very rare), the remaining rows come from importance resampling of
the codes drawn, weighted by p(c | z).
"""

from dataclasses import dataclass

import numpy as np
import torch

from sklearn_tabbias._validation import MAX_SEED
from sklearn_tabbias.nn.conditioning import ConditionedColumns

__all__ = ["LATENT_BUDGET", "ConditionalDraw", "sample_matching"]

#: Latent codes drawn at most per call before importance resampling fills up.
LATENT_BUDGET = 1 << 20
_BATCH = (1024, 65536)


@dataclass
class ConditionalDraw:
    """Encoded rows that meet conditions, and how they were drawn.

    Attributes
    ----------
    rows : Tensor of shape (n_samples, n_inputs)
        Encoded rows, on the CPU.
    n_resampled : int
        Rows whose codes came from importance resampling (0: all exact).
    """

    rows: torch.Tensor
    n_resampled: int


def sample_matching(runner, module, prior, n_samples, conditioned, rng):
    """Draw ``n_samples`` encoded rows that meet conditions.

    Parameters
    ----------
    runner : VAERunner
        Its likelihood gives the output layout.
    module : EnsembleVAE
        One-member network in eval mode.
    prior : LatentPrior
        Its latent prior.
    n_samples : int
        Number of rows.
    conditioned : list of (list of Block, Allowed)
        ``TabularEncoder.conditioned_blocks`` of the condition.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    draw : ConditionalDraw
    """
    columns = ConditionedColumns(
        runner.likelihood,
        [
            ([(b.kind, b.start, b.width, b.gate) for b in blocks], allowed)
            for blocks, allowed in conditioned
        ],
    )
    generator = torch.Generator().manual_seed(int(rng.integers(MAX_SEED)))
    kept, codes, weights = [], [], []
    n_kept = n_codes = 0
    with torch.no_grad():
        while n_kept < n_samples and n_codes < LATENT_BUDGET:
            rate = (n_kept + 1) / (n_codes + 1)
            m = int(np.clip(1.2 * (n_samples - n_kept) / rate, *_BATCH))
            z = torch.as_tensor(prior.sample(m, rng), dtype=torch.float32)
            out = module.decode(z.unsqueeze(0).to(runner.device))[0]
            log_p = columns.log_prob(out)
            keep = torch.rand(m, generator=generator).log().to(log_p) < log_p
            kept.append(_draw(runner, columns, out[keep], generator))
            n_kept, n_codes = n_kept + int(keep.sum()), n_codes + m
            codes.append(z)
            weights.append(log_p.cpu())
        n_resampled = max(n_samples - n_kept, 0)
        if n_resampled:
            z = _resample(torch.cat(codes), torch.cat(weights), n_resampled, rng)
            out = module.decode(z.unsqueeze(0).to(runner.device))[0]
            kept.append(_draw(runner, columns, out, generator))
    return ConditionalDraw(torch.cat(kept)[:n_samples], n_resampled)


def _draw(runner, columns, out, generator):
    """Rows from decoder outputs, their conditioned columns restricted."""
    x = runner.likelihood.sample(out, generator)
    return columns.fill(x, out, generator).cpu()


def _resample(codes, log_p, n_samples, rng):
    """Codes drawn with replacement in proportion to p(c | z)."""
    log_p = log_p.double().numpy()
    if not np.isfinite(log_p).any() or log_p.max() <= np.log(1e-30):
        raise ValueError("the model gives them probability 0")
    p = np.exp(log_p - log_p.max())
    return codes[rng.choice(len(codes), size=n_samples, p=p / p.sum())]
