"""The tables of a review store (SQLAlchemy 2 declarative models).

The schema itself is made and changed only by the Alembic migrations in
desk/migrations/versions; these classes must agree with the newest one
(tests/test_desk_store.py compares them).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    deferred,
    mapped_column,
    relationship,
)


def now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Round(Base):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    submissions: Mapped[list[Submission]] = relationship(back_populates="round", cascade="all, delete-orphan")


class Submission(Base):
    """One report file sent in for a round, with its current audit (a re-audit replaces the audit, not the file)."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))  # the file's name as sent
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))  # the original file
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    # from the audit
    body: Mapped[str | None] = mapped_column(String(200), index=True)
    level: Mapped[str | None] = mapped_column(String(40))  # the profile: township, county, department, generic
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(300))
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[int] = mapped_column(Integer, default=0)  # findings that are not passes
    result_json: Mapped[str] = deferred(mapped_column(Text, nullable=False))  # the JSON formatter's document for this report alone (compact)
    report_html: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))  # `check --format html` for it, zlib-compressed; made on first view
    fingerprints: Mapped[list] = deferred(mapped_column(JSON, nullable=False))  # per finding, its line-free fingerprint (None for a pass)
    problem_rules: Mapped[list] = mapped_column(JSON, default=list)  # [[fingerprint, rule, title], …] of the problems
    tool_version: Mapped[str] = mapped_column(String(40))
    rules_version: Mapped[str] = mapped_column(String(80))
    audited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    round: Mapped[Round] = relationship(back_populates="submissions")
    decisions: Mapped[list[Decision]] = relationship(cascade="all, delete-orphan")


class Decision(Base):
    """A reviewer's word on one finding of one submission, keyed by the finding's line-free fingerprint."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("submission_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))  # confirm | dismiss | pending
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # the finding is in the submission's current audit


class LogEntry(Base):
    """Who did what, when: the desk's audit log."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    user: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
