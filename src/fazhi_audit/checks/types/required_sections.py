"""required-sections: is each required part of the report a part of its own?

A part that only shows up as a sub-heading or in another part's text is not
set apart; the finding keeps that mention as evidence and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    fill,
    finding,
    heading_evidence,
    line_evidence,
    part_labels,
    sentence_evidence,
)
from fazhi_audit.checks.keys import show_parts
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Evidence, Finding, ItemResult
from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import (
    SECTION_KINDS,
    SectionVocabulary,
    classify_heading,
)


@dataclass(frozen=True)
class Params:
    sections: tuple[str, ...]  # section kinds, as in rules/vocab/sections.yaml


def _parse_sections(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[str, ...]:
    kinds = c.strings(data, key, data[key])
    for kind in kinds:
        if kind not in SECTION_KINDS:
            c.fail(data, key, c.say("errors.kind", kind=repr(kind), allowed=", ".join(SECTION_KINDS)))
    return kinds


def _mention(rule: Rule, kind: str, doc: Document, ctx: CheckContext, kinds: dict[str, str | None]) -> tuple[Evidence | None, str | None]:
    """Where a missing part's content shows up inside another part.

    `kinds`: heading text -> its kind, filled as headings are classified, so that
    each sub-heading is classified once however many parts are missing
    (a headings-only file made this the slowest step)."""
    for h in doc.headings:
        if h.level <= 1:
            continue
        if h.text not in kinds:
            kinds[h.text] = classify_heading(h.text, ctx.vocab)[0]
        if kinds[h.text] == kind:
            return heading_evidence(h, doc.kind_at(h.index), 100.0, h.text), rule.say("as_sub_heading", heading=h.label)
    words = next((k.mentions for k in ctx.vocab.kinds if k.name == kind), [])
    for s in doc.sentences:
        for w in words:
            if w in s.text and s.kind not in (kind, "plans"):
                return sentence_evidence(s, 100.0, w), rule.say("in_body", part=ctx.vocab.label(s.kind))
    return None, None


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    items = []
    kinds: dict[str, str | None] = {}
    for kind in rule.params.sections:
        section = next((s for s in doc.sections if s.kind == kind), None) or next((s for s in doc.sections if s.holds(kind)), None)
        label = ctx.vocab.label(kind)
        if section is None:
            evidence, note = _mention(rule, kind, doc, ctx, kinds)
            items.append(ItemResult(label, False, evidence, note))
        elif section.heading is not None:
            items.append(ItemResult(label, True, heading_evidence(section.heading, kind, 100.0, section.title)))
        else:  # a report without part headings is one part
            items.append(ItemResult(label, True, line_evidence(doc.lines[min(section.start, len(doc.lines) - 1)], kind, section.title, text=rule.say("whole"))))  # a title-only report has no body line
    missing = [i.name for i in items if not i.found]
    if not missing:
        return [finding(rule, "pass", rule.say("pass", title=rule.title), items=items)]
    credit = 1 - len(missing) / len(items)
    return [finding(rule, "fail", fill(rule.message, missing="、".join(missing)), items=items, credit=credit, values={"missing": "、".join(missing)})]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return rule.lines("explain", parts=part_labels(rule.params.sections, vocab))


def fix_hint(rule: Rule, vocab: SectionVocabulary) -> str:
    return rule.say("fix_hint", parts=part_labels(rule.params.sections, vocab))


RULE_TYPE = RuleType(
    name="required-sections",
    params=Params,
    keys=(Key("sections", _parse_sections, required=True, show=show_parts),),
    check=check,
    explain=explain,
    fix_hint=fix_hint,
    wording={
        "pass": ("title",),
        "as_sub_heading": ("heading",),
        "in_body": ("part",),
        "whole": (),
        "explain": ("parts",),
        "fix_hint": ("parts",),
        "errors.kind": ("kind", "allowed"),
    },
)
