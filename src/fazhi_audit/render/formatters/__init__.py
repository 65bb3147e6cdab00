"""Output formats. Each is a pure function of one `Run`.

FORMATTERS render text (render(run) -> str); BINARY_FORMATTERS render a
file's bytes (render(run) -> bytes) and can only be written to a file.
The terminal/plain-text view lives in report/terminal.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from fazhi_audit.model.summary import build_summary
from fazhi_audit.render.formatters import (
    concise,
    csv_format,
    github,
    json_format,
    jsonl,
    junit,
    markdown,
    sarif,
)

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

Renderer = Callable[["Run"], str]
BinaryRenderer = Callable[["Run"], bytes]


# Jinja2 and openpyxl load only when their format is asked for: every run lists the formats.
def _html(run: Run) -> str:
    from fazhi_audit.render.formatters import html

    return html.render(run)


def _xlsx(run: Run) -> bytes:
    from fazhi_audit.render.formatters import xlsx

    return xlsx.render(run)


FORMATTERS: dict[str, Renderer] = {
    "json": json_format.render,
    "jsonl": jsonl.render,
    "csv": csv_format.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
    "html": _html,
    "concise": concise.render,
}
BINARY_FORMATTERS: dict[str, BinaryRenderer] = {
    "xlsx": _xlsx,
}
NAMES: list[str] = list(FORMATTERS)

__all__ = ["BINARY_FORMATTERS", "FORMATTERS", "NAMES", "BinaryRenderer", "Renderer", "build_summary"]
