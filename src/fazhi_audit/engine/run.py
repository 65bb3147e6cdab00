"""The run layer: paths in, one `Run` out.

Discovery, settings per file, rule-set loading, the audit itself, the
baseline, the summary and the exit code are all worked out here, once. The
CLI, the web page and other programs call `run()` and hand the `Run` to a
formatter; none of them repeats any of this.

    from fazhi_audit.engine.options import Options
    from fazhi_audit.engine.run import run
    outcome = run(Options(["报告/"]))
    print(outcome.exit_code, outcome.summary["failed"])
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fazhi_audit.base.errors import UsageError
from fazhi_audit.engine.options import Options
from fazhi_audit.model.result import ReportResult
from fazhi_audit.model.run import ProgressCallback, Run, exit_code_for  # noqa: F401  (re-exported)


def run(options: Options) -> Run:
    """Audit the reports that `options.paths` name (files, folders, globs, "-").

    The settings `options` gives are the command line's layer of the
    configuration: they win over config files. Raises UsageError /
    RuleFileError when the run cannot start (exit 2).
    """
    from fazhi_audit.engine.config import Resolver, check_against_rules
    from fazhi_audit.engine.discovery import discover
    from fazhi_audit.engine.pool import Job, audit_all, default_jobs

    paths = list(options.paths)
    inputs = discover(paths)
    if not inputs.files:
        skipped = "；".join(getattr(inputs, "notes", []))
        raise UsageError("没有找到可检查的报告文件（支持 .txt/.md/.docx/.pdf/.html）" + (f"：{skipped}" if skipped else ""))
    _refuse_overwriting_inputs(inputs.files, options.outputs)
    resolver = Resolver(options.flags(), options.config, isolated=options.isolated, flags_source=options.flags_source)
    files = [f for f in inputs.files if not resolver.excluded(f)]
    notes: list[str] = list(getattr(inputs, "notes", []))
    if inputs.skipped:
        notes.append(f"已跳过 {inputs.skipped} 个非报告文件（扩展名不受支持）")
    if len(files) < len(inputs.files):
        notes.append(f"已按配置 exclude 跳过 {len(inputs.files) - len(files)} 个文件")

    # Load and validate every rule set before any work, so a bad rule or
    # config file fails fast with exit 2.
    anchor = next((f for f in files if f not in inputs.refused), paths[0])  # a refused path may not even resolve
    last_year = LastYear(resolver.resolve(anchor).values.get("previous") if files else None, files)
    rulesets: dict = {}
    checked: set = set()
    jobs = []
    refused = [ReportResult(path=f, error=inputs.refused[f]) for f in files if f in inputs.refused]
    for f in files:
        if f in inputs.refused:  # a dangling link, a folder nested too deep: an error row, never opened
            continue
        resolved = resolver.resolve(f)
        key = resolved.rules_key
        if key not in rulesets:
            cache = options.rule_cache if options.rule_cache is not None else {}
            if key not in cache:
                cache[key] = load_rules_for(resolved)
            rulesets[key] = cache[key]
        settings = resolved.audit_settings()
        if (key, settings) not in checked:
            check_against_rules(resolved, [r.id for r in rulesets[key].rules], rulesets[key].profiles)
            checked.add((key, settings))
        if resolved.values.get("previous"):
            settings = replace(settings, previous=last_year.settle(f))
        if options.keep_documents:
            settings = replace(settings, keep_document=True)
        jobs.append(Job(f, settings, key))
    notes.extend(getattr(resolver, "notes", []))

    run_wide = resolver.resolve(anchor)
    workers = run_wide["jobs"] or default_jobs()
    baseline = None
    if options.with_baseline and run_wide["baseline"]:
        from fazhi_audit.engine.baseline import load_baseline

        baseline = load_baseline(run_wide["baseline"])  # a bad baseline fails before the long part

    done = 0

    def advance(result: ReportResult) -> None:
        nonlocal done
        done += 1
        if options.on_progress:
            options.on_progress(done, len(jobs) + len(refused), result)

    # Reports in the order of their paths, whatever order they were given or finished in.
    jobs.sort(key=lambda job: Path(job.path).parts)
    timeout = run_wide["timeout"]  # --timeout, else the config's timeout (default 60 s)
    results = audit_all(jobs, rulesets, workers, on_result=advance, timeout=timeout)
    rulesets_by_path = {result.path: rulesets[job.rules_key] for job, result in zip(jobs, results)}
    if refused:
        for row in refused:
            advance(row)
        results = sorted(results + refused, key=lambda r: Path(r.path).parts)
    rules = list({r.id: r for rs in rulesets.values() for r in rs.rules}.values()) or load_rules().rules

    from fazhi_audit.text.nlp import FALLBACK_MARK

    fallback = sorted({w for r in results for w in r.warnings if w.startswith(FALLBACK_MARK)})
    if fallback:  # scores differ without the model: say so once, where the person running it looks
        notes.insert(0, f"警告：{fallback[0]}（影响 {sum(1 for r in results if fallback[0] in r.warnings)} 份报告的得分）")
    stale: list = []
    if baseline is not None:
        from fazhi_audit.engine.baseline import (
            apply_baseline,
            stale_message,
            summary_message,
        )

        outcome = apply_baseline(baseline, results)
        stale = list(outcome.stale)
        notes.append(summary_message(outcome))
        if stale_message(outcome):
            notes.append(stale_message(outcome))
    return Run(results, rules, baseline is not None, stale, inputs.skipped, notes, options.exit_zero, previous=last_year.pairs, rulesets=rulesets_by_path)


class LastYear:
    """--previous: a file (for the one report checked) or a folder searched by body and year.

    Resolved here, before the audit, so the summary can say which reports had
    a previous one; a report with none found gets the folder, so that its
    finding says what was looked for.
    """

    def __init__(self, given: str | None, files: list[str]):
        self.given = given
        self.pairs: list[tuple[str, str | None]] = []
        if not given:
            return
        from fazhi_audit.text.ingest.readers import SUPPORTED_HINT, SUPPORTED_SUFFIXES

        path = Path(given)
        if not path.exists():
            raise UsageError(f"--previous 路径不存在：{given}")
        if path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise UsageError(f"--previous {given} 不是支持的报告文件（{SUPPORTED_HINT}）")
            if len(files) > 1:
                raise UsageError(f"--previous 给出的是一个文件，只能用于检查一份报告（本次 {len(files)} 份）：检查多份报告时请给出上一年度报告所在的目录")

    def settle(self, report: str) -> str:
        """What the audit of `report` gets as its previous report: a file, or the folder when none was found."""
        from fazhi_audit.engine import previous

        assert self.given
        if Path(self.given).is_file():
            self.pairs.append((report, self.given))
            return self.given
        if report == "-":  # standard input is read once, by the audit: it looks the folder up itself
            return self.given
        ident = previous.identify(report)
        found = previous.find_previous(self.given, ident.body, ident.year, exclude=report) if ident else None
        self.pairs.append((report, found))
        return found or self.given


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
    from fazhi_audit.engine.rulesets import default_rules_dir, load_ruleset

    return load_ruleset(rules or default_rules_dir(), tuple(Path(d) for d in extend))


@dataclass
class SettingsShown:
    """What `config show` and the rules commands need: the settings resolved for one path, and its rule set."""

    resolved: Any
    ruleset: Any
    resolver: Any


def settings_for(options: Options, path: str, validate: bool = True) -> SettingsShown:
    """The settings that apply to `path` under `options` (each value with its source), and the rule set they name."""
    from fazhi_audit.engine.config import Resolver, check_against_rules

    resolver = Resolver(options.flags(), options.config, isolated=options.isolated, flags_source=options.flags_source)
    resolved = resolver.resolve(path)
    ruleset = load_rules_for(resolved)
    if validate:  # selectors and profiles the config names must exist in the rule set
        check_against_rules(resolved, [r.id for r in ruleset.rules], ruleset.profiles)
    return SettingsShown(resolved, ruleset, resolver)
