"""The README's rule table, list of rule types and example block agree with the code and data.

Like tests/test_exit_codes.py for the exit-code table: the README is read,
not copied, so a rule, a profile's severity or a rule type cannot change
without the README changing too.
"""

import re

import yaml
from conftest import ROOT

from fazhi_audit.checks import RULE_TYPES
from fazhi_audit.engine.rule_examples import check_example
from fazhi_audit.render.formatters._common import SEVERITY_LABEL
from fazhi_audit.engine.rulesets import load_rule, load_ruleset

README = (ROOT / "README.md").read_text(encoding="utf-8")
RULESET = load_ruleset(ROOT / "rules")


def _section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end >= 0 else len(README)]


def _table_rows() -> list[list[str]]:
    rows = [line for line in _section("检查什么").splitlines() if line.startswith("|")]
    assert rows[0].split("|")[1:4] == [" 规则 ", " 级别 ", " 检查内容 "]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _expected_severity(rule) -> str:
    """The rule's own level, then each profile that changes it or drops the rule."""
    changes = []
    for profile in RULESET.profiles.values():
        adj = profile.rules.get(rule.id)
        if adj is not None and not adj.enabled:
            changes.append(f"{profile.label}：不适用")
        elif adj is not None and adj.severity and adj.severity != rule.severity:
            changes.append(f"{profile.label}：{SEVERITY_LABEL[adj.severity]}")
    return SEVERITY_LABEL[rule.severity] + (f"（{'；'.join(changes)}）" if changes else "")


def test_rule_table_lists_every_bundled_rule_once():
    ids = [row[0] for row in _table_rows()]
    assert sorted(ids) == sorted(r.id for r in RULESET.rules)
    assert len(ids) == len(set(ids))


def test_rule_table_severities_match_rules_and_profiles():
    wrong = {rid: (cell, _expected_severity(RULESET.get(rid))) for rid, cell, _ in _table_rows() if cell != _expected_severity(RULESET.get(rid))}
    assert not wrong


def test_rule_table_says_what_each_rule_checks():
    assert all(re.search(r"[\u4e00-\u9fff]", what) for _, _, what in _table_rows())


def test_rule_types_sentence_lists_the_registered_types():
    custom = _section("自定义规则")
    sentence = custom[custom.index("规则类型：") :]
    sentence = sentence[: sentence.index("。\n") + 1]
    named = re.findall(r"`([a-z-]+)`", sentence)
    assert sorted(named) == sorted(RULE_TYPES)
    assert len(named) == len(set(named))


def test_example_block_runs_against_its_rule(auditor, tmp_path):
    block = re.search(r"```yaml\n(examples:.*?)```", _section("自定义规则"), re.S).group(1)
    rule_id = re.search(r"# (\S+) 的一个例子", block).group(1)
    examples = yaml.safe_load(block)["examples"]
    source = (ROOT / "rules" / f"{rule_id}.yaml").read_text(encoding="utf-8")
    own = source[: source.index("\nexamples:\n") + 1]
    path = tmp_path / f"{rule_id}.yaml"
    path.write_text(own + yaml.safe_dump({"examples": examples}, allow_unicode=True), encoding="utf-8")
    rule = load_rule(path)  # every key the README shows is accepted
    shown = rule.examples[0]
    assert (shown.name, shown.findings, shown.evidence_section) == (examples[0]["name"], examples[0]["findings"], examples[0]["evidence_section"])
    outcome = check_example(auditor, rule, shown)
    assert outcome.ok, outcome.problem
