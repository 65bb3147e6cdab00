"""Profiles: per kind of reporting body, how the rules apply (data in rules/profiles/).

A township, a county government and a department are held to the same
rules with different weight: the decision procedure applies to townships and
departments only "by reference", enforcement matters most for departments,
deadlines differ. A profile only lists what differs from the rule files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RuleFileError
from .loader import _basis, _Checker
from .schema import DEADLINE_PATTERN, SEVERITIES, Basis
from .yaml_lines import load_yaml

GENERIC = "generic"
AUTO = "auto"
PROFILE_KEYS = {"name", "label", "order", "description", "detect", "basis", "rules"}
ADJUST_KEYS = {"severity", "weight", "deadline", "min_found", "enabled", "note"}


@dataclass(frozen=True)
class Adjustment:
    severity: str | None = None
    weight: float | None = None
    deadline: str | None = None
    min_found: int | None = None
    enabled: bool = True
    note: str = ""  # why the rule applies differently, shown with the finding
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


def load_profile(path: Path) -> Profile:
    c = _Checker(path)
    data = c.mapping(load_yaml(path), "画像文件")
    c.keys(data, PROFILE_KEYS, {"name", "label", "detect", "rules"}, "画像")
    name = data["name"]
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", name) or name in (GENERIC, AUTO):
        c.fail(data, "name", f"name 必须是小写 ASCII 名称且不能是 {GENERIC}/{AUTO}")
    if path.stem != name:
        c.fail(data, "name", f"name {name!r} 必须与文件名 {path.stem!r} 一致")
    detect = c.regexes(data, "detect")
    rules = c.mapping(data["rules"], "rules")
    return Profile(
        name=name,
        label=str(data["label"]),
        order=int(data.get("order", 50)),
        description=str(data.get("description", "")).strip(),
        detect=detect,
        basis=_basis(c, data) if "basis" in data else (),
        rules={rid: _adjustment(c, rules, rid) for rid in rules},
        path=str(path),
    )


def _adjustment(c: _Checker, rules, rule_id: str) -> Adjustment:
    spec = c.mapping(rules[rule_id], f"rules.{rule_id}")
    c.keys(spec, ADJUST_KEYS, set(), f"rules.{rule_id} ")
    if "severity" in spec and spec["severity"] not in SEVERITIES:
        c.fail(spec, "severity", f"severity 必须是 {', '.join(SEVERITIES)} 之一")
    weight = spec.get("weight")
    if weight is not None and (not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0):
        c.fail(spec, "weight", "weight 必须是非负数")
    deadline = spec.get("deadline")
    if deadline is not None and not DEADLINE_PATTERN.fullmatch(str(deadline)):
        c.fail(spec, "deadline", "deadline 必须形如 MM-DD，如 03-01")
    min_found = spec.get("min_found")
    if min_found is not None and (not isinstance(min_found, int) or isinstance(min_found, bool) or min_found < 1):
        c.fail(spec, "min_found", "min_found 必须是正整数")
    enabled = spec.get("enabled", True)
    if not isinstance(enabled, bool):
        c.fail(spec, "enabled", "enabled 必须是 true 或 false")
    return Adjustment(
        severity=spec.get("severity"),
        weight=float(weight) if weight is not None else None,
        deadline=str(deadline) if deadline is not None else None,
        min_found=min_found,
        enabled=enabled,
        note=str(spec.get("note", "")).strip(),
        line=rules.key_lines.get(rule_id, 0),
    )


def load_profiles(directory: Path, rules_by_id: dict) -> dict[str, Profile]:
    """All profiles in `directory`, checked against the rules they adjust."""
    out: dict[str, Profile] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        profile = load_profile(path)
        for rule_id, adj in profile.rules.items():
            rule = rules_by_id.get(rule_id)
            if rule is None:
                raise RuleFileError(str(path), adj.line, f"画像调整了不存在的规则 {rule_id!r}")
            if adj.min_found is not None and adj.min_found > len(rule.items):
                raise RuleFileError(str(path), adj.line, f"min_found 不能超过规则 {rule_id} 的检查项数 {len(rule.items)}")
        out[profile.name] = profile
    return dict(sorted(out.items(), key=lambda kv: (kv[1].order, kv[0])))


def detect_profile(profiles: dict[str, Profile], body: str | None) -> Profile | None:
    """The first profile (by order) whose pattern matches the end of the body's name."""
    if not body:
        return None
    name = re.sub(r"\s+", "", body)
    return next((p for p in profiles.values() if p.matches(name)), None)
