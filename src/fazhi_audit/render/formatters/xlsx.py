"""An Excel workbook a reviewer can sort and filter: render(run) -> bytes.

Sheets: 汇总 (one row per readable report), 要求对照 (reports × rules with
✓/◐/✗ and colour), 问题清单 (one row per problem), 无法读取 (file and
reason). Every sheet has a frozen header row, an autofilter and column
widths from its content (CJK characters count double).

Text from reports and file names is always stored as a string cell: a value
such as "=cmd|' /C calc'!A0" is shown, never evaluated, and is marked with
Excel's quote prefix so editing the cell keeps it text.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi_audit.base.own_output import MARKER, TOOL_NAME
from fazhi_audit.model.location import location_text
from fazhi_audit.model.result import Finding, ReportResult
from fazhi_audit.render.formatters._common import (
    BASELINED_LABEL,
    SEVERITY_LABEL,
    baselined_problems,
    evidence_lines,
    finding_line,
    first_evidence,
    new_problems,
    problems,
    verdict,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from fazhi_audit.model.run import Run

SHEETS = ("汇总", "要求对照", "问题清单", "无法读取")
SUMMARY_HEADER = ["文件", "单位", "年度", "报告主体类型", "得分", "结论", "不通过原因", "错误数", "警告数", "提示数"]
PROBLEM_HEADER = ["文件", "单位", "规则", "级别", "问题", "证据原文", "位置", "修改建议", "依据"]
UNREADABLE_HEADER = ["文件", "原因"]
MATRIX_LEAD = ["文件", "单位"]
BASELINE_COLUMN = "已列入基线"

MARKS = {"pass": "✓", "partial": "◐", "fail": "✗", "na": "—"}  # na: the rule could not apply (e.g. no date)
# Excel's own good / neutral / bad cell colours.
FILLS = {
    "pass": PatternFill("solid", fgColor="C6EFCE"),
    "partial": PatternFill("solid", fgColor="FFEB9C"),
    "fail": PatternFill("solid", fgColor="FFC7CE"),
}
FONTS = {"pass": Font(color="006100"), "partial": Font(color="9C5700"), "fail": Font(color="9C0006")}
SEVERITY_FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_FONT = Font(bold=True)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60  # characters; longer text wraps
LINE_HEIGHT = 15  # points per wrapped line of 11-point text
REASONS_WIDTH = 44  # 不通过原因: wrapped, so the summary sheet prints one page wide and stays legible
MIN_WIDTH = 6


# Every format is byte-identical for identical runs: the workbook's own dates
# (docProps/core.xml) and the zip entries' dates are this fixed moment, not "now".
FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)


def render(run: Run) -> bytes:
    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "fazhi-audit"
    wb.remove(wb.active)
    wb.properties.creator = TOOL_NAME
    wb.properties.keywords = MARKER  # discovery skips this workbook (base/own_output.py)
    _summary(wb.create_sheet(SHEETS[0]), run)
    _matrix(wb.create_sheet(SHEETS[1]), run)
    _problems(wb.create_sheet(SHEETS[2]), run)
    _unreadable(wb.create_sheet(SHEETS[3]), run)
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_dates(buf.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same package with every entry dated FIXED_TIME (zip headers carry the time of writing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the time of saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            target.writestr(fixed, content)
    return out.getvalue()


# ---------------------------------------------------------------- cells


def put(ws: Worksheet, row: int, col: int, value):
    """Write one cell; text is always a string cell, formula-like text quote-prefixed."""
    cell = ws.cell(row=row, column=col)
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _header(ws: Worksheet, names: list[str]) -> None:
    for col, name in enumerate(names, 1):
        cell = put(ws, 1, col, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _finish(ws: Worksheet, freeze: str = "A2", wrap: set[int] = frozenset()) -> None:
    """Frozen header, autofilter over the table, widths from content."""
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(max(ws.max_column, 1))}{max(ws.max_row, 1)}"
    for col in range(1, ws.max_column + 1):
        width = max((text_width(c.value) for c in next(ws.iter_cols(min_col=col, max_col=col))), default=0)
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    if wrap:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.column in wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def fit_row_heights(ws: Worksheet, wrap: set[int]) -> None:
    """Tall enough for every wrapped line: spreadsheet programs do not grow rows of a generated file by themselves."""
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            if cell.column in wrap and cell.value is not None:
                width = ws.column_dimensions[get_column_letter(cell.column)].width or MAX_WIDTH
                per_line = max(1, int(width) - 1)
                lines = max(lines, sum(max(1, math.ceil(text_width(part) / per_line)) for part in str(cell.value).split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def text_width(value) -> int:
    """Display width of the widest line: East Asian wide characters count 2."""
    if value is None:
        return 0
    lines = str(value).split("\n")
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


# ---------------------------------------------------------------- sheets


def _counts(r: ReportResult) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in new_problems(r):
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def _summary(ws: Worksheet, run: Run) -> None:
    header = SUMMARY_HEADER + ([BASELINE_COLUMN] if run.baseline_compared else [])
    _header(ws, header)
    row = 1
    for r in worst_first(run.readable):
        row += 1
        counts = _counts(r)
        values = [
            r.path,
            r.body or "",
            r.year,
            r.profile.label if r.profile else "",
            r.score,
            verdict(r),
            "；".join(r.reasons),
            counts["error"],
            counts["warning"],
            counts["info"],
        ]
        if run.baseline_compared:
            values.append(len(baselined_problems(r)))
        for col, value in enumerate(values, 1):
            put(ws, row, col, value)
        ws.cell(row=row, column=6).fill = FILLS["pass" if r.passed else "fail"]
    _finish(ws, wrap={1, 7})
    for col, width in ((1, 30), (7, REASONS_WIDTH)):  # long paths and reasons wrap in place of widening the page
        ws.column_dimensions[get_column_letter(col)].width = min(ws.column_dimensions[get_column_letter(col)].width, width)
    fit_row_heights(ws, {1, 7})
    _print_one_page_wide(ws)


def worst_first(results: list[ReportResult]) -> list[ReportResult]:
    """Failing reports first, lowest score first: the order a reviewer works through them."""
    return sorted(results, key=lambda r: (r.passed, r.score, r.path))


def _print_one_page_wide(ws: Worksheet) -> None:
    """Landscape A4, scaled to the page width, header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True


