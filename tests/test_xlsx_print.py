"""The workbook's first sheet: worst report first, printed one page wide with the reasons legible (issue 20)."""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest
from conftest import SEEDS

from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import BINARY_FORMATTERS

REASONS_COLUMN = 7


@pytest.fixture(scope="module")
def book(auditor):
    results = [auditor.audit_path(p) for p in sorted(SEEDS.glob("*.txt"))]
    # many reports, as a county's reviewer has them: the same seeds under other names
    batch = [type(r)(**{**r.__dict__, "path": f"乡镇/{i:02d}_{r.path.rsplit('/', 1)[-1]}"}) for i in range(8) for r in results]
    data = BINARY_FORMATTERS["xlsx"](Run(batch, auditor.ruleset.rules))
    return data, batch


def test_summary_lists_the_worst_report_first(book):
    data, batch = book
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    keys = [(verdict == "通过", score) for _path, _body, _year, _profile, score, verdict, *_ in rows]
    assert keys == sorted(keys)
    assert rows[0][5] == "不通过" and rows[-1][5] == "通过"
    assert len(rows) == len(batch)


def test_summary_prints_one_page_wide_with_header_repeated(book):
    data, _ = book
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    reasons = ws.cell(row=2, column=REASONS_COLUMN)
    assert reasons.value and reasons.alignment.wrap_text
    assert ws.row_dimensions[2].height and ws.row_dimensions[2].height > 15  # the wrapped reasons get their lines


@pytest.mark.slow
def test_libreoffice_prints_the_summary_one_page_wide(book, tmp_path):
    from conftest import require_tool

    soffice = require_tool(("soffice", "libreoffice"), "LibreOffice Calc：apt-get install libreoffice-calc-nogui")
    data, batch = book
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name in wb.sheetnames[1:]:
        del wb[name]  # print the summary sheet alone
    path = tmp_path / "汇总.xlsx"
    wb.save(path)
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    import pypdf

    pages = pypdf.PdfReader(tmp_path / "汇总.pdf").pages
    text = "".join(page.extract_text() for page in pages)
    failing = [r for r in batch if not r.passed]
    # one page wide: every page holds the whole width, so each page starts with the header, the last column included
    assert all("提示数" in page.extract_text() for page in pages)
    assert len(pages) <= 2
    # the reasons column is not cut off: the end of every failing report's reasons is printed
    assert text.replace("\n", "").count("（错误）") >= sum(len(r.reasons) for r in failing)
