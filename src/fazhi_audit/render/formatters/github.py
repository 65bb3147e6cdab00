"""GitHub Actions workflow commands: annotations on the changed report files.

Findings already in the baseline are emitted as ::notice (never omitted): the
annotation still marks where a known problem sits, but a notice does not read
as a new error. They come after every new problem, because GitHub keeps only
a limited number of annotations of each kind per step and the new ones must
not be crowded out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

from fazhi_audit.model.fingerprint import posix_path
from fazhi_audit.model.result import ReportResult
from fazhi_audit.render.formatters._common import (
    BASELINED_LABEL,
    finding_line,
    problems,
)

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    # The message part: GitHub decodes %25, %0D, %0A.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    # Property values additionally must not contain the ':' and ',' separators.
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, props: dict[str, object], message: str) -> str:
    joined = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind} {joined}::{escape_data(message)}"


def render_result(result: ReportResult, baselined: bool = False) -> list[str]:
    """The annotations of one report: its new problems, or (baselined=True) its known ones."""
    path = posix_path(result.path)
    if result.error:
        return [] if baselined else [_command("error", {"file": path}, result.error)]
    lines = []
    for f in problems(result):
        if f.baselined != baselined:
            continue
        fix = f.fix
        message = (f"（{BASELINED_LABEL}）" if baselined else "") + f.message + (f"\n修改建议：{fix}" if fix else "")
        props = {"file": path, "line": finding_line(f), "title": f.rule}
        kind = "notice" if baselined else COMMAND.get(f.severity, "warning")
        lines.append(_command(kind, props, message))
    return lines


def render(run: Run) -> str:
    lines = [line for r in run.results for line in render_result(r)]
    lines += [line for r in run.results for line in render_result(r, baselined=True)]
    return "".join(line + "\n" for line in lines)
