"""The classes of misreads found on reports nobody tuned for (issue 13), on invented texts.

Each test writes its own report fragments, worded unlike the corpus, so a
fix that keys on a corpus file's wording fails here: plain part headings,
fifth-part variants, Word heading signals, a phrase tied to its subject,
practices described by content, "not applicable" statements, broken
numbering markers and continued Arabic numbering.
"""

from __future__ import annotations

import io
import json

import docx
import pytest
from docx_build import docx_bytes

from fazhi_audit.model.run import Run
from fazhi_audit.render.output import render_text
from fazhi_audit.text.document import parse_document
from fazhi_audit.text.ingest.readers import read_bytes
from fazhi_audit.text.numerals import int_to_cn
from fazhi_audit.text.structure.malformed import malformed_marker

TITLE = "石门县人民政府关于2024年度法治政府建设情况的报告"


def _report(*parts: str) -> str:
    return "\n".join([TITLE, "2024年，石门县坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下。", *parts, "石门县人民政府", "2025年2月10日"])


def _items(result, rule: str) -> dict[str, bool]:
    finding = next(f for f in result.findings if f.rule == rule)
    return {i.name: i.found for i in finding.items}


def _numbering(result) -> list:
    return [f for f in result.findings if f.rule == "structure.numbering" and f.status == "fail"]


PLAIN = _report(
    "一年来法治政府建设的主要做法和成效",
    "（一）健全依法决策机制。县政府常务会议集体讨论决定重大行政决策3项。",
    "（二）规范执法行为。落实行政执法公示制度，全年公示执法信息812条。",
    "存在的主要问题和原因",
    "（一）部分乡镇执法力量不足。究其原因，主要是编制有限。",
    "县政府主要负责人履行推进法治建设第一责任人职责情况",
    "县长对法治建设重要工作亲自部署，主持召开推进会2次。",
    "2025年法治政府建设工作计划",
    "（一）严格落实专家论证、风险评估等决策程序，建立决策咨询专家库。",
    "（二）主要负责人重大问题亲自过问、重点环节亲自协调、重要任务亲自督办。",
    "其他需要说明的事项",
    "无。",
)


# --- parts headed by plain lines ----------------------------------------------------


def test_plain_part_headings_split_the_report_and_keep_promises_out(auditor):
    result = auditor.audit_text(PLAIN)
    assert [s.kind for s in result.sections] == ["achievements", "shortcomings", "first_responsible", "plans", "other"]
    assert [s.heading for s in result.sections][3] == "2025年法治政府建设工作计划"
    steps = _items(result, "decision.five-step")
    assert steps["集体讨论决定"] and not steps["专家论证"] and not steps["风险评估"]  # promised only
    duty = _items(result, "duty.four-personally")
    assert duty == {"亲自部署": True, "亲自过问": False, "亲自协调": False, "亲自督办": False}
    # (一) restarting in each part is the house style of such reports, not a repeat
    assert _numbering(result) == []


def test_a_line_the_sub_numbering_runs_across_is_not_a_part_heading(vocab):
    text = _report(
        "推进法治政府建设的主要举措和成效",
        "（一）强化组织保障。召开专题会议2次。",
        "规范行政执法的做法",
        "（二）深化普法宣传。开展活动30场。",
        "存在的不足和原因",
        "（一）宣传覆盖不足。原因在于经费有限。",
    )
    doc = parse_document(text, vocab)
    assert [s.kind for s in doc.sections if s.kind != "preamble"] == ["achievements", "shortcomings"]


def test_numbered_parts_with_an_unnumbered_fifth_part(vocab):
    text = _report(
        "一、主要举措和成效",
        "全年审查合同12件。",
        "二、存在的不足和原因",
        "执法力量薄弱，原因在于编制有限。",
        "三、下一步工作打算",
        "加强执法队伍建设。",
        "需要说明的其他情况",
        "本年度无其他需要说明的情况。",
    )
    doc = parse_document(text, vocab)
    assert [s.kind for s in doc.sections if s.kind != "preamble"] == ["achievements", "shortcomings", "plans", "other"]


# --- the fifth part's variants --------------------------------------------------------


@pytest.mark.parametrize("heading", ["其他需要说明的事项", "其他说明", "需要说明的其他情况", "其他需要报告的情况"])
@pytest.mark.parametrize("numbered", [True, False])
def test_fifth_part_variants(vocab, heading, numbered):
    marks = ["一、", "二、", "三、"] if numbered else ["", "", ""]
    text = _report(
        f"{marks[0]}主要举措和成效",
        "全年审查合同12件。",
        f"{marks[1]}存在的不足和原因",
        "执法力量薄弱，原因在于编制有限。",
        f"{marks[2]}{heading}",
        "无。",
    )
    doc = parse_document(text, vocab)
    assert doc.kinds()[-1] == "other"


