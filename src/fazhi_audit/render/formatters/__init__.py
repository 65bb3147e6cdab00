"""Output formats. Each is a pure function of one `Run`.

FORMATTERS render text (render(run) -> str); BINARY_FORMATTERS render a
file's bytes (render(run) -> bytes) and can only be written to a file.
The terminal/plain-text view lives in report/terminal.py.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Callable

from fazhi_audit.model.summary import build_summary

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

Renderer = Callable[["Run"], str]
BinaryRenderer = Callable[["Run"], bytes]


def _lazy(module: str) -> Callable:
    """render() of a formatter module, imported when first called: every run lists
    the formats but writes one or two, and a single check's start-up counts
    (Jinja2 and openpyxl, behind html and xlsx, most of all)."""

    def render(run: Run):
        return import_module(f"{__name__}.{module}").render(run)

    render.__name__ = f"{module}.render"
    return render


FORMATTERS: dict[str, Renderer] = {
    "json": _lazy("json_format"),
    "jsonl": _lazy("jsonl"),
    "csv": _lazy("csv_format"),
    "sarif": _lazy("sarif"),
    "junit": _lazy("junit"),
    "github": _lazy("github"),
    "markdown": _lazy("markdown"),
    "html": _lazy("html"),
    "concise": _lazy("concise"),
}
BINARY_FORMATTERS: dict[str, BinaryRenderer] = {
    "xlsx": _lazy("xlsx"),
}
NAMES: list[str] = list(FORMATTERS)

__all__ = ["BINARY_FORMATTERS", "FORMATTERS", "NAMES", "BinaryRenderer", "Renderer", "build_summary"]
