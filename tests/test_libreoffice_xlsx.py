"""A real spreadsheet program opens the workbook: LibreOffice converts every sheet to CSV.

Needs LibreOffice Calc (Debian: libreoffice-calc-nogui; the Writer package alone cannot open .xlsx).
"""

from __future__ import annotations

import csv
import subprocess
from dataclasses import replace

import pytest
from reports import TOWN as GOOD  # the same two small reports as the HTML tests
from reports import TOWNSHIP as BAD

from fazhi_audit.model.result import ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import BINARY_FORMATTERS
from fazhi_audit.render.formatters.xlsx import SHEETS

pytestmark = pytest.mark.slow  # LibreOffice

FORMULA_BODY = "=cmd|' /C calc'!A0"
# CSV filter: comma, double quote, UTF-8 (76), from row 1, …, -1 = every sheet to its own file (LibreOffice ≥ 7.2).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"

def test_libreoffice_opens_every_sheet(auditor, tmp_path):
    from conftest import require_tool

    soffice = require_tool(("soffice", "libreoffice"), "LibreOffice Calc：apt-get install libreoffice-calc-nogui")
    good = auditor.audit_text(GOOD, "reports/a_good.txt")
    bad = auditor.audit_text(BAD, "reports/b_bad.txt")
    hostile = replace(bad, path="reports/d_formula.txt", body=FORMULA_BODY)
    empty = ReportResult(path="reports/c_empty.txt", error="文件为空：请提供报告正文")
    book = tmp_path / "结果.xlsx"
    book.write_bytes(BINARY_FORMATTERS["xlsx"](Run([good, bad, hostile, empty], auditor.ruleset.rules)))
    profile = tmp_path / "lo-profile"  # its own profile: no lock clash with a running LibreOffice
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", CSV_FILTER, "--outdir", str(tmp_path / "out"), str(book)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    sheets = {}
    for name in SHEETS:
        path = tmp_path / "out" / f"结果-{name}.csv"
        assert path.exists(), f"LibreOffice wrote no {path.name}: {proc.stdout} {proc.stderr}"
        sheets[name] = list(csv.reader(path.open(encoding="utf-8")))
    summary = sheets["汇总"]
    assert summary[0][:3] == ["文件", "单位", "年度"]
    by_path = {row[0]: row for row in summary[1:]}
    assert by_path["reports/b_bad.txt"][4] == str(bad.score) and by_path["reports/b_bad.txt"][5] == "不通过"
    assert by_path["reports/d_formula.txt"][1] == FORMULA_BODY  # shown as text, not evaluated
    assert any("✗" in row for row in sheets["要求对照"][1:])
    assert len(sheets["问题清单"]) > 2
    assert sheets["无法读取"][1] == ["reports/c_empty.txt", "文件为空：请提供报告正文"]
