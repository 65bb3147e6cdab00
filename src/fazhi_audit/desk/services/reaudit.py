"""Audit reports for a round: new uploads, or every stored report again with the current rules.

Either way the files are written to a temporary folder together with last
year's stored reports (folder/上一年度), and `audits.audit_folder` runs the
engine there: each report is paired with the previous year's report of the
same body automatically. A re-audit replaces each submission's audit and
keeps its decisions (they are keyed by fingerprint).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fazhi_audit.desk.models import Submission
from fazhi_audit.desk.services import log
from fazhi_audit.desk.services.audits import Audited, audit_folder
from fazhi_audit.desk.services.decisions import mark_current
from fazhi_audit.desk.services.rounds import get_round
from fazhi_audit.desk.services.submissions import _apply, write_previous_year


@dataclass
class Prepared:
    """A folder ready for `audit_folder`: the reports to audit and whether last year's are beside them."""

    folder: Path
    entries: list[tuple[str, str]]  # (path inside the folder, stored name)
    previous: bool
    ids: dict[str, int]  # path inside the folder -> submission id (re-audit only)

    def args(self, flags: dict | None = None) -> tuple:
        return (str(self.folder), self.entries, self.previous, flags or {})

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def round_year(store, round_id: int) -> int:
    with store.session() as session:
        return get_round(session, round_id).year


def prepare_upload(store, round_id: int, folder: Path, names: list[str]) -> Prepared:
    """Uploaded files already saved as folder/name: add last year's reports beside them."""
    previous = write_previous_year(store, round_year(store, round_id), folder) > 0
    return Prepared(Path(folder), [(name, name) for name in names], previous, {})


def attach_data(prepared: Prepared, audited: list[Audited]) -> list[Audited]:
    """Each audited upload with its file's bytes, read from the folder it was audited in."""
    for item in audited:
        item.data = (prepared.folder / item.source).read_bytes()
    return audited


def prepare_reaudit(store, round_id: int, only: int | None = None) -> Prepared:
    """The round's stored reports (or the one submission `only`) in a new temporary folder, with last year's beside them."""
    folder = Path(tempfile.mkdtemp(prefix="fazhi-audit-desk-"))
    try:
        year = round_year(store, round_id)
        entries, ids = [], {}
        query = select(Submission.id, Submission.name, Submission.data).where(Submission.round_id == round_id).order_by(Submission.id)
        if only is not None:
            query = query.where(Submission.id == only)
        with store.session() as session:
            for sid, name, data in session.execute(query):
                path = f"{sid}/{name}"
                (folder / str(sid)).mkdir()
                (folder / path).write_bytes(data)
                entries.append((path, name))
                ids[path] = sid
        previous = write_previous_year(store, year, folder) > 0
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Prepared(folder, entries, previous, ids)


def apply_reaudit(store, round_id: int, prepared: Prepared, audited: list[Audited], user: str | None = None) -> int:
    """Replace each submission's audit with the new one; decisions stay. Returns how many were re-audited."""
    from fazhi_audit.desk.models import now

    with store.session() as session:
        for item in audited:
            submission = session.get(Submission, prepared.ids[item.source])
            if submission is None:  # removed meanwhile
                continue
            _apply(submission, item)
            submission.audited_at = now()
            mark_current(session, submission.id, item.fingerprints)
        log.record(session, user, "round.reaudit", f"round {round_id}", f"{len(audited)} 份")
    return len(audited)


def reaudit_round(store, round_id: int, user: str | None = None, flags: dict | None = None) -> int:
    """Re-audit every report of the round in this process (the web page does the audit in its audit processes)."""
    prepared = prepare_reaudit(store, round_id)
    try:
        if not prepared.entries:
            return 0
        audited = audit_folder(*prepared.args(flags))
        return apply_reaudit(store, round_id, prepared, audited, user)
    finally:
        prepared.remove()

