"""Size of the HTML page for a batch, and how long Chromium takes to open it.

    python benchmarks/bench_html.py [--reports 200] [--runs 5] [--jobs N]

Builds the same varied corpus as bench_throughput.py, writes
`fazhi-audit check DIR -o 结果.html` (and times that), then opens the page
in the system Chromium (/usr/bin/chromium, driven by Playwright) --runs
times in a fresh tab and prints medians of: wall time of page.goto until the
load event, DOMContentLoaded and load from the navigation timing, and the
first contentful paint. Goal: under 5 MB, opens in under 2 s.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import build_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return [nav.domContentLoadedEventEnd, nav.loadEventEnd, fcp ? fcp.startTime : NaN];
}"""


def open_times(page_path: Path, runs: int) -> list[tuple[float, float, float, float]]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t = time.perf_counter()
            page.goto(page_path.as_uri(), wait_until="load")
            wall = time.perf_counter() - t
            dcl, load, fcp = page.evaluate(TIMING)
            out.append((wall, dcl / 1000, load / 1000, fcp / 1000))
            page.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        chars = build_corpus(folder, args.reports)
        page = Path(tmp) / "结果.html"
        cmd = [sys.executable, "-m", "fazhi_audit", "check", str(folder), "-o", str(page), "--jobs", str(args.jobs)]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        check_s = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        size = page.stat().st_size
        times = open_times(page, args.runs)
        med = [statistics.median(x[i] for x in times) for i in range(4)]
        print(f"corpus: {args.reports} reports, {chars} characters; jobs={args.jobs}")
        print(f"check + write html: {check_s:.1f} s")
        print(f"html size: {size / 1e6:.2f} MB ({size / args.reports / 1e3:.1f} kB per report; goal < 5 MB)")
        print(f"chromium, medians of {args.runs} opens: goto→load {med[0]:.2f} s, DOMContentLoaded {med[1]:.2f} s, "
              f"load {med[2]:.2f} s, first contentful paint {med[3]:.2f} s (goal < 2 s)")


if __name__ == "__main__":
    main()
