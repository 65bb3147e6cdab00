"""The rule types, by name: the modules listed in `checks.types.MODULES`, plus any registered at run time.

The engine hands this mapping to the rule loader, `rules explain`, `rules test`
and the audit; nothing else discovers types.
"""

from __future__ import annotations

from types import ModuleType

from fazhi_audit.checks.rule_type import RuleType

RULE_TYPES: dict[str, RuleType] = {}  # type name -> RuleType


def register(module: ModuleType) -> RuleType:
    """Add the type a module declares as `RULE_TYPE` (a plug-in type, or a test's)."""
    declared = getattr(module, "RULE_TYPE", None)
    if not isinstance(declared, RuleType):
        raise TypeError(f"{module.__name__} declares no RULE_TYPE")
    if declared.name in RULE_TYPES and RULE_TYPES[declared.name] is not declared:
        raise TypeError(f"rule type {declared.name!r} declared twice ({module.__name__})")
    RULE_TYPES[declared.name] = declared
    return declared


def unregister(name: str) -> None:
    RULE_TYPES.pop(name, None)


def refresh() -> dict[str, RuleType]:
    """The listed types only, in place (every importer of RULE_TYPES sees them)."""
    from fazhi_audit.checks.types import MODULES

    RULE_TYPES.clear()
    for module in MODULES:
        register(module)
    return RULE_TYPES


refresh()
