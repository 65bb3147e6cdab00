"""Render a Run in a named format to stdout or a file.

Files are written whole or not at all: the text goes to a temporary file in
the same folder, which is then renamed into place, so an interrupted run
never leaves half a report behind.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rich.console import Console

from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.files import check_target, write_atomic
from fazhi_audit.base.own_output import TEXT_LINE

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

TEXT_FORMAT = "text"
GITHUB_FORMAT = "github"  # the default under GitHub Actions
_NO_WRAP = 100_000  # console width for plain text: wide enough that rich never wraps
STDOUT = "-"

# File name endings that name a format: `-o 结果.csv` needs no --format.
# Each maps to the formats such a file may hold (the first is the one chosen);
# GitHub annotations are plain lines, so a .txt file may hold them too.
EXTENSION_FORMATS: dict[str, tuple[str, ...]] = {
    ".sarif.json": ("sarif",),  # before .json: the longer ending decides
    ".csv": ("csv",),
    ".xlsx": ("xlsx",),
    ".html": ("html",),
    ".htm": ("html",),
    ".json": ("json",),
    ".jsonl": ("jsonl",),
    ".ndjson": ("jsonl",),
    ".sarif": ("sarif",),
    ".xml": ("junit",),
    ".md": ("markdown",),
    ".markdown": ("markdown",),
    ".txt": ("text", "github"),
    ".log": ("text", "github"),
}


def format_names() -> list[str]:
    from fazhi_audit.render.formatters import BINARY_FORMATTERS, FORMATTERS

    return [TEXT_FORMAT, *FORMATTERS, *BINARY_FORMATTERS]


def is_binary(fmt: str) -> bool:
    from fazhi_audit.render.formatters import BINARY_FORMATTERS

    return fmt in BINARY_FORMATTERS


def formats_for_path(path: Path) -> tuple[str, ...]:
    """The formats a file with this name may hold; empty when its ending names none."""
    name = path.name.lower()
    for ending, formats in EXTENSION_FORMATS.items():
        if name.endswith(ending) and len(name) > len(ending):
            return formats
    return ()


def check_destination(fmt: str, path: Path | None) -> None:
    """Refuse, before any work is done, to write a binary format to a terminal, or over anything but a regular file."""
    if is_binary(fmt) and _is_stdout(path) and sys.stdout.isatty():
        raise UsageError(f"{fmt} 是二进制格式，请用 -o 文件.{fmt} 写入文件")
    if not _is_stdout(path):
        check_target(path)


def _is_stdout(path: Path | None) -> bool:
    return path is None or str(path) == STDOUT


def render_text(run: Run, fmt: str, stream: IO[str], verbose: bool = False, *, terminal: bool = False, quiet: bool = False, summary_only: bool = False) -> None:
    """Write the run in `fmt` to a text stream (stdout when `terminal`)."""
    if fmt == TEXT_FORMAT:
        from fazhi_audit.render.terminal import TerminalRenderer

        console = Console(highlight=False, no_color=bool(os.environ.get("NO_COLOR"))) if terminal else None
        if console is not None and console.is_terminal:
            TerminalRenderer(console, verbose, quiet, summary_only).render_run(run)
            return
        # Files, pipes and logs: plain text, never hard-wrapped (grep and editors
        # wrap for themselves), no trailing spaces from table padding.
        buf = io.StringIO()
        plain = Console(file=buf, no_color=True, width=_NO_WRAP, highlight=False, force_terminal=False, color_system=None)
        TerminalRenderer(plain, verbose, quiet, summary_only).render_run(run)
        stream.write("".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines()))
        return
    from fazhi_audit.render.formatters import FORMATTERS

    text = FORMATTERS[fmt](run)
    stream.write(text if text.endswith("\n") else text + "\n")


def render_bytes(run: Run, fmt: str) -> bytes:
    from fazhi_audit.render.formatters import BINARY_FORMATTERS

    return BINARY_FORMATTERS[fmt](run)


def write_output(run: Run, fmt: str, path: Path | None, verbose: bool = False, **view) -> None:
    """stdout when path is None or "-"; else an atomic write of the whole file.

    `view` (quiet, summary_only) narrows the text report."""
    binary = is_binary(fmt)
    if _is_stdout(path):
        if binary:
            check_destination(fmt, path)
            sys.stdout.flush()
            sys.stdout.buffer.write(render_bytes(run, fmt))  # piped or redirected: the bytes as they are
            sys.stdout.buffer.flush()
        else:
            render_text(run, fmt, sys.stdout, verbose, terminal=True, **view)
        return
    if binary:
        write_atomic(path, lambda fh: fh.write(render_bytes(run, fmt)), binary=True)
    else:
        # Excel only detects UTF-8 in a CSV file by its BOM.
        write_atomic(path, lambda fh: _text_file(run, fmt, fh, verbose, **view), encoding="utf-8-sig" if fmt == "csv" else "utf-8")


def _text_file(run: Run, fmt: str, fh: IO[str], verbose: bool, **view) -> None:
    render_text(run, fmt, fh, verbose, **view)
    if fmt == TEXT_FORMAT:
        fh.write(TEXT_LINE + "\n")  # a gap report saved as .txt is not read back as a report


FORMAT_NAMES = {
    "text": "文字报告", "json": "JSON", "jsonl": "JSON Lines", "csv": "CSV 表格", "sarif": "SARIF", "junit": "JUnit XML",
    "github": "GitHub 注释", "markdown": "Markdown", "html": "网页", "xlsx": "Excel 工作簿", "concise": "简明列表",
}


def written_output_line(run: Run, fmt: str, path: Path) -> str:
    """`已写出 汇总.xlsx（Excel 工作簿；共 5 份，通过 2，不通过 3）` — one line per file written."""
    s = run.summary
    counts = f"共 {s['reports']} 份，通过 {s['passed']}，不通过 {s['failed']}"
    if s["unreadable"]:
        counts += f"，无法读取 {s['unreadable']}"
    return f"已写出 {path}（{FORMAT_NAMES.get(fmt, fmt)}；{counts}）"


def plan_outputs(fmt: str | None, values: list[str], *, github_actions: bool = False) -> list[tuple[str, Path | None]]:
    """The main format (stdout, or a plain PATH) plus every FORMAT=PATH.

    Without --format the main PATH's extension names the format (-o 结果.csv);
    a --format that contradicts a known extension is a usage error.
    """
    formats = format_names()
    if fmt is not None and fmt not in formats:
        raise UsageError(f"未知的输出格式 {fmt!r}：可选 {', '.join(formats)}")
    main: Path | None = None
    extra: list[tuple[str, Path | None]] = []
    for value in values:
        name, sep, target = value.partition("=")
        if sep and name in formats:
            if not target:
                raise UsageError(f"--output {value} 缺少文件路径：写成“格式=文件”，如 sarif=fazhi-audit.sarif")
            extra.append((name, None if target == "-" else Path(target)))
        elif sep and re.fullmatch(r"[a-z]+", name):
            raise UsageError(f"--output {value}：未知的输出格式 {name!r}；可选 {', '.join(formats)}")
        elif main is not None:
            raise UsageError("--output 只能有一个不带格式的文件；其他格式请写成“格式=文件”，如 sarif=结果.sarif")
        else:
            main = Path(value)
    named = formats_for_path(main) if main is not None and str(main) != "-" else ()
    if fmt is None:
        fmt = named[0] if named else (GITHUB_FORMAT if github_actions else TEXT_FORMAT)
    elif named and fmt not in named:
        raise UsageError(f"--format {fmt} 与输出文件 {main} 的扩展名不符（该扩展名对应 {named[0]}）：去掉 --format，或改用相符的文件名")
    outputs = [(fmt, main), *extra]
    for out_fmt, path in outputs:
        check_destination(out_fmt, path)
    return outputs
