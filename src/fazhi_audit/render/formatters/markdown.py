"""A merge-request / pull-request comment in Markdown.

Only new problems are listed; findings already in the baseline are counted
("基线中已有 N 条（不计为新问题）") so the comment points at what this change broke.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

from fazhi_audit.base.own_output import MARKDOWN_LINE
from fazhi_audit.model.result import ReportResult
from fazhi_audit.model.summary import levels_label
from fazhi_audit.render.formatters._common import (
    SEVERITY_LABEL,
    baseline_note,
    baselined_count,
    baselined_problems,
    finding_line,
    new_problems,
    profile_line,
    verdict,
)
from fazhi_audit.rules.schema import SEVERITY_RANK

MAX_FINDINGS = 10  # per report; comments must stay readable (and under size limits)
MAX_REPORTS = 30  # failing reports shown in detail
MAX_RULES = 15  # rows of the "most often missing" table


def cell(text: object) -> str:
    # Table cells: a pipe or newline would break the row; '<' could start HTML;
    # '[' and ']' could make a link or an image (![x](url)) out of report text.
    s = "" if text is None else str(text)
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]")
    return "".join(" " if ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029" else ch for ch in s)


def _report_table(results: list[ReportResult]) -> list[str]:
    # The 主体类型 column appears only when some report was judged with a profile.
    with_profile = any(r.profile for r in results)
    extra = (" 主体类型 |", " --- |") if with_profile else ("", "")
    out = ["| 报告 | 单位 | 年度 | 得分 | 结论 |" + extra[0], "| --- | --- | --- | ---: | --- |" + extra[1]]
    for r in results:
        score = "" if r.error else r.score
        row = f"| `{cell(r.path).replace('`', '')}` | {cell(r.body or '')} | {cell(r.year or '')} | {score} | {verdict(r)} |"
        if with_profile:
            row += f" {cell(r.profile.label if r.profile else '')} |"
        out.append(row)
    return out


def _details(r: ReportResult) -> list[str]:
    out = [f"#### {cell(r.path)}" + (f"（{cell(r.body)}）" if r.body else ""), ""]
    if r.error:
        return out + [f"- 无法读取：{cell(r.error)}", ""]
    if r.profile:
        out += [cell(profile_line(r)), ""]
    found = sorted(new_problems(r), key=lambda f: -SEVERITY_RANK.get(f.severity, 0))  # stable: rule order kept
    for f in found[:MAX_FINDINGS]:
        line = finding_line(f)
        where = f"（第{line}行）" if line else ""
        out.append(f"- **{SEVERITY_LABEL.get(f.severity, f.severity)}** `{f.rule}` {cell(f.message)}{where}")
    if len(found) > MAX_FINDINGS:
        out.append(f"- …另有 {len(found) - MAX_FINDINGS} 条")
    known = len(baselined_problems(r))
    if known:
        out.append(f"- {baseline_note(known)}")
    for f in r.findings:
        if f.not_applicable:  # the report says the rule does not apply: shown, not scored
            out.append(f"- **不适用** `{f.rule}` {cell(f.message)}")
    return out + [""]


def _rule_table(summary: dict) -> list[str]:
    rows = [row for row in summary["rules"] if row["missing"]]
    if not rows:
        return []
    out = ["### 最常缺失", "", "| 规则 | 名称 | 严重程度 | 缺失份数 | 占比 |", "| --- | --- | --- | ---: | ---: |"]
    for row in rows[:MAX_RULES]:
        label = levels_label(row)
        out.append(f"| `{row['rule']}` | {cell(row['title'])} | {label} | {row['missing']} | {row['share']:.0%} |")
    if len(rows) > MAX_RULES:
        out.append(f"\n…另有 {len(rows) - MAX_RULES} 条规则未列出")
    return out + [""]


def render(run: Run) -> str:
    results = run.results
    s = run.summary
    known = baselined_count(results)
    lines = [
        "## 法治政府建设年度报告检查结果",
        "",
        f"共 {s['reports']} 份报告：通过 {s['passed']} 份，不通过 {s['failed']} 份，无法读取 {s['unreadable']} 份。" + (f"{baseline_note(known)}。" if known else ""),
        "",
        *_report_table(results),
        "",
    ]
    failing = [r for r in results if r.error or not r.passed]
    if failing:
        lines += ["### 未通过的报告", ""]
        for r in failing[:MAX_REPORTS]:
            lines += _details(r)
        if len(failing) > MAX_REPORTS:
            lines += [f"…另有 {len(failing) - MAX_REPORTS} 份未通过的报告未展开", ""]
    lines += _rule_table(s)
    lines.append(f"<sub>fazhi-audit {cell(run.version)}</sub>")
    lines.append(MARKDOWN_LINE)  # invisible once rendered; lets discovery skip this file
    return "\n".join(lines) + "\n"
