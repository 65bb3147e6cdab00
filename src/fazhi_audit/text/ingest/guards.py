"""Refuse an input that would cost more than `Limits` allow, with a one-line reason.

Checked as early as each cost can be known: the file's size before it is
read, a .docx package's entries before python-docx unpacks them, a PDF's
page count before its pages are extracted, and the extracted text before
it is parsed.  Each refusal is an InputError: an error row (exit 3), and
the rest of the batch goes on.
"""

from __future__ import annotations

import io
import zipfile

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
