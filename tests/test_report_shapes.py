"""Reports as they really come (issue 18), on invented texts worded unlike the shapes corpus.

Each test builds its own report: parts named after the tasks of the 纲要,
unnumbered topic lines, 第X部分 over 一、, a part joining problems and plans,
reports without a title line, the signature block, fuzzy near misses on a
long shared prefix, and headings and quotes shown as written.
"""

from __future__ import annotations

import pytest

from fazhi_audit.model.fingerprint import problem_key
from fazhi_audit.model.result import Evidence, Finding, ItemResult
from fazhi_audit.text.document import parse_document

BODY = "白沙县人民政府"
TITLE = f"{BODY}关于2023年度法治政府建设情况的报告"
OPENING = "2022年，我县在全市法治政府建设考核中名列第四。本年度，县政府坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下。"
SIGNATURE = [BODY, "2024年1月12日"]

TOPIC_PARTS = [
    "一、着力转变政府职能，营商环境持续优化",
    "全年取消和下放行政许可事项12项，办理“证照分离”改革事项3400件，新增市场主体2100户。",
    "二、坚持科学民主依法决策，决策质量不断提高",
    "全年作出重大行政决策5项，均向社会公开征求意见，召开专家论证会4场，开展社会稳定风险评估5次，经县司法局合法性审查后提交县政府常务会议集体讨论决定。",
    "三、聚焦规范执法行为，执法公信力明显增强",
    "全县行政执法部门在政府网站公示执法主体和执法结果，公示行政处罚信息1300条；执法人员配备执法记录仪260台，对现场执法全过程音像记录；对拟作出的吊销许可证等重大执法决定，由法制审核人员在决定前进行审核，全年审核45件。",
    "四、畅通群众诉求渠道，化解纠纷有力有效",
    "全年收到行政复议申请52件，受理47件，不予受理5件；调处各类纠纷1800件，调解成功率97%。",
]
TAIL = [
    "五、存在的问题",
    "一是部分乡镇执法力量薄弱；二是规范性文件清理不及时。究其原因，主要是基层法治工作人员配备不足。",
    "六、2024年工作安排",
    "（一）完善决策制度。",
    "（二）加强执法培训。",
]


def _text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _topic_report(title: bool = True, signature: bool = True) -> str:
    head = [TITLE] if title else []
    return _text(*head, OPENING, *TOPIC_PARTS, *TAIL, *(SIGNATURE if signature else []))


@pytest.fixture(scope="module")
def vocab(auditor):
    return auditor.ruleset.vocab


def _kinds(doc) -> list[str]:
    return doc.kinds()


def _items(result, rule: str) -> dict[str, bool]:
    finding = next(f for f in result.findings if f.rule == rule)
    return {i.name: i.found for i in finding.items}


# --- class 1: topic-organised achievements ---------------------------------------


def test_parts_named_after_tasks_are_achievements_and_their_elements_count(auditor, vocab):
    doc = parse_document(_topic_report(), vocab)
    assert _kinds(doc) == ["achievements"] * 4 + ["shortcomings", "plans"]
    result = auditor.audit_text(_topic_report())
    assert all(_items(result, "decision.five-step").values())
    assert all(_items(result, "enforcement.three-systems").values())


def test_a_heading_without_a_task_phrase_is_achievements_when_its_part_reports_work_done(vocab):
    text = _text(TITLE, OPENING, "一、围绕中心服务大局，各项工作扎实推进",
                 "全年审核合同协议86份，办理群众来信来访230件，组织集中培训6期。", *TAIL)
    assert _kinds(parse_document(text, vocab))[0] == "achievements"


def test_a_task_slogan_with_a_problem_word_over_work_done_is_achievements(vocab):
    text = _text(TITLE, OPENING, "一、化解矛盾纠纷，解决群众急难愁盼问题",
                 "全年调处矛盾纠纷1800件，办理群众来信来访420件，调解成功率97%。", *TAIL)
    assert _kinds(parse_document(text, vocab)) == ["achievements", "shortcomings", "plans"]


def test_a_task_slogan_with_a_plan_word_over_work_done_is_achievements(vocab):
    text = _text(TITLE, OPENING, "一、聚焦重点任务，营商环境持续优化",
                 "全年办理政务服务事项12万件，持续推进“一网通办”，新增市场主体2100户。", *TAIL)
    assert _kinds(parse_document(text, vocab)) == ["achievements", "shortcomings", "plans"]


def test_suggestions_and_a_part_without_reported_work_stay_extra(vocab):
    text = _text(TITLE, OPENING, *TOPIC_PARTS, *TAIL, "七、有关意见建议", "建议上级加强对基层执法人员的培训指导。")
    assert _kinds(parse_document(text, vocab))[-1] == "extra"


