"""Rule types: one module each (the registry), required-heading, submission-deadline."""

import importlib
import pkgutil
import shutil
import sys
from pathlib import Path

import pytest

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.checks import REGISTRY, RULE_TYPES, refresh, register
from fazhi_audit.checks import types as types_package
from fazhi_audit.engine.audit import Auditor, default_rules_dir
from fazhi_audit.engine.rule_examples import check_example
from fazhi_audit.render.explain import explain
from fazhi_audit.engine.rulesets import load_rule, load_ruleset
from fazhi_audit.rules.selection import Selection, effective_rules
from fazhi_audit.text.ingest.metadata import extract_metadata, parse_signed_date
from fazhi_audit.text.ingest.normalize import normalize

CITY_RULE = """\
id: city.suggestions
title: 对全市法治政府建设的意见建议
type: required-heading
severity: warning
weight: 3
headings: [对全市法治政府建设的意见建议, 意见和建议]
{extra}basis:
  - doc: 某市法治政府建设年度报告制定和公开工作办法
    note: 市级要求各县（区）报告单列意见建议
message: 未单列“{{missing}}”部分
fix: 增设一级标题“{{missing}}”，写明对全市法治政府建设的意见建议
examples:
  - text: |
      一、主要举措和成效
      全年审查合同12件。
      二、对全市法治政府建设的意见建议
      建议统筹全市执法力量。
    status: pass
  - text: |
      一、主要举措和成效
      全年审查合同12件。
    status: fail
"""


def write_rule(tmp_path: Path, text: str, name: str = "city.suggestions") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def city_rule(tmp_path):
    return load_rule(write_rule(tmp_path, CITY_RULE.format(extra="")))


def run(auditor, rule, text):
    findings = rule.rule_type.check(rule, auditor.parse(text), auditor.context)
    assert len(findings) == 1
    return findings[0]


# --- registry: one module per rule type ------------------------------------------


def test_every_type_module_is_named_after_its_type():
    declared = {}
    for info in pkgutil.iter_modules(types_package.__path__):
        module = importlib.import_module(f"fazhi_audit.checks.types.{info.name}")
        if hasattr(module, "RULE_TYPE"):
            declared[module.RULE_TYPE.name] = info.name
    assert declared == {name: name.replace("-", "_") for name in RULE_TYPES}
    assert set(REGISTRY) == set(RULE_TYPES)
    assert all(REGISTRY[name] is RULE_TYPES[name].check for name in RULE_TYPES)


def test_bundled_rules_use_only_registered_types():
    rules = load_ruleset(default_rules_dir()).rules
    assert {r.type for r in rules} <= set(RULE_TYPES)
    assert all(r.rule_type is RULE_TYPES[r.type] for r in rules)


NEW_TYPE_MODULE = """\
from dataclasses import dataclass

from fazhi_audit.checks.findings import finding
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.rules.common import is_number


@dataclass(frozen=True)
class Params:
    sentences: int


def _parse_sentences(c, data, key, values):
    if not is_number(data[key]) or data[key] < 1:
        c.fail(data, key, f"{key} 必须是正整数")
    return int(data[key])


def check(rule, doc, ctx):
    count = len(doc.sentences)
    if count >= rule.params.sentences:
        return [finding(rule, "pass", f"{rule.title}：共 {count} 句")]
    return [finding(rule, "fail", rule.message.replace("{count}", str(count)))]


def explain(rule, vocab):
    return [f"证据范围：全文；至少 {rule.params.sentences} 句。"]


RULE_TYPE = RuleType(
    name="min-sentences",
    params=Params,
    keys=(Key("sentences", _parse_sentences, "最少句数", required=True),),
    check=check,
    explain=explain,
)
"""

NEW_TYPE_RULE = """\
id: size.min-sentences
title: 报告不能过短
type: min-sentences
severity: warning
weight: 1
sentences: {sentences}
basis:
  - doc: 测试用规则
message: 全文只有 {{count}} 句
fix: 补充具体内容
examples:
  - name: 太短
    text: 全年审查合同12件。
    status: fail
    message: 全文只有 1 句
"""


