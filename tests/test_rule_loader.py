"""Malformed rule and profile files are rejected with file and line."""

import re
import shutil
import subprocess
import sys

import pytest

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.engine.audit import default_rules_dir
from fazhi_audit.engine.rulesets import load_ruleset


@pytest.fixture
def rules_copy(tmp_path):
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def _error(rules_dir) -> str:
    with pytest.raises(RuleFileError) as err:
        load_ruleset(rules_dir)
    return str(err.value)


def test_unknown_key_names_file_and_line(rules_copy):
    path = rules_copy / "duty.study-law.yaml"
    _edit(path, "weight: 4\n", "weight: 4\nwieght: 5\n")
    message = _error(rules_copy)
    assert f"duty.study-law.yaml:{_line_of(path, 'wieght')}" in message
    assert "wieght" in message


def test_copied_rule_cannot_duplicate_an_id(rules_copy):
    # Ids are unique because each must equal its file name: a copy keeping the id is rejected.
    shutil.copy(rules_copy / "legal.adviser.yaml", rules_copy / "legal.adviser2.yaml")
    message = _error(rules_copy)
    assert f"legal.adviser2.yaml:{_line_of(rules_copy / 'legal.adviser2.yaml', 'id:')}" in message
    assert "id 'legal.adviser' 必须与文件名 'legal.adviser2' 一致" in message


def test_bad_regex_rejected(rules_copy):
    path = rules_copy / "quality.placeholder.yaml"
    _edit(path, '"某某"', '"某某("')
    message = _error(rules_copy)
    assert "正则表达式无效 '某某('" in message
    assert f"quality.placeholder.yaml:{_line_of(path, 'patterns:')}" in message


def test_yaml_syntax_error_has_line(rules_copy):
    (rules_copy / "zz.broken.yaml").write_text("id: zz.broken\ntitle: [unclosed\n", encoding="utf-8")
    message = _error(rules_copy)
    assert "YAML 语法错误" in message
    line = re.search(r"zz\.broken\.yaml:(\d+)", message)
    assert line and int(line.group(1)) in (2, 3)  # at the unclosed bracket, or where the file ends


def test_bad_severity_names_its_line(rules_copy):
    path = rules_copy / "legal.adviser.yaml"
    _edit(path, "severity: warning", "severity: fatal")
    message = _error(rules_copy)
    assert f"legal.adviser.yaml:{_line_of(path, 'severity:')}" in message
    assert "severity 必须是 error, warning, info 之一" in message


def test_example_referencing_unknown_item(rules_copy):
    _edit(rules_copy / "legal.adviser.yaml", "found: [法律顾问]", "found: [法律顾门]")
    assert "例子引用了不存在的项目 '法律顾门'" in _error(rules_copy)


def test_unknown_type_lists_the_registered_types(rules_copy):
    path = rules_copy / "legal.adviser.yaml"
    _edit(path, "type: required-items", "type: required-things")
    message = _error(rules_copy)
    assert f"legal.adviser.yaml:{_line_of(path, 'type:')}" in message
    assert "required-items" in message and "required-heading" in message and "'required-things'" in message


# --- keys declared by the rule types ----------------------------------------------


def test_missing_required_type_key_names_the_type(rules_copy):
    path = rules_copy / "legal.adviser.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("scope: [achievements, first_responsible]\n", ""), encoding="utf-8")
    assert "required-items 规则需要 scope" in _error(rules_copy)


def test_min_found_is_checked_against_the_items(rules_copy):
    path = rules_copy / "outline.coverage.yaml"
    _edit(path, "min_found: 6", "min_found: 60")
    message = _error(rules_copy)
    assert f"outline.coverage.yaml:{_line_of(path, 'min_found:')}" in message
    assert "min_found 必须是 1–10 之间的整数" in message


def test_weak_phrases_need_context(rules_copy):
    path = rules_copy / "decision.five-step.yaml"
    _edit(path, "context: [决策, 重大事项, 三重一大, 议事规则, 方案, 草案, 实施前, 形成前]\n", "")
    assert "使用了 weak 短语的规则需要 context" in _error(rules_copy)


def test_key_of_another_type_is_unknown(rules_copy):
    path = rules_copy / "legal.adviser.yaml"
    _edit(path, "weight: ", "deadline: '03-01'\nweight: ")
    message = _error(rules_copy)
    assert f"legal.adviser.yaml:{_line_of(path, 'deadline:')}" in message
    assert "未知的键 'deadline'" in message


