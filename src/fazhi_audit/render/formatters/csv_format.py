"""One row per report, for spreadsheets.

errors / warnings / infos count new problems; `baselined` counts the ones
already in the baseline file, so the four add up to all problems. `missing`
lists everything the report lacks, known or not. `profile` is the kind of
reporting body the rules were tuned for (its Chinese label).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

import csv
import io

from fazhi_audit.model.result import ReportResult
from fazhi_audit.render.formatters._common import (
    baselined_problems,
    missing_items,
    new_problems,
    problems,
    verdict,
)

HEADER = ["path", "body", "year", "score", "verdict", "errors", "warnings", "infos", "missing", "error", "baselined", "profile"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str | None) -> str:
    # Text taken from documents could start a spreadsheet formula; quote it as text.
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _missing(result: ReportResult) -> str:
    out = []
    for f in problems(result):
        names = missing_items(f)
        if names:
            out.extend(f"{f.rule}:{name}" for name in names)
        else:
            out.append(f.rule)  # rule-level defect (order, deadline): nothing itemised
    return ";".join(out)


def row(result: ReportResult) -> list:
    profile = _cell(result.profile.label) if result.profile else ""
    if result.error:
        return [_cell(result.path), "", "", "", verdict(result), "", "", "", "", _cell(result.error), "", profile]
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in new_problems(result):
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return [
        _cell(result.path),  # a file may be named "=cmd|…" too
        _cell(result.body),
        result.year if result.year is not None else "",
        result.score,
        verdict(result),
        counts["error"],
        counts["warning"],
        counts["info"],
        _missing(result),
        "",
        len(baselined_problems(result)),
        profile,
    ]


def render(run: Run) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(row(r) for r in run.results)
    return buf.getvalue()
