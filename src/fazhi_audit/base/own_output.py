"""The marker this tool embeds in every file it writes, and the test for it.

`check . -o 汇总.xlsx` followed by `check .` must not read the workbook (or an
HTML, Markdown or text report, or a Word file with comments) back as a report.
Every writer embeds MARKER where a reader of that format keeps metadata:

- HTML: `<meta name="fazhi-audit-output" …>` in the head;
- .xlsx / .docx: the core properties' keywords; a .docx also records the tool
  as its last editor, so a Word file with comments that someone has since
  edited and saved in Word (Word rewrites lastModifiedBy) is a report again;
- Markdown: an HTML comment on the first line; text: the last line.

Only a few kilobytes at the head and tail of a file, or the zip's small
core-properties part, are ever read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MARKER = "fazhi-audit-output"
TOOL_NAME = "fazhi-audit"
HTML_META = f'<meta name="{MARKER}" content="本文件由 fazhi-audit 生成，检查时自动跳过">'
MARKDOWN_LINE = f"<!-- {MARKER}：本文件由 fazhi-audit 生成，检查时自动跳过 -->"
TEXT_LINE = f"（本文件由 fazhi-audit 生成，检查时自动跳过：{MARKER}）"

_PEEK = 8192  # bytes read at each end of a text file
_CORE_PART = "docProps/core.xml"
_CORE_MAX = 65536  # a core-properties part is a few hundred bytes
_LAST_EDITOR = re.compile(r"<cp:lastModifiedBy>\s*([^<]*?)\s*</cp:lastModifiedBy>")


def written_by_this_tool(path: str | Path) -> bool:
    """True when the file carries MARKER where this tool puts it; never raises."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix in (".xlsx", ".docx"):
            return _zip_marked(Path(path), require_editor=suffix == ".docx")
        if suffix in (".html", ".htm", ".md", ".markdown", ".txt"):
            return _text_marked(Path(path))
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError):
        return False  # unreadable files are left to the readers, which say why
    return False


def _text_marked(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(_PEEK)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - _PEEK))
        tail = fh.read(_PEEK)
    needle = MARKER.encode()
    return needle in head or needle in tail


def _zip_marked(path: Path, *, require_editor: bool) -> bool:
    with zipfile.ZipFile(path) as zf:
        try:
            info = zf.getinfo(_CORE_PART)
        except KeyError:
            return False
        if info.file_size > _CORE_MAX:
            return False
        core = zf.read(info).decode("utf-8", "replace")
    if MARKER not in core:
        return False
    if not require_editor:
        return True
    editor = _LAST_EDITOR.search(core)
    return editor is not None and editor.group(1) == TOOL_NAME
