"""Rule weights -> a 0-100 score, and the pass/fail verdict."""

from __future__ import annotations

from collections import defaultdict

from fazhi_audit.model.result import Finding
from fazhi_audit.rules.schema import Rule


def score(findings: list[Finding], rules: list[Rule]) -> int:
    weights = {r.id: r.weight for r in rules}
    credit: dict[str, float] = defaultdict(lambda: 1.0)
    applicable: set[str] = set()
    for f in findings:
        if not f.scored:
            continue
        applicable.add(f.rule)
        # A rule with several findings (numbering defects) earns its weakest credit.
        credit[f.rule] = min(credit[f.rule], f.credit)
    total = sum(weights[r] for r in applicable)
    if total == 0:
        return 100
    earned = sum(weights[r] * credit[r] for r in applicable)
    return round(100 * earned / total)


def verdict_reasons(findings: list[Finding], value: int, fail_under: float = 0) -> list[str]:
    """Why a report fails, one Chinese phrase per reason; empty when it passes.

    The one place the verdict is decided: the audit and the baseline both
    call it (the baseline with only the findings that are new).
    """
    reasons = []
    seen = set()
    for f in findings:
        if f.severity == "error" and f.status == "fail" and f.rule not in seen:
            seen.add(f.rule)
            reasons.append(f"未满足“{f.title}”（错误）")
    if value < fail_under:
        reasons.append(f"得分 {value} 低于 {fail_under:g}")
    return reasons


def passed(findings: list[Finding], value: int, fail_under: float = 0) -> bool:
    return not verdict_reasons(findings, value, fail_under)
