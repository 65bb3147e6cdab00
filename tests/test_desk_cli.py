"""`check --store … --round …` and `users add`: the command line's side of the review desk (SQLite store)."""

from __future__ import annotations

import json

import pytest
import shutil

from conftest import ROOT, SEEDS

from fazhi_audit.desk.services import rounds, submissions, users
from fazhi_audit.desk.store import open_store
from command import fazhi_audit

pytestmark = pytest.mark.slow  # each test starts the command in its own process (the store is opened per process)


def cli(*args: str, stdin: bytes | None = None, cwd=ROOT):
    """A process of its own for each run (tests/command.py): the store is opened and closed per process."""
    return fazhi_audit(*args, stdin=stdin, cwd=cwd, process=True)


def test_check_with_a_store_records_the_batch_with_the_same_verdicts(tmp_path):
    reports = tmp_path / "报告"
    reports.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, reports / seed.name)
    store = tmp_path / "review.db"
    plain = cli("check", str(reports), "--format", "json", "--no-config", "-j", "1")
    stored = cli("check", str(reports), "--format", "json", "--no-config", "-j", "1", "--store", str(store), "--round", "2024")
    assert stored.returncode == plain.returncode and plain.returncode in (0, 1)
    verdicts = lambda out: [(r["path"], r["score"], r["passed"], r["reasons"] if "reasons" in r else None) for r in json.loads(out)["reports"]]  # noqa: E731
    assert verdicts(stored.stdout) == verdicts(plain.stdout)
    assert "已记入审查库" in stored.stderr and "3 份报告" in stored.stderr

    opened = open_store(str(store))
    listed = rounds.list_rounds(opened)
    assert [(r["year"], r["title"], r["submissions"]) for r in listed] == [(2024, "2024年度法治政府建设年度报告审查", 3)]
    by_name = {r["name"]: r for r in rounds.ranking(opened, listed[0]["id"])["submissions"]}
    for report in json.loads(plain.stdout)["reports"]:
        name = report["path"].rsplit("/", 1)[-1]
        assert (by_name[name]["score"], by_name[name]["passed"]) == (report["score"], report["passed"])
        detail = submissions.detail(opened, by_name[name]["id"])
        assert [f["rule"] for f in detail["result"]["reports"][0]["findings"]] == [f["rule"] for f in report["findings"]]
        assert submissions.original(opened, by_name[name]["id"])[1] == (reports / name).read_bytes()
    opened.close()

    # the stored result gives back exactly what `check --format json` prints for that report
    name = sorted(by_name)[0]
    alone = cli("check", name, "--format", "json", "--no-config", "-j", "1", cwd=reports)
    opened = open_store(str(store))
    assert submissions.check_json(opened, by_name[name]["id"]) == (name, alone.stdout)
    opened.close()

    again = cli("check", str(reports / name), "--no-config", "-q", "--store", str(store), "--round", "2024")
    assert again.returncode in (0, 1)
    opened = open_store(str(store))
    assert rounds.list_rounds(opened)[0]["submissions"] == 4  # the same round, found by its year
    opened.close()


def test_store_options_are_checked_before_the_audit(tmp_path):
    seed = str(min(SEEDS.glob("*.txt")))
    for args, needle in [
        (["--round", "2024"], "--round 须与 --store 同用"),
        (["--store", str(tmp_path / "r.db")], "--store 须与 --round 同用"),
        (["--store", str(tmp_path / "none" / "r.db"), "--round", "2024"], "目录不存在"),
        (["--store", "mysql://x@y/z", "--round", "2024"], "不支持 mysql"),
        (["--store", str(tmp_path / "r.db"), "--round", "没有这个轮次"], "没有标题为"),
    ]:
        done = cli("check", seed, "--no-config", *args)
        assert done.returncode == 2, args
        err = done.stderr
        assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_a_store_from_a_newer_version_is_refused_by_the_command(tmp_path):
    path = tmp_path / "r.db"
    open_store(str(path)).close()
    import sqlite3

    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'zz99'")
    done = cli("check", str(min(SEEDS.glob("*.txt"))), "--no-config", "--store", str(path), "--round", "2024")
    assert done.returncode == 2 and "更新版本" in done.stderr


def test_users_add_reads_the_password_from_stdin(tmp_path):
    path = str(tmp_path / "r.db")
    done = cli("users", "add", "张三", "--store", path, "--password-stdin", stdin="一个足够长的密码\n".encode())
    assert done.returncode == 0, done.stderr
    assert "已添加用户 张三" in done.stdout
    opened = open_store(path)
    assert users.verify(opened, "张三", "一个足够长的密码") and not users.verify(opened, "张三", "一个足够长的密码\n")
    opened.close()
    again = cli("users", "add", "张三", "--store", path, "--password-stdin", stdin=b"another long one\n")
    assert again.returncode == 2 and "已存在" in again.stderr
    short = cli("users", "add", "李四", "--store", path, "--password-stdin", stdin=b"short\n")
    assert short.returncode == 2 and "至少 8" in short.stderr
    missing = cli("users", "add", "李四", "--password-stdin", stdin=b"long enough pw\n")
    assert missing.returncode == 2 and "--store" in missing.stderr


def test_serve_beyond_loopback_without_users_refuses_to_start(tmp_path):
    done = cli("serve", "--store", str(tmp_path / "r.db"), "--host", "0.0.0.0", "--port", "1")
    err = done.stderr
    assert done.returncode == 2 and "fazhi-audit users add" in err and "Traceback" not in err
