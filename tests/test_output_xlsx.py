"""The Excel workbook, read back with openpyxl; and choosing a format from the output file's name."""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from command import fazhi_audit
from reports import TOWN as GOOD  # the same two small reports as the HTML tests
from reports import TOWNSHIP as BAD

from fazhi_audit.base.errors import UsageError
from fazhi_audit.cli.app import _outputs
from fazhi_audit.model.result import ProfileInfo, ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render import output
from fazhi_audit.render.formatters import BINARY_FORMATTERS
from fazhi_audit.render.formatters._common import new_problems, problems
from fazhi_audit.render.formatters.xlsx import MARKS, SHEETS, text_width

FORMULA_BODY = "=cmd|' /C calc'!A0"
UNREADABLE = ReportResult(path="reports/c_empty.txt", error="文件为空：请提供报告正文")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results(auditor) -> list[ReportResult]:
    good = auditor.audit_text(GOOD, "reports/a_good.txt")
    bad = auditor.audit_text(BAD, "reports/b_bad.txt")
    bad.profile = ProfileInfo("township", "乡镇（街道）", "命令行 --profile")
    hostile = replace(bad, path="reports/d_formula.txt", body=FORMULA_BODY)
    return [good, bad, hostile, UNREADABLE]


@pytest.fixture(scope="module")
def run(results, auditor) -> Run:
    return Run(results, auditor.ruleset.rules)


@pytest.fixture(scope="module")
def workbook(run):
    data = BINARY_FORMATTERS["xlsx"](run)
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return openpyxl.load_workbook(io.BytesIO(data)), data


def rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def test_sheets_and_headers(workbook):
    wb, _ = workbook
    assert wb.sheetnames == ["汇总", "要求对照", "问题清单", "无法读取"] == list(SHEETS)
    assert [c.value for c in wb["汇总"][1]] == ["文件", "单位", "年度", "报告主体类型", "得分", "结论", "不通过原因", "错误数", "警告数", "提示数"]
    assert [c.value for c in wb["问题清单"][1]][:9] == ["文件", "单位", "规则", "级别", "问题", "证据原文", "位置", "修改建议", "依据"]
    assert [c.value for c in wb["无法读取"][1]] == ["文件", "原因"]


def test_every_sheet_has_frozen_header_and_filter(workbook):
    wb, _ = workbook
    for ws in wb:
        assert ws.freeze_panes in ("A2", "C2"), ws.title
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}", ws.title


def test_summary_has_one_row_per_readable_report(workbook, results):
    wb, _ = workbook
    table = rows(wb["汇总"])
    readable = sorted((r for r in results if not r.error), key=lambda r: (r.passed, r.score, r.path))  # worst first
    assert [row["文件"] for row in table] == [r.path for r in readable]
    for row, r in zip(table, readable):
        assert row["得分"] == r.score and isinstance(row["得分"], int)
        assert row["结论"] == ("通过" if r.passed else "不通过")
        assert (row["不通过原因"] or "") == "；".join(r.reasons)
        counts = [sum(1 for f in new_problems(r) if f.severity == s) for s in ("error", "warning", "info")]
        assert [row["错误数"], row["警告数"], row["提示数"]] == counts
    assert {row["报告主体类型"] for row in table} >= {"乡镇（街道）"}


def test_problem_list_has_one_row_per_problem(workbook, results):
    wb, _ = workbook
    table = rows(wb["问题清单"])
    expected = [(r.path, f.rule) for r in results if not r.error for f in problems(r)]
    assert [(row["文件"], row["规则"].rsplit("（", 1)[1].rstrip("）")) for row in table] == expected
    bad = results[1]
    plans_only = next(i for f in bad.findings for i in f.items if i.evidence and not i.found)
    assert any(plans_only.evidence.text in (row["证据原文"] or "") for row in table if row["文件"] == bad.path)
    assert all(row["级别"] in ("错误", "警告", "提示") for row in table)


def test_unreadable_sheet(workbook):
    wb, _ = workbook
    assert rows(wb["无法读取"]) == [{"文件": UNREADABLE.path, "原因": UNREADABLE.error}]


