"""Baselines: record today's findings; afterwards only new findings fail the gate."""

import json
import os
from dataclasses import replace

import pytest

from fazhi_audit.base.errors import UsageError
from fazhi_audit.engine.audit import Auditor
from fazhi_audit.engine.baseline import (
    Baseline,
    apply_baseline,
    create,
    load_baseline,
    stale_message,
    summary_message,
    write_baseline,
)
from fazhi_audit.model.fingerprint import finding_fingerprints

# A township report: four parts, a numbering slip (（一）（二）（四）), an
# enforcement step only promised in the plans, and several missing elements.
TOWN = """柳溪镇人民政府2024年法治政府建设情况报告

2024年，柳溪镇在县委、县政府的领导下，坚持以习近平法治思想为指导，深入推进依法行政，现将有关情况报告如下。

一、2024年法治政府建设主要举措和成效

（一）加强学法用法。镇党委理论学习中心组开展专题学法4次，组织全镇干部参加年度学法考试，参考率100%。

（二）规范重大行政决策。全年重大事项12项均经镇法律顾问合法性审查，由镇党政联席会议集体讨论决定。

（四）化解矛盾纠纷。健全镇村两级人民调解组织，全年排查矛盾纠纷120件，调解成功116件。

二、存在的不足和原因

一是部分干部法治意识有待增强；二是基层法治工作力量薄弱。主要原因是培训偏重理论，法治专业人员引进难。

三、党政主要负责人履行推进法治建设第一责任人职责情况

镇党委书记、镇长亲自部署全镇法治建设工作，对重大问题亲自过问，年终在全镇干部大会上述法。

四、2025年工作安排

（一）下一步将建立行政执法全过程记录制度，推进执法公示。
（二）继续加强普法宣传，力争创建市级民主法治示范村1个。
"""

# A township report without the first-responsible part: fails on its own.
STREET = """桃源街道办事处2024年法治政府建设年度报告

2024年，桃源街道坚持以习近平法治思想为指导，扎实推进法治政府建设，现将有关情况报告如下。

一、主要举措和成效

（一）强化依法决策。重大事项均经法律顾问合法性审查、街道党工委会议集体讨论决定，全年聘请法律顾问审查合同18份。

（二）推进政务公开。在区政府门户网站街道专栏主动公开财政预决算等信息210条。

二、存在的问题及原因

法治宣传覆盖面不够广。主要原因是普法队伍人手不足。

三、下一年度工作安排

（一）加强普法宣传，推进“法律明白人”培育。
"""

FR_START = TOWN.index("三、党政")
PLANS_START = TOWN.index("四、2025")


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def problems(result):
    return [f for f in result.findings if f.status != "pass"]


