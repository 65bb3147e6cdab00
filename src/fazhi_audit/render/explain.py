"""`rules explain ID` and `rules show ID`: one rule in plain Chinese.

`explain` is for the clerk who must satisfy the rule: what it checks and
where evidence may sit (the rule type's own words), its basis, how much it
weighs, how each kind of reporting body is held to it, one failing and one
passing example from the rule's own `examples`, and how to fix.  `show_lines`
is the rule's complete data.  Both return plain lines (no markup), so the
CLI prints them as they are and tests can read them.
"""

from __future__ import annotations

import re

from fazhi_audit.checks.findings import part_name
from fazhi_audit.model.severity import SEVERITY_MEANING
from fazhi_audit.render.formatters._common import SEVERITY_LABEL
from fazhi_audit.rules.profiles import Profile
from fazhi_audit.rules.schema import Example, Rule
from fazhi_audit.text.structure.outline import SectionVocabulary

# YAML folds a multi-line Chinese description with spaces between the lines.
_FOLD_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_EXAMPLE_LINES = 8  # lines of an example shown
_EXAMPLE_WIDTH = 70  # characters per example line
_INDENT = "  "

# What a message/fix placeholder stands for, when the rule gives no fixed value.
_PLACEHOLDERS = {
    "missing": "缺少的项目",
    "found": "发现的内容",
    "defect": "编号问题",
    "actual": "实际顺序",
    "published": "发布日期",
    "signed": "落款日期",
    "date": "日期",
}


def explain(rule: Rule, vocab: SectionVocabulary, profile_lines: list[str] | None = None) -> list[str]:
    """The rule explained, one printable line per entry."""
    out = [f"{rule.id}  {rule.title}", ""]
    out += _section("检查什么", _what(rule, vocab))
    out += _section("依据", [f"· {_basis_line(b)}" for b in rule.basis])
    out += _section("级别与权重", [f"级别：{_severity(rule.severity)}", f"权重：{rule.weight:g}（得分按适用规则的权重加权）"])
    if profile_lines:
        out += _section("按报告主体类型", [f"· {line}" for line in profile_lines])
    failing, passing = pick_examples(rule)
    if failing:
        out += _section("不通过的例子", _example(failing, rule, vocab, passed=False))
    if passing:
        out += _section("通过的例子", _example(passing, rule, vocab, passed=True))
    out += _section("怎样修改", _fix(rule, vocab))
    return out[:-1] if out and out[-1] == "" else out


def _severity(severity: str) -> str:
    """错误（不满足即判为不通过）: the level and what it means for the verdict."""
    label = SEVERITY_LABEL.get(severity, severity)
    return f"{label}（{SEVERITY_MEANING[severity]}）" if severity in SEVERITY_MEANING else label


def _section(heading: str, body: list[str]) -> list[str]:
    return [f"【{heading}】", *(_INDENT + line for line in body), ""]


def _basis_line(basis) -> str:
    # Basis.cite() shows the article only when verified; the note says why it applies.
    return basis.cite() + (f"：{basis.note}" if basis.note else "")


def readable(template: str, rule: Rule) -> str:
    """A message or fix with its {placeholders} in words, or their fixed values."""
    fixed = rule.rule_type.placeholders(rule)

    def word(m: re.Match) -> str:
        key = m.group(1)
        return fixed.get(key) or f"〈{_PLACEHOLDERS.get(key, key)}〉"

    return re.sub(r"\{(\w+)\}", word, template)


