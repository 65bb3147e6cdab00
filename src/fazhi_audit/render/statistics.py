"""Problem counts per rule, for `check --statistics` (like `ruff --statistics`).

Only rules with at least one non-passing finding are listed, most frequent
first. `count` is every problem (fail + partial); `baselined` says how many
of those were already in the baseline file; `reports` how many readable
reports the rule fired in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fazhi_audit.model.result import ReportResult
from fazhi_audit.render.formatters._common import (
    SEVERITY_LABEL,
    baseline_note,
    problems,
)

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

HEADERS = ("问题数", "规则", "级别", "不符合", "部分符合", "已列入基线", "涉及报告", "名称")
NO_PROBLEMS = "未发现问题"
_NUMERIC = {0, 3, 4, 5, 6}  # columns aligned right


@dataclass
class StatRow:
    rule: str
    title: str
    severity: str
    fail: int = 0
    partial: int = 0
    baselined: int = 0
    reports: int = 0

    @property
    def count(self) -> int:
        return self.fail + self.partial

    def cells(self) -> list[str]:
        label = SEVERITY_LABEL.get(self.severity, self.severity)
        return [str(self.count), self.rule, label, str(self.fail), str(self.partial), str(self.baselined), str(self.reports), self.title]


def statistics_rows(results: list[ReportResult]) -> list[StatRow]:
    rows: dict[str, StatRow] = {}
    for result in results:
        if result.error:
            continue
        fired = set()
        for f in problems(result):
            row = rows.setdefault(f.rule, StatRow(f.rule, f.title, f.severity))
            if f.status == "fail":
                row.fail += 1
            else:
                row.partial += 1
            row.baselined += int(f.baselined)
            fired.add(f.rule)
        for rule in fired:
            rows[rule].reports += 1
    return sorted(rows.values(), key=lambda r: (-r.count, r.rule))


def _total_line(rows: list[StatRow]) -> str:
    total = sum(r.count for r in rows)
    known = sum(r.baselined for r in rows)
    return f"合计 {total} 条问题" + (f"，其中{baseline_note(known)}" if known else "")


def statistics_text(run: Run) -> str:
    """The same table as plain text, columns padded by display width."""
    rows = statistics_rows(run.results)
    if not rows:
        return NO_PROBLEMS + "\n"
    grid = [list(HEADERS)] + [r.cells() for r in rows]
    widths = [max(cell_len(line[i]) for line in grid) for i in range(len(HEADERS))]

    def fmt(line: list[str]) -> str:
        cells = []
        for i, (text, width) in enumerate(zip(line, widths)):
            pad = " " * (width - cell_len(text))
            cells.append(pad + text if i in _NUMERIC else text + pad)
        return "  ".join(cells).rstrip()

    return "".join(fmt(line) + "\n" for line in grid) + _total_line(rows) + "\n"


def render_statistics(run: Run, console: Console) -> None:
    if not console.is_terminal or console.no_color:
        # Logs and files get the plain table (the one the golden snapshot pins).
        console.print(statistics_text(run), end="", markup=False, highlight=False, soft_wrap=True)
        return
    rows = statistics_rows(run.results)
    if not rows:
        console.print(Text(NO_PROBLEMS, style="green"))
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i, header in enumerate(HEADERS):
        table.add_column(header, justify="right" if i in _NUMERIC else "left", no_wrap=i != len(HEADERS) - 1, overflow="fold")
    for row in rows:
        table.add_row(*row.cells())
    console.print(table)
    console.print(Text(_total_line(rows), style="bold"))