def fingerprints(result, key):
    return {fp for _, fp in finding_fingerprints(result, key)}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """tmp/proj/reports/{liuxi,taoyuan}.txt; the working directory is tmp/proj."""
    root = tmp_path / "proj"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "liuxi.txt").write_text(TOWN, encoding="utf-8")
    (root / "reports" / "taoyuan.txt").write_text(STREET, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def strict(auditor):
    """The same rules and model, judged with --fail-under 80."""
    return Auditor(fail_under=80, ruleset=auditor.ruleset, segmenter=auditor.segmenter)


def test_round_trip_baselines_everything(auditor, project):
    empty = project / "reports" / "empty.txt"
    empty.write_text("", encoding="utf-8")
    results = [auditor.audit_path(p) for p in ("reports/liuxi.txt", "reports/taoyuan.txt", "reports/empty.txt")]
    town, street, unreadable = results
    assert unreadable.error and not town.error and not street.error
    assert not street.passed  # missing first-responsible part: an error-severity failure
    total = len(problems(town)) + len(problems(street))

    assert write_baseline(results, "fazhi-baseline.json") == total
    data = json.loads((project / "fazhi-baseline.json").read_text(encoding="utf-8"))
    assert data["tool"] == "fazhi-audit" and data["version"] == 1
    assert list(data["reports"]) == ["reports/liuxi.txt", "reports/taoyuan.txt"]  # unreadable input not stored
    assert data["reports"]["reports/liuxi.txt"]["score"] == town.score
    stored = [e for rep in data["reports"].values() for e in rep["findings"]]
    assert len(stored) == total
    assert {e["status"] for e in stored} <= {"fail", "partial"}
    numbering = [e for e in data["reports"]["reports/liuxi.txt"]["findings"] if e["rule"] == "structure.numbering"]
    assert len(numbering) == 1 and numbering[0]["severity"] == "warning" and "四" in numbering[0]["message"]
    plan_only = next(e for e in data["reports"]["reports/liuxi.txt"]["findings"] if e["rule"] == "enforcement.three-systems")
    assert plan_only["section"] == "plans"
    assert not any("line" in e for e in stored)

    baseline = load_baseline("fazhi-baseline.json")
    assert len(baseline) == total
    outcome = apply_baseline(baseline, results)
    assert (outcome.new, outcome.matched, outcome.stale) == (0, total, [])
    assert town.passed and street.passed
    assert all(f.baselined for r in (town, street) for f in problems(r))
    assert not any(f.baselined for r in (town, street) for f in r.findings if f.status == "pass")
    assert unreadable.error and not unreadable.passed  # unreadable stays an error
    assert stale_message(outcome) is None
    assert summary_message(outcome) == f"新问题 0 条，基线中已知问题 {total} 条"
    shown = town.to_json()["findings"]
    assert [f.get("baselined", False) for f in shown] == [f["status"] != "pass" for f in shown]


def test_moving_lines_keeps_fingerprints(auditor, project):
    before = auditor.audit_path("reports/liuxi.txt")
    baseline = create([before], "fazhi-baseline.json")
    edited = _edit(TOWN, "报告\n\n2024年", "报告\n\n（2025年2月20日）\n\n2024年")
    edited = _edit(edited, "参考率100%。\n\n", "参考率100%。\n\n全年组织干部旁听庭审1次，开展法治讲座2场。\n\n")
    (project / "reports" / "liuxi.txt").write_text(edited, encoding="utf-8")
    after = auditor.audit_path("reports/liuxi.txt")

    lines_before = {f.rule: f.line for f in problems(before) if f.line}
    lines_after = {f.rule: f.line for f in problems(after) if f.line}
    assert lines_before and lines_before.keys() == lines_after.keys()
    assert all(lines_after[r] > lines_before[r] for r in lines_before)  # the lines really moved

    outcome = apply_baseline(baseline, [after])
    assert outcome.new == 0 and outcome.stale == []
    assert outcome.matched == len(problems(after)) == len(problems(before))
    assert after.passed


def test_new_placeholder_is_the_only_new_finding(auditor, project):
    baseline = create([auditor.audit_path("reports/liuxi.txt")], "fazhi-baseline.json")
    residue = auditor.audit_text(_edit(TOWN, "调解成功116件", "调解成功XX件"), "reports/liuxi.txt")
    outcome = apply_baseline(baseline, [residue])
    new = [f for f in problems(residue) if not f.baselined]
    assert [(f.rule, f.severity, f.status) for f in new] == [("quality.placeholder", "error", "fail")]
    assert outcome.new == 1 and outcome.matched == len(problems(residue)) - 1 and outcome.stale == []
    assert not residue.passed


def test_deleted_part_fails_with_exactly_the_new_findings(auditor, project):
    before = auditor.audit_path("reports/liuxi.txt")
    baseline = create([before], "fazhi-baseline.json")
    after = auditor.audit_text(TOWN[:FR_START] + TOWN[PLANS_START:], "reports/liuxi.txt")
    outcome = apply_baseline(baseline, [after])

    key = "reports/liuxi.txt"
    expected_new = fingerprints(after, key) - fingerprints(before, key)
    got_new = {fp for f, fp in finding_fingerprints(after, key) if not f.baselined}
    assert got_new == expected_new and outcome.new == len(expected_new)
    new_rules = {f.rule for f in problems(after) if not f.baselined}
    assert "structure.required-sections" in new_rules
    # Unchanged problems whose lines moved up stay known.
    assert all(f.baselined for f in problems(after) if f.rule in ("enforcement.three-systems", "normdoc.legality-review"))
    assert not after.passed
    # Problems whose evidence changed (four-personally went from partial to fail) leave stale entries.
    assert {s.entry.fingerprint for s in outcome.stale} == fingerprints(before, key) - fingerprints(after, key)
    assert "duty.four-personally" in {s.entry.rule for s in outcome.stale}


def test_fixed_problem_is_stale(auditor, project):
    baseline = create([auditor.audit_path("reports/liuxi.txt")], "fazhi-baseline.json")
    fixed = auditor.audit_text(_edit(TOWN, "（四）化解", "（三）化解"), "reports/liuxi.txt")
    outcome = apply_baseline(baseline, [fixed])
    assert outcome.new == 0 and fixed.passed
    assert len(outcome.stale) == 1
    stale = outcome.stale[0]
    assert stale.path == "reports/liuxi.txt" and stale.entry.rule == "structure.numbering"
    assert stale_message(outcome) == "基线中有 1 条已不再出现（问题已解决），请运行 fazhi-audit baseline create 更新基线"


def test_partial_run_and_unknown_report(auditor, project):
    results = [auditor.audit_path("reports/liuxi.txt"), auditor.audit_path("reports/taoyuan.txt")]
    baseline = create(results, "fazhi-baseline.json")
    # Only one report audited (pre-commit on changed files): the other is neither matched nor stale.
    only = auditor.audit_path("reports/liuxi.txt")
    outcome = apply_baseline(baseline, [only])
    assert outcome.matched == len(problems(only)) and outcome.new == 0 and outcome.stale == []
    # A report missing from the baseline: all its findings are new.
    (project / "reports" / "new.txt").write_text(STREET, encoding="utf-8")
    newcomer = auditor.audit_path("reports/new.txt")
    outcome = apply_baseline(baseline, [newcomer])
    assert outcome.new == len(problems(newcomer)) and outcome.matched == 0 and outcome.stale == []
    assert not newcomer.passed and not any(f.baselined for f in newcomer.findings)


def test_paths_relative_to_the_baseline_file(auditor, project, monkeypatch):
    write_baseline([auditor.audit_path("reports/liuxi.txt")], "fazhi-baseline.json")
    assert list(json.loads((project / "fazhi-baseline.json").read_text(encoding="utf-8"))["reports"]) == ["reports/liuxi.txt"]
    n = len(problems(auditor.audit_path("reports/liuxi.txt")))

    # From another working directory, with an absolute report path and a relative baseline path.
    monkeypatch.chdir(project / "reports")
    absolute = auditor.audit_path(str(project / "reports" / "liuxi.txt"))
    outcome = apply_baseline(load_baseline("../fazhi-baseline.json"), [absolute])
    assert (outcome.new, outcome.matched, outcome.stale) == (0, n, [])
    # ... and relative to that directory.
    here = auditor.audit_path("liuxi.txt")
    assert apply_baseline(load_baseline(str(project / "fazhi-baseline.json")), [here]).matched == n

    # Windows runner: backslash separators and "./".
    monkeypatch.chdir(project)
    for spelling in ("reports\\liuxi.txt", ".\\reports\\liuxi.txt", "./reports/liuxi.txt"):
        result = auditor.audit_text(TOWN, spelling)
        outcome = apply_baseline(load_baseline("fazhi-baseline.json"), [result])
        assert (outcome.new, outcome.matched) == (0, n), spelling

    # A different report path is a different report.
    other = auditor.audit_text(TOWN, "reports/copy.txt")
    assert apply_baseline(load_baseline("fazhi-baseline.json"), [other]).matched == 0


def test_stdin_stays_dash(auditor, project):
    piped = auditor.audit_text(TOWN, "-")
    on_disk = auditor.audit_path("reports/liuxi.txt")
    assert write_baseline([piped, on_disk], "fazhi-baseline.json") == 2 * len(problems(on_disk))
    data = json.loads((project / "fazhi-baseline.json").read_text(encoding="utf-8"))
    assert list(data["reports"]) == ["-", "reports/liuxi.txt"]
    # Same text, different report: both keys match only their own findings.
    outcome = apply_baseline(load_baseline("fazhi-baseline.json"), [auditor.audit_text(TOWN, "-")])
    assert (outcome.new, outcome.matched, outcome.stale) == (0, len(problems(on_disk)), [])


def test_write_stays_in_the_baseline_directory(auditor, project):
    baseline = create([auditor.audit_path("reports/liuxi.txt")], "fazhi-baseline.json")
    (project / "ci").mkdir()
    with pytest.raises(ValueError):
        baseline.write("ci/baseline.json")  # keys and fingerprints are relative to the project directory
    assert not (project / "ci" / "baseline.json").exists()
    assert baseline.write("renamed.json") == len(baseline)
    assert load_baseline("renamed.json").reports == baseline.reports


def test_deterministic_bytes(auditor, project):
    first = [auditor.audit_path("reports/liuxi.txt"), auditor.audit_path("reports/taoyuan.txt")]
    write_baseline(first, "a.json")
    again = [auditor.audit_path("reports/taoyuan.txt"), auditor.audit_path("reports/liuxi.txt")]
    write_baseline(again, "b.json")
    a, b = (project / "a.json").read_bytes(), (project / "b.json").read_bytes()
    assert a == b
    text = a.decode("utf-8")
    assert "未单列“其他需要报告的情况”部分" in text  # UTF-8, not \\u escapes
    assert text.startswith('{\n  "tool": "fazhi-audit",\n  "version": 1,\n  "reports": {\n') and text.endswith("}\n")
    assert "\r" not in text
    for rep in json.loads(text)["reports"].values():
        keys = [(e["rule"], e["section"], e["message"], e["fingerprint"]) for e in rep["findings"]]
        assert keys == sorted(keys)
        assert all(list(e) == ["fingerprint", "rule", "severity", "status", "section", "message"] for e in rep["findings"])
    # Loading and writing again gives the same bytes.
    load_baseline("a.json").write("c.json")
    assert (project / "c.json").read_bytes() == a


@pytest.mark.parametrize(
    "content, expected",
    [
        ('{"tool": "fazhi-audit",\n  "version": 1,\n  "reports": {,}\n}', "不是有效的 JSON（第3行）"),
        ("[]", "不是 fazhi-audit 基线"),
        ('{"tool": "ruff", "version": 1, "reports": {}}', "不是 fazhi-audit 基线"),
        ('{"tool": "fazhi-audit", "version": 2, "reports": {}}', "版本为 2"),
        ('{"tool": "fazhi-audit", "version": true, "reports": {}}', "版本为 true"),
        ('{"tool": "fazhi-audit", "version": 1}', "reports 应为对象"),
        ('{"tool": "fazhi-audit", "version": 1, "reports": []}', "reports 应为对象"),
        ('{"tool": "fazhi-audit", "version": 1, "reports": {"a.txt": {"score": "55", "findings": []}}}', 'reports["a.txt"].score 应为数字'),
        ('{"tool": "fazhi-audit", "version": 1, "reports": {"a.txt": {"score": 55}}}', 'reports["a.txt"].findings 应为数组'),
        ('{"tool": "fazhi-audit", "version": 1, "reports": {"a.txt": {"score": 55, "findings": [{"rule": "x"}]}}}', "findings[0].fingerprint 缺失"),
        ('{"tool": "fazhi-audit", "version": 1, "reports": {"a.txt": {"score": 55, "findings": [{"fingerprint": "ab", "rule": 3}]}}}', "findings[0].rule 应为字符串"),
    ],
)
def test_malformed_baseline_is_a_usage_error(tmp_path, content, expected):
    path = tmp_path / "坏基线.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        load_baseline(path)
    message = str(info.value)
    assert message.startswith(f"基线文件 {path}") and expected in message
    assert "\n" not in message and "fazhi-audit baseline create" in message


def test_unreadable_baseline_files(tmp_path):
    with pytest.raises(UsageError, match="不存在：请先运行 fazhi-audit baseline create"):
        load_baseline(tmp_path / "missing.json")
    with pytest.raises(UsageError, match="missing.json"):
        load_baseline(tmp_path / "missing.json")
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"tool": "法治"}'.encode("gbk"))
    with pytest.raises(UsageError, match="gbk.json 不是 UTF-8 编码"):
        load_baseline(gbk)
    with pytest.raises(UsageError, match="是目录"):
        load_baseline(tmp_path)
    with pytest.raises(UsageError, match="无法写入基线文件"):
        write_baseline([], tmp_path / "no" / "such" / "dir.json")


