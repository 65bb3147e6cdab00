"""The human gap report: rich on a terminal, plain text when piped.

Rich styles are dropped automatically when stdout is not a terminal or
NO_COLOR is set; in that case we also draw no boxes and mark the matched
words with 【】 so the highlight survives without colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fazhi_audit.base.paths import line_path
from fazhi_audit.model.location import location_text
from fazhi_audit.model.result import Evidence, Finding, ReportResult
from fazhi_audit.model.severity import SEVERITY_LABEL as SEVERITY_LABELS
from fazhi_audit.model.summary import levels_label
from fazhi_audit.render.coverage import coverage_table, previous_summary
from fazhi_audit.render.formatters._common import (
    BASELINED_LABEL,
    baseline_note,
    baselined_count,
    baselined_problems,
    first_evidence,
    new_problems,
    not_checked,
    partly_met,
    problem_order,
    profile_line,
    verdict_with_reason,
)

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

REQUIRED_PARTS = ("achievements", "shortcomings", "first_responsible", "plans", "other")

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_MARKS = {"pass": ("✓", "green"), "partial": ("◐", "yellow"), "fail": ("✗", "red")}
NOT_CHECKED_MARK = ("○", "dim")
SUMMARY_HEADING = "==== 汇总 ===="
_EVIDENCE_CHARS = 60


class TerminalRenderer:
    def __init__(self, console: Console, verbose: bool = False, quiet: bool = False, summary_only: bool = False):
        self.console = console
        self.plain = not console.is_terminal or console.no_color
        self.verbose = verbose
        self.source_format = "txt"
        self.part_labels: dict[str, str] = {}
        self.quiet = quiet  # only failing or unreadable reports, then the summary
        self.summary_only = summary_only
        self.single = False  # one report in the run: its 纲要 coverage table is shown without -v

    def render(self, result: ReportResult) -> None:
        c = self.console
        if result.error:
            # One line per unreadable file, never wrapped: scripts grep for it.
            c.print(Text.assemble(("✗ 无法检查 ", "bold red"), (line_path(result.path), "bold"), f"：{result.error}"), soft_wrap=True)
            return
        self.source_format = result.source_format
        self.part_labels = result.part_labels
        c.print(self._header(result))
        c.print(self._parts(result))
        c.print(self._rule_table(result))
        if self.verbose or self.single:
            coverage = coverage_table(result, self.plain)
            if coverage is not None:
                c.print(coverage)
        gaps = sorted(new_problems(result), key=problem_order)
        if gaps:
            c.print(Text("问题与修改建议", style="bold"))
            for f in gaps:
                c.print(self._gap(f))
        known = baselined_problems(result)
        if known:
            # Listed apart and briefly: the reader's attention belongs to new problems.
            c.print(Text(baseline_note(len(known)), style="bold dim"))
            for f in known:
                c.print(self._gap(f) if self.verbose else self._head(f, style="dim"))
        if self.verbose:
            c.print(Text("已满足要求的证据", style="bold"))
            for f in result.findings:
                if f.status == "pass":
                    c.print(self._gap(f))
        for w in result.warnings:
            c.print(Text(f"注意：{w}", style="yellow"))
        c.print()

    def render_run(self, run: Run) -> None:
        """Every report in input order, then the batch summary."""
        self.single = len(run.results) == 1
        if self.quiet:
            for r in run.results:
                if r.error or not r.passed:
                    self.console.print(self._one_line(r), soft_wrap=True)
        elif not self.summary_only:
            for r in run.results:
                self.render(r)
        self.render_summary(run)

    def _one_line(self, r: ReportResult) -> Text:
        """-q: `✗ 文件  59 分  不通过：原因` — what a reviewer needs to pick the report up."""
        if r.error:
            return Text.assemble(("✗ ", "bold red"), (r.path, "bold"), f"  无法读取：{r.error}")
        return Text.assemble(("✗ ", "bold red"), (r.path, "bold"), f"  {r.score} 分  ", (verdict_with_reason(r), "red"))

    def render_summary(self, run: Run) -> None:
        """After a batch: reports ranked by score, and the most-missed rules."""
        results = run.results
        if len(results) < 2 and not (self.quiet or self.summary_only):
            return
        summary = run.summary
        c = self.console
        known = baselined_count(results)
        note = f"；{baseline_note(known)}" if known else ""
        c.print(Text(SUMMARY_HEADING, style="bold"))
        c.print(Text(f"汇总：共 {summary['reports']} 份，通过 {summary['passed']}，不通过 {summary['failed']}，无法读取 {summary['unreadable']}{note}", style="bold"))
        unreadable = [r for r in results if r.error]
        if unreadable and not self.quiet:  # -q has listed them already
            c.print(Text(f"无法读取的文件（{len(unreadable)} 个）", style="bold red"))
            for r in unreadable:
                c.print(Text(f"  ✗ {line_path(r.path)}：{r.error}"), soft_wrap=True)
        previous_line = previous_summary(summary)
        if previous_line:
            c.print(Text(previous_line), soft_wrap=True)
        for dup in summary.get("duplicates", []):
            c.print(Text(f"注意：{dup['body']} {dup['year']} 年度的报告出现 {len(dup['paths'])} 次：{'、'.join(map(line_path, dup['paths']))}", style="yellow"), soft_wrap=True)
        if self.quiet:
            return  # -q: the failing reports are listed above; the tables are for --summary-only and full reports
        ranking = Table(box=None if self.plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col in ("得分", "结论", "单位", "文件"):
            ranking.add_column(col, overflow="fold")
        for row in summary["ranking"]:
            ranking.add_row(str(row["score"]), "通过" if row["passed"] else "不通过", row.get("body") or "", line_path(row["path"]))
        c.print(ranking)
        missed = Table(title="最常缺失的要求", title_justify="left", box=None if self.plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col in ("规则", "级别", "缺失份数", "占比"):
            missed.add_column(col, overflow="fold")
        for row in summary["rules"]:
            if row["missing"]:
                missed.add_row(f"{row['title']} ({row['rule']})", levels_label(row), str(row["missing"]), f"{row['share']:.0%}")
        c.print(missed)

    def _header(self, r: ReportResult):
        if r.passed:
            verdict = Text("✓ 通过", style="bold green")
        else:
            verdict = Text("✗ 不通过" + (f"（{'；'.join(r.reasons)}）" if r.reasons else ""), style="bold red")
        lines = Text()
        lines.append(f"文件  {line_path(r.path)}\n")
        lines.append(f"单位  {r.body or '（未识别）'}    年度  {r.year or '（未识别）'}    发布  {r.published or '（未显示）'}\n")
        lines.append(f"得分  {r.score}/100    结论  ")
        lines.append(verdict)
        profile = profile_line(r)
        if profile:
            lines.append(f"\n{profile}")
        title = r.title or "（未识别标题）"
        if self.plain:
            return Group(Text(f"== {title} ==", style="bold"), lines)
        return Panel(lines, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED)

    def _parts(self, r: ReportResult):
        order = [s.kind for s in r.sections]
        t = Text("五项内容  ")
        for kind in REQUIRED_PARTS:
            if kind in order:
                pos = order.index(kind) + 1
                line = r.sections[pos - 1].line
                t.append(f"✓{r.part_labels.get(kind, kind)}", style="green")
                unit = "段" if r.source_format in ("docx", "html") else "行"
                t.append(f"[第{pos}部分" + (f",第{line}{unit}" if line else "") + "]  ")
            else:
                t.append(f"✗{r.part_labels.get(kind, kind)}  ", style="red")
        extra = [s for s in r.sections if s.kind == "extra"]
        if extra:
            t.append("\n另有  " + "；".join(s.heading for s in extra), style="dim")
        return t

    def _rule_table(self, r: ReportResult) -> Table:
        table = Table(box=None if self.plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        table.add_column("", no_wrap=True)
        table.add_column("规则", overflow="fold", max_width=None if self.plain else 28)
        table.add_column("级别", no_wrap=True)
        table.add_column("结果", overflow="fold")
        seen = set()
        for f in r.findings:
            if f.rule in seen:
                continue
            seen.add(f.rule)
            group = [x for x in r.findings if x.rule == f.rule]
            worst = min(group, key=lambda x: ["fail", "partial", "pass"].index(x.status))
            mark, style = STATUS_MARKS[worst.status]
            if not_checked(worst):
                mark, style = NOT_CHECKED_MARK
                # a report that says the rule does not apply (本年度未作出重大行政决策) is 不适用, not 未检查
                summary = worst.message if worst.not_applicable else f"未检查：{worst.message}"
            elif len(group) > 1:
                summary = f"{len(group)} 处问题"
            elif worst.value is None and worst.items and len(worst.items) > 1:
                found = sum(1 for i in worst.items if i.found)
                missing = [i.name for i in worst.items if not i.found]
                summary = f"{found}/{len(worst.items)}" + (f"，缺：{'、'.join(missing)}" if missing else "")
                if partly_met(worst):  # met, though not every item: still ✓
                    summary = f"{found}/{len(worst.items)}（已达到要求），缺：{'、'.join(missing)}"
            else:
                summary = "符合" if worst.status == "pass" else worst.message
            unresolved = [x for x in group if x.status != "pass"]
            if unresolved and all(x.baselined for x in unresolved):
                summary += f"（{BASELINED_LABEL}）"
            table.add_row(Text(mark, style=style), f"{f.title}\n{f.rule}" if not self.plain else f"{f.title} ({f.rule})", Text(SEVERITY_LABELS[f.severity], style=SEVERITY_STYLES[f.severity]), summary)
        return table

    def _head(self, f: Finding, style: str = "") -> Text:
        mark, mark_style = STATUS_MARKS[f.status]
        head = Text(style=style)
        head.append(f"{mark} ", style=mark_style)
        head.append(f"[{SEVERITY_LABELS[f.severity]}] ", style=SEVERITY_STYLES[f.severity])
        head.append(f"{f.rule}  ", style="bold")
        head.append(f.message)
        if f.line and self.source_format == "txt":
            head.append(f"（第{f.line}行）", style="dim")
        elif f.line:
            ev = first_evidence(f)  # Word, web and PDF readers find a place by part, heading and paragraph
            if ev is not None:
                head.append(f"（{location_text(ev, self.source_format, self.part_labels)}）", style="dim")
        return head

    def _gap(self, f: Finding):
        parts = [self._head(f)]
        for item in f.items:
            if item.found and f.status != "pass" and not self.verbose:
                continue
            line = Text("    ")
            line.append("✓ " if item.found else "✗ ", style="green" if item.found else "red")
            line.append(item.name)
            if item.note:
                line.append(f"：{item.note}", style="yellow")
            elif not item.found and not item.evidence:
                line.append("：未找到", style="dim")
            parts.append(line)
            if item.evidence:
                parts.append(self._evidence(item.evidence))
        if f.status != "pass":
            parts.append(Text(f"    →修改建议：{f.fix}（依据：{f.basis}）", style="italic"))
        return Group(*parts)

    def _evidence(self, ev: Evidence) -> Text:
        text, match = ev.text, ev.match
        at = text.find(match) if match else -1
        # Trim long sentences around the match so a row fits in 80 columns.
        if len(text) > _EVIDENCE_CHARS:
            start = max(0, (at if at >= 0 else 0) - 20)
            text = ("…" if start else "") + text[start : start + _EVIDENCE_CHARS] + "…"
            at = text.find(match) if match else -1
        out = Text(f"      {location_text(ev, self.source_format, self.part_labels)}：", style="dim")
        if at < 0:
            out.append(text)
            return out
        out.append(text[:at])
        out.append(f"【{match}】" if self.plain else match, style="bold reverse")
        out.append(text[at + len(match) :])
        if ev.similarity < 100:
            out.append(f"（相似度 {ev.similarity:.0f}）", style="dim")
        return out
