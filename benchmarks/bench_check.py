"""Cold and warm timings of one check; prints figures, asserts nothing.

    python benchmarks/bench_check.py [--runs 5]

cold: `fazhi-audit check <one seed> --format json` as a fresh process,
      next to a process that only loads the segmentation model (alternated
      pairs; wall and CPU seconds).
warm: per-report audit time inside one process (model already loaded),
      and the same scaled to 5,000 characters.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def timed(cmd: list[str]) -> float:
    return timed_cpu(cmd)[0]


def timed_cpu(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of the child: CPU time is
    steadier than wall time when other work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-bytecode", action="store_true",
                    help="不预先编译 .pyc（默认像 pip 安装那样先编译；PYTHONDONTWRITEBYTECODE=1 时否则每个进程都要重新编译源码）")
    args = ap.parse_args()
    if not args.no_bytecode:
        import compileall

        compileall.compile_dir(str(ROOT / "src"), quiet=1)  # what `pip install` does for an installed package
        print("bytecode: compiled as an install would (use --no-bytecode to measure without)")
    seed = str(SEEDS[0])
    load_only = [sys.executable, "-c", "from fazhi_audit.text.nlp import get_segmenter; get_segmenter()"]
    check = [sys.executable, "-m", "fazhi_audit", "check", seed, "--format", "json", "--jobs", "1"]
    timed(check)  # make sure the one-off model conversion is not measured
    pairs = [(timed_cpu(load_only), timed_cpu(check)) for _ in range(args.runs)]  # alternated, so drift hits both
    load = statistics.median(p[0][0] for p in pairs)
    cold = statistics.median(p[1][0] for p in pairs)
    load_cpu = statistics.median(p[0][1] for p in pairs)
    cold_cpu = statistics.median(p[1][1] for p in pairs)
    print(f"model load alone      median {load:.2f} s  ({args.runs} runs)")
    print(f"cold check (1 report) median {cold:.2f} s  ratio {cold / load:.2f}x load")
    print(f"CPU seconds: load {load_cpu:.2f}, check {cold_cpu:.2f}, ratio {cold_cpu / load_cpu:.2f}x (target <= 1.15x)")

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
