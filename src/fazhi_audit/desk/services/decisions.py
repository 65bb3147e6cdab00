"""Reviewers' decisions on findings: confirm, dismiss or back to pending, with a note; keyed by fingerprint.

A decision belongs to (submission, fingerprint), not to a line or to one
audit: after a re-audit the same finding has the same fingerprint and its
decision still applies. Decisions do not change the stored score or
verdict (README「审查台」): dismissed findings are left out of the counts
of open problems and out of the 通报.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import undefer

from fazhi_audit.desk.models import Decision, Submission, now
from fazhi_audit.desk.services import log
from fazhi_audit.desk.store import StoreError

CHOICES = {"confirm": "确认", "dismiss": "驳回", "pending": "待复核"}


def decide(store, submission_id: int, fingerprint: str, decision: str, note: str = "", user: str | None = None) -> dict:
    if decision not in CHOICES:
        raise StoreError(f"decision 须为 {'、'.join(CHOICES)} 之一，实为 {decision!r}")
    if len(note) > 2000:
        raise StoreError("说明最多 2000 个字")
    with store.session() as session:
        s = session.scalar(select(Submission).options(undefer(Submission.fingerprints)).where(Submission.id == submission_id))
        if s is None:
            raise LookupError(submission_id)
        if fingerprint not in {fp for fp in s.fingerprints if fp}:
            raise StoreError("该报告的当前检查结果中没有这个问题（fingerprint 不符）：请刷新页面后再操作")
        found = session.scalar(select(Decision).where(Decision.submission_id == submission_id, Decision.fingerprint == fingerprint))
        if found is None:
            found = Decision(submission_id=submission_id, fingerprint=fingerprint)
            session.add(found)
        found.decision, found.note, found.decided_by, found.decided_at, found.current = decision, note, user, now(), True
        log.record(session, user, f"decision.{decision}", f"submission {submission_id}", f"{fingerprint[:12]} {note}".strip())
        return {"fingerprint": fingerprint, "decision": decision, "note": note, "by": user}


def mark_current(session, submission_id: int, fingerprints) -> None:
    """After a re-audit: which of the submission's decisions are about findings it still has."""
    current = {fp for fp in fingerprints if fp}
    for found in session.scalars(select(Decision).where(Decision.submission_id == submission_id)):
        found.current = found.fingerprint in current


def dismissed(session, submission_ids) -> set[tuple[int, str]]:
    """(submission, fingerprint) of every dismissed finding among the submissions."""
    query = select(Decision.submission_id, Decision.fingerprint).where(Decision.decision == "dismiss", Decision.submission_id.in_(list(submission_ids)))
    return set(session.execute(query).all())


def dismissed_in_round(session, round_id: int) -> set[tuple[int, str]]:
    """(submission, fingerprint) of every dismissed finding in a round."""
    query = (
        select(Decision.submission_id, Decision.fingerprint)
        .join(Submission)
        .where(Submission.round_id == round_id, Decision.decision == "dismiss")
    )
    return set(session.execute(query).all())
