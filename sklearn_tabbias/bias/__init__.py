"""Inductive-bias methods: how θ0 is built from the seed runs.

``"none"`` (:class:`NoBias`), ``"pretrain"`` (:class:`PretrainBias`), ``"avg"``
(:class:`AverageBias`), ``"maml"`` (:class:`MAMLBias`) and ``"drs"``
(:class:`DRSBias`). A bias method's parameters live on its object; a
synthesizer's short-form parameters (e.g. ``maml_inner_steps``) only fill them in
for a string ``bias`` (:func:`make_bias`).
"""

from sklearn.base import clone

from sklearn_tabbias.bias._base import BiasMethod, FunctionalRunner, RealRows, Runner
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
    "FunctionalRunner",
    "MAMLBias",
    "NoBias",
    "PretrainBias",
    "RealRows",
    "Runner",
    "make_bias",
]

#: Names accepted by the synthesizers' ``bias`` parameter.
BIAS_METHODS = {
    "none": NoBias,
    "pretrain": PretrainBias,
    "avg": AverageBias,
    "maml": MAMLBias,
    "drs": DRSBias,
}


def make_bias(bias, shorthands, owner):
    """The bias method a synthesizer's ``bias`` parameter stands for.

    Parameters
    ----------
    bias : str or BiasMethod
        A key of :data:`BIAS_METHODS`, or an object (cloned and validated).
    shorthands : dict
        The synthesizer's short-form parameters: ``{name: (bias_parameter,
        value)}``, ``value=None`` where the user left it unset. Those the
        chosen method does not have are not used (as SVC's ``degree`` for
        kernels other than "poly"), so one grid can hold every method.
    owner : str
        The synthesizer's class name, for messages.

    Returns
    -------
    method : BiasMethod

    Raises
    ------
    ValueError
        A short-form parameter is set while ``bias`` is an object: set it on
        the object instead.

    Examples
    --------
    >>> make_bias("maml", {"maml_inner_steps": ("inner_steps", 2)}, "Demo")
    MAMLBias(inner_steps=2)
    """
    given = {name: pair for name, pair in shorthands.items() if pair[1] is not None}
    if isinstance(bias, BiasMethod):
        if given:
            name, (inner, _) = next(iter(given.items()))
            raise ValueError(
                f"{owner}({name}=...) is the short form for bias={bias!r}'s "
                f"{inner!r}: with a BiasMethod object, set it there (bias="
                f"{type(bias).__name__}({inner}=...), or bias__{inner} in a grid)."
            )
        method = clone(bias)
        method._validate_params()
        return method
    cls = BIAS_METHODS[bias]
    known = cls().get_params()
    return cls(**{inner: v for inner, v in given.values() if inner in known})
