"""Which rules run, and how: profile adjustments (with the profile's note), then select/ignore, then severity overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fazhi_audit.rules.profiles import Adjustment, Profile
from fazhi_audit.rules.schema import Rule


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
        changes = _profile_changes(rule, profile, adj) if adj is not None else {}
        for sel, severity in selection.severity:
            if selector_matches(sel, rule.id):
                changes["severity"] = severity
        out.append(replace(rule, **changes) if changes else rule)
    return out


def _profile_changes(rule: Rule, profile: Profile, adj: Adjustment) -> dict:
    changes = {}
    if adj.severity is not None:
        changes["severity"] = adj.severity
    if adj.weight is not None:
        changes["weight"] = adj.weight
    if adj.params:
        changes["params"] = replace(rule.params, **dict(adj.params))
    if adj.note:
        # Findings carry it in their message from the start (checks/common.finding).
        changes["profile_note"] = f"{profile.label}：{adj.note}"
    return changes
