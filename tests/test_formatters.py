"""The output formats, rendered from real audits of two small reports."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

try:
    import fazhi_audit  # noqa: F401
except ImportError:  # running from a checkout without an install
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reports import TOWN as GOOD
from reports import TOWNSHIP as BAD
from rich.console import Console

from fazhi_audit.model.fingerprint import fingerprint, problem_key
from fazhi_audit.model.result import ProfileInfo, ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import (
    FORMATTERS,
    NAMES,
    build_summary,
    csv_format,
    github,
    jsonl,
    markdown,
    sarif,
)
from fazhi_audit.render.formatters._common import baseline_note, profile_line
from fazhi_audit.render.terminal import TerminalRenderer

VERSION = "9.9.9-test"

EMPTY_REASON = "文件为空：请提供报告正文"
TEXTS = {"reports/a_good.txt": GOOD, "reports/b_bad.txt": BAD}


@pytest.fixture(scope="module")
def results(auditor) -> list[ReportResult]:  # auditor: the session fixture of conftest.py
    audited = [auditor.audit_text(text, path) for path, text in TEXTS.items()]
    return audited + [ReportResult(path="reports/c_empty.txt", error=EMPTY_REASON)]


@pytest.fixture(scope="module")
def rules(auditor):
    return auditor.ruleset.rules


def render(name, results, rules) -> str:
    return FORMATTERS[name](Run(results, rules, version=VERSION))


def non_pass(result):
    return [f for f in result.findings if f.status != "pass"]


def test_inputs_are_what_the_tests_assume(results):
    good, bad, empty = results
    assert good.passed and not good.error
    assert not bad.passed and any(f.severity == "error" and f.status == "fail" for f in bad.findings)
    assert empty.error == EMPTY_REASON


def test_registry_lists_every_format():
    assert NAMES[:7] == ["json", "jsonl", "csv", "sarif", "junit", "github", "markdown"] and "concise" in NAMES
    assert all(callable(FORMATTERS[n]) for n in NAMES)


def test_every_format_renders_an_empty_batch(rules):
    for name in NAMES:
        assert isinstance(render(name, [], rules), str)


def test_summary_counts_and_missing_table(results):
    s = build_summary(results)
    assert (s["reports"], s["passed"], s["failed"], s["unreadable"]) == (3, 1, 1, 1)
    # unreadable inputs have no score, so they are not ranked
    assert [r["path"] for r in s["ranking"]] == ["reports/b_bad.txt", "reports/a_good.txt"]
    rows = {row["rule"]: row for row in s["rules"]}
    bad = results[1]
    for f in non_pass(bad):
        assert rows[f.rule]["missing"] >= 1
        assert rows[f.rule]["share"] == rows[f.rule]["missing"] / 2
    order = [(-row["missing"], row["rule"]) for row in s["rules"]]
    assert order == sorted(order)


def test_summary_lists_rules_that_never_fail(results, rules):
    s = build_summary(results[:1], rules)
    assert {row["rule"] for row in s["rules"]} == {r.id for r in rules}


def test_json(results, rules):
    doc = json.loads(render("json", results, rules))
    assert doc["schema_version"] == 1
    assert doc["tool"] == {"name": "fazhi-audit", "version": VERSION}
    assert [r["path"] for r in doc["reports"]] == [r.path for r in results]
    assert doc["reports"][2]["error"] == EMPTY_REASON
    assert (doc["summary"]["passed"], doc["summary"]["failed"], doc["summary"]["unreadable"]) == (1, 1, 1)
    assert "某县青山镇" in render("json", results, rules)  # not \u-escaped


def test_jsonl(results, rules):
    out = render("jsonl", results, rules)
    lines = out.splitlines()
    assert len(lines) == len(results)
    assert [json.loads(line)["path"] for line in lines] == [r.path for r in results]
    assert jsonl.render_line(results[1]) == lines[1] and "\n" not in lines[1]


def test_csv(results, rules):
    rows = list(csv.DictReader(io.StringIO(render("csv", results, rules))))
    assert len(rows) == len(results)
    assert [r["verdict"] for r in rows] == ["通过", "不通过", "无法读取"]
    bad, bad_row = results[1], rows[1]
    counts = {sev: sum(1 for f in non_pass(bad) if f.severity == sev) for sev in ("error", "warning", "info")}
    assert (int(bad_row["errors"]), int(bad_row["warnings"]), int(bad_row["infos"])) == (counts["error"], counts["warning"], counts["info"])
    missing = bad_row["missing"].split(";")
    five = next(f for f in bad.findings if f.rule == "decision.five-step")
    if five.status != "pass":
        assert any(m.startswith("decision.five-step:") for m in missing)
    assert rows[2]["error"] == EMPTY_REASON and rows[2]["score"] == ""


def test_csv_quotes_formula_like_cells(results):
    row = csv_format.row(replace(results[0], body="=HYPERLINK(1)"))
    assert row[1] == "'=HYPERLINK(1)"


def _sarif(results, rules) -> dict:
    return json.loads(render("sarif", results, rules))


def test_sarif_structure(results, rules):
    doc = _sarif(results, rules)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "fazhi-audit" and driver["version"] == VERSION
    descriptors = driver["rules"]
    assert {r.id for r in rules} <= {d["id"] for d in descriptors}
    for d in descriptors:
        assert d["shortDescription"]["text"] and d["fullDescription"]["text"] and d["help"]["text"]
        assert d["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "{missing}" not in d["help"]["text"]
    expected = sum(len(non_pass(r)) for r in results if not r.error) + 1
    assert len(run["results"]) == expected
    line_counts = {path: len(text.splitlines()) for path, text in TEXTS.items()}
    for res in run["results"]:
        assert descriptors[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        if res["ruleId"] == "input.unreadable":
            assert uri == "reports/c_empty.txt" and res["level"] == "error"
            assert res["message"]["text"] == EMPTY_REASON
            continue
        assert 1 <= loc["region"]["startLine"] <= line_counts[uri]
        assert len(res["partialFingerprints"]["fazhiAudit/v1"]) == 64


def test_sarif_levels_follow_severity(results, rules):
    run = _sarif(results[1:2], rules)["runs"][0]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert [r["level"] for r in run["results"]] == [levels[f.severity] for f in non_pass(results[1])]
    assert all(d["id"] != "input.unreadable" for d in run["tool"]["driver"]["rules"])


def _fingerprints(results, rules) -> list[str]:
    run = _sarif(results, rules)["runs"][0]
    return [r["partialFingerprints"]["fazhiAudit/v1"] for r in run["results"]]


def test_sarif_fingerprints_are_stable_and_line_free(auditor, results, rules):
    first = _fingerprints(results, rules)
    assert first == _fingerprints(results, rules)
    assert len(set(first)) == len(first)
    shifted = auditor.audit_text("\n" + BAD, "reports/b_bad.txt")
    moved = [f for f in shifted.findings if f.line]
    assert moved and all(f.line > 1 for f in moved)  # lines really did change
    assert _fingerprints([shifted], rules) == _fingerprints(results[1:2], rules)


def test_fingerprint_separates_duplicates_and_paths(results):
    bad = results[1]
    f = non_pass(bad)[0]
    key = (f.rule, *problem_key(f))
    assert fingerprint(key[0], bad.path, *key[1:], 0) != fingerprint(key[0], bad.path, *key[1:], 1)
    assert fingerprint(key[0], bad.path, *key[1:], 0) != fingerprint(key[0], "other.txt", *key[1:], 0)
    twice = replace(bad, findings=[f, f])
    run = json.loads(sarif.render(Run([twice], [], version=VERSION)))["runs"][0]
    prints = [r["partialFingerprints"]["fazhiAudit/v1"] for r in run["results"]]
    assert len(set(prints)) == 2
    assert run["tool"]["driver"]["rules"][0]["id"] == f.rule  # descriptor added on demand


def test_sarif_uri_encoding():
    assert sarif.artifact_uri("reports\\天福镇 2023.txt") == "reports/%E5%A4%A9%E7%A6%8F%E9%95%87%202023.txt"
    assert sarif.artifact_uri("./a/b.txt") == "a/b.txt"
    assert sarif.artifact_uri("/srv/a.txt") == "file:///srv/a.txt"


def test_junit(results, rules):
    root = ET.fromstring(render("junit", results, rules).encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.path for r in results]
    for suite, result in zip(suites, results):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        if result.error:
            assert [c.get("name") for c in cases] == ["input"]
            assert cases[0].find("error").get("message") == EMPTY_REASON
            continue
        assert len(cases) == len(result.findings)
        failing = [f for f in non_pass(result) if f.severity in ("error", "warning")]
        assert len(suite.findall("testcase/failure")) == int(suite.get("failures")) == len(failing)
        infos = [f for f in non_pass(result) if f.severity == "info"]
        assert len(suite.findall("testcase/system-out")) == len(infos)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites)
    assert int(root.get("errors")) == 1
    assert int(root.get("tests")) == sum(len(r.findings) for r in results if not r.error) + 1
    failure = suites[1].find("testcase/failure")
    assert failure.get("type") in ("error", "warning") and "修改建议" in failure.text


def test_junit_strips_characters_xml_forbids(results, rules):
    dirty = replace(results[1], findings=[replace(f, message=f.message + "\x0b\x00") for f in results[1].findings])
    ET.fromstring(render("junit", [dirty], rules).encode("utf-8"))


def test_github(results, rules):
    lines = render("github", results, rules).splitlines()
    assert len(lines) == sum(len(non_pass(r)) for r in results if not r.error) + 1
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert lines[-1] == f"::error file=reports/c_empty.txt::{EMPTY_REASON}"
    assert any("line=" in line and "title=" in line for line in lines)


def test_github_escaping():
    assert github.escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert github.escape_property("a:b,c\n") == "a%3Ab%2Cc%0A"
    odd = ReportResult(path="dir\\a,b:c.txt", error="第一行\n第二行 100%")
    (line,) = github.render(Run([odd], [], version=VERSION)).splitlines()
    assert line == "::error file=dir/a%2Cb%3Ac.txt::第一行%0A第二行 100%25"


def test_markdown(results, rules):
    out = render("markdown", results, rules)
    assert "| 报告 | 单位 | 年度 | 得分 | 结论 |" in out
    assert "最常缺失" in out
    assert "reports/b_bad.txt" in out and EMPTY_REASON in out
    bad_rules = {f.rule for f in non_pass(results[1])}
    assert any(f"`{rule}`" in out for rule in bad_rules)


def test_markdown_caps_long_lists(results, rules):
    bad = results[1]
    many = replace(bad, findings=non_pass(bad) * 5)
    out = render("markdown", [many], rules)
    assert f"…另有 {len(many.findings) - 10} 条" in out
    assert out.count("- **") == 10


# --- profile and baseline -------------------------------------------------

TOWNSHIP = ProfileInfo("township", "乡镇（街道）", "检测自主体名称“某某乡”")


def _known(result: ReportResult, count: int = 1) -> ReportResult:
    """A copy of `result` with a profile and its first `count` failing error-level
    findings marked as already in the baseline (other findings are shared, untouched)."""
    chosen = [f for f in non_pass(result) if f.severity == "error"][:count]
    assert len(chosen) == count
    findings = [replace(f, baselined=True) if f in chosen else f for f in result.findings]
    return replace(result, findings=findings, profile=TOWNSHIP)


def test_shared_wording_for_profile_and_baseline():
    assert profile_line(ReportResult(path="a.txt", profile=TOWNSHIP)) == "报告主体类型：乡镇（街道）（检测自主体名称“某某乡”）"
    assert profile_line(ReportResult(path="a.txt")) == ""
    assert baseline_note(3) == "基线中已有 3 条（不计为新问题）"


def test_summary_counts_baselined_problems(results):
    assert build_summary(results)["baselined"] == 0
    assert build_summary([_known(results[1], 2), results[0]])["baselined"] == 2


def test_json_carries_profile_and_baselined(results, rules):
    known = _known(results[1])
    doc = json.loads(render("json", [known], rules))
    (report,) = doc["reports"]
    assert report["profile"] == {"name": "township", "label": "乡镇（街道）", "source": "检测自主体名称“某某乡”"}
    flagged = [f["rule"] for f in report["findings"] if f.get("baselined")]
    assert flagged == [f.rule for f in known.findings if f.baselined]
    line = json.loads(render("jsonl", [known], rules))
    assert line["profile"]["name"] == "township" and sum(1 for f in line["findings"] if f.get("baselined")) == 1


def test_csv_profile_and_baselined_columns(results, rules):
    known = _known(results[1], 2)
    rows = list(csv.DictReader(io.StringIO(render("csv", [known, results[2]], rules))))
    assert list(rows[0])[-2:] == ["baselined", "profile"]
    assert rows[0]["profile"] == "乡镇（街道）" and rows[0]["baselined"] == "2"
    # the severity columns count new problems only; with `baselined` they add up to all problems
    new = sum(int(rows[0][k]) for k in ("errors", "warnings", "infos"))
    assert new + 2 == len(non_pass(known))
    plain = next(csv.DictReader(io.StringIO(render("csv", [replace(results[1], profile=None)], rules))))
    assert int(plain["errors"]) == int(rows[0]["errors"]) + 2 and plain["baselined"] == "0" and plain["profile"] == ""
    assert rows[1]["error"] == EMPTY_REASON and rows[1]["profile"] == ""


def test_sarif_marks_baselined_results_only_when_a_baseline_was_used(results, rules):
    plain = _sarif(results, rules)["runs"][0]["results"]
    assert all("baselineState" not in r and "suppressions" not in r for r in plain)

    known = _known(results[1])
    out = json.loads(sarif.render(Run([known, results[2]], rules, baseline_compared=True, version=VERSION)))["runs"][0]["results"]
    states = [r["baselineState"] for r in out]
    assert states == ["unchanged" if f.baselined else "new" for f in non_pass(known)] + ["new"]  # the unreadable input is new too
    for r in out:
        if r["baselineState"] == "unchanged":
            assert r["suppressions"] == [{"kind": "external", "justification": "已列入基线文件"}]
        else:
            assert "suppressions" not in r
    assert all(r["properties"]["profile"] == TOWNSHIP.to_json() for r in out if r["ruleId"] != "input.unreadable")


def test_sarif_baseline_flag_can_be_given_explicitly(results, rules):
    out = json.loads(sarif.render(Run(results[1:2], rules, baseline_compared=True, version=VERSION)))["runs"][0]["results"]
    assert out and {r["baselineState"] for r in out} == {"new"}  # a baseline that matched nothing
    out = json.loads(sarif.render(Run([_known(results[1])], rules, baseline_compared=False, version=VERSION)))["runs"][0]["results"]
    assert all("baselineState" not in r for r in out)


def test_junit_baselined_failure_is_skipped(results, rules):
    known = _known(results[1])
    plain_suite = ET.fromstring(render("junit", [replace(results[1], profile=None)], rules).encode("utf-8")).find("testsuite")
    root = ET.fromstring(render("junit", [known], rules).encode("utf-8"))
    suite = root.find("testsuite")
    assert int(suite.get("failures")) == int(plain_suite.get("failures")) - 1
    assert suite.get("skipped") == root.get("skipped") == "1"
    (case,) = [c for c in suite.findall("testcase") if c.find("skipped") is not None]
    baselined = next(f for f in known.findings if f.baselined)
    assert case.get("name") == baselined.rule and case.find("failure") is None
    assert case.find("skipped").get("message") == "已列入基线" and baselined.message in case.find("skipped").text
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (props["profile"], props["profile_label"], props["profile_source"]) == ("township", "乡镇（街道）", "检测自主体名称“某某乡”")
    assert "profile" not in {p.get("name") for p in plain_suite.iter("property")}


def test_github_baselined_findings_are_notices_after_new_ones(results, rules):
    known = _known(results[1])
    lines = render("github", [known, results[0]], rules).splitlines()
    assert len(lines) == len(non_pass(known)) + len(non_pass(results[0]))
    marked = [i for i, line in enumerate(lines) if "（已列入基线）" in line]
    baselined = next(f for f in known.findings if f.baselined)
    assert len(marked) == 1 and marked[0] == len(lines) - 1  # after every new problem, of every report
    assert lines[-1].startswith("::notice ") and f"title={baselined.rule}" in lines[-1]
    assert not any(line.startswith("::error") and f"title={baselined.rule}::" in line for line in lines)


def test_markdown_lists_only_new_problems(results, rules):
    known = _known(results[1])
    baselined = next(f for f in known.findings if f.baselined)
    out = render("markdown", [known, results[0]], rules)
    assert "| 报告 | 单位 | 年度 | 得分 | 结论 | 主体类型 |" in out
    assert "| 乡镇（街道） |" in out and "报告主体类型：乡镇（街道）（检测自主体名称“某某乡”）" in out
    assert "基线中已有 1 条（不计为新问题）" in out
    details = out.split("### 未通过的报告")[1].split("### 最常缺失")[0]
    assert f"`{baselined.rule}` {baselined.message}" not in details
    new = len(non_pass(known)) - 1
    assert details.count("- **") == min(new, markdown.MAX_FINDINGS)
    if new > markdown.MAX_FINDINGS:
        assert f"…另有 {new - markdown.MAX_FINDINGS} 条" in details
    assert "主体类型" not in render("markdown", [replace(r, profile=None) for r in results], rules)  # no profile, no column


def _terminal(result: ReportResult, verbose: bool = False) -> str:
    buf = io.StringIO()
    TerminalRenderer(Console(file=buf, width=120, no_color=True, force_terminal=False, highlight=False), verbose).render(result)
    return buf.getvalue()


def test_terminal_shows_profile_under_header_and_baselined_apart(results):
    known = _known(results[1])
    baselined = next(f for f in known.findings if f.baselined)
    lines = _terminal(known).splitlines()
    at = lines.index("报告主体类型：乡镇（街道）（检测自主体名称“某某乡”）")
    score_line = next(i for i, line in enumerate(lines) if line.startswith("得分"))
    assert score_line < at and all("结论" not in line for line in lines[at:])  # right under the verdict
    head = next(i for i, line in enumerate(lines) if line.startswith("问题与修改建议"))
    note = lines.index("基线中已有 1 条（不计为新问题）")
    mentions = [i for i, line in enumerate(lines) if f"{baselined.rule}  {baselined.message}" in line]
    assert head < note and mentions == [note + 1]  # listed once, under the baseline note only
    assert "报告主体类型" not in _terminal(replace(results[1], profile=None))
    assert "基线中已有" not in _terminal(results[1])


def test_terminal_summary_counts_baselined(results, rules):
    buf = io.StringIO()
    TerminalRenderer(Console(file=buf, width=120, no_color=True, highlight=False)).render_summary(Run([_known(results[1], 2), results[0]], rules))
    assert buf.getvalue().splitlines()[1].endswith("；基线中已有 2 条（不计为新问题）")
