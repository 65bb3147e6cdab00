"""Every rule's own examples, the harness that runs them, and the rule-file invariants."""

import shutil
from dataclasses import replace

import pytest
from command import fazhi_audit

from fazhi_audit.engine.audit import default_rules_dir
from fazhi_audit.engine.rule_examples import check_example
from fazhi_audit.engine.rulesets import load_ruleset

RULESET = load_ruleset(default_rules_dir())
CASES = [(r, i, ex) for r in RULESET.rules for i, ex in enumerate(r.examples)]


@pytest.mark.parametrize("rule,index,example", CASES, ids=[f"{r.id}#{i}" for r, i, _ in CASES])
def test_rule_example(auditor, rule, index, example):
    outcome = check_example(auditor, rule, example)
    assert outcome.ok, f"{rule.id} 例子{outcome.label}：{outcome.problem}"


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_rule_has_passing_and_failing_example(rule):
    statuses = {ex.status for ex in rule.examples}
    has_negative = "fail" in statuses or "partial" in statuses or any(ex.not_found for ex in rule.examples)
    has_positive = "pass" in statuses or any(ex.found for ex in rule.examples)
    assert has_negative and has_positive
    assert rule.basis and all(b.doc for b in rule.basis)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.message)


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_bundled_examples_have_distinct_chinese_names(rule):
    names = [ex.name for ex in rule.examples]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in names), names
    assert len(set(names)) == len(names)


def test_fuzzy_rules_have_near_miss_examples():
    for rule in RULESET.rules:
        if rule.type == "required-items" and len(rule.items) > 1 and not rule.min_found:
            assert any(ex.not_found for ex in rule.examples), rule.id


def test_required_rules_shipped():
    ids = {r.id for r in RULESET.rules}
    for rid in ["structure.required-sections", "structure.section-order", "structure.causes", "structure.numbering", "decision.five-step", "enforcement.three-systems", "duty.four-personally"]:
        assert rid in ids
    names = {rid: [i.name for i in RULESET.get(rid).items] for rid in ("decision.five-step", "enforcement.three-systems", "duty.four-personally")}
    assert names["decision.five-step"] == ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"]
    assert names["enforcement.three-systems"] == ["行政执法公示", "执法全过程记录", "重大执法决定法制审核"]
    assert names["duty.four-personally"] == ["亲自部署", "亲自过问", "亲自协调", "亲自督办"]


# --- the harness checks every stated expectation ----------------------------------


def _example(rule_id: str, name: str):
    rule = RULESET.get(rule_id)
    return rule, next(ex for ex in rule.examples if ex.name == name)


def test_wrong_number_of_findings_is_reported(auditor):
    rule, example = _example("structure.numbering", "每处缺陷各一条")
    assert check_example(auditor, rule, example).ok
    outcome = check_example(auditor, rule, replace(example, findings=1))
    assert not outcome.ok and outcome.problem == "期望 1 条结果，实为 2 条"


def test_missing_message_text_is_reported(auditor):
    rule, example = _example("structure.numbering", "跳号")
    outcome = check_example(auditor, rule, replace(example, message="重复"))
    assert not outcome.ok
    assert outcome.problem == "提示中应含“重复”，实为：“编号问题：跳号：应为“(二)”，实为“(三)””"


def test_wrong_evidence_section_is_reported(auditor):
    rule, example = _example("quality.placeholder", "标题中的XX")
    outcome = check_example(auditor, rule, replace(example, evidence_section="plans"))
    assert not outcome.ok and outcome.problem == "证据应位于“下一年度主要安排”，实为 标题"
    none = check_example(auditor, rule, replace(_example("quality.placeholder", "无占位符")[1], evidence_section="achievements"))
    assert none.problem == "证据应位于“主要举措和成效”，实为 无证据"


def test_every_failed_expectation_is_listed(auditor):
    rule, example = _example("decision.five-step", "仅见于下一年度安排")
    outcome = check_example(auditor, rule, replace(example, status="pass", findings=2, evidence_section="achievements"))
    assert outcome.problem.split("；") == ["期望 pass，实为 fail", "期望 2 条结果，实为 1 条", "证据应位于“主要举措和成效”，实为 下一年度主要安排"]
    assert outcome.label == f"“仅见于下一年度安排”（第{example.line}行）"


def test_rules_test_names_the_failing_example(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "structure.numbering.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    findings: 2\n" in text
    path.write_text(text.replace("    findings: 2\n", "    findings: 3\n"), encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.strip() == "- name: 每处缺陷各一条")
    proc = fazhi_audit("rules", "test", "--rules", str(rules))
    assert proc.returncode == 1
    assert f"✗ structure.numbering 例子“每处缺陷各一条”（第{line}行）：期望 3 条结果，实为 2 条" in proc.stdout.splitlines()
    assert f"{len(CASES) - 1} passed, 1 failed" in proc.stdout
