"""The rule schema: what every rule file has, whatever its type.

Type-specific keys, their validation and their typed fields are declared by
the rule type's own module under `checks/` (see checks/rule_type.py); a
`Rule` carries them in `params`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fazhi_audit.model.severity import SEVERITIES, SEVERITY_RANK, STATUSES  # noqa: F401  (re-exported)
from fazhi_audit.text.structure.outline import SECTION_KINDS

ID_PATTERN = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")
SCOPE_KINDS = set(SECTION_KINDS) | {"preamble"}  # parts a rule may look in, or an example stand in

# keys every rule has, whatever its type
COMMON_KEYS = {"id", "title", "type", "severity", "weight", "basis", "message", "fix", "examples", "description", "wording"}
REQUIRED_KEYS = {"id", "title", "type", "severity", "weight", "basis", "message", "fix", "examples"}
BASIS_KEYS = {"doc", "article", "verified", "note"}
# an example's text and what running the rule on it must give
EXAMPLE_KEYS = {"name", "text", "section", "note", "status", "found", "not_found", "message", "findings", "evidence_section", "previous"}
EXAMPLE_EXPECTATIONS = ("status", "found", "not_found", "message", "findings", "evidence_section")


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
class Example:
    text: str
    section: str | None = None  # the part of a report the text stands for
    status: str | None = None  # the worst status of the rule's findings
    found: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    line: int = 0
    name: str = ""
    note: str = ""
    message: str | None = None  # text some finding's message contains
    findings: int | None = None  # how many findings the rule gives
    evidence_section: str | None = None  # the part some evidence sits in
    previous: str | None = None  # last year's report of the same body, for rules that compare the two


@dataclass
class Cues:
    """Words that make a clause a problem (有待) or a plan (下一步), from the vocabulary, and the
    pack's synonym groups (vocab/synonyms.yaml): words reports use for the same thing."""

    deficit: tuple[str, ...]
    plan: tuple[str, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()


@dataclass
class Rule:
    id: str
    title: str
    # checks.rule_type.RuleType: the module under checks/ that validates, checks and
    # explains it (not imported here: the schema stays below the rule types)
    rule_type: Any
    severity: str
    weight: float
    basis: tuple[Basis, ...]
    message: str
    fix: str
    examples: tuple[Example, ...]
    params: Any = None  # the type's typed fields (an instance of rule_type.params)
    path: str = ""
    description: str = ""
    profile_note: str = ""  # set by a profile; shown after every non-pass message
    # rules.wording.Wording: its type's templates from vocab/messages.yaml, over which the
    # rule file's own `wording:` wins
    wording: Any = None

    def say(self, name: str, /, **values) -> str:
        """The named template of this rule's wording, filled with `values`."""
        return self.wording.say(name, **values)

    def lines(self, name: str, /, **values) -> list[str]:
        return self.wording.lines(name, **values)

    @property
    def type(self) -> str:
        return self.rule_type.name

    @property
    def basis_text(self) -> str:
        return "、".join(b.cite() for b in self.basis)

    def __getattr__(self, name: str):
        # Type-specific fields read through: rule.deadline is rule.params.deadline.
        if name.startswith("_") or name in ("params", "rule_type"):
            raise AttributeError(name)
        params = self.__dict__.get("params")
        if params is None or not hasattr(params, name):
            raise AttributeError(name)
        return getattr(params, name)
