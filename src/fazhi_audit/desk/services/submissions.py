"""Submissions: record audited reports in a round, read one back, and find last year's reports to pair with."""

from __future__ import annotations

import zlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import undefer

from fazhi_audit.desk.models import Decision, Submission
from fazhi_audit.desk.services import log
from fazhi_audit.desk.services.audits import (
    PREVIOUS_FOLDER,
    Audited,
    result_with_fingerprints,
)
from fazhi_audit.desk.services.rounds import get_round


def _apply(submission: Submission, audited: Audited) -> None:
    for key in ("title", "body", "year", "level", "score", "passed", "reasons", "error", "problems", "result_json",
                "report_html", "fingerprints", "problem_rules", "tool_version", "rules_version"):
        setattr(submission, key, getattr(audited, key))


def record(store, round_id: int, audited: list[Audited], user: str | None = None) -> list[dict]:
    """Add the audited reports (each with its file's bytes) to the round, in one transaction."""
    with store.session() as session:
        get_round(session, round_id)
        added = []
        for item in audited:
            submission = Submission(round_id=round_id, name=item.name, sha256=item.sha256, data=item.data, uploaded_by=user)
            _apply(submission, item)
            session.add(submission)
            added.append(submission)
        session.flush()
        log.record(session, user, "submissions.add", f"round {round_id}", "、".join(f"{s.id}:{s.name}" for s in added))
        return [summary(s) for s in added]


def summary(s: Submission) -> dict:
    return {"id": s.id, "name": s.name, "body": s.body, "year": s.year, "score": s.score, "passed": s.passed,
            "reasons": list(s.reasons), "error": s.error, "problems": s.problems, "sha256": s.sha256}


def detail(store, submission_id: int) -> dict:
    """One submission: its stored audit result (findings with `fingerprint`) and the reviewers' decisions."""
    with store.session() as session:
        s = session.scalar(select(Submission).options(undefer(Submission.result_json), undefer(Submission.fingerprints)).where(Submission.id == submission_id))
        if s is None:
            raise LookupError(submission_id)
        decisions = session.scalars(select(Decision).where(Decision.submission_id == submission_id)).all()
        current = {fp for fp in s.fingerprints if fp}
        return {
            **summary(s),
            "round": s.round_id,
            "title": s.title,
            "level": s.level,
            "uploaded_at": s.uploaded_at.isoformat(),
            "uploaded_by": s.uploaded_by,
            "audited_at": s.audited_at.isoformat(),
            "tool_version": s.tool_version,
            "rules_version": s.rules_version,
            "result": result_with_fingerprints(s.result_json, s.fingerprints),
            "decisions": {
                d.fingerprint: {"decision": d.decision, "note": d.note, "by": d.decided_by, "at": d.decided_at.isoformat(), "current": d.fingerprint in current}
                for d in decisions
            },
        }


def report_html(store, submission_id: int) -> str | None:
    """The stored HTML report, or None when it has not been made yet (LookupError: no such submission)."""
    with store.session() as session:
        row = session.execute(select(Submission.report_html).where(Submission.id == submission_id)).first()
    if row is None:
        raise LookupError(submission_id)
    return zlib.decompress(row[0]).decode("utf-8") if row[0] is not None else None


def placement(store, submission_id: int) -> tuple[int, object]:
    """(round id, when it was last audited) of a submission."""
    with store.session() as session:
        row = session.execute(select(Submission.round_id, Submission.audited_at).where(Submission.id == submission_id)).first()
    if row is None:
        raise LookupError(submission_id)
    return row[0], row[1]


def keep_report_html(store, submission_id: int, audited: Audited, audited_at) -> None:
    """Keep the HTML report made on first view, unless the submission was re-audited meanwhile."""
    with store.session() as session:
        found = session.get(Submission, submission_id)
        if found is not None and found.audited_at == audited_at:
            found.report_html = audited.report_html


def check_json(store, submission_id: int) -> tuple[str, str]:
    """(file name, the text `check --format json` prints for the stored result)."""
    from fazhi_audit.desk.services.audits import as_check_json

    with store.session() as session:
        row = session.execute(select(Submission.name, Submission.result_json).where(Submission.id == submission_id)).first()
    if row is None:
        raise LookupError(submission_id)
    return row[0], as_check_json(row[1])


def original(store, submission_id: int) -> tuple[str, bytes]:
    with store.session() as session:
        row = session.execute(select(Submission.name, Submission.data).where(Submission.id == submission_id)).first()
    if row is None:
        raise LookupError(submission_id)
    return row[0], row[1]


def write_previous_year(store, year: int, folder: Path) -> int:
    """Write the stored reports of `year - 1` (the newest per body) into folder/上一年度, for the engine to pair
    each report with its body's by title; returns how many were written."""
    target = Path(folder) / PREVIOUS_FOLDER
    with store.session() as session:
        query = (
            select(Submission.id, Submission.body, Submission.name)
            .where(Submission.year == year - 1, Submission.error.is_(None), Submission.body.is_not(None))
            .order_by(Submission.uploaded_at.desc(), Submission.id.desc())
        )
        newest: dict[str, tuple[int, str]] = {}
        for sid, body, name in session.execute(query):
            newest.setdefault(body, (sid, name))
        for sid, name in newest.values():
            data = session.scalar(select(Submission.data).where(Submission.id == sid))
            place = target / str(sid)
            place.mkdir(parents=True, exist_ok=True)
            (place / name).write_bytes(data)
    return len(newest)


def record_run(store, round_id: int, outcome, user: str | None = None) -> tuple[list[dict], list[str]]:
    """Store the reports of a run the caller made (`check --store`): each file's bytes as read now.

    Returns the submissions added and one line per file that could not be kept.
    """
    from fazhi_audit.desk.services.audits import from_run

    kept, notes = [], []
    for item in from_run(outcome):
        try:
            item.data = Path(item.source).read_bytes()
        except OSError as exc:
            notes.append(f"未存入审查库：{item.source}：{exc.strerror or exc}")
            continue
        kept.append(item)
    return (record(store, round_id, kept, user) if kept else []), notes
