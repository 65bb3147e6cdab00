"""body: a report must say something besides its title and headings.

A file that is only a title line, or only the headings of the five parts,
has every part "present" and would pass the structure rules; it reports
nothing.  Body text is every line of the body that is not a heading (for a
heading line that runs on into its first sentence, the part after the
title counts), leaving out the signature and date at the end; its letters
and digits are counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, line_evidence
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.common import Checker, is_number
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary

_SIGNER_MAX = 30  # the body's name above the signing date is short and has no full stop


@dataclass(frozen=True)
class Params:
    min_chars: int = 1  # fewer letters and digits than this outside the headings: empty


def _parse_min_chars(c: Checker, data: LinedDict, key: str, values: dict) -> int:
    value = data[key]
    if not is_number(value) or int(value) != value or value < 1:
        c.fail(data, key, c.say("errors.min_chars", key=key))
    return int(value)


def body_chars(doc: Document, enough: int | None = None) -> tuple[int, int]:
    """(letters and digits of body text, number of heading lines) below the title.

    Counting stops once `enough` characters are found: a real report reaches
    it on its first body line, so the rule costs nothing on a big one.
    """
    headings = {h.index: h for h in doc.headings}
    for section in doc.sections:
        if section.heading is not None:
            headings.setdefault(section.heading.index, section.heading)
    skip = set(doc.meta.title_lines)
    signed = doc.meta.signed_line
    if signed is not None:
        skip.add(signed)
        above = doc.lines[signed - 1].text if signed > 0 else ""
        if signed - 1 >= doc.body_start and len(above) <= _SIGNER_MAX and not any(p in above for p in "。;!?"):
            skip.add(signed - 1)
    chars = heading_lines = 0
    for i in range(doc.body_start, len(doc.lines)):
        if i in skip:
            continue
        text = doc.lines[i].text
        h = headings.get(i)
        if h is None and getattr(doc.lines[i].origin, "heading", None) is not None:
            heading_lines += 1  # a Word heading-style line without a number
            continue
        if h is not None:
            heading_lines += 1
            text = text.split(h.text, 1)[1] if h.text and h.text in text else ""
        chars += sum(1 for ch in text if ch.isalnum())
        if enough is not None and chars >= enough:
            break
    return chars, heading_lines


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    chars, headings = body_chars(doc, enough=rule.params.min_chars)
    if chars >= rule.params.min_chars:
        return [finding(rule, "pass", rule.say("pass", title=rule.title), items=[ItemResult(rule.say("item"), True)])]
    if headings:
        what = rule.say("headings_only", headings=headings) if not chars else rule.say("headings_and", chars=chars)
    else:
        what = rule.say("title_only") if not chars else rule.say("title_and", chars=chars)
    where = doc.meta.title_lines[0] if doc.meta.title_lines else 0
    evidence = line_evidence(doc.lines[where], "title" if doc.meta.title_lines else "preamble", "") if doc.lines else None
    line = evidence.line if evidence else None
    return [finding(rule, "fail", fill(rule.message, what=what), line=line, items=[ItemResult(rule.say("item"), False, evidence, what)])]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return rule.lines("explain", min_chars=rule.params.min_chars)


RULE_TYPE = RuleType(
    name="body",
    params=Params,
    keys=(Key("min_chars", _parse_min_chars),),
    check=check,
    explain=explain,
    wording={
        "item": (),
        "pass": ("title",),
        "headings_only": ("headings",),
        "headings_and": ("chars",),
        "title_only": (),
        "title_and": ("chars",),
        "explain": ("min_chars",),
        "errors.min_chars": ("key",),
    },
)
