"""Content-quality checks (issue 12): contradictory figures, stale years, outdated references.

The rule examples (tests/test_rule_examples.py) cover what each rule reports
and what it must leave alone; here: the parsing underneath (figures, years,
subjects, periods), the rule data's validation, the finding's shape in JSON
and in the terminal, and the two real defects in the sample reports.
"""

from __future__ import annotations

import io
import math
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.checks.types import contradiction
from fazhi_audit.engine.audit import default_rules_dir
from fazhi_audit.model.result import ReportResult
from fazhi_audit.render.terminal import TerminalRenderer
from fazhi_audit.engine.rulesets import load_rule, load_ruleset
from fazhi_audit.text.document import parse_document
from fazhi_audit.text.figures import (
    Clauses,
    UnitTable,
    find_years,
    in_ranges,
    title_ranges,
)
from fazhi_audit.text.ingest.readers import read_path

ROOT = Path(__file__).resolve().parents[1]
RULESET = load_ruleset(default_rules_dir())
CONTRA = RULESET.get("quality.contradiction")
STALE = RULESET.get("meta.stale-year")
OUTDATED = RULESET.get("meta.outdated-reference")
UNITS = UnitTable((("件", "起"), ("人", "名"), ("人次",), ("处",), ("元",), ("%",), ("个",), ("家",)))


def _doc(auditor, body: str, title: str = "某县2024年度法治政府建设情况报告"):
    return auditor.parse(f"{title}\n一、主要举措和成效\n{body}\n")


def _failing(rule, doc, auditor):
    return [f for f in rule.rule_type.check(rule, doc, auditor.context) if f.status != "pass"]


# --- figures and years ------------------------------------------------------------


def test_figures_read_magnitude_units_and_ranges():
    found = {f.text: f for f in UNITS.find("罚款33.75万元,拆除违建50余处,培训1320人次,整改率98.6%,95%以上,调解成功率百分之百")}
    assert found["33.75万元"].value == 337500 and found["33.75万元"].unit == "元"
    assert (found["50余处"].low, found["50余处"].high) == (50, 60)
    assert found["1320人次"].unit == "人次"  # the longer measure word wins over 人
    assert found["98.6%"].low == found["98.6%"].high == 98.6
    assert found["95%"].low == 95 and math.isinf(found["95%"].high)
    assert found["百分之百"].value == 100 and found["百分之百"].unit == "%"


def test_a_thousands_mark_belongs_to_the_number_but_a_clause_comma_does_not():
    found = [(f.text, f.value) for f in UNITS.find("立案查处 | 1,284起;全县14个乡镇,284起;罚款1,234,567元")]
    assert found == [("1,284起", 1284), ("14个", 14), ("284起", 284), ("1,234,567元", 1234567)]


def test_synonym_units_share_one_name_and_ordinals_are_not_figures():
    assert [(f.value, f.unit) for f in UNITS.find("查处违法案件12起,第3件,培训120名")] == [(12, "件"), (120, "人")]


def test_overlap_tells_compatible_wordings_from_conflicting_ones():
    fifty_odd, six, fifty_six = (UNITS.find(t)[0] for t in ("50余处", "6处", "56处"))
    assert fifty_odd.overlaps(fifty_six) and not fifty_odd.overlaps(six)


def test_counts_written_out_in_characters_are_figures_but_ordinals_and_one_are_not():
    units = UnitTable((("次",), ("期",), ("人", "名"), ("项",)))
    found = [(f.text, f.value, f.unit) for f in units.find("法治培训八期;召开会议十二次;第三次会议;一次性告知;每两次;两名")]
    assert found == [("八期", 8, "期"), ("十二次", 12, "次"), ("两名", 2, "人")]
    # a name (三项制度, 二次复查) and the tail of a larger numeral (一百二十次) are not counts
    assert units.find("落实三项制度;开展二次复查;召开会议一百二十次;两千三百五十名") == []


