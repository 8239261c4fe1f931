"""Inductive-bias methods: how θ0 is built from the seed runs.

``"none"`` (:class:`NoBias`), ``"pretrain"`` (:class:`PretrainBias`), ``"avg"``
(:class:`AverageBias`), ``"maml"`` (:class:`MAMLBias`) and ``"drs"``
(:class:`DRSBias`).
"""

from sklearn_tabbias.bias._base import BiasMethod, RealRows
from sklearn_tabbias.bias.avg import AverageBias
from sklearn_tabbias.bias.drs import DRSBias
from sklearn_tabbias.bias.maml import MAMLBias
from sklearn_tabbias.bias.none import NoBias
from sklearn_tabbias.bias.pretrain import PretrainBias

__all__ = [
    "BIAS_METHODS",
    "AverageBias",
    "BiasMethod",
    "DRSBias",
    "MAMLBias",
    "NoBias",
    "PretrainBias",
    "RealRows",
]

#: Names accepted by the synthesizers' ``bias`` parameter.
BIAS_METHODS = {
    "none": NoBias,
    "pretrain": PretrainBias,
    "avg": AverageBias,
    "maml": MAMLBias,
    "drs": DRSBias,
}
