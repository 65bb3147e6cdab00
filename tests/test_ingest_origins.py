"""Each line carries its origin, and evidence made from it points at the source.

.txt: the file line; .pdf: the page; .html: the extracted line; .docx: the
paragraph (in body.iter(w:p) order) and character offsets inside it, so that
paragraph_text[start:end] is the evidence sentence.
"""

from __future__ import annotations

import io
import unicodedata

import docx
import opencc
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx_build import add_chinese_numbering, docx_bytes, numbered
from pdf_build import cjk_pages

from fazhi_audit.checks.evidence import evidence_at
from fazhi_audit.text.document import parse_document
from fazhi_audit.text.ingest.normalize import Line, fold_map, normalize, normalize_line
from fazhi_audit.text.ingest.raw import LineOrigin, Piece
from fazhi_audit.text.ingest.readers import read_bytes

TITLE = "某县司法局2024年法治政府建设情况报告"
DECISION = "全年重大行政决策均经过公众参与、专家论证、风险评估、合法性审查和集体讨论决定。"
DUTY = "主要负责人亲自部署、亲自过问、亲自协调、亲自督办重要工作。"


@pytest.fixture(scope="module")
def vocab(auditor):
    return auditor.ruleset.vocab


def _paragraph_texts(data: bytes) -> list[str]:
    """python-docx's own text of every paragraph of the body, in document order."""
    document = docx.Document(io.BytesIO(data))
    return [Paragraph(p, None).text for p in document.element.body.iter(qn("w:p"))]


def _evidence(result, name: str):
    return next(i.evidence for f in result.findings for i in f.items if i.name == name)


def _report_docx(convert=lambda text: text) -> bytes:
    document = docx.Document()
    add_chinese_numbering(document)
    document.add_paragraph(convert(TITLE))  # paragraph 0
    numbered(document, convert("主要举措和成效"), 0)  # 1
    numbered(document, convert("健全依法决策机制"), 1)  # 2
    document.add_paragraph(convert("　　（１）" + DECISION + "全年审查合同12件。"))  # 3: indented, full-width
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("指标", "数量"), ("说明。", convert("本年度聘请法律顾问XX名。"))]):
        for cell, value in zip(row.cells, values):
            cell.text = value  # paragraphs 4-7, row by row
    numbered(document, convert("党政主要负责人履行推进法治建设第一责任人职责情况"), 0)  # 8
    document.add_paragraph(convert(DUTY))  # 9
    numbered(document, convert("存在的不足和原因"), 0)  # 10
    document.add_paragraph(convert("执法人员素质有待提升，原因是培训不足。"))  # 11
    numbered(document, convert("下一年度工作安排"), 0)  # 12
    document.add_paragraph(convert("继续加强法治政府建设。"))  # 13
    return docx_bytes(document)


# ---------------------------------------------------------------- .txt


def test_txt_lines_keep_file_line_numbers_past_blanks_and_boilerplate(vocab):
    text = "首页 > 政务公开\n\n" + TITLE + "\n\n一、主要举措和成效\n" + DECISION + DUTY + "\n"
    raw = read_bytes(text.encode("utf-8"), ".txt")
    assert raw.origins is None
    doc = parse_document(raw, vocab)
    assert [(line.number, line.origin) for line in doc.lines] == [(n, LineOrigin(n)) for n in (3, 5, 6)]
    for sentence in doc.sentences:
        assert sentence.source.text[sentence.start : sentence.start + len(sentence.text)] == sentence.text
        assert sentence.line == sentence.source.number
    second = [s for s in doc.sentences if s.line == 6][1]
    assert second.text == DUTY and second.start == len(DECISION)


def test_txt_evidence_has_no_docx_or_pdf_fields(auditor):
    result = auditor.audit_text("\n".join([TITLE, "一、主要举措和成效", DECISION]))
    evidence = _evidence(result, "公众参与")
    assert (evidence.line, evidence.page, evidence.paragraph, evidence.offsets) == (3, None, None, None)
    assert set(evidence.to_json()) == {"text", "line", "section", "similarity", "match"}


# ---------------------------------------------------------------- .docx


def test_docx_line_origins_name_paragraph_offsets_and_cell():
    data = _report_docx()
    raw = read_bytes(data, ".docx")
    paragraphs = _paragraph_texts(data)
    lines = raw.text.split("\n")
    assert lines[:6] == [TITLE, "一、主要举措和成效", "（一）健全依法决策机制", "　　（１）" + DECISION + "全年审查合同12件。", "指标\t数量", "说明。\t本年度聘请法律顾问XX名。"]
    origins = raw.origins
    assert [o.line for o in origins] == list(range(1, len(lines) + 1))
    assert [o.paragraph for o in origins] == [0, 1, 2, 3, None, None, 8, 9, 10, 11, 12, 13]
    # a numbered heading: Word's label is not paragraph text
    assert origins[1].pieces == (Piece(2, 9, 1, 0),) and origins[1].offsets == (0, 7)
    # every piece of every line is the paragraph's own text
    for line, origin in zip(lines, origins):
        for piece in origin.pieces:
            assert line[piece.start : piece.end] == paragraphs[piece.paragraph][piece.offset : piece.offset + piece.end - piece.start]
    # a table row joins its cells' paragraphs; each piece says which cell
    assert [(p.paragraph, p.cell) for p in origins[5].pieces] == [(6, (0, 1, 0)), (7, (0, 1, 1))]


