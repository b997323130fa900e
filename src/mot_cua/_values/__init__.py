"""The pydantic models of the core modules, loaded on first use (see docs/design.md).

Import them from their public modules (:mod:`mot_cua.hours`, :mod:`mot_cua.limits`,
:mod:`mot_cua.calendar`, :mod:`mot_cua.deadlines`): each model's ``__module__`` is that module,
and once loaded the model is an ordinary attribute there (so pickles, ``typing.get_type_hints``
and pydantic's own name resolution see one home).
"""

from __future__ import annotations

import sys

__all__ = ["publish"]


def publish(module_name: str, *classes: type, **names: object) -> None:
    """Make ``module_name`` the home of each class: its ``__module__`` and an attribute there.

    ``names`` are further names the classes' annotations use that the module lacks (so that
    ``typing.get_type_hints`` resolves them there; checked by ``tests/test_lazy_models.py``).
    """
    module = sys.modules[module_name]
    for cls in classes:
        cls.__module__ = module_name
        setattr(module, cls.__name__, cls)
    for name, value in names.items():
        setattr(module, name, value)
