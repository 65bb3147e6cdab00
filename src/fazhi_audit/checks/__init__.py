"""The checks: rule types (types/, one module each) and what they share.

rule_type.py (RuleType, Key), context.py (CheckContext: what a run shares),
registry.py (the types by name), findings.py (building findings and their
wording), evidence.py (evidence at its origin), keys.py (keys several types
use), word_lists.py (cue-word lists of rule data), quantity_key.py (what a
figure counts), deadlines.py and part_items.py (helpers of a few types).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.registry import RULE_TYPES, refresh, register, unregister
from fazhi_audit.checks.rule_type import RuleType


class _Checks(Mapping):
    """type name -> check function, always in step with RULE_TYPES."""

    def __getitem__(self, name: str) -> Callable:
        return RULE_TYPES[name].check

    def __iter__(self) -> Iterator[str]:
        return iter(RULE_TYPES)

    def __len__(self) -> int:
        return len(RULE_TYPES)


REGISTRY: Mapping[str, Callable] = _Checks()

__all__ = ["REGISTRY", "RULE_TYPES", "CheckContext", "RuleType", "refresh", "register", "unregister"]
