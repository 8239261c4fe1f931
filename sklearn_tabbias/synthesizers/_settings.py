"""Typed settings the synthesizers hand to their runners.

Each field has the name of the estimator parameter it comes from, and no
default: the estimator's ``__init__`` is the one place a default is written.
Values resolved at fit time (the device, CTGAN's batch size and pac) are passed
explicitly to :func:`settings_from`.
"""

from dataclasses import dataclass, fields

import torch

__all__ = ["CTGANSettings", "VAESettings", "settings_from"]


@dataclass(frozen=True)
class VAESettings:
    """How :class:`~sklearn_tabbias.synthesizers._vae_runner.VAERunner` trains.

    See :class:`~sklearn_tabbias.BiasedVAESynthesizer` for each field.
    """

    latent_dim: int
    hidden_dim: int
    max_epochs: int
    batch_size: int
    learning_rate: float
    patience: int
    min_steps: int
    finetune_min_steps: int
    validation_fraction: float
    bgm_components: int
    device: torch.device
    verbose: int


@dataclass(frozen=True)
class CTGANSettings:
    """How :class:`~sklearn_tabbias.synthesizers._ctgan_runner.CTGANRunner` trains.

    See :class:`~sklearn_tabbias.BiasedCTGAN` for each field; ``epochs``,
    ``batch_size`` and ``pac`` are the values used on the real rows.
    """

    epochs: int
    pretrain_epochs: int
    n_jobs: int | None
    embedding_dim: int
    generator_dim: tuple
    discriminator_dim: tuple
    generator_lr: float
    generator_decay: float
    discriminator_lr: float
    discriminator_decay: float
    batch_size: int
    pac: int
    discriminator_steps: int
    log_frequency: bool
    device: torch.device
    verbose: int


def settings_from(cls, estimator, **resolved):
    """``cls`` filled from ``estimator``'s parameters of the same names.

    Parameters
    ----------
    cls : type
        A settings dataclass.
    estimator : BaseEstimator
        The synthesizer.
    **resolved
        Fields whose value is decided at fit time (e.g. ``device``).

    Returns
    -------
    settings : cls

    Examples
    --------
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> s = settings_from(VAESettings, BiasedVAESynthesizer(latent_dim=3),
    ...                   device=torch.device("cpu"))
    >>> s.latent_dim, s.device
    (3, device(type='cpu'))
    """
    names = [f.name for f in fields(cls) if f.name not in resolved]
    return cls(**{name: getattr(estimator, name) for name in names}, **resolved)
