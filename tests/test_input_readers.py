"""Input readers (not output formatters): encodings, .docx numbering, PDF text layers, portal HTML, Traditional script."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

try:
    import fazhi_audit  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import docx
from docx_build import add_chinese_numbering, docx_bytes, numbered
from pdf_build import ascii_pdf, cjk_pdf
from pypdf import PdfWriter

from fazhi_audit.base.errors import InputError
from fazhi_audit.text.dates import parse_date
from fazhi_audit.text.ingest.docx_numbering import format_number
from fazhi_audit.text.ingest.docx_reader import read_docx
from fazhi_audit.text.ingest.html_reader import read_html
from fazhi_audit.text.ingest.pdf_reader import NO_TEXT_MESSAGE, read_pdf
from fazhi_audit.text.ingest.raw import LineOrigin, RawDocument, decode_text
from fazhi_audit.text.ingest.readers import read_bytes, read_path
from fazhi_audit.text.ingest.script import CONVERTED_NOTE, convert_if_traditional

PARAGRAPH = (
    "关于2023年度法治政府建设情况的报告\r\n"
    "一、主要举措\r\n"
    "（一）强化组织领导。县政府常务会议专题研究法治政府建设工作4次，"
    "统一部署重大行政决策、行政执法“三项制度”等重点任务。\r\n"
)
EXPECTED = PARAGRAPH.replace("\r\n", "\n")


# ---------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    "data",
    [
        PARAGRAPH.encode("utf-8"),
        b"\xef\xbb\xbf" + PARAGRAPH.encode("utf-8"),
        PARAGRAPH.encode("gb18030"),
        PARAGRAPH.encode("gbk"),
        b"\xff\xfe" + PARAGRAPH.encode("utf-16-le"),
        b"\xfe\xff" + PARAGRAPH.encode("utf-16-be"),
        PARAGRAPH.encode("utf-16-le"),
        PARAGRAPH.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom"],
)
def test_decode_text_round_trips_and_normalises_newlines(data):
    text = decode_text(data)
    assert text == EXPECTED
    assert "\r" not in text and "\ufeff" not in text


def test_short_gbk_text_is_not_mistaken_for_another_cjk_codec():
    assert decode_text("依法行政".encode("gbk")) == "依法行政"


def test_read_path_decodes_a_gb18030_txt_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(PARAGRAPH.encode("gb18030"))
    doc = read_path(path)
    assert doc.text == EXPECTED
    assert doc.source_format == "txt"
    assert doc.origins is None  # a plain file: line i is line i + 1


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        _zip_bytes(),
        bytes(range(256)) * 8,
        b"\x00\x01\x02\x03report\x00\x00\x07\x08",
    ],
    ids=["png", "zip", "byte-soup", "nul-bytes"],
)
def test_binary_data_is_rejected_as_binary(data):
    with pytest.raises(InputError, match="二进制文件"):
        decode_text(data)


def test_binary_with_txt_suffix_is_rejected_through_read_bytes():
    with pytest.raises(InputError, match="二进制文件"):
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", ".txt")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", b"\xef\xbb\xbf\r\n"])
def test_empty_input_is_rejected(data):
    with pytest.raises(InputError, match="文件为空"):
        read_bytes(data, ".txt")


def test_unsupported_suffix_keeps_its_message(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0whatever")
    with pytest.raises(InputError, match="另存为 .docx"):
        read_path(path)


# ---------------------------------------------------------------- .docx

def test_docx_automatic_numbering_is_restored(tmp_path):
    document = docx.Document()
    add_chinese_numbering(document)
    document.add_paragraph("关于2023年度法治政府建设情况的报告")
    numbered(document, "主要举措", 0)
    numbered(document, "强化组织领导", 1)
    numbered(document, "完善制度体系", 1)
    numbered(document, "存在的不足", 0)
    numbered(document, "法治宣传不够深入", 1)
    path = tmp_path / "numbered.docx"
    path.write_bytes(docx_bytes(document))

    doc = read_path(path)

    assert doc.source_format == "docx"
    assert doc.text.split("\n") == [
        "关于2023年度法治政府建设情况的报告",
        "一、主要举措",
        "（一）强化组织领导",
        "（二）完善制度体系",
        "二、存在的不足",
        "（一）法治宣传不够深入",  # lower level restarts under a new heading
    ]


def test_docx_numbering_inherited_from_paragraph_style():
    document = docx.Document()
    # the default template's "List Number" style carries numPr (decimal "%1.")
    document.add_paragraph("第一项工作", style="List Number")
    document.add_paragraph("第二项工作", style="List Number")
    lines = read_docx(docx_bytes(document)).text.split("\n")
    assert lines == ["1.第一项工作", "2.第二项工作"]


def test_docx_paragraphs_and_tables_in_body_order():
    document = docx.Document()
    document.add_paragraph("表格之前的段落")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("指标", "2022年", "2023年"), ("行政复议案件", "10", "12")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("表格之后的段落")
    lines = read_docx(docx_bytes(document)).text.split("\n")
    assert lines == [
        "表格之前的段落",
        "指标\t2022年\t2023年",
        "行政复议案件\t10\t12",
        "表格之后的段落",
    ]


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04this is not really a zip archive", "纯文本冒充 Word".encode("utf-8"), _zip_bytes()],
    ids=["broken-zip", "text", "zip-without-word-parts"],
)
def test_corrupt_docx_is_an_input_error(data):
    with pytest.raises(InputError, match="无法打开 Word 文件.*文件可能已损坏"):
        read_bytes(data, ".docx")


def test_legacy_doc_renamed_to_docx_gets_a_specific_message():
    with pytest.raises(InputError, match="旧版 .doc"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".docx")


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (23, "chineseCountingThousand", "二十三"),
        (3, "ideographTraditional", "丙"),
        (4, "decimalEnclosedCircle", "④"),
        (2, "ideographEnclosedCircle", "㈡"),
        (12, "decimal", "12"),
        (4, "upperRoman", "IV"),
        (3, "lowerLetter", "c"),
    ],
)
def test_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


# ---------------------------------------------------------------- PDF


def test_pdf_text_layer_lines_are_labelled_by_page(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(ascii_pdf([["Annual report on law-based government", "Part one"], ["Part two"]]))
    doc = read_path(path)
    assert doc.source_format == "pdf"
    assert doc.text.split("\n") == ["Annual report on law-based government", "Part one", "Part two"]
    assert [o.page for o in doc.origins] == ["第1页", "第1页", "第2页"]
    assert [o.line for o in doc.origins] == [1, 2, 3]


def test_pdf_cjk_text_in_reading_order_without_page_number_furniture():
    # drawn bottom-up, with a Kangxi-radical "⼀" some fonts map 一 to
    data = cjk_pdf([(60, "- 1 -"), (600, "（一）强化组织领导。"), (650, "\u2f00、主要举措"), (720, "法治政府建设年度报告")])
    doc = read_pdf(data)
    assert doc.text.split("\n") == ["法治政府建设年度报告", "一、主要举措", "（一）强化组织领导。"]
    assert [o.page for o in doc.origins] == ["第1页"] * 3


def test_pdf_without_text_layer_is_rejected_with_exact_message():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(InputError) as excinfo:
        read_bytes(buf.getvalue(), ".pdf")
    assert str(excinfo.value) == NO_TEXT_MESSAGE == "无文本层，请提供可复制文字的 PDF 或 Word 原件"


def test_password_protected_pdf_is_rejected():
    writer = PdfWriter(clone_from=io.BytesIO(ascii_pdf([["secret"]])))
    writer.encrypt(user_password="open-sesame", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(InputError, match="加密"):
        read_pdf(buf.getvalue())


def test_pdf_with_empty_user_password_is_read():
    writer = PdfWriter(clone_from=io.BytesIO(ascii_pdf([["Printable only"]])))
    writer.encrypt(user_password="", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    assert read_pdf(buf.getvalue()).text == "Printable only"


@pytest.mark.parametrize("data", [ascii_pdf([["cut short"]])[:150], b"%PDF-1.7\ngarbage", b"not a pdf at all"])
def test_corrupt_pdf_is_an_input_error(data):
    with pytest.raises(InputError, match="PDF"):
        read_bytes(data, ".pdf")


# ---------------------------------------------------------------- HTML

PORTAL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}">{meta}
<title>关于2023年度法治政府建设情况的报告_白山县人民政府</title>
<style>.nav {{ color: red; }}</style>
<script>var menu = "脚本里的文字";</script></head>
<body>
<div class="header"><h1><a href="/">白山县人民政府门户网站</a></h1></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a>政务公开</a></li><li><a>互动交流</a></li></ul></div>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<div class="article">
  <div class="article-title">关于2023年度法治政府建设情况的报告</div>
  <div class="info">{date_line}来源：县司法局　字号：大 中 小</div>
  <div id="zoom" class="TRS_Editor">
    <p>　　2023年，我县深入学习贯彻习近平法治思想，现将有关情况报告如下。</p>
    <p><strong>一、主要举措</strong></p>
    <p>（一）强化组织领导。县政府常务会议专题研究法治政府建设工作4次。</p>
    <table><tr><td>指标</td><td>数量</td></tr><tr><td>行政复议案件</td><td>12</td></tr></table>
    <p>二、存在的不足<br/>一是法治宣传不够深入。</p>
  </div>
  <div class="bdsharebuttonbox">分享到：微信 微博</div>
</div>
<div class="footer"><p>主办单位：白山县人民政府办公室　版权所有</p><p>网站标识码：1234567890</p></div>
</body></html>"""

