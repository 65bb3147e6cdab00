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
    "errors.synonyms": ("key",),
    "errors.synonym_group": ("key",),
    "errors.overlap": ("key",),
    # required-items and outline-coverage (which checks its parts as required items)
    "items.pass": ("title", "found", "total"),
    "items.not_applicable": ("statement",),
    "items.not_applicable_item": (),
    "items.not_applicable_note": (),
    **{f"items.aside.{why}": () for why in ("plans", "shortcomings", "deficit", "plan", "preamble", "extra", "other")},
}
