"""A report as a rich Word file, for the annotation tests.

It has what an annotated copy must keep: automatic numbering
(numbering.xml), paragraph styles, runs of mixed formatting that evidence
sentences start and end inside, a table, a header and footer, an embedded
PNG and a hyperlink -- and the problems each kind of comment anchor is for:
a placeholder, a numbering slip, decision steps only in the plans, steps
missing altogether, a missing part.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx_build import add_chinese_numbering, numbered

WORD_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
TITLE = "云溪镇2024年度法治政府建设工作报告"
PLACEHOLDER_SENTENCE = "本年度开展普法活动XX次。"
PLANS_SENTENCE = "下一步，将严格落实重大行政决策公众参与、专家论证程序。"
SLIP_HEADING = "3.加强执法监督"  # after 1., skipping 2.
TABLE_PLACEHOLDER = "某某律师事务所"
LINK_TEXT = "详见某某网站。更多"  # a sentence that starts inside the hyperlink


def png_bytes(width: int = 8, height: int = 4) -> bytes:
    """A small red RGB PNG, made here so the test needs no image file."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _runs(paragraph, pieces: list[tuple[str, dict]]) -> None:
    for text, style in pieces:
        run = paragraph.add_run(text)
        run.bold = style.get("bold")
        run.italic = style.get("italic")
        if style.get("red"):
            run.font.color.rgb = RGBColor(0xC0, 0, 0)


def _hyperlink(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def rich_report(path: Path, image: Path) -> Path:
    image.write_bytes(png_bytes())
    document = docx.Document()
    add_chinese_numbering(document)
    section = document.sections[0]
    section.header.paragraphs[0].text = "云溪镇人民政府"
    section.footer.paragraphs[0].text = "云溪镇法治政府建设年度报告"

    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph("2024年，云溪镇在县委、县政府领导下，扎实推进法治政府建设，现将有关情况报告如下。")
    document.add_picture(str(image), width=Cm(2))

    numbered(document, "2024年推进法治政府建设的主要举措和成效", 0).style = document.styles["Heading 1"]
    numbered(document, "规范重大行政决策", 1)
    body = document.add_paragraph()
    # the placeholder sentence starts inside the italic run and ends inside the red one
    _runs(
        body,
        [
            ("全年作出重大行政决策2项，均经合法", {"bold": True}),
            ("性审查和集体讨论决定。本年度开展普法", {"italic": True}),
            ("活动XX次。镇政府坚持", {"red": True}),
            ("依法行政。", {}),
        ],
    )
    numbered(document, "加强执法和普法", 1)
    document.add_paragraph("1.深化普法宣传。组织法治讲座6场。")
    document.add_paragraph(f"{SLIP_HEADING}。开展行政执法案卷评查2次。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "法律顾问", f"聘请{TABLE_PLACEHOLDER}担任法律顾问"
    table.cell(1, 0).text, table.cell(1, 1).text = "行政复议案件", "3件"
    linked = document.add_paragraph()
    _runs(linked, [("执法信息已公开。", {"bold": True})])
    _hyperlink(linked, LINK_TEXT, "https://example.org/")
    _runs(linked, [("内容见附件。", {})])

    numbered(document, "存在的不足和原因", 0).style = document.styles["Heading 1"]
    document.add_paragraph("基层执法力量较为薄弱，原因在于专业人员编制不足。")
    numbered(document, "2025年工作安排", 0).style = document.styles["Heading 1"]
    document.add_paragraph(PLANS_SENTENCE)
    document.add_paragraph("云溪镇人民政府")
    document.add_paragraph("2025年2月20日")
    document.save(path)
    _as_word_writes_it(path)
    return path


def _as_word_writes_it(path: Path) -> None:
    """Give every XML part Word's own declaration line, which python-docx would write differently:
    an annotated copy must still keep those parts byte for byte."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename.endswith((".xml", ".rels")) and data.startswith(b"<?xml"):
                data = WORD_DECLARATION + data[data.index(b"?>") + 2 :].lstrip()
            z.writestr(info, data)
