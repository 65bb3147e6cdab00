"""What the comments say, in Chinese: one line per fact, as a clerk reads them in Word's margin."""

from __future__ import annotations

import re

from fazhi_audit.model.result import Evidence, Finding, ItemResult, ProfileInfo, ReportResult
from fazhi_audit.render.formatters._common import (
    SEVERITY_LABEL,
    baselined_problems,
    not_checked,
    problems,
    profile_line,
    verdict_with_reason,
)

_QUOTE_CHARS = 40  # evidence quoted in a comment is cut to this length
_PLACES_SHOWN = 6  # sentences named in one comment; more are counted
_FRACTION = re.compile(r"(\d+)/\d+\s*(?=[个项])")  # 2/4 个问题 -> 2 个问题
_PERCENT = re.compile(r"（\d+%）")
_COMMAND_OPTION = re.compile(r"（[^（）]*--[a-z][^（）]*）")  # （用 --previous 指定…）: clerks never see a command line


def finding(finding: Finding, seen: list[ItemResult], missing: list[ItemResult], where: str, others: list[Evidence], profile: ProfileInfo | None = None) -> str:
    """【级别】规则名称 / 问题 / the sentences concerned / 修改建议 / 依据 / 说明 — in the clerk's words, no rule ids."""
    head = f"【{SEVERITY_LABEL.get(finding.severity, finding.severity)}】{finding.title}"
    if finding.baselined:
        head += "（已列入基线）"
    message, note = _split_profile_note(finding.message, profile)
    lines = [head, f"问题：{plain(message, detailed=bool(seen or missing))}"]
    shown = seen[:_PLACES_SHOWN]
    for item in shown:
        lines.append(f"· “{_quote(item.evidence.text)}”：{_item_problem(item)}")
    if len(seen) > len(shown):
        lines.append(f"· 另有 {len(seen) - len(shown)} 处同样的问题")
    for evidence in others[:_PLACES_SHOWN]:
        lines.append(f"· 另见“{_quote(evidence.text)}”")  # line numbers mean nothing in Word
    if missing:
        lines.append("报告中没有写到：" + "、".join(item.name for item in missing) + (f"（{where}）" if where else ""))
    if finding.fix:
        lines.append(f"修改建议：{plain(finding.fix)}")
    if finding.basis:
        lines.append(f"依据：{finding.basis}")
    if note:
        lines.append(f"说明{note}")
    return "\n".join(lines)


def plain(text: str, detailed: bool = False) -> str:
    """Rule messages without shorthand: no 2/4 fractions or percentages, no command-line options.

    `detailed`: the sentences are listed below, so a count after the colon is dropped."""
    text = _COMMAND_OPTION.sub("", text)
    head, colon, tail = text.partition("：")
    if detailed and colon and _FRACTION.search(tail):
        text = head
    return _PERCENT.sub("", _FRACTION.sub(r"\1 ", text)).strip()


def _split_profile_note(message: str, profile: ProfileInfo | None) -> tuple[str, str]:
    """`…（乡镇（街道）：乡镇一般不制发规范性文件）` -> the message and the profile's note, shown apart."""
    if profile is not None:
        at = message.rfind(f"（{profile.label}：")
        if at > 0 and message.endswith("）"):
            rest = message[at + len(profile.label) + 2 : -1]
            return message[:at], f"（{profile.label}）：{rest}"
    return message, ""


def _item_problem(item: ItemResult) -> str:
    """What is wrong with this sentence: the item's note, naming the words concerned when they are only part of it."""
    text = item.evidence.text if item.evidence else ""
    part_of_sentence = item.name in text and len(item.name) <= len(text) * 0.6
    if not item.note:
        return f"“{item.name}”有问题" if part_of_sentence or item.name not in text else "此处有问题"
    if part_of_sentence and item.name not in item.note:
        return f"“{item.name}”，{item.note}"
    return item.note


def joined(texts: list[str]) -> str:
    """Comments beyond the per-paragraph limit, in one comment."""
    return f"本段另有 {len(texts)} 条意见：\n\n" + "\n\n".join(texts)


def add_here() -> str:
    return "可在此处与已写明的内容一并补写"


def overall(result: ReportResult, generated_from: str | None = None) -> str:
    """Score, verdict and why, problems counted by level, the profile, what was not checked."""
    found = [f for f in problems(result) if not not_checked(f)]
    lines = [f"fazhi-audit 审查意见（总体）：得分 {result.score}，{verdict_with_reason(result)}"]
    counts = [f"{label} {sum(1 for f in found if f.severity == level)} 条" for level, label in SEVERITY_LABEL.items()]
    lines.append(f"问题：{'、'.join(counts)}" + ("，已在文中相应位置逐条批注" if found else ""))
    known = [f for f in baselined_problems(result) if not not_checked(f)]
    if known:
        lines.append(f"其中 {len(known)} 条已列入基线（不计为新问题）")
    if profile_line(result):
        lines.append(plain(profile_line(result)))
    for f in result.findings:
        if not_checked(f):
            lines.append(f"{'不适用' if f.not_applicable else '未检查'}：{f.title}——{plain(f.message)}")
    if generated_from:
        lines.append(f"说明：原文件 {generated_from} 不是 Word 文件，本文件由其提取的文字生成，各级标题已设为 Word 标题样式")
    return "\n".join(lines)


def belongs_here(part: str) -> str:
    return f"应在“{part}”部分写明"


def part_after() -> str:
    return "应作为单独一部分增设在本部分之后"


def part_before() -> str:
    return "应作为单独一部分增设在本部分之前"


def part_after_title() -> str:
    return "应作为单独一部分增设在正文中"


def _quote(text: str) -> str:
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + "…"
