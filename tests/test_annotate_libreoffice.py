"""A real client opens the annotated Word file: LibreOffice exports it to PDF with its comments.

LibreOffice Writer (Debian: libreoffice-writer-nogui, with fonts-noto-cjk)
converts the .docx with comments exported as PDF annotations; pypdf reads
the annotations back and every comment must be among them.  With
FAZHI_AUDIT_SCREENSHOTS=1 the first page is also rendered (pdftoppm, from
poppler-utils) to docs/screenshots/annotate-page1.png for the README.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from annotate_build import rich_report
from conftest import ROOT, require_tool
from pypdf import PdfReader

from fazhi_audit.annotate import annotate_path
from fazhi_audit.engine.settings import AuditSettings

KEEP = AuditSettings(keep_document=True)  # comments are placed by the parsed document's line origins

pytestmark = pytest.mark.slow  # LibreOffice

PDF_WITH_NOTES = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
SCREENSHOT = ROOT / "docs" / "screenshots" / "annotate-page1.png"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _to_pdf(soffice: str, source: Path, folder: Path) -> Path:
    profile = folder / "lo-profile"  # its own profile: no lock clash with a running LibreOffice
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", PDF_WITH_NOTES, "--outdir", str(folder), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = folder / f"{source.stem}.pdf"
    assert done.returncode == 0 and pdf.exists(), f"LibreOffice wrote no PDF: {done.stdout} {done.stderr}"
    return pdf


def _annotations(pdf: Path) -> list[str]:
    out = []
    for page in PdfReader(str(pdf)).pages:
        for ref in page.get("/Annots") or []:
            note = ref.get_object()
            if note.get("/Subtype") == "/Text" and note.get("/Contents"):
                out.append(str(note["/Contents"]))
    return out


@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_libreoffice_exports_every_comment(kind, tmp_path, auditor):
    soffice = require_tool(("soffice", "libreoffice"), "LibreOffice Writer opens the annotated .docx")
    source = rich_report(tmp_path / "报告.docx", tmp_path / "图.png")
    if kind == "txt":  # a report that was not a Word file: the new .docx must open too
        from fazhi_audit.text.ingest.docx_reader import read_docx

        text = source.with_suffix(".txt")
        text.write_text(read_docx(source.read_bytes()).text, encoding="utf-8")
        source = text
    result = auditor.audit_path(source, KEEP)
    target = tmp_path / "报告-审查意见.docx"
    summary = annotate_path(source, result, target, rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    written = ["\n".join(p.text for p in c.paragraphs) for c in docx.Document(str(target)).comments]
    assert len(written) == summary.comments > 5

    pdf = _to_pdf(soffice, target, tmp_path)
    exported = {_squeeze(text) for text in _annotations(pdf)}
    for comment in written:
        assert _squeeze(comment) in exported, comment.splitlines()[0]

    if kind == "docx" and os.environ.get("FAZHI_AUDIT_SCREENSHOTS") == "1":
        pdftoppm = require_tool("pdftoppm", "renders the README screenshot; Debian: poppler-utils")
        subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True, capture_output=True, timeout=120)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(next(tmp_path.glob("page*.png")), SCREENSHOT)
