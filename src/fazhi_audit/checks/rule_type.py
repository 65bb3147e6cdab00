"""What a rule type declares: its YAML keys, its typed fields, its check and its explanation.

Each rule type is one module under `checks/`, named after the type, that ends
with `RULE_TYPE = RuleType(...)`.  The registry finds those modules; the rule
loader validates a rule file's keys with `keys`, builds `params` from them,
and the explainer and `rules test` call `explain` and `check`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.yaml_lines import LinedDict

if TYPE_CHECKING:
    from fazhi_audit.checks.context import CheckContext
    from fazhi_audit.model.result import Finding
    from fazhi_audit.rules.schema import Rule
    from fazhi_audit.text.document import Document
    from fazhi_audit.text.structure.outline import SectionVocabulary

# (checker, the rule's mapping, the key, fields parsed so far) -> the field's value;
# a parser raises through checker.fail() so the error names file and line.
Parser = Callable[[Checker, LinedDict, str, dict], Any]


@dataclass(frozen=True)
class Key:
    """One type-specific YAML key: how to read it, and how `rules show` names it."""

    name: str
    parse: Parser
    label: str = ""  # for `rules show`, when vocab/messages.yaml has no `keys.<name>` for it
    required: bool = False
    adjustable: bool = False  # a profile may change it (rules/profiles/*.yaml)
    show: Callable[..., str] | None = None  # (value, vocab, wording) -> the value in words; default: joined or as is


def no_phrases(params) -> tuple[str, ...]:
    return ()


def no_items(params) -> tuple[str, ...]:
    return ()


def no_values(rule: Rule) -> dict[str, str]:
    return {}


def no_hint(rule: Rule, vocab: SectionVocabulary) -> str | None:
    return None


def no_cross_check(c: Checker, data: LinedDict, values: dict) -> None:
    return None


@dataclass(frozen=True)
class RuleType:
    name: str  # the value of `type:` in a rule file
    params: type  # a dataclass whose fields are the keys' names
    keys: tuple[Key, ...]
    check: Callable[[Rule, Document, CheckContext], list[Finding]]
    explain: Callable[[Rule, SectionVocabulary], list[str]]  # "what it checks", in Chinese
    cross_check: Callable[[Checker, LinedDict, dict], None] = no_cross_check  # rules between keys
    item_names: Callable[[Any], tuple[str, ...]] = no_items  # names an example's found/not_found may use
    phrases: Callable[[Any], tuple[str, ...]] = no_phrases  # words the segmenter must keep whole
    placeholders: Callable[[Rule], dict[str, str]] = no_values  # fixed values of message/fix placeholders, in words
    fix_hint: Callable[[Rule, SectionVocabulary], str | None] = no_hint  # what {missing} in the fix may be
    # the templates of vocab/messages.yaml it speaks with: name -> the placeholders it fills
    wording: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # phrases naming a task of the 纲要: a top-level heading that names one heads an achievements part
    part_topics: Callable[[Any], tuple[str, ...]] = no_phrases

    def __post_init__(self):
        names = {f.name for f in fields(self.params)}
        declared = {k.name for k in self.keys}
        if names != declared:
            raise TypeError(f"rule type {self.name}: keys {sorted(declared)} != fields of {self.params.__name__} {sorted(names)}")

    @property
    def declared_wording(self) -> dict[str, tuple[str, ...]]:
        """Its templates, and the optional label (keys.<name>) and hint (hints.<name>) of each key."""
        labels = {f"keys.{k.name}": () for k in self.keys}
        hints = {f"hints.{k.name}": () for k in self.keys if k.required}
        return {**labels, **hints, **self.wording}

    @property
    def key_names(self) -> set[str]:
        return {k.name for k in self.keys}

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)

    def parse(self, c: Checker, data: LinedDict):
        """The typed fields of one rule file; a missing required key names the type."""
        values: dict[str, Any] = {}
        for key in self.keys:
            if key.name in data:
                values[key.name] = key.parse(c, data, key.name, values)
            elif key.required:
                hint = c.wording.say(f"hints.{key.name}") if c.wording is not None and c.wording.has(f"hints.{key.name}") else ""
                c.fail(data, None, f"{self.name} 规则需要 {key.name}" + (f"（{hint}）" if hint else ""))
        self.cross_check(c, data, values)
        return self.params(**values)

    def show(self, params, vocab: SectionVocabulary, wording=None) -> list[tuple[str, str]]:
        """(label, value in words) for every key, for `rules show`; `wording` names the keys."""
        return [(self.label(key.name, wording), self.words(key.name, getattr(params, key.name), vocab, wording)) for key in self.keys]

    def label(self, name: str, wording=None) -> str:
        """A key as readers call it: `keys.<name>` of the wording, else the key's own label or name."""
        if wording is not None and wording.has(f"keys.{name}"):
            return wording.say(f"keys.{name}")
        key = self.key(name)
        return (key.label if key else "") or name

    def words(self, name: str, value, vocab: SectionVocabulary, wording=None) -> str:
        """One key's value as a reader sees it, in the rule's `wording` where the type words it."""
        key = self.key(name)
        if key is not None and key.show is not None:
            return key.show(value, vocab, wording)
        if isinstance(value, tuple):
            return "、".join(getattr(v, "pattern", str(v)) for v in value) or "—"
        if isinstance(value, float):
            return f"{value:g}"
        return "—" if value is None else str(value)