def test_first_responsible_topic_placed_first_breaks_the_order(auditor):
    text = _text(TITLE, OPENING, "一、“一把手”亲自抓，法治建设责任层层压实", "县长全年主持召开常务会议专题研究法治建设4次。", *TOPIC_PARTS[2:], *TAIL)
    result = auditor.audit_text(text)
    assert [s.kind for s in result.sections][:2] == ["first_responsible", "achievements"]
    order = next(f for f in result.findings if f.rule == "structure.section-order")
    assert order.status != "pass"


# --- class 2: unnumbered topic headings ------------------------------------------


def test_unnumbered_topic_lines_head_achievements_parts(vocab):
    text = _text(
        "红石乡2023年度法治政府建设工作报告",
        "2023年，红石乡在县委、县政府领导下，认真落实法治政府建设各项任务，现报告如下。",
        "强化学法用法 提升依法履职能力",
        "乡党委理论学习中心组开展专题学法4次，组织乡村干部参加法律知识考试，参考率100%，全体干部参学人数达86人。",
        "规范议事决策 推动程序落实到位",
        "修订乡政府议事规则，全年乡政府作出重大事项决策2项，均经乡法律顾问合法性审查。",
        "存在的不足",
        "一是执法人员少；二是普法形式单一。",
        "2024年工作打算",
        "一是加强执法队伍建设；二是创新普法形式。",
    )
    doc = parse_document(text, vocab)
    assert _kinds(doc) == ["achievements", "achievements", "shortcomings", "plans"]
    assert [s.title for s in doc.sections if s.kind == "achievements"] == ["强化学法用法 提升依法履职能力", "规范议事决策 推动程序落实到位"]


# --- class 3: combined and renamed parts -----------------------------------------


def test_part_numbering_over_cn_headings(vocab):
    text = _text(
        TITLE, OPENING,
        "第一部分　2023年法治政府建设主要举措和成效",
        "一、深化放管服改革",
        "全年办理政务服务事项12万件。",
        "二、规范行政执法",
        "全年办理行政处罚案件640件。",
        "第二部分　存在的不足和原因",
        "执法力量不足，原因在于编制有限。",
        "第三部分　县长履行推进法治建设第一责任人职责情况",
        "县长主持召开常务会议研究法治建设4次。",
        "第四部分　2024年主要安排",
        "完善行政执法协调监督体系。",
        "第五部分　其他需要报告的情况",
        "无。",
    )
    doc = parse_document(text, vocab)
    assert _kinds(doc) == ["achievements", "shortcomings", "first_responsible", "plans", "other"]
    assert {h.level for h in doc.headings if h.style == "cn"} == {2}


def test_a_part_joining_problems_and_plans_is_one_part_of_the_first_kind(vocab):
    text = _text(TITLE, OPENING, *TOPIC_PARTS, "五、存在的问题和下一步打算", "（一）存在的问题", "执法力量不足。", "（二）下一步打算", "加强执法培训。")
    doc = parse_document(text, vocab)
    last = doc.sections[-1]
    assert (last.kind, last.combined) == ("shortcomings", ("shortcomings", "plans"))
    assert last.holds("plans")
    kinds = {s.text: s.kind for s in doc.sentences if s.section == len(doc.sections) - 1}
    assert (kinds["执法力量不足。"], kinds["加强执法培训。"]) == ("shortcomings", "plans")


def test_one_paragraph_listing_problems_then_plans(auditor, vocab):
    text = _text(TITLE, OPENING, *TOPIC_PARTS, "五、存在的问题及下步打算",
                 "一是执法力量不足；二是普法形式单一。下一步，我县将完善行政执法协调监督体系，6月底前完成执法人员轮训。", *SIGNATURE)
    doc = parse_document(text, vocab)
    kinds = [(s.text[:5], s.kind) for s in doc.sentences if s.section == len(doc.sections) - 1 and s.index != doc.sections[-1].start]
    assert kinds == [("一是执法力", "shortcomings"), ("二是普法形", "shortcomings"), ("下一步,我", "plans")]
    result = auditor.audit_text(text)
    required = next(f for f in result.findings if f.rule == "structure.required-sections")
    assert {i.name: i.found for i in required.items}[auditor.ruleset.vocab.label("plans")] is True


def test_full_width_dot_before_a_year_is_a_part_marker(vocab):
    text = _text(TITLE, OPENING, *TOPIC_PARTS, "五．存在的不足", "执法力量不足。", "六．2024年工作打算", "加强执法培训。")
    assert _kinds(parse_document(text, vocab))[-2:] == ["shortcomings", "plans"]