# --- .docx heading signals --------------------------------------------------------------


def _docx(parts: list[tuple[str, str]]) -> bytes:
    """(kind, text): h1/h2 Word heading styles, bold a bold paragraph of its own, p body text."""
    document = docx.Document()
    document.add_paragraph().add_run(TITLE).bold = True
    for kind, text in parts:
        if kind in ("h1", "h2"):
            document.add_heading(text, level=int(kind[1]))
        elif kind == "bold":
            document.add_paragraph().add_run(text).bold = True
        else:
            document.add_paragraph(text)
    return docx_bytes(document)


DOCX_PARTS = [
    ("主要做法和成效", "落实行政执法公示制度，全年公示执法信息420条。"),
    ("存在的问题", "执法力量不足，原因在于编制有限。"),
    ("2025年工作安排", "全面推行重大执法决定法制审核制度。"),
    ("其他说明", "无。"),
]


@pytest.mark.parametrize("signal", ["h1", "bold"])
def test_docx_heading_style_or_bold_paragraph_heads_a_part(auditor, signal):
    parts = []
    for heading, body in DOCX_PARTS:
        parts += [(signal, heading), ("p", body)]
    raw = read_bytes(_docx(parts), ".docx")
    heads = [o for o in raw.origins if o.heading or o.bold]
    assert len(heads) == 1 + len(DOCX_PARTS)  # the bold title, then one per part
    result = auditor.audit_raw(raw, "report.docx")
    assert [s.kind for s in result.sections] == ["achievements", "shortcomings", "plans", "other"]
    systems = _items(result, "enforcement.three-systems")
    assert systems["行政执法公示"] and not systems["重大执法决定法制审核"]  # the review is a plan only


def test_docx_heading_levels_are_read_from_the_style(auditor):
    raw = read_bytes(_docx([("h1", "主要做法和成效"), ("h2", "强化组织领导，压实责任"), ("p", "召开会议研究法治工作3次。")]), ".docx")
    levels = {line: origin.heading for line, origin in zip(raw.text.split("\n"), raw.origins)}
    assert levels["主要做法和成效"] == 1 and levels["强化组织领导，压实责任"] == 2 and levels["召开会议研究法治工作3次。"] is None


def test_docx_outline_level_set_on_the_paragraph_is_a_heading_level():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("存在的不足和原因")
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.add_paragraph("执法力量不足。")
    raw = read_bytes(docx_bytes(document), ".docx")
    assert [o.heading for o in raw.origins] == [1, None]
    assert [o.bold for o in raw.origins] == [False, False]


# --- a phrase belongs to its subject ----------------------------------------------------


@pytest.mark.parametrize(
    "item,sentence",
    [
        ("重大执法决定法制审核", "法规科对本机关起草的规范性文件开展法制审核16件。"),
        ("重大执法决定法制审核", "对国有土地出让合同进行法制审核31份。"),
        ("行政执法公示", "在政务服务网公示本部门权责清单和公共服务事项。"),
        ("行政执法公示", "工程建设项目招投标信息和中标结果在交易平台公示。"),
        ("执法全过程记录", "群众来访接待室实行全程录音录像。"),
    ],
)
def test_a_near_miss_of_another_subject_is_not_the_element(auditor, item, sentence):
    result = auditor.audit_text(_report("一、主要举措和成效", sentence))
    assert _items(result, "enforcement.three-systems")[item] is False


@pytest.mark.parametrize(
    "sentence",
    ["组织开展燃气安全风险隐患排查，整改隐患230处。", "督促辖区化工企业开展安全风险评估。", "编制规划时开展地质灾害危险性评估。"],
)
def test_safety_risk_work_is_not_the_decision_step(auditor, sentence):
    result = auditor.audit_text(_report("一、主要举措和成效", sentence))
    assert _items(result, "decision.five-step")["风险评估"] is False


# --- an element described by its content ------------------------------------------------