def test_minimal_hand_written_baseline_loads(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"tool": "fazhi-audit", "version": 1, "reports": {"r\\\\a.txt": {"score": 55.5, "findings": [{"fingerprint": "ab", "rule": "x"}]}}}', encoding="utf-8")
    baseline = load_baseline(path)
    assert isinstance(baseline, Baseline) and len(baseline) == 1
    assert list(baseline.reports) == ["r/a.txt"] and baseline.reports["r/a.txt"].score == 55.5


def test_fail_under_only_fails_a_report_that_got_worse(auditor, strict, project):
    known = strict.audit_path("reports/liuxi.txt")
    assert known.score < 80 and not known.passed  # the gate alone would fail it
    baseline = create([known], "fazhi-baseline.json")

    same = strict.audit_path("reports/liuxi.txt")
    apply_baseline(baseline, [same])
    assert same.passed  # known-weak, not worse

    # Drop the decision sentence: only warnings are added, but the score falls below the recorded one.
    text = _edit(TOWN, "全年重大事项12项均经镇法律顾问合法性审查，由镇党政联席会议集体讨论决定。", "全年召开党政联席会议24次。")
    worse = strict.audit_text(text, "reports/liuxi.txt")
    assert worse.score < known.score
    assert all(f.severity != "error" for f in problems(worse))
    outcome = apply_baseline(baseline, [worse])
    assert outcome.new > 0 and not worse.passed

    # Below the recorded score but at or above the threshold: passes.
    lenient = replace(auditor.audit_text(text, "reports/liuxi.txt"), fail_under=worse.score)
    apply_baseline(baseline, [lenient])
    assert lenient.passed

    # Better than recorded but still under the threshold: passes.
    better = strict.audit_text(_edit(TOWN, "（四）化解", "（三）化解"), "reports/liuxi.txt")
    assert known.score < better.score < 80
    apply_baseline(baseline, [better])
    assert better.passed

    # A report not in the baseline is held to the threshold itself.
    newcomer = strict.audit_text(TOWN, "reports/other.txt")
    apply_baseline(baseline, [newcomer])
    assert not newcomer.passed and all(not f.baselined for f in newcomer.findings)


def test_apply_is_repeatable(auditor, project):
    """Applying another baseline resets earlier marks."""
    result = auditor.audit_path("reports/liuxi.txt")
    full = create([result], "fazhi-baseline.json")
    apply_baseline(full, [result])
    assert all(f.baselined for f in problems(result))
    empty = Baseline(os.path.join(str(project), "empty.json"))
    outcome = apply_baseline(empty, [result])
    assert outcome.new == len(problems(result)) and not any(f.baselined for f in result.findings)
