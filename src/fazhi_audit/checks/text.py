"""Checks on the text as a whole: template residue, publication date."""

from __future__ import annotations

from datetime import date

from ..document import Document
from ..report.model import Evidence, Finding, ItemResult
from ..rules.schema import Rule
from .context import CheckContext, fill, finding

_MAX_LISTED = 5


def check_forbidden_patterns(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    hits = []
    for s in doc.sentences:
        if rule.scope and s.kind not in rule.scope:
            continue
        for pattern in rule.patterns:
            m = pattern.search(s.text)
            if m:
                hits.append(ItemResult(m.group(0), False, Evidence(s.text, s.line, s.kind, 100.0, m.group(0))))
                break
    title = doc.meta.title or ""
    for pattern in rule.patterns:
        m = pattern.search(title)
        if m:
            line = doc.lines[doc.meta.title_lines[0]].number
            hits.insert(0, ItemResult(m.group(0), False, Evidence(title, line, "title", 100.0, m.group(0))))
            break
    if not hits:
        return [finding(rule, "pass", f"{rule.title}：未发现")]
    listed = "、".join(dict.fromkeys(h.name for h in hits[:_MAX_LISTED]))
    return [finding(rule, "fail", fill(rule.message, found=listed), line=hits[0].evidence.line, items=hits)]


def check_disclosure_deadline(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.published or not doc.meta.year:
        return [finding(rule, "pass", "未能确定发布日期或报告年度，未检查公开时限", scored=False)]
    month, day = (int(x) for x in rule.deadline.split("-"))
    deadline = date(doc.meta.year + 1, month, day)
    published = date.fromisoformat(doc.published)
    label = f"{deadline.year}年{month}月{day}日"
    if published >= deadline:
        return [finding(rule, "fail", fill(rule.message, published=doc.published, deadline=label))]
    return [finding(rule, "pass", f"{rule.title}：{doc.published} 发布，早于 {label}")]
