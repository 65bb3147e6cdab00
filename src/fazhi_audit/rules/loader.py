"""Load and validate a rules directory; errors name file, line and what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RuleFileError
from ..ingest.normalize import normalize_line
from ..matching import GAP
from ..structure.outline import SECTION_KINDS, SectionKind, SectionVocabulary
from .schema import (
    BASIS_KEYS,
    COMMON_KEYS,
    DEADLINE_PATTERN,
    EXAMPLE_KEYS,
    HEADING_LEVELS,
    ID_PATTERN,
    ITEM_KEYS,
    REQUIRED_KEYS,
    RULE_TYPES,
    SEVERITIES,
    STATUSES,
    TYPE_KEYS,
    Basis,
    Example,
    Item,
    Rule,
)
from .yaml_lines import LinedDict, load_yaml

SCOPE_KINDS = set(SECTION_KINDS) | {"preamble"}
VOCAB_DIR = "vocab"
PROFILE_DIR = "profiles"


@dataclass
class Cues:
    deficit: tuple[str, ...]
    plan: tuple[str, ...]


@dataclass
class RuleSet:
    directory: Path
    rules: list[Rule]
    vocab: SectionVocabulary
    cues: Cues
    profiles: dict = field(default_factory=dict)  # name -> rules.profiles.Profile

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def all_phrases(self) -> list[str]:
        # Gapped phrases (专家…论证) are patterns, not words for the segmenter.
        return sorted({p for r in self.rules for p in r.phrases() if GAP not in p})


class _Checker:
    """Small helpers that raise RuleFileError pointing at the offending line."""

    def __init__(self, path: Path):
        self.path = str(path)

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
        out = []
        for pattern in self.strings(node, key, node[key]):
            try:
                out.append(re.compile(pattern))
            except re.error as exc:
                self.fail(node, key, f"正则表达式无效 {pattern!r}：{exc}")
        return tuple(out)

    def strings(self, node, key, value, allow_empty=False) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(node, key, f"{key} 必须是非空字符串列表")
        if not value and not allow_empty:
            self.fail(node, key, f"{key} 不能为空")
        return tuple(value)


def load_rule(path: Path) -> Rule:
    c = _Checker(path)
    data = c.mapping(load_yaml(path), "规则文件")
    rtype = data.get("type")
    if rtype not in RULE_TYPES:
        c.fail(data, "type", f"type 必须是 {', '.join(RULE_TYPES)} 之一，实为 {rtype!r}")
    c.keys(data, COMMON_KEYS | TYPE_KEYS[rtype], REQUIRED_KEYS | ({"items", "scope"} if rtype == "required-items" else set()), "规则")
    rid = data["id"]
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        c.fail(data, "id", "id 必须形如 category.name（小写 ASCII，如 decision.five-step）")
    if path.stem != rid:
        c.fail(data, "id", f"id {rid!r} 必须与文件名 {path.stem!r} 一致")
    if data["severity"] not in SEVERITIES:
        c.fail(data, "severity", f"severity 必须是 {', '.join(SEVERITIES)} 之一")
    weight = data["weight"]
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
        c.fail(data, "weight", "weight 必须是非负数")
    for key in ("title", "message", "fix"):
        if not isinstance(data[key], str) or not data[key].strip():
            c.fail(data, key, f"{key} 必须是非空字符串")
    rule = Rule(
        id=rid,
        title=data["title"],
        type=rtype,
        severity=data["severity"],
        weight=float(weight),
        basis=_basis(c, data),
        message=data["message"],
        fix=data["fix"],
        examples=(),
        path=str(path),
        description=str(data.get("description", "")).strip(),
    )
    _type_fields(c, data, rule)
    rule.examples = _examples(c, data, rule)
    return rule


def _basis(c: _Checker, data: LinedDict) -> tuple[Basis, ...]:
    raw = data["basis"]
    if not isinstance(raw, list) or not raw:
        c.fail(data, "basis", "basis 必须是非空列表，每项至少含 doc（文件名称）")
    out = []
    for entry in raw:
        entry = c.mapping(entry, "basis 项")
        c.keys(entry, BASIS_KEYS, {"doc"}, "basis 项")
        out.append(Basis(doc=str(entry["doc"]), article=entry.get("article"), verified=bool(entry.get("verified", False)), note=entry.get("note")))
    return tuple(out)


def _type_fields(c: _Checker, data: LinedDict, rule: Rule) -> None:
    if "sections" in data:
        rule.sections = c.strings(data, "sections", data["sections"])
        for kind in rule.sections:
            if kind not in SECTION_KINDS:
                c.fail(data, "sections", f"未知的部分类型 {kind!r}；允许：{', '.join(SECTION_KINDS)}")
    if "cues" in data:
        rule.cues = c.strings(data, "cues", data["cues"])
    if "scope" in data:
        rule.scope = c.strings(data, "scope", data["scope"])
        for kind in rule.scope:
            if kind not in SCOPE_KINDS:
                c.fail(data, "scope", f"scope 中未知的部分类型 {kind!r}；允许：{', '.join(sorted(SCOPE_KINDS))}")
    if "context" in data:
        rule.context = c.strings(data, "context", data["context"])
    if "threshold" in data:
        t = data["threshold"]
        if not isinstance(t, (int, float)) or not 50 <= t <= 100:
            c.fail(data, "threshold", "threshold 必须是 50–100 之间的数")
        rule.threshold = float(t)
    if "items" in data:
        rule.items = _items(c, data)
    if "min_found" in data:
        m = data["min_found"]
        if not isinstance(m, int) or not 1 <= m <= len(rule.items):
            c.fail(data, "min_found", f"min_found 必须是 1–{len(rule.items)} 之间的整数")
        rule.min_found = m
    if "patterns" in data:
        rule.patterns = c.regexes(data, "patterns")
    if "deadline" in data:
        d = str(data["deadline"])
        if not DEADLINE_PATTERN.fullmatch(d):
            c.fail(data, "deadline", "deadline 必须形如 MM-DD（次年的月-日），如 04-01")
        rule.deadline = d
    if "headings" in data or "level" in data:
        _heading_fields(c, data, rule)
    if rule.type == "forbidden-patterns" and not rule.patterns:
        c.fail(data, None, "forbidden-patterns 规则需要 patterns")
    if rule.type == "required-heading" and not rule.headings:
        c.fail(data, None, "required-heading 规则需要 headings（标题中须出现的短语列表）")
    if rule.type == "required-sections" and not rule.sections:
        c.fail(data, None, "required-sections 规则需要 sections")
    if rule.type == "causes" and not rule.cues:
        c.fail(data, None, "causes 规则需要 cues")
    if any(i.weak for i in rule.items) and not rule.context:
        c.fail(data, "items", "使用了 weak 短语的规则需要 context（同句须出现的语境词）")


def _heading_fields(c: _Checker, data: LinedDict, rule: Rule) -> None:
    """required-heading: the phrases (folded like report text) and which heading levels count."""
    if "headings" in data:
        phrases = _normalized(c.strings(data, "headings", data["headings"]))
        if len(set(phrases)) != len(phrases):
            c.fail(data, "headings", "headings 中有重复的短语")
        rule.headings = phrases
    if "level" in data:
        if data["level"] not in HEADING_LEVELS:
            c.fail(data, "level", f"level 必须是 top（仅一级标题，默认）或 any（任意级别标题），实为 {data['level']!r}")
        rule.level = data["level"]


def _items(c: _Checker, data: LinedDict) -> tuple[Item, ...]:
    raw = data["items"]
    if not isinstance(raw, list) or not raw:
        c.fail(data, "items", "items 必须是非空列表")
    names = set()
    out = []
    for entry in raw:
        entry = c.mapping(entry, "items 项")
        c.keys(entry, ITEM_KEYS, {"name"}, "items 项")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            c.fail(entry, "name", "name 必须是非空字符串")
        if name in names:
            c.fail(entry, "name", f"重复的项目名称 {name!r}")
        names.add(name)
        phrases = _normalized(c.strings(entry, "phrases", entry.get("phrases", []), allow_empty=True))
        out.append(
            Item(
                name=name,
                phrases=tuple(dict.fromkeys((normalize_line(name), *phrases))),
                weak=_normalized(c.strings(entry, "weak", entry.get("weak", []), allow_empty=True)),
                negatives=_normalized(c.strings(entry, "not", entry.get("not", []), allow_empty=True)),
            )
        )
    return tuple(out)


def _normalized(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Fold phrases as report text is folded (（→( etc.), keeping the gap mark."""
    return tuple(GAP.join(normalize_line(part) for part in p.split(GAP)) for p in phrases)


