"""Read a .docx body as text lines, with Word's automatic numbering restored.

A plain text dump loses the list labels ("一、", "（二）") Word draws from
numbering.xml -- exactly the heading markers a report checker needs -- so
each paragraph's label is replayed (docx_numbering) and prefixed.  Every line
remembers which paragraph (and which characters of it) it came from, so
evidence can point into the Word file: see LineOrigin and Piece in raw.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from fazhi_audit.base.errors import InputError
from fazhi_audit.base.limits import Limits
from fazhi_audit.text.ingest.docx_hidden import ParagraphLook, look_for, register
from fazhi_audit.text.ingest.docx_numbering import Numbering, W
from fazhi_audit.text.ingest.docx_styles import StyleHints
from fazhi_audit.text.ingest.guards import check_package, check_package_xml
from fazhi_audit.text.ingest.hidden import HiddenTally
from fazhi_audit.text.ingest.raw import LineOrigin, Piece, RawDocument

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

CORRUPT_MESSAGE = "无法打开 Word 文件（文件可能已损坏，或并非 .docx 格式）：请在 Word/WPS 中重新另存为 .docx 后再检查"
OLE_MESSAGE = "这是旧版 .doc/.wps 文件，只是扩展名为 .docx：请在 Word/WPS 中另存为 .docx 后再检查"
EMPTY_MESSAGE = "Word 文件中没有可读取的文字：请确认报告正文不是图片"

# Subtrees whose text a reader does not see (or that duplicate visible text).
_SKIPPED_TAGS = {
    f"{W}pPr", f"{W}rPr", f"{W}sdtPr", f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delInstrText",
    f"{W}txbxContent", f"{{{MC_NS}}}Fallback", f"{W}footnoteReference", f"{W}endnoteReference",
}


def read_docx(data: bytes, limits: Limits | None = None) -> RawDocument:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(OLE_MESSAGE)
    check_package(data, limits or Limits())  # a zip bomb is refused before python-docx unpacks it
    check_package_xml(data, limits or Limits())  # and so is XML that would parse into millions of elements
    document = _open(data)
    try:
        walk = _Walk(document)
        lines = list(walk.lines(document.element.body))
        hidden_note = walk.hidden.note()
    except InputError:
        raise
    except Exception:  # malformed XML inside a valid zip
        raise InputError(CORRUPT_MESSAGE) from None
    if not any(line.text.strip() for line in lines):
        raise InputError(EMPTY_MESSAGE)
    origins = [LineOrigin(number, pieces=line.pieces, heading=line.heading, bold=line.bold) for number, line in enumerate(lines, start=1)]
    notes = [hidden_note] if hidden_note else []
    return RawDocument(text="\n".join(line.text for line in lines), source_format="docx", origins=origins, notes=notes)


def source_paragraphs(document) -> list:
    """The w:p elements LineOrigin paragraph indexes count: the whole body, in order."""
    register(document)  # paragraph_text() of these then knows the document's styles
    return list(document.element.body.iter(f"{W}p"))


def paragraph_text(p, hidden: HiddenTally | None = None) -> str:
    """The text of w:p element p as the reader sees it; Piece offsets index it.

    Runs a reader cannot see (docx_hidden) are left out, and counted in
    `hidden` when given.
    """
    out: list[str] = []
    _collect_text(p, out, look_for(p), hidden)
    return "".join(out)


def element_text(element) -> str:
    """The text one element inside a paragraph adds to paragraph_text(), judged in its place."""
    p = next(element.iterancestors(f"{W}p"), None)
    out: list[str] = []
    _collect_child(element, out, look_for(p), None)
    return "".join(out)


def _open(data: bytes):
    try:
        import docx

        return docx.Document(io.BytesIO(data))
    except Exception:  # BadZipFile, KeyError, ValueError, lxml errors...
        raise InputError(CORRUPT_MESSAGE) from None


# ---------------------------------------------------------------- text with its sources


@dataclass(frozen=True)
class _Text:
    """A string and the pieces of it that come from paragraph text."""

    text: str
    pieces: tuple[Piece, ...] = ()
    heading: int | None = None  # heading signals of a paragraph that is one line (see docx_styles)
    bold: bool = False

    def __add__(self, other: "_Text") -> "_Text":
        shift = len(self.text)
        return _Text(self.text + other.text, self.pieces + tuple(p.shifted(shift) for p in other.pieces))

    def cut(self, start: int, end: int) -> "_Text":
        return _Text(self.text[start:end], tuple(c for p in self.pieces if (c := p.clip(start, end)) is not None))

    def lstrip(self) -> "_Text":
        return self.cut(len(self.text) - len(self.text.lstrip()), len(self.text))

    def rstrip(self) -> "_Text":
        return self.cut(0, len(self.text.rstrip()))

    def strip(self) -> "_Text":
        return self.lstrip().rstrip()

    def split(self, sep: str) -> list["_Text"]:
        parts, start = [], 0
        for part in self.text.split(sep):
            parts.append(self.cut(start, start + len(part)))
            start += len(part) + len(sep)
        return parts

    def replace(self, old: str, new: str) -> "_Text":
        assert len(old) == len(new)  # keeps positions
        return _Text(self.text.replace(old, new), self.pieces)

    @staticmethod
    def join(sep: str, parts: list["_Text"]) -> "_Text":
        out = _Text("")
        for i, part in enumerate(parts):
            out = out + _Text(sep) + part if i else part
        return out

    def in_cell(self, cell: tuple[int, int, int]) -> "_Text":
        """Mark pieces as table text; nested tables keep their own cell."""
        return _Text(self.text, tuple(p if p.cell else Piece(p.start, p.end, p.paragraph, p.offset, cell) for p in self.pieces))


# ---------------------------------------------------------------- body walk


class _Walk:
    """Lines for paragraphs and table rows in document order."""

    def __init__(self, document):
        self.numbering = Numbering.from_document(document)
        register(document)
        self.hidden = HiddenTally()
        self.hints = StyleHints(document)
        body = document.element.body
        self.paragraph_index = {p: i for i, p in enumerate(body.iter(f"{W}p"))}
        self.table_index = {t: i for i, t in enumerate(body.iter(f"{W}tbl"))}

    def lines(self, container):
        for child in container.iterchildren():
            if child.tag == f"{W}p":
                yield from self._paragraph_lines(child)
            elif child.tag == f"{W}tbl":
                yield from self._table_lines(child)
            elif child.tag in (f"{W}sdt", f"{W}customXml"):
                # content controls wrap ordinary paragraphs and tables
                inner = child.find(f"{W}sdtContent")
                yield from self.lines(inner if inner is not None else child)

    def _paragraph_lines(self, p):
        raw = paragraph_text(p, self.hidden)
        text = _Text(raw, (Piece(0, len(raw), self.paragraph_index[p], 0),) if raw else ())
        label = self.numbering.label_for(p)
        if label:
            text = _join_label(label, text)
        lines = [line.rstrip() for line in text.split("\n") if line.text.strip()]
        if len(lines) == 1:
            # a heading style or bold paragraph of its own is a heading signal
            lines = [replace(lines[0], heading=self.hints.heading_level(p), bold=self.hints.is_bold(p))]
        yield from lines

    def _table_lines(self, tbl):
        table = self.table_index[tbl]
        for row, tr in enumerate(tbl.iterchildren(f"{W}tr")):
            cells = [self._cell_text(tc).in_cell((table, row, column)) for column, tc in enumerate(_row_cells(tr))]
            if any(cell.text for cell in cells):
                yield _Text.join("\t", cells)

    def _cell_text(self, tc) -> _Text:
        # a cell's paragraphs (and nested tables) become one field of the row
        return _Text.join(" ", [part.replace("\t", " ").strip() for part in self.lines(tc)])


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == f"{W}tc":
            yield child
        elif child.tag == f"{W}sdt":
            yield from child.iter(f"{W}tc")


def _collect_text(element, out: list[str], look: ParagraphLook, hidden: HiddenTally | None) -> None:
    for child in element.iterchildren():
        _collect_child(child, out, look, hidden)


def _collect_child(child, out: list[str], look: ParagraphLook, hidden: HiddenTally | None) -> None:
    tag = child.tag
    if not isinstance(tag, str) or tag in _SKIPPED_TAGS:
        return
    if tag == f"{W}r" and look.invisible(child):
        if hidden is not None:
            hidden.add("".join(t.text or "" for t in child.iter(f"{W}t")))
        return
    if tag == f"{W}t":
        out.append(child.text or "")
    elif tag in (f"{W}tab", f"{W}ptab"):
        out.append("\t")
    elif tag == f"{W}br":
        # page/column breaks move text, they do not split a line
        out.append("" if child.get(f"{W}type") in ("page", "column") else "\n")
    elif tag == f"{W}cr":
        out.append("\n")
    elif tag == f"{W}noBreakHyphen":
        out.append("-")
    else:
        _collect_text(child, out, look, hidden)


def _join_label(label: str, text: _Text) -> _Text:
    # Word puts a tab after the label; in CJK labels ("一、") it is invisible
    if label.endswith(tuple("、）)．.:：")) or not text.text:
        return _Text(label) + text.lstrip()
    return _Text(f"{label} ") + text.lstrip()
