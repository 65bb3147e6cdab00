"""Load and validate a rules directory; errors name file, line and what to do.

The keys every rule has are checked here; a rule's type (a module under
`checks/types/`, handed in by the engine as a name -> RuleType mapping)
validates its own keys and builds its typed fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.rules import ruleset_cache
from fazhi_audit.rules.common import Checker, normalized
from fazhi_audit.rules.profiles import load_profiles
from fazhi_audit.rules.schema import (
    COMMON_KEYS,
    EXAMPLE_EXPECTATIONS,
    EXAMPLE_KEYS,
    ID_PATTERN,
    REQUIRED_KEYS,
    SCOPE_KINDS,
    STATUSES,
    Cues,
    Example,
    Rule,
)
from fazhi_audit.rules.wording import (
    Declared,
    Messages,
    Wording,
    load_messages,
    missing_file,
    templates,
)
from fazhi_audit.rules.yaml_lines import LinedDict, load_yaml
from fazhi_audit.text.matching import GAP
from fazhi_audit.text.structure.outline import (
    SECTION_KINDS,
    SectionKind,
    SectionVocabulary,
)
from fazhi_audit.text.structure.vocabulary import LABELLED

if TYPE_CHECKING:  # rule types are handed in by the engine (checks/ sits above rules/)
    from fazhi_audit.checks.rule_type import RuleType

VOCAB_DIR = "vocab"
MESSAGES_FILE = "messages.yaml"
SYNONYMS_FILE = "synonyms.yaml"
PROFILE_DIR = "profiles"
EVIDENCE_KINDS = SCOPE_KINDS | {"title", "signature"}  # where evidence may sit: a part, the report's title or its 落款

__all__ = ["Cues", "RuleSet", "load_rule", "load_ruleset", "load_vocabulary", "load_wording"]


@dataclass
class RuleSet:
    directory: Path
    rules: list[Rule]
    vocab: SectionVocabulary
    cues: Cues
    profiles: dict = field(default_factory=dict)  # name -> rules.profiles.Profile
    messages: Messages | None = None  # vocab/messages.yaml

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def all_phrases(self) -> list[str]:
        # Gapped phrases (专家…论证) are patterns, not words for the segmenter.
        return sorted({p for r in self.rules for p in r.rule_type.phrases(r.params) if GAP not in p})


def declared_wording(types: Mapping[str, RuleType]) -> dict[str, Declared]:
    return {name: t.declared_wording for name, t in types.items()}


def load_wording(directory: Path, types: Mapping[str, RuleType], shared: Declared) -> Messages:
    """vocab/messages.yaml of the pack in `directory`, checked against the types' declarations."""
    path = Path(directory) / VOCAB_DIR / MESSAGES_FILE
    if not path.exists():
        raise missing_file(path)
    return load_messages(path, declared_wording(types), shared)


def load_rule(path: Path, types: Mapping[str, RuleType], messages: Messages | None = None) -> Rule:
    c = Checker(path)
    data = c.mapping(load_yaml(path), "规则文件")
    rule_type = types.get(data.get("type")) if isinstance(data.get("type"), str) else None
    if rule_type is None:
        c.fail(data, "type", f"type 必须是 {', '.join(types)} 之一，实为 {data.get('type')!r}")
    wording = messages.for_type(rule_type.name) if messages is not None else Wording()
    c.wording = wording
    c.keys(data, COMMON_KEYS | rule_type.key_names, REQUIRED_KEYS, "规则")
    rid = data["id"]
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        c.fail(data, "id", "id 必须形如 category.name（小写 ASCII，如 decision.five-step）")
    if path.stem != rid:
        c.fail(data, "id", f"id {rid!r} 必须与文件名 {path.stem!r} 一致")
    severity = c.severity(data)
    weight = c.weight(data)
    title, message, fix = (c.text(data, key) for key in ("title", "message", "fix"))
    params = rule_type.parse(c, data)
    if "wording" in data:
        own = c.mapping(data["wording"], "wording")
        wording = wording.over(templates(c, own, rule_type.declared_wording, "wording"))
    return Rule(
        id=rid,
        title=title,
        rule_type=rule_type,
        severity=severity,
        weight=weight,
        basis=c.basis(data),
        message=message,
        fix=fix,
        examples=_examples(c, data, rule_type.item_names(params)),
        params=params,
        path=str(path),
        description=str(data.get("description", "")).strip(),
        wording=wording,
    )


