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


def _deadline_finding(rule: Rule, doc: Document, when: str, what: str, evidence: Evidence | None = None) -> list[Finding]:
    """Is `when` (an ISO date) before the rule's MM-DD of report year + 1?

    The rule type decides which date is checked: `what` names it (发布日期 for
    disclosure-deadline, 落款日期 for submission-deadline).  Any date before the
    deadline passes, however early: a report dated before its year ended is a
    different defect (premature), not a late one.
    """
    month, day = (int(x) for x in rule.deadline.split("-"))
    deadline = date(doc.meta.year + 1, month, day)
    label = f"{deadline.year}年{month}月{day}日"
    items = [ItemResult(what, date.fromisoformat(when) < deadline, evidence)] if evidence else []
    line = evidence.line if evidence else None
    values = {"date": when, "published": when, "signed": when, "deadline": label}
    if date.fromisoformat(when) >= deadline:
        return [finding(rule, "fail", fill(rule.message, **values), line=line, items=items, values=values)]
    done = f"{when} 发布" if what == "发布日期" else f"{what} {when}"
    return [finding(rule, "pass", f"{rule.title}：{done}，早于 {label}", line=line, items=items)]


def check_disclosure_deadline(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.published or not doc.meta.year:
        return [finding(rule, "pass", "未能确定发布日期或报告年度，未检查公开时限", scored=False)]
    return _deadline_finding(rule, doc, doc.published, "发布日期")


def check_submission_deadline(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    """The report's own date (落款) against the submission deadline."""
    if not doc.meta.signed or not doc.meta.year:
        return [finding(rule, "pass", "报告末尾未见落款日期或未能确定报告年度，未检查报送时限", scored=False)]
    line = doc.lines[doc.meta.signed_line]
    evidence = Evidence(line.text, line.number, doc.kind_at(doc.meta.signed_line), 100.0, line.text)
    return _deadline_finding(rule, doc, doc.meta.signed, "落款日期", evidence)