@pytest.mark.parametrize(
    "rule,item,sentence",
    [
        ("enforcement.three-systems", "行政执法公示", "在局门户网站公开执法人员、执法依据和执法程序，行政处罚决定作出后7日内公开。"),
        ("enforcement.three-systems", "执法全过程记录", "执法队员巡查时全程佩戴执法记录仪，对现场检查进行音像记录。"),
        ("enforcement.three-systems", "重大执法决定法制审核", "拟作出吊销许可证、较大数额罚款决定的，由法制员在作出决定前审核，全年审核8件。"),
        ("decision.five-step", "公众参与", "农贸市场搬迁方案形成前，召开商户恳谈会3场，收集意见建议45条。"),
        ("decision.five-step", "风险评估", "对片区征收可能引发的社会稳定风险开展分析研判，形成研判报告。"),
    ],
)
def test_a_practice_described_by_its_content_counts(auditor, rule, item, sentence):
    result = auditor.audit_text(_report("一、主要举措和成效", sentence))
    assert _items(result, rule)[item] is True


def test_a_consultation_not_tied_to_a_decision_does_not_count(auditor):
    result = auditor.audit_text(_report("一、主要举措和成效", "召开企业家座谈会2场，听取意见建议31条。"))
    assert _items(result, "decision.five-step")["公众参与"] is False


# --- "not applicable" said in the report ------------------------------------------------

NO_DECISIONS = _report(
    "一、主要举措和成效",
    "（一）依法决策。本局严格执行党组会议议事规则，本年度未作出重大行政决策。",
    "（二）规范执法。落实行政执法公示制度，全年公示执法信息56条。",
    "二、存在的不足和原因",
    "执法力量薄弱，原因在于编制有限。",
)


def _not_applicable_words(auditor) -> tuple[str, str]:
    """How a not-applicable finding's message opens, and the name of the item holding the statement
    (rules/vocab/messages.yaml)."""
    rule = auditor.ruleset.get("decision.five-step")
    return rule.say("items.not_applicable", statement=""), rule.say("items.not_applicable_item")


def test_not_applicable_is_unscored_with_the_statement_as_evidence(auditor):
    prefix, item_name = _not_applicable_words(auditor)
    result = auditor.audit_text(NO_DECISIONS)
    finding = next(f for f in result.findings if f.rule == "decision.five-step")
    assert finding.status == "pass" and finding.scored is False
    assert finding.message.startswith(prefix) and "本年度未作出重大行政决策" in finding.message
    statement = finding.items[0]
    assert statement.name == item_name and statement.evidence.match == "未作出重大行政决策"
    assert statement.evidence.line == 4
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    five = next(f for f in data["findings"] if f["rule"] == "decision.five-step")
    assert five["scored"] is False and five["not_applicable"] is True and five["message"].startswith(prefix)


def test_terminal_says_not_applicable(auditor):
    prefix, _ = _not_applicable_words(auditor)
    result = auditor.audit_text(NO_DECISIONS)
    buf = io.StringIO()
    render_text(Run([result], auditor.ruleset.rules), "text", buf)
    row = next(line for line in buf.getvalue().splitlines() if "decision.five-step" in line)
    assert prefix in row and "未检查" not in row


def test_a_statement_in_the_plans_or_contradicted_by_evidence_does_not_apply(auditor):
    planned = _report("一、主要举措和成效", "全年审查合同12件。", "二、2025年工作安排", "本局预计未作出重大行政决策的，按规定报告。")
    finding = next(f for f in auditor.audit_text(planned).findings if f.rule == "decision.five-step")
    assert finding.scored and finding.status == "fail"
    all_steps = _report(
        "一、主要举措和成效",
        "本局未作出重大行政决策；承办的规划事项严格落实公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。",
    )
    finding = next(f for f in auditor.audit_text(all_steps).findings if f.rule == "decision.five-step")
    assert finding.scored and finding.status == "pass"


def test_no_enforcement_powers_makes_three_systems_not_applicable(auditor):
    text = _report("一、主要举措和成效", "本中心不具有行政执法职能，主要承担政务服务事项。")
    finding = next(f for f in auditor.audit_text(text).findings if f.rule == "enforcement.three-systems")
    assert finding.scored is False and "不具有行政执法职能" in finding.message


# --- numbering ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line,defect",
    [
        ("三)完善执法程序。严格执行法定程序。", "缺少左括号"),
        ("*.推进政务公开。全年公开信息120条。", "序号被替换"),
        ("锛堜笁锛?完善执法程序。严格执行法定程序。", "乱码"),
    ],
)
def test_a_broken_marker_is_one_defect_on_its_line(auditor, line, defect):
    text = _report("一、主要举措和成效", "（一）强化领导。召开会议3次。", "（二）规范决策。审查合同12件。", line, "（四）化解纠纷。调处纠纷80件。")
    if line.startswith("*"):
        text = _report("一、主要举措和成效", "1.强化领导。召开会议3次。", "2.规范决策。审查合同12件。", line, "4.化解纠纷。调处纠纷80件。")
    found = _numbering(auditor.audit_text(text))
    assert len(found) == 1 and defect in found[0].message and found[0].line == 6


