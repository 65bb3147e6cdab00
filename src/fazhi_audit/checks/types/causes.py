"""causes: does the shortcomings part analyse why, not only list what?

A cue word in the part's body passes; one only in its heading ("存在的不足和原因")
is a partial pass, since the heading promises an analysis the text does not give.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    finding,
    part_labels,
    phrase_list,
    sentence_evidence,
)
from fazhi_audit.checks.keys import parse_strings
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary


@dataclass(frozen=True)
class Params:
    cues: tuple[str, ...]  # words that introduce a cause (原因, 究其原因 …)


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    parts = [(i, s) for i, s in enumerate(doc.sections) if s.kind == "shortcomings"]
    if not parts:
        return [finding(rule, "fail", rule.say("no_part"))]
    # sentences by part index, grouped once: a report may have hundreds of parts
    by_part: dict[int, list] = {}
    for s in doc.sentences:
        by_part.setdefault(s.section, []).append(s)
    heading_hit = None
    for index, part in parts:
        for s in by_part.get(index, ()):
            cue = next((c for c in rule.params.cues if c in s.text), None)
            if cue is None:
                continue
            if part.heading and s.index == part.heading.index and s.text.startswith(part.heading.marker):
                heading_hit = heading_hit or (s, cue)
                continue
            ev = sentence_evidence(s, 100.0, cue)
            return [finding(rule, "pass", rule.say("pass", title=rule.title), line=s.line, items=[ItemResult(rule.say("item"), True, ev)])]
    if heading_hit:
        s, cue = heading_hit
        ev = sentence_evidence(s, 100.0, cue)
        item = ItemResult(rule.say("item"), False, ev, rule.say("heading_only_note"))
        return [finding(rule, "partial", rule.say("heading_only"), line=s.line, items=[item])]
    first = parts[0][1]
    line = first.heading.line if first.heading else None
    return [finding(rule, "fail", rule.message, line=line, items=[ItemResult(rule.say("item"), False)])]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return rule.lines("explain", part=part_labels(["shortcomings"], vocab), cues=phrase_list(rule.params.cues))


RULE_TYPE = RuleType(
    name="causes",
    params=Params,
    keys=(Key("cues", parse_strings, required=True),),
    check=check,
    explain=explain,
    wording={
        "item": (),
        "no_part": (),
        "pass": ("title",),
        "heading_only": (),
        "heading_only_note": (),
        "explain": ("part", "cues"),
    },
)
