"""What a rule type declares: its YAML keys, its typed fields, its check and its explanation.

Each rule type is one module under `checks/`, named after the type, that ends
with `RULE_TYPE = RuleType(...)`.  The registry finds those modules; the rule
loader validates a rule file's keys with `keys`, builds `params` from them,
and the explainer and `rules test` call `explain` and `check`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
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
    label: str  # Chinese, for `rules show` and profile lines
    required: bool = False
    hint: str = ""  # said when a required key is missing
    adjustable: bool = False  # a profile may change it (rules/profiles/*.yaml)
    show: Callable[[Any, SectionVocabulary], str] | None = None  # the value in words; default: joined or as is


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
    # phrases naming a task of the 纲要: a top-level heading that names one heads an achievements part
    part_topics: Callable[[Any], tuple[str, ...]] = no_phrases

    def __post_init__(self):
        names = {f.name for f in fields(self.params)}
        declared = {k.name for k in self.keys}
        if names != declared:
            raise TypeError(f"rule type {self.name}: keys {sorted(declared)} != fields of {self.params.__name__} {sorted(names)}")

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
                c.fail(data, None, f"{self.name} 规则需要 {key.name}" + (f"（{key.hint}）" if key.hint else ""))
        self.cross_check(c, data, values)
        return self.params(**values)

    def show(self, params, vocab: SectionVocabulary) -> list[tuple[str, str]]:
        """(label, value in words) for every key, for `rules show`."""
        return [(key.label, self.words(key.name, getattr(params, key.name), vocab)) for key in self.keys]

    def words(self, name: str, value, vocab: SectionVocabulary) -> str:
        """One key's value as a reader sees it."""
        key = self.key(name)
        if key is not None and key.show is not None:
            return key.show(value, vocab)
        if isinstance(value, tuple):
            return "、".join(getattr(v, "pattern", str(v)) for v in value) or "—"
        if isinstance(value, float):
            return f"{value:g}"
        return "—" if value is None else str(value)
