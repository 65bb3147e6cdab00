"""The worked example in examples/report-repo: a repository of reports gated by fazhi-audit.

The example ships a config (profiles per folder, one extra city rule, an exclude),
a baseline recording the known gaps of one legacy report, CI snippets and a
pre-commit hook. These tests run the gate the way CI does, on a copy.
"""

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from command import fazhi_audit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "report-repo"

LEGACY = "reports/乡镇/杨柳乡-2023年度法治政府建设情况报告.txt"
TOWNSHIP_GOOD = "reports/乡镇/石桥镇-2024年法治政府建设情况报告.txt"
DEPARTMENT = "reports/部门/县市场监督管理局-2024年法治政府建设情况报告.txt"
COUNTY = "reports/嘉禾县人民政府-2024年度法治政府建设情况报告.txt"
DRAFT = "reports/草稿/石桥镇-2025年法治政府建设情况报告-初稿.txt"

# The gaps planted in the legacy report, and recorded in the example's baseline.
PLANTED = {"structure.causes", "decision.five-step", "city.suggestions-part"}
GATE = ["check", "reports", "--baseline", "fazhi-audit-baseline.json", "--jobs", "1"]


@pytest.fixture
def repo(tmp_path):
    dest = tmp_path / "report-repo"
    shutil.copytree(EXAMPLE, dest)
    return dest


def start_line(result: dict) -> int:
    return result["locations"][0]["physicalLocation"]["region"]["startLine"]


