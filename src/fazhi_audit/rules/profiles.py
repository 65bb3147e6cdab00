"""Profiles: per kind of reporting body, how the rules apply (data in rules/profiles/).

A township, a county government and a department are held to the same
rules with different weight: the decision procedure applies to townships and
departments only "by reference", enforcement matters most for departments,
deadlines differ. A profile only lists what differs from the rule files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.schema import Basis, Rule
from fazhi_audit.rules.yaml_lines import load_yaml

GENERIC = "generic"
AUTO = "auto"
PROFILE_KEYS = {"name", "label", "order", "description", "detect", "basis", "rules"}
COMMON_ADJUST_KEYS = {"severity", "weight", "enabled", "note"}  # type-specific keys: those a rule type marks adjustable


@dataclass(frozen=True)
class Adjustment:
    severity: str | None = None
    weight: float | None = None
    enabled: bool = True
    note: str = ""  # why the rule applies differently, shown with the finding
    params: tuple[tuple[str, Any], ...] = ()  # type-specific fields changed (deadline, min_found …)
    line: int = 0


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    order: int = 0
    description: str = ""
    detect: tuple[re.Pattern, ...] = ()
    basis: tuple[Basis, ...] = ()
    rules: dict[str, Adjustment] = field(default_factory=dict)
    path: str = ""

    def matches(self, body: str) -> bool:
        return any(p.search(body) for p in self.detect)


GENERIC_PROFILE = Profile(GENERIC, "通用", 99, "不按报告主体类型调整，规则文件原样适用")


def load_profile(path: Path, rules_by_id: dict[str, Rule]) -> Profile:
    """One profile file, each adjustment checked against the rule it adjusts."""
    c = Checker(path)
    data = c.mapping(load_yaml(path), "画像文件")
    c.keys(data, PROFILE_KEYS, {"name", "label", "detect", "rules"}, "画像")
    name = data["name"]
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", name) or name in (GENERIC, AUTO):
        c.fail(data, "name", f"name 必须是小写 ASCII 名称且不能是 {GENERIC}/{AUTO}")
    if path.stem != name:
        c.fail(data, "name", f"name {name!r} 必须与文件名 {path.stem!r} 一致")
    detect = c.regexes(data, "detect")
    rules = c.mapping(data["rules"], "rules")
    adjustable = {k.name for r in rules_by_id.values() for k in r.rule_type.keys if k.adjustable}
    adjustments = {}
    for rule_id in rules:
        rule = rules_by_id.get(rule_id)
        if rule is None:
            c.fail(rules, rule_id, f"画像调整了不存在的规则 {rule_id!r}")
        adjustments[rule_id] = _adjustment(c, rules, rule, COMMON_ADJUST_KEYS | adjustable)
    return Profile(
        name=name,
        label=str(data["label"]),
        order=int(data.get("order", 50)),
        description=str(data.get("description", "")).strip(),
        detect=detect,
        basis=c.basis(data) if "basis" in data else (),
        rules=adjustments,
        path=str(path),
    )


def _adjustment(c: Checker, rules, rule: Rule, allowed: set[str]) -> Adjustment:
    spec = c.mapping(rules[rule.id], f"rules.{rule.id}")
    c.keys(spec, allowed, set(), f"rules.{rule.id} ")
    params = []
    current = {f.name: getattr(rule.params, f.name) for f in fields(rule.params)}
    for key in sorted(set(spec) - COMMON_ADJUST_KEYS):
        declared = rule.rule_type.key(key)
        if declared is None or not declared.adjustable:
            own = sorted(k.name for k in rule.rule_type.keys if k.adjustable)
            c.fail(spec, key, f"规则 {rule.id}（{rule.type}）没有可由画像调整的 {key}" + (f"；可调整：{', '.join(own)}" if own else ""))
        # The rule type's own validation, read against the rule (min_found ≤ its items), in its words.
        c.wording = rule.wording
        params.append((key, declared.parse(c, spec, key, current)))
    return Adjustment(
        severity=c.severity(spec) if "severity" in spec else None,
        weight=c.weight(spec) if "weight" in spec else None,
        enabled=c.flag(spec, "enabled") if "enabled" in spec else True,
        note=str(spec.get("note", "")).strip(),
        params=tuple(params),
        line=rules.key_lines.get(rule.id, 0),
    )


def load_profiles(directory: Path, rules_by_id: dict[str, Rule]) -> dict[str, Profile]:
    """All profiles in `directory`, checked against the rules they adjust."""
    out: dict[str, Profile] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        profile = load_profile(path, rules_by_id)
        out[profile.name] = profile
    return dict(sorted(out.items(), key=lambda kv: (kv[1].order, kv[0])))


def detect_profile(profiles: dict[str, Profile], body: str | None) -> Profile | None:
    """The first profile (by order) whose pattern matches the end of the body's name."""
    if not body:
        return None
    name = re.sub(r"\s+", "", body)
    return next((p for p in profiles.values() if p.matches(name)), None)
