"""Warm cost of last year's report (--previous) per report, in the style of bench_rules_cost.py.

    python benchmarks/bench_previous_cost.py [--runs 5]

One warm Auditor audits every this-year report of tests/followthrough_corpus/
without and with its last-year report (quality.carry-over and
quality.follow-through then run; the previous report is read and parsed once per
process and cached).  Prints the median wall time per report of each, and the
increase.  Prints figures only, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "followthrough_corpus"


def main() -> None:
    ap = argparse.ArgumentParser(description="--previous 的热启动开销（每份报告）")
    ap.add_argument("--runs", type=int, default=5, help="每种情形重复次数，取中位数")
    args = ap.parse_args()
    from fazhi_audit.engine.audit import Auditor
    from fazhi_audit.engine.settings import AuditSettings

    pairs = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["pairs"]
    auditor = Auditor()
    reports = [(CORPUS / "reports" / n, AuditSettings(previous=str(CORPUS / lab["previous"]))) for n, lab in sorted(pairs.items())]
    for path, settings in reports:  # warm: segmenter, caches, each previous report read and parsed once
        auditor.audit_path(path)
        auditor.audit_path(path, settings=settings)

    def one_pass(with_previous: bool) -> float:
        start = time.perf_counter()
        for path, settings in reports:
            auditor.audit_path(path, settings=settings if with_previous else None)
        return (time.perf_counter() - start) / len(reports)

    # interleaved, so that load from other processes falls on both alike
    without, with_ = [], []
    for _ in range(args.runs):
        without.append(one_pass(False))
        with_.append(one_pass(True))
    before, after = statistics.median(without), statistics.median(with_)
    print(f"{len(reports)} 份报告，每种情形 {args.runs} 次（交替进行），取中位数（热启动，单进程）")
    print(f"不带上一年度报告：每份 {1000 * before:.1f} ms")
    print(f"带上一年度报告（--previous）：每份 {1000 * after:.1f} ms")
    print(f"增加：{100 * (after / before - 1):+.1f}%")


if __name__ == "__main__":
    main()
