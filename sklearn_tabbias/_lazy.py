"""Module attributes imported on first use (PEP 562).

Importing a package then loads neither torch nor SDV before one of its
estimators is asked for.
"""

import importlib

__all__ = ["lazy_attributes"]


def lazy_attributes(package, exports):
    """``__getattr__`` and ``__dir__`` for a module that re-exports lazily.

    Parameters
    ----------
    package : dict
        The module's ``globals()``; an attribute, once imported, is stored in it.
    exports : dict
        Attribute name -> the module that defines it.

    Returns
    -------
    getattr, dir : callables
        To assign to the module's ``__getattr__`` and ``__dir__``.

    Examples
    --------
    >>> space = {"__name__": "demo"}
    >>> getattr_, _ = lazy_attributes(space, {"sqrt": "math"})
    >>> getattr_("sqrt")(9.0), "sqrt" in space
    (3.0, True)
    """

    def __getattr__(name):
        if name not in exports:
            raise AttributeError(
                f"module {package['__name__']!r} has no attribute {name!r}"
            )
        value = getattr(importlib.import_module(exports[name]), name)
        package[name] = value
        return value

    def __dir__():
        return sorted({*package, *exports})

    return __getattr__, __dir__
