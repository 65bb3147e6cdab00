"""Malformed rule files are rejected with file and line."""

import shutil

import pytest

from fazhi_audit.api import default_rules_dir
from fazhi_audit.errors import RuleFileError
from fazhi_audit.rules.loader import load_ruleset


@pytest.fixture
def rules_copy(tmp_path):
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_key_names_file_and_line(rules_copy):
    path = rules_copy / "duty.study-law.yaml"
    _edit(path, "weight: 4\n", "weight: 4\nwieght: 5\n")
    with pytest.raises(RuleFileError) as err:
        load_ruleset(rules_copy)
    assert "duty.study-law.yaml:6" in str(err.value)
    assert "wieght" in str(err.value)


def test_duplicate_id_rejected(rules_copy):
    shutil.copy(rules_copy / "legal.adviser.yaml", rules_copy / "legal.adviser2.yaml")
    with pytest.raises(RuleFileError) as err:
        load_ruleset(rules_copy)
    assert "文件名" in str(err.value) or "重复" in str(err.value)


def test_bad_regex_rejected(rules_copy):
    _edit(rules_copy / "quality.placeholder.yaml", '"某某"', '"某某("')
    with pytest.raises(RuleFileError) as err:
        load_ruleset(rules_copy)
    assert "正则表达式无效" in str(err.value)


def test_yaml_syntax_error_has_line(rules_copy):
    (rules_copy / "zz.broken.yaml").write_text("id: zz.broken\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_ruleset(rules_copy)
    assert "zz.broken.yaml:" in str(err.value)


def test_bad_severity_and_example_item(rules_copy):
    _edit(rules_copy / "legal.adviser.yaml", "severity: warning", "severity: fatal")
    with pytest.raises(RuleFileError, match="severity"):
        load_ruleset(rules_copy)


def test_example_referencing_unknown_item(rules_copy):
    _edit(rules_copy / "legal.adviser.yaml", "found: [法律顾问]", "found: [法律顾门]")
    with pytest.raises(RuleFileError, match="不存在的项目"):
        load_ruleset(rules_copy)
