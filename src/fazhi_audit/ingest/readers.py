"""Turn an input file (or stdin bytes) into a RawDocument.

Every reader returns plain text whose lines are what a reader of the
original sees, plus optional per-line labels (PDF pages) and metadata the
container carries (an HTML page's publication date).  Readers raise
InputError with a one-line Chinese reason; they never let a library's
exception escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mhtml"}
UNSUPPORTED_SUFFIXES = {".doc", ".wps", ".ofd", ".rtf", ".odt", ".pages", ".xls", ".xlsx", ".ppt", ".pptx", ".et", ".caj"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES
SUPPORTED_HINT = "支持 .txt/.md、.docx、.pdf（含文本层）、.html/.htm"

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


@dataclass
class RawDocument:
    text: str
    source_format: str = "txt"
    # one label per line of `text` (e.g. "第2页"), or None
    line_labels: list[str] | None = None
    # publication date found in the container's metadata (YYYY-MM-DD)
    published: str | None = None
    # original-script lines (same count as text lines) when text was converted
    display_lines: list[str] | None = None
    notes: list[str] = field(default_factory=list)


def read_path(path: Path) -> RawDocument:
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        raise InputError(
            f"不支持的格式 {suffix}：请在 Word/WPS 中另存为 .docx（或导出为含文字的 PDF/纯文本）后再检查；{SUPPORTED_HINT}"
        )
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件") from None
    except PermissionError:
        raise InputError("没有读取权限：请检查文件权限") from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
    return read_bytes(data, suffix)


def read_bytes(data: bytes, suffix: str = ".txt") -> RawDocument:
    if not data.strip():
        raise InputError("文件为空：请提供报告正文")
    suffix = suffix.lower()
    if suffix in DOCX_SUFFIXES:
        from .docx_reader import read_docx

        doc = read_docx(data)
    elif suffix in PDF_SUFFIXES:
        from .pdf_reader import read_pdf

        doc = read_pdf(data)
    elif suffix in HTML_SUFFIXES:
        from .html_reader import read_html

        doc = read_html(data)
    else:
        doc = RawDocument(text=decode_text(data), source_format="txt")
    return _to_simplified(doc)


def _to_simplified(doc: RawDocument) -> RawDocument:
    try:
        from .script import convert_if_traditional
    except ImportError:  # pragma: no cover - module ships with the package
        return doc
    return convert_if_traditional(doc)


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
