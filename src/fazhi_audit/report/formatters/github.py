"""GitHub Actions workflow commands: annotations on the changed report files."""

from __future__ import annotations

from ...rules.schema import Rule
from ..model import ReportResult
from ._common import finding_line, posix_path, problems

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


def render_result(result: ReportResult) -> list[str]:
    path = posix_path(result.path)
    if result.error:
        return [_command("error", {"file": path}, result.error)]
    lines = []
    for f in problems(result):
        fix = f.fix
        message = f.message + (f"\n修改建议：{fix}" if fix else "")
        props = {"file": path, "line": finding_line(f), "title": f.rule}
        lines.append(_command(COMMAND.get(f.severity, "warning"), props, message))
    return lines


def render(results: list[ReportResult], rules: list[Rule], tool_version: str) -> str:
    return "".join(line + "\n" for r in results for line in render_result(r))
