"""One run: the results of every report and what was worked out about them once (summary, exit code)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fazhi_audit import __version__
from fazhi_audit.base.exit_codes import ExitCode
from fazhi_audit.model.result import ReportResult

if TYPE_CHECKING:
    from fazhi_audit.rules.schema import Rule

# Called after each report is audited: (reports done, reports in all, the result).
ProgressCallback = Callable[[int, int, ReportResult], None]


@dataclass
class Run:
    """Everything a formatter needs about one run, each value computed once."""

    results: list[ReportResult]  # in input order
    rules: list[Rule]  # the rules the reports were judged by (union over rule sets)
    baseline_compared: bool = False
    stale_baseline: list[Any] = field(default_factory=list)  # baseline entries no longer found
    skipped: int = 0  # files passed over during discovery (not reports by extension)
    notes: list[str] = field(default_factory=list)  # one-line remarks for stderr
    exit_zero: bool = False
    previous: list[tuple[str, str | None]] = field(default_factory=list)  # --previous: (report, last year's report or None)
    version: str = __version__
    rulesets: dict[str, Any] = field(default_factory=dict, repr=False)  # the RuleSet each report was judged by, by path
    summary: dict = field(init=False)
    exit_code: ExitCode = field(init=False)

    def __post_init__(self) -> None:
        from fazhi_audit.base.sanitize import clean
        from fazhi_audit.model.summary import build_summary

        for result in self.results:
            clean(result)  # no control sequence from a sender reaches any output
        self.notes = clean(self.notes)

        self.summary = build_summary(self.results, self.rules, self.previous)
        self.exit_code = exit_code_for(self.results, self.exit_zero)

    @property
    def readable(self) -> list[ReportResult]:
        return [r for r in self.results if not r.error]

    @property
    def unreadable(self) -> list[ReportResult]:
        return [r for r in self.results if r.error]


def exit_code_for(results: list[ReportResult], exit_zero: bool = False) -> ExitCode:
    """3 if any input is unreadable (even with --exit-zero), else 1 if any report fails, else 0."""
    if any(r.error for r in results):
        return ExitCode.UNREADABLE
    if any(not r.passed for r in results) and not exit_zero:
        return ExitCode.FAILED
    return ExitCode.OK