# --- examples ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,needle,message",
    [
        ("name: 法律咨询不是法律顾问", "name: '聘请法律顾问'", "'聘请法律顾问'", "例子名称 '聘请法律顾问' 重复"),
        ("    not_found: [法律顾问]\n", "    not_found: [法律顾问]\n    findings: 0\n", "findings:", "findings 必须是正整数"),
        ("    not_found: [法律顾问]\n", "    not_found: [法律顾问]\n    evidence_section: appendix\n", "evidence_section:", "未知的部分类型 'appendix'"),
        ("    not_found: [法律顾问]\n", "    not_found: [法律顾问]\n    message: ''\n", "message: ''", "message 必须是非空字符串"),
        ("    not_found: [法律顾问]\n", "    note: 只有说明\n", "name: 法律咨询不是法律顾问", "例子至少需要一项期望"),
    ],
)
def test_bad_examples_name_their_line(rules_copy, old, new, needle, message):
    path = rules_copy / "legal.adviser.yaml"
    _edit(path, old, new)
    error = _error(rules_copy)
    assert message in error
    assert f"legal.adviser.yaml:{_line_of(path, needle)}" in error


def test_example_expectations_are_loaded(rules_copy):
    rule = load_ruleset(rules_copy).get("structure.numbering")
    example = next(e for e in rule.examples if e.name == "每处缺陷各一条")
    assert (example.status, example.findings, example.message) == ("fail", 2, "跳号：应为“(二)”")
    assert example.line == _line_of(rules_copy / "structure.numbering.yaml", "name: 每处缺陷各一条")


# --- profiles ----------------------------------------------------------------------


def _profile(rules_copy, body: str):
    path = rules_copy / "profiles" / "township.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rules:\n", "rules:\n" + body, 1), encoding="utf-8")
    return path


def test_profile_cannot_adjust_a_key_the_rule_type_lacks(rules_copy):
    path = _profile(rules_copy, "  duty.study-law:\n    deadline: '03-01'\n")
    message = _error(rules_copy)
    assert f"township.yaml:{_line_of(path, 'deadline:')}" in message
    assert "规则 duty.study-law（required-items）没有可由画像调整的 deadline；可调整：min_found" in message


def test_profile_values_use_the_rule_types_validation(rules_copy):
    path = rules_copy / "profiles" / "township.yaml"
    _edit(path, "min_found: 4", "min_found: 11")
    message = _error(rules_copy)
    assert f"township.yaml:{_line_of(path, 'min_found: 11')}" in message
    assert "min_found 必须是 1–10 之间的整数" in message  # read against the rule's 10 items


def test_profile_deadline_uses_the_rule_types_validation(rules_copy):
    path = rules_copy / "profiles" / "department.yaml"
    _edit(path, 'deadline: "03-01"', 'deadline: "3-1"')
    message = _error(rules_copy)
    line = _line_of(path, 'deadline: "3-1"')
    assert f"department.yaml:{line}" in message
    assert "deadline 必须形如 MM-DD" in message


def test_profiles_and_loader_do_not_import_each_other():
    code = "import sys, fazhi_audit.rules.profiles; print('fazhi_audit.rules.loader' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_synonym_word_in_two_groups_names_file_line_and_both_groups(rules_copy):
    path = rules_copy / "vocab" / "synonyms.yaml"
    _edit(path, "  - [备案, 报备]\n", "  - [备案, 报备, 系统]\n")
    message = _error(rules_copy)
    assert f"synonyms.yaml:{_line_of(path, 'groups:')}" in message
    assert "“系统”" in message and "一个词只能属于一组" in message


def test_synonym_group_of_one_word_is_rejected(rules_copy):
    path = rules_copy / "vocab" / "synonyms.yaml"
    _edit(path, "  - [备案, 报备]\n", "  - [备案]\n")
    assert "至少要有两个词" in _error(rules_copy)


def test_the_pack_loads_without_a_synonym_table(rules_copy):
    (rules_copy / "vocab" / "synonyms.yaml").unlink()
    assert load_ruleset(rules_copy).cues.synonyms == ()


def test_the_pack_synonym_table_reaches_the_checks(rules_copy):
    groups = load_ruleset(rules_copy).cues.synonyms
    assert ("系统", "平台") in groups