def test_requirement_matrix_marks_and_colours(workbook, results):
    wb, _ = workbook
    ws = wb["要求对照"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["文件", "单位"]
    bad = results[1]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == bad.path)
    by_title = {f.title: f for f in bad.findings}
    seen = set()
    for cell, title in zip(row[2:], header[2:]):
        f = by_title.get(title)
        if f is None:
            continue
        group = [x.status for x in bad.findings if x.rule == f.rule]
        worst = "fail" if "fail" in group else "partial" if "partial" in group else "pass"
        if worst == "pass" and not all(x.scored for x in bad.findings if x.rule == f.rule):
            worst = "na"
        assert cell.value == MARKS[worst], title
        seen.add(cell.value)
        if worst == "fail":
            assert cell.fill.fgColor.rgb.endswith("FFC7CE")
        if worst == "pass":
            assert cell.fill.fgColor.rgb.endswith("C6EFCE")
    assert {"✓", "✗"} <= seen


def test_formula_like_text_is_stored_as_text(workbook):
    wb, data = workbook
    for name in ("汇总", "要求对照", "问题清单"):
        cell = next(c for row in wb[name].iter_rows() for c in row if c.value == FORMULA_BODY)
        assert cell.data_type == "s" and cell.quotePrefix, name
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_column_widths_follow_content():
    assert text_width("法治ab") == 6 and text_width("a\n法治政府") == 8 and text_width(None) == 0


def test_widths_fit_chinese_names(workbook, results):
    wb, _ = workbook
    ws = wb["汇总"]
    widest = max(text_width(r.body) for r in results if not r.error)
    assert ws.column_dimensions["B"].width >= widest


def test_empty_run_makes_a_valid_workbook(auditor):
    wb = openpyxl.load_workbook(io.BytesIO(BINARY_FORMATTERS["xlsx"](Run([], auditor.ruleset.rules))))
    assert wb.sheetnames == list(SHEETS) and wb["汇总"].max_row == 1


# ---------------------------------------------------------------- format from the output file name


@pytest.mark.parametrize(
    "name, fmt",
    [("结果.csv", "csv"), ("汇总.XLSX", "xlsx"), ("r.html", "html"), ("r.htm", "html"), ("r.json", "json"), ("r.jsonl", "jsonl"),
     ("r.sarif", "sarif"), ("r.sarif.json", "sarif"), ("r.xml", "junit"), ("r.md", "markdown"), ("r.txt", "text")],
)
def test_extension_names_the_format(name, fmt, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert _outputs(None, [name]) == [(fmt, Path(name))]


def test_unknown_extension_without_format_is_text(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert _outputs(None, ["报告.out"]) == [("text", Path("报告.out"))]
    assert _outputs(None, []) == [("text", None)]


def test_explicit_format_must_agree_with_a_known_extension(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    with pytest.raises(UsageError, match="--format text 与输出文件 x.csv 的扩展名不符"):
        _outputs("text", ["x.csv"])
    assert _outputs("json", ["x.json"]) == [("json", Path("x.json"))]
    assert _outputs("github", ["notes.txt"]) == [("github", Path("notes.txt"))]  # annotations are plain lines
    assert _outputs("text", ["out.text"]) == [("text", Path("out.text"))]  # unknown ending: --format decides
    assert _outputs("text", ["a.txt", "csv=b.json"]) == [("text", Path("a.txt")), ("csv", Path("b.json"))]  # FORMAT=PATH is explicit


def test_binary_format_is_refused_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(UsageError, match="xlsx 是二进制格式，请用 -o 文件.xlsx 写入文件"):
        _outputs("xlsx", [])
    with pytest.raises(UsageError, match="二进制"):
        _outputs("text", ["xlsx=-"])
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert _outputs("xlsx", []) == [("xlsx", None)]  # piped: the bytes go to the pipe
    assert "xlsx" in output.format_names() and "html" in output.format_names()


def test_cli_writes_the_format_the_file_name_asks_for(tmp_path):
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    proc = fazhi_audit("check", "bad.txt", "-j", "1", "-o", "汇总.xlsx", "-o", "html=页面.html", "-o", "csv=表.csv", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    # everything went to files: one line for each says what was written where
    written = proc.stdout.splitlines()
    assert [line.split()[1].split("（")[0] for line in written] == ["汇总.xlsx", "页面.html", "表.csv"] and all(line.startswith("已写出 ") for line in written)
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert rows(wb["汇总"])[0]["文件"] == "bad.txt"
    assert (tmp_path / "页面.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "表.csv").read_text(encoding="utf-8-sig").startswith("path,")
    proc = fazhi_audit("check", "bad.txt", "-j", "1", "--format", "text", "-o", "x.csv", cwd=tmp_path)
    assert proc.returncode == 2 and not (tmp_path / "x.csv").exists()
    err = proc.stderr
    assert err.count("\n") == 1 and "扩展名不符" in err and "Traceback" not in err
