"""Cold and warm timings of one check; prints figures, asserts nothing.

    python benchmarks/bench_check.py [--runs 5]

cold: `fazhi-audit check <one seed> --format json` as a fresh process,
      next to a process that only loads the segmentation model.
warm: per-report audit time inside one process (model already loaded),
      and the same scaled to 5,000 characters.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    seed = str(SEEDS[0])
    load_only = [sys.executable, "-c", "from fazhi_audit.text.nlp import get_segmenter; get_segmenter()"]
    check = [sys.executable, "-m", "fazhi_audit", "check", seed, "--format", "json", "--jobs", "1"]
    timed(check)  # make sure the one-off model conversion is not measured
    load = statistics.median(timed(load_only) for _ in range(args.runs))
    cold = statistics.median(timed(check) for _ in range(args.runs))
    print(f"model load alone      median {load:.2f} s  ({args.runs} runs)")
    print(f"cold check (1 report) median {cold:.2f} s  ratio {cold / load:.2f}x load")

    from fazhi_audit.engine.audit import Auditor

    auditor = Auditor()
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in SEEDS]
    per_char = []
    for name, text in texts:
        auditor.segmenter.tokens.cache_clear()
        times = []
        for _ in range(args.runs):
            auditor.segmenter.tokens.cache_clear()  # no credit for cached segmentation
            t = time.perf_counter()
            auditor.audit_text(text, name)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        per_char.append(med / len(text))
        print(f"warm {name}: {len(text):6d} chars  median {med * 1000:6.1f} ms")
    print(f"warm, scaled to 5,000 chars: median {statistics.median(per_char) * 5000 * 1000:.1f} ms (target <= 100 ms)")


if __name__ == "__main__":
    main()
