"""One line per problem, for hooks and editors (like `ruff --output-format concise`).

    报告.txt:22: [错误] structure.required-sections 缺少必备部分：…

A problem with no place in the text (something missing) points at line 1, so
editors can still jump to the file. Reports without problems print nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi_audit.base.paths import line_path
from fazhi_audit.render.formatters._common import (
    SEVERITY_LABEL,
    finding_line,
    new_problems,
    problem_order,
)

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run


def render(run: Run) -> str:
    lines = []
    for r in run.results:
        if r.error:
            lines.append(f"{line_path(r.path)}:1: [{SEVERITY_LABEL['error']}] input.unreadable {_one_line(r.error)}")
            continue
        for f in sorted(new_problems(r), key=problem_order):
            line = finding_line(f) or 1
            lines.append(f"{line_path(r.path)}:{line}: [{SEVERITY_LABEL.get(f.severity, f.severity)}] {f.rule} {_one_line(f.message)}")
    return "".join(line + "\n" for line in lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
