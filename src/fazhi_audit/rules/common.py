"""Validation helpers shared by the rule loader, the profile loader and the rule types.

Every helper raises RuleFileError pointing at the file and, where the YAML
has one, the line of the offending key.
"""

from __future__ import annotations

import re
from pathlib import Path

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.rules.regex_safety import safe_compile
from fazhi_audit.rules.schema import BASIS_KEYS, SEVERITIES, Basis
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.ingest.normalize import normalize_line
from fazhi_audit.text.matching import GAP


class Checker:
    """Checks values of one YAML file; failures name the file and the key's line."""

    def __init__(self, path: Path | str, wording=None):
        self.path = str(path)
        self.wording = wording  # rules.wording.Wording: the words of a rule type's own errors

    def say(self, name: str, /, **values) -> str:
        return self.wording.say(name, **values)

    def fail(self, node, key, message: str):
        line = None
        if isinstance(node, LinedDict):
            line = node.key_lines.get(key, node.line) if key is not None else node.line
        raise RuleFileError(self.path, line, message)

    def mapping(self, node, what: str) -> LinedDict:
        if not isinstance(node, LinedDict):
            raise RuleFileError(self.path, None, f"{what} 必须是映射（key: value）")
        return node

    def keys(self, node: LinedDict, allowed: set[str], required: set[str], what: str):
        for key in node:
            if key not in allowed:
                self.fail(node, key, f"{what}中有未知的键 {key!r}；允许的键：{', '.join(sorted(allowed))}")
        for key in sorted(required - set(node)):
            self.fail(node, None, f"{what}缺少必需的键 {key!r}")

    def regexes(self, node, key) -> tuple[re.Pattern, ...]:
        return tuple(self.regex(node, key, pattern) for pattern in self.strings(node, key, node[key]))

    def regex(self, node, key, pattern: str) -> re.Pattern:
        """Compiled, or an error at the key's line; patterns that can backtrack exponentially are refused."""
        try:
            return safe_compile(pattern)
        except re.error as exc:
            self.fail(node, key, f"正则表达式无效 {pattern!r}：{exc}")

    def strings(self, node, key, value, allow_empty=False) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(node, key, f"{key} 必须是非空字符串列表")
        if not value and not allow_empty:
            self.fail(node, key, f"{key} 不能为空")
        return tuple(value)

    def text(self, node, key) -> str:
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(node, key, f"{key} 必须是非空字符串")
        return value

    def severity(self, node, key: str = "severity") -> str:
        if node[key] not in SEVERITIES:
            self.fail(node, key, f"{key} 必须是 {', '.join(SEVERITIES)} 之一")
        return node[key]

    def weight(self, node, key: str = "weight") -> float:
        value = node[key]
        if not is_number(value) or value < 0:
            self.fail(node, key, f"{key} 必须是非负数")
        return float(value)

    def flag(self, node, key: str) -> bool:
        if not isinstance(node[key], bool):
            self.fail(node, key, f"{key} 必须是 true 或 false")
        return node[key]

    def basis(self, node: LinedDict, key: str = "basis") -> tuple[Basis, ...]:
        raw = node[key]
        if not isinstance(raw, list) or not raw:
            self.fail(node, key, f"{key} 必须是非空列表，每项至少含 doc（文件名称）")
        out = []
        for entry in raw:
            entry = self.mapping(entry, f"{key} 项")
            self.keys(entry, BASIS_KEYS, {"doc"}, f"{key} 项")
            out.append(Basis(doc=str(entry["doc"]), article=entry.get("article"), verified=bool(entry.get("verified", False)), note=entry.get("note")))
        return tuple(out)


def is_number(value) -> bool:
    # YAML's true/false are ints to Python; a weight of `true` is a typo, not 1.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def normalized(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Fold phrases as report text is folded (（→( etc.), keeping the gap mark."""
    return tuple(GAP.join(normalize_line(part) for part in p.split(GAP)) for p in phrases)
