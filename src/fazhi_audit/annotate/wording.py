"""What the comments say, in Chinese: one line per fact, as a clerk reads them in Word's margin."""

from __future__ import annotations

from fazhi_audit.model.result import Evidence, Finding, ItemResult, ReportResult
from fazhi_audit.render.formatters._common import (
    SEVERITY_LABEL,
    baselined_problems,
    not_checked,
    problems,
    profile_line,
    verdict_with_reason,
)

_QUOTE_CHARS = 40  # evidence quoted in another comment is cut to this length
_ELSEWHERE_SHOWN = 3


def finding(finding: Finding, seen: list[ItemResult], missing: list[ItemResult], where: str, elsewhere: list[Evidence]) -> str:
    """【级别】规则标题 / 问题 / 修改建议 / 依据, then what is at this place and where else to look."""
    head = f"【{SEVERITY_LABEL.get(finding.severity, finding.severity)}】{finding.title}（{finding.rule}）"
    if finding.baselined:
        head += "（已列入基线）"
    lines = [head, f"问题：{finding.message}"]
    if finding.fix:
        lines.append(f"修改建议：{finding.fix}")
    if finding.basis:
        lines.append(f"依据：{finding.basis}")
    for item in seen:
        lines.append(f"此处：{item.name}" + (f"——{item.note}" if item.note else ""))
    if missing:
        lines.append("未见：" + "、".join(item.name for item in missing) + (f"（{where}）" if where else ""))
    for evidence in elsewhere[:_ELSEWHERE_SHOWN]:
        lines.append(f"另见：“{_quote(evidence.text)}”")  # line numbers mean nothing in Word
    return "\n".join(lines)


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
        lines.append(profile_line(result))
    for f in result.findings:
        if not_checked(f):
            lines.append(f"{'不适用' if f.not_applicable else '未检查'}：{f.title}——{f.message}")
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
