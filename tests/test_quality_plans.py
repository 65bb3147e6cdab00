"""quality.vague-plans and quality.unanswered-shortcomings: the plans part against stock phrases and against the problems."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

import pytest
import yaml
from conftest import ROOT

from fazhi_audit.checks.part_items import split_items

VAGUE = "quality.vague-plans"
UNANSWERED = "quality.unanswered-shortcomings"
HOLDOUT = yaml.safe_load((ROOT / "tests" / "fixtures" / "quality_plans_holdout.yaml").read_text(encoding="utf-8"))["reports"]
CORPUS = ROOT / "tests" / "quality_corpus"
LABELS = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["reports"]


def report(shortcomings: str, plans: str) -> str:
    return (
        "某县司法局2024年度法治政府建设情况报告\n一、主要举措和成效\n全年办理法律援助案件86件。\n"
        f"二、存在的不足和原因\n{shortcomings}\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n局长年终述法。\n"
        f"四、2025年工作安排\n{plans}\n五、其他需要报告的情况\n无。\n"
    )


def run_rule(auditor, rule_id: str, text: str, **params):
    rule = auditor.ruleset.get(rule_id)
    if params:
        rule = replace(rule, params=replace(rule.params, **params))
    doc = auditor.parse(text, "x.txt")
    [f] = rule.rule_type.check(rule, doc, auditor.context)
    return f


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# --- items of a part ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plans,how,count",
    [
        ("（一）加强执法监督。年内开展专项监督2次。\n（二）做好行政复议工作。增配复议人员3名。", "heading", 2),
        ("一是加强执法监督；二是做好行政复议工作；三是用好法律明白人。", "inline", 3),
        ("下一步，我局将做好以下工作：一是加强执法监督；二是做好行政复议工作。", "inline", 2),
        ("加强执法监督。做好行政复议工作。用好法律明白人。", "sentence", 3),
    ],
)
def test_the_plans_part_splits_into_items(auditor, plans, how, count):
    items, found_how = split_items(auditor.parse(report("执法力量不足。", plans), "x.txt"), "plans")
    assert (found_how, len(items)) == (how, count)


def test_a_heading_item_keeps_the_text_below_it(auditor):
    items, _ = split_items(auditor.parse(report("执法力量不足。", "（一）加强执法监督\n年内开展专项监督2次。\n（二）做好复议工作\n增配人员。"), "x.txt"), "plans")
    assert [i.title for i in items] == ["加强执法监督", "做好复议工作"]
    assert "专项监督2次" in items[0].text and "专项监督" not in items[1].text


# --- vague plans ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "item,kind",
    [
        ("持续推进执法规范化，年内开展专项执法监督2次。", "数字"),
        ("进一步加强乡镇司法所建设，6月底前完成人员配备。", "期限"),
        ("进一步加强执法监督，每季度开展案卷抽查。", "期限"),
        ("深入开展法治督察，由县司法局牵头组织实施。", "责任单位"),
        ("深入开展普法，会同县教育局推进法治进校园。", "责任单位"),
        ("持续推进依法决策，制定《重大行政决策程序规定》。", "具体对象"),
        ("持续推进互联网+监管，依托省行政执法综合管理监督平台推行网上办案。", "具体对象"),
    ],
)
def test_each_kind_of_concrete_marker_makes_an_item_concrete(auditor, item, kind):
    f = run_rule(auditor, VAGUE, report("执法力量不足。", f"（一）{item}"))
    assert f.status == "pass" and f.items[0].found and kind in f.items[0].note


@pytest.mark.parametrize(
    "item",
    [
        "进一步加强组织领导，持续推进法治政府建设，不断完善工作机制。",
        "建立健全法律顾问制度，不断提高依法决策水平。",  # 建立健全…制度 is stock wording, not a named system
        "深入推进新一轮法治政府建设，全面落实行政执法“三项制度”。",  # 新一轮, 三项制度: names, not numbers
        "依托信息化平台提升执法效能。",  # a platform without a name
        "做到年初有部署、年中有检查、年底有考核。",
    ],
)
def test_stock_phrases_are_not_concrete(auditor, item):
    f = run_rule(auditor, VAGUE, report("执法力量不足。", f"（一）{item}\n（二）{item}"))
    assert f.status == "fail" and not any(i.found for i in f.items)


def test_the_message_states_the_concrete_share_and_the_threshold_is_data(auditor):
    plans = "（一）进一步加强组织领导。\n（二）持续推进依法行政。\n（三）由县司法局牵头，年内完成乡镇执法人员轮训。"
    f = run_rule(auditor, VAGUE, report("执法力量不足。", plans))
    assert f.status == "fail" and "1/3 项" in f.message and "33%" in f.message and f.value == pytest.approx(1 / 3, abs=1e-3)
    assert [i.found for i in f.items] == [False, False, True]
    assert f.items[0].evidence.line == 9 and "进一步加强" in f.items[0].note
    assert run_rule(auditor, VAGUE, report("执法力量不足。", plans), min_share=0.3).status == "pass"


def test_without_a_plans_part_vague_plans_is_not_scored(auditor):
    text = "某县司法局2024年度法治政府建设情况报告\n一、主要举措和成效\n全年办理法律援助案件86件。\n二、存在的不足和原因\n执法力量不足。\n"
    f = run_rule(auditor, VAGUE, text)
    assert not f.scored and "未找到" in f.message


# --- unanswered shortcomings ------------------------------------------------------------------


def test_one_item_per_unanswered_problem_with_its_sentence(auditor):
    f = run_rule(auditor, UNANSWERED, report(
        "一是执法装备和电子取证能力不足；二是普法形式较为单一；三是部分村干部法治意识不强。",
        "（一）不断创新普法方式。\n（二）深入推进依法行政，不断提高依法决策水平。"))
    flagged = [i for i in f.items if not i.found]
    assert f.status == "partial" and len(flagged) == 2
    assert [i.evidence.text for i in flagged] == ["一是执法装备和电子取证能力不足；", "三是部分村干部法治意识不强。"]  # as written
    assert all(i.evidence.line == 5 and i.evidence.section == "shortcomings" for i in flagged)
    answered = next(i for i in f.items if i.found)
    assert answered.name == "普法形式较为单一" and "创新普法方式" in answered.note


def test_a_listed_cause_analysis_is_not_a_problem(auditor):
    f = run_rule(auditor, UNANSWERED, report(
        "一是普法形式较为单一。\n究其原因，主要在于一是经费保障不足；二是专业人才匮乏。",
        "（一）不断创新普法方式。"))
    assert f.status == "pass" and [i.name for i in f.items] == ["普法形式较为单一"]


def test_a_cause_inside_an_item_keeps_the_problem(auditor):
    f = run_rule(auditor, UNANSWERED, report(
        "一是合同管理不规范，原因是缺少示范文本；二是普法形式较为单一，原因是经费不足。",
        "（一）不断创新普法方式。"))
    assert [(i.name, i.found) for i in f.items] == [("合同管理不规范", False), ("普法形式较为单一", True)]


def test_the_introduction_to_the_problems_is_not_a_problem(auditor):
    f = run_rule(auditor, UNANSWERED, report(
        "我局法治政府建设虽然取得一定成效，但与上级要求相比仍有差距。执法人员持证率偏低。",
        "（一）组织执法人员参加资格考试，年内持证率达到95%。"))
    assert f.status == "pass" and [i.name for i in f.items] == ["执法人员持证率偏低"]


def test_stock_words_alone_do_not_answer_a_problem(auditor):
    f = run_rule(auditor, UNANSWERED, report("（一）村级财务管理不够规范。部分村存在白条入账。", "（一）深入推进依法行政，切实加强法治政府建设，不断提升管理水平。"))
    assert f.status == "fail" and not f.items[0].found and "“财务”" in f.items[0].note  # 村级 is a level, not what the problem is about


def test_without_shortcomings_or_plans_the_rule_is_not_scored(auditor):
    no_plans = "某县司法局2024年度法治政府建设情况报告\n一、主要举措和成效\n全年办理法律援助案件86件。\n二、存在的不足和原因\n执法力量不足。\n"
    assert not run_rule(auditor, UNANSWERED, no_plans).scored
    no_problems = report("无。", "（一）加强执法监督。")
    assert not run_rule(auditor, UNANSWERED, no_problems).scored


# --- labelled reports ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", HOLDOUT, ids=[c["name"] for c in HOLDOUT])
def test_holdout_reports(auditor, case):
    result = auditor.audit_text(case["text"], "holdout.txt")
    vague = next(f for f in result.findings if f.rule == VAGUE)
    assert (vague.status == "fail") == case["vague"], vague.message
    unanswered = next(f for f in result.findings if f.rule == UNANSWERED)
    flagged = [i.evidence.text for i in unanswered.items if not i.found]
    for problem in case["problems"]:
        hits = [t for t in flagged if norm(problem["text"]) in norm(t)]
        assert bool(hits) != problem["answered"], problem["text"]
    labelled = [norm(p["text"]) for p in case["problems"]]
    assert all(any(lab in norm(t) for lab in labelled) for t in flagged), "a flagged problem that is not labelled"


@pytest.mark.parametrize("name", sorted(LABELS))
def test_corpus_labels(auditor, name):
    """As benchmarks/quality.py pairs them: a flagged problem quotes the labelled text, or sits on its line
    without quoting another labelled text of that line."""
    labels = LABELS[name]["checks"]
    result = auditor.audit_path(CORPUS / "reports" / name)
    vague = next(f for f in result.findings if f.rule == VAGUE)
    assert (vague.status == "fail") == labels[VAGUE]["fails"]
    flagged = [i.evidence for f in result.findings if f.rule == UNANSWERED for i in f.items if not i.found]
    defects = labels[UNANSWERED]["defects"]
    near = [n for n in LABELS[name]["near_misses"] if n["check"] == UNANSWERED]
    others = {id(x): [norm(y["text"]) for y in defects + near if y is not x and y["line"] == x["line"]] for x in defects + near}

    def quotes(ev, label) -> bool:
        text = norm(ev.text)
        return norm(label["text"]) in text or (ev.line == label["line"] and not any(o in text for o in others[id(label)]))

    assert len(flagged) == len(defects)
    for defect in defects:
        assert any(quotes(ev, defect) for ev in flagged), defect["text"]
    for miss in near:
        assert not any(norm(miss["text"]) in norm(ev.text) for ev in flagged), miss["text"]


def test_a_negating_prefix_stays_on_its_word(auditor):
    from fazhi_audit.checks.keys import word_forms
    from fazhi_audit.checks.types.unanswered_shortcomings import key_words

    rule = auditor.ruleset.get(UNANSWERED)
    words = key_words("非现场执法手段欠缺", rule.params, auditor.context)
    assert "非现场" in words and "现场" not in words
    assert "现场" not in word_forms("非现场", (), ())  # its last two characters would say the opposite


def test_synonyms_put_in_make_two_wordings_of_one_thing_read_alike():
    from fazhi_audit.checks.keys import canonical_words

    groups = (("欠薪", "拖欠工资", "工资"), ("追讨", "讨回"))
    assert canonical_words("讨回拖欠工资", groups) == canonical_words("追讨欠薪", groups) == "追讨欠薪"
    # a word put in is not replaced again: 执法证 becomes 执法证件, whose 证件 belongs to another group
    assert canonical_words("执法证", (("执法证件", "执法证"), ("证照", "证件"))) == "执法证件"