def _examples(c: _Checker, data: LinedDict, rule: Rule) -> tuple[Example, ...]:
    raw = data["examples"]
    if not isinstance(raw, list) or not raw:
        c.fail(data, "examples", "examples 必须是非空列表（至少一个应通过、一个应不通过的例子）")
    names = {i.name for i in rule.items}
    out = []
    for entry in raw:
        entry = c.mapping(entry, "examples 项")
        c.keys(entry, EXAMPLE_KEYS, {"text"}, "examples 项")
        if not isinstance(entry["text"], str) or not entry["text"].strip():
            c.fail(entry, "text", "text 必须是非空字符串")
        status = entry.get("status")
        if status is not None and status not in STATUSES:
            c.fail(entry, "status", f"status 必须是 {', '.join(STATUSES)} 之一")
        section = entry.get("section")
        if section is not None and section not in SCOPE_KINDS:
            c.fail(entry, "section", f"未知的部分类型 {section!r}")
        found = c.strings(entry, "found", entry.get("found", []), allow_empty=True)
        not_found = c.strings(entry, "not_found", entry.get("not_found", []), allow_empty=True)
        for n in (*found, *not_found):
            if n not in names:
                c.fail(entry, "found" if n in found else "not_found", f"例子引用了不存在的项目 {n!r}")
        if status is None and not found and not not_found:
            c.fail(entry, None, "例子需要 status 或 found/not_found 之一")
        out.append(Example(entry["text"], section, status, found, not_found, entry.line))
    return tuple(out)


