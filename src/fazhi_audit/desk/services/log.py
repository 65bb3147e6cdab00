"""The desk's audit log: one row per change, written in the same transaction as the change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_audit.desk.models import LogEntry


def record(session: Session, user: str | None, action: str, target: str = "", detail: str = "") -> None:
    session.add(LogEntry(user=user, action=action, target=target[:300], detail=detail))


def entries(session: Session, limit: int = 200) -> list[dict]:
    rows = session.scalars(select(LogEntry).order_by(LogEntry.id.desc()).limit(limit))
    return [{"at": r.at.isoformat(), "user": r.user, "action": r.action, "target": r.target, "detail": r.detail} for r in rows]
