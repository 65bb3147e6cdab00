"""Loading the bundled rule set in a fresh process: from the user cache, and parsed afresh.

    python benchmarks/bench_rules_load.py [--runs 7]

Each run is a new Python process that imports the engine (not timed) and then
times `load_ruleset(default_rules_dir())` alone. "cached" runs after one warming
run; "uncached" sets FAZHI_AUDIT_NO_RULE_CACHE=1. Prints medians (issue 21
target: <= 50 ms from a warm cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

PROBE = (
    "import time\n"
    "from fazhi_audit.engine.rulesets import default_rules_dir, load_ruleset\n"
    "t = time.perf_counter(); load_ruleset(default_rules_dir()); print(time.perf_counter() - t)\n"
)


def once(no_cache: bool) -> float:
    env = dict(os.environ)
    env.pop("FAZHI_AUDIT_NO_RULE_CACHE", None)
    if no_cache:
        env["FAZHI_AUDIT_NO_RULE_CACHE"] = "1"
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    once(False)  # warm the cache
    cached = [once(False) for _ in range(args.runs)]
    uncached = [once(True) for _ in range(args.runs)]
    print(f"rule set from the cache: median {statistics.median(cached) * 1000:.0f} ms over {args.runs} fresh processes (target <= 50 ms)")
    print(f"rule set parsed afresh:  median {statistics.median(uncached) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
