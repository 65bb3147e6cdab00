"""The terminal report as a person reads it: order, verdict, marks, batch summary, plain output."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from command import fazhi_audit

from fazhi_audit.model.result import Finding, ItemResult, ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import concise
from fazhi_audit.render.formatters._common import problem_order
from fazhi_audit.render.output import render_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _finding(rule, severity, status="fail", line=None, **kw) -> Finding:
    return Finding(rule=rule, title=rule, severity=severity, status=status, message=f"{rule} 的问题", line=line, **kw)


def _plain(run: Run, **view) -> str:
    buf = io.StringIO()
    render_text(run, "text", buf, **view)
    return buf.getvalue()


def test_problems_are_ordered_by_severity_then_position():
    findings = [_finding("a.info", "info", line=3), _finding("b.warn", "warning", line=9), _finding("c.err", "error", line=40), _finding("d.warn", "warning", line=2), _finding("e.err", "error")]
    ordered = [f.rule for f in sorted(findings, key=problem_order)]
    assert ordered == ["c.err", "e.err", "d.warn", "b.warn", "a.info"]


def test_terminal_lists_the_failing_error_before_hints(auditor):
    result = auditor.audit_path(SEEDS[2])  # any seed that fails on an error-level rule
    errors = [f for f in result.findings if f.severity == "error" and f.status != "pass"]
    assert errors, "the test needs a report that fails on an error-level rule"
    out = _plain(Run([result], auditor.ruleset.rules))
    gaps = out[out.index("问题与修改建议") :]
    first_error = min(gaps.index(f"[错误] {f.rule}") for f in errors)
    hints = [gaps.index(f"[提示] {f.rule}") for f in result.findings if f.severity == "info" and f.status != "pass" and not f.baselined]
    assert hints and first_error < min(hints)


def test_verdict_says_why(auditor):
    result = auditor.audit_path(SEEDS[2])
    assert not result.passed and result.reasons
    out = _plain(Run([result], auditor.ruleset.rules))
    header = next(line for line in out.splitlines() if "结论" in line)
    assert "不通过（" in header and "（错误）" in header
    low = replace(result, passed=False, reasons=["得分 58 低于 60"])
    assert "得分 58 低于 60" in _plain(Run([low], auditor.ruleset.rules))


def test_a_pass_never_hides_an_unmet_error(auditor):
    for path in SEEDS:
        r = auditor.audit_path(path)
        unmet = [f for f in r.findings if f.severity == "error" and f.status == "fail"]
        assert not (r.passed and unmet), path.name


def test_unchecked_rules_and_partly_met_rules_have_their_own_marks():
    unchecked = _finding("meta.disclosure-deadline", "warning", status="pass", scored=False)
    unchecked.message = "未能确定发布日期，未检查公开时限"
    partial = _finding("outline.coverage", "info", status="pass", items=[ItemResult("甲", True), ItemResult("乙", False)])
    result = ReportResult(path="r.txt", title="某镇2024年法治政府建设年度报告", passed=True, findings=[unchecked, partial])
    out = _plain(Run([result], []))
    row = next(line for line in out.splitlines() if "meta.disclosure-deadline" in line)
    assert row.startswith("○") and "未检查：未能确定发布日期" in row and "✓" not in row
    row = next(line for line in out.splitlines() if "outline.coverage" in line)
    assert row.startswith("✓") and "已达到要求" in row and "缺：乙" in row  # met, though not every item (issue 20)


def test_plain_output_is_neither_wrapped_nor_padded(auditor):
    result = auditor.audit_path(SEEDS[0])
    out = _plain(Run([result], auditor.ruleset.rules))
    lines = out.splitlines()
    assert all(line == line.rstrip() for line in lines)
    assert max(len(line) for line in lines) > 80  # long lines are left whole
    for f in result.findings:  # every rule id stays on one line
        assert any(f.rule in line for line in lines), f.rule


def test_batch_summary_lists_unreadable_files_and_duplicates(auditor):
    a = auditor.audit_path(SEEDS[0])
    b = replace(a, path="copy/" + Path(a.path).name.replace(".txt", ".pdf"))
    bad = ReportResult(path="broken.docx", error="文件已损坏：请重新导出")
    run = Run([a, bad, b], auditor.ruleset.rules)
    assert run.summary["duplicates"] == [{"body": a.body, "year": a.year, "paths": [a.path, b.path]}]
    out = _plain(run)
    summary = out[out.index("==== 汇总 ====") :]
    assert "无法读取的文件（1 个）" in summary and "broken.docx：文件已损坏" in summary
    assert f"{a.body} {a.year} 年度的报告出现 2 次" in summary


def test_quiet_and_summary_only(auditor):
    results = [auditor.audit_path(p) for p in SEEDS]
    assert any(r.passed for r in results) and not all(r.passed for r in results)
    run = Run(results, auditor.ruleset.rules)
    results.append(ReportResult(path="坏.docx", error="文件已损坏"))
    run = Run(results, auditor.ruleset.rules)
    quiet = _plain(run, quiet=True)
    lines = quiet.splitlines()
    listed = lines[: lines.index("==== 汇总 ====")]
    # one line per failing or unreadable report: file, score and why; then only the counts
    assert len(listed) == sum(1 for r in results if r.error or not r.passed)
    for r in results:
        line = next((x for x in listed if r.path in x), None)
        if r.error:
            assert line is not None and r.error in line
        elif r.passed:
            assert line is None
        else:
            assert line is not None and f"{r.score} 分" in line and r.reasons[0] in line
    assert len(lines) - len(listed) <= 3
    only = _plain(run, summary_only=True)
    assert only.startswith("==== 汇总 ====") and "文件  " not in only


def test_concise_is_one_line_per_problem(auditor):
    results = [auditor.audit_path(p) for p in SEEDS[:2]] + [ReportResult(path="x.docx", error="无法读取")]
    lines = concise.render(Run(results, auditor.ruleset.rules)).splitlines()
    expected = sum(1 for r in results[:2] for f in r.findings if f.status != "pass") + 1
    assert len(lines) == expected
    for line in lines:
        path, lineno, rest = line.split(":", 2)
        assert int(lineno) >= 1 and rest.startswith(" [") and "\n" not in rest


def test_output_that_names_an_input_is_refused(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    before = report.read_bytes()
    proc = fazhi_audit("check", str(report), "-o", f"json={report}")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "也是被检查的报告" in proc.stderr
    assert report.read_bytes() == before


@pytest.mark.parametrize("flag", ["--quiet", "--summary-only"])
def test_cli_view_flags(flag):
    proc = fazhi_audit("check", *map(str, SEEDS), flag)
    assert proc.returncode == 1
    assert "==== 汇总 ====" in proc.stdout
    before_summary = proc.stdout[: proc.stdout.index("==== 汇总 ====")].splitlines()
    if flag == "--summary-only":
        assert before_summary == []
    else:
        assert 0 < len(before_summary) < len(SEEDS) and all("分  不通过：" in line for line in before_summary)
        assert len(proc.stdout.splitlines()) <= len(SEEDS) + 3


def test_control_sequences_from_a_sender_never_reach_an_output(tmp_path):
    name = tmp_path / "esc\x1b[31m.txt"
    name.write_text("某县2024年法治政府建设年度报告\x1b]0;pwned\x07\n一、主要举措和成效\n我县坚持法治\x1b[2J政府建设。\n", encoding="utf-8")
    for fmt in ("text", "json", "csv", "markdown", "concise", "github"):
        proc = fazhi_audit("check", str(name), "-f", fmt)
        assert proc.returncode in (0, 1, 3), (fmt, proc.stderr)
        assert b"\x1b" not in proc.stdout_bytes and b"\x07" not in proc.stdout_bytes, fmt


def test_docx_locations_name_part_heading_and_paragraph(auditor, tmp_path):
    import docx

    from fazhi_audit.model.location import location_text

    d = docx.Document()
    for text in ("某县司法局2024年法治政府建设情况报告", "一、主要举措和成效", "（一）严格规范执法", "全面落实行政执法公示制度。本年度办理案件XX件。", "二、存在的不足和原因", "执法力量不足，究其原因在于编制少。"):
        d.add_paragraph(text)
    path = tmp_path / "r.docx"
    d.save(path)
    result = auditor.audit_path(path)
    assert result.source_format == "docx"
    placeholder = next(f for f in result.findings if f.rule == "quality.placeholder" and f.status != "pass")
    ev = placeholder.items[0].evidence
    where = location_text(ev, "docx", result.part_labels)
    assert where == "主要举措和成效 › (一)严格规范执法 · 第4段"  # Word has no line numbers: part, sub-heading, paragraph
    data = result.to_json()
    found = [i["evidence"] for f in data["findings"] for i in f["items"] if i["evidence"] and i["evidence"]["text"] == ev.text]
    assert found and found[0]["location"] == where and found[0]["paragraph"] == 3
    assert "第4段" in _plain(Run([result], auditor.ruleset.rules)) and "第4行" not in _plain(Run([result], auditor.ruleset.rules))


def test_text_reports_keep_line_numbers(auditor):
    result = auditor.audit_path(SEEDS[0])
    assert result.source_format == "txt" and "format" not in result.to_json()
    out = _plain(Run([result], auditor.ruleset.rules))
    assert "段" not in "".join(line for line in out.splitlines() if line.strip().startswith("第"))