@pytest.mark.parametrize("n", range(1, 11))
@pytest.mark.parametrize("form,level", [("（{}）", 2), ("{}、", 1)])
@pytest.mark.parametrize("lost", ["\ufffd", "?"])
def test_mojibake_of_any_marker_is_read_back(n, form, level, lost):
    marker = form.format(int_to_cn(n))
    garbled = marker.encode("utf-8").decode("gbk", errors="replace").replace("\ufffd", lost)
    found = malformed_marker(garbled + "推进依法行政")
    assert found is not None and found.level == level and found.end == len(garbled)
    assert found.number in (n, None)  # a lost byte can leave the digit unknowable (六/八)


def test_a_lost_marker_over_a_part_heading_still_heads_a_part(auditor):
    text = _report("一、主要举措和成效", "全年审查合同12件。", "二、存在的不足和原因", "力量不足，原因在于编制有限。", "*、2025年工作安排", "加强队伍建设。")
    result = auditor.audit_text(text)
    assert [s.kind for s in result.sections] == ["achievements", "shortcomings", "plans"]
    assert [f.line for f in _numbering(result)] == [7]


def test_ordinary_lines_are_never_taken_for_garbled_markers():
    from conftest import ROOT

    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "corpus" / "reports").glob("[01]*.txt"))
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 500
    assert [line for line in lines if malformed_marker(line.strip())] == []


def test_arabic_numbers_running_on_across_parents_are_a_hint(auditor):
    text = _report(
        "一、主要举措和成效",
        "（一）强化组织领导",
        "1.健全机制。成立领导小组。",
        "2.压实责任。签订责任书。",
        "（二）规范行政执法",
        "3.持证上岗。执法人员全部持证。",
        "4.案卷评查。评查案卷60卷。",
        "（三）化解矛盾纠纷",
        "5.多元调解。调处纠纷80件。",
    )
    found = _numbering(auditor.audit_text(text))
    assert len(found) == 1 and found[0].severity == "info" and "行文习惯" in found[0].message


@pytest.mark.parametrize(
    "markers,kind",
    [(["1.", "2.", "2.", "4."], "重复"), (["1.", "2.", "4.", "4."], "跳号"), (["1.", "2.", "2.", "3."], "重复")],
)
def test_one_misnumbered_item_is_one_finding(auditor, markers, kind):
    text = _report("一、主要举措和成效", *(f"{m}开展工作第{i}项。完成任务。" for i, m in enumerate(markers)))
    found = _numbering(auditor.audit_text(text))
    assert len(found) == 1 and kind in found[0].message


def test_an_unnumbered_sub_heading_is_not_also_a_skip(auditor):
    text = _report(
        "一、主要举措和成效",
        "（一）强化组织领导",
        "1.成立领导小组，全年召开专题会议研究法治建设工作4次，印发年度工作要点。",
        "（二）规范行政执法",
        "1.执法人员全部持证上岗，全年组织执法培训6期，覆盖执法人员320人次。",
        "化解矛盾纠纷，维护社会稳定",
        "1.全年调处矛盾纠纷860件，调解成功率98%，未发生民转刑案件，群众满意度提升。",
        "（四）深化普法宣传",
        "1.开展法治宣传活动40场次。",
    )
    found = _numbering(auditor.audit_text(text))
    assert len(found) == 1 and "未编号的小标题" in found[0].message


@pytest.fixture(scope="module")
def vocab(auditor):
    return auditor.ruleset.vocab


def test_not_applicable_is_said_in_every_output_format(auditor, tmp_path):
    from fazhi_audit.render.formatters import BINARY_FORMATTERS, FORMATTERS

    result = auditor.audit_text(NO_DECISIONS, "r.txt")
    run = Run([result, auditor.audit_text(NO_DECISIONS, "s.txt")], auditor.ruleset.rules)
    for name in ("json", "markdown", "html"):
        out = FORMATTERS[name](run)
        assert "不适用" in out, name
    text = io.StringIO()
    render_text(run, "text", text)
    assert "报告说明本年度不适用" in text.getvalue()
    import openpyxl

    book = tmp_path / "r.xlsx"
    book.write_bytes(BINARY_FORMATTERS["xlsx"](run))
    sheet = openpyxl.load_workbook(book)["要求对照"]
    assert any(cell.value == "—" for row in sheet.iter_rows() for cell in row)  # not scored, not ✗
