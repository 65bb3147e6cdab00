"""Golden snapshots: one fixed report rendered through every output format.

The input is tests/golden/report.txt, audited as "reports/golden.txt", with a
profile and one baselined finding set on the result so those renderings are
pinned too. Each format is compared with tests/golden/report.<format>.<ext>.
Only the tool version is masked.

After an intended change, regenerate and review the diff:

    FAZHI_AUDIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import io
import os
from pathlib import Path

import pytest

from fazhi_audit import __version__
from fazhi_audit.model.result import ProfileInfo, ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import BINARY_FORMATTERS, FORMATTERS
from fazhi_audit.render.output import render_text
from fazhi_audit.render.statistics import statistics_text

GOLDEN = Path(__file__).resolve().parent / "golden"
INPUT = GOLDEN / "report.txt"
AUDITED_AS = "reports/golden.txt"
UPDATE_ENV = "FAZHI_AUDIT_UPDATE_GOLDEN"
VERSION_MASK = "{VERSION}"
BASELINED_RULE = "structure.numbering"  # the finding marked as already in the baseline
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csv",
    "sarif": "sarif",
    "junit": "xml",
    "github": "txt",
    "markdown": "md",
    "html": "html",
    "concise": "txt",
    "statistics": "txt",
}


@pytest.fixture(scope="module")
def golden_result(auditor) -> ReportResult:
    text = INPUT.read_text(encoding="utf-8")
    assert __version__ not in text  # masking the version must not touch report content
    result = auditor.audit_text(text, AUDITED_AS)
    result.profile = ProfileInfo("county", "县级政府", "命令行 --profile")
    known = [f for f in result.findings if f.rule == BASELINED_RULE and f.status != "pass"]
    assert known, f"the golden report should have a failing {BASELINED_RULE} finding to mark as baselined"
    known[0].baselined = True
    return result


def _text(result: ReportResult, rules) -> str:
    """What a user gets in a file or a pipe: the plain text report."""
    buf = io.StringIO()
    render_text(Run([result], rules), "text", buf)
    return buf.getvalue()


def render(fmt: str, result: ReportResult, rules) -> str:
    if fmt == "text":
        out = _text(result, rules)
    elif fmt == "statistics":
        out = statistics_text(Run([result], rules))
    else:
        out = FORMATTERS[fmt](Run([result], rules, baseline_compared=True))
    return out.replace(__version__, VERSION_MASK)


def test_golden_input_exercises_what_the_snapshots_pin(golden_result):
    by_rule = {f.rule: f for f in golden_result.findings}
    missing = by_rule["structure.required-sections"]
    assert missing.status == "fail" and any("第一责任人" in i.name and not i.found for i in missing.items)
    risk = next(i for i in by_rule["decision.five-step"].items if i.name == "风险评估")
    assert not risk.found and risk.evidence and risk.evidence.section == "plans"
    assert by_rule["quality.placeholder"].status == "fail" and "XX" in by_rule["quality.placeholder"].message
    assert by_rule[BASELINED_RULE].baselined and by_rule[BASELINED_RULE].status == "fail"
    assert golden_result.body == "青川县人民政府" and golden_result.year == 2024


# Binary formats are not pinned byte for byte; each says why and which test covers it.
NOT_PINNED = {
    "xlsx": "a zip with creation timestamps; tests/test_output_xlsx.py reads every sheet back",
}


def test_every_format_has_a_snapshot():
    assert set(FORMATTERS) | {"text", "statistics"} == set(EXTENSIONS)
    assert set(BINARY_FORMATTERS) == set(NOT_PINNED)


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_golden(fmt, golden_result, auditor):
    actual = render(fmt, golden_result, auditor.ruleset.rules)
    path = GOLDEN / f"report.{fmt}.{EXTENSIONS[fmt]}"
    if os.environ.get(UPDATE_ENV) == "1":
        path.write_text(actual, encoding="utf-8", newline="")
        pytest.skip(f"wrote {path.name}")
    if not path.exists():
        pytest.fail(f"{path} is missing: run with {UPDATE_ENV}=1 to create it", pytrace=False)
    expected = path.read_bytes().decode("utf-8").replace("\r\n", "\n")  # tolerate CRLF checkouts
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(path.relative_to(GOLDEN.parent.parent)), "rendered")
        pytest.fail(f"{fmt} output differs from {path.name} (if intended, rerun with {UPDATE_ENV}=1):\n" + "".join(diff), pytrace=False)