# --- class 4 and 5: no title line, the signature block ---------------------------


def test_without_a_title_year_and_body_come_from_the_signature(vocab):
    doc = parse_document(_topic_report(title=False), vocab)
    assert doc.meta.title is None
    assert (doc.meta.year, doc.meta.year_from) == (2023, "signature")  # not 2022, the ranking in the opening
    assert doc.meta.body == BODY


def test_without_title_or_signature_the_plans_name_the_next_year(vocab):
    doc = parse_document(_topic_report(title=False, signature=False), vocab)
    assert (doc.meta.year, doc.meta.year_from) == (2023, "plans")


def test_without_title_or_signature_the_achievements_heading_names_the_year(vocab):
    text = _text("一、某局2025年推进法治政府建设的主要举措和成效", "全年办理行政处罚案件41件。按时向县政府报送2024年度法治政府建设情况报告。",
                 "二、存在的不足", "执法力量不足。", "三、2026年推进法治政府建设的工作计划", "加强执法培训。")
    doc = parse_document(text, vocab)
    assert (doc.meta.year, doc.meta.year_from) == (2025, "heading")  # not 2024, last year's report sent this year


def test_a_sub_heading_with_an_earlier_year_does_not_name_the_report_year(vocab):
    text = _text("一、主要举措和成效", "1.2023年度督察反馈问题整改工作情况", "全年办理行政处罚案件41件。", "二、存在的不足", "执法力量不足。",
                 "三、2025年工作计划", "加强执法培训。")
    assert (parse_document(text, vocab).meta.year, parse_document(text, vocab).meta.year_from) == (2024, "plans")


def test_plans_headings_with_longer_wording_still_name_the_next_year(vocab):
    text = _text("一、主要举措和成效", "全年办理行政处罚案件41件。", "二、存在的不足", "执法力量不足。", "三、2026年推进法治政府建设的工作计划", "加强执法培训。")
    assert (parse_document(text, vocab).meta.year, parse_document(text, vocab).meta.year_from) == (2025, "plans")


def test_the_period_stated_in_the_opening(vocab):
    text = _text("2023年以来，县政府认真贯彻落实法治政府建设各项部署，现将有关情况报告如下。", *TOPIC_PARTS[:2], "二、存在的不足", "执法力量不足。")
    doc = parse_document(text, vocab)
    assert (doc.meta.year, doc.meta.year_from) == (2023, "period")


def test_a_signature_late_in_the_year_signs_that_years_report(vocab):
    text = _text(OPENING, *TOPIC_PARTS, *TAIL, BODY, "2023年12月20日")
    assert parse_document(text, vocab).meta.year == 2023


def test_same_verdict_with_and_without_the_title_line(auditor):
    with_title = auditor.audit_text(_topic_report(title=True))
    without = auditor.audit_text(_topic_report(title=False))
    assert (without.body, without.year) == (with_title.body, with_title.year)
    assert without.profile.name == with_title.profile.name
    verdicts = lambda r: {f.rule: (f.status, f.scored, tuple(i.found for i in f.items)) for f in r.findings}
    title_rules = {f.rule for f in with_title.findings if any(i.evidence and i.evidence.section == "title" for i in f.items)}
    assert {k: v for k, v in verdicts(without).items() if k not in title_rules} == {k: v for k, v in verdicts(with_title).items() if k not in title_rules}
    assert without.passed == with_title.passed


def test_the_signature_is_no_part_text_and_no_plan_item(auditor, vocab):
    doc = parse_document(_topic_report(), vocab)
    signature = doc.meta.signature_lines
    assert [doc.lines[i].text for i in signature] == SIGNATURE
    assert all(doc.kind_at(i) == "signature" for i in signature)
    assert not any(s.index in signature for s in doc.sentences)
    result = auditor.audit_text(_topic_report())
    vague = next(f for f in result.findings if f.rule == "quality.vague-plans")
    assert [i.found for i in vague.items] == [False, False]  # the date did not make the last plan specific


# --- class 6: near misses on a long shared prefix --------------------------------


def test_a_long_shared_prefix_is_not_a_slip(auditor):
    text = _text(TITLE, OPENING, "一、推进严格规范公正文明执法", "全面落实行政执法“三项制度”，全年办理行政处罚案件640件，行政执法公信力进一步提升。", *TAIL)
    assert _items(auditor.audit_text(text), "enforcement.three-systems") == {"行政执法公示": False, "执法全过程记录": False, "重大执法决定法制审核": False}


