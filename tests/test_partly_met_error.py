"""A partly met error-level rule is a warning in every format, so a passing report never lists an error (issue 20)."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS

from fazhi_audit.engine.options import Options
from fazhi_audit.engine.run import run
from fazhi_audit.render.formatters import FORMATTERS

CAUSES_HEADING_ONLY = """某县2023年度法治政府建设工作报告
一、主要举措和成效
（一）重大行政决策严格履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。
二、存在的不足和原因
一是执法队伍力量不足。二是普法形式单一。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人亲自部署、亲自过问、亲自协调、亲自督办法治建设工作。
四、下一年度主要安排
2024年6月底前完成全县执法人员轮训。
"""


@pytest.fixture(scope="module")
def seeds_run():
    return run(Options(paths=(str(SEEDS),), jobs=1, isolated=True))


def test_partly_met_error_rule_is_reported_as_a_warning(tmp_path):
    report = tmp_path / "报告.txt"
    report.write_text(CAUSES_HEADING_ONLY, encoding="utf-8")
    outcome = run(Options(paths=(str(report),), jobs=1, isolated=True))
    causes = next(f for f in outcome.results[0].findings if f.rule == "structure.causes")
    assert causes.status == "partial"
    assert causes.severity == "warning"
    assert not any("不足部分须分析原因" in reason for reason in outcome.results[0].reasons)


def test_a_passing_report_lists_no_error_in_any_format(seeds_run):
    passing = [r for r in seeds_run.results if r.passed and not r.error]
    assert passing, "the seeds include passing reports"
    partial = [f for r in passing for f in r.findings if f.status == "partial"]
    assert partial, "a passing seed has a partly met rule to exercise"
    paths = {r.path for r in passing}
    concise = FORMATTERS["concise"](seeds_run).splitlines()
    assert not [line for line in concise if line.split(":", 1)[0] in paths and "[错误]" in line]
    sarif = json.loads(FORMATTERS["sarif"](seeds_run))
    for result in sarif["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        if any(uri.endswith(p) for p in paths):
            assert result["level"] != "error", result
    report_json = json.loads(FORMATTERS["json"](seeds_run))
    for r in report_json["reports"]:
        if r["passed"]:
            assert not [f for f in r["findings"] if f["status"] != "pass" and f["severity"] == "error"]
    github = FORMATTERS["github"](seeds_run)
    for r in passing:
        assert not [line for line in github.splitlines() if line.startswith("::error") and r.path in line]


def test_met_rule_with_missing_items_is_marked_met(seeds_run):
    from rich.console import Console

    from fazhi_audit.render.terminal import TerminalRenderer

    console = Console(width=200, no_color=True, record=True, force_terminal=False)
    TerminalRenderer(console).render_run(seeds_run)
    rows = [line for line in console.export_text().splitlines() if "已达到要求" in line]
    assert rows, "the seeds have a met rule with missing items (纲要 coverage)"
    assert all(line.lstrip().startswith("✓") for line in rows)
