"""Properties of the whole text pipeline on arbitrary input (hypothesis).

For any text, and any bytes under any supported suffix:
- nothing but InputError (an unreadable input: a one-line reason) escapes
  reading and auditing;
- the score stays within 0-100 and the result serialises to JSON;
- every line number in a finding or its evidence is a line of the input, and
  every evidence text occurs in that line of the input (as the user wrote it,
  after the same NFKC/whitespace folding the reports are shown with; a title
  may be joined from the line and the next ones), unless it is the tool's
  bracketed remark such as （全文未分部分）.

Inputs mix report-like material (headings 一、/（一）/1., key phrases, typos,
placeholders, dates, Traditional script) with arbitrary Unicode, so that
examples reach the checks instead of stopping at "not a report".
`pytest tests/test_properties.py --hypothesis-show-statistics` prints how many
examples ran. Budgets are modest so the file runs in well under a minute;
raise them with HYPOTHESIS_MAX_EXAMPLES for a longer search.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from docx_build import docx_bytes
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pdf_build import cjk_pdf

from fazhi_audit.base.errors import InputError
from fazhi_audit.text.ingest.normalize import normalize_line
from fazhi_audit.text.ingest.raw import RawDocument, normalize_newlines
from fazhi_audit.text.ingest.readers import read_bytes

BUDGET = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "0")) or None


def budget(n: int) -> settings:
    return settings(max_examples=BUDGET or n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


TITLES = ["某县2024年度法治政府建设工作报告", "某镇人民政府关于2024年法治政府建设情况的报告", "某市司法局2025年法治政府建設年度報告", ""]
HEADINGS = [
    "一、2024年推进法治政府建设的主要举措和成效",
    "二、存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "四、2025年推进法治政府建设的主要安排",
    "五、其他需要报告的情况",
    "（一）坚持依法科学民主决策",
    "（二）",
    "(三)严格规范公正文明执法",
    "1.",
    "2.完善法律顾问制度",
    "（1）",
    "一是",
    "二是加强学习",
    "第一部分",
]
PHRASES = [
    "公众参与、专家论证、风险评估、合法性审查、集体讨论决定",
    "专家论正",
    "合法性审察",
    "亲自部署、亲自过问、亲自协调、亲自督办",
    "亲自督促",
    "聘请法律顾问1名",
    "行政执法公示、执法全过程纪录、重大执法决定法制审核",
    "全年办理XX件",
    "20XX年",
    "某某",
    "*次",
    "下一步将进一步",
    "有待加强",
    "究其原因",
    "发布时间：2025-04-02",
    "2025年2月28日",
    "。",
    "；",
    "，",
    "\t",
    "\u3000",
    "\r\n",
    "\n",
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY = st.characters(exclude_categories=("Cs",))  # every code point UTF-8 can carry
FRAGMENT = st.one_of(
    st.sampled_from(PHRASES),
    st.sampled_from(HEADINGS).map(lambda h: f"\n{h}\n"),
    st.text(CJK, max_size=12),
    st.text(ANY, max_size=8),
)
REPORT_TEXT = st.builds(lambda title, parts: (title + "\n" if title else "") + "".join(parts), st.sampled_from(TITLES), st.lists(FRAGMENT, max_size=60))
TEXT = st.one_of(REPORT_TEXT, st.text(ANY, max_size=300))


# --- the properties --------------------------------------------------------------


def check_result(result, raw: RawDocument) -> None:
    assert result.error is None
    assert 0 <= result.score <= 100
    json.dumps(result.to_json(), ensure_ascii=False)
    written = _lines_as_written(raw)
    verbatim = _lines_as_written(raw, normalise=False)
    for finding in result.findings:
        assert finding.line is None or finding.line in written, (finding.rule, finding.line)
        for item in finding.items:
            ev = item.evidence
            if ev is None:
                continue
            assert ev.line in written, (finding.rule, ev.line, sorted(written)[-1:])
            assert 0 <= ev.similarity <= 100
            # a quote is shown as written (Ctrl-F finds it), or normalised where positions cannot be mapped back
            assert _occurs(ev.text, verbatim, ev.line) or _occurs(ev.text, written, ev.line), (finding.rule, ev.text, written.get(ev.line))


def _lines_as_written(raw: RawDocument, normalise: bool = True) -> dict[int, str]:
    """Line number -> the line as the user wrote it (original script), normalised unless asked not to."""
    out: dict[int, str] = {}
    for text, origin in zip(raw.text.split("\n"), raw.line_origins()):
        written = origin.original if origin.original is not None else text
        shown = normalize_line(written) if normalise else written
        out[origin.line] = (out[origin.line] + " " + shown) if origin.line in out else shown
    return out


def _occurs(text: str, written: dict[int, str], line: int) -> bool:
    if text in written[line] or _annotation(text):
        return True
    following = [written[n] for n in sorted(written) if n >= line][:4]
    return any(text in sep.join(following) for sep in ("", " "))


def _annotation(text: str) -> bool:
    """The tool's own remark in full-width brackets, not a quote: （全文未分部分） says
    that a report without part headings counts as one part."""
    return text.startswith("（") and text.endswith("）") and "（" not in text[1:-1]


def audit_bytes(auditor, data: bytes, suffix: str, record: bool = True):
    """Read and audit like `audit_path`; returns (raw, result) or None for an InputError.
    `record`: count the outcome in hypothesis's statistics (only inside a @given test)."""
    try:
        raw = read_bytes(data, suffix)
        result = auditor.audit_raw(raw, f"x{suffix}")
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)  # a one-line reason
        if record:
            event(f"{suffix}: InputError {str(exc)[:12]}")
        return None
    if record:
        event(f"{suffix}: audited")
    return raw, result


