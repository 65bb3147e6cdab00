"""`rules explain` and `rules show`: every bundled rule in plain Chinese."""

import pytest

from fazhi_audit.engine.audit import default_rules_dir
from fazhi_audit.render.explain import (
    example_lines,
    explain,
    pick_examples,
    profile_lines,
    readable,
    show_lines,
)
from fazhi_audit.engine.rulesets import load_rule, load_ruleset

RULESET = load_ruleset(default_rules_dir())


def _block(lines: list[str], heading: str) -> str:
    """The text under one 【heading】, up to the next heading."""
    start = lines.index(f"【{heading}】")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("【")), len(lines))
    return "\n".join(lines[start + 1 : end])


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_every_bundled_rule_is_explained(rule):
    lines = explain(rule, RULESET.vocab)
    text = "\n".join(lines)
    assert lines[0].startswith(rule.id) and rule.title in lines[0]
    # basis: every document, by name
    for b in rule.basis:
        assert f"《{b.doc}》" in _block(lines, "依据")
    assert f"{rule.weight:g}" in _block(lines, "级别与权重")
    # one failing and one passing example, from the rule's own examples
    failing, passing = pick_examples(rule)
    assert failing is not None and passing is not None
    assert failing.status == "fail" or failing.not_found
    assert passing.status == "pass" or passing.found
    assert example_lines(failing)[0] in _block(lines, "不通过的例子")
    assert example_lines(passing)[0] in _block(lines, "通过的例子")
    # the fix, with placeholders in words
    fix = _block(lines, "怎样修改")
    assert readable(rule.fix, rule) in fix
    assert "{" not in fix
    assert "按报告主体类型" not in text
    # what it checks is the rule type's own text, between the description and the message
    what = _block(lines, "检查什么").splitlines()
    own = ["  " + line for line in rule.rule_type.explain(rule, RULESET.vocab)]
    assert own and what[-1 - len(own) : -1] == own
    assert what[-1] == f"  不满足时提示：{readable(rule.message, rule)}"


def test_unverified_article_numbers_stay_out():
    rule = RULESET.get("meta.disclosure-deadline")
    assert rule.basis[0].article == "第二十四条" and not rule.basis[0].verified
    basis = _block(explain(rule, RULESET.vocab), "依据")
    assert "》第二十四条" not in basis  # the note may mention it, the citation must not
    assert "条文序号待核实" in basis  # the note is shown
    verified = _block(explain(RULESET.get("decision.five-step"), RULESET.vocab), "依据")
    assert "《重大行政决策程序暂行条例》第二十五条、第三十条、第四十二条" in verified


def test_items_and_evidence_scope_in_plain_words():
    lines = explain(RULESET.get("decision.five-step"), RULESET.vocab)
    what = _block(lines, "检查什么")
    assert "“主要举措和成效”" in what  # vocab label, not the kind name
    assert "achievements" not in what
    assert "· 合法性审查：认可的说法有 合法性审查、合法性审核" in what
    assert "不计入的近似说法有 全民参与" in what
    assert "专家……论证" in what and "相隔几个字" in what
    assert "同句出现才计入的说法有 征求意见" in what


def test_failing_example_shows_what_was_not_counted():
    lines = explain(RULESET.get("decision.five-step"), RULESET.vocab)
    failing = _block(lines, "不通过的例子")
    assert "举办专家论坛1次" in failing  # a pure near-miss example is preferred
    assert "结果：不计入 专家论证、集体讨论决定、公众参与、风险评估" in failing


def test_fix_placeholders_made_readable():
    five = RULESET.get("decision.five-step")
    fix = _block(explain(five, RULESET.vocab), "怎样修改")
    assert "〈缺少的项目〉" in fix and "可能是：公众参与、专家论证" in fix
    sub = RULESET.get("meta.submission-deadline")
    assert readable(sub.message, sub) == "落款日期 〈落款日期〉 晚于 次年3月1日 的报送时限"


def test_profile_lines_under_their_own_heading():
    lines = explain(RULESET.get("decision.five-step"), RULESET.vocab, profile_lines=["乡镇：提示（参照适用）", "政府部门：警告"])
    block = _block(lines, "按报告主体类型")
    assert block.splitlines() == ["  · 乡镇：提示（参照适用）", "  · 政府部门：警告"]
    assert lines.index("【按报告主体类型】") > lines.index("【级别与权重】")


