"""Warm CPU cost of the issue-12 content rules: the whole rule pack with and without them.

    python benchmarks/bench_rules_cost.py

Same process, same seeds, CPU time per 5,000 characters (best and median of 15);
the pairs alternate so that machine load affects both sides alike.
"""

import statistics
import time
from dataclasses import replace
from pathlib import Path

from fazhi_audit.engine.audit import Auditor
from fazhi_audit.engine.run import load_rules

NEW = {"quality.contradiction", "meta.stale-year", "meta.outdated-reference", "quality.carry-over", "quality.vague-plans", "quality.unanswered-shortcomings"}
full = load_rules()
base = replace(full, rules=[r for r in full.rules if r.id not in NEW])
texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))]
chars = sum(len(t) for t in texts)
def bench(rs):
    a = Auditor(ruleset=rs)
    for t in texts: a.audit_text(t)
    runs = []
    for _ in range(15):
        s = time.process_time()
        for t in texts: a.audit_text(t)
        runs.append((time.process_time() - s) * 1000 * 5000 / chars)
    return min(runs), statistics.median(runs)
for name, rs in (("without the six", base), ("with the six", full), ("without the six", base), ("with the six", full)):
    print(name, "best %.1f ms, median %.1f ms per 5,000 chars" % bench(rs))
