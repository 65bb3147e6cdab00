"""Read the text layer of a PDF, one line per text line, labelled by page."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
from contextlib import contextmanager

from fazhi_audit.base.errors import InputError
from fazhi_audit.base.limits import Limits
from fazhi_audit.text.ingest.guards import RAISE_HINT, check_chars
from fazhi_audit.text.ingest.layout import join, wrapped_groups
from fazhi_audit.text.ingest.raw import LineOrigin, RawDocument

NO_TEXT_MESSAGE = "无文本层，请提供可复制文字的 PDF 或 Word 原件"
CORRUPT_MESSAGE = "无法打开 PDF 文件（文件可能已损坏或下载不完整）：请重新导出 PDF 或提供 Word 原件"
NOT_PDF_MESSAGE = "文件不是 PDF 格式（缺少 %PDF 文件头）：请确认扩展名是否正确，或提供 Word 原件"
ENCRYPTED_MESSAGE = "PDF 已加密，需要密码才能打开：请提供未加密的 PDF 或 Word 原件"

# Page numbers such as "- 3 -", "— 12 —" or "第 3 页 共 10 页" are furniture, not text.
_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
# Kangxi radicals / compatibility ideographs some PDF fonts map 一 or 行 to
_COMPAT_IDEOGRAPH = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \\xa0]{{1,3}}(?=[{_CJK}])")
_COLUMN_GAP = re.compile(r"[ \xa0]{4,}")
_CJK_DIGIT_GAP = re.compile(f"(?<=[{_CJK}])[ \\xa0]+(?=[0-9])|(?<=[0-9])[ \\xa0]+(?=[{_CJK}])")
_SPACE_RUN = re.compile(r"[ \xa0]{2,}")


def read_pdf(data: bytes, limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits()
    if b"%PDF" not in data[:1024]:
        raise InputError(NOT_PDF_MESSAGE)
    with _quiet_pypdf():
        reader = _open(data)
        _check_pages(reader, limits)
        pages = _page_texts(reader, limits)
    printed = [list(_page_lines(text)) for text in pages]
    lines: list[str] = []
    origins: list[LineOrigin] = []
    # A paragraph the layout wrapped over several printed lines is one line again;
    # it is numbered and paged by its first printed line.
    for group in wrapped_groups(printed):
        page, first = group[0]
        lines.append(join([printed[p][i] for p, i in group]))
        origins.append(LineOrigin(len(lines), page=f"第{page + 1}页"))
    if not lines:
        raise InputError(NO_TEXT_MESSAGE)
    return RawDocument(text="\n".join(lines), source_format="pdf", origins=origins)


def _open(data: bytes):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _unlock(reader)
        if len(reader.pages) == 0:
            raise InputError("PDF 文件没有页面：请重新导出 PDF 或提供 Word 原件")
        return reader
    except InputError:
        raise
    except Exception as exc:  # PdfReadError, ValueError, KeyError, struct errors...
        if _is_crypto_problem(exc):
            raise InputError("PDF 使用了无法解开的加密方式：请提供未加密的 PDF 或 Word 原件") from None
        raise InputError(CORRUPT_MESSAGE) from None


def _unlock(reader) -> None:
    """Many PDFs are encrypted with an empty user password (copy/print limits)."""
    if not reader.is_encrypted:
        return
    if not reader.decrypt(""):
        raise InputError(ENCRYPTED_MESSAGE)


def _is_crypto_problem(exc: Exception) -> bool:
    name = type(exc).__name__
    return name in {"DependencyError", "FileNotDecryptedError"} or "decrypt" in str(exc).lower()


def _check_pages(reader, limits: Limits) -> None:
    try:
        count = len(reader.pages)
    except Exception:  # a broken page tree: the pages themselves will say so
        return
    if count > limits.pdf_pages:
        raise InputError(f"PDF 页数过多（{count:,} 页，上限 {limits.pdf_pages:,} 页）：不像一份年度报告，未检查；{RAISE_HINT}")


def _page_texts(reader, limits: Limits) -> list[str]:
    texts: list[str] = []
    chars = 0
    for page in reader.pages:
        if chars > limits.max_chars:  # stop extracting once the text is already too long
            check_chars("".join(texts), limits)
        try:
            texts.append(_extract(page))
            chars += len(texts[-1])
        except InputError:
            raise
        except Exception as exc:  # one broken page should not lose the rest
            if _is_crypto_problem(exc):
                raise InputError(ENCRYPTED_MESSAGE) from None
            texts.append("")
    return texts


def _extract(page) -> str:
    """Positional (layout) extraction gives reading order even when the
    content stream draws lines out of order; stream order is the fallback."""
    try:
        return page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False) or ""
    except Exception:  # layout mode is stricter about odd fonts
        return page.extract_text() or ""


def _page_lines(text: str):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for raw in text.split("\n"):
        line = _tidy_spaces(_normalize_ideographs(raw))
        if line and not _PAGE_NUMBER_LINE.match(line):
            yield line


def _tidy_spaces(line: str) -> str:
    """Undo layout padding: wide gaps separate columns, narrow gaps between
    CJK characters come from justification and are not real spaces."""
    line = line.strip(" \t\u3000\xa0").replace("\t", " ")
    line = _COLUMN_GAP.sub("  ", line)  # keep wide gaps visible as two spaces (table columns), never a tab
    line = _CJK_GAP.sub("", line)
    line = _CJK_DIGIT_GAP.sub("", line)  # justification pads 2023 年 / 关于 2023 apart
    return _SPACE_RUN.sub(" ", line)


def _normalize_ideographs(text: str) -> str:
    # NFKC only for radicals: applying it everywhere would turn "，" into ","
    return _COMPAT_IDEOGRAPH.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


@contextmanager
def _quiet_pypdf():
    # pypdf logs recoverable problems as warnings and errors (an unknown font
    # encoding is an "error" it works around); they are not the user's concern
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(previous)
