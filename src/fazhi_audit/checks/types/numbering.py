"""numbering: skipped, repeated or missing numbers in headings and 一是、二是 lists.

The defects themselves are found while parsing (structure/numbering.py);
this type turns each into a finding of its own, so each can be fixed and
baselined on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, line_evidence
from fazhi_audit.checks.rule_type import RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.malformed import Fault
from fazhi_audit.text.structure.outline import SectionVocabulary

DEFECT_KINDS = ("skipped", "repeated", "unnumbered", "disordered", "malformed", "continued")  # item names: kinds.<kind>
# What parsing found wrong (text/structure Fault.what) and the values it gives the words: defects.<what>
FAULTS = {
    "repeated": ("marker",),
    "skipped": ("expected", "marker"),
    "first_skipped": ("expected", "marker"),
    "disordered": ("expected", "marker"),
    "unnumbered": ("text", "after", "expected"),
    "continued": ("first", "second", "number"),
    "missing_open": ("marker", "expected"),
    "star": ("marker",),
    "garbled": ("marker",),
    "garbled_known": ("marker", "original"),
}


@dataclass(frozen=True)
class Params:
    pass  # what counts as a defect is fixed by the numbering styles


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.numbering:
        return [finding(rule, "pass", rule.say("pass", title=rule.title))]
    by_number = {line.number: line for line in doc.lines}
    # the part of each line, as doc.kind_at_line() tells it, looked up once (not per defect)
    kinds: dict[int, str] = {}
    for s in doc.sentences:
        kinds.setdefault(s.line, s.kind)
    return [_finding(rule, d, by_number, kinds.get(d.line, "preamble")) for d in doc.numbering]


def _finding(rule: Rule, d, by_number, kind: str) -> Finding:
    evidence = line_evidence(by_number[d.line], kind, d.text, text=d.text)
    item = ItemResult(rule.say(f"kinds.{d.kind}") if d.kind in DEFECT_KINDS else d.kind, False, evidence)
    message = _said(rule, d.fault)
    if d.hint:
        # A house style (numbers running on across parents): a hint that costs nothing.
        f = finding(rule, "fail", message, line=d.line, items=[item], credit=1.0)
        f.severity = "info"
        return f
    return finding(rule, "fail", fill(rule.message, defect=message), line=d.line, items=[item])


def _said(rule: Rule, fault: Fault) -> str:
    """The defect in the rule's words; a heading with no parent is named by `parent`."""
    values = {k: (v if v != "" else rule.say("parent")) for k, v in fault.values}
    return rule.say(f"defects.{fault.what}", **values)


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return rule.lines("explain")


RULE_TYPE = RuleType(
    name="numbering",
    params=Params,
    keys=(),
    check=check,
    explain=explain,
    wording={
        "pass": ("title",),
        "explain": (),
        "parent": (),
        **{f"kinds.{kind}": () for kind in DEFECT_KINDS},
        **{f"defects.{what}": values for what, values in FAULTS.items()},
    },
)