def test_about_is_a_word_of_its_own_not_the_end_of_signing():
    about, signed, rules = (UNITS.find(t)[0] for t in ("约400件", "完成征收签约417件", "修订村规民约56件"))
    assert about.low < 400 < about.high
    assert signed.low == signed.high == 417  # 签约 ends in 约 and says nothing about precision
    assert rules.low == rules.high == 56


def test_years_in_digits_characters_and_ranges():
    years = find_years("召开2023年度会议,二〇二二年,实施《规划(2021—2025年)》,2019年—2020年")
    assert [(y.year, y.until) for y in years] == [(2023, None), (2022, None), (2021, 2025), (2019, 2020)]
    assert years[0].text == "2023年度"


def test_clause_and_title_positions():
    text = "全年收到申请158件,经审查受理146件;审议《2023年度工作要点》,《未闭合的标题"
    assert text[slice(*Clauses(text).span(text.index("146")))] == "经审查受理146件"
    titles = title_ranges(text)
    assert in_ranges(titles, text.index("2023")) and not in_ranges(titles, text.index("158"))
    assert in_ranges(titles, text.index("未闭合"))  # an unclosed title runs to the end


# --- contradiction: subjects, periods, pairs ----------------------------------------


def _mentions(auditor, body: str, title: str = "某县2024年度法治政府建设情况报告"):
    return {m.figure.text: m for m in contradiction.mentions_in(_doc(auditor, body, title), CONTRA.params)}


def test_subject_drops_period_words_fillers_and_verbs_of_degree(auditor):
    p = CONTRA.params
    assert contradiction.normalise_subject("全镇全年共调解矛盾纠纷", p) == "全镇调解矛盾纠纷"
    assert contradiction.normalise_subject("一是行政机关负责人出庭应诉率为", p) == "行政机关负责人出庭应诉率"
    assert contradiction.normalise_subject("推动重大事故隐患整改率达到", p) == "推动重大事故隐患整改率"


def test_a_bare_verb_takes_the_object_of_the_figure_before_it(auditor):
    found = _mentions(auditor, "全年收到行政复议申请158件。经审查受理146件,审结138件。")
    assert found["158件"].subject == "收到行政复议"  # 申请 is the generic noun a verb governs
    assert found["146件"].subject == "受理行政复议"
    assert found["138件"].subject == "审结行政复议"


def test_a_bare_rate_is_the_rate_of_what_the_figure_before_it_counted(auditor):
    found = _mentions(auditor, "调解组织全年调处矛盾纠纷185件,调解成功率97.3%。重大事故隐患整改率98.6%。")
    assert found["97.3%"].subject == "矛盾纠纷调解成功率"
    assert found["98.6%"].subject == "重大事故隐患整改率"  # nothing counted before it in its sentence


def test_a_figure_that_qualifies_a_noun_has_no_subject(auditor):
    found = _mentions(auditor, "县政府与14个乡镇签订责任书,全县14个乡镇中有5个乡镇开展培训6次。")
    # a size before its noun is at most a qualifying mention, never compared by the subject passes
    assert all(found[f].qualifying for f in ("14个", "5个") if f in found)


def test_period_is_the_nearest_period_word_in_the_clause_or_an_opening_clause(auditor):
    found = _mentions(auditor, "全年新增村级调解员24名,累计配备村级调解员156名。2021年以来,累计培育法律明白人412名。2024年办理行政处罚案件63件,其中一般程序案件18件。")
    assert found["24名"].period == "increment"
    assert found["156名"].period == "cumulative"
    assert found["412名"].period == "cumulative"
    assert found["63件"].period == "current"  # the report year is this year
    assert found["18件"].period == "partial:其中"


def test_an_earlier_year_is_a_period_of_its_own(auditor):
    found = _mentions(auditor, "2023年受理行政复议案件84件,2024年受理行政复议案件96件。")
    assert found["84件"].period == "year:2023" and found["96件"].period == "current"