def load_vocabulary(path: Path) -> tuple[SectionVocabulary, Cues]:
    c = _Checker(path)
    data = c.mapping(load_yaml(path), "词表文件")
    c.keys(data, {"vocabulary", "canonical_order", "strip_prefixes", "heading_threshold", "kinds", "cues"}, {"vocabulary", "kinds", "canonical_order", "cues"}, "词表")
    kinds = []
    kind_map = c.mapping(data["kinds"], "kinds")
    for name, spec in kind_map.items():
        if name not in SECTION_KINDS:
            c.fail(kind_map, name, f"未知的部分类型 {name!r}；允许：{', '.join(SECTION_KINDS)}")
        spec = c.mapping(spec, f"kinds.{name}")
        c.keys(spec, {"label", "priority", "keywords", "headings", "content_cues", "mentions"}, {"label", "priority", "keywords"}, f"kinds.{name} ")
        kinds.append(
            SectionKind(
                name=name,
                label=spec["label"],
                priority=int(spec["priority"]),
                keywords=list(c.strings(spec, "keywords", spec["keywords"])),
                headings=list(c.strings(spec, "headings", spec.get("headings", []), allow_empty=True)),
                content_cues=list(c.strings(spec, "content_cues", spec.get("content_cues", []), allow_empty=True)),
                mentions=list(c.strings(spec, "mentions", spec.get("mentions", []), allow_empty=True)),
            )
        )
    for prefix in data.get("strip_prefixes", []):
        try:
            re.compile(prefix)
        except re.error as exc:
            c.fail(data, "strip_prefixes", f"正则表达式无效 {prefix!r}：{exc}")
    order = list(c.strings(data, "canonical_order", data["canonical_order"]))
    cues = c.mapping(data["cues"], "cues")
    c.keys(cues, {"deficit", "plan"}, {"deficit", "plan"}, "cues ")
    vocab = SectionVocabulary(kinds, order, list(data.get("strip_prefixes", [])), float(data.get("heading_threshold", 82)))
    return vocab, Cues(c.strings(cues, "deficit", cues["deficit"]), c.strings(cues, "plan", cues["plan"]))


def load_ruleset(directory: Path, extra_dirs: tuple[Path, ...] | list[Path] = ()) -> RuleSet:
    """The pack in `directory`, then each extra directory: a rule whose id is
    already known replaces it (a city tightens a rule), a new id is added."""
    from .profiles import load_profiles

    directory = Path(directory)
    if not directory.is_dir():
        raise RuleFileError(str(directory), None, "规则目录不存在：请用 --rules 指向包含 *.yaml 规则文件的目录")
    vocab_path = directory / VOCAB_DIR / "sections.yaml"
    if not vocab_path.exists():
        raise RuleFileError(str(vocab_path), None, "缺少部分识别词表 vocab/sections.yaml")
    vocab, cues = load_vocabulary(vocab_path)
    rules = _load_rules(directory)
    if not rules:
        raise RuleFileError(str(directory), None, "目录中没有 *.yaml 规则文件")
    for extra in map(Path, extra_dirs):
        if not extra.is_dir():
            raise RuleFileError(str(extra), None, "扩展规则目录不存在：请检查配置 extend-rules 中的路径")
        added = _load_rules(extra)
        if not added:
            raise RuleFileError(str(extra), None, "扩展规则目录中没有 *.yaml 规则文件")
        by_id = {r.id: i for i, r in enumerate(rules)}
        for rule in added:
            if rule.id in by_id:
                rules[by_id[rule.id]] = rule
            else:
                rules.append(rule)
    profiles = load_profiles(directory / PROFILE_DIR, {r.id: r for r in rules})
    return RuleSet(directory, rules, vocab, cues, profiles)


def _load_rules(directory: Path) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        rule = load_rule(path)
        if rule.id in seen:
            raise RuleFileError(str(path), None, f"规则 id {rule.id!r} 与 {seen[rule.id]} 重复")
        seen[rule.id] = str(path)
        rules.append(rule)
    return rules
