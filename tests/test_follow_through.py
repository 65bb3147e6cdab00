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


def _statuses(tmp_path, plans: str, account: str) -> dict[str, str]:
    """Last year's plans part and this year's account of work -> {plan name: status}."""
    previous, current = tmp_path / "prev.txt", tmp_path / "cur.txt"
    previous.write_text("某县人民政府关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政复议案件52件。\n"
                        f"四、2024年工作安排\n{plans}\n", encoding="utf-8")
    current.write_text(f"某县人民政府关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n{account}\n"
                       "四、2025年工作安排\n（一）持续深化法治政府建设。\n", encoding="utf-8")
    return {i["name"]: i["status"] for i in _finding(_check(str(current), "--previous", str(previous)))["items"]}


def test_a_figure_short_of_the_target_or_over_a_ceiling_is_partly(tmp_path):
    got = _statuses(tmp_path, "（一）完成全县执法人员全员轮训，每人不少于40学时。\n（二）行政许可审批时限压缩至15个工作日。",
                    "全县执法人员全部参加轮训，人均培训32学时。行政许可平均审批时限由30个工作日压缩至20个工作日。")
    assert set(got.values()) == {"partly"}, got


def test_a_figure_meeting_the_target_is_done_even_beside_a_smaller_one(tmp_path):
    got = _statuses(tmp_path, "（一）组织全体社区工作者法律知识培训，覆盖全部156名社区工作者。",
                    "156名社区工作者全部参加法律知识培训，另将82名专职网格员纳入培训范围。")
    assert list(got.values()) == ["done"], got


def test_rates_of_different_things_are_not_compared(tmp_path):
    got = _statuses(tmp_path, "（一）推行跨部门联合抽查，联合抽查占比达到30%。",
                    "会同9个部门开展跨部门联合抽查，抽查发现问题企业整改率为20%。")
    assert list(got.values()) == ["done"], got


def test_a_named_document_enacted_accounts_for_part_of_a_plan_worded_otherwise(tmp_path):
    got = _statuses(tmp_path, "（一）出台《某县行政规范性文件管理办法》，建立规范性文件动态清理机制。",
                    "《某县行政规范性文件管理办法》经县政府常务会议审议通过，自9月1日起施行。")
    assert list(got.values()) == ["partly"], got


def test_a_recurring_term_that_only_qualifies_the_planned_thing_does_not_account_for_it(tmp_path):
    got = _statuses(tmp_path, "（一）实现全县12个乡镇公共法律服务工作站全覆盖。",
                    "县公共法律服务热线全年接听法律咨询9600余个。")
    assert list(got.values()) == ["unaccounted"], got


def test_done_under_a_synonym_from_the_pack_table(tmp_path):
    # 规则/办法 and 制定/印发 are groups of rules/vocab/synonyms.yaml
    got = _statuses(tmp_path, "（一）制定县政府重大事项集体决策议事规则。",
                    "印发《县政府“三重一大”事项集体决策实施办法》，明确议题提交、审议和表决程序。")
    assert list(got.values()) == ["done"], got


def test_a_reason_after_a_heading_sentence_makes_the_plan_explained(tmp_path):
    got = _statuses(tmp_path, "（一）开展民主法治示范村创建，争创市级示范村1个。",
                    "4.开展民主法治创建。东坪村申报市级民主法治示范村，因市里暂停本年度评选，评审改在下一年度进行。")
    assert list(got.values()) == ["explained"], got


def test_a_plan_naming_its_object_is_listed_without_a_figure_but_a_standing_duty_is_not(tmp_path):
    got = _statuses(tmp_path, "（一）与县人民检察院会签行政执法与检察公益诉讼协作意见。\n（二）持续推进水利法治宣传教育，营造良好水事秩序。",
                    "全年办理行政执法案件56件。")
    assert list(got.values()) == ["unaccounted"] and "协作意见" in next(iter(got)), got


def test_a_quoted_name_with_a_reason_makes_the_plan_explained(tmp_path):
    got = _statuses(tmp_path, "（一）在商业街建设“法治街区”，设置法治宣传牌和法律服务点。",
                    "原计划在商业街建设的“法治街区”，因立面改造工程整体延期，顺延至下一年度实施。")
    assert list(got.values()) == ["explained"], got