def test_comparisons_targets_and_separate_lists_are_left_out(auditor):
    found = _mentions(auditor, "立案查处违法案件286件,较上年的241件增长18.7%。力争出庭应诉率达到100%。两局分别办理案件120件、86件。")
    assert set(found) == {"286件"}


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("调解矛盾纠纷", "调解矛盾纠纷", True),
        ("出具法律意见书", "街道法律顾问出具法律意见书", True),
        ("县长本人出庭应诉", "行政机关负责人出庭应诉", False),
        ("收到行政复议申请", "受理行政复议申请", False),
        ("出庭应诉", "负责人未出庭应诉", False),
        ("执法案卷评查优秀率", "乡镇执法案卷评查优秀率", False),
        ("审查合同", "全县审查合同", False),
    ],
)
def test_same_subject(a, b, same):
    qualifiers = contradiction.WordList.of(("乡镇", "全县"))
    assert contradiction.same_subject(a, b, qualifiers) is same


def test_one_finding_per_conflicting_pair_with_both_statements(auditor):
    doc = _doc(auditor, "全年受理行政复议案件146件。\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n全年受理行政复议案件139件,受理行政复议案件146件。")
    [f] = _failing(CONTRA, doc, auditor)
    assert [i.name for i in f.items] == ["第3行：146件", "第5行：139件"]
    assert [i.evidence.section for i in f.items] == ["achievements", "first_responsible"]
    assert all(not i.found and i.note for i in f.items)
    assert "“受理行政复议”146件（第3行）与139件（第5行）" in f.message
    data = f.to_json()
    assert data["status"] == "fail" and data["line"] == 3 and len(data["items"]) == 2
    assert {"text", "line", "section", "similarity", "match"} <= set(data["items"][1]["evidence"])


def test_terminal_shows_both_statements_of_a_contradiction(auditor):
    doc = _doc(auditor, "全镇全年共调解矛盾纠纷312件。\n全镇全年共调解矛盾纠纷298件。")
    result = ReportResult(path="x.txt", findings=_failing(CONTRA, doc, auditor), part_labels=auditor.ruleset.vocab.short_labels)
    out = io.StringIO()
    TerminalRenderer(Console(file=out, width=200, no_color=True)).render(result)
    text = out.getvalue()
    assert "第3行·主要举措和成效：【全镇全年共调解矛盾纠纷312件】" in text
    assert "第4行·主要举措和成效：【全镇全年共调解矛盾纠纷298件】" in text


def test_plans_are_out_of_scope_for_contradictions(auditor):
    doc = _doc(auditor, "出庭应诉率为96.3%。\n二、2025年工作安排\n年内实现出庭应诉率100%。")
    assert not _failing(CONTRA, doc, auditor)


# --- stale year and outdated reference ------------------------------------------------


def test_stale_year_needs_the_report_year(auditor):
    doc = auditor.parse("一、主要举措和成效\n召开2023年度推进会。")
    doc.meta.year = None
    [f] = STALE.rule_type.check(STALE, doc, auditor.context)
    assert f.status == "pass" and not f.scored


def test_stale_year_one_finding_per_leftover(auditor):
    doc = _doc(auditor, "年初召开2023年度推进会,印发《2023年普法工作要点》。较2023年增长9.6%。2023年以来累计培育412名。")
    found = _failing(STALE, doc, auditor)
    assert [f.items[0].name for f in found] == ["2023年度", "2023年"]
    assert all(f.items[0].evidence.section == "achievements" for f in found)


def test_outdated_reference_depends_on_the_report_year(auditor):
    text = "扎实推进“七五”普法规划实施。"
    assert len(_failing(OUTDATED, _doc(auditor, text, "某县2023年度法治政府建设情况报告"), auditor)) == 1
    assert not _failing(OUTDATED, _doc(auditor, text, "某县2019年度法治政府建设情况报告"), auditor)
    history = "在“七五”普法总结验收中获评全省先进集体。"
    assert not _failing(OUTDATED, _doc(auditor, history, "某县2023年度法治政府建设情况报告"), auditor)


