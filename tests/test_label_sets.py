"""Every hand-labelled set passes its own consistency check (labels on their lines, totals, README tables).

The later hold-out sets (tests/holdout*/) reuse the two original checkers with their own minimums,
so a change to a shared checker is tried on all of them here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CHECKERS = sorted(TESTS.glob("*/check_labels.py")) + sorted(TESTS.glob("holdout*/*/check_labels.py"))


def test_the_label_sets_are_found():
    assert len(CHECKERS) >= 16


@pytest.mark.parametrize("checker", CHECKERS, ids=[str(c.parent.relative_to(TESTS)) for c in CHECKERS])
def test_a_label_set_passes_its_own_check(checker):
    done = subprocess.run([sys.executable, str(checker)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_a_broken_label_is_caught(tmp_path):
    import shutil

    nested = tmp_path / "holdout" / "quality-a"  # the wrapper finds the shared checker two levels up
    shutil.copytree(TESTS / "holdout6" / "quality-a", nested)
    (tmp_path / "quality_holdout").symlink_to(TESTS / "quality_holdout")
    labels = nested / "labels.json"
    labels.write_text(labels.read_text(encoding="utf-8").replace('"line": ', '"line": 1', 1), encoding="utf-8")
    done = subprocess.run([sys.executable, str(nested / "check_labels.py")], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
