"""Small helpers every formatter shares, so all formats agree on lines and wording."""

from __future__ import annotations

from fazhi_audit.model.result import (  # noqa: F401
    Evidence,
    Finding,
    ProfileInfo,
    ReportResult,
    baselined_count,
    baselined_problems,
    is_problem,
    new_problems,
    problems,
)
from fazhi_audit.model.severity import SEVERITY_LABEL, STATUS_LABEL  # noqa: F401

PLACEHOLDER = "……"  # stands in for {missing} where no item names are known
PROFILE_CAPTION = "报告主体类型"
BASELINED_LABEL = "已列入基线"  # a finding already recorded in the baseline file
BASELINE_JUSTIFICATION = "已列入基线文件"


def baseline_note(count: int) -> str:
    """The one wording every format uses for known findings."""
    return f"基线中已有 {count} 条（不计为新问题）"


def profile_text(profile: ProfileInfo | None) -> str:
    """`乡镇（街道）（检测自主体名称“某某镇”）`; empty when no profile was chosen."""
    if profile is None:
        return ""
    return f"{profile.label}（{profile.source}）" if profile.source else profile.label


def profile_line(result: ReportResult) -> str:
    """`报告主体类型：…`, or empty when the result has no profile."""
    text = profile_text(result.profile)
    return f"{PROFILE_CAPTION}：{text}" if text else ""


def verdict(result: ReportResult) -> str:
    if result.error:
        return "无法读取"
    return "通过" if result.passed else "不通过"


def verdict_with_reason(result: ReportResult) -> str:
    """`不通过：未满足“…”（错误）；得分 58 低于 60` — the verdict and why, in one line."""
    text = verdict(result)
    if result.reasons and not result.passed:
        text += "：" + "；".join(result.reasons)
    return text


def problem_order(finding: Finding) -> tuple:
    """Errors first, then warnings, then hints; within a level by position in the report."""
    line = finding_line(finding)
    return (-_SEVERITY_ORDER.get(finding.severity, 0), line if line is not None else 10**9, finding.rule)


_SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def not_checked(finding: Finding) -> bool:
    """A rule that could not run or does not apply (no date, 本年度未作出重大行政决策 …)."""
    return not finding.scored


def partly_met(finding: Finding) -> bool:
    """Passing overall, but with some items missing (e.g. 纲要 coverage 6/10)."""
    return finding.status == "pass" and finding.scored and any(not i.found for i in finding.items)


def first_evidence(finding: Finding) -> Evidence | None:
    return next((i.evidence for i in finding.items if i.evidence), None)


def finding_line(finding: Finding) -> int | None:
    """The finding's own line, else where its first evidence sits; None if unknown."""
    line = finding.line
    if not line:
        ev = first_evidence(finding)
        line = ev.line if ev else None
    return line if line and line >= 1 else None


def missing_items(finding: Finding) -> list[str]:
    return [i.name for i in finding.items if not i.found]


def template_text(text: str) -> str:
    """A rule-level template (no finding at hand) with placeholders made readable."""
    return (text or "").replace("{missing}", PLACEHOLDER).replace("{found}", PLACEHOLDER)


def evidence_lines(finding: Finding) -> list[str]:
    """Human-readable evidence: where each item was (or was not) seen."""
    out = []
    for item in finding.items:
        ev = item.evidence
        if ev is None:
            if not item.found:
                out.append(f"未见：{item.name}")
            continue
        mark = "已见" if item.found else "不计入"
        note = f"（{item.note}）" if item.note else ""
        out.append(f"{mark}：{item.name}，第{ev.line}行{note}：{ev.text}")
    return out