def _examples(c: Checker, data: LinedDict, item_names: tuple[str, ...]) -> tuple[Example, ...]:
    raw = data["examples"]
    if not isinstance(raw, list) or not raw:
        c.fail(data, "examples", "examples 必须是非空列表（至少一个应通过、一个应不通过的例子）")
    out: list[Example] = []
    for entry in raw:
        entry = c.mapping(entry, "examples 项")
        c.keys(entry, EXAMPLE_KEYS, {"text"}, "examples 项")
        text = c.text(entry, "text")
        name = c.text(entry, "name").strip() if "name" in entry else ""
        if name and any(e.name == name for e in out):
            c.fail(entry, "name", f"例子名称 {name!r} 重复：同一规则的例子名称须各不相同")
        status = entry.get("status")
        if status is not None and status not in STATUSES:
            c.fail(entry, "status", f"status 必须是 {', '.join(STATUSES)} 之一")
        section = entry.get("section")
        if section is not None and section not in SCOPE_KINDS:
            c.fail(entry, "section", f"未知的部分类型 {section!r}")
        found = c.strings(entry, "found", entry.get("found", []), allow_empty=True)
        not_found = c.strings(entry, "not_found", entry.get("not_found", []), allow_empty=True)
        for n in (*found, *not_found):
            if n not in item_names:
                c.fail(entry, "found" if n in found else "not_found", f"例子引用了不存在的项目 {n!r}")
        message = c.text(entry, "message") if "message" in entry else None
        findings = entry.get("findings")
        if findings is not None and (not isinstance(findings, int) or isinstance(findings, bool) or findings < 1):
            c.fail(entry, "findings", "findings 必须是正整数（规则给出的结果条数）")
        evidence_section = entry.get("evidence_section")
        if evidence_section is not None and evidence_section not in EVIDENCE_KINDS:
            c.fail(entry, "evidence_section", f"未知的部分类型 {evidence_section!r}；允许：{', '.join(sorted(EVIDENCE_KINDS))}")
        if not any(key in entry for key in EXAMPLE_EXPECTATIONS):
            c.fail(entry, None, f"例子至少需要一项期望：{'、'.join(EXAMPLE_EXPECTATIONS)}")
        note = str(entry.get("note", "")).strip()
        previous = c.text(entry, "previous") if "previous" in entry else None
        out.append(Example(text, section, status, found, not_found, entry.line, name, note, message, findings, evidence_section, previous))
    return tuple(out)


def load_synonyms(path: Path) -> tuple[tuple[str, ...], ...]:
    """vocab/synonyms.yaml: groups of words one report may use for what another calls otherwise
    (规则/办法, 系统/平台); each group at least two words, no word in two groups."""
    c = Checker(path)
    data = c.mapping(load_yaml(path), "同义词表")
    c.keys(data, {"groups"}, {"groups"}, "同义词表")
    raw = data["groups"]
    if not isinstance(raw, list):
        c.fail(data, "groups", "groups 必须是列表，每项为一组同义词（如 [规则, 办法]）")
    groups, seen = [], {}
    for i, entry in enumerate(raw):
        words = normalized(c.strings(data, "groups", entry))
        if len(words) < 2:
            c.fail(data, "groups", f"groups 第 {i + 1} 组至少要有两个词")
        for word in words:
            if word in seen:
                c.fail(data, "groups", f"groups 第 {i + 1} 组的“{word}”已在第 {seen[word] + 1} 组中：一个词只能属于一组")
            seen[word] = i
        groups.append(tuple(words))
    return tuple(groups)


def load_vocabulary(path: Path) -> tuple[SectionVocabulary, Cues]:
    c = Checker(path)
    data = c.mapping(load_yaml(path), "词表文件")
    c.keys(data, {"vocabulary", "canonical_order", "strip_prefixes", "heading_threshold", "labels", "kinds", "cues"}, {"vocabulary", "labels", "kinds", "canonical_order", "cues"}, "词表")
    labels, short_labels = _labels(c, c.mapping(data["labels"], "labels"))
    kinds = []
    kind_map = c.mapping(data["kinds"], "kinds")
    for name, spec in kind_map.items():
        if name not in SECTION_KINDS:
            c.fail(kind_map, name, f"未知的部分类型 {name!r}；允许：{', '.join(SECTION_KINDS)}")
        spec = c.mapping(spec, f"kinds.{name}")
        c.keys(spec, {"priority", "keywords", "headings", "content_cues", "mentions"}, {"priority", "keywords"}, f"kinds.{name} ")
        kinds.append(
            SectionKind(
                name=name,
                priority=int(spec["priority"]),
                keywords=list(c.strings(spec, "keywords", spec["keywords"])),
                headings=list(c.strings(spec, "headings", spec.get("headings", []), allow_empty=True)),
                content_cues=list(c.strings(spec, "content_cues", spec.get("content_cues", []), allow_empty=True)),
                mentions=list(c.strings(spec, "mentions", spec.get("mentions", []), allow_empty=True)),
            )
        )
    for prefix in data.get("strip_prefixes", []):
        c.regex(data, "strip_prefixes", prefix)
    order = list(c.strings(data, "canonical_order", data["canonical_order"]))
    cues = c.mapping(data["cues"], "cues")
    c.keys(cues, {"deficit", "plan"}, {"deficit", "plan"}, "cues ")
    vocab = SectionVocabulary(kinds, order, list(data.get("strip_prefixes", [])), float(data.get("heading_threshold", 82)), labels, short_labels)
    return vocab, Cues(c.strings(cues, "deficit", cues["deficit"]), c.strings(cues, "plan", cues["plan"]))