# --- rule data is validated like every rule file -------------------------------------


def _edited_copy(tmp_path: Path, rule_id: str, old: str, new: str) -> Path:
    source = (default_rules_dir() / f"{rule_id}.yaml").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / f"{rule_id}.yaml"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return path


def test_unknown_period_class_names_its_line(tmp_path):
    path = _edited_copy(tmp_path, "quality.contradiction", "  increment:", "  sometimes:")
    with pytest.raises(RuleFileError) as err:
        load_rule(path)
    assert "sometimes" in str(err.value) and err.value.line is not None


def test_a_similarity_share_out_of_range_names_its_line(tmp_path):
    path = _edited_copy(tmp_path, "quality.contradiction", "  min: 0.4\n", "  min: 4\n")
    with pytest.raises(RuleFileError) as err:
        load_rule(path)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text == "  min: 4")
    assert "similarity.min" in str(err.value) and err.value.line == line


def test_supersession_year_must_be_a_year(tmp_path):
    path = _edited_copy(tmp_path, "meta.outdated-reference", "from_year: 2016", "from_year: 十三五以后")
    with pytest.raises(RuleFileError) as err:
        load_rule(path)
    assert "from_year" in str(err.value)


def test_a_pack_can_extend_the_supersession_table(tmp_path, auditor):
    pack = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), pack)
    path = pack / "meta.outdated-reference.yaml"
    text = path.read_text(encoding="utf-8")
    entry = '  - term: 八五普法\n    pattern: "八五[”\\"]?\\\\s*普法"\n    replaced_by: 新一轮普法规划\n    from_year: 2026\n'
    path.write_text(text.replace("superseded:\n", "superseded:\n" + entry), encoding="utf-8")
    rule = load_rule(path)
    doc = _doc(auditor, "深入实施“八五”普法规划。", "某镇2026年度法治政府建设情况报告")
    assert len(_failing(rule, doc, auditor)) == 1


# --- the sample reports ----------------------------------------------------------------


def _seed(auditor, prefix: str, rule):
    """The rule's failing findings on a sample report, read as `check` reads it."""
    path = next((ROOT / "seeds").glob(f"{prefix}_*.txt"))
    return _failing(rule, parse_document(read_path(path), auditor.ruleset.vocab, str(path)), auditor)


def test_seed_004_figures_for_the_same_office_and_year(auditor):
    found = _seed(auditor, "004", CONTRA)
    pairs = {tuple(i.evidence.match for i in f.items) for f in found}
    assert ("应急管理所立案处罚企业20家", "2023年应急管理所立案处罚企业23家") in pairs
    assert ("累计罚款金额33.75万元", "累计罚款金额54万元") in pairs


def test_seed_000_meeting_of_the_previous_year(auditor):
    found = _seed(auditor, "000", STALE)
    assert [f.items[0].evidence.match for f in found] == ["2024年普法工作部署会议"]
    assert found[0].items[0].evidence.section == "achievements"


@pytest.mark.parametrize("rule_id", ["quality.contradiction", "meta.stale-year", "meta.outdated-reference"])
def test_no_other_finding_on_the_sample_reports(auditor, rule_id):
    # the hand labels (tests/fixtures/seeds_gold.json) name only the two defects above
    rule = RULESET.get(rule_id)
    others = {"quality.contradiction": ("000", "001", "002", "003"), "meta.stale-year": ("001", "002", "003", "004")}
    for prefix in others.get(rule_id, ("000", "001", "002", "003", "004")):
        assert not _seed(auditor, prefix, rule), prefix


# --- wordings the rule examples do not use (written apart from the labelled corpus) ---------

