"""`rules explain ID`: one rule in plain Chinese, for the clerk who must satisfy it.

What it checks and where evidence may sit, its basis, how much it weighs,
one failing and one passing example from the rule's own `examples`, and how
to fix.  Returns plain lines (no markup), so the CLI can print them as they
are and tests can read them.
"""

from __future__ import annotations

import re

from ..matching import GAP
from ..rules.schema import Example, Rule
from ..structure.outline import SectionVocabulary

SEVERITY_LABELS = {"error": "错误（不满足即判为不通过）", "warning": "警告（按权重扣分）", "info": "提示（按权重扣分，供参考）"}
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
    out += _section("级别与权重", [f"级别：{SEVERITY_LABELS.get(rule.severity, rule.severity)}", f"权重：{rule.weight:g}（得分按适用规则的权重加权）"])
    if profile_lines:
        out += _section("按报告主体类型", [f"· {line}" for line in profile_lines])
    failing, passing = pick_examples(rule)
    if failing:
        out += _section("不通过的例子", _example(failing, rule, vocab, passed=False))
    if passing:
        out += _section("通过的例子", _example(passing, rule, vocab, passed=True))
    out += _section("怎样修改", _fix(rule, vocab))
    return out[:-1] if out and out[-1] == "" else out


def _section(heading: str, body: list[str]) -> list[str]:
    return [f"【{heading}】", *(_INDENT + line for line in body), ""]


def _basis_line(basis) -> str:
    # Basis.cite() shows the article only when verified; the note says why it applies.
    return basis.cite() + (f"：{basis.note}" if basis.note else "")


def readable(template: str, rule: Rule) -> str:
    """A message or fix with its {placeholders} in words, or their fixed values."""

    def word(m: re.Match) -> str:
        key = m.group(1)
        if key == "deadline":
            month, day = (int(x) for x in rule.deadline.split("-"))
            return f"次年{month}月{day}日"
        if key == "missing" and rule.type == "required-heading" and rule.headings:
            return rule.headings[0]
        return f"〈{_PLACEHOLDERS.get(key, key)}〉"

    return re.sub(r"\{(\w+)\}", word, template)


def _fix(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    lines = [readable(rule.fix, rule)]
    if "{missing}" in rule.fix and rule.type == "required-items":
        lines.append(f"（〈缺少的项目〉指检查时未找到的项目，可能是：{'、'.join(i.name for i in rule.items)}）")
    elif "{missing}" in rule.fix and rule.type == "required-sections":
        lines.append(f"（〈缺少的项目〉指检查时未找到的部分，可能是：{_labels(rule.sections, vocab)}）")
    elif "{found}" in rule.fix:
        lines.append("（〈发现的内容〉指检查结果中列出的原文）")
    return lines


def _phrases(phrases) -> str:
    return "、".join(p.replace(GAP, "……") for p in phrases)


def _labels(kinds, vocab: SectionVocabulary) -> str:
    return "、".join(f"“{vocab.label(k)}”" for k in kinds)


def _what(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    lines = []
    if rule.description:
        lines.append(_FOLD_SPACE.sub("", rule.description))
    lines += _WHAT_BY_TYPE.get(rule.type, lambda r, v: [])(rule, vocab)
    lines.append(f"不满足时提示：{readable(rule.message, rule)}")
    return lines


def _what_items(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    lines = [f"证据范围：只认{_labels(rule.scope, vocab)}部分中、写成已经做了的表述；只在其他部分出现、或写成问题和计划（如“有待”“下一步”）的不计入。"]
    if rule.min_found:
        lines.append(f"共 {len(rule.items)} 项，找到其中 {rule.min_found} 项以上即为通过。")
    else:
        lines.append(f"逐项检查以下 {len(rule.items)} 项，每缺一项扣相应的分：" if len(rule.items) > 1 else "检查以下内容：")
    gapped = False
    for item in rule.items:
        parts = [f"· {item.name}：认可的说法有 {_phrases(item.phrases)}"]
        if item.weak:
            parts.append(f"须与“{'”“'.join(rule.context)}”等词同句出现才计入的说法有 {_phrases(item.weak)}")
        if item.negatives:
            parts.append(f"不计入的近似说法有 {_phrases(item.negatives)}")
        gapped = gapped or any(GAP in p for p in (*item.phrases, *item.weak))
        lines.append("；".join(parts))
    if gapped:
        lines.append("“……”表示前后两部分可以相隔几个字（在同一分句内）。")
    lines.append(f"允许个别错别字（相似度不低于 {rule.threshold:g}），但差异处构成另一个词语的不算。")
    return lines


def _what_sections(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return [f"证据范围：报告的一级标题。须单列的部分：{_labels(rule.sections, vocab)}；只在其他部分的小标题或正文中提到的不算单列。"]


def _what_order(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return [f"证据范围：报告的一级标题。规定的顺序：{'→'.join(vocab.label(k) for k in vocab.canonical_order)}。"]


def _what_causes(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return [
        f"证据范围：{_labels(['shortcomings'], vocab)}部分的正文（只在标题中写“原因”的为部分满足）。",
        f"表示原因分析的词语：{_phrases(rule.cues)}",
    ]


def _what_numbering(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return ["证据范围：全文各级标题（一、（一）1.（1））和段内“一是、二是……”；每处跳号、重号或未编号的小标题单独列出。"]


def _what_patterns(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    where = f"{_labels(rule.scope, vocab)}部分" if rule.scope else "全文（含标题）"
    return [f"证据范围：{where}。", "查找的写法（正则表达式）：" + "  ".join(p.pattern for p in rule.patterns)]


def _what_disclosure(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    month, day = (int(x) for x in rule.deadline.split("-"))
    return [f"证据范围：网页上显示的发布日期（发布时间、发布日期等）；应早于报告年度次年{month}月{day}日。页面没有发布日期时不检查、不计分。"]


def _what_submission(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    month, day = (int(x) for x in rule.deadline.split("-"))
    return [f"证据范围：报告末尾的落款日期（如“2024年2月26日”“二〇二四年二月二十六日”，可在单位名称之后）；应早于报告年度次年{month}月{day}日。正文中的日期不算；没有落款日期时不检查、不计分。"]


def _what_heading(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    where = "报告的一级标题（各部分的标题）" if rule.level == "top" else "报告任一级别的标题"
    return [
        f"证据范围：{where}；只在正文中提到{'或只作为下级标题' if rule.level == 'top' else ''}的不算。",
        f"标题中应出现以下说法之一：{_phrases(rule.headings)}（允许个别错别字，相似度不低于 {rule.threshold:g}）。",
    ]


_WHAT_BY_TYPE = {
    "required-items": _what_items,
    "required-sections": _what_sections,
    "section-order": _what_order,
    "causes": _what_causes,
    "numbering": _what_numbering,
    "forbidden-patterns": _what_patterns,
    "disclosure-deadline": _what_disclosure,
    "submission-deadline": _what_submission,
    "required-heading": _what_heading,
}


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
