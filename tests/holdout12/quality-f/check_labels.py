#!/usr/bin/env python3
"""Consistency check for this hold-out set (stdlib only): tests/quality_holdout/check_labels.py with this set's minimums.

    python3 tests/holdout12/quality-f/check_labels.py
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "quality_holdout"))
import check_labels as shared  # noqa: E402

MINIMUM = {shared.CON: (10, 24), shared.STALE: (7, 16), shared.UNANS: (7, 12)}  # (defects, near misses)

if __name__ == "__main__":
    sys.exit(shared.main(HERE, MINIMUM, min_reports=6, min_clean=1, numbers=range(1, 7)))
