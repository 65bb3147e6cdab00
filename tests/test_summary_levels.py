"""Summary tables show the level each report was judged at (its profile), not the rule's default (issue 20)."""

from __future__ import annotations

import io

from conftest import SEEDS

from fazhi_audit.engine.options import Options
from fazhi_audit.engine.run import run
from fazhi_audit.render.formatters import FORMATTERS
from fazhi_audit.render.output import render_text

LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


def test_missed_rules_are_listed_at_the_reports_own_level():
    outcome = run(Options(paths=(str(SEEDS),), jobs=1, isolated=True))
    defaults = {rule.id: rule.severity for rule in outcome.rules}
    rows = {row["rule"]: row for row in outcome.summary["rules"] if row["missing"]}
    shifted = 0
    for rid, row in rows.items():
        used = {f.severity for r in outcome.readable for f in r.findings if f.rule == rid and f.status != "pass"}
        assert set(row["severities"]) == used, rid
        shifted += used != {defaults[rid]}
    assert shifted, "the township seeds have rules whose profile level differs from the default"
    buf = io.StringIO()
    render_text(outcome, "text", buf, summary_only=True)
    markdown = FORMATTERS["markdown"](outcome)
    for rid, row in rows.items():
        label = "/".join(LABEL[s] for s in row["severities"])
        line = next(x for x in buf.getvalue().splitlines() if f"({rid})" in x)
        assert f" {label} " in line, line
        md = next((x for x in markdown.splitlines() if x.startswith(f"| `{rid}`")), None)  # Markdown lists the top rules
        assert md is None or f"| {label} |" in md, md
