"""The review store and the desk's services, on SQLite and on a real PostgreSQL (tests/desk_support.py)."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
import sys
import threading

import pytest
from desk_support import FOLLOW, audited_seeds, fresh, pg_cluster, store, store_url  # noqa: F401  (fixtures)
from sqlalchemy import text

from fazhi_audit.desk.services import (
    decisions,
    exports,
    history,
    reaudit,
    rounds,
    submissions,
    users,
)
from fazhi_audit.desk.services.audits import audit_folder
from fazhi_audit.desk.store import StoreError, engine_url, head_revision, open_store

# ---------------------------------------------------------------- opening, migrations


def test_store_urls():
    assert engine_url("review.db").startswith("sqlite:////") and engine_url("review.db").endswith("/review.db")
    assert engine_url("sqlite:///x.db") == "sqlite:///x.db"
    assert engine_url("postgresql://u@h/db").startswith("postgresql+psycopg://u@h/db")
    with pytest.raises(StoreError, match="不支持 mysql"):
        engine_url("mysql://u@h/db")


def test_a_new_store_is_at_the_newest_schema_and_matches_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from fazhi_audit.desk.models import Base

    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_a_store_from_a_newer_version_is_refused_and_left_alone(store_url):
    first = open_store(store_url)
    rounds.create_round(first, 2024)
    with first.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    first.close()
    with pytest.raises(StoreError, match="更新版本.*9999.*升级 fazhi-audit"):
        open_store(store_url)
    from sqlalchemy import create_engine

    engine = create_engine(engine_url(store_url))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        assert connection.execute(text("SELECT count(*) FROM rounds")).scalar() == 1
    engine.dispose()


def test_reopening_keeps_everything(store_url, audited_seeds):
    first = open_store(store_url)
    round_id = rounds.create_round(first, 2024)
    submissions.record(first, round_id, fresh(audited_seeds)[:1])
    first.close()
    second = open_store(store_url)
    assert rounds.list_rounds(second) == [{"id": round_id, "year": 2024, "title": "2024年度法治政府建设年度报告审查", "submissions": 1}]
    second.close()


def test_a_sqlite_store_in_a_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(StoreError, match="目录不存在"):
        open_store(str(tmp_path / "no" / "review.db"))


def test_sqlite_store_uses_wal(tmp_path):
    opened = open_store(str(tmp_path / "r.db"))
    with opened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    opened.close()


# ---------------------------------------------------------------- what is kept


def test_recorded_reports_keep_file_hash_and_the_json_formatter_output(store, audited_seeds):
    round_id = rounds.create_round(store, 2024, "2024年度法治政府建设年度报告审查")
    added = submissions.record(store, round_id, fresh(audited_seeds), user="张三")
    assert [a["name"] for a in added] == [a.name for a in audited_seeds]
    for item, row in zip(audited_seeds, added):
        detail = submissions.detail(store, row["id"])
        assert detail["sha256"] == item.sha256
        name, data = submissions.original(store, row["id"])
        assert (name, data) == (item.name, item.data)
        doc = detail["result"]
        assert doc["schema_version"] == 1 and doc["tool"]["version"] == item.tool_version
        assert [r["path"] for r in doc["reports"]] == [item.name]
        assert doc["reports"][0]["score"] == item.score and doc["reports"][0]["passed"] == item.passed
        problems = [f for f in doc["reports"][0]["findings"] if f["status"] != "pass"]
        assert len(problems) == item.problems and all(len(f["fingerprint"]) == 64 for f in problems)
        assert all(f["fingerprint"] is None for f in doc["reports"][0]["findings"] if f["status"] == "pass")
        assert detail["rules_version"] == item.rules_version and "条规则-" in item.rules_version
        assert submissions.report_html(store, row["id"]) is None  # made on a report's first view in the web page


def test_ranking_is_worst_first_with_duplicates(store, audited_seeds):
    round_id = rounds.create_round(store, 2024)
    items = fresh(audited_seeds)
    submissions.record(store, round_id, items + fresh(audited_seeds)[:1])  # the first file twice
    ranked = rounds.ranking(store, round_id)["submissions"]
    keys = [(r["passed"], r["score"]) for r in ranked]
    assert keys == sorted(keys)
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    twice = [r for r in ranked if r["name"] == items[0].name]
    assert len(twice) == 2 and twice[0]["duplicates"] == [twice[1]["id"]] and twice[1]["duplicates"] == [twice[0]["id"]]
    assert all(r["duplicates"] == [] for r in ranked if r["name"] != items[0].name)
    failing = [r for r in ranked if not r["passed"]]
    assert failing and all(r["reasons"] for r in failing)


def test_a_dismissal_changes_the_counts_not_the_score(store, audited_seeds):
    round_id = rounds.create_round(store, 2024)
    sid = submissions.record(store, round_id, fresh(audited_seeds))[0]["id"]
    before = next(r for r in rounds.ranking(store, round_id)["submissions"] if r["id"] == sid)
    findings = [f for f in submissions.detail(store, sid)["result"]["reports"][0]["findings"] if f["fingerprint"]]
    decisions.decide(store, sid, findings[0]["fingerprint"], "dismiss", "已在附件中说明", user="李四")
    decisions.decide(store, sid, findings[1]["fingerprint"], "confirm", user="李四")
    after = next(r for r in rounds.ranking(store, round_id)["submissions"] if r["id"] == sid)
    assert (after["score"], after["passed"]) == (before["score"], before["passed"])
    assert (before["pending"], before["dismissed"], before["confirmed"]) == (len(findings), 0, 0)
    assert (after["pending"], after["dismissed"], after["confirmed"]) == (len(findings) - 2, 1, 1)
    assert after["status"] == "复核中"
    kept = submissions.detail(store, sid)["decisions"][findings[0]["fingerprint"]]
    assert (kept["decision"], kept["note"], kept["by"]) == ("dismiss", "已在附件中说明", "李四")
    decisions.decide(store, sid, findings[0]["fingerprint"], "pending")
    assert next(r for r in rounds.ranking(store, round_id)["submissions"] if r["id"] == sid)["dismissed"] == 0
    with pytest.raises(StoreError, match="fingerprint"):
        decisions.decide(store, sid, "0" * 64, "dismiss")
    with pytest.raises(StoreError, match="decision"):
        decisions.decide(store, sid, findings[0]["fingerprint"], "maybe")
    with store.session() as session:
        from fazhi_audit.desk.services import log

        actions = [e["action"] for e in log.entries(session)]
    assert actions[:3] == ["decision.pending", "decision.confirm", "decision.dismiss"]


def test_a_reaudit_keeps_decisions(store, audited_seeds):
    round_id = rounds.create_round(store, 2024)
    added = submissions.record(store, round_id, fresh(audited_seeds)[:2])
    sid = added[0]["id"]
    fingerprint = next(f["fingerprint"] for f in submissions.detail(store, sid)["result"]["reports"][0]["findings"] if f["fingerprint"])
    decisions.decide(store, sid, fingerprint, "dismiss", "误报")
    before = submissions.detail(store, sid)
    assert reaudit.reaudit_round(store, round_id, flags={"jobs": 1}) == 2
    after = submissions.detail(store, sid)
    assert after["audited_at"] > before["audited_at"]
    assert after["score"] == before["score"]
    assert after["decisions"][fingerprint]["decision"] == "dismiss" and after["decisions"][fingerprint]["current"]
    assert next(r for r in rounds.ranking(store, round_id)["submissions"] if r["id"] == sid)["dismissed"] == 1


def test_history_and_the_previous_year_pairing(store, tmp_path):
    def upload(round_id, path):
        folder = tmp_path / f"up{round_id}"
        folder.mkdir()
        shutil.copy(path, folder / path.name)
        prepared = reaudit.prepare_upload(store, round_id, folder, [path.name])
        audited = reaudit.attach_data(prepared, audit_folder(*prepared.args({"jobs": 1})))
        return prepared.previous, submissions.record(store, round_id, audited)[0]

    last = rounds.create_round(store, 2023)
    this = rounds.create_round(store, 2024)
    paired, old = upload(last, FOLLOW / "previous" / "lingxi-county-2023.txt")
    assert not paired  # nothing stored for 2022
    paired, new = upload(this, FOLLOW / "reports" / "01_lingxi-county-2024.txt")
    assert paired
    carry = next(f for f in submissions.detail(store, new["id"])["result"]["reports"][0]["findings"] if f["rule"] == "quality.carry-over")
    assert "lingxi-county-2023.txt" in carry["message"] and "上一年度报告" in carry["message"]
    rows = history.body_history(store, new["body"])
    assert [(r["year"], r["submission"]) for r in rows] == [(2023, old["id"]), (2024, new["id"])]
    assert all(isinstance(r["unmet"], list) for r in rows)
    assert rows[1]["score"] == new["score"]


# ---------------------------------------------------------------- exports


def test_exports_list_every_body_and_leave_dismissed_problems_out(store, audited_seeds):
    import docx
    import openpyxl

    round_id = rounds.create_round(store, 2024)
    added = submissions.record(store, round_id, fresh(audited_seeds))
    book = openpyxl.load_workbook(io.BytesIO(exports.round_xlsx(store, round_id)))
    ranking_rows = list(book["排名"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in ranking_rows) == sorted(a["body"] for a in added)
    problem_rows = len(list(book["问题"].iter_rows(min_row=2)))
    assert problem_rows == sum(a["problems"] for a in added)

    document = docx.Document(io.BytesIO(exports.circular_docx(store, round_id)))
    table = document.tables[0]
    assert len(table.rows) == len(added) + 1
    assert {row.cells[1].text for row in table.rows[1:]} == {a["body"] for a in added}
    text_before = "\n".join(p.text for p in document.paragraphs)
    failing = [a for a in added if not a["passed"]]
    for a in failing:
        assert any(p.startswith(a["body"] + "：得分") for p in text_before.splitlines())

    # dismiss one problem rule everywhere it occurs: its count leaves the 通报's common problems
    top_rule, top_title, count = exports.common_problems(store, round_id)[0]
    for a in added:
        for f in submissions.detail(store, a["id"])["result"]["reports"][0]["findings"]:
            if f["rule"] == top_rule and f["fingerprint"]:
                decisions.decide(store, a["id"], f["fingerprint"], "dismiss")
    assert top_rule not in [rule for rule, _, _ in exports.common_problems(store, round_id)]
    book = openpyxl.load_workbook(io.BytesIO(exports.round_xlsx(store, round_id)))
    assert len(list(book["问题"].iter_rows(min_row=2))) < problem_rows
    text_after = "\n".join(p.text for p in docx.Document(io.BytesIO(exports.circular_docx(store, round_id))).paragraphs)
    assert f"{top_title}（{count} 个单位）" in text_before and f"{top_title}（" not in text_after


# ---------------------------------------------------------------- users


def test_users_are_stored_with_argon2_and_verified(store):
    users.add_user(store, "王五", "correct horse")
    assert users.user_count(store) == 1
    assert users.verify(store, "王五", "correct horse")
    assert not users.verify(store, "王五", "wrong horse")
    assert not users.verify(store, "nobody", "correct horse")
    with store.session() as session:
        stored = session.execute(text("SELECT password_hash FROM users")).scalar()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    with pytest.raises(StoreError, match="已存在"):
        users.add_user(store, "王五", "another password")
    with pytest.raises(StoreError, match="至少 8"):
        users.add_user(store, "赵六", "short")


# ---------------------------------------------------------------- concurrency and crashes (SQLite)


def test_eight_concurrent_writers_leave_the_store_consistent(tmp_path, audited_seeds):
    path = str(tmp_path / "busy.db")
    open_store(path).close()
    round_id = rounds.create_round(open_store(path), 2024)
    errors = []

    def client(n: int) -> None:
        mine = open_store(path)  # each client its own engine, as separate server processes would
        try:
            for _ in range(3):
                items = fresh(audited_seeds)
                submissions.record(mine, round_id, items)
                sid = submissions.record(mine, round_id, fresh(audited_seeds)[:1])[0]["id"]
                fingerprint = next(fp for fp in audited_seeds[0].fingerprints if fp)
                decisions.decide(mine, sid, fingerprint, "dismiss", f"client {n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            mine.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = open_store(path)
    ranked = rounds.ranking(check, round_id)["submissions"]
    assert len(ranked) == 8 * 3 * (len(audited_seeds) + 1)
    assert len({r["id"] for r in ranked}) == len(ranked)
    assert rounds.list_rounds(check)[0]["submissions"] == len(ranked)
    assert sum(r["dismissed"] for r in ranked) == 8 * 3
    check.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILLED_WRITER = r"""
