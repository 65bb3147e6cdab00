"""Time to annotate one ~5,000-character Word report.

    python benchmarks/bench_annotate.py [--runs 5] [--chars 5000]

Builds a .docx from the first --chars characters of the report body of
seeds/004 (one paragraph per line, each paragraph cut into runs of
alternating formatting, so comments must split runs), audits it once, then
prints medians over --runs of:
  annotate  -- annotate_docx alone: re-reading the file, placing every
               comment (run splitting), checking the text, writing the zip;
  check+annotate -- audit (model already loaded) plus annotate, what
               `fazhi-audit annotate` does after start-up;
and, once, the wall time of the command `fazhi-audit annotate` (cold: it
loads rules and the segmenter model like any command run).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from fazhi_audit.engine.settings import AuditSettings

KEEP = AuditSettings(keep_document=True)  # comments are placed by the parsed document's line origins

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "004_c02b67eb7c1835e1.txt"
RUN_CHARS = 37  # run length: formatting changes every 37 characters


def build_docx(path: Path, chars: int) -> int:
    """The seed's report from its title on, cut to about `chars` characters; returns the count."""
    import docx

    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "法治政府建设" in line and "报告" in line)
    document = docx.Document()
    total = 0
    for line in lines[start:]:
        if total >= chars:
            break
        paragraph = document.add_paragraph()
        for i in range(0, len(line), RUN_CHARS):
            paragraph.add_run(line[i : i + RUN_CHARS]).bold = (i // RUN_CHARS) % 2 == 1
        total += len(line)
    document.save(path)
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chars", type=int, default=5000)
    args = ap.parse_args()

    from fazhi_audit.annotate import annotate_docx
    from fazhi_audit.engine.audit import Auditor

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "报告.docx"
        chars = build_docx(source, args.chars)
        size = source.stat().st_size
        auditor = Auditor()
        rules, vocab = auditor.ruleset.rules, auditor.ruleset.vocab
        result = auditor.audit_path(source, KEEP)
        annotate_only, both = [], []
        comments = 0
        for n in range(args.runs):
            t = time.perf_counter()
            summary = annotate_docx(source, result, Path(tmp) / f"a{n}.docx", rules=rules, vocab=vocab)
            annotate_only.append(time.perf_counter() - t)
            comments = summary.comments
            t = time.perf_counter()
            annotate_docx(source, auditor.audit_path(source, KEEP), Path(tmp) / f"b{n}.docx", rules=rules, vocab=vocab)
            both.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "fazhi_audit", "annotate", str(source), "-o", str(Path(tmp) / "cli.docx")], capture_output=True, check=False)
        cli = time.perf_counter() - t

    print(f"报告 {chars} 字（.docx {size / 1024:.0f} KB），批注 {comments} 条；{args.runs} 次的中位数：")
    print(f"  annotate（仅加批注并写文件）：{statistics.median(annotate_only) * 1000:.0f} ms")
    print(f"  检查 + annotate（模型已加载）：{statistics.median(both) * 1000:.0f} ms")
    print(f"  命令 fazhi-audit annotate（冷启动，一次）：{cli:.1f} s")


if __name__ == "__main__":
    main()
