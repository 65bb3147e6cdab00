"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

When the run was compared against a baseline, every result carries
`baselineState` ("unchanged" for a finding already in the baseline file,
"new" otherwise) and baselined results an external suppression, which
dashboards show as known rather than open. Each finding's result names in
`properties.profile` the kind of reporting body its rules were tuned for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

import hashlib
import json
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from fazhi_audit.model.fingerprint import finding_fingerprints, posix_path
from fazhi_audit.model.result import Finding, ReportResult
from fazhi_audit.render.formatters._common import (
    BASELINE_JUSTIFICATION,
    finding_line,
    template_text,
)
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.ingest.readers import SUPPORTED_HINT

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/fazhi-audit/"
FINGERPRINT_KEY = "fazhiAudit/v1"
UNREADABLE_RULE = "input.unreadable"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def artifact_uri(path: str) -> str:
    """A valid URI reference: relative paths stay relative, absolute ones become file: URIs."""
    p = posix_path(path)
    if _WINDOWS_DRIVE.match(p):
        return "file:///" + quote(p, safe="/:")
    if PurePosixPath(p).is_absolute():
        return "file://" + quote(p, safe="/")
    return quote(p, safe="/")  # non-ASCII file names must be percent-encoded in a URI


def rule_name(rule_id: str) -> str:
    """SARIF wants a readable `name` that differs from the opaque `id` (SARIF1001):
    decision.five-step -> DecisionFiveStep."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part) or "Rule"


def _descriptor(rule_id: str, title: str, severity: str, description: str, fix: str, basis: str) -> dict:
    help_text = template_text(fix) + ("\n依据：" + basis if basis else "")
    return {
        "id": rule_id,
        "name": rule_name(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description or title},
        "help": {"text": help_text or title},
        "defaultConfiguration": {"level": LEVEL.get(severity, "warning")},
        "properties": {"basis": basis},
    }


def _location(result: ReportResult, line: int) -> list[dict]:
    return [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(result.path)}, "region": {"startLine": line}}}]


class _Rules:
    """The driver's rules array, grown on demand so every ruleIndex resolves."""

    def __init__(self, rules: list[Rule]):
        self.items: list[dict] = []
        self.index: dict[str, int] = {}
        for r in rules:
            self._add(_descriptor(r.id, r.title, r.severity, r.description, r.fix, r.basis_text))

    def _add(self, descriptor: dict) -> int:
        self.index[descriptor["id"]] = len(self.items)
        self.items.append(descriptor)
        return self.index[descriptor["id"]]

    def for_finding(self, f: Finding) -> int:
        if f.rule in self.index:
            return self.index[f.rule]
        return self._add(_descriptor(f.rule, f.title, f.severity, "", f.fix, f.basis))

    def unreadable(self) -> int:
        if UNREADABLE_RULE in self.index:
            return self.index[UNREADABLE_RULE]
        title = "无法读取的输入"
        description = "输入文件无法读取，或不是法治政府建设年度报告，未能检查。"
        fix = f"请确认文件存在、内容为法治政府建设年度报告；{SUPPORTED_HINT}"
        return self._add(_descriptor(UNREADABLE_RULE, title, "error", description, fix, ""))


def _baseline_fields(baselined: bool) -> dict:
    if not baselined:
        return {"baselineState": "new"}
    return {"baselineState": "unchanged", "suppressions": [{"kind": "external", "justification": BASELINE_JUSTIFICATION}]}


def _finding_properties(result: ReportResult, f: Finding) -> dict:
    props: dict = {"status": f.status}
    if result.profile:
        props["profile"] = result.profile.to_json()
    return props


def _results_for(result: ReportResult, table: _Rules, compared: bool) -> list[dict]:
    if result.error:
        idx = table.unreadable()
        fp = hashlib.sha256("\x1f".join((UNREADABLE_RULE, posix_path(result.path))).encode("utf-8")).hexdigest()
        item = {
            "ruleId": UNREADABLE_RULE,
            "ruleIndex": idx,
            "level": "error",
            "message": {"text": result.error},
            "locations": _location(result, 1),
            "partialFingerprints": {FINGERPRINT_KEY: fp},
        }
        return [item | _baseline_fields(False)] if compared else [item]
    out = []
    for f, fp in finding_fingerprints(result):
        item = {
            "ruleId": f.rule,
            "ruleIndex": table.for_finding(f),
            "level": LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": _location(result, finding_line(f) or 1),
            "partialFingerprints": {FINGERPRINT_KEY: fp},
            "properties": _finding_properties(result, f),
        }
        out.append(item | _baseline_fields(f.baselined) if compared else item)
    return out


def render(run: Run) -> str:
    """SARIF marks every result new/unchanged only when the run compared a baseline."""
    table = _Rules(run.rules)
    sarif_results = [item for r in run.results for item in _results_for(r, table, run.baseline_compared)]
    driver = {"name": "fazhi-audit", "version": run.version, "informationUri": INFORMATION_URI, "rules": table.items}
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": sarif_results}]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
