"""Audit through the one door, `engine.run.run(Options)`, and turn each result into what the store keeps.

The stored result is the JSON formatter's document for a run of that report
alone, kept compact (`as_check_json` gives back exactly the text `check
--format json` prints for it: the indented writer is three times slower than
the audit can afford per report), and each finding's line-free fingerprint
computed with the file's name as its path: the same finding of the same file
keeps its fingerprint however and wherever it is audited again. The HTML
report is made only when asked for (`html=True`): the web page makes it on a
report's first view and keeps it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_audit.engine.options import Options
from fazhi_audit.engine.run import run
from fazhi_audit.model.fingerprint import finding_fingerprints
from fazhi_audit.model.run import Run

PREVIOUS_FOLDER = "上一年度"  # inside an audit's folder: last year's stored reports, found by body and year


@dataclass
class Audited:
    """One report's audit, as the store keeps it (the file's bytes are added by whoever has them)."""

    name: str
    title: str | None
    body: str | None
    year: int | None
    level: str | None
    score: float | None
    passed: bool
    reasons: list[str]
    error: str | None
    problems: int
    result_json: str
    report_html: bytes | None  # zlib-compressed HTML report, when asked for
    fingerprints: list[str | None]
    problem_rules: list[list[str]]
    tool_version: str
    rules_version: str
    data: bytes = field(default=b"", repr=False)
    source: str = ""  # the path it was audited under (inside the audit's folder)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _stable(value) -> str:
    """A text of a rule's parameters that is the same in every process (sets are unordered, and str hashes vary)."""
    import dataclasses
    import re

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "{" + ",".join(f"{f.name}={_stable(getattr(value, f.name))}" for f in dataclasses.fields(value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{_stable(k)}:{_stable(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_stable(v) for v in value) + "]"
    if isinstance(value, re.Pattern):
        return "re"  # compiled from the words beside it, whose order may vary from one process to the next
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    return type(value).__name__  # an object without a stable text (a function, a model): its kind only


def rules_version(outcome: Run) -> str:
    """A short digest of the rules the run judged by: two audits with the same digest used the same rules."""
    lines = sorted(f"{r.id}|{r.severity}|{r.weight}|{r.message}|{r.fix}|{_stable(r.params)}" for r in outcome.rules)
    return f"{len(lines)}条规则-" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]


def _alone(outcome: Run, result, pairs) -> Run:
    """The run of one report: its summary and exit code worked out for it (its text was cleaned by the whole run)."""
    from fazhi_audit.model.run import exit_code_for
    from fazhi_audit.model.summary import build_summary

    alone = copy.copy(outcome)
    alone.results, alone.previous, alone.rulesets, alone.notes = [result], pairs, {}, []
    alone.summary = build_summary([result], outcome.rules, pairs)
    alone.exit_code = exit_code_for([result], outcome.exit_zero)
    return alone


def from_run(outcome: Run, names: dict[str, str] | None = None, html: bool = False) -> list[Audited]:
    """Each result of `outcome` as stored; `names` maps a result's path to the file name it is stored under."""
    from fazhi_audit.render.formatters import FORMATTERS
    from fazhi_audit.render.formatters.json_format import document

    version = rules_version(outcome)
    out = []
    for result in outcome.results:
        name = (names or {}).get(result.path) or Path(result.path).name
        source = result.path
        pairs = [(name, found) for report, found in outcome.previous if report == result.path]
        result.path = name  # the stored JSON names the file as sent, never a temporary folder
        alone = _alone(outcome, result, pairs)
        fingerprint_of = {id(f): fp for f, fp in finding_fingerprints(result, path=name)}
        problems = [f for f in result.findings if f.status != "pass"]
        out.append(
            Audited(
                name=name,
                title=result.title,
                body=result.body,
                year=result.year,
                level=result.profile.name if result.profile else None,
                score=None if result.error else float(result.score),
                passed=bool(result.passed and not result.error),
                reasons=list(result.reasons),
                error=result.error,
                problems=len(problems),
                result_json=json.dumps(document(alone), ensure_ascii=False, separators=(",", ":")),
                report_html=zlib.compress(FORMATTERS["html"](alone).encode("utf-8"), 6) if html else None,
                fingerprints=[fingerprint_of.get(id(f)) for f in result.findings],
                problem_rules=[[fingerprint_of[id(f)], f.rule, f.title] for f in problems],
                tool_version=outcome.version,
                rules_version=version,
                source=source,
            )
        )
    return out


def audit_folder(folder: str, entries: list[tuple[str, str]], previous: bool = False, flags: dict | None = None, rule_cache: dict | None = None, html: bool = False) -> list[Audited]:
    """Audit the files `entries` ((path inside `folder`, name it is stored under)) as one run.

    Run from inside `folder`, as `check --no-config` would be there: no config
    file among the uploads is read, and no temporary path reaches a report.
    With `previous`, last year's stored reports are in folder/上一年度 and
    each report is paired with its body's by the engine. The web page runs
    this in an audit process; it changes the working directory.
    """
    options = Options(
        tuple(path for path, _ in entries),
        isolated=True,
        with_baseline=False,
        previous=Path(PREVIOUS_FOLDER) if previous else None,
        rule_cache=rule_cache,
        **(flags or {}),
    )
    here = os.getcwd()
    os.chdir(folder)
    try:
        outcome = run(options)
    finally:
        os.chdir(here)
    return from_run(outcome, dict(entries), html)


def as_check_json(result_json: str) -> str:
    """The stored document as the text `check --format json` prints for that report."""
    from fazhi_audit.render.formatters.json_format import dumps

    return dumps(json.loads(result_json))


def result_with_fingerprints(result_json: str, fingerprints: list[str | None]) -> dict:
    """The stored JSON of one report, each finding given its `fingerprint` (what the API answers)."""
    doc = json.loads(result_json)
    report = doc["reports"][0]
    for finding, fp in zip(report.get("findings", []), fingerprints):
        finding["fingerprint"] = fp
    return doc