def sarif_results(path: Path) -> dict[str, list[dict]]:
    """SARIF results grouped by the (decoded) report path."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[dict]] = {}
    for r in doc["runs"][0]["results"]:
        uri = unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        out.setdefault(uri, []).append(r)
    return out


def test_gate_passes_with_baseline_and_assigns_profiles(repo):
    proc = fazhi_audit(*GATE, "--output", "sarif=out.sarif", "--format", "json", cwd=repo)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr

    results = sarif_results(repo / "out.sarif")
    # Only the legacy report has problems, exactly the planted ones, all baselined.
    assert set(results) == {LEGACY}
    assert {r["ruleId"] for r in results[LEGACY]} == PLANTED
    for r in results[LEGACY]:
        assert r["suppressions"], r["ruleId"]
        assert r["baselineState"] == "unchanged", r["ruleId"]

    data = json.loads(proc.stdout)
    reports = {r["path"]: r for r in data["reports"]}
    # The draft folder is excluded by the config.
    assert set(reports) == {LEGACY, TOWNSHIP_GOOD, DEPARTMENT, COUNTY}
    assert DRAFT not in reports
    # Profiles: assigned per folder by [[overrides]], detected from the body's name otherwise.
    assert reports[LEGACY]["profile"]["name"] == "township"
    assert reports[TOWNSHIP_GOOD]["profile"]["name"] == "township"
    assert reports[DEPARTMENT]["profile"]["name"] == "department"
    assert reports[COUNTY]["profile"]["name"] == "county"
    assert all(r["passed"] for r in reports.values())

    legacy = {f["rule"]: f for f in reports[LEGACY]["findings"]}
    # The risk assessment is only promised in the plan part, so it does not count.
    risk = next(i for i in legacy["decision.five-step"]["items"] if i["name"] == "风险评估")
    assert not risk["found"] and risk["evidence"]["section"] == "plans"
    assert legacy["structure.causes"]["status"] == "fail"
    assert legacy["city.suggestions-part"]["status"] == "fail"
    # Config effects: ignored rules do not run; per-folder severity override applies.
    assert "outline.coverage" not in legacy and "legal.adviser" not in legacy
    dept = {f["rule"]: f for f in reports[DEPARTMENT]["findings"]}
    assert dept["enforcement.three-systems"]["severity"] == "error"
    assert dept["city.suggestions-part"]["status"] == "pass"


def test_new_problems_fail_the_gate(repo):
    county = repo / COUNTY
    text = county.read_text(encoding="utf-8")
    cut = text.index("六、对全市法治政府建设的意见建议")
    county.write_text(text[:cut], encoding="utf-8")
    dept = repo / DEPARTMENT
    dept.write_text(
        dept.read_text(encoding="utf-8").replace("全年局党组会议研究法治工作6次", "全年局党组会议研究法治工作XX次"),
        encoding="utf-8",
    )

    proc = fazhi_audit(*GATE, "--output", "sarif=out.sarif", cwd=repo)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr

    results = sarif_results(repo / "out.sarif")
    new_county = [r for r in results[COUNTY] if r["ruleId"] == "city.suggestions-part"]
    assert len(new_county) == 1
    assert not new_county[0].get("suppressions")
    assert new_county[0]["baselineState"] == "new"
    placeholder = [r for r in results[DEPARTMENT] if r["ruleId"] == "quality.placeholder"]
    assert len(placeholder) == 1 and not placeholder[0].get("suppressions")
    # The legacy report's known gaps stay suppressed.
    assert all(r["suppressions"] for r in results[LEGACY])


def test_baseline_survives_unrelated_edit(repo):
    before = {r["ruleId"]: r for r in _legacy_results(repo)}
    legacy = repo / LEGACY
    title, rest = legacy.read_text(encoding="utf-8").split("\n", 1)
    note = "\n（此件公开发布）\n"
    legacy.write_text(title + "\n" + note + rest, encoding="utf-8")

    proc = fazhi_audit(*GATE, "--output", "sarif=out.sarif", cwd=repo)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    after = {r["ruleId"]: r for r in sarif_results(repo / "out.sarif")[LEGACY]}
    assert set(after) == PLANTED
    for rule, r in after.items():
        assert r["suppressions"] and r["baselineState"] == "unchanged", rule
    # The findings moved down two lines, yet still match the line-free baseline.
    assert start_line(after["structure.causes"]) == start_line(before["structure.causes"]) + 2


def _legacy_results(repo: Path) -> list[dict]:
    """SARIF results of the legacy report as the repository stands."""
    proc = fazhi_audit(*GATE, "--output", "sarif=before.sarif", cwd=repo)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    return sarif_results(repo / "before.sarif")[LEGACY]


def test_city_rule_examples_hold(auditor):
    from fazhi_audit.engine.rule_examples import check_example
    from fazhi_audit.engine.rulesets import load_rule

    rule = load_rule(EXAMPLE / "rules" / "city.suggestions-part.yaml")
    assert rule.id == "city.suggestions-part" and rule.type == "required-heading" and rule.severity == "error"
    outcomes = [check_example(auditor, rule, ex) for ex in rule.examples]
    assert {ex.status for ex in rule.examples} == {"pass", "fail"}
    assert all(o.ok for o in outcomes), [o.problem for o in outcomes if not o.ok]


def test_hook_and_ci_snippets_agree_with_the_tool():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "fazhi-audit")
    assert hook["entry"] == "fazhi-audit check" and hook["language"] == "python" and hook["pass_filenames"] is True
    assert "fazhi-audit = " in (ROOT / "pyproject.toml").read_text(encoding="utf-8")

    config = yaml.safe_load((EXAMPLE / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    used = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert used == ["fazhi-audit"]

    workflow = (EXAMPLE / ".github" / "workflows" / "fazhi-audit.yml").read_text(encoding="utf-8")
    gitlab = yaml.safe_load((EXAMPLE / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "--baseline fazhi-audit-baseline.json" in workflow and "sarif=fazhi-audit.sarif" in workflow
    assert "github/codeql-action/upload-sarif" in workflow
    job = gitlab["fazhi-audit"]
    assert job["image"] == "python:3.11"
    assert "junit=fazhi-audit.xml" in " ".join(job["script"])
    assert job["artifacts"]["reports"]["junit"] == "fazhi-audit.xml"
    assert (EXAMPLE / "fazhi-audit-baseline.json").is_file()
