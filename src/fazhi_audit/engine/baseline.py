"""Baselines: record today's findings so a CI gate fails only on new ones.

    baseline = create(results, "fazhi-baseline.json")
    baseline.write()                                   # or write_baseline(results, path)
    ...
    outcome = apply_baseline(load_baseline("fazhi-baseline.json"), results)

Findings are identified by the line-free fingerprints of report/fingerprint.py.
Report paths are stored relative to the baseline file's directory, POSIX
style, so the gate works from any working directory and on Windows runners;
stdin ("-") stays "-".
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_audit.base.errors import UsageError
from fazhi_audit.engine.scoring import verdict_reasons
from fazhi_audit.model.fingerprint import finding_fingerprints, posix_path, problem_key
from fazhi_audit.model.result import ReportResult

TOOL = "fazhi-audit"
VERSION = 1
STDIN = "-"
_REGENERATE = "请用 fazhi-audit baseline create 重新生成"


@dataclass(frozen=True)
class BaselineEntry:
    """One known, non-passing finding."""

    fingerprint: str
    rule: str
    severity: str = ""
    status: str = ""
    section: str = ""
    message: str = ""

    def to_json(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "severity": self.severity,
            "status": self.status,
            "section": self.section,
            "message": self.message,
        }

    def sort_key(self) -> tuple:
        return (self.rule, self.section, self.message, self.fingerprint)


@dataclass
class BaselineReport:
    score: float
    findings: list[BaselineEntry] = field(default_factory=list)

    def fingerprints(self) -> set[str]:
        return {e.fingerprint for e in self.findings}


@dataclass
class Baseline:
    """Known findings per report; `path` is the baseline file, whose directory
    the report keys are relative to."""

    path: str
    reports: dict[str, BaselineReport] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def key_for(self, report_path: str) -> str:
        return report_key(report_path, self.root)

    def __len__(self) -> int:
        return sum(len(r.findings) for r in self.reports.values())

    def to_json(self) -> dict:
        reports = {}
        for key in sorted(self.reports):
            rep = self.reports[key]
            reports[key] = {"score": rep.score, "findings": [e.to_json() for e in sorted(rep.findings, key=BaselineEntry.sort_key)]}
        return {"tool": TOOL, "version": VERSION, "reports": reports}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    def write(self, path: str | os.PathLike | None = None) -> int:
        """Write the file (to `path`, else where it was created for); returns the entries written.

        Report keys and fingerprints are relative to the baseline's directory,
        so `path` must be in that directory: create() a baseline for elsewhere."""
        if path is not None:
            target = os.fspath(path)
            if os.path.dirname(os.path.abspath(target)) != self.root:
                raise ValueError(f"baseline for {self.path!r} cannot be written to another directory: {target!r}; create() it for that path")
            self.path = target
        try:
            with open(self.path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(self.dumps())
        except OSError as exc:
            raise UsageError(f"无法写入基线文件 {self.path}（{exc.strerror or exc}）：请检查目录是否存在、是否有写权限") from exc
        return len(self)


@dataclass
class StaleEntry:
    path: str  # report key, relative to the baseline file
    entry: BaselineEntry


@dataclass
class BaselineOutcome:
    new: int = 0  # non-passing findings not in the baseline
    matched: int = 0  # findings found in the baseline (marked baselined)
    stale: list[StaleEntry] = field(default_factory=list)  # baseline entries no longer occurring


def report_key(report_path: str, root: str) -> str:
    """A report's path relative to `root` (the baseline's directory), POSIX style."""
    if report_path == STDIN:
        return STDIN
    # Backslashes are Windows separators here, whichever OS reads the baseline.
    absolute = os.path.abspath(report_path.replace("\\", "/"))
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows: no relative path exists
        rel = absolute
    return posix_path(rel)


def create(results: list[ReportResult], baseline_path: str | os.PathLike) -> Baseline:
    """A baseline of the non-passing findings of `results`; unreadable inputs are left out."""
    baseline = Baseline(os.fspath(baseline_path))
    for result in results:
        if result.error:
            continue
        key = baseline.key_for(result.path)
        entries = []
        for finding, fp in finding_fingerprints(result, key):
            section, _ = problem_key(finding)
            entries.append(BaselineEntry(fp, finding.rule, finding.severity, finding.status, section, finding.message))
        baseline.reports[key] = BaselineReport(result.score, entries)
    return baseline


def write_baseline(results: list[ReportResult], path: str | os.PathLike) -> int:
    """Create and write a baseline; returns the number of entries written."""
    return create(results, path).write()


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline file; any problem is a UsageError naming the file."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UsageError(f"基线文件 {name} 不存在：请先运行 fazhi-audit baseline create 生成，或检查 --baseline 路径") from exc
    except IsADirectoryError as exc:
        raise UsageError(f"基线文件 {name} 是目录：请指定基线 JSON 文件") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"基线文件 {name} 不是 UTF-8 编码：{_REGENERATE}") from exc
    except OSError as exc:
        raise UsageError(f"无法读取基线文件 {name}（{exc.strerror or exc}）：请检查文件权限") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"基线文件 {name} 不是有效的 JSON（第{exc.lineno}行）：{_REGENERATE}") from exc
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        raise UsageError(f"基线文件 {name} 不是 fazhi-audit 基线（缺少 \"tool\": \"fazhi-audit\"）：{_REGENERATE}")
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        raise UsageError(f"基线文件 {name} 的版本为 {json.dumps(version, ensure_ascii=False)}，本程序只支持版本 {VERSION}：请升级 fazhi-audit 或{_REGENERATE[1:]}")
    return Baseline(name, _parse_reports(name, data.get("reports")))


def _parse_reports(name: str, raw: object) -> dict[str, BaselineReport]:
    def bad(where: str, what: str) -> UsageError:
        return UsageError(f"基线文件 {name} 格式不正确（{where} {what}）：{_REGENERATE}")

    if not isinstance(raw, dict):
        raise bad("reports", "应为对象")
    reports = {}
    for key, rep in raw.items():
        where = f"reports[{json.dumps(key, ensure_ascii=False)}]"
        if not isinstance(rep, dict):
            raise bad(where, "应为对象")
        score = rep.get("score")
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise bad(f"{where}.score", "应为数字")
        findings = rep.get("findings")
        if not isinstance(findings, list):
            raise bad(f"{where}.findings", "应为数组")
        entries = []
        for i, item in enumerate(findings):
            at = f"{where}.findings[{i}]"
            if not isinstance(item, dict):
                raise bad(at, "应为对象")
            if not isinstance(item.get("fingerprint"), str) or not item["fingerprint"]:
                raise bad(f"{at}.fingerprint", "缺失或不是字符串")
            values = {}
            for attr in ("rule", "severity", "status", "section", "message"):
                value = item.get(attr, "")
                if not isinstance(value, str):
                    raise bad(f"{at}.{attr}", "应为字符串")
                values[attr] = value
            entries.append(BaselineEntry(item["fingerprint"], **values))
        reports[posix_path(key)] = BaselineReport(score, entries)
    return reports


def apply_baseline(baseline: Baseline, results: list[ReportResult]) -> BaselineOutcome:
    """Mark known findings `baselined` and re-judge each readable result.

    A report fails only on a new failing error-severity finding, or when its
    score is below its fail-under threshold and also below the score the
    baseline recorded for it. Baseline entries of reports audited now whose
    fingerprint no longer occurs are stale; reports not audited now are ignored.
    """
    outcome = BaselineOutcome()
    seen: dict[str, set[str]] = {}
    for result in results:
        if result.error:
            continue
        key = baseline.key_for(result.path)
        known = baseline.reports.get(key)
        known_fps = known.fingerprints() if known else set()
        found = seen.setdefault(key, set())
        new_findings = []
        for finding, fp in finding_fingerprints(result, key):
            finding.baselined = fp in known_fps
            if finding.baselined:
                outcome.matched += 1
                found.add(fp)
            else:
                outcome.new += 1
                new_findings.append(finding)
        floor = result.fail_under if known is None else min(result.fail_under, known.score)
        result.reasons = verdict_reasons(new_findings, result.score, floor)
        result.passed = not result.reasons
    for key in sorted(seen):
        known = baseline.reports.get(key)
        if known:
            outcome.stale.extend(StaleEntry(key, e) for e in sorted(known.findings, key=BaselineEntry.sort_key) if e.fingerprint not in seen[key])
    return outcome


def stale_message(outcome: BaselineOutcome) -> str | None:
    """One Chinese line asking to refresh the baseline, or None when nothing is stale."""
    if not outcome.stale:
        return None
    return f"基线中有 {len(outcome.stale)} 条已不再出现（问题已解决），请运行 fazhi-audit baseline create 更新基线"


def summary_message(outcome: BaselineOutcome) -> str:
    """One Chinese line: new vs known findings."""
    return f"新问题 {outcome.new} 条，基线中已知问题 {outcome.matched} 条"
