"""The short CI run of the readers' fuzz target (fuzz_readers.py; long runs: see README)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a fuzzing run of up to 30 s

pytest.importorskip("atheris", reason="atheris has wheels for Linux x86_64 only")

FUZZER = Path(__file__).with_name("fuzz_readers.py")


def test_short_fuzz_run_finds_no_crash(tmp_path):
    corpus = tmp_path / "corpus"
    # CI explores the same inputs every run (a fixed seed), as hypothesis does there; locally each run explores anew
    seed = ["-seed=1"] if os.environ.get("CI") == "true" else []
    cmd = [sys.executable, str(FUZZER), "-runs=2000", "-max_total_time=30", "-timeout=20", *seed, f"-artifact_prefix={tmp_path}/", str(corpus)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    crashes = sorted(p.name for p in tmp_path.glob("*-*") if p.is_file())
    assert proc.returncode == 0 and not crashes, f"{crashes}\n{proc.stderr[-4000:]}"
    done = re.search(r"Done (\d+) runs in (\d+) second", proc.stderr)
    assert done, proc.stderr[-2000:]
    runs = int(done.group(1))
    print(f"fuzz_readers: {runs} inputs in {done.group(2)} s, corpus {len(list(corpus.iterdir()))} files")
    assert runs >= 200  # it really fuzzed, beyond the 4 seeds
    assert len(list(corpus.iterdir())) > 4  # and found new coverage
