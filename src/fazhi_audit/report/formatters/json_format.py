"""The full machine-readable report: every result plus the summary."""

from __future__ import annotations

import json

from ...rules.schema import Rule
from ..model import ReportResult
from .summary import build_summary

SCHEMA_VERSION = 1  # bump when a consumer-visible key changes meaning


def render(results: list[ReportResult], rules: list[Rule], tool_version: str) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "fazhi-audit", "version": tool_version},
        "reports": [r.to_json() for r in results],
        "summary": build_summary(results, rules),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
