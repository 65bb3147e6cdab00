"""Output formats. Each is a pure function of one `Run`: render(run) -> str.

The terminal/plain-text view lives in report/terminal.py; these are the
machine- and CI-facing formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import csv_format, github, json_format, jsonl, junit, markdown, sarif
from .summary import build_summary

if TYPE_CHECKING:
    from ...run import Run

Renderer = Callable[["Run"], str]

FORMATTERS: dict[str, Renderer] = {
    "json": json_format.render,
    "jsonl": jsonl.render,
    "csv": csv_format.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}
NAMES: list[str] = list(FORMATTERS)

__all__ = ["FORMATTERS", "NAMES", "Renderer", "build_summary"]
