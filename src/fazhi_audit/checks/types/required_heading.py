"""required-heading: a part a city (or other body) requires on top of the five.

A heading passes when its text (numbering marker already stripped by the
heading parser) contains one of the rule's phrases, or matches it with a
tolerated slip (the shared PhraseMatcher, at the rule's threshold).  When no
heading qualifies, a sub-heading or a sentence that carries the phrase is kept
as evidence, so the finding says "only a sub-heading" rather than a bare ✗.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    fill,
    finding,
    heading_evidence,
    phrase_list,
    sentence_evidence,
)
from fazhi_audit.checks.keys import DEFAULT_THRESHOLD, THRESHOLD, parse_phrases
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Evidence, Finding, ItemResult
from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document
from fazhi_audit.text.matching import Hit
from fazhi_audit.text.structure.headings import Heading
from fazhi_audit.text.structure.outline import SectionVocabulary

LEVELS = ("top", "any")  # which headings count: the report's top-level parts only, or any


@dataclass(frozen=True)
class Params:
    headings: tuple[str, ...]  # phrases one heading must carry; the first names the part
    level: str = "top"
    threshold: float = DEFAULT_THRESHOLD


def _parse_headings(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[str, ...]:
    phrases = parse_phrases(c, data, key, values)
    if len(set(phrases)) != len(phrases):
        c.fail(data, key, c.say("errors.duplicate", key=key))
    return phrases


def _parse_level(c: Checker, data: LinedDict, key: str, values: dict) -> str:
    if data[key] not in LEVELS:
        c.fail(data, key, c.say("errors.level", key=key, value=repr(data[key])))
    return data[key]


def heading_candidates(doc: Document, level: str) -> list[tuple[Heading, str]]:
    """Headings that may satisfy the rule, each with the kind of part it sits in.

    `top` = the report's top-level parts (numbered 一、 or, in an unnumbered
    report, part-like lines); `any` adds every numbered heading below them.
    """
    out = [(s.heading, s.kind) for s in doc.sections if s.heading is not None]
    if level == "any":
        seen = {h.index for h, _ in out}
        out += [(h, doc.kind_at(h.index)) for h in doc.headings if h.index not in seen]
        out.sort(key=lambda pair: pair[0].index)
    return out


def _best_hit(p: Params, text: str, ctx: CheckContext) -> Hit | None:
    best = None
    for phrase in p.headings:
        hit = ctx.matcher.find(phrase, text, p.threshold)
        if hit and (best is None or hit.similarity > best.similarity):
            best = hit
            if hit.exact:
                break
    return best


def _first_match(p: Params, headings: list[tuple[Heading, str]], ctx: CheckContext) -> tuple[Heading, str, Hit] | None:
    best = None
    for heading, kind in headings:
        hit = _best_hit(p, heading.text, ctx)
        if hit and (best is None or hit.similarity > best[2].similarity):
            best = (heading, kind, hit)
            if hit.exact:
                break
    return best


def _heading_evidence(heading: Heading, kind: str, hit: Hit) -> Evidence:
    return heading_evidence(heading, kind, hit.similarity, heading.text[hit.start : hit.end])


def _aside(rule: Rule, doc: Document, ctx: CheckContext) -> tuple[Evidence, str] | None:
    """A mention that does not count: a sub-heading (level top) or body text."""
    p: Params = rule.params
    if p.level == "top":
        tops = {s.heading.index for s in doc.sections if s.heading is not None}
        subs = [(h, doc.kind_at(h.index)) for h in doc.headings if h.index not in tops]
        match = _first_match(p, subs, ctx)
        if match:
            h, kind, hit = match
            return _heading_evidence(h, kind, hit), rule.say("as_sub_heading", heading=h.label)
    heading_lines = {h.index: h for h in doc.headings} | {s.heading.index: s.heading for s in doc.sections if s.heading is not None}
    for s in doc.sentences:
        h = heading_lines.get(s.index)
        if h is not None and s.text.startswith(h.label):
            continue  # the heading itself was judged above
        hit = _best_hit(p, s.text, ctx)
        if hit:
            ev = sentence_evidence(s, hit.similarity, s.text[hit.start : hit.end])
            return ev, rule.say("in_body", part=ctx.vocab.label(s.kind))
    return None


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    name = p.headings[0]
    match = _first_match(p, heading_candidates(doc, p.level), ctx)
    if match:
        h, kind, hit = match
        item = ItemResult(name, True, _heading_evidence(h, kind, hit))
        return [finding(rule, "pass", rule.say("pass", title=rule.title, heading=h.label), line=h.line, items=[item], values={"missing": name})]
    aside = _aside(rule, doc, ctx)
    item = ItemResult(name, False, *aside) if aside else ItemResult(name, False)
    line = aside[0].line if aside else None
    return [finding(rule, "fail", fill(rule.message, missing=name), line=line, items=[item], values={"missing": name})]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return rule.lines(f"explain.{p.level}", phrases=phrase_list(p.headings), threshold=f"{p.threshold:g}")


def placeholders(rule: Rule) -> dict[str, str]:
    return {"missing": rule.params.headings[0]}  # the part is known before any report is checked


RULE_TYPE = RuleType(
    name="required-heading",
    params=Params,
    keys=(
        Key("headings", _parse_headings, required=True),
        Key("level", _parse_level),
        THRESHOLD,
    ),
    check=check,
    explain=explain,
    placeholders=placeholders,
    wording={
        "pass": ("title", "heading"),
        "as_sub_heading": ("heading",),
        "in_body": ("part",),
        "explain.top": ("threshold", "phrases"),
        "explain.any": ("threshold", "phrases"),
        "errors.duplicate": ("key",),
        "errors.level": ("key", "value"),
    },
)