def test_folded_description_loses_yaml_spaces():
    what = _block(explain(RULESET.get("decision.five-step"), RULESET.vocab), "检查什么")
    assert "决定程序。条例适用于" in what


def test_long_example_is_trimmed():
    rule = RULESET.get("structure.required-sections")
    passing = pick_examples(rule)[1]
    shown = example_lines(passing)
    assert len(shown) <= 9 and all(len(line) <= 70 for line in shown)


def test_required_heading_rule_explained(tmp_path):
    from test_rule_types import CITY_RULE

    path = tmp_path / "city.suggestions.yaml"
    path.write_text(CITY_RULE.format(extra="level: any\n"), encoding="utf-8")
    lines = explain(load_rule(path), RULESET.vocab)
    what = _block(lines, "检查什么")
    assert "任一级别的标题" in what and "对全市法治政府建设的意见建议、意见和建议" in what
    assert "增设一级标题“对全市法治政府建设的意见建议”" in _block(lines, "怎样修改")
    assert "二、对全市法治政府建设的意见建议" in _block(lines, "通过的例子")


# --- how each kind of reporting body is held to a rule -----------------------------


def _profile_lines(rule_id: str) -> list[str]:
    return profile_lines(RULESET.get(rule_id), RULESET.profiles, RULESET.vocab)


def test_profile_lines_show_each_profiles_adjustments():
    assert _profile_lines("outline.coverage") == [
        "乡镇（街道）：提示，权重 4，至少找到 4 项（乡镇报告覆盖的纲要部分通常少于县级政府，按 4 个部分把握）",
        "县级政府：提示，权重 4，至少找到 6 项",
        "政府部门：提示，权重 4，至少找到 4 项（部门报告覆盖的纲要部分通常少于县级政府，按 4 个部分把握）",
    ]
    assert _profile_lines("dispute.resolution")[-1] == "政府部门：不适用"
    assert _profile_lines("meta.submission-deadline")[-1] == "政府部门：警告，权重 1，时限 次年3月1日"
    assert _profile_lines("enforcement.three-systems")[2].startswith("政府部门：警告，权重 16（")


def test_profile_lines_reach_the_explanation():
    rule = RULESET.get("decision.five-step")
    lines = explain(rule, RULESET.vocab, profile_lines=_profile_lines("decision.five-step"))
    assert "  · 乡镇（街道）：警告，权重 12（乡镇人民政府参照《重大行政决策程序暂行条例》执行（第四十二条））" in lines


# --- rules show: the rule's complete data ------------------------------------------


def test_show_lists_every_type_key_and_example():
    rule = RULESET.get("decision.five-step")
    lines = show_lines(rule, RULESET.vocab)
    assert lines[0] == "decision.five-step  重大行政决策五项法定程序"
    assert "证据范围：主要举措和成效、党政主要负责人履行推进法治建设第一责任人职责情况" in lines
    assert "语境词：决策、重大事项、三重一大、议事规则、方案、草案、实施前、形成前" in lines and "相似度下限：85" in lines
    for item in rule.items:
        assert any(line.startswith(f"  · {item.name}：{item.phrases[0]}") for line in lines), item.name
    for example in rule.examples:
        assert any(line.startswith(f"  例“{example.name}”（") for line in lines), example.name
    assert "  例“仅见于下一年度安排”（位于“下一年度主要安排”；不应找到 公众参与、专家论证、风险评估、合法性审查、集体讨论决定；证据位于“下一年度主要安排”）：下一步，将严格落实公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。" in lines


def test_show_gives_type_values_in_words():
    lines = show_lines(RULESET.get("meta.submission-deadline"), RULESET.vocab)
    assert "时限：次年3月1日" in lines
    placeholder = show_lines(RULESET.get("quality.placeholder"), RULESET.vocab)
    assert any(line.startswith("查找的写法（正则表达式）：") and "某某" in line for line in placeholder)
    numbering = show_lines(RULESET.get("structure.numbering"), RULESET.vocab)
    at = numbering.index("  例“跳号”（fail；提示含“跳号：应为“(二)””；1 条结果）：")
    assert numbering[at + 1 : at + 3] == ["    │ 一、主要举措和成效", "    │ (一)强化组织领导"]
