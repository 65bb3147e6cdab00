"""Rounds of review and their ranking: worst first, with reasons, reviewer status and duplicates."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from fazhi_audit.desk.models import Decision, Round, Submission
from fazhi_audit.desk.services import log
from fazhi_audit.desk.store import Store, StoreError

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DUPLICATES = 20  # ids listed per submission: the same file or the same body sent again


def default_title(year: int) -> str:
    return f"{year}年度法治政府建设年度报告审查"


def create_round(store: Store, year: int, title: str | None = None, user: str | None = None) -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise StoreError(f"年度须为 {MIN_YEAR}–{MAX_YEAR} 之间的整数，实为 {year!r}")
    title = (title or "").strip() or default_title(year)
    if len(title) > 200:
        raise StoreError("标题最多 200 个字")
    with store.session() as session:
        found = Round(year=year, title=title)
        session.add(found)
        session.flush()
        log.record(session, user, "round.create", f"round {found.id}", title)
        return found.id


def list_rounds(store: Store) -> list[dict]:
    with store.session() as session:
        counts = dict(session.execute(select(Submission.round_id, func.count(Submission.id)).group_by(Submission.round_id)).all())
        rounds = session.scalars(select(Round).order_by(Round.year.desc(), Round.id.desc())).all()
        return [{"id": r.id, "year": r.year, "title": r.title, "submissions": counts.get(r.id, 0)} for r in rounds]


def find_round(store: Store, key: str, user: str | None = None) -> int:
    """`--round`: a year (that year's round, made if there is none) or a round's exact title."""
    with store.session() as session:
        if key.isdigit() and MIN_YEAR <= int(key) <= MAX_YEAR:
            ids = session.scalars(select(Round.id).where(Round.year == int(key)).order_by(Round.id)).all()
            if len(ids) > 1:
                raise StoreError(f"审查库中有 {len(ids)} 个 {key} 年度的审查轮次：请用 --round 给出其中一个的完整标题")
            if ids:
                return ids[0]
        else:
            ids = session.scalars(select(Round.id).where(Round.title == key)).all()
            if ids:
                return ids[0]
            raise StoreError(f"审查库中没有标题为 {key!r} 的轮次：--round 请给出年度（如 2025，没有时自动创建）或已有轮次的完整标题")
    return create_round(store, int(key), user=user)


def get_round(session, round_id: int) -> Round:
    found = session.get(Round, round_id)
    if found is None:
        raise LookupError(round_id)
    return found


def status_label(problems: int, confirmed: int, dismissed: int) -> str:
    pending = problems - confirmed - dismissed
    if problems == 0:
        return "无问题"
    if pending == problems:
        return "待复核"
    return "复核中" if pending else "已复核"


def ranking(store: Store, round_id: int) -> dict:
    """The round with its submissions worst first: unreadable, then failing, then passing, lowest score first."""
    with store.session() as session:
        found = get_round(session, round_id)
        # plain rows of the columns shown, not ORM objects: a round of 1,000 loads in a fraction of the time
        columns = (Submission.id, Submission.name, Submission.body, Submission.level, Submission.year, Submission.title, Submission.score,
                   Submission.passed, Submission.reasons, Submission.error, Submission.problems,
                   Submission.sha256, Submission.uploaded_at, Submission.tool_version, Submission.rules_version)
        rows = session.execute(select(*columns).where(Submission.round_id == round_id)).all()
        decided: dict[int, dict[str, int]] = defaultdict(dict)
        query = (
            select(Decision.submission_id, Decision.decision, func.count())
            .join(Submission)
            .where(Submission.round_id == round_id, Decision.current.is_(True))
            .group_by(Decision.submission_id, Decision.decision)
        )
        for submission_id, decision, count in session.execute(query):
            decided[submission_id][decision] = count
        by_sha: dict[str, list[int]] = defaultdict(list)
        by_body: dict[str, list[int]] = defaultdict(list)
        for s in rows:
            by_sha[s.sha256].append(s.id)
            if s.body:
                by_body[s.body].append(s.id)
        items = []
        for s in rows:
            marks = decided.get(s.id, {})
            confirmed, dismissed = marks.get("confirm", 0), marks.get("dismiss", 0)
            same = by_sha[s.sha256] if len(by_sha[s.sha256]) > 1 else []
            if s.body and len(by_body[s.body]) > 1:
                same = same + by_body[s.body]
            same = sorted(set(same) - {s.id})[:MAX_DUPLICATES] if same else []
            items.append(
                {
                    "id": s.id,
                    "name": s.name,
                    "body": s.body,
                    "level": s.level,
                    "year": s.year,
                    "title": s.title,
                    "score": s.score,
                    "passed": s.passed,
                    "reasons": list(s.reasons),
                    "error": s.error,
                    "problems": s.problems,
                    "confirmed": confirmed,
                    "dismissed": dismissed,
                    "pending": s.problems - confirmed - dismissed,
                    "status": status_label(s.problems, confirmed, dismissed),
                    "duplicates": same,
                    "sha256": s.sha256,
                    "uploaded_at": s.uploaded_at.isoformat(),
                    "tool_version": s.tool_version,
                    "rules_version": s.rules_version,
                }
            )
        items.sort(key=lambda i: (i["error"] is None, i["passed"], i["score"] if i["score"] is not None else -1, i["id"]))
        for rank, item in enumerate(items, 1):
            item["rank"] = rank
        return {"id": found.id, "year": found.year, "title": found.title, "submissions": items}