def _matrix(ws: Worksheet, run: Run) -> None:
    rules = _rule_columns(run)
    titles = [title for _rid, title in rules]
    _header(ws, MATRIX_LEAD + titles)
    lead = len(MATRIX_LEAD)
    for col, (rid, _title) in enumerate(rules, lead + 1):
        ws.cell(row=1, column=col).alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    row = 1
    for r in run.readable:
        row += 1
        put(ws, row, 1, r.path)
        put(ws, row, 2, r.body or "")
        status = _rule_status(r)
        for col, (rid, _title) in enumerate(rules, lead + 1):
            state = status.get(rid)
            if state is None:
                continue  # the rule did not apply to this report (its profile or selection)
            cell = put(ws, row, col, MARKS[state])
            if state in FILLS:
                cell.fill, cell.font = FILLS[state], FONTS[state]
            cell.alignment = Alignment(horizontal="center")
    _finish(ws, freeze=f"{get_column_letter(lead + 1)}2")
    for col in range(lead + 1, lead + len(rules) + 1):
        # Marks are one character; headers wrap instead of widening every column.
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.row_dimensions[1].height = 48


def _rule_columns(run: Run) -> list[tuple[str, str]]:
    """(rule id, header) in rule order; a title shared by two rules gets its id appended."""
    seen: dict[str, str] = {}
    for rule in run.rules:
        seen.setdefault(rule.id, rule.title)
    for r in run.readable:
        for f in r.findings:
            seen.setdefault(f.rule, f.title)
    titles = list(seen.values())
    return [(rid, title if titles.count(title) == 1 else f"{title}（{rid}）") for rid, title in seen.items()]


def _rule_status(r: ReportResult) -> dict[str, str]:
    """The worst status per rule (a rule with several findings, e.g. numbering); na if it could not apply."""
    order = {"fail": 0, "partial": 1, "pass": 2, "na": 3}
    out: dict[str, str] = {}
    for f in r.findings:
        status = f.status if f.scored or f.status != "pass" else "na"
        if f.rule not in out or order[status] < order[out[f.rule]]:
            out[f.rule] = status
    return out


def _problems(ws: Worksheet, run: Run) -> None:
    header = PROBLEM_HEADER + ([BASELINE_COLUMN] if run.baseline_compared else [])
    _header(ws, header)
    row = 1
    for r in run.readable:
        for f in problems(r):
            row += 1
            values = [r.path, r.body or "", f"{f.title}（{f.rule}）", SEVERITY_LABEL.get(f.severity, f.severity), f.message, _evidence(f, r), _location(f, r), f.fix, f.basis]
            if run.baseline_compared:
                values.append(BASELINED_LABEL if f.baselined else "")
            for col, value in enumerate(values, 1):
                put(ws, row, col, value)
            if f.severity in SEVERITY_FILLS:
                ws.cell(row=row, column=4).fill = SEVERITY_FILLS[f.severity]
    _finish(ws, wrap={5, 6, 8, 9})
    fit_row_heights(ws, {5, 6, 8, 9})
    _print_one_page_wide(ws)


def _evidence(f: Finding, r: ReportResult) -> str:
    lines = evidence_lines(f)
    if not lines and f.line and r.text_lines:
        # A problem at a place (numbering, placeholder): quote that line.
        lines = [text for no, _kind, text in r.text_lines if no == f.line][:1]
    return "\n".join(lines)


def _location(f: Finding, r: ReportResult) -> str:
    ev = first_evidence(f)
    if ev is not None:
        return location_text(ev, r.source_format, r.part_labels)
    line = finding_line(f)
    return f"第{line}行" if line is not None else "全文"


def _unreadable(ws: Worksheet, run: Run) -> None:
    _header(ws, UNREADABLE_HEADER)
    for row, r in enumerate(run.unreadable, 2):
        put(ws, row, 1, r.path)
        put(ws, row, 2, r.error)
    _finish(ws, wrap={2})
