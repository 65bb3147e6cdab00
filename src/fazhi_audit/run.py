"""The run layer: paths in, one `Run` out.

Discovery, settings per file, rule-set loading, the audit itself, the
baseline, the summary and the exit code are all worked out here, once. The
CLI, the web page and other programs call `run()` and hand the `Run` to a
formatter; none of them repeats any of this.

    from fazhi_audit.run import run
    outcome = run(["报告/"])
    print(outcome.exit_code, outcome.summary["failed"])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UsageError
from .exit_codes import ExitCode
from .report.model import ReportResult
from .rules.schema import Rule

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
    version: str = __version__
    summary: dict = field(init=False)
    exit_code: ExitCode = field(init=False)

    def __post_init__(self) -> None:
        from .report.formatters.summary import build_summary
        from .report.sanitize import clean

        for result in self.results:
            clean(result)  # no control sequence from a sender reaches any output
        self.notes = clean(self.notes)

        self.summary = build_summary(self.results, self.rules)
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


def run(
    paths: list[str],
    flags: dict | None = None,
    *,
    config: str | Path | None = None,
    isolated: bool = False,
    with_baseline: bool = True,
    exit_zero: bool = False,
    on_progress: ProgressCallback | None = None,
    outputs: list[Path] = (),
) -> Run:
    """Audit the reports that `paths` name (files, folders, globs, "-").

    `flags` are command-line values by config key (profile, select, ignore,
    rules, fail-under, jobs, baseline); they win over config files.
    `outputs` are the files the caller will write: naming an input is refused.
    Raises UsageError / RuleFileError when the run cannot start (exit 2).
    """
    from .config import Resolver, check_against_rules
    from .discovery import discover
    from .runner import DEFAULT_TIMEOUT, Job, audit_all, default_jobs

    inputs = discover(paths)
    if not inputs.files:
        raise UsageError("没有找到可检查的报告文件（支持 .txt/.md/.docx/.pdf/.html）")
    _refuse_overwriting_inputs(inputs.files, outputs)
    resolver = Resolver(flags or {}, config, isolated=isolated)
    files = [f for f in inputs.files if not resolver.excluded(f)]
    notes: list[str] = list(getattr(inputs, "notes", []))
    if inputs.skipped:
        notes.append(f"已跳过 {inputs.skipped} 个非报告文件（扩展名不受支持）")
    if len(files) < len(inputs.files):
        notes.append(f"已按配置 exclude 跳过 {len(inputs.files) - len(files)} 个文件")

    # Load and validate every rule set before any work, so a bad rule or
    # config file fails fast with exit 2.
    rulesets: dict = {}
    checked: set = set()
    jobs = []
    for f in files:
        resolved = resolver.resolve(f)
        key = resolved.rules_key
        if key not in rulesets:
            rulesets[key] = load_rules_for(resolved)
        settings = resolved.audit_settings()
        if (key, settings) not in checked:
            check_against_rules(resolved, [r.id for r in rulesets[key].rules], rulesets[key].profiles)
            checked.add((key, settings))
        jobs.append(Job(f, settings, key))
    notes.extend(getattr(resolver, "notes", []))

    run_wide = resolver.resolve(files[0] if files else paths[0])
    workers = run_wide["jobs"] or default_jobs()
    baseline = None
    if with_baseline and run_wide["baseline"]:
        from .baseline import load_baseline

        baseline = load_baseline(run_wide["baseline"])  # a bad baseline fails before the long part

    done = 0

    def advance(result: ReportResult) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, len(jobs), result)

    # Reports in the order of their paths, whatever order they were given or finished in.
    jobs.sort(key=lambda job: Path(job.path).parts)
    timeout = run_wide.values.get("timeout", DEFAULT_TIMEOUT)  # --timeout; config key "timeout" once config.py has it
    results = audit_all(jobs, rulesets, workers, on_result=advance, timeout=timeout)
    rules = list({r.id: r for rs in rulesets.values() for r in rs.rules}.values()) or load_rules().rules

    stale: list = []
    if baseline is not None:
        from .baseline import apply_baseline, stale_message, summary_message

        outcome = apply_baseline(baseline, results)
        stale = list(outcome.stale)
        notes.append(summary_message(outcome))
        if stale_message(outcome):
            notes.append(stale_message(outcome))
    return Run(results, rules, baseline is not None, stale, inputs.skipped, notes, exit_zero)


def _refuse_overwriting_inputs(files: list[str], outputs) -> None:
    targets = {_same_file_key(p) for p in outputs if p is not None and str(p) != "-"}
    for f in files:
        if f != "-" and _same_file_key(f) in targets:
            raise UsageError(f"输出文件 {f} 也是被检查的报告：请换一个输出路径，以免覆盖报告")


def _same_file_key(path) -> str:
    return str(Path(path).resolve())


def load_rules_for(resolved):
    """The rule set a resolved configuration names: its pack plus extend-rules."""
    pack, extend = resolved.rules_key
    return load_rules(Path(pack) if pack else None, extend)


def load_rules(rules: Path | None = None, extend: tuple[str, ...] = ()):
    from .api import default_rules_dir
    from .rules.loader import load_ruleset

    return load_ruleset(rules or default_rules_dir(), tuple(Path(d) for d in extend))


def ruleset_for_commands(rules: Path | None, config: Path | None = None, no_config: bool = False):
    """The rules `rules list/show/test` work on: --rules, else the config's rules and extend-rules."""
    from .config import Resolver

    flags = {"rules": str(rules.resolve()) if rules else None}
    return load_rules_for(Resolver(flags, config, isolated=no_config).resolve("."))
