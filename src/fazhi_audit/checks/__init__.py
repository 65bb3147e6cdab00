"""One module per rule type, named after it (required_items.py checks `type: required-items`).

Each type module declares `RULE_TYPE`: its YAML keys and their validation, its
typed fields, its check function and its explanation (see rule_type.py).
The other modules are shared helpers: common.py (findings, evidence, wording),
keys.py (keys several types use), context.py (what a run shares), deadlines.py
(the two deadline types), registry.py (finds the types).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from .context import CheckContext
from .registry import RULE_TYPES, refresh
from .rule_type import RuleType


class _Checks(Mapping):
    """type name -> check function, always in step with RULE_TYPES."""

    def __getitem__(self, name: str) -> Callable:
        return RULE_TYPES[name].check

    def __iter__(self) -> Iterator[str]:
        return iter(RULE_TYPES)

    def __len__(self) -> int:
        return len(RULE_TYPES)


REGISTRY: Mapping[str, Callable] = _Checks()

__all__ = ["REGISTRY", "RULE_TYPES", "CheckContext", "RuleType", "refresh"]