# --- text --------------------------------------------------------------------------


# Regression: a heading's label joins marker and title ("三、E"); the evidence
# must quote the line as written, with its space ("三、 E").
SPACED_HEADINGS = ["一、 A", "三、 E"]


@budget(150)
@given(text=TEXT)
@example(text="\n".join([TITLES[0], *SPACED_HEADINGS]))
def test_any_text_file(auditor, text):
    out = audit_bytes(auditor, text.encode("utf-8"), ".txt")
    if out is None:
        return
    raw, result = out
    # a .txt line is a line of the file: the reader's numbering is the file's
    assert sorted(_lines_as_written(raw)) == list(range(1, normalize_newlines(text).count("\n") + 2))
    check_result(result, raw)


@budget(100)
@given(text=TEXT)
def test_any_text_through_the_api(auditor, text):
    try:
        result = auditor.audit_text(text)
    except InputError:
        return
    check_result(result, RawDocument(text=text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")))


@budget(60)
@given(text=REPORT_TEXT, codec=st.sampled_from(["gb18030", "utf-16", "utf-8-sig", "big5"]))
def test_other_encodings(auditor, text, codec):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode(codec, errors="replace")
    out = audit_bytes(auditor, data, ".txt")
    if out is not None:
        check_result(out[1], out[0])


# --- other formats, built from arbitrary text ---------------------------------------

XML_SAFE = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
BMP_CJK_TEXT = st.text(st.one_of(CJK, st.characters(min_codepoint=0x20, max_codepoint=0x7E), st.sampled_from("，。；：（）、")), min_size=1, max_size=30)


@budget(50)
@given(lines=st.lists(st.one_of(st.sampled_from(HEADINGS + PHRASES[:14]), st.text(XML_SAFE, max_size=20)), max_size=25), title=st.sampled_from(TITLES))
def test_any_docx(auditor, lines, title):
    from docx import Document

    document = Document()
    for line in [title, *lines]:
        document.add_paragraph(line)
    out = audit_bytes(auditor, docx_bytes(document), ".docx")
    if out is not None:
        check_result(out[1], out[0])


@budget(50)
@given(lines=st.lists(st.one_of(st.sampled_from([h for h in HEADINGS + PHRASES[:14] if h.isprintable()]), BMP_CJK_TEXT), min_size=1, max_size=20))
@example(lines=SPACED_HEADINGS)
def test_any_pdf(auditor, lines):
    data = cjk_pdf([(760 - 18 * i, text) for i, text in enumerate([TITLES[0], *lines]) if text])
    out = audit_bytes(auditor, data, ".pdf")
    if out is not None:
        check_result(out[1], out[0])


TAGS = ["<p>", "</p>", "<div>", "</div>", "<br>", "<h1>", "</h1>", "<table><tr><td>", "</td></tr></table>", "<script>", "</script>", "<!--", "-->", "&nbsp;", "&#x4e00;", "<meta charset='gbk'>", "<title>", "</title>"]


@budget(60)
@given(parts=st.lists(st.one_of(st.sampled_from(TAGS), st.sampled_from(HEADINGS + PHRASES), st.text(ANY, max_size=10)), max_size=50))
def test_any_html(auditor, parts):
    out = audit_bytes(auditor, ("<html><body>" + "".join(parts)).encode("utf-8", "surrogatepass"), ".html")
    if out is not None:
        check_result(out[1], out[0])


# --- arbitrary and mutated bytes ----------------------------------------------------

SUFFIXES = [".txt", ".md", ".html", ".htm", ".docx", ".pdf"]


@budget(150)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes(auditor, data, suffix):
    out = audit_bytes(auditor, data, suffix)
    if out is not None:
        check_result(out[1], out[0])


def _seed_files() -> dict[str, bytes]:
    from docx import Document

    body = [TITLES[0], *HEADINGS[:5], *PHRASES[:8]]
    document = Document()
    for line in body:
        document.add_paragraph(line)
    return {
        ".docx": docx_bytes(document),
        ".pdf": cjk_pdf([(760 - 18 * i, text) for i, text in enumerate(body)]),
        ".html": ("<html><head><title>t</title></head><body>" + "".join(f"<p>{t}</p>" for t in body) + "</body></html>").encode("utf-8"),
        ".txt": "\n".join(body).encode("gb18030"),
    }


SEED_FILES = _seed_files()


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    """A valid file of some format with a few bytes inserted, deleted or overwritten.
    A .docx is mutated inside its XML and zipped again, so the XML reader is reached."""
    suffix = draw(st.sampled_from(sorted(SEED_FILES)))
    data = SEED_FILES[suffix]
    if suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        parts["word/document.xml"] = _mutate(draw, parts["word/document.xml"])
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, content in parts.items():
                z.writestr(name, content)
        return suffix, buf.getvalue()
    return suffix, _mutate(draw, data)


def _mutate(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(out)))
        kind = draw(st.sampled_from(["insert", "delete", "overwrite", "truncate"]))
        chunk = draw(st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from([b"<w:p>", b"</w:p>", b"<w:tbl>", b"<w:numPr><w:numId w:val=\"9\"/></w:numPr>", b"obj", b"endstream", b"%%EOF", "一、".encode()])))
        if kind == "insert":
            out[at:at] = chunk
        elif kind == "delete":
            del out[at : at + len(chunk)]
        elif kind == "overwrite":
            out[at : at + len(chunk)] = chunk
        else:
            del out[at:]
    return bytes(out)


@budget(150)
@given(case=mutated())
def test_mutated_files(auditor, case):
    suffix, data = case
    out = audit_bytes(auditor, data, suffix)
    if out is not None:
        check_result(out[1], out[0])


def test_seed_files_are_read(auditor):
    """The mutation seeds themselves are valid reports, so mutations start from the readers' happy path."""
    for suffix, data in SEED_FILES.items():
        out = audit_bytes(auditor, data, suffix, record=False)
        assert out is not None, suffix
        check_result(out[1], out[0])
        assert out[1].findings


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
