"""The desk's audit log: one row per change, written in the same transaction as the change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_audit.desk.models import LogEntry


# what each action is called on the page
ACTIONS = {
    "round.create": "新建轮次", "submissions.add": "上传报告", "round.reaudit": "重新检查", "round.circular": "导出通报",
    "decision.confirm": "确认问题", "decision.dismiss": "驳回问题", "decision.pending": "改回待复核",
    "user.add": "添加用户", "login": "登录",
}


def record(session: Session, user: str | None, action: str, target: str = "", detail: str = "") -> None:
    session.add(LogEntry(user=user, action=action, target=target[:300], detail=detail))


def entries(session: Session, limit: int = 200) -> list[dict]:
    rows = session.scalars(select(LogEntry).order_by(LogEntry.id.desc()).limit(limit))
    return [{"at": r.at.isoformat(), "user": r.user, "action": r.action, "target": r.target, "detail": r.detail} for r in rows]


def recent(store, limit: int = 200) -> list[dict]:
    """The newest entries of the audit log, newest first."""
    with store.session() as session:
        return entries(session, limit)
