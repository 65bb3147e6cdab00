"""JUnit XML, so CI systems show each rule as a test case per report.

A failing finding that is already in the baseline becomes <skipped
message="已列入基线">, not a <failure> and not a silent pass: it must not fail
the build, yet CI dashboards (GitLab, Jenkins, Azure) count and list skipped
cases on their own, so the known problems stay visible, with their details,
apart from both passes and new failures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

import re
import xml.etree.ElementTree as ET

from fazhi_audit.model.result import Finding, ReportResult
from fazhi_audit.render.formatters._common import (
    BASELINED_LABEL,
    SEVERITY_LABEL,
    STATUS_LABEL,
    evidence_lines,
    finding_line,
    is_problem,
)

# Characters XML 1.0 forbids; document text extracted from PDFs can contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str | None) -> str:
    return _INVALID_XML.sub("", text or "")


def _details(f: Finding) -> str:
    line = finding_line(f)
    lines = [f"[{SEVERITY_LABEL.get(f.severity, f.severity)}·{STATUS_LABEL.get(f.status, f.status)}] {f.message}"]
    if line:
        lines.append(f"位置：第{line}行")
    if f.fix:
        lines.append(f"修改建议：{f.fix}")
    if f.basis:
        lines.append(f"依据：{f.basis}")
    lines.extend(evidence_lines(f))
    return _clean("\n".join(lines))


def _case_names(findings: list[Finding]) -> list[str]:
    # A rule can report several defects; suffix repeats so CI tools do not merge them.
    seen: dict[str, int] = {}
    names = []
    for f in findings:
        seen[f.rule] = seen.get(f.rule, 0) + 1
        names.append(f.rule if seen[f.rule] == 1 else f"{f.rule} ({seen[f.rule]})")
    return names


def _properties(result: ReportResult) -> dict[str, object]:
    values: dict[str, object] = {"body": result.body or "", "year": result.year or "", "score": result.score, "passed": str(result.passed).lower()}
    if result.profile:
        values.update(profile=result.profile.name, profile_label=result.profile.label, profile_source=result.profile.source)
    return values


def _suite(result: ReportResult) -> tuple[ET.Element, int, int, int, int]:
    path = _clean(result.path)
    suite = ET.Element("testsuite", name=path)
    tests = failures = errors = skipped = 0
    if result.error:
        case = ET.SubElement(suite, "testcase", classname=path, name="input")
        err = ET.SubElement(case, "error", message=_clean(result.error), type="input.unreadable")
        err.text = _clean(result.error)
        tests, errors = 1, 1
    else:
        props = ET.SubElement(suite, "properties")
        for key, value in _properties(result).items():
            ET.SubElement(props, "property", name=key, value=_clean(str(value)))
        for f, name in zip(result.findings, _case_names(result.findings)):
            case = ET.SubElement(suite, "testcase", classname=path, name=name)
            tests += 1
            if not is_problem(f):
                continue
            if f.baselined:
                ET.SubElement(case, "skipped", message=BASELINED_LABEL).text = _details(f)
                skipped += 1
            elif f.severity in ("error", "warning"):
                failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.severity)
                failure.text = _details(f)
                failures += 1
            else:
                # Info-level gaps are advice, not failures: keep the build green but show them.
                ET.SubElement(case, "system-out").text = _details(f)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite, tests, failures, errors, skipped


def render(run: Run) -> str:
    root = ET.Element("testsuites", name=f"fazhi-audit {run.version}")
    totals = [0, 0, 0, 0]
    for r in run.results:
        suite, *counts = _suite(r)
        root.append(suite)
        totals = [a + b for a, b in zip(totals, counts)]
    for key, value in zip(("tests", "failures", "errors", "skipped"), totals):
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