PORTAL_BODY = [
    "关于2023年度法治政府建设情况的报告",
    "2023年，我县深入学习贯彻习近平法治思想，现将有关情况报告如下。",
    "一、主要举措",
    "（一）强化组织领导。县政府常务会议专题研究法治政府建设工作4次。",
    "指标\t数量",
    "行政复议案件\t12",
    "二、存在的不足",
    "一是法治宣传不够深入。",
]


def _portal(charset="utf-8", meta="", date_line="") -> str:
    return PORTAL_PAGE.format(charset=charset, meta=meta, date_line=date_line)


def test_html_body_without_navigation_and_date_from_page_text(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(_portal(date_line="发布时间：2024-02-22　"), encoding="utf-8")
    doc = read_path(path)
    assert doc.source_format == "html"
    assert doc.published == "2024-02-22"
    assert doc.text.split("\n") == PORTAL_BODY
    for furniture in ("首页", "当前位置", "分享到", "版权所有", "脚本里的文字", "门户网站"):
        assert furniture not in doc.text


def test_html_publication_date_from_pubdate_meta():
    page = _portal(meta='<meta name="PubDate" content="2024-03-28 10:00">')
    doc = read_bytes(page.encode("utf-8"), ".htm")
    assert doc.published == "2024-03-28"
    assert doc.text.split("\n") == PORTAL_BODY


def test_gbk_html_honours_meta_charset():
    page = _portal(charset="gbk", date_line="发布日期：2024年1月5日　")
    doc = read_bytes(page.encode("gbk"), ".html")
    assert doc.text.split("\n") == PORTAL_BODY
    assert doc.published == "2024-01-05"


def test_html_without_container_names_uses_densest_text_block():
    page = """<html><head><title>某某局2023年法治政府建设年度报告 - 某某局</title></head><body>
    <table><tr><td><a>首页</a> <a>机构概况</a> <a>政策法规</a> <a>通知公告</a></td></tr>
    <tr><td><table><tr><td><ul><li>相关链接一号</li><li>相关链接二号</li></ul></td><td>
    <p>一、深入学习贯彻习近平法治思想，全面推进依法行政。</p>
    <p>二、存在的问题和不足，主要是执法人员素质有待提升。</p>
    <p>三、下一步工作打算，继续加强法治政府建设。</p>
    </td></tr></table></td></tr></table></body></html>"""
    doc = read_html(page.encode("utf-8"))
    assert doc.text.split("\n") == [
        "某某局2023年法治政府建设年度报告",  # from <title>, site name dropped
        "一、深入学习贯彻习近平法治思想，全面推进依法行政。",
        "二、存在的问题和不足，主要是执法人员素质有待提升。",
        "三、下一步工作打算，继续加强法治政府建设。",
    ]
    assert doc.published is None


def test_html_without_text_is_an_input_error():
    with pytest.raises(InputError, match="没有找到正文"):
        read_html(b"<html><head><script>var x = 1;</script></head><body><img src='a.png'></body></html>")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-28 10:00", "2024-03-28"),
        ("2024/3/8", "2024-03-08"),
        ("2024年3月8日 09:30", "2024-03-08"),
        ("2024-03-28-10:00:00", "2024-03-28"),
        ("20240328", "2024-03-28"),
        ("2024-13-45", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# ---------------------------------------------------------------- Traditional script

TRADITIONAL = "關於2023年度法治政府建設情況的報告\n一、主要舉措\n（一）強化組織領導，推進依法行政。\n"
SIMPLIFIED = "关于2023年度法治政府建设情况的报告\n一、主要举措\n（一）强化组织领导，推进依法行政。\n"


def test_traditional_text_is_converted_line_by_line():
    doc = read_bytes(TRADITIONAL.encode("utf-8"), ".txt")
    assert doc.text == SIMPLIFIED
    assert [o.original for o in doc.origins] == TRADITIONAL.split("\n")
    assert [o.line for o in doc.origins] == [1, 2, 3, 4]
    assert doc.notes == [CONVERTED_NOTE] == ["已将繁体转换为简体进行检查"]


def test_big5_traditional_text_is_decoded_and_converted():
    doc = read_bytes(TRADITIONAL.encode("big5"), ".txt")
    assert doc.text == SIMPLIFIED
    assert doc.origins[0].original == "關於2023年度法治政府建設情況的報告"


def test_traditional_conversion_keeps_pdf_page_labels():
    origins = [LineOrigin(1, page="第1页"), LineOrigin(2, page="第2页")]
    doc = RawDocument(text="法治政府建設\n依法行政報告", source_format="pdf", origins=origins)
    converted = convert_if_traditional(doc)
    assert converted.text == "法治政府建设\n依法行政报告"
    assert [o.page for o in converted.origins] == ["第1页", "第2页"]
    assert [o.original for o in converted.origins] == ["法治政府建設", "依法行政報告"]


def test_simplified_text_is_returned_unchanged():
    doc = RawDocument(text=SIMPLIFIED)
    assert convert_if_traditional(doc) is doc
    assert doc.origins is None and doc.notes == []


def test_a_damaged_deflate_stream_in_a_docx_is_an_input_error_not_a_crash():
    # found by the fuzz target: zlib.error escaped the streamed XML count of a .docx
    import io
    import zipfile

    from fazhi_audit.base.errors import InputError
    from fazhi_audit.text.ingest.readers import read_bytes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + "<w:p><w:t>法治政府建设</w:t></w:p>" * 2000 + "</w:document>")
    data = bytearray(buffer.getvalue())
    header = data.index(b"word/document.xml") + len("word/document.xml")
    for i in range(header + 40, header + 200, 7):  # scramble the compressed bytes, keep the zip directory
        data[i] ^= 0x5A
    with pytest.raises(InputError):
        read_bytes(bytes(data), ".docx")