@pytest.fixture
def new_type_module(tmp_path, monkeypatch):
    """A rule type added the way a developer adds one: a module, registered with the checks."""
    folder = tmp_path / "more_checks"
    folder.mkdir()
    (folder / "min_sentences.py").write_text(NEW_TYPE_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    module = importlib.import_module("min_sentences")
    register(module)
    yield
    sys.modules.pop("min_sentences", None)
    refresh()


def test_a_new_rule_type_is_one_module(new_type_module, auditor, tmp_path):
    assert "min-sentences" in RULE_TYPES and "min-sentences" in REGISTRY
    pack = tmp_path / "pack"
    shutil.copytree(default_rules_dir(), pack)
    (pack / "size.min-sentences.yaml").write_text(NEW_TYPE_RULE.format(sentences=3), encoding="utf-8")
    ruleset = load_ruleset(pack)
    rule = ruleset.get("size.min-sentences")
    assert rule.params.sentences == 3 and rule.sentences == 3
    # its own example runs in the harness, its explanation reaches `rules explain`
    assert [check_example(auditor, rule, ex).ok for ex in rule.examples] == [True]
    assert "  证据范围：全文；至少 3 句。" in explain(rule, ruleset.vocab)
    # and the audit runs it like any bundled type
    result = Auditor(ruleset=ruleset, segmenter=auditor.segmenter).audit_text("某县2023年法治政府建设情况报告\n一、主要举措和成效\n全年审查合同12件。\n", "short.txt")
    short = next(f for f in result.findings if f.rule == "size.min-sentences")
    assert (short.status, short.message) == ("fail", "全文只有 2 句")  # the heading is a sentence too


def test_a_new_rule_types_keys_are_validated_with_lines(new_type_module, tmp_path):
    path = tmp_path / "size.min-sentences.yaml"
    path.write_text(NEW_TYPE_RULE.format(sentences=0), encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rule(path)
    assert "size.min-sentences.yaml:6" in str(err.value) and "sentences 必须是正整数" in str(err.value)
    path.write_text(NEW_TYPE_RULE.format(sentences=2).replace("sentences: 2\n", ""), encoding="utf-8")
    with pytest.raises(RuleFileError, match="min-sentences 规则需要 sentences"):
        load_rule(path)


def test_without_its_module_the_type_is_unknown(tmp_path):
    path = tmp_path / "size.min-sentences.yaml"
    path.write_text(NEW_TYPE_RULE.format(sentences=2), encoding="utf-8")
    with pytest.raises(RuleFileError, match="type 必须是 .* 之一，实为 'min-sentences'"):
        load_rule(path)


# --- profiles apply their note where they change the rule ------------------------


def test_profile_note_is_part_of_the_message_when_made(auditor):
    ruleset = load_ruleset(default_rules_dir())
    town = next(r for r in effective_rules(ruleset.rules, ruleset.profiles["township"], Selection()) if r.id == "decision.five-step")
    assert town.profile_note == "乡镇（街道）：乡镇人民政府参照《重大行政决策程序暂行条例》执行（第四十二条）"
    assert ruleset.get("decision.five-step").profile_note == ""  # the pack itself is untouched
    failing = run(auditor, town, "一、主要举措和成效\n全年审查合同12件。\n")
    assert failing.status == "fail" and failing.message.endswith("（乡镇（街道）：乡镇人民政府参照《重大行政决策程序暂行条例》执行（第四十二条））")
    passing = run(auditor, town, "一、主要举措和成效\n严格执行重大行政决策公众参与、专家论证、风险评估、合法性审查、集体讨论决定五项程序。\n")
    assert passing.status == "pass" and "乡镇（街道）" not in passing.message


def test_profile_changes_type_fields_through_params():
    ruleset = load_ruleset(default_rules_dir())
    dept = {r.id: r for r in effective_rules(ruleset.rules, ruleset.profiles["department"], Selection())}
    assert dept["outline.coverage"].params.min_found == 4 and ruleset.get("outline.coverage").params.min_found == 6
    assert dept["outline.coverage"].params.items == ruleset.get("outline.coverage").params.items


# --- required-heading: loading -------------------------------------------------


def test_required_heading_loads_with_defaults(city_rule):
    assert city_rule.type == "required-heading"
    assert city_rule.headings == ("对全市法治政府建设的意见建议", "意见和建议")
    assert city_rule.level == "top"
    assert city_rule.threshold == 85.0


def test_required_heading_own_examples_run_in_the_harness(auditor, city_rule):
    outcomes = [check_example(auditor, city_rule, ex) for ex in city_rule.examples]
    assert [o.ok for o in outcomes] == [True, True], [o.problem for o in outcomes]


def test_harness_reports_a_wrong_expectation(auditor, tmp_path):
    # The same text declared the other way round must be reported, not silently pass.
    flipped = CITY_RULE.format(extra="").replace("    status: pass", "    status: XX").replace("    status: fail", "    status: pass").replace("    status: XX", "    status: fail")
    rule = load_rule(write_rule(tmp_path, flipped))
    outcomes = [check_example(auditor, rule, ex) for ex in rule.examples]
    assert not any(o.ok for o in outcomes)
    assert "期望 fail，实为 pass" in outcomes[0].problem


@pytest.mark.parametrize(
    "extra,key,message",
    [
        ("level: deep\n", "level", "level 必须是 top"),
        ("threshold: 30\n", "threshold", "threshold 必须是 50–100"),
        ("sections: [achievements]\n", "sections", "未知的键 'sections'"),
        ("headings: []\n", "headings", "headings 不能为空"),
    ],
)
def test_required_heading_bad_keys_name_file_and_line(tmp_path, extra, key, message):
    text = CITY_RULE.format(extra=extra)
    if key == "headings":
        text = text.replace("headings: [对全市法治政府建设的意见建议, 意见和建议]\n", "")
    path = write_rule(tmp_path, text)
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith(key + ":"))
    with pytest.raises(RuleFileError) as err:
        load_rule(path)
    assert f"city.suggestions.yaml:{line}" in str(err.value)
    assert message in str(err.value)


def test_required_heading_needs_headings(tmp_path):
    text = CITY_RULE.format(extra="").replace("headings: [对全市法治政府建设的意见建议, 意见和建议]\n", "")
    with pytest.raises(RuleFileError, match="required-heading 规则需要 headings"):
        load_rule(write_rule(tmp_path, text))


def test_headings_key_only_for_required_heading(tmp_path):
    text = CITY_RULE.format(extra="").replace("type: required-heading", "type: section-order")
    with pytest.raises(RuleFileError, match="未知的键 'headings'"):
        load_rule(write_rule(tmp_path, text))


def test_city_directory_can_add_the_rule_to_a_ruleset(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(default_rules_dir(), pack)
    write_rule(pack, CITY_RULE.format(extra=""))
    ruleset = load_ruleset(pack)
    assert ruleset.get("city.suggestions").type == "required-heading"


# --- required-heading: checking ------------------------------------------------


def test_heading_pass_gives_heading_line_and_kind(auditor, city_rule):
    text = "某县2024年法治政府建设情况报告\n一、主要举措和成效\n全年审查合同12件。\n二、存在的不足和原因\n原因在于编制不足。\n三、对全市法治政府建设的意见建议\n建议统筹全市执法力量。\n"
    f = run(auditor, city_rule, text)
    assert f.status == "pass" and f.credit == 1.0
    ev = f.items[0].evidence
    assert (ev.text, ev.line, ev.section, ev.similarity) == ("三、对全市法治政府建设的意见建议", 6, "extra", 100.0)
    assert f.line == 6


def test_heading_any_listed_phrase_counts(auditor, city_rule):
    f = run(auditor, city_rule, "一、主要举措和成效\n全年审查合同12件。\n二、意见和建议\n建议统筹执法力量。\n")
    assert f.status == "pass"
    assert f.items[0].evidence.match == "意见和建议"


def test_heading_typo_matches_fuzzily(auditor, city_rule):
    f = run(auditor, city_rule, "一、主要举措和成效\n全年审查合同12件。\n二、对全市法治政府建设的意见建义\n建议统筹执法力量。\n")
    assert f.status == "pass"
    assert 85 <= f.items[0].evidence.similarity < 100


def test_heading_missing_fails_with_rule_message_and_fix(auditor, city_rule):
    f = run(auditor, city_rule, "一、主要举措和成效\n全年审查合同12件。\n二、存在的不足和原因\n原因在于编制不足。\n")
    assert f.status == "fail" and f.credit == 0.0
    assert f.message == "未单列“对全市法治政府建设的意见建议”部分"
    assert f.fix.startswith("增设一级标题“对全市法治政府建设的意见建议”")
    assert f.items[0].evidence is None
    assert f.severity == "warning" and "某市法治政府建设年度报告制定和公开工作办法" in f.basis


def test_top_level_rule_does_not_accept_a_sub_heading(auditor, city_rule):
    text = "一、主要举措和成效\n(一)对全市法治政府建设的意见建议\n建议统筹执法力量。\n"
    f = run(auditor, city_rule, text)
    assert f.status == "fail"
    item = f.items[0]
    assert item.evidence.line == 2 and item.evidence.section == "achievements"
    assert "仅作为下级标题" in item.note


def test_level_any_accepts_a_sub_heading(auditor, tmp_path):
    rule = load_rule(write_rule(tmp_path, CITY_RULE.format(extra="level: any\n")))
    f = run(auditor, rule, "一、主要举措和成效\n(一)对全市法治政府建设的意见建议\n建议统筹执法力量。\n")
    assert f.status == "pass"
    assert (f.items[0].evidence.line, f.items[0].evidence.section) == (2, "achievements")


def test_body_mention_is_not_a_heading(auditor, city_rule):
    f = run(auditor, city_rule, "一、主要举措和成效\n全年审查合同12件。对全市法治政府建设的意见建议已另行报送。\n")
    assert f.status == "fail"
    assert "正文中提及" in f.items[0].note
    assert f.items[0].evidence.line == 2


def test_unnumbered_top_level_part_counts(auditor, city_rule):
    text = "主要举措和成效\n全年审查合同12件。\n存在的问题\n执法力量薄弱。\n对全市法治政府建设的意见建议\n建议统筹执法力量。\n"
    f = run(auditor, city_rule, text)
    assert f.status == "pass" and f.items[0].evidence.line == 5


def test_threshold_is_read_from_the_rule(tmp_path):
    rule = load_rule(write_rule(tmp_path, CITY_RULE.format(extra="threshold: 95\n")))
    assert rule.threshold == 95.0


# --- signing date --------------------------------------------------------------


@pytest.mark.parametrize(
    "line,expected",
    [
        ("2024年2月26日", "2024-02-26"),
        ("二〇二四年二月二十六日", "2024-02-26"),
        ("二○二四年十二月三十一日", "2024-12-31"),
        ("二零二五年一月九日", "2025-01-09"),
        ("2024 年 2 月 6 日", "2024-02-06"),
        ("某县司法局 2024年2月26日", "2024-02-26"),
        ("2024年2月26日,召开专题会议", None),
        ("截至 2024年2月26日", None),
        ("2024年2月30日", None),
        ("二〇二四年二月", None),
    ],
)
def test_parse_signed_date(line, expected):
    assert parse_signed_date(line) == expected


def _meta(text):
    return extract_metadata(normalize(text).lines)


def test_signed_date_after_body_name_line():
    meta = _meta("某县司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年审查合同12件。\n\n某县司法局\n２０２４年２月２６日\n")
    assert meta.signed == "2024-02-26"
    assert meta.signed_line == 4  # index into the normalised lines


def test_signed_date_before_web_footer():
    meta = _meta("某镇2023年度法治政府建设工作报告\n一、主要举措和成效\n全年审查合同12件。\n某镇人民政府\n二〇二四年二月二十六日\n【打印本页】【关闭窗口】\n扫一扫在手机打开当前页\n")
    assert meta.signed == "2024-02-26"


def test_dates_inside_sentences_or_early_lines_are_not_signing_dates():
    assert _meta("某镇2023年度法治政府建设工作报告\n一、主要举措和成效\n2024年2月26日,召开专题会议。\n").signed is None
    early = "某镇2023年度法治政府建设工作报告\n2024年2月26日\n一、主要举措和成效\n" + "".join(f"开展工作{i}次。\n" for i in range(6))
    assert _meta(early).signed is None


# --- submission-deadline -------------------------------------------------------


@pytest.fixture(scope="module")
def submission_rule():
    return load_ruleset(default_rules_dir()).get("meta.submission-deadline")


REPORT = "某县司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年审查合同12件。\n某县司法局\n{date}\n"


def test_bundled_submission_rule(submission_rule):
    r = submission_rule
    assert (r.type, r.severity, r.weight, r.deadline) == ("submission-deadline", "info", 1.0, "03-01")
    assert r.basis[0].doc == "法治政府建设与责任落实督察工作规定" and r.basis[0].verified is False
    assert "PROBABLE" in r.description or "推断" in r.description


def test_signed_after_deadline_fails_with_evidence(auditor, submission_rule):
    f = run(auditor, submission_rule, REPORT.format(date="2024年3月15日"))
    assert f.status == "fail" and f.scored
    assert "2024-03-15" in f.message and "2024年3月1日" in f.message
    assert f.line == 5
    ev = f.items[0].evidence
    assert (ev.text, ev.line, ev.section) == ("2024年3月15日", 5, "signature")  # the 落款 is part of no section


def test_deadline_day_itself_is_late(auditor, submission_rule):
    assert run(auditor, submission_rule, REPORT.format(date="二〇二四年三月一日")).status == "fail"
    assert run(auditor, submission_rule, REPORT.format(date="二〇二四年二月二十九日")).status == "pass"


def test_signed_before_year_end_is_not_late(auditor, submission_rule):
    f = run(auditor, submission_rule, REPORT.format(date="2023年11月20日"))
    assert f.status == "pass" and f.scored


def test_no_signing_date_is_not_scored(auditor, submission_rule):
    f = run(auditor, submission_rule, "某县司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n2024年3月15日,召开专题会议。\n")
    assert f.status == "pass" and not f.scored


def test_disclosure_checks_published_not_signed(auditor):
    # The two deadline types share their logic but read different dates.
    rules = load_ruleset(default_rules_dir())
    disclosure, submission = rules.get("meta.disclosure-deadline"), rules.get("meta.submission-deadline")
    doc = auditor.parse(REPORT.format(date="2024年3月15日"), published="2024-03-20")
    assert disclosure.rule_type.check(disclosure, doc, auditor.context)[0].status == "pass"
    assert submission.rule_type.check(submission, doc, auditor.context)[0].status == "fail"
    late = auditor.parse(REPORT.format(date="2024年2月1日"), published="2024-04-18")
    assert disclosure.rule_type.check(disclosure, late, auditor.context)[0].status == "fail"
    assert submission.rule_type.check(submission, late, auditor.context)[0].status == "pass"


def test_seeds_have_no_signing_date_so_scores_are_unchanged(auditor):
    from conftest import SEEDS

    for path in sorted(SEEDS.iterdir()):
        result = auditor.audit_path(path)
        f = next(f for f in result.findings if f.rule == "meta.submission-deadline")
        assert not f.scored, path.name


def test_rule_sets_pickle_for_worker_processes():
    # spawn-started workers (macOS, Windows, the web server) receive rule sets by pickling
    import pickle

    from fazhi_audit.engine.run import load_rules

    rules = load_rules()
    again = pickle.loads(pickle.dumps(rules))
    assert [r.id for r in again.rules] == [r.id for r in rules.rules]
