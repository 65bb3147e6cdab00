"""SARIF output passes Microsoft's own validator (npm @microsoft/sarif-multitool) with no error and no warning.

The validator is installed once into a cache folder with npm (the npm registry
is reachable where the tests run); without npm the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from command import fazhi_audit

pytestmark = pytest.mark.slow  # npm and Microsoft's validator

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "@microsoft/sarif-multitool@5.7.0"
CACHE = Path(os.environ.get("FAZHI_AUDIT_TEST_CACHE", Path.home() / ".cache" / "fazhi-audit-tests")) / "sarif-multitool"


@pytest.fixture(scope="module")
def multitool() -> Path:
    from conftest import require_tool

    require_tool("npm", "安装 SARIF 官方校验工具 @microsoft/sarif-multitool")
    tool = CACHE / "node_modules" / ".bin" / "sarif-multitool"
    if not tool.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE), PACKAGE], check=True, timeout=600, capture_output=True)
    return tool


def _validate(tool: Path, sarif: Path, tmp_path: Path) -> list[dict]:
    log = tmp_path / "validation.sarif"
    proc = subprocess.run([str(tool), "validate", str(sarif), "--output", str(log)], capture_output=True, text=True, timeout=300)
    assert log.exists(), proc.stdout + proc.stderr
    return [r for run in json.loads(log.read_text(encoding="utf-8-sig"))["runs"] for r in run.get("results", [])]


def test_sarif_has_no_validator_error_or_warning(multitool, tmp_path):
    unreadable = tmp_path / "empty.txt"
    unreadable.write_bytes(b"")
    out = tmp_path / "out.sarif"
    fazhi_audit("check", str(ROOT / "seeds"), str(unreadable), "-o", f"sarif={out}", "-f", "concise", cwd=ROOT)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["runs"][0]["results"], "the run should report problems, or the validation proves little"
    findings = _validate(multitool, out, tmp_path)
    assert [(r["ruleId"], r["message"]["text"][:200]) for r in findings if r.get("level") in ("error", "warning", None)] == []


def test_validator_catches_a_broken_document(multitool, tmp_path):
    # The same check must be able to fail: a rule whose name equals its id (SARIF1001).
    out = tmp_path / "out.sarif"
    fazhi_audit("check", str(ROOT / "seeds" / "000_013ac8b11a237051.txt"), "-o", f"sarif={out}", "-f", "concise", cwd=ROOT)
    doc = json.loads(out.read_text(encoding="utf-8"))
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        rule["name"] = rule["id"]
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert any(r["ruleId"].startswith("SARIF1001") for r in _validate(multitool, out, tmp_path))
