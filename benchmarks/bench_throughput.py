"""Throughput of a batch audit against plain segmentation of the same corpus.

    python benchmarks/bench_throughput.py [--reports 200] [--runs 3] [--jobs N]

Builds a corpus of varied reports from seeds/ and tests/corpus/ (each copy
gets its own numbers, body name and a shuffled order of paragraphs inside
its parts, so no cache can answer), then times

  audit:    `fazhi-audit check DIR --format jsonl --output out.jsonl` (-o refuses devices)
  baseline: one process that loads spacy-pkuseg (spaCy zh) and segments
            every file in full.

Prints medians of reports/s, characters/s, their ratio, the cold time of one
report against model load alone, and peak resident memory per process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "corpus" / "reports").glob("*.txt"))

BASELINE = """
import sys, time
from pathlib import Path
from spacy.lang.zh import Chinese
from fazhi_audit.text.nlp import bundled_model_dir, prepare_model_dir, cache_root
nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
nlp.tokenizer.initialize(pkuseg_model=str(prepare_model_dir(bundled_model_dir(), cache_root())))
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    nlp.tokenizer(p.read_text(encoding="utf-8"))
"""


def vary(text: str, rng: random.Random, n: int) -> str:
    text = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)) if len(m.group()) < 4 else m.group(), text)
    lines = text.split("\n")
    # Shuffle runs of body paragraphs between headings; headings stay put.
    out, block = [], []
    for line in lines:
        if re.match(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])", line):
            rng.shuffle(block)
            out.extend(block)
            block = []
            out.append(line)
        else:
            block.append(line)
    rng.shuffle(block)
    out.extend(block)
    return "\n".join(out) + f"\n（第{n}号样本）\n"


def build_corpus(folder: Path, count: int) -> int:
    rng = random.Random(20261121)
    chars = 0
    for n in range(count):
        src = SOURCES[n % len(SOURCES)]
        text = vary(src.read_text(encoding="utf-8"), rng, n)
        (folder / f"r{n:04d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


_CPU: dict[str, list[float]] = {}  # CPU seconds per command kind, beside the wall times


def run(cmd: list[str], kind: str = "") -> tuple[float, float]:
    """Wall time and peak RSS (MB) of the largest process in the command's tree."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if kind:
        _CPU.setdefault(kind, []).append(usage.ru_utime + usage.ru_stime - cpu)
    return wall, max(before, usage.ru_maxrss) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chars = build_corpus(folder, args.reports)
        audit = [sys.executable, "-m", "fazhi_audit", "check", str(folder), "--format", "jsonl", "--output", str(Path(tmp) / "out.jsonl"), "--jobs", str(args.jobs)]
        base = [sys.executable, "-c", BASELINE, str(folder)]
        one = [sys.executable, "-m", "fazhi_audit", "check", str(folder / "r0000.txt"), "--format", "json", "--jobs", "1"]
        load = [sys.executable, "-c", "from fazhi_audit.text.nlp import get_segmenter; get_segmenter()"]
        run(one)  # model conversion, if still needed, is not measured
        audit_times = [run(audit, "audit")[0] for _ in range(args.runs)]
        base_times = [run(base, "base")[0] for _ in range(args.runs)]
        cold = statistics.median(run(one)[0] for _ in range(args.runs))
        load_t = statistics.median(run(load)[0] for _ in range(args.runs))
        a, b = statistics.median(audit_times), statistics.median(base_times)
        print(f"corpus: {args.reports} reports, {chars} characters; jobs={args.jobs}; medians of {args.runs} runs")
        print(f"audit     {a:6.2f} s  {args.reports / a:7.1f} reports/s  {chars / a:9.0f} chars/s")
        print(f"baseline  {b:6.2f} s  {args.reports / b:7.1f} reports/s  {chars / b:9.0f} chars/s  (segmentation only, 1 process)")
        print(f"audit is {b / a:.2f}x faster than the segmentation baseline (target >= 6x)")
        print(f"cold check of one report {cold:.2f} s vs model load alone {load_t:.2f} s: {cold / load_t:.2f}x (target <= 1.15x)")
        a_cpu, b_cpu = statistics.median(_CPU["audit"]), statistics.median(_CPU["base"])
        print(f"CPU seconds (all processes, steadier on a shared machine): audit {a_cpu:.1f}, baseline {b_cpu:.1f}, baseline/audit {b_cpu / a_cpu:.2f}x")
    # Separate processes so each peak is its own.
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_corpus(folder, 8)
        _, serial_peak = run_isolated([sys.executable, "-m", "fazhi_audit", "check", str(folder), "--format", "jsonl", "--output", str(Path(tmp) / "serial.jsonl"), "--jobs", "1"])
        print(f"peak RSS of one auditing process (serial worker): {serial_peak:.0f} MB (target <= 400 MB)")


def run_isolated(cmd: list[str]) -> tuple[float, float]:
    code = (
        "import resource, subprocess, sys, time; t=time.perf_counter(); subprocess.run(sys.argv[1:], capture_output=True); "
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


if __name__ == "__main__":
    main()
