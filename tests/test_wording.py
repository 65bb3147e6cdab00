"""Wording lives in data: rules/vocab/messages.yaml and the part labels of sections.yaml.

A maintainer of the rules changes what a finding says by editing YAML; the
files are checked at load against what the code fills in, with file and line.
"""

import ast
import re
import shutil
from pathlib import Path

import pytest

import fazhi_audit.checks
from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.engine.audit import Auditor
from fazhi_audit.engine.rulesets import default_rules_dir, load_rule, load_ruleset
from fazhi_audit.model.location import location_text

CHECKS = Path(fazhi_audit.checks.__file__).parent
MAX_CJK_IN_CHECKS = 1000
_CJK = re.compile(r"[\u4e00-\u9fff]")
# (一) then (三): (二) is skipped
SKIPPED = "某县2024年法治政府建设年度报告\n一、主要举措和成效\n(一)强化组织领导\n健全机制。\n(三)规范行政执法\n持证上岗。\n"


def _cjk_in_string_literals(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(len(_CJK.findall(n.value)) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def test_the_checks_package_keeps_its_wording_in_data():
    counts = {p.relative_to(CHECKS).as_posix(): _cjk_in_string_literals(p) for p in sorted(CHECKS.rglob("*.py"))}
    total = sum(counts.values())
    worst = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    assert total <= MAX_CJK_IN_CHECKS, f"{total} CJK characters in string literals under checks/ (most: {worst}); move wording to rules/vocab/messages.yaml"


@pytest.fixture
def pack(tmp_path) -> Path:
    """A copy of the bundled rules pack to edit."""
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _numbering(auditor, ruleset, text: str = SKIPPED):
    mine = Auditor(ruleset=ruleset, segmenter=auditor.segmenter)
    result = mine.audit_text(text)
    return result, [f for f in result.findings if f.rule == "structure.numbering"]


def test_a_message_edited_in_the_vocab_file_changes_the_finding(auditor, pack):
    _, before = _numbering(auditor, load_ruleset(pack))
    assert [f.message for f in before] == ["编号问题：跳号：应为“(二)”，实为“(三)”"]
    _edit(pack / "vocab" / "messages.yaml", 'skipped: "跳号：应为“{expected}”，实为“{marker}”"', 'skipped: "缺少序号“{expected}”（下一个写成了“{marker}”）"')
    _, after = _numbering(auditor, load_ruleset(pack))
    assert [f.message for f in after] == ["编号问题：缺少序号“(二)”（下一个写成了“(三)”）"]


def test_a_rule_file_may_carry_its_own_wording(auditor, pack):
    _edit(pack / "structure.numbering.yaml", "examples:\n", 'wording:\n  defects:\n    skipped: "此处应为{expected}，实为{marker}"\n  kinds:\n    skipped: 序号不连续\nexamples:\n')
    _, found = _numbering(auditor, load_ruleset(pack))
    assert [f.message for f in found] == ["编号问题：此处应为(二)，实为(三)"]
    assert found[0].items[0].name == "序号不连续"


def test_explanations_come_from_the_vocab_file(pack):
    _edit(pack / "vocab" / "messages.yaml", 'explain: "证据范围：报告的一级标题。规定的顺序：{order}。"', 'explain: "按{order}的顺序排列各部分。"')
    rule = load_ruleset(pack).get("structure.section-order")
    assert rule.rule_type.explain(rule, load_ruleset(pack).vocab) == ["按主要举措和成效→存在的不足和原因→党政主要负责人履行推进法治建设第一责任人职责情况→下一年度主要安排→其他需要报告的情况的顺序排列各部分。"]


def test_part_labels_come_from_the_one_table_in_the_vocabulary(auditor, pack):
    _edit(pack / "vocab" / "sections.yaml", "achievements: {label: 主要举措和成效, short: 主要举措和成效}", "achievements: {label: 主要举措和成效, short: 工作成效}")
    result, found = _numbering(auditor, load_ruleset(pack))
    evidence = found[0].items[0].evidence
    assert evidence.section == "achievements"
    assert location_text(evidence, "txt", result.part_labels) == f"第{evidence.line}行·工作成效"


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('pass: "{title}：齐全"', 'pass: "{title}：齐全，共 {count} 部分"', "{count} 无法填写"),
        ('pass: "{title}：齐全"', 'passed: "{title}：齐全"', "未知的措辞模板 'passed'"),
        ('    pass: "{title}：齐全"\n', "", "缺少措辞模板：pass"),
        ("  required-sections:\n", "  required-section:\n", "未知的规则类型 'required-section'"),
    ],
    ids=["unknown placeholder", "unknown template", "missing template", "unknown type"],
)
def test_a_broken_vocab_file_names_its_line(pack, old, new, said):
    messages = pack / "vocab" / "messages.yaml"
    _edit(messages, old, new)
    with pytest.raises(RuleFileError) as error:
        load_ruleset(pack)
    assert error.value.path == str(messages) and error.value.line and said in str(error.value)


def test_a_rule_files_own_wording_is_checked_too(pack):
    path = pack / "structure.numbering.yaml"
    _edit(path, "examples:\n", 'wording:\n  pass: "{title}：{count} 处"\nexamples:\n')
    with pytest.raises(RuleFileError) as error:
        load_rule(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert error.value.line and lines[error.value.line - 1].strip().startswith("pass:") and "{count} 无法填写" in str(error.value)


def test_a_pack_without_its_own_wording_speaks_with_the_installed_one(pack):
    (pack / "vocab" / "messages.yaml").unlink()
    rule = load_ruleset(pack).get("structure.required-sections")
    assert rule.say("pass", title="五项内容") == "五项内容：齐全"


def test_the_part_label_table_must_name_every_part(pack):
    sections = pack / "vocab" / "sections.yaml"
    _edit(sections, "  title: {label: 标题, short: 标题}\n", "")
    with pytest.raises(RuleFileError) as error:
        load_ruleset(pack)
    assert error.value.path == str(sections) and error.value.line and "labels 缺少部分类型：title" in str(error.value)
