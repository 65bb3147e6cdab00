"""Turn an input file (or stdin bytes) into a RawDocument: the dispatcher.

Picks the reader for a file's suffix and converts Traditional script.  The
readers themselves (txt decoding in raw.py, docx_reader, pdf_reader,
html_reader) return text lines with their origins; they raise InputError
with a one-line Chinese reason and never let a library's exception escape.
Every input is held to `Limits` (ingest/guards.py): its size before it is
read, and the size of the text it yields before anything parses it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import BinaryIO

from fazhi_audit.base.errors import InputError
from fazhi_audit.base.limits import Limits
from fazhi_audit.text.ingest.guards import check_chars, check_size
from fazhi_audit.text.ingest.raw import RawDocument, decode_text
from fazhi_audit.text.ingest.script import convert_if_traditional

TEXT_SUFFIXES = {".txt", ".md", ".text"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mhtml"}
UNSUPPORTED_SUFFIXES = {".doc", ".wps", ".ofd", ".rtf", ".odt", ".pages", ".xls", ".xlsx", ".ppt", ".pptx", ".et", ".caj"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES
SUPPORTED_HINT = "支持 .txt/.md、.docx、.pdf（含文本层）、.html/.htm"


def read_path(path: Path, limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        raise InputError(
            f"不支持的格式 {suffix}：请在 Word/WPS 中另存为 .docx（或导出为含文字的 PDF/纯文本）后再检查；{SUPPORTED_HINT}"
        )
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            check_size(size, limits)  # before reading: a 3 GB file is never loaded
            data = read_bounded(handle, limits.max_bytes + 1)  # a file that grows (or a FIFO) stops here
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件") from None
    except PermissionError:
        raise InputError("没有读取权限：请检查文件权限") from None
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError("符号链接指向的文件不存在（失效的链接）：请确认报告文件是否已被移动或删除") from None
        raise InputError("文件不存在（可能已被移动或删除）") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise InputError("路径过长（超过系统允许的长度）：未检查；请把报告移到路径较短的文件夹后再检查") from None
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
    return read_bytes(data, suffix, limits)


def read_stream(stream: BinaryIO, suffix: str = ".txt", limits: Limits | None = None) -> RawDocument:
    """Standard input and other streams: read no more than the size limit allows."""
    limits = limits or Limits()
    data = read_bounded(stream, limits.max_bytes + 1)
    check_size(len(data), limits, stream=True)
    return read_bytes(data, suffix, limits)


_CHUNK = 1024 * 1024


def read_bounded(stream: BinaryIO, most: int) -> bytes:
    """Up to `most` bytes, read in chunks: read(40 GB) would ask for a 40 GB buffer before reading a byte."""
    chunks, total = [], 0
    while total < most:
        chunk = stream.read(min(_CHUNK, most - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_bytes(data: bytes, suffix: str = ".txt", limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits()
    check_size(len(data), limits)
    if not data.strip():
        raise InputError("文件为空：请提供报告正文")
    suffix = suffix.lower()
    # Each reader is imported when a file of its kind comes: a check of .txt files needs none of them.
    if suffix in DOCX_SUFFIXES:
        from fazhi_audit.text.ingest.docx_reader import read_docx

        doc = read_docx(data, limits)
    elif suffix in PDF_SUFFIXES:
        from fazhi_audit.text.ingest.pdf_reader import read_pdf

        doc = read_pdf(data, limits)
    elif suffix in HTML_SUFFIXES:
        from fazhi_audit.text.ingest.html_reader import read_html

        doc = read_html(data)
    else:
        doc = RawDocument(text=decode_text(data), source_format="txt")
    check_chars(doc.text, limits)  # before parsing: text the size of a library is not a report
    return convert_if_traditional(doc)
