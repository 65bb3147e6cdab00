"""Render a Run in a named format to stdout or a file.

Files are written whole or not at all: the text goes to a temporary file in
the same folder, which is then renamed into place, so an interrupted run
never leaves half a report behind.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rich.console import Console

from ..errors import UsageError

if TYPE_CHECKING:
    from ..run import Run

TEXT_FORMAT = "text"
STDOUT = "-"
# Formats that are bytes, not text (written with write_bytes).
BINARY_FORMATS: set[str] = set()


def format_names() -> list[str]:
    from .formatters import FORMATTERS

    return [TEXT_FORMAT, *FORMATTERS]


def render_text(run: Run, fmt: str, stream: IO[str], verbose: bool = False, *, terminal: bool = False) -> None:
    """Write the run in `fmt` to a text stream (stdout when `terminal`)."""
    if fmt == TEXT_FORMAT:
        from .terminal import TerminalRenderer

        if terminal:
            console = Console(highlight=False, no_color=bool(os.environ.get("NO_COLOR")))
        else:
            console = Console(file=stream, no_color=True, width=100, highlight=False)
        TerminalRenderer(console, verbose).render_run(run)
        return
    from .formatters import FORMATTERS

    text = FORMATTERS[fmt](run)
    stream.write(text if text.endswith("\n") else text + "\n")


def write_output(run: Run, fmt: str, path: Path | None, verbose: bool = False) -> None:
    """stdout when path is None or "-"; else an atomic write of the whole file."""
    if path is None or str(path) == STDOUT:
        render_text(run, fmt, sys.stdout, verbose, terminal=True)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UsageError(f"无法写入输出文件 {path}：{exc.strerror or exc}（请检查路径和写权限）") from None
    try:
        # Excel only detects UTF-8 in a CSV file by its BOM.
        with open(fd, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="", errors="surrogateescape") as fh:
            render_text(run, fmt, fh, verbose)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise UsageError(f"无法写入输出文件 {path}：{exc.strerror or exc}（请检查路径和写权限）") from None
    except BaseException:
        _discard(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
