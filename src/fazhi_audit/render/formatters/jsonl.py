"""One compact JSON object per report per line, so large batches can be streamed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

import json

from fazhi_audit.model.result import ReportResult


def render_line(result: ReportResult) -> str:
    """One report as a single line, without the trailing newline."""
    # ensure_ascii=False keeps Chinese readable; json never emits raw newlines inside strings.
    return json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":"))


def render(run: Run) -> str:
    return "".join(render_line(r) + "\n" for r in run.results)