WORDINGS = [
    ("quality.contradiction", 1, "全年共受理行政复议案件85件。县长听取汇报，全年受理行政复议案件88件。"),
    ("quality.contradiction", 1, "调解成功率98%。全镇矛盾纠纷调解成功率达98.5%。"),
    ("quality.contradiction", 1, "培育“法律明白人”216名。全镇共培育法律明白人261名。"),
    ("quality.contradiction", 1, "法律援助中心全年办理法律援助案件468件。全年办理法律援助案件486件。"),
    ("quality.contradiction", 0, "全县制发行政规范性文件23件。县政府制发行政规范性文件7件。"),
    ("quality.contradiction", 0, "全年行政复议申请158件。办理行政复议案件146件。"),
    ("quality.contradiction", 0, "上半年办理行政处罚案件60件，全年办理行政处罚案件132件。"),
    ("quality.contradiction", 0, "一季度受理群众投诉40件，二季度受理群众投诉52件。"),
    ("quality.contradiction", 0, "全县持证执法人员1420名，新增持证执法人员86名。"),
    ("quality.contradiction", 0, "目标到年底法律顾问覆盖率达到100%。目前法律顾问覆盖率为92%。"),
    ("meta.stale-year", 1, "年初印发《某县2023年度普法依法治理工作要点》。"),
    ("meta.stale-year", 1, "组织开展2023年度行政执法人员培训，参训420人次。"),
    ("meta.stale-year", 0, "2023年12月，县政府出台《重大行政决策程序规定》。"),
    ("meta.stale-year", 0, "2019年被确定为全省法治政府建设示范创建试点县。"),
    ("meta.stale-year", 0, "完成2023年度法治政府建设年度报告的报送和公开。"),
    ("meta.stale-year", 0, "截至2023年底，全县共有公职律师86名；自2022年起推行证明事项告知承诺制。"),
    ("meta.stale-year", 0, "被评为2023年度全省法治政府建设先进单位。"),
    # issue 19: the same quantity worded differently in two parts, and its near misses
    ("quality.contradiction", 1, "全年办理政府信息公开申请38件。县长督促答复群众申请，全年共受理政府信息公开申请33件。"),
    ("quality.contradiction", 1, "全年查处的217起无证经营案件中，餐饮类占四成。全年立案查处无证经营案件271起。"),
    ("quality.contradiction", 1, "全局持证执法人员增至64名。二是队伍老化，全局现有持证执法人员59名。"),
    ("quality.contradiction", 0, "全年收到行政复议申请88件，受理80件，不予受理8件。全年受理行政复议案件80件。"),
    ("quality.contradiction", 0, "全县各级调解组织调处矛盾纠纷2140件。县人民调解委员会调处矛盾纠纷312件。"),
    ("meta.stale-year", 1, "2023年，全县共开展执法检查612次，责令整改问题230个。"),
    ("meta.stale-year", 1, "全年新增公证员3名。截至2023年底，全县共有公证员21名。"),
    ("meta.stale-year", 0, "对2021年作出的农贸市场搬迁决策开展后评估。"),
    ("meta.stale-year", 0, "2021年以来累计建成村级法律服务室143个。"),
    # the object put before its verb, the passive 经…的, a rate or a contract named otherwise, a year's total called 累计
    ("quality.contradiction", 1, "全年化解信访积案14件。三是信访积案化解仍不彻底，全年信访积案化解11件。"),
    ("quality.contradiction", 1, "法律顾问全年审查合同协议73份。全年经法律顾问审查的合同仅65份。"),
    ("quality.contradiction", 1, "行政机关负责人出庭应诉率95%。行政机关负责人出庭应诉比例为90%。"),
    ("quality.contradiction", 1, "全年累计调解矛盾纠纷412件。全年调解矛盾纠纷421件。"),
    ("quality.contradiction", 0, "2019年以来累计调解矛盾纠纷4120件。全年调解矛盾纠纷421件。"),
    # issuing and reviewing verbs of one family; a short subject read from its sentence when the digits only swap places
    ("quality.contradiction", 1, "区政府全年制发行政规范性文件21件。全年以区政府名义出台规范性文件17件。"),
    ("quality.contradiction", 1, "全年组织行政执法人员集中轮训，参训2186人次。县长带头参加执法人员集中轮训，全年轮训2816人次。"),
    ("meta.stale-year", 1, "全年新增持证执法人员42名。截至2023年12月底，全区持有执法证件人员共1562名。"),
    # the noun after a figure in quotation marks or with digits, cut at its generic noun; one item of a list read with its verb
    ("quality.contradiction", 1, "全年培育“法律明白人”148名。二是队伍结构不优，今年培育的184名“法律明白人”中青年较少。"),
    ("quality.contradiction", 1, "全年办理12345热线工单2,736件。督促相关科室承办的2763件12345热线工单按期办结。"),
    ("quality.contradiction", 1, "全年依法受理行政复议案件94件。县政府全年受理的49件复议案件逐案审查。"),
    ("quality.contradiction", 1, "全年立案查处违法搭建、占道经营等案件318件。对依法立案查处的381件各类违法案件开展评查。"),
    # swapped digits however far apart, an aside in brackets, a table line, 非法 counted rather than negated; 40 is not 4
    ("quality.contradiction", 1, "全年查处非法采砂等违法行为63起。县执法大队全年查处的36起违法行为中，多数发生在汛期。"),
    ("quality.contradiction", 1, "全年完成的38个审计（调查）项目全部按期出具报告。全年完成审计（调查）项目35个。"),
    ("quality.contradiction", 1, "全年移送问题线索11件。\n移送问题线索：13件"),
    ("quality.contradiction", 0, "组织开展法律咨询宣传活动40余场。组织开展送法进校园活动4场次。"),
    ("meta.stale-year", 1, "全年检查粮食企业56家，均按照《某县2023年度粮食流通监督检查计划》实施。"),
    # the level reached (提升至) is this year's figure; 办理 and 作出 differ only in the verb
    ("quality.contradiction", 1, "全县行政机关负责人出庭应诉率达到96.4%。二是出庭应诉比例提升至94.6%，仍未实现全覆盖。"),
    ("quality.contradiction", 1, "全年办理行政处罚案件93件。二是执法质量有待提高，今年作出的39件行政处罚中有3件被复议纠错。"),
    ("quality.contradiction", 0, "全年办理行政处罚案件93件，较上年提高到93件。"),
    # a part and its whole far apart; an exit is not the stock; last year's letter signed, inspection feedback rectified
    ("quality.contradiction", 0, "全年化解山林权属纠纷9件。乡长协调化解山林纠纷，全年调处的218件纠纷中重大纠纷全部化解。"),
    ("quality.contradiction", 0, "全县低保对象1312人。全年退出低保对象987人，均按程序公示。"),
    ("meta.stale-year", 1, "1月，与各科室签订2023年度法治建设目标责任书，全年考评4次。"),
    ("meta.stale-year", 1, "全年培训“法律明白人”3期。截至2023年12月，街道共培育“法律明白人”268名。"),
    ("meta.stale-year", 0, "完成2023年县委巡察反馈的社会救助资金审核不严等4个问题整改。"),
    ("meta.outdated-reference", 1, "深入推进七五普法规划实施。"),
    ("meta.outdated-reference", 1, "认真落实“七五”法治宣传教育规划。"),
    ("meta.outdated-reference", 1, "贯彻落实2015—2020年法治政府建设实施纲要。"),
    ("meta.outdated-reference", 1, "建设廉洁高效，守法诚信的法治政府。"),
    ("meta.outdated-reference", 0, "回顾“十三五”时期法治政府建设成效，“十四五”规划确定的法治目标全面推进。"),
]


@pytest.mark.parametrize("rule_id,expected,text", WORDINGS, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(WORDINGS)])
def test_other_wordings(auditor, rule_id, expected, text):
    doc = _doc(auditor, text)
    assert len(_failing(RULESET.get(rule_id), doc, auditor)) == expected
