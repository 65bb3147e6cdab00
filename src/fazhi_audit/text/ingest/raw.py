"""What every reader returns: text lines, each with where it came from.

`RawDocument` holds the text a reader extracted (one line per line a reader
of the original sees) and, per line, a `LineOrigin`: its line number in the
file as the user counts it, its PDF page, its original-script text when the
report was converted from Traditional script, and for .docx the source
paragraph and character offsets.  Evidence is built from these when it is
made, so nothing is patched in afterwards.

This module also decodes plain-text bytes; the per-format readers import it,
never the dispatcher (readers.py), so the import graph has no cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi_audit.base.errors import InputError

BINARY_MESSAGE = "这是二进制文件，不是文本报告：请提供 .txt/.docx/.pdf/.html 文件"

# Leading bytes of common binary containers; a text report never starts so.
_BINARY_SIGNATURES = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"PK\x03\x04", "zip 压缩包或 .docx/.ofd"),
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0", "旧版 .doc/.wps/.xls"),
    (b"Rar!", "rar 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"\x7fELF", "可执行程序"),
)

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_UTF16_32 = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]


# ---------------------------------------------------------------- origins


@dataclass(frozen=True)
class Piece:
    """Line text[start:end] is paragraph text[offset:offset + end - start].

    A .docx line is made of pieces: a numbered paragraph's line starts with
    Word's label (not in the paragraph text, so in no piece), and a table row
    joins the paragraphs of its cells.  `cell` is (table, row, cell) for text
    from a table: the table's index in document order among all w:tbl of the
    body (nested ones included), the row's index among its w:tr, the cell's
    among the row's w:tc.
    """

    start: int
    end: int
    paragraph: int
    offset: int
    cell: tuple[int, int, int] | None = None

    def clip(self, start: int, end: int) -> "Piece | None":
        """This piece cut to line range [start, end) and re-based to start."""
        lo, hi = max(self.start, start), min(self.end, end)
        if lo >= hi:
            return None
        return Piece(lo - start, hi - start, self.paragraph, self.offset + lo - self.start, self.cell)

    def shifted(self, by: int) -> "Piece":
        return Piece(self.start + by, self.end + by, self.paragraph, self.offset, self.cell)


@dataclass(frozen=True)
class LineOrigin:
    """Where one line of a RawDocument's text came from.

    line: 1-based line number as the user counts it.  .txt/.md: the line of
      the file.  .docx: the ordinal of the line the reader made (one per
      paragraph, one more per manual line break, one per table row, empty
      ones skipped).  .pdf: the ordinal of the extracted text line, with
      `page` saying which page it is on.  .html: the ordinal of the extracted
      text line (one per block element, the page title first when the body
      lacks it) -- a page is read rendered, and saved pages may be encoded
      (.mhtml), so source lines of the markup would not help.
    page: the PDF page label, e.g. "第2页"; None for other formats.
    original: the line as written, when the text was converted from
      Traditional script (the line itself is then Simplified); else None.
    pieces: .docx only: which parts of the line come from which paragraph
      (see Piece).  Paragraph indexes count every w:p of the document body in
      document order -- `list(document.element.body.iter(qn("w:p")))` in
      python-docx, i.e. docx_reader.source_paragraphs() -- so paragraphs in
      tables, content controls and text boxes count too.  For a body without
      tables, content controls or text boxes this is Document.paragraphs'
      index.  Offsets are into docx_reader.paragraph_text(): the visible text
      of the runs, w:tab as "\\t", line breaks as "\\n"; it equals python-docx
      Paragraph.text unless the paragraph has hidden, deleted, inserted or
      field text.
    heading: .docx only: the outline level of the line's paragraph when it is
      a line of its own with a heading style ("标题 1"/"Heading 1" is 1, or
      w:outlineLvl + 1); None for body text and other formats.
    bold: .docx only: the line is a paragraph of its own and all of it bold.
    Both are heading signals for the structure parser; the text has no number.
    """

    line: int
    page: str | None = None
    original: str | None = None
    pieces: tuple[Piece, ...] = ()
    heading: int | None = None
    bold: bool = False

    @property
    def paragraph(self) -> int | None:
        """The source paragraph, when the whole line comes from one."""
        paragraphs = {piece.paragraph for piece in self.pieces}
        return paragraphs.pop() if len(paragraphs) == 1 else None

    @property
    def offsets(self) -> tuple[int, int] | None:
        """[start, end) of the line's text within that paragraph's text."""
        if self.paragraph is None:
            return None
        return self.pieces[0].offset, self.pieces[-1].offset + self.pieces[-1].end - self.pieces[-1].start

    def locate(self, start: int, end: int) -> tuple[int, tuple[int, int]] | None:
        """Paragraph and offsets of line range [start, end).

        The range may run over text that is in no paragraph (a list label,
        the separator between table cells); it is then cut to the paragraph
        text it covers.  None when it covers no paragraph text or text of
        more than one paragraph.
        """
        hits = [clipped for piece in self.pieces if (clipped := piece.clip(start, end)) is not None]
        if len(hits) != 1:
            return None
        hit = hits[0]
        return hit.paragraph, (hit.offset, hit.offset + hit.end - hit.start)


@dataclass
class RawDocument:
    text: str
    source_format: str = "txt"
    # one per line of `text`; None means line i is line i + 1 of a plain file
    origins: list[LineOrigin] | None = None
    # publication date found in the container's metadata (YYYY-MM-DD)
    published: str | None = None
    notes: list[str] = field(default_factory=list)

    def line_origins(self) -> list[LineOrigin]:
        count = self.text.count("\n") + 1
        if self.origins is None:
            return [LineOrigin(number) for number in range(1, count + 1)]
        if len(self.origins) != count:
            raise ValueError(f"{len(self.origins)} origins for {count} lines")
        return self.origins


# ---------------------------------------------------------------- decoding


def decode_text(data: bytes) -> str:
    """Decode plain-text bytes to str with \\n line endings.

    A BOM is authoritative and valid UTF-8 is taken as UTF-8; anything else
    is left to charset-normalizer (GB18030/GBK, BOM-less UTF-16, Big5...).
    """
    if not data.strip(b" \t\r\n\x00"):
        raise InputError("文件为空：请提供报告正文")
    _reject_binary_signature(data)
    text = _decode_with_bom(data)
    if text is None and b"\x00" in data:
        # real text has no NUL bytes unless it is BOM-less UTF-16
        text = _decode_utf16(data)
    if text is None:
        text = _decode_utf8(data)
    if text is None:
        text = _decode_detected(data, cp_exclusion=_UTF16_32)
    return _check_text(normalize_newlines(text))


def normalize_newlines(text: str) -> str:
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # form feeds / Unicode separators are line breaks to a reader
    return text.translate({0x0C: "\n", 0x2028: "\n", 0x2029: "\n", 0x85: "\n"})


def _reject_binary_signature(data: bytes) -> None:
    for magic, kind in _BINARY_SIGNATURES:
        if data.startswith(magic):
            raise InputError(f"这是二进制文件（{kind}），不是文本报告：请提供 .txt/.docx/.pdf/.html 文件并使用正确的扩展名")


def _decode_with_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"文件以 {codec.upper()} 标记开头但内容无法按该编码解码：请另存为 UTF-8 文本后再检查") from None
    return None


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_detected(data: bytes, **options) -> str:
    text = _detect(data, **options)
    if text is None:
        raise InputError("无法识别文件编码：请另存为 UTF-8 编码的文本后再检查")
    return text


def _detect(data: bytes, **options) -> str | None:
    try:
        from charset_normalizer import from_bytes

        match = _pick_match(from_bytes(data, **options))
    except Exception:  # detector failure must not escape as a traceback
        return None
    return None if match is None else str(match)


def _pick_match(results):
    """Best match, but prefer GB18030 then Big5 when they score as well.

    Short Chinese texts decode cleanly as Big5/EUC-KR/Shift-JIS too and tie
    on every score; reports are mainland documents, so GB18030 wins ties.
    """
    best = results.best()
    if best is None:
        return None
    for preferred in ("gb18030", "big5"):
        for match in results:
            if preferred in match.could_be_from_charset and _as_good(match, best):
                return match
    return best


def _as_good(match, best) -> bool:
    return match.chaos <= best.chaos + 1e-6 and match.coherence >= best.coherence - 1e-6


def _decode_utf16(data: bytes) -> str:
    if len(data) % 2:
        raise InputError(BINARY_MESSAGE)
    text = _detect(data, cp_isolation=["utf_16_le", "utf_16_be"])
    if text is None:
        raise InputError(BINARY_MESSAGE)
    return text


def _check_text(text: str) -> str:
    if not text.strip():
        raise InputError("文件为空：请提供报告正文")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise InputError(BINARY_MESSAGE)
    return text
