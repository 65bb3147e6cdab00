"""One report, four formats, one verdict.

The same report is given as plain text, as a Word file whose part and
sub-part numbers are Word's automatic numbering, as a PDF that a real office
program laid out from that Word file (so its lines are wrapped by the page
and justified with wide gaps), and as a saved web page. Score, verdict, parts
and every rule's status must be identical.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import require_tool
from docx_build import add_chinese_numbering, numbered

ROOT = Path(__file__).resolve().parents[1]
# Reports without numbering slips (Word would renumber a typed slip away): a joint 党委+政府 title, a county, a four-part report.
REPORTS = ["seeds/003_af069d6e93bb6dba.txt", "tests/corpus/reports/01_baishan-county-2024-official.txt", "tests/corpus/reports/17_shiyan-district-2025-four-parts.txt"]
_TOP = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_SUB = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)](.*)$")


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_docx(lines: list[str], target: Path) -> None:
    """Headings 一、/（一） become Word list paragraphs: the numbers are drawn by Word, not typed."""
    document = docx.Document()
    add_chinese_numbering(document)
    for line in lines:
        top, sub = _TOP.match(line), _SUB.match(line)
        if top:
            numbered(document, top.group(2), 0)
        elif sub:
            numbered(document, sub.group(2), 1)
        else:
            document.add_paragraph(line)
    document.save(target)


def _write_html(lines: list[str], target: Path) -> None:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    target.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>报告</title></head><body><div class='article'>{body}</div></body></html>", encoding="utf-8")


def _to_pdf(source: Path, soffice: str, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    return source.with_suffix(".pdf")


def _verdict(result) -> dict:
    assert not result.error, result.error
    return {
        "score": result.score,
        "passed": result.passed,
        "title": re.sub(r"\s+", "", result.title or ""),
        "body": result.body,
        "year": result.year,
        "sections": [s.kind for s in result.sections],
        "rules": sorted({(f.rule, f.status, f.scored) for f in result.findings}),
    }


@pytest.mark.slow  # LibreOffice lays the Word file out as a PDF
@pytest.mark.parametrize("report", REPORTS, ids=lambda r: Path(r).stem[:12])
def test_txt_docx_pdf_html_give_one_verdict(auditor, report, tmp_path):
    soffice = require_tool(("soffice", "libreoffice"), "LibreOffice 把 Word 文件排版成 PDF：apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    lines = _lines(ROOT / report)
    txt = tmp_path / "r.txt"
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    word = tmp_path / "r.docx"
    _write_docx(lines, word)
    page = tmp_path / "r.html"
    _write_html(lines, page)
    pdf = _to_pdf(word, soffice, tmp_path)

    expected = _verdict(auditor.audit_path(txt))
    for path in (word, pdf, page):
        assert _verdict(auditor.audit_path(path)) == expected, path.suffix


def test_pdf_lines_wrapped_by_the_page_are_joined():
    from fazhi_audit.text.ingest.layout import join, wrapped_groups

    page = [
        "一、主要举措和成效",
        "全面落实党委理论学习中心组学法制度，组织理论学习中",  # runs to the margin: cut by the layout
        "心组学习4次。",
        "（一）严格规范执法",  # a heading is never glued to what precedes it
        "本年度办理行政处罚案件12件，全部经法制审核并按规定公",
        "示。",
    ]
    groups = wrapped_groups([page])
    joined = [join([page[i] for _, i in g]) for g in groups]
    assert "全面落实党委理论学习中心组学法制度，组织理论学习中心组学习4次。" in joined
    assert "（一）严格规范执法" in joined and "一、主要举措和成效" in joined
    assert "本年度办理行政处罚案件12件，全部经法制审核并按规定公示。" in joined
