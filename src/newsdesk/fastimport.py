"""Heavy libraries imported without the parts newsdesk never uses (issue 20, a fast start)."""

from __future__ import annotations

import functools
import importlib
import sys
import types

# numpy's submodules that scipy.sparse's import touches and a brief never uses: numpy imports
# them on first access, and scipy's array-API layer (scipy._lib.array_api_compat.numpy) copies
# every public name of numpy, touching each one (numpy.f2py alone compiles sixty regexes).
_NUMPY_UNUSED = ("f2py", "testing", "ma", "polynomial", "ctypeslib", "char", "strings", "rec", "core")


class _OnFirstUse(types.ModuleType):
    """A stand-in for a module that imports the real one when an attribute is first read."""

    def __getattr__(self, name: str):
        return getattr(importlib.import_module(self.__name__), name)


@functools.cache
def import_scipy_sparse() -> types.ModuleType:
    """scipy.sparse, imported without numpy.f2py, numpy.testing, numpy.ma and the like (0.1 s of
    CPU of a cold start). While scipy imports, each is a stand-in attribute of numpy that imports
    the real module when used; afterwards numpy imports them on first access as before."""
    import numpy

    stand_ins = {name: _OnFirstUse(f"numpy.{name}") for name in _NUMPY_UNUSED
                 if f"numpy.{name}" not in sys.modules and name not in vars(numpy)}
    for name, stand_in in stand_ins.items():
        setattr(numpy, name, stand_in)
    try:
        import scipy.sparse
    finally:
        for name, stand_in in stand_ins.items():
            if vars(numpy).get(name) is stand_in:
                delattr(numpy, name)
    return scipy.sparse
