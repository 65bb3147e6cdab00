"""required-heading: a part a city (or other body) requires on top of the five.

A heading passes when its text (numbering marker already stripped by the
heading parser) contains one of the rule's phrases, or matches it with a
tolerated slip (the shared PhraseMatcher, at the rule's threshold).  When no
heading qualifies, a sub-heading or a sentence that carries the phrase is kept
as evidence, so the finding says "only a sub-heading" rather than a bare ✗.
"""

from __future__ import annotations

from ..document import Document
from ..matching import Hit
from ..report.model import Evidence, Finding, ItemResult
from ..rules.schema import Rule
from ..structure.headings import Heading
from .context import CheckContext, fill, finding


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


def _best_hit(rule: Rule, text: str, ctx: CheckContext) -> Hit | None:
    best = None
    for phrase in rule.headings:
        hit = ctx.matcher.find(phrase, text, rule.threshold)
        if hit and (best is None or hit.similarity > best.similarity):
            best = hit
            if hit.exact:
                break
    return best


def _first_match(rule: Rule, headings: list[tuple[Heading, str]], ctx: CheckContext) -> tuple[Heading, str, Hit] | None:
    best = None
    for heading, kind in headings:
        hit = _best_hit(rule, heading.text, ctx)
        if hit and (best is None or hit.similarity > best[2].similarity):
            best = (heading, kind, hit)
            if hit.exact:
                break
    return best


def _aside(rule: Rule, doc: Document, ctx: CheckContext) -> tuple[Evidence, str] | None:
    """A mention that does not count: a sub-heading (level top) or body text."""
    if rule.level == "top":
        tops = {s.heading.index for s in doc.sections if s.heading is not None}
        subs = [(h, doc.kind_at(h.index)) for h in doc.headings if h.index not in tops]
        match = _first_match(rule, subs, ctx)
        if match:
            h, kind, hit = match
            ev = Evidence(h.label, h.line, kind, hit.similarity, h.text[hit.start : hit.end])
            return ev, f"仅作为下级标题“{h.label}”出现，未单列为一级标题"
    heading_lines = {h.index: h for h in doc.headings} | {s.heading.index: s.heading for s in doc.sections if s.heading is not None}
    for s in doc.sentences:
        h = heading_lines.get(s.index)
        if h is not None and s.text.startswith(h.label):
            continue  # the heading itself was judged above
        hit = _best_hit(rule, s.text, ctx)
        if hit:
            ev = Evidence(s.text, s.line, s.kind, hit.similarity, s.text[hit.start : hit.end])
            return ev, f"仅在“{ctx.vocab.label(s.kind)}”正文中提及，未设为标题"
    return None


def check_required_heading(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    name = rule.headings[0]
    match = _first_match(rule, heading_candidates(doc, rule.level), ctx)
    if match:
        h, kind, hit = match
        ev = Evidence(h.label, h.line, kind, hit.similarity, h.text[hit.start : hit.end])
        return [finding(rule, "pass", f"{rule.title}：已设“{h.label}”", line=h.line, items=[ItemResult(name, True, ev)], values={"missing": name})]
    aside = _aside(rule, doc, ctx)
    item = ItemResult(name, False, *aside) if aside else ItemResult(name, False)
    line = aside[0].line if aside else None
    return [finding(rule, "fail", fill(rule.message, missing=name), line=line, items=[item], values={"missing": name})]
