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


def quicker_registries() -> None:
    """Make catalogue's registry look-ups (spaCy's, thinc's, srsly's) cost what they should, the
    same answers (0.05 s of CPU of loading spaCy's pipeline). Loading a pipeline looks names up
    some two hundred times (srsly's msgpack reader once per file it reads), and every look-up
    filtered every installed entry point, one by one, for the registry's group, and compared
    every registered name's key with a generator."""
    import catalogue

    if getattr(catalogue.Registry.get_all, "__module__", None) == __name__:
        return
    entry_points = catalogue.AVAILABLE_ENTRY_POINTS
    if isinstance(entry_points, dict):  # importlib.metadata's SelectableGroups: group -> EntryPoints
        catalogue.AVAILABLE_ENTRY_POINTS = _GroupedEntryPoints(dict(dict.items(entry_points)))
    catalogue.Registry.get_all = _get_all


class _GroupedEntryPoints:
    """importlib.metadata's entry points, selected by group from a dict (catalogue selects only
    by group)."""

    def __init__(self, groups: dict):
        self._groups = groups

    def select(self, *, group: str):
        return self._groups.get(group, ())


def _get_all(self) -> dict:
    """catalogue.Registry.get_all: the functions registered in the namespace, by name (entry
    points first), comparing each registered key as one tuple."""
    result = {}
    if self.entry_points:
        result.update(self.get_entry_points())
    import catalogue

    namespace = tuple(self.namespace)
    size = len(namespace) + 1
    for keys, value in catalogue.REGISTRY.copy().items():
        if len(keys) == size and keys[:-1] == namespace:
            result[keys[-1]] = value
    return result
