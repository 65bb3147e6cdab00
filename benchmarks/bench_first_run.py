"""First run (empty model cache) against a warm run; prints figures, asserts nothing.

    python benchmarks/bench_first_run.py [--runs 3]

Each run is `fazhi-audit check <one seed> --jobs 1` as a fresh process. A
first run has FAZHI_AUDIT_CACHE pointing at a new empty directory, so it
prepares the word-segmentation model (fazhi_audit.text.model_prep, in a child
process) before checking; a warm run reuses a prepared cache. Peak memory is
the largest resident set of the process and its children (wait4's rusage,
what `/usr/bin/time -v` reports as "Maximum resident set size").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = min((ROOT / "seeds").glob("*.txt"))
CHECK = [sys.executable, "-m", "fazhi_audit", "check", str(SEED), "--jobs", "1", "--format", "json", "--no-config"]


def peak_run(cmd: list[str], cache: str) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB over the process tree)."""
    env = {**os.environ, "FAZHI_AUDIT_CACHE": cache}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}")
    return seconds, usage.ru_maxrss // 1024  # Linux reports KiB


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    first, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            cache = str(Path(tmp) / f"cache{i}")
            first.append(peak_run(CHECK, cache))
            warm.append(peak_run(CHECK, cache))
    f_time, f_mem = (statistics.median(x) for x in zip(*first))
    w_time, w_mem = (statistics.median(x) for x in zip(*warm))
    print(f"first run (empty cache): median {f_time:5.1f} s  peak {f_mem:5.0f} MB   ({args.runs} runs)")
    print(f"warm run               : median {w_time:5.1f} s  peak {w_mem:5.0f} MB")
    print(f"model preparation      : ~{f_time - w_time:.1f} s; first-run peak = {f_mem / w_mem:.2f} x warm (target <= 1.5)")


if __name__ == "__main__":
    main()
