"""The full machine-readable report: every result plus the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

import json

SCHEMA_VERSION = 1  # bump when a consumer-visible key changes meaning


def document(run: Run) -> dict:
    """The JSON document of a run, before it is written out (the review desk stores it as is)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "fazhi-audit", "version": run.version},
        "reports": [r.to_json() for r in run.results],
        "summary": run.summary,
    }


def render(run: Run) -> str:
    return dumps(document(run))


def dumps(doc: dict) -> str:
    """The text `--format json` writes for a document (indented: people read it too)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
