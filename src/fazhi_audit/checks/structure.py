"""Checks on the report's parts: presence, order, cause analysis, numbering."""

from __future__ import annotations

from ..document import Document
from ..report.model import Evidence, Finding, ItemResult
from ..rules.schema import Rule
from ..structure.outline import classify_heading
from .context import CheckContext, fill, finding

# Item names are shown to users (csv "missing", junit text): say them in Chinese.
DEFECT_LABEL = {"skipped": "跳号", "repeated": "重号", "unnumbered": "未编号的小标题", "disordered": "顺序错乱"}


def _mention(kind: str, doc: Document, ctx: CheckContext) -> tuple[Evidence | None, str | None]:
    """Where a missing part's content shows up inside another part."""
    for h in doc.headings:
        if h.level > 1 and classify_heading(h.text, ctx.vocab)[0] == kind:
            return Evidence(h.label, h.line, doc.kind_at(h.index), 100.0, h.text), f"仅作为下级标题“{h.label}”出现，未单列为一部分"
    words = next((k.mentions for k in ctx.vocab.kinds if k.name == kind), [])
    for s in doc.sentences:
        for w in words:
            if w in s.text and s.kind not in (kind, "plans"):
                return Evidence(s.text, s.line, s.kind, 100.0, w), f"仅在“{ctx.vocab.label(s.kind)}”正文中提及，未单列为一部分"
    return None, None




def check_required_sections(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    items = []
    for kind in rule.sections:
        section = next((s for s in doc.sections if s.kind == kind), None)
        label = ctx.vocab.label(kind)
        if section is not None:
            line = section.heading.line if section.heading else doc.lines[section.start].number
            items.append(ItemResult(label, True, Evidence(section.title or "（全文未分部分）", line, kind, 100.0, section.title)))
        else:
            evidence, note = _mention(kind, doc, ctx)
            items.append(ItemResult(label, False, evidence, note))
    missing = [i.name for i in items if not i.found]
    if not missing:
        return [finding(rule, "pass", f"{rule.title}：齐全", items=items)]
    credit = 1 - len(missing) / len(items)
    return [finding(rule, "fail", fill(rule.message, missing="、".join(missing)), items=items, credit=credit, values={"missing": "、".join(missing)})]


def check_section_order(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    order = ctx.vocab.canonical_order
    firsts = []
    for s in doc.sections:
        if s.kind in order and s.kind not in [k for k, _ in firsts]:
            firsts.append((s.kind, s))
    actual = "→".join(ctx.vocab.label(k) for k, _ in firsts)
    for (k1, _), (k2, s2) in zip(firsts, firsts[1:]):
        if order.index(k2) < order.index(k1):
            line = s2.heading.line if s2.heading else None
            msg = fill(rule.message, actual=actual) + f"（“{ctx.vocab.label(k2)}”应在“{ctx.vocab.label(k1)}”之前）"
            return [finding(rule, "fail", msg, line=line)]
    return [finding(rule, "pass", f"{rule.title}：顺序符合规定")]


def check_causes(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    parts = [s for s in doc.sections if s.kind == "shortcomings"]
    if not parts:
        return [finding(rule, "fail", "未找到“存在的不足”部分，无法核对原因分析")]
    heading_hit = None
    for part in parts:
        for s in doc.sentences:
            if s.section != doc.sections.index(part):
                continue
            cue = next((c for c in rule.cues if c in s.text), None)
            if cue is None:
                continue
            if part.heading and s.index == part.heading.index and s.text.startswith(part.heading.marker):
                heading_hit = heading_hit or (s, cue)
                continue
            ev = Evidence(s.text, s.line, "shortcomings", 100.0, cue)
            return [finding(rule, "pass", f"{rule.title}：已分析原因", line=s.line, items=[ItemResult("原因分析", True, ev)])]
    if heading_hit:
        s, cue = heading_hit
        ev = Evidence(s.text, s.line, "shortcomings", 100.0, cue)
        return [finding(rule, "partial", "标题写有“原因”，但正文未见原因分析", line=s.line, items=[ItemResult("原因分析", False, ev, "仅见于标题")])]
    line = parts[0].heading.line if parts[0].heading else None
    return [finding(rule, "fail", rule.message, line=line, items=[ItemResult("原因分析", False)])]


def check_numbering(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.numbering:
        return [finding(rule, "pass", f"{rule.title}：未发现跳号、重号")]
    # One finding per defect, so each can be fixed (and baselined) on its own.
    return [
        finding(rule, "fail", fill(rule.message, defect=d.message), line=d.line, items=[ItemResult(DEFECT_LABEL.get(d.kind, d.kind), False, Evidence(d.text, d.line, doc.kind_at_line(d.line), 100.0, d.text))])
        for d in doc.numbering
    ]
