#!/usr/bin/env python3
"""Consistency check of this hold-out set's labels.json (format and location only, not the judgements):
tests/followthrough_corpus/check_labels.py with this set's size and numbering.

    python3 tests/holdout2/followthrough-b/check_labels.py           # check, exit 1 on any error
    python3 tests/holdout2/followthrough-b/check_labels.py --table   # print the README table of pairs
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "followthrough_corpus"))
import check_labels as shared  # noqa: E402

if __name__ == "__main__":
    sys.exit(shared.main(str(HERE), min_pairs=4, first=5))
