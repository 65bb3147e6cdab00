"""Which rules run, and how: profile adjustments, then select/ignore, then severity overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .profiles import Profile
from .schema import Rule


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (id or prefix, severity), later entries win


def selector_matches(selector: str, rule_id: str) -> bool:
    """An id matches itself; a prefix matches on dot boundaries (decision → decision.five-step)."""
    sel = selector.rstrip(".")
    return rule_id == sel or rule_id.startswith(sel + ".")


def unknown_selectors(selectors, rule_ids) -> list[str]:
    return [s for s in selectors if not any(selector_matches(s, r) for r in rule_ids)]


def effective_rules(rules: list[Rule], profile: Profile | None, selection: Selection) -> list[Rule]:
    out = []
    for rule in rules:
        adj = profile.rules.get(rule.id) if profile else None
        if adj is not None and not adj.enabled:
            continue
        if selection.select and not any(selector_matches(s, rule.id) for s in selection.select):
            continue
        if any(selector_matches(s, rule.id) for s in selection.ignore):
            continue
        changes = {}
        if adj is not None:
            for key in ("severity", "weight", "deadline", "min_found"):
                value = getattr(adj, key)
                if value is not None:
                    changes[key] = value
        for sel, severity in selection.severity:
            if selector_matches(sel, rule.id):
                changes["severity"] = severity
        out.append(replace(rule, **changes) if changes else rule)
    return out
