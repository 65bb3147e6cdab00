"""Counts, a score ranking, and the "what do reports miss most" table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi_audit.base.paths import display_path
from fazhi_audit.model.result import ReportResult, baselined_count
from fazhi_audit.model.severity import SEVERITY_LABEL, SEVERITY_RANK

if TYPE_CHECKING:
    from fazhi_audit.rules.schema import Rule


def build_summary(results: list[ReportResult], rules: list[Rule] | None = None, previous: list[tuple[str, str | None]] = ()) -> dict:
    """The batch summary; `previous`: (report, last year's report or None) for each report when --previous was given."""
    readable = [r for r in results if not r.error]
    ranking = sorted(readable, key=lambda r: (r.score, r.path))

    # rule id -> (title, severity); passing `rules` also lists rules that never fired
    meta: dict[str, tuple[str, str]] = {rule.id: (rule.title, rule.severity) for rule in rules or []}
    missing: dict[str, set[str]] = {rid: set() for rid in meta}
    for r in readable:
        for f in r.findings:
            meta.setdefault(f.rule, (f.title, f.severity))
            hits = missing.setdefault(f.rule, set())
            if f.status != "pass":
                hits.add(r.path)  # a set: several findings of one rule count the report once

    levels = _levels(readable)
    n = len(readable)
    table = [
        {
            "rule": rid,
            "title": meta[rid][0],
            # the level each report was judged at (its profile, partly met errors as warnings), most severe first
            "severity": (levels.get(rid) or [meta[rid][1]])[0],
            "severities": levels.get(rid) or [meta[rid][1]],
            "missing": len(paths),
            "share": round(len(paths) / n, 4) if n else 0.0,
        }
        for rid, paths in missing.items()
    ]
    table.sort(key=lambda row: (-row["missing"], row["rule"]))
    return {
        "reports": len(results),
        "passed": sum(1 for r in readable if r.passed),
        "failed": sum(1 for r in readable if not r.passed),
        "unreadable": len(results) - n,
        "baselined": baselined_count(results),  # problems already in the baseline file
        "ranking": [{"path": r.path, "body": r.body, "score": r.score, "passed": r.passed} for r in ranking],
        "rules": table,
        "duplicates": duplicates(readable),
        **({"previous": previous_reports(results, previous)} if previous else {}),
    }


def _levels(readable: list[ReportResult]) -> dict[str, list[str]]:
    """Per rule, the levels its findings carried in these reports: those of the misses when there are any."""
    missed: dict[str, set[str]] = {}
    seen: dict[str, set[str]] = {}
    for r in readable:
        for f in r.findings:
            seen.setdefault(f.rule, set()).add(f.severity)
            if f.status != "pass":
                missed.setdefault(f.rule, set()).add(f.severity)
    return {rid: sorted(missed.get(rid) or levels, key=lambda sev: -SEVERITY_RANK.get(sev, 0)) for rid, levels in seen.items()}


def duplicates(readable: list[ReportResult]) -> list[dict]:
    """The same body and year submitted more than once (e.g. a .docx and a .pdf of one report)."""
    groups: dict[tuple[str, int], list[str]] = {}
    for r in readable:
        if r.body and r.year:
            groups.setdefault((r.body, r.year), []).append(r.path)
    return [{"body": body, "year": year, "paths": paths} for (body, year), paths in sorted(groups.items()) if len(paths) > 1]


def previous_reports(results: list[ReportResult], previous: list[tuple[str, str | None]]) -> list[dict]:
    """Which reports were compared with last year's report (--previous), in the order of the results."""
    found = {display_path(report): last for report, last in previous}
    return [{"path": r.path, "previous": found[r.path]} for r in results if r.path in found]


def levels_label(row: dict) -> str:
    """`警告`, or `警告/提示` when reports of different kinds were judged at different levels."""
    return "/".join(SEVERITY_LABEL.get(sev, sev) for sev in row.get("severities") or [row["severity"]])
