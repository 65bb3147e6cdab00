"""Per-rule problem counts for `check --statistics`."""

from __future__ import annotations

import io

from reports import TOWNSHIP
from rich.cells import cell_len
from rich.console import Console

from fazhi_audit.model.result import Finding, ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.statistics import (
    HEADERS,
    NO_PROBLEMS,
    StatRow,
    render_statistics,
    statistics_rows,
    statistics_text,
)


def finding(rule: str, status: str = "fail", severity: str = "warning", baselined: bool = False) -> Finding:
    return Finding(rule=rule, title=f"{rule} 的名称", severity=severity, status=status, message="…", baselined=baselined)


def sample() -> list[ReportResult]:
    a = ReportResult(
        path="a.txt",
        findings=[
            finding("structure.numbering"),
            finding("structure.numbering", status="partial"),
            finding("structure.numbering", baselined=True),
            finding("decision.five-step", status="partial"),
            finding("quality.placeholder", severity="error"),
            finding("legal.adviser", status="pass"),
        ],
    )
    b = ReportResult(
        path="b.txt",
        findings=[
            finding("decision.five-step", status="partial", baselined=True),
            finding("quality.placeholder", severity="error"),
            finding("structure.numbering", status="pass"),
        ],
    )
    unreadable = ReportResult(path="c.txt", error="文件为空：请提供报告正文")
    return [a, b, unreadable]


def test_rows_count_per_rule_sorted_by_count_then_id():
    rows = statistics_rows(sample())
    assert [(r.rule, r.count, r.fail, r.partial, r.baselined, r.reports) for r in rows] == [
        ("structure.numbering", 3, 2, 1, 1, 1),  # three findings, one report
        ("decision.five-step", 2, 0, 2, 1, 2),
        ("quality.placeholder", 2, 2, 0, 0, 2),
    ]
    assert rows[2].severity == "error" and rows[0].title == "structure.numbering 的名称"


def test_passing_rules_and_unreadable_inputs_are_not_counted():
    assert statistics_rows([ReportResult(path="a.txt", findings=[finding("legal.adviser", status="pass")])]) == []
    assert statistics_rows([ReportResult(path="c.txt", error="x", findings=[finding("x.y")])]) == []


def test_text_is_an_aligned_table_with_a_total():
    lines = statistics_text(Run(sample(), [])).splitlines()
    assert lines[0].split() == list(HEADERS)
    assert lines[1].split() == ["3", "structure.numbering", "警告", "2", "1", "1", "1", "structure.numbering", "的名称"]
    assert lines[3].split()[:3] == ["2", "quality.placeholder", "错误"]
    # the rule column starts at the same display column on every row
    starts = [cell_len(line[: line.index(rule)]) for line, rule in zip(lines[1:4], ("structure.numbering", "decision.five-step", "quality.placeholder"))]
    assert len(set(starts)) == 1
    assert lines[-1] == "合计 7 条问题，其中基线中已有 2 条（不计为新问题）"
    assert len(lines) == 5


def test_text_without_problems():
    assert statistics_text(Run([], [])) == NO_PROBLEMS + "\n"
    clean = ReportResult(path="a.txt", findings=[finding("legal.adviser", status="pass")])
    assert statistics_text(Run([clean], [])) == NO_PROBLEMS + "\n"


def test_total_omits_baseline_note_when_nothing_is_baselined():
    only_new = [ReportResult(path="a.txt", findings=[finding("quality.placeholder")])]
    assert statistics_text(Run(only_new, [])).splitlines()[-1] == "合计 1 条问题"


def test_rich_table_has_chinese_headers_and_every_rule():
    buf = io.StringIO()
    render_statistics(Run(sample(), []), Console(file=buf, width=160, no_color=True, highlight=False))
    out = buf.getvalue()
    lines = out.splitlines()
    assert lines[0].split() == list(HEADERS)
    for rule in ("structure.numbering", "decision.five-step", "quality.placeholder"):
        assert rule in out
    assert [line.split()[1] for line in lines[1:4]] == ["structure.numbering", "decision.five-step", "quality.placeholder"]
    assert lines[-1] == "合计 7 条问题，其中基线中已有 2 条（不计为新问题）"


def test_rich_table_without_problems():
    buf = io.StringIO()
    render_statistics(Run([], []), Console(file=buf, width=80, no_color=True))
    assert buf.getvalue() == NO_PROBLEMS + "\n"


def test_rows_agree_with_a_real_audit(auditor):
    results = [auditor.audit_text(TOWNSHIP, "a.txt"), auditor.audit_text(TOWNSHIP, "b.txt")]
    rows = statistics_rows(results)
    problems = [f for r in results for f in r.findings if f.status != "pass"]
    assert sum(r.count for r in rows) == len(problems)
    assert {r.rule for r in rows} == {f.rule for f in problems}
    assert all(r.reports == 2 for r in rows)  # the same text twice: every rule fires in both
    assert isinstance(rows[0], StatRow) and [r.count for r in rows] == sorted((r.count for r in rows), reverse=True)
