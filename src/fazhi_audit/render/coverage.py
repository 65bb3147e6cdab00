"""Two terminal pieces of issue 12: the 纲要 part × theme table, and the batch's previous-report line.

Theme names are shown as the 纲要's own words (in quotes) only when verified
(status V); every other theme is marked as a theme name, not quoted text.
"""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from fazhi_audit.model.result import ReportResult

COVERAGE_RULE = "outline.coverage"
UNVERIFIED_MARK = "*"
LEGEND = f"加引号的为纲要原文小标题；带 {UNVERIFIED_MARK} 的为主题（非原文）：概括的主题名称，不是纲要原文。主题只作提示，得分按部分计"


def theme_text(name: str, status: str) -> str:
    if status == "V":  # quoted; quotes inside the name become single quotes
        return "“" + name.replace("“", "‘").replace("”", "’") + "”"
    return f"{name}{UNVERIFIED_MARK}"


def coverage_table(result: ReportResult, plain: bool = False) -> Group | None:
    """Parts (rows) × their task themes, ✓ found / ✗ not; None when the result has no theme details."""
    finding = next((f for f in result.findings if f.rule == COVERAGE_RULE), None)
    if finding is None or not any(item.themes for item in finding.items):
        return None
    table = Table(title="《纲要》主要任务覆盖（部分 × 主题）", title_justify="left", box=None if plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("部分", no_wrap=True)
    table.add_column("主要任务主题", overflow="fold")
    for item in finding.items:
        part = Text("✓ " if item.found else "✗ ", style="green" if item.found else "red")
        part.append(item.name)
        themes = Text()
        for n, theme in enumerate(item.themes):
            if n:
                themes.append("  ")
            themes.append("✓" if theme.found else "✗", style="green" if theme.found else "red")
            themes.append(theme_text(theme.name, theme.status), style="" if theme.found else "dim")
        table.add_row(part, themes)
    return Group(table, Text(LEGEND, style="dim"))


def previous_summary(summary: dict) -> str:
    """One line: which reports were compared with last year's report (--previous), which had none found."""
    rows = summary.get("previous") or []
    if not rows:
        return ""
    found = [r for r in rows if r["previous"]]
    missing = [r["path"] for r in rows if not r["previous"]]
    line = f"上一年度报告对比：{len(found)} 份找到上一年度报告"
    if found:
        line += "（" + "；".join(f"{r['path']} ← {r['previous']}" for r in found[:5]) + (f" 等 {len(found)} 份" if len(found) > 5 else "") + "）"
    if missing:
        line += f"，{len(missing)} 份未找到、未检查照搬（" + "、".join(missing[:5]) + (f" 等 {len(missing)} 份" if len(missing) > 5 else "") + "）"
    return line
