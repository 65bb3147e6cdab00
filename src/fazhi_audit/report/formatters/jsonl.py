"""One compact JSON object per report per line, so large batches can be streamed."""

from __future__ import annotations

import json

from ...rules.schema import Rule
from ..model import ReportResult


def render_line(result: ReportResult) -> str:
    """One report as a single line, without the trailing newline."""
    # ensure_ascii=False keeps Chinese readable; json never emits raw newlines inside strings.
    return json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":"))


def render(results: list[ReportResult], rules: list[Rule], tool_version: str) -> str:
    return "".join(render_line(r) + "\n" for r in results)