def _labels(c: Checker, table: LinedDict) -> tuple[dict[str, str], dict[str, str]]:
    """The one table of part names: label (explanations, messages) and short (evidence locations)."""
    labels, short = {}, {}
    for kind, spec in table.items():
        if kind not in LABELLED:
            c.fail(table, kind, f"labels 中未知的部分类型 {kind!r}；允许：{', '.join(LABELLED)}")
        spec = c.mapping(spec, f"labels.{kind}")
        c.keys(spec, {"label", "short"}, {"label", "short"}, f"labels.{kind} ")
        labels[kind], short[kind] = c.text(spec, "label").strip(), c.text(spec, "short").strip()
    missing = [k for k in LABELLED if k not in table]
    if missing:
        c.fail(table, None, f"labels 缺少部分类型：{', '.join(missing)}")
    return labels, short


def load_ruleset(
    directory: Path,
    types: Mapping[str, RuleType],
    extra_dirs: tuple[Path, ...] | list[Path] = (),
    shared: Declared | None = None,
    messages: Messages | None = None,
) -> RuleSet:
    """The pack in `directory`, then each extra directory: a rule whose id is
    already known replaces it (a city tightens a rule), a new id is added.
    `messages`: the wording, when not the pack's own vocab/messages.yaml.
    Served from the user cache while no input file or code has changed."""
    directory = Path(directory)
    load = lambda: _load_ruleset(directory, types, extra_dirs, shared, messages)  # noqa: E731
    if messages is not None:  # wording from outside the pack: its file is not part of the cache key
        return load()
    return ruleset_cache.cached(directory, tuple(extra_dirs), types, load)


def _load_ruleset(directory: Path, types: Mapping[str, RuleType], extra_dirs, shared: Declared | None, messages: Messages | None) -> RuleSet:
    if not directory.is_dir():
        raise RuleFileError(str(directory), None, "规则目录不存在：请用 --rules 指向包含 *.yaml 规则文件的目录")
    vocab_path = directory / VOCAB_DIR / "sections.yaml"
    if not vocab_path.exists():
        raise RuleFileError(str(vocab_path), None, "缺少部分识别词表 vocab/sections.yaml")
    vocab, cues = load_vocabulary(vocab_path)
    synonyms_path = directory / VOCAB_DIR / SYNONYMS_FILE
    if synonyms_path.exists():
        cues = replace(cues, synonyms=load_synonyms(synonyms_path))
    messages = messages or load_wording(directory, types, shared or {})
    rules = _load_rules(directory, types, messages)
    if not rules:
        raise RuleFileError(str(directory), None, "目录中没有 *.yaml 规则文件")
    for extra in map(Path, extra_dirs):
        if not extra.is_dir():
            raise RuleFileError(str(extra), None, "扩展规则目录不存在：请检查配置 extend-rules 中的路径")
        added = _load_rules(extra, types, messages)
        if not added:
            raise RuleFileError(str(extra), None, "扩展规则目录中没有 *.yaml 规则文件")
        by_id = {r.id: i for i, r in enumerate(rules)}
        for rule in added:
            if rule.id in by_id:
                rules[by_id[rule.id]] = rule
            else:
                rules.append(rule)
    # The 纲要 theme map of the coverage rule tells the parser which headings name a task.
    vocab.topics = tuple(dict.fromkeys(p for r in rules for p in getattr(r.rule_type, "part_topics", lambda _: ())(r.params)))
    profiles = load_profiles(directory / PROFILE_DIR, {r.id: r for r in rules})
    return RuleSet(directory, rules, vocab, cues, profiles, messages)


def _load_rules(directory: Path, types: Mapping[str, RuleType], messages: Messages) -> list[Rule]:
    # Ids are unique within a directory because each must equal its file name
    # (load_rule): a copied file that keeps the old id is rejected there.
    return [load_rule(path, types, messages) for path in sorted(directory.glob("*.yaml"))]
