"""Headings, part classification, numbering and metadata on invented texts."""

from datetime import date

import pytest

from fazhi_audit.text.dates import deadline, iso_date, parse_date
from fazhi_audit.text.document import parse_document
from fazhi_audit.text.ingest.metadata import find_body
from fazhi_audit.text.ingest.normalize import normalize
from fazhi_audit.text.numerals import cn_to_int, int_to_cn, read_number


@pytest.fixture(scope="module")
def vocab():
    from fazhi_audit.engine.audit import default_rules_dir
    from fazhi_audit.engine.rulesets import load_ruleset

    return load_ruleset(default_rules_dir()).vocab


@pytest.mark.parametrize(
    "heading,kind",
    [
        ("一、2024年法治政府建设工作情况", "achievements"),
        ("一、主要做法及成效", "achievements"),
        ("二、存在的困难和问题", "shortcomings"),
        ("二、问题及原因分析", "shortcomings"),
        ("三、党政主要负责人履行推进法治建设第一责任人职责情况", "first_responsible"),
        ("三、主要负责人履职情况", "first_responsible"),
        ("四、2025年工作思路", "plans"),
        ("四、下步对策措施", "plans"),
        ("五、其他需要报告的事项", "other"),
        ("五、对全市法治政府建设的意见建议", "extra"),
    ],
)
def test_heading_classification(vocab, heading, kind):
    doc = parse_document(f"某县2024年法治政府建设情况报告\n{heading}\n正文内容。\n", vocab)
    assert doc.kinds() == [kind]


def test_full_width_and_half_width_markers_both_parse(vocab):
    text = "某镇2023年法治政府建设工作报告\n一、主要举措和成效\n（一）强化领导\n一是健全机制。\n(二)规范执法\n一是持证上岗。\n"
    doc = parse_document(text, vocab)
    assert [h.marker for h in doc.headings if h.level == 2] == ["(一)", "(二)"]
    assert doc.numbering == []


def test_skipped_repeated_and_unnumbered(vocab):
    text = "\n".join(
        [
            "某镇2023年法治政府建设工作报告",
            "一、主要举措和成效",
            "(一)强化领导",
            "一是健全机制。二是压实责任。二是强化考核。",
            "(三)规范执法",
            "一是持证上岗。",
            "化解矛盾纠纷,维护社会稳定",
            "一是排查纠纷。",
            "二、存在的问题",
            "四、下一步工作计划",
            "加强队伍建设。",
        ]
    )
    doc = parse_document(text, vocab)
    kinds = {(d.kind, d.line) for d in doc.numbering}
    assert ("repeated", 4) in kinds
    assert ("skipped", 5) in kinds  # (三) after (一)
    assert ("unnumbered", 7) in kinds
    assert ("skipped", 10) in kinds  # 四、 after 二、


def test_nested_inline_lists_are_not_defects(vocab):
    text = "某镇2023年法治政府建设工作报告\n一、主要举措和成效\n一是织牢网。\n二是织紧网。其中一是完善组织。二是科普知识。三是紧扣任务。\n三是织细网。\n"
    assert parse_document(text, vocab).numbering == []


def test_boilerplate_removed_and_date_kept():
    raw = "首页 > 政府信息公开 > 法治政府建设\n索引号 123/2024-1\n发布时间：2024-03-15 10:20 来源：司法局\n某县2023年度法治政府建设情况报告\n正文。\n【打印本页】【关闭窗口】\n某公网安备 123号\n"
    norm = normalize(raw)
    assert [line.text for line in norm.lines] == ["某县2023年度法治政府建设情况报告", "正文。"]
    assert norm.lines[0].number == 4
    assert norm.published == "2024-03-15"


@pytest.mark.parametrize(
    "title,body",
    [
        ("中共某某县甲镇委员会 甲镇人民政府关于2023年法治政府建设工作报告", "某某县甲镇"),
        ("乙县人民政府关于2024年度法治政府建设情况的报告", "乙县人民政府"),
        ("2023年度丙县司法局法治政府建设工作报告", "丙县司法局"),
        ("某市卫生健康委员会2024年法治政府建设情况报告", "某市卫生健康委员会"),
        ("丁县发展和改革委员会关于2024年度法治政府建设情况的报告", "丁县发展和改革委员会"),
        ("中共戊镇党委 戊镇人民政府2024年法治政府建设情况报告", "戊镇"),
        ("中共大柳镇委员会大柳镇人民政府关于2023年法治政府建设工作报告", "大柳镇"),
    ],
)
def test_body_from_title(title, body):
    assert find_body(title) == body


def test_split_title_joined(vocab):
    doc = parse_document("丁县戊乡人民政府\n2024年法治政府建设情况报告\n一、工作开展情况\n正文。\n", vocab)
    assert doc.meta.title == "丁县戊乡人民政府2024年法治政府建设情况报告"
    assert doc.meta.year == 2024


def test_impossible_published_date_is_ignored():
    norm = normalize("发布时间：2024-02-30 10:00\n发布日期：2024-03-01\n某县2023年度法治政府建设情况报告\n正文。\n")
    assert norm.published == "2024-03-01"


@pytest.mark.parametrize(
    "text,counting,any_form",
    [("十", 10, 10), ("十二", 12, 12), ("二十六", 26, 26), ("两", 2, 2), ("二〇二四", None, 2024), ("一二", None, 12), ("七", 7, 7), ("百", None, None)],
)
def test_chinese_numerals_read_in_one_place(text, counting, any_form):
    # headings take counting numerals only; dates also write years digit by digit
    assert cn_to_int(text) == counting
    assert read_number(text) == any_form


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (99, "九十九"), (105, "一百〇五")])
def test_int_to_cn(n, text):
    assert int_to_cn(n) == text
    assert read_number(text) == n or n > 99


def test_dates_parsed_in_one_place():
    assert iso_date("二〇二四", "二", "二十六") == "2024-02-26"
    assert iso_date("2024", "2", "30") is None
    assert parse_date("发布时间：2024年3月8日 09:30") == "2024-03-08"
    assert deadline(2024, "04-01") == date(2025, 4, 1)


@pytest.mark.parametrize("year,kind", [(2024, "plans"), (2025, "extra")])
def test_a_plain_heading_dated_the_next_year_is_the_plans_part(vocab, year, kind):
    text = f"某县{year}年度法治政府建设情况报告\n一、主要举措和成效\n正文内容。\n二、2025年重点工作\n加强队伍建设。\n"
    assert parse_document(text, vocab).kinds()[-1] == kind


def test_unnumbered_part_headings_close_the_runs_beneath_them(vocab):
    # (一) restarts under each plain part heading: no repeat, and the parts are found
    text = "某县2024年度法治政府建设情况报告\n主要举措和成效\n(一)强化领导。正文。\n(二)规范执法。正文。\n存在的不足和原因\n(一)力量不足。原因在于编制有限。\n"
    doc = parse_document(text, vocab)
    assert doc.kinds() == ["achievements", "shortcomings"] and doc.numbering == []
    assert [h.level for h in doc.headings if not h.marker] == [1, 1]