def test_docx_evidence_offsets_index_the_paragraph_text(auditor, tmp_path):
    data = _report_docx()
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    result = auditor.audit_path(path)
    paragraphs = _paragraph_texts(data)
    decision = _evidence(result, "公众参与")
    assert decision.paragraph == 3 and decision.line == 4
    start, end = decision.offsets
    # NFKC folds （１） to (1) one for one: the range is the sentence as written
    assert paragraphs[3][start:end] == "（１）" + DECISION
    assert paragraphs[3][start:end] == decision.text  # shown as written: Ctrl-F finds it
    duty = _evidence(result, "亲自督办")
    assert (duty.paragraph, duty.offsets) == (9, (0, len(DUTY)))
    assert paragraphs[9][slice(*duty.offsets)] == duty.text == DUTY
    placeholder = next(f for f in result.findings if f.rule == "quality.placeholder").items[0].evidence
    assert placeholder.paragraph == 7
    assert paragraphs[7][slice(*placeholder.offsets)] == placeholder.text == "本年度聘请法律顾问XX名。"
    assert decision.to_json()["offsets"] == [start, end] and decision.to_json()["paragraph"] == 3


def test_traditional_docx_evidence_is_shown_and_located_as_written(auditor, tmp_path):
    s2t = opencc.OpenCC("s2t")
    data = _report_docx(s2t.convert)
    path = tmp_path / "traditional.docx"
    path.write_bytes(data)
    result = auditor.audit_path(path)
    paragraphs = _paragraph_texts(data)
    duty = _evidence(result, "亲自督办")
    assert duty.text == s2t.convert(DUTY) != DUTY
    assert duty.match in duty.text and s2t.convert("亲自督办") == duty.match
    assert paragraphs[duty.paragraph][slice(*duty.offsets)] == duty.text


def test_docx_label_is_cut_from_a_heading_range():
    origin = LineOrigin(2, pieces=(Piece(2, 9, 1, 0),))
    line = Line("一、主要举措和成效", origin, "一、主要举措和成效")
    evidence = evidence_at(line, "一、主要举措和成效", "achievements", 100.0, "主要举措")
    assert (evidence.paragraph, evidence.offsets) == (1, (0, 7))
    assert origin.locate(0, 2) is None  # only label: no paragraph text


# ---------------------------------------------------------------- .pdf and .html


def test_pdf_lines_and_evidence_carry_their_page(auditor, tmp_path):
    pages = [
        [(720, TITLE), (690, "一、主要举措和成效"), (660, DECISION)],
        [(720, "二、党政主要负责人履行推进法治建设第一责任人职责情况"), (690, DUTY)],
    ]
    path = tmp_path / "report.pdf"
    path.write_bytes(cjk_pages(pages))
    raw = read_bytes(path.read_bytes(), ".pdf")
    assert [(o.line, o.page) for o in raw.origins] == [(1, "第1页"), (2, "第1页"), (3, "第1页"), (4, "第2页"), (5, "第2页")]
    result = auditor.audit_path(path)
    assert (_evidence(result, "公众参与").line, _evidence(result, "公众参与").page) == (3, "第1页")
    assert (_evidence(result, "亲自督办").line, _evidence(result, "亲自督办").page) == (5, "第2页")
    assert _evidence(result, "亲自督办").to_json()["page"] == "第2页"


def test_html_lines_are_numbered_as_extracted(auditor, tmp_path):
    page = (
        "<html><head><title>" + TITLE + "_某县人民政府</title></head><body>"
        "<div class='nav'>首页 政务公开</div><div id='zoom'>"
        "<p>一、主要举措和成效</p><p>" + DECISION + "</p></div></body></html>"
    )
    raw = read_bytes(page.encode("utf-8"), ".html")
    assert raw.text.split("\n") == [TITLE, "一、主要举措和成效", DECISION]
    assert [o.line for o in raw.line_origins()] == [1, 2, 3]
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    evidence = _evidence(auditor.audit_path(path), "公众参与")
    assert (evidence.line, evidence.page, evidence.paragraph) == (3, None, None)


# ---------------------------------------------------------------- folding and evidence at its origin


@pytest.mark.parametrize(
    "raw",
    ["  （一）强化 \t 组织　领导。 ", "㈠ａｂ  c", "甲\tⅫ乙", ""],
)
def test_fold_map_points_each_normalised_character_at_its_source(raw):
    columns = fold_map(raw)
    folded = normalize_line(raw)
    assert len(columns) == len(folded)
    assert columns == sorted(columns)
    for ch, i in zip(folded, columns):
        assert (ch == " " and raw[i] in " \t\u3000") or ch in unicodedata.normalize("NFKC", raw[i])


def test_fold_map_gives_up_on_combining_sequences():
    assert fold_map("e\u0301x") is None  # NFKC composes é from two characters
    line = normalize("e\u0301x 依法行政").lines[0]
    assert line.raw_span(0, 2) is None


def test_evidence_is_right_when_made_no_patching_afterwards(auditor, tmp_path):
    s2t = opencc.OpenCC("s2t")
    path = tmp_path / "traditional.docx"
    path.write_bytes(_report_docx(s2t.convert))
    raw = read_bytes(path.read_bytes(), ".docx")
    doc = parse_document(raw, auditor.ruleset.vocab, str(path))
    sentence = next(s for s in doc.sentences if "亲自督办" in s.text)
    made = evidence_at(sentence.source, sentence.text, sentence.kind, 100.0, "亲自督办", sentence.start)
    assert made.text == s2t.convert(sentence.text) and made.paragraph == 9
    result = auditor.audit_document(doc)  # the checks build evidence through evidence_at themselves
    duty = next(f for f in result.findings if f.rule == "duty.four-personally")
    seen = next(i.evidence for i in duty.items if i.name == "亲自督办")
    assert seen.to_json() == made.to_json()
