"""quality.follow-through through the command line: last year's plans judged against this year's report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from command import fazhi_audit

CORPUS = Path(__file__).resolve().parent / "followthrough_corpus"
RULE = "quality.follow-through"


def _check(*args: str) -> dict:
    done = fazhi_audit("check", *args, "--format", "json", "--exit-zero", "--no-config", env={"NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["reports"][0]


def _finding(report: dict) -> dict:
    return next(f for f in report["findings"] if f["rule"] == RULE)


def test_without_previous_not_scored():
    f = _finding(_check(str(CORPUS / "reports" / "01_lingxi-county-2024.txt")))
    assert f["status"] == "pass" and not f["scored"]


def test_plans_get_a_status_and_evidence_from_this_year():
    report = _check(str(CORPUS / "reports" / "01_lingxi-county-2024.txt"), "--previous", str(CORPUS / "previous"))
    f = _finding(report)
    plans = [i for i in f["items"] if i.get("status") in ("done", "partly", "explained", "unaccounted")]
    assert len(plans) >= 5
    for item in plans:
        assert (item["evidence"] is None) == (item["status"] == "unaccounted")
        if item["evidence"]:
            assert item["evidence"]["section"] in ("preamble", "achievements", "first_responsible", "other")
    slogans = [i for i in plans if "进一步提高依法行政水平" in i["name"]]
    assert not slogans  # a plan with nothing to check is not listed


def test_relisted_plan_is_unaccounted(tmp_path):
    previous = tmp_path / "prev.txt"
    current = tmp_path / "cur.txt"
    previous.write_text("某镇人民政府关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n全年审查合同协议58份。\n"
                        "四、2024年工作安排\n（一）年内建成镇法治文化广场1处。\n（二）上半年完成12个村法律顾问聘任。\n", encoding="utf-8")
    current.write_text("某镇人民政府关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n上半年12个村全部完成法律顾问聘任。\n"
                       "四、2025年工作安排\n（一）年内建成镇法治文化广场1处。\n", encoding="utf-8")
    f = _finding(_check(str(current), "--previous", str(previous)))
    by_status = {i["status"]: i["name"] for i in f["items"]}
    assert f["status"] == "fail"
    assert "法治文化广场" in by_status["unaccounted"]
    assert "法律顾问" in by_status["done"]


def test_a_malformed_key_of_the_rule_file_names_file_and_line(tmp_path):
    # the type shares its synonym and overlap keys (checks/keys.py) and their wording with unanswered-shortcomings
    from fazhi_audit.base.errors import RuleFileError
    from fazhi_audit.engine.rulesets import default_rules_dir, load_rule

    text = (default_rules_dir() / f"{RULE}.yaml").read_text(encoding="utf-8")
    broken = tmp_path / f"{RULE}.yaml"
    broken.write_text(text.replace("min_overlap: 0.5", "min_overlap: 7"), encoding="utf-8")
    line = next(n for n, row in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("min_overlap"))
    with pytest.raises(RuleFileError) as caught:
        load_rule(broken)
    assert f":{line}" in str(caught.value) and "0–1" in str(caught.value)
