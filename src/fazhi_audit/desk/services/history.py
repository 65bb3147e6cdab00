"""A body's history across years: score, verdict and unmet rules per year, from every round in the store."""

from __future__ import annotations

from sqlalchemy import select

from fazhi_audit.desk.models import Round, Submission
from fazhi_audit.desk.services.decisions import dismissed
from fazhi_audit.engine.previous import same_body


def body_history(store, body: str) -> list[dict]:
    """[{year, round, score, passed, unmet}] oldest first; a body's name may vary between years (中共某镇委员会 某镇人民政府 / 某镇人民政府)."""
    with store.session() as session:
        rows = session.execute(
            select(Submission, Round.title, Round.year).join(Round).where(Submission.body.is_not(None)).order_by(Round.year, Submission.uploaded_at)
        ).all()
        mine = [(s, title, round_year) for s, title, round_year in rows if s.body == body or same_body(s.body, body)]
        gone = dismissed(session, [s.id for s, _, _ in mine])
        out = []
        for s, title, round_year in mine:
            unmet = sorted({rule_title for fp, _rule, rule_title in s.problem_rules if (s.id, fp) not in gone})
            out.append({"year": s.year or round_year, "round": title, "round_id": s.round_id, "submission": s.id, "body": s.body,
                        "score": s.score, "passed": s.passed, "unmet": unmet})
        return out
