#!/usr/bin/env python3
"""Consistency check for the contradiction development labels (stdlib only): tests/quality_holdout/check_labels.py
with this set's minimums, shorter reports (1,200–2,000 characters), 3–4 contradiction defects and 3–4 contradiction
near misses per report, and no stale-year or unanswered-shortcomings defects (this corpus is about contradictions only).

    python3 tests/contradiction_dev/check_labels.py
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "quality_holdout"))
import check_labels as shared  # noqa: E402

MINIMUM = {shared.CON: (30, 30), shared.STALE: (0, 0), shared.UNANS: (0, 0)}  # (defects, near misses)

if __name__ == "__main__":
    sys.exit(shared.main(HERE, MINIMUM, min_reports=10, min_clean=0, length=(1200, 2000),
                         no_defects=(shared.STALE, shared.UNANS), contradictions_per_report=(3, 4)))