def _fix(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    lines = [readable(rule.fix, rule)]
    hint = rule.rule_type.fix_hint(rule, vocab) if "{missing}" in rule.fix else None
    if hint:
        lines.append(hint)
    elif "{found}" in rule.fix:
        lines.append("（〈发现的内容〉指检查结果中列出的原文）")
    return lines


def _what(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    lines = []
    if rule.description:
        lines.append(_FOLD_SPACE.sub("", rule.description))
    lines += rule.rule_type.explain(rule, vocab)
    lines.append(f"不满足时提示：{readable(rule.message, rule)}")
    return lines


def pick_examples(rule: Rule) -> tuple[Example | None, Example | None]:
    """One failing (status fail, or items not found) and one passing (status pass, or items found)."""
    failing = (
        next((e for e in rule.examples if e.status == "fail"), None)
        or next((e for e in rule.examples if e.status is None and e.not_found and not e.found), None)
        or next((e for e in rule.examples if e.status is None and e.not_found), None)
    )
    passing = (
        next((e for e in rule.examples if e.status == "pass"), None)
        or next((e for e in rule.examples if e.status is None and e.found and not e.not_found), None)
        or next((e for e in rule.examples if e.status is None and e.found), None)
    )
    return failing, passing


def example_lines(example: Example) -> list[str]:
    """The example's text as shown: at most a few lines, each trimmed."""
    lines = [line.strip() for line in example.text.strip().splitlines() if line.strip()]
    shown = [line if len(line) <= _EXAMPLE_WIDTH else line[: _EXAMPLE_WIDTH - 1] + "…" for line in lines[:_EXAMPLE_LINES]]
    if len(lines) > _EXAMPLE_LINES:
        shown.append(f"……（另有 {len(lines) - _EXAMPLE_LINES} 行）")
    return shown


def _example(example: Example, rule: Rule, vocab: SectionVocabulary, passed: bool) -> list[str]:
    out = []
    if example.section:
        out.append(f"（以下文字位于“{vocab.label(example.section)}”部分）")
    out += [f"│ {line}" for line in example_lines(example)]
    if example.found and passed:
        out.append(f"结果：找到 {'、'.join(example.found)}")
    elif example.not_found and not passed:
        verdict = f"结果：不计入 {'、'.join(example.not_found)}"
        if example.found:
            verdict += f"（找到 {'、'.join(example.found)}）"
        out.append(verdict)
    else:
        out.append("结果：" + ("通过" if passed else "不通过"))
    return out


def profile_lines(rule: Rule, profiles: dict[str, Profile], vocab: SectionVocabulary) -> list[str]:
    """How each kind of reporting body is held to the rule."""
    lines = []
    for p in profiles.values():
        adj = p.rules.get(rule.id)
        if adj is not None and not adj.enabled:
            lines.append(f"{p.label}：不适用")
            continue
        parts = [SEVERITY_LABEL.get(adj.severity if adj and adj.severity else rule.severity, rule.severity)]
        weight = adj.weight if adj and adj.weight is not None else rule.weight
        parts.append(f"权重 {weight:g}")
        for key, value in adj.params if adj else ():
            parts.append(f"{rule.rule_type.label(key, rule.wording)} {rule.rule_type.words(key, value, vocab, rule.wording)}")
        note = f"（{adj.note}）" if adj and adj.note else ""
        lines.append(f"{p.label}：{'，'.join(parts)}{note}")
    return lines


def show_lines(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    """The rule's complete data: common fields, the type's keys, every example."""
    out = [f"{rule.id}  {rule.title}", f"级别：{rule.severity}    权重：{rule.weight:g}    类型：{rule.type}    文件：{rule.path}"]
    if rule.description:
        out.append(f"说明：{_FOLD_SPACE.sub('', rule.description)}")
    out.append(f"依据：{rule.basis_text}")
    for label, value in rule.rule_type.show(rule.params, vocab, rule.wording):
        out += f"{label}：{value}".split("\n")  # a list value (items) is one line per entry
    out.append(f"提示：{rule.message}")
    out.append(f"修改建议：{rule.fix}")
    for ex in rule.examples:
        name = f"“{ex.name}”" if ex.name else ""
        section = f"位于“{part_name(ex.section, vocab)}”；" if ex.section else ""
        text = [line.strip() for line in ex.text.strip().splitlines()]
        head = f"  例{name}（{section}{_expectations(ex, vocab)}）："
        out += [head + text[0]] if len(text) == 1 else [head, *(f"    │ {line}" for line in text)]
    return out


def _expectations(example: Example, vocab: SectionVocabulary) -> str:
    parts = [example.status] if example.status else []
    if example.found:
        parts.append("应找到 " + "、".join(example.found))
    if example.not_found:
        parts.append("不应找到 " + "、".join(example.not_found))
    if example.message is not None:
        parts.append(f"提示含“{example.message}”")
    if example.findings is not None:
        parts.append(f"{example.findings} 条结果")
    if example.evidence_section is not None:
        parts.append(f"证据位于“{part_name(example.evidence_section, vocab)}”")
    return "；".join(parts)


def rules_table(rules):
    """`rules list`: ids whole (they are what one types), levels in Chinese, names wrapped; fits 80 columns."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, caption_justify="left")
    table.add_column("规则", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("权重", no_wrap=True, justify="right")
    table.add_column("名称", overflow="fold")
    for r in rules:
        table.add_row(r.id, SEVERITY_LABEL.get(r.severity, r.severity), f"{r.weight:g}", r.title)
    table.caption = "详情：fazhi-audit rules explain 规则id（说明）、rules show 规则id（数据）"
    return table
