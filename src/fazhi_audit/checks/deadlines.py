"""What disclosure-deadline and submission-deadline share: a date against MM-DD of the next year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fazhi_audit.checks.findings import deadline_words, fill, finding
from fazhi_audit.model.result import Evidence, Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text import dates
from fazhi_audit.text.document import Document

DEFAULT_DEADLINE = "04-01"
# The templates both types speak with (vocab/messages.yaml): the date checked, in time, not checked, explanation
WORDING = {"item": (), "pass": ("title", "date", "deadline"), "unchecked": (), "explain": ("due",)}


@dataclass(frozen=True)
class Params:
    deadline: str = DEFAULT_DEADLINE  # MM-DD of the year after the report's year


def deadline_finding(rule: Rule, doc: Document, when: str, evidence: Evidence | None = None) -> list[Finding]:
    """Is `when` (an ISO date) before the rule's MM-DD of report year + 1?

    The rule type decides which date is checked; its wording names it (`item`:
    发布日期 for disclosure-deadline, 落款日期 for submission-deadline).  Any date before the
    deadline passes, however early: a report dated before its year ended is a
    different defect (premature), not a late one.
    """
    deadline = dates.deadline(doc.meta.year, rule.params.deadline)
    label = dates.chinese_label(deadline)
    items = [ItemResult(rule.say("item"), date.fromisoformat(when) < deadline, evidence)] if evidence else []
    line = evidence.line if evidence else None
    values = {"date": when, "published": when, "signed": when, "deadline": label}
    if date.fromisoformat(when) >= deadline:
        return [finding(rule, "fail", fill(rule.message, **values), line=line, items=items, values=values)]
    return [finding(rule, "pass", rule.say("pass", title=rule.title, date=when, deadline=label), line=line, items=items)]


def placeholders(rule: Rule) -> dict[str, str]:
    return {"deadline": deadline_words(rule.params.deadline)}
