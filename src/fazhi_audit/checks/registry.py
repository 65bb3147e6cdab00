"""Find the rule types: every module of this package that declares `RULE_TYPE`.

Adding a rule type is adding one module here; the loader, `rules explain`,
`rules test` and the audit all read the types from this registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from .rule_type import RuleType


def discover(package: ModuleType) -> dict[str, RuleType]:
    """The rule types declared by the modules of `package`, by type name."""
    found: dict[str, RuleType] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        declared = getattr(module, "RULE_TYPE", None)
        if not isinstance(declared, RuleType):
            continue  # a helper module (common, keys, …)
        if declared.name in found:
            raise TypeError(f"rule type {declared.name!r} declared twice ({module.__name__})")
        found[declared.name] = declared
    return found


RULE_TYPES: dict[str, RuleType] = {}  # type name -> RuleType, for this package


def refresh() -> dict[str, RuleType]:
    """(Re)discover the types; in place, so every importer of RULE_TYPES sees them."""
    found = discover(importlib.import_module(__package__))
    RULE_TYPES.clear()
    RULE_TYPES.update(found)
    return RULE_TYPES


refresh()
