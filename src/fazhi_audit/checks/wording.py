"""The templates of rules/vocab/messages.yaml that the shared helpers of checks/ speak with.

Each name maps to the {placeholders} the code fills; a rule type declares its own in
`RuleType.wording`.  The engine hands both to the rule loader, which checks the file.
"""

from __future__ import annotations

SHARED: dict[str, tuple[str, ...]] = {
    "keys.scope": (),
    "keys.threshold": (),
    "keys.deadline": (),
    "errors.scope": ("key", "kind", "allowed"),
    "errors.threshold": ("key",),
    "errors.deadline": ("key",),
    "errors.positive_int": ("key",),
}
