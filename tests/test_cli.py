"""Exit codes and one-line messages, mirroring the README's table."""

import pytest
from command import fazhi_audit
from conftest import ROOT, SEEDS
from reports import FIVE_PARTS as GOOD_TEXT
from reports import MISSING_PARTS as MISSING_PARTS_TEXT

from fazhi_audit.base.exit_codes import ExitCode


GOOD = GOOD_TEXT.encode()
MISSING_PARTS = MISSING_PARTS_TEXT.encode()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "good.txt").write_bytes(GOOD)
    (tmp_path / "bad.txt").write_bytes(MISSING_PARTS)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really a doc")
    return tmp_path


@pytest.mark.parametrize(
    "args,code,needle",
    [
        (["good.txt"], ExitCode.OK, None),
        (["bad.txt"], ExitCode.FAILED, None),
        (["good.txt", "bad.txt"], ExitCode.FAILED, None),
        (["empty.txt"], ExitCode.UNREADABLE, "文件为空"),
        (["binary.txt"], ExitCode.UNREADABLE, "二进制"),
        (["old.doc"], ExitCode.UNREADABLE, ".docx"),
        (["bad.txt", "empty.txt"], ExitCode.UNREADABLE, None),  # 3 wins over 1
        (["missing.txt"], ExitCode.USAGE, "路径不存在"),
        (["good.txt", "--no-such-option"], ExitCode.USAGE, "用法错误"),
        (["good.txt", "--format", "yaml"], ExitCode.USAGE, "未知的输出格式"),
        (["good.txt", "--fail-under", "101"], ExitCode.USAGE, "用法错误"),
    ],
)
def test_exit_codes(files, args, code, needle):
    resolved = [str(files / a) if a.endswith((".txt", ".doc")) else a for a in args]
    proc = fazhi_audit("check", *resolved, "--jobs", "1")
    assert proc.returncode == code, proc.stderr
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    if needle:
        assert needle in out
    if code == ExitCode.USAGE:
        assert len(proc.stderr.strip().splitlines()) == 1


def test_fail_under_turns_pass_into_fail(files):
    assert fazhi_audit("check", str(files / "good.txt"), "--fail-under", "99", "--jobs", "1").returncode == ExitCode.FAILED


def test_malformed_rules_dir_exit_2(tmp_path, files):
    rules = tmp_path / "myrules"
    (rules / "vocab").mkdir(parents=True)
    (rules / "vocab" / "sections.yaml").write_text((ROOT / "rules" / "vocab" / "sections.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "x.bad.yaml").write_text("id: x.bad\ntitle: t\ntype: nonsense\n", encoding="utf-8")
    proc = fazhi_audit("check", str(files / "good.txt"), "--rules", str(rules))
    assert proc.returncode == ExitCode.USAGE
    err = proc.stderr
    assert "x.bad.yaml:3" in err and "Traceback" not in err


def test_stdin_and_plain_text_output(files):
    proc = fazhi_audit("check", "-", stdin=MISSING_PARTS)
    assert proc.returncode == ExitCode.FAILED
    out = proc.stdout
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert "缺少必备部分" in out and "依据" in out
    # plain text is never hard-wrapped or padded: grep and editors wrap for themselves
    assert all(line == line.rstrip() for line in out.splitlines())
    assert any(len(line) > 100 for line in out.splitlines())


def test_text_report_on_seeds_mentions_plans_only():
    proc = fazhi_audit("check", str(SEEDS), "--jobs", "1")
    assert proc.returncode == ExitCode.FAILED
    out = proc.stdout
    assert "仅见于下一年度安排" in out
    assert out.count("/100") == 5  # one header per report
    assert "最常缺失的要求" in out


def test_rules_commands():
    listing = fazhi_audit("rules", "list")
    assert listing.returncode == 0 and "decision.five-step" in listing.stdout
    shown = fazhi_audit("rules", "show", "decision.five-step")
    assert shown.returncode == 0 and "重大行政决策程序暂行条例" in shown.stdout
    assert fazhi_audit("rules", "show", "no.such-rule").returncode == ExitCode.USAGE
    tested = fazhi_audit("rules", "test")
    assert tested.returncode == 0 and "0 failed" in tested.stdout


def test_rules_test_fails_on_broken_example(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "legal.adviser.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("开展法律咨询活动6场。", "聘请法律顾问1名。"), encoding="utf-8")
    proc = fazhi_audit("rules", "test", "--rules", str(rules))
    assert proc.returncode == 1
    assert "legal.adviser" in proc.stdout