def test_a_slip_at_the_end_before_a_figure_still_counts(auditor):
    text = _text(TITLE, OPENING, "一、坚持科学民主依法决策", "全年作出重大行政决策3项，均组织专家论正4次。", *TAIL)
    assert _items(auditor.audit_text(text), "decision.five-step")["专家论证"] is True


# --- class 8: verbatim headings and quotes ---------------------------------------


def test_headings_and_quotes_are_shown_as_written(auditor):
    text = _text(TITLE, OPENING, "一、着力转变政府职能，营商环境持续优化", "（三），深化改革。全年办理“证照分离”改革事项3400件。", *TAIL)
    result = auditor.audit_text(text)
    assert result.sections[0].heading == "一、着力转变政府职能，营商环境持续优化"
    shown = [i.evidence.text for f in result.findings for i in f.items if i.evidence]
    assert "（三），深化改革" in shown  # the numbering defect, as written
    assert "究其原因，主要是基层法治工作人员配备不足。" in shown
    assert not any("," in text for text in shown)


def test_the_baseline_key_does_not_depend_on_how_a_quote_is_shown():
    def key(text: str):
        return problem_key(Finding("r", "t", "warning", "fail", "m", items=[ItemResult("x", False, Evidence(text, 1, "plans", 100.0, ""))]))

    assert key("（一）完善决策程序，全年3项。") == key("(一)完善决策程序,全年3项。")


# --- class 7: the outline of the report's own year -------------------------------


def test_an_untitled_2019_report_is_read_against_its_own_outline(auditor):
    text = _text(
        "2018年，我乡在全县法治建设考核中获得优秀等次。本年度，乡党委、乡政府深入实施“七五”普法规划，按照“十三五”规划要求推进依法行政。",
        "一、依法全面履行政府职能，简政放权不断深化",
        "全年清理乡级权力清单事项46项，便民服务中心办理事项5200件。",
        "二、依法有效化解社会矛盾纠纷，基层平安稳定",
        "全年调处矛盾纠纷180件，调解成功率98%。",
        "三、存在的问题",
        "执法力量不足。",
        "四、2020年工作打算",
        "做好“七五”普法总结验收。",
        "青石乡人民政府",
        "2020年1月8日",
    )
    result = auditor.audit_text(text)
    assert (result.year, result.outline, result.body) == (2019, "2015-2020", "青石乡人民政府")
    status = {f.rule: f.status for f in result.findings}
    assert status["meta.outdated-reference"] == "pass"  # 七五普法 and 十三五 were current in 2019
    assert status["meta.submission-deadline"] == "pass"  # signed in time for a 2019 report, not late for 2018
    coverage = next(f for f in result.findings if f.rule == "outline.coverage")
    assert "依法全面履行政府职能" in {i.name for i in coverage.items if i.found}


# --- found after measuring the unseen reports ------------------------------------


def test_a_firms_risk_assessment_is_no_decision_step_but_a_decisions_is(auditor):
    firm = _text(TITLE, OPENING, "一、统筹环境监管，生态安全底线牢固", "督促辖区30家企业完成突发环境事件风险评估并修订应急预案，全年检查企业210家次。", *TAIL)
    assert _items(auditor.audit_text(firm), "decision.five-step")["风险评估"] is False
    matter = _text(TITLE, OPENING, "一、规范重大事项决策", "全年作出决策3项；对农贸市场迁建事项开展风险评估，评估其对周边秩序的影响。", *TAIL)
    assert _items(auditor.audit_text(matter), "decision.five-step")["风险评估"] is True


def test_a_document_named_a_plan_plans_nothing(vocab):
    text = _text(TITLE, OPENING, "一、党建统领强根基，法治建设全面起势",
                 "制定《白沙县2023年法治建设工作计划》，明确重点任务18项，全年召开专题会议3次。", *TAIL)
    assert _kinds(parse_document(text, vocab))[0] == "achievements"


def test_the_title_is_shown_as_written(auditor):
    title = "中共白沙县委　白沙县人民政府关于2023年度法治政府建设情况的报告"
    result = auditor.audit_text(_text(title, OPENING, *TOPIC_PARTS, *TAIL))
    assert (result.title, result.body) == (title, "白沙县")


def test_a_title_without_its_year_takes_the_year_from_the_signature(vocab):
    doc = parse_document(_text(f"{BODY}法治政府建设情况报告", OPENING, *TOPIC_PARTS, *TAIL, *SIGNATURE), vocab)
    assert (doc.meta.year, doc.meta.year_from, doc.meta.body) == (2023, "signature", BODY)
