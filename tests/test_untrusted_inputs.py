"""Folders received from other offices cannot steer or stall a run.

A supervising office audits files it did not write. Nothing placed among
them may change the settings (configs next to the reports), hang the run
(a FIFO named like a report), swap in another file (a symlink leading out
of the folder), turn the batch into exit 3 (Word lock files), hide reports
(unreadable sub-folders) or break an output (file names that are not UTF-8).
Every fixture is built here, in tmp_path; every attack runs the real CLI.
"""

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from command import fazhi_audit
from conftest import SEEDS, require_tool

from fazhi_audit.base.paths import display_path
from fazhi_audit.engine.config import Resolver
from fazhi_audit.engine.discovery import discover

GOOD = sorted(SEEDS.glob("*.txt"))[0]
GBK_NAME = "报告".encode("gbk") + b".txt"  # as unzipped from an archive made on Chinese Windows
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


WIDE = {"COLUMNS": "250"}  # tables must not wrap the paths asserted on


def report(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(GOOD, path)
    return path


def paths_in(stdout: str) -> set[str]:
    return {r["path"] for r in json.loads(stdout)["reports"]}


# --- configuration comes from the person running the check ---------------------

HOSTILE_CONFIG = """
exclude = ["*.txt"]
ignore = ["structure", "decision", "quality"]
jobs = 16
fail-under = 0
"""


@pytest.fixture
def received(tmp_path):
    """The auditor's own folder (cwd) holding reports received from two offices, plus one outside it."""
    me = tmp_path / "me"
    report(me / "收件" / "某镇" / "a.txt")
    report(me / "收件" / "某局" / "b.txt")
    report(tmp_path / "elsewhere" / "c.txt")
    (me / "收件" / "某镇" / "fazhi-audit.toml").write_text(HOSTILE_CONFIG, encoding="utf-8")
    # a broken config would make the whole run exit 2 if it were read
    (me / "收件" / "某局" / "pyproject.toml").write_text('[tool.fazhi-audit]\nprofile = "nope"\n', encoding="utf-8")
    (tmp_path / "elsewhere" / "fazhi-audit.toml").write_text(HOSTILE_CONFIG, encoding="utf-8")
    return me


def test_configs_in_checked_folders_are_ignored_with_one_note(received):
    code, out, err = fazhi_audit("check", "收件", "../elsewhere", "--format", "json", "--jobs", "1", cwd=received, env=WIDE)
    assert code in (0, 1), err
    assert paths_in(out) == {"收件/某局/b.txt", "收件/某镇/a.txt", "../elsewhere/c.txt"}
    for r in json.loads(out)["reports"]:
        rules = {f["rule"] for f in r["findings"]}
        assert {"structure.required-sections", "decision.five-step", "quality.placeholder"} <= rules, r["path"]
    notes = [line for line in err.splitlines() if "已忽略被检查目录中的配置文件" in line]
    assert len(notes) == 1 and "3 个" in notes[0] and "--trust-config" in notes[0], err


def test_the_run_can_opt_in_from_its_own_config(received):
    (received / "收件" / "某局" / "pyproject.toml").unlink()
    (received / "fazhi-audit.toml").write_text("trust-nested-config = true\n", encoding="utf-8")
    code, out, err = fazhi_audit("check", "收件", "--format", "json", "--jobs", "1", cwd=received, env=WIDE)
    assert code in (0, 1), err
    assert paths_in(out) == {"收件/某局/b.txt"}  # the nested config now excludes a.txt
    assert "已忽略被检查目录中的配置文件" not in err
    assert "已按配置 exclude 跳过 1 个文件" in err


def test_the_run_can_opt_in_with_a_flag(received):
    (received / "收件" / "某局" / "pyproject.toml").unlink()
    code, out, err = fazhi_audit("check", "收件", "--trust-config", "--format", "json", "--jobs", "1", cwd=received, env=WIDE)
    assert code in (0, 1), err
    assert paths_in(out) == {"收件/某局/b.txt"}
    code, out, err = fazhi_audit("config", "show", "收件/某镇/a.txt", "--trust-config", cwd=received, env=WIDE)
    assert code == 0 and "收件/某镇/fazhi-audit.toml" in out and "被配置 exclude 排除" in out


def test_opting_in_honours_even_a_broken_nested_config(received):
    (received / "fazhi-audit.toml").write_text("trust-nested-config = true\n", encoding="utf-8")
    code, out, err = fazhi_audit("check", "收件", "--jobs", "1", cwd=received, env=WIDE)
    assert code == 2 and "pyproject.toml" in err and "nope" in err


def test_config_show_ignores_a_config_next_to_the_report(received):
    code, out, err = fazhi_audit("config", "show", "收件/某镇/a.txt", cwd=received, env=WIDE)
    assert code == 0, err
    assert "配置文件：未找到" in out
    # the received config is named only in the note that says it was ignored
    flat = out.replace("\n", "")
    assert "收件/某镇/fazhi-audit.toml" in flat and flat.count("收件/某镇/fazhi-audit.toml") == flat.count("已忽略")
    assert "*.txt" not in out and "被配置 exclude 排除" not in out


def test_resolver_trusts_cwd_and_above_only(received, monkeypatch):
    (received / "fazhi-audit.toml").write_text('fail-under = 70\n', encoding="utf-8")
    monkeypatch.chdir(received)
    resolver = Resolver({"jobs": 1})
    a = resolver.resolve(str(received / "收件" / "某镇" / "a.txt"))
    assert a["fail-under"] == 70 and a["exclude"] == () and a["jobs"] == 1
    assert a.config.path == received / "fazhi-audit.toml"
    assert not resolver.excluded(str(received / "收件" / "某镇" / "a.txt"))
    outside = resolver.resolve(str(received.parent / "elsewhere" / "c.txt"))
    assert outside.config.path == received / "fazhi-audit.toml"  # the runner's config, not the sender's
    assert [p.name for p in resolver.ignored_configs] == ["fazhi-audit.toml", "fazhi-audit.toml"]
    assert len(resolver.notes) == 1
    # the flag key opts in; it is not itself a setting
    trusting = Resolver({"trust-config": True}, cwd=received)
    assert trusting.resolve(str(received / "收件" / "某镇" / "a.txt"))["fail-under"] == 0
    assert trusting.excluded(str(received / "收件" / "某镇" / "a.txt")) and trusting.notes == []
    assert "trust-config" not in trusting.resolve("-").values


def test_explicit_config_and_no_config_read_nothing_else(received, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text("fail-under = 10\n", encoding="utf-8")
    target = str(received / "收件" / "某镇" / "a.txt")
    assert Resolver(config_path=mine, cwd=received).resolve(target)["fail-under"] == 10
    assert Resolver(isolated=True, cwd=received).resolve(target).config is None


def test_oversized_or_special_config_is_refused(tmp_path):
    from fazhi_audit.base.errors import UsageError
    from fazhi_audit.engine.config import MAX_BYTES, load_config

    big = tmp_path / "fazhi-audit.toml"
    big.write_text("# " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="过大"):
        load_config(big)
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(UsageError):
        load_config(deep)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.toml")
        with pytest.raises(UsageError, match="不是普通文件"):
            load_config(tmp_path / "fifo.toml")


# --- folder discovery ----------------------------------------------------------


OTHER_FORMATS = ["text", "sarif", "junit", "github", "markdown", "jsonl"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A received folder with every trap at once, checked by one CLI run."""
    root = tmp_path_factory.mktemp("hostile")
    inbox = root / "inbox"
    report(inbox / "good.txt")
    report(inbox / "sub" / "also-good.txt")
    report(root / "other-office" / "secret.txt").write_text(GOOD.read_text(encoding="utf-8").replace("云冈", "别处"), encoding="utf-8")
    (inbox / "~$good.docx").write_bytes(b"\x00owner file")  # Word lock: binary, would be exit 3
    (inbox / ".~lock.good.docx#").write_text("user,host", encoding="utf-8")
    (inbox / "~WRL0001.tmp").write_bytes(b"\x00")
    (inbox / ".hidden.txt").write_text("", encoding="utf-8")  # empty: would be exit 3
    os.symlink(root / "other-office" / "secret.txt", inbox / "link-out.txt")
    os.symlink(root / "other-office", inbox / "dir-out")
    os.symlink("good.txt", inbox / "link-in.txt")
    os.symlink("nowhere.txt", inbox / "dangling.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(inbox / "x.txt")  # reading it would block forever
        os.mkfifo(root / "explicit.txt")
    fd = os.open(os.fsencode(inbox) + b"/" + GBK_NAME, os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, GOOD.read_bytes())
    os.close(fd)
    args = ["check", "inbox"] + (["explicit.txt"] if hasattr(os, "mkfifo") else [])
    outputs = [arg for fmt in OTHER_FORMATS for arg in ("-o", f"{fmt}=out.{fmt}")]
    code, out, err = fazhi_audit(*args, "--jobs", "1", "--format", "json", "-o", "out.json", "-o", "csv=out.csv", *outputs, timeout=120, cwd=root, env=WIDE)  # a FIFO that is opened would block: the timeout fails the test
    return root, code, out, err


def _json(hostile):
    return json.loads((hostile[0] / "out.json").read_text(encoding="utf-8"))


def test_hostile_folder_runs_to_the_end(hostile):
    root, code, out, err = hostile
    assert code == 3, err  # the dangling link is an error row (issue 23); nothing stopped the run
    reports = {r["path"]: r for r in _json(hostile)["reports"]}
    assert set(reports) == {"inbox/dangling.txt", "inbox/good.txt", "inbox/link-in.txt", "inbox/sub/also-good.txt", "inbox/\ufffd\ufffd\ufffd\ufffd.txt"}
    assert [path for path, r in reports.items() if r.get("error")] == ["inbox/dangling.txt"]


def test_lock_and_temp_files_are_skipped_with_a_note(hostile):
    err = hostile[3]
    line = next(line for line in err.splitlines() if "锁定或临时文件" in line)
    assert "3 个" in line and "~$good.docx" in line


@needs_fifo
def test_fifos_are_never_opened(hostile):
    err = hostile[3]
    line = next(line for line in err.splitlines() if "不是普通文件" in line)
    assert "x.txt" in line and "explicit.txt" in line and "dangling.txt" not in line  # a dangling link is an error row


def test_links_out_of_the_folder_are_not_followed(hostile):
    root, code, out, err = hostile
    line = next(line for line in err.splitlines() if "符号链接" in line)
    assert "2 个" in line and "link-out.txt" in line and "dir-out" in line
    bodies = {r["body"] for r in _json(hostile)["reports"]}
    assert not any("别处" in (b or "") for b in bodies)


def test_undecodable_file_name_keeps_every_output_valid(hostile):
    root = hostile[0]
    data = _json(hostile)
    assert any("\ufffd" in r["path"] for r in data["reports"])
    raw = (root / "out.csv").read_bytes()
    assert raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(data["reports"])
    assert any(row[0] == "inbox/\ufffd\ufffd\ufffd\ufffd.txt" for row in rows)


@pytest.mark.parametrize("fmt", OTHER_FORMATS)
def test_undecodable_file_name_in_every_format(hostile, fmt):
    text = (hostile[0] / f"out.{fmt}").read_bytes().decode("utf-8")
    assert text.strip()
    if fmt == "sarif":  # URIs are percent-encoded: U+FFFD is %EF%BF%BD
        json.loads(text)
        assert "%EF%BF%BD" in text
    else:
        assert "\ufffd" in text


def test_display_path_replaces_only_bad_bytes():
    name = os.fsdecode(b"\xe6\x94\xb6\xe4\xbb\xb6/" + GBK_NAME)  # "收件/" is UTF-8, the rest GBK
    shown = display_path(name)
    assert shown == "收件/\ufffd\ufffd\ufffd\ufffd.txt"
    shown.encode("utf-8")
    assert display_path("报告.txt") == "报告.txt"
    assert display_path(Path("a") / "b.txt") == "a/b.txt"


def test_unreadable_subfolder_is_reported_not_skipped(tmp_path, monkeypatch):
    """A folder that cannot be listed is an input that cannot be read: exit 3, the rest still checked."""
    report(tmp_path / "in" / "good.txt")
    report(tmp_path / "in" / "locked" / "hidden-report.txt")
    locked = os.path.join("in", "locked")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "scandir", scandir)
    inputs = discover(["in"])
    assert inputs.files == ["in/good.txt", locked] and inputs.unreadable_dirs == [locked]
    assert any("无法读取" in n and locked in n for n in inputs.notes)

    code, out, _ = fazhi_audit("check", "in", "--format", "json", "--jobs", "1")  # in this process: os.scandir is patched
    assert code == 3
    reports = {r["path"]: r for r in json.loads(out)["reports"]}
    assert set(reports) == {"in/good.txt", locked}
    assert reports[locked]["error"] and not reports["in/good.txt"].get("error")


def _without_root_powers() -> tuple[str, ...]:
    """A prefix that runs the command as root minus the capabilities that let root
    read any folder (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): as a user runs it.
    CI runs as root, so without this the real chmod test would never run there."""
    if os.geteuid() != 0:
        return ()
    setpriv = require_tool("setpriv", "runs the command without root's right to read every folder")
    return (setpriv, "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="folder permissions are POSIX")
def test_unreadable_subfolder_for_real(tmp_path):
    report(tmp_path / "in" / "good.txt")
    locked = tmp_path / "in" / "locked"
    report(locked / "r.txt")
    locked.chmod(0)
    try:
        code, out, err = fazhi_audit("check", "in", "--format", "json", "--jobs", "1", cwd=tmp_path, env=WIDE, process=True, prefix=_without_root_powers())
    finally:
        locked.chmod(0o755)
    assert code == 3 and "in/locked" in err
    assert "in/good.txt" in paths_in(out)


def test_discovery_order_and_names_are_unchanged(tmp_path, monkeypatch):
    for rel in ("b.txt", "a/z.txt", "a/b/c.md", "notes.xyz", ".git/x.txt"):
        report(tmp_path / rel)
    monkeypatch.chdir(tmp_path)
    found = discover(["."])
    assert found.files == ["a/b/c.md", "a/z.txt", "b.txt"] and found.skipped == 1 and found.notes == []
    assert discover([str(tmp_path) + "/"]).files == [str(tmp_path / p) for p in ("a/b/c.md", "a/z.txt", "b.txt")]
