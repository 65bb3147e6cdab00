"""The README's exit-code table, row by row: every row has a scenario here and
every scenario is a row there, so the documentation cannot drift."""

import re

import pytest
from batch_build import slow_report
from command import fazhi_audit
from conftest import ROOT
from reports import FIVE_PARTS as GOOD
from reports import MISSING_PARTS


def _readme_rows() -> dict[str, int]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| 情形 | 退出码 |") :].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = int(cells[1])
    return rows


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(MISSING_PARTS, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    return tmp_path


def _baseline_then(repo, extra_file=None):
    assert fazhi_audit("baseline", "create", "bad.txt", "--output", "base.json", cwd=repo).returncode == 0
    if extra_file:
        (repo / "bad.txt").write_text(MISSING_PARTS + "今年共办理XX件。\n", encoding="utf-8")
    return ["bad.txt", "--baseline", "base.json"]


def _config(repo, text, *args):
    (repo / "fazhi-audit.toml").write_text(text, encoding="utf-8")
    return list(args)


# README row -> how to produce it (a function of the temp repo returning CLI args)
SCENARIOS = {
    "全部报告通过": lambda r: ["good.txt"],
    "至少一份报告不通过（有“错误”级规则未满足）": lambda r: ["good.txt", "bad.txt"],
    "得分低于 `--fail-under` / 配置 `fail-under`": lambda r: ["good.txt", "--fail-under", "100", "--select", "legal,decision"],
    "有问题但使用了 `--exit-zero`": lambda r: ["bad.txt", "--exit-zero"],
    "使用 `--baseline`，问题都已在基线中": lambda r: _baseline_then(r),
    "使用 `--baseline`，出现基线外的新问题": lambda r: _baseline_then(r, extra_file=True),
    "所有文件都被配置 `exclude` 排除": lambda r: _config(r, 'exclude = ["bad.txt"]\n', "bad.txt"),
    "用法错误（未知选项、未知输出格式、参数越界）": lambda r: ["good.txt", "--no-such-option"],
    "路径不存在": lambda r: ["missing.txt"],
    "没有可检查的报告（空目录、目录中只有不支持的文件）": lambda r: (r / "empty-dir").mkdir() or ["empty-dir"],
    "规则文件或画像文件无效": lambda r: ["good.txt", "--rules", "rules"],
    "配置文件无效（语法、未知的键、取值不允许）": lambda r: _config(r, 'profile = "town"\n', "good.txt"),
    "基线文件无效": lambda r: (r / "base.json").write_text("{", encoding="utf-8") and ["good.txt", "--baseline", "base.json"],
    "输入无法读取或不是报告（空文件、二进制、无法解码、不支持的格式）": lambda r: ["empty.txt"],
    "既有无法读取的输入又有不通过的报告（3 优先于 1；`--exit-zero` 不改变 3）": lambda r: ["bad.txt", "empty.txt", "--exit-zero"],
    "有文件检查超时（`--timeout`）或其检查进程意外退出": lambda r: [slow_report(r / "slow.txt").name, "good.txt", "--timeout", "1"],
    "有文件超过上限（`--max-bytes`；.docx 压缩包的文件数、解压后大小或压缩比；提取出的字数；PDF 页数）": lambda r: ["good.txt", "bad.txt", "--max-bytes", "100"],
}

# One row per exit code also runs as a real process (a slow test): the code a
# shell sees is the one main() passes to sys.exit.
SEPARATE_PROCESS = {"全部报告通过", "至少一份报告不通过（有“错误”级规则未满足）", "路径不存在", "输入无法读取或不是报告（空文件、二进制、无法解码、不支持的格式）"}

# Rows whose scenario is a signal sent to a running batch: tests/test_robust_batch.py
# (test_signal_stops_the_batch) runs them, taking the expected code from this table.
SIGNAL_ROWS = {"检查过程中按 Ctrl-C（SIGINT）": "SIGINT", "检查过程中收到 SIGTERM（如 `kill`、停止容器）": "SIGTERM"}


def test_every_readme_row_has_a_scenario():
    assert set(_readme_rows()) == set(SCENARIOS) | set(SIGNAL_ROWS)
    assert {_readme_rows()[row] for row in SEPARATE_PROCESS} == {0, 1, 2, 3}
    assert set(_readme_rows().values()) == {0, 1, 2, 3, 130, 143}


# Every row in this process; the SEPARATE_PROCESS rows once more as a process of their own.
RUNS = [pytest.param(row, False, id=row) for row in SCENARIOS] + [
    pytest.param(row, True, id=f"{row}-process", marks=pytest.mark.slow) for row in SCENARIOS if row in SEPARATE_PROCESS
]


@pytest.mark.parametrize("row,process", RUNS)
def test_exit_code_matches_readme(repo, row, process):
    expected = _readme_rows()[row]
    proc = fazhi_audit("check", *SCENARIOS[row](repo), "--jobs", "1", cwd=repo, process=process)
    out = proc.stdout + proc.stderr
    assert proc.returncode == expected, out
    assert "Traceback" not in out
    if expected == 2:
        # could not run: exactly one line on stderr saying what is wrong
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert re.match(r"^(错误|用法错误)：", proc.stderr)
