"""What one input may cost before it is refused: sizes, counts and their messages' units.

Kept free of other imports so the readers (ingest) and the settings can
both use it without tying the packages together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.base.errors import UsageError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB


@dataclass(frozen=True)
class Limits:
    """What one input may cost before it is refused (an error row, exit 3).

    Reports come from other offices; a 2 GB file, a .docx zip bomb or a PDF
    of 100,000 pages must become one line of explanation, not a process that
    eats the machine.  The text, unpacked-size and page limits scale with
    `max_bytes` (`Limits.scaled`), so raising --max-bytes for a genuinely
    large report never trips a second, hidden limit.
    """

    max_bytes: int = DEFAULT_MAX_BYTES  # the file as stored (--max-bytes, config max-bytes)
    docx_entries: int = 2_000  # files inside a .docx (a real one has a few dozen)
    docx_unpacked: int = 10 * DEFAULT_MAX_BYTES  # sum of the declared uncompressed sizes
    docx_ratio: int = 200  # uncompressed/compressed of one large entry; deflate tops out near 1,000
    max_chars: int = DEFAULT_MAX_BYTES // 2  # extracted text (a GB18030 report has 2 bytes a character)
    pdf_pages: int = DEFAULT_MAX_BYTES // 10_000  # about 2,000; a text page is a few KB
    # Counted while the package's XML is streamed, before python-docx builds a tree
    # (about 220 bytes of memory per element): a 300-page report has ~200,000 elements.
    docx_elements: int = DEFAULT_MAX_BYTES // 20  # about 1,000,000 XML elements in all parts
    docx_paragraphs: int = DEFAULT_MAX_BYTES // 200  # about 100,000 w:p (a 300-page report has ~10,000)

    @classmethod
    def scaled(cls, max_bytes: int) -> "Limits":
        return cls(
            max_bytes=max_bytes,
            docx_unpacked=10 * max_bytes,
            max_chars=max_bytes // 2,
            pdf_pages=max(1, max_bytes // 10_000),
            docx_elements=max(1, max_bytes // 20),
            docx_paragraphs=max(1, max_bytes // 200),
        )


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_UNIT = {"": 1, "b": 1, "k": 1024, "m": MB, "g": 1024 * MB}


def parse_size(value: str | int, option: str = "--max-bytes") -> int:
    """'20MB', '500k', '1048576' -> bytes (binary units); UsageError (exit 2) otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        number, unit = float(value), ""
    else:
        m = _SIZE.match(str(value))
        if not m:
            raise UsageError(f"{option} 的值 {value!r} 无效：请写字节数或带单位的大小，如 20MB、500KB")
        number, unit = float(m.group(1)), (m.group(2) or "")[:1].lower()
    size = int(number * _UNIT[unit])
    if size < 1:
        raise UsageError(f"{option} 的值 {value!r} 无效：须大于 0")
    return size


def format_size(size: int) -> str:
    """Bytes for a message: '20 MB', '3.2 GB', '512 字节'."""
    for unit, scale in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} 字节"

# A worker process whose resident memory passed this after a job is replaced
# (engine/retire.py); a warm worker with the model holds about 400 MB.
WORKER_MEMORY_CEILING = 1024 * MB

# Seconds one report may take (--timeout, config `timeout`); 0 means no limit.
DEFAULT_TIMEOUT = 60.0