import os, signal, sys
from fazhi_audit.desk.store import open_store
from fazhi_audit.desk.models import Submission
store = open_store(sys.argv[1])
with store.session() as session:
    session.add(Submission(round_id=int(sys.argv[2]), name="half.txt", sha256="0" * 64, data=b"x" * 1_000_000,
                           passed=False, reasons=[], problems=0, result_json="{}", report_html=b"", fingerprints=[],
                           problem_rules=[], tool_version="0", rules_version="0"))
    session.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # the server dies mid-upload, before the commit
"""


def test_a_writer_killed_mid_upload_loses_only_that_upload(tmp_path, audited_seeds):
    path = str(tmp_path / "crash.db")
    first = open_store(path)
    round_id = rounds.create_round(first, 2024)
    submissions.record(first, round_id, fresh(audited_seeds))
    first.close()
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, path, str(round_id)], capture_output=True, timeout=120)
    assert done.returncode == -9
    again = open_store(path)
    names = [r["name"] for r in rounds.ranking(again, round_id)["submissions"]]
    assert sorted(names) == sorted(a.name for a in audited_seeds)
    submissions.record(again, round_id, fresh(audited_seeds)[:1])  # and the store takes the next upload
    assert len(rounds.ranking(again, round_id)["submissions"]) == len(audited_seeds) + 1
    again.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


RULES_VERSION = """
from fazhi_audit.engine.run import load_rules
from fazhi_audit.desk.services.audits import rules_version
class Outcome: rules = load_rules().rules
print(rules_version(Outcome))
"""


def test_the_rules_version_is_the_same_in_every_process():
    import os

    seen = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", RULES_VERSION], capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout.strip())
    assert len(seen) == 1 and "条规则-" in seen.pop()


NEXT_REVISION = '''"""A later version's change: a column added to rounds.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("deadline", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("deadline")
'''


def test_a_store_made_by_this_version_opens_in_the_next(store_url, audited_seeds, tmp_path, monkeypatch):
    from fazhi_audit.desk import store as store_module

    first = open_store(store_url)
    round_id = rounds.create_round(first, 2024)
    sid = submissions.record(first, round_id, fresh(audited_seeds)[:1])[0]["id"]
    first.close()
    # the next version: this version's migrations plus one more
    later = tmp_path / "migrations"
    shutil.copytree(store_module.MIGRATIONS, later, ignore=shutil.ignore_patterns("__pycache__"))
    (later / "versions" / "v0002_deadline.py").write_text(NEXT_REVISION, encoding="utf-8")
    monkeypatch.setattr(store_module, "MIGRATIONS", later)
    upgraded = open_store(store_url)
    with upgraded.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        assert connection.execute(text("SELECT deadline FROM rounds")).all() == [(None,)]
    assert submissions.detail(upgraded, sid)["sha256"] == audited_seeds[0].sha256
    upgraded.close()
    monkeypatch.undo()  # and this version, opening the store the next one wrote, refuses it
    with pytest.raises(StoreError, match="0002"):
        open_store(store_url)
