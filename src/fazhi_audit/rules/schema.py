"""The rule schema: which keys a rule file may have, and what they mean."""

from __future__ import annotations

import re
from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
RULE_TYPES = (
    "required-sections",
    "section-order",
    "causes",
    "numbering",
    "required-items",
    "forbidden-patterns",
    "disclosure-deadline",
    "submission-deadline",
    "required-heading",
)
ID_PATTERN = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")
DEADLINE_PATTERN = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")  # MM-DD of the next year

# keys every rule has, and keys each type adds
COMMON_KEYS = {"id", "title", "type", "severity", "weight", "basis", "message", "fix", "examples", "description"}
REQUIRED_KEYS = {"id", "title", "type", "severity", "weight", "basis", "message", "fix", "examples"}
TYPE_KEYS = {
    "required-sections": {"sections"},
    "section-order": set(),
    "causes": {"cues"},
    "numbering": set(),
    "required-items": {"items", "scope", "context", "min_found", "threshold"},
    "forbidden-patterns": {"patterns", "scope"},
    "disclosure-deadline": {"deadline"},
    "submission-deadline": {"deadline"},
    "required-heading": {"headings", "level", "threshold"},
}
# required-heading: which headings count ("top" = the report's top-level parts only)
HEADING_LEVELS = ("top", "any")
ITEM_KEYS = {"name", "phrases", "weak", "not"}
BASIS_KEYS = {"doc", "article", "verified", "note"}
EXAMPLE_KEYS = {"text", "section", "status", "found", "not_found", "note"}
STATUSES = ("pass", "partial", "fail")


@dataclass(frozen=True)
class Basis:
    doc: str
    article: str | None = None
    verified: bool = False
    note: str | None = None

    def cite(self) -> str:
        # Unverified article numbers stay in the data, out of user-facing text.
        return f"《{self.doc}》{self.article}" if self.article and self.verified else f"《{self.doc}》"


@dataclass(frozen=True)
class Item:
    name: str
    phrases: tuple[str, ...]  # canonical name first
    weak: tuple[str, ...] = ()  # count only with a context term in the sentence
    negatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    text: str
    section: str | None = None
    status: str | None = None
    found: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    line: int = 0


@dataclass
class Rule:
    id: str
    title: str
    type: str
    severity: str
    weight: float
    basis: tuple[Basis, ...]
    message: str
    fix: str
    examples: tuple[Example, ...]
    path: str = ""
    description: str = ""
    sections: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    scope: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    min_found: int | None = None
    threshold: float = 85.0
    patterns: tuple[re.Pattern, ...] = ()
    deadline: str = "04-01"
    headings: tuple[str, ...] = ()  # required-heading: phrases one heading must carry
    level: str = "top"

    @property
    def basis_text(self) -> str:
        return "、".join(b.cite() for b in self.basis)

    def phrases(self) -> list[str]:
        return [p for it in self.items for p in (*it.phrases, *it.weak)]
