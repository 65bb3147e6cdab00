"""Refuse an input that would cost more than `Limits` allow, with a one-line reason.

Checked as early as each cost can be known: the file's size before it is
read, a .docx package's entries before python-docx unpacks them, the
elements, paragraphs and characters of its XML while they are streamed
(constant memory) before python-docx builds a tree of them, a PDF's
page count before its pages are extracted, and the extracted text before
it is parsed.  Each refusal is an InputError: an error row (exit 3), and
the rest of the batch goes on.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.parsers import expat

from fazhi_audit.base.errors import InputError
from fazhi_audit.base.limits import Limits, format_size

RAISE_HINT = "可用 --max-bytes 提高上限"
_SMALL_ENTRY = 1024 * 1024  # below this a high compression ratio is harmless


def check_size(size: int, limits: Limits, *, stream: bool = False) -> None:
    """`stream`: size is what was read, one byte past the limit at most; the whole is unknown."""
    if size <= limits.max_bytes:
        return
    shown, limit = format_size(size), format_size(limits.max_bytes)
    if stream:
        raise InputError(f"输入过大（超过上限 {limit}）：未检查；{RAISE_HINT}")
    if shown == limit:  # just over: the rounded figures would read the same
        shown, limit = f"{size:,} 字节", f"{limits.max_bytes:,} 字节"
    raise InputError(f"文件过大（{shown}，上限 {limit}）：未检查；{RAISE_HINT}")


def check_chars(text: str, limits: Limits) -> None:
    if len(text) > limits.max_chars:
        raise InputError(
            f"提取出的文字过多（{len(text):,} 字，上限 {limits.max_chars:,} 字）：不像一份年度报告，未检查；{RAISE_HINT}"
        )


def check_package(data: bytes, limits: Limits) -> None:
    """A .docx is a zip: count and size its entries from the central directory, unpacking nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a readable zip: the reader says so in its own words
    bomb = "可能是恶意构造的文件（“压缩炸弹”），未检查；请在 Word/WPS 中重新另存为 .docx 后再检查"
    if len(entries) > limits.docx_entries:
        raise InputError(f"Word 文件的压缩包中有 {len(entries):,} 个文件（上限 {limits.docx_entries:,}）：{bomb}")
    unpacked = sum(info.file_size for info in entries)
    if unpacked > limits.docx_unpacked:
        raise InputError(f"Word 文件解压后达 {format_size(unpacked)}（上限 {format_size(limits.docx_unpacked)}）：{bomb}；{RAISE_HINT}")
    for info in entries:
        if info.file_size > _SMALL_ENTRY and info.file_size > limits.docx_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputError(f"Word 文件中 {info.filename} 的压缩比异常（{ratio:,}:1，上限 {limits.docx_ratio}:1）：{bomb}")


_CHUNK = 64 * 1024


class _Over(Exception):
    """A count passed its limit while streaming; carries the one-line message."""


def check_package_xml(data: bytes, limits: Limits) -> None:
    """Stream every XML part of a .docx and count what python-docx would build.

    195 MB of empty <w:p/> is 184:1 -- inside the compression limits -- yet
    becomes 32 million elements and 7 GB once parsed. Counting elements,
    paragraphs and text characters with expat (no tree; internal entities
    left unexpanded) refuses it after a few MB of XML.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with package:
        parts = [info for info in package.infolist() if info.filename.lower().endswith((".xml", ".rels"))]
        try:
            if _within_bounds(package, parts, limits):
                return
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            return  # the same errors the exact count below gives up on
        counts = {"elements": 0, "paragraphs": 0, "chars": 0}
        for info in parts:
            try:
                _stream_part(package, info, counts, limits)
            except _Over as over:
                raise InputError(str(over)) from None
            except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
                return  # malformed (a damaged deflate stream, an unknown compression): the reader says so in its own words


def _within_bounds(package: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limits: Limits) -> bool:
    """True when upper bounds on the counts, taken from the bytes without parsing, stay within every limit.

    Counting with expat calls Python once per element: it was three fifths of
    reading a .docx.  Every start tag holds a "<", every paragraph's name ends
    its tag as "<p" or ":p", and no character of text takes less than a byte,
    so counting those bytes (in C) bounds what expat would count; only a
    package whose bounds reach a limit is counted exactly.  Parts not in an
    ASCII-compatible encoding (UTF-16) are always counted exactly.
    """
    elements = paragraphs = chars = 0
    for info in parts:
        with package.open(info) as stream:
            last = None
            while chunk := stream.read(_CHUNK):
                if last is None and not _ascii_compatible(chunk):
                    return False
                joined = (last or b"") + chunk  # one byte of the chunk before: a "<p" split between chunks counts once
                elements += chunk.count(b"<")
                paragraphs += joined.count(b"<p") + joined.count(b":p")
                chars += len(chunk)
                last = chunk[-1:]
                if elements > limits.docx_elements or paragraphs > limits.docx_paragraphs or chars > limits.max_chars:
                    return False
    return True


_DECLARED_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)", re.IGNORECASE)


def _ascii_compatible(head: bytes) -> bool:
    """The part's markup is plain ASCII bytes: no UTF-16/32 (NUL bytes, BOM), no other declared encoding."""
    if b"\x00" in head[:1024] or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    declared = _DECLARED_ENCODING.match(head[:512])
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _stream_part(package: zipfile.ZipFile, info: zipfile.ZipInfo, counts: dict, limits: Limits) -> None:
    parser = expat.ParserCreate()  # no namespace processing: it is most of expat's cost here
    parser.buffer_text = True  # one call per run of text, not per line
    parser.ordered_attributes = True  # a list is cheaper to build than a dict
    tail = "可能是恶意构造的文件，未检查；请在 Word/WPS 中重新另存为 .docx 后再检查"
    most_elements, most_paragraphs, most_chars = limits.docx_elements, limits.docx_paragraphs, limits.max_chars

    def start(name, _attrs):
        counts["elements"] += 1
        if counts["elements"] > most_elements:
            raise _Over(f"Word 文件中的 XML 元素超过 {most_elements:,} 个（读取前逐段计数）：{tail}；{RAISE_HINT}")
        if name[-2:] == ":p" or name == "p":  # any prefix: w:p, and a:p of text in shapes (an upper bound)
            counts["paragraphs"] += 1
            if counts["paragraphs"] > most_paragraphs:
                raise _Over(f"Word 文件中的段落超过 {most_paragraphs:,} 个（读取前逐段计数）：{tail}；{RAISE_HINT}")

    def text(chunk):
        # all character data, not only w:t: an upper bound, and one Python call fewer per element
        counts["chars"] += len(chunk)
        if counts["chars"] > most_chars:
            raise _Over(f"Word 文件中的文字超过 {most_chars:,} 字（读取前逐段计数）：不像一份年度报告，未检查；{RAISE_HINT}")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.DefaultHandler = lambda _data: None  # with a default handler expat leaves internal entities unexpanded
    with package.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
