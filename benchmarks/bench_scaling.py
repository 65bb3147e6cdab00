"""Audit time per MB as reports grow, and for hostile shapes; prints figures, asserts nothing.

    python benchmarks/bench_scaling.py [--runs 3] [--sizes 1,5,20] [--only NAME,...]

Each case is audited in a fresh subprocess that first loads the rules and
the segmentation model (a constant per process, not measured), then times
`Auditor.audit_path` on the file: reading, parsing and every check.  The
median of `--runs` processes is printed with the time per MB of input and
the process's peak resident memory (ru_maxrss, model included).  Times are
CPU seconds of the auditing process (the audit is single-threaded), so other
work on the machine does not inflate them; wall seconds are shown as well.

"× ordinary" compares a case with an ordinary report of the same format and
about the same file size, audited in the same process just before it: for
small files the fixed cost of an audit outweighs the per-MB cost, so a 33 KB
case is only comparable with a 33 KB report.  For the report-N cases the
reference is report-1's time per MB.

Cases:
  report-N   an ordinary report of N MB (.txt): paragraphs of seeds/ under
             fresh numbering (一、 → （一） → 1.), so no heading repeats
  docx-N     the same report as a Word file with automatic numbering
  sections   800 repeated “二、存在的不足” parts in about 33 KB
  stars      a 1 MB run of “*” inside a report
  long-line  a report whose body is one 1 MB line
  headings   1 MB of numbered headings and nothing else
  levels     a .docx whose list has 10,000 numbering levels
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
MB = 1024 * 1024
TITLE = "某县2024年法治政府建设年度报告"
PARTS = ("主要举措和成效", "存在的不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况", "2025年工作安排", "其他需要报告的情况")
_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+是)\s*")
_CN = "一二三四五六七八九"

WORKER = r"""
import json, resource, sys, time
from fazhi_audit.engine.audit import Auditor
from fazhi_audit.engine.settings import AuditSettings, Limits
auditor = Auditor()
settings = AuditSettings(limits=Limits.scaled(64 * 1024 * 1024))  # the 20 MB case must not hit a limit
out = {}
for name, path in zip(("reference", "case")[-len(sys.argv[1:]):], sys.argv[1:]):
    t, cpu = time.perf_counter(), time.process_time()
    result = auditor.audit_path(path, settings)
    out[name], out[name + "_cpu"] = time.perf_counter() - t, time.process_time() - cpu
    out["error"], out["score"] = result.error, result.score
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def cn(n: int) -> str:
    """1..99 as Chinese numerals (一 … 九十九)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN[tens - 1]) + "十" if tens else "") + (_CN[ones - 1] if ones else "")


def paragraphs() -> list[str]:
    """Body paragraphs of the seed reports, their own numbering removed."""
    out = []
    for path in SEEDS:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = _MARKER.sub("", line.strip())
            if len(line) >= 60 and line.endswith("。"):
                out.append(line)
    return out


def report_lines(target_bytes: int) -> list[tuple[int, str]]:
    """(level, text) lines of a report of about target_bytes (UTF-8); level 0 = body text."""
    paras = paragraphs()
    per_part = [0.6, 0.1, 0.1, 0.1, 0.1]
    lines: list[tuple[int, str]] = [(-1, TITLE), (0, paras[0])]
    k = 0
    for part, (name, share) in enumerate(zip(PARTS, per_part), start=1):
        lines.append((1, name))
        budget, used = target_bytes * share, 0
        sub = 0
        while used < budget and sub < 99:
            sub += 1
            lines.append((2, f"第{cn(sub)}方面工作"))
            item = 0
            while used < budget and item < 99 and (item < 8 or used < budget * sub / 99):
                item += 1
                lines.append((3, f"第{item}项措施"))
                for _ in range(3):
                    text = paras[k % len(paras)]
                    k += 1
                    lines.append((0, text))
                    used += len(text.encode("utf-8")) + 1
        if part == 2:
            lines.append((0, "究其原因，主要在于学习不够深入，制度执行不够严格。"))
    lines += [(0, "某县人民政府"), (0, "2025年1月10日")]
    return lines


def report_text(target_bytes: int) -> str:
    out, counters = [], [0, 0, 0, 0]
    for level, text in report_lines(target_bytes):
        if level >= 1:
            counters[level] += 1
            for deeper in range(level + 1, 4):
                counters[deeper] = 0
            marker = {1: f"{cn(counters[1])}、", 2: f"（{cn(counters[2])}）", 3: f"{counters[3]}."}[level]
            text = marker + text
        out.append(text)
    return "\n".join(out) + "\n"


def report_docx(target_bytes: int) -> bytes:
    """The same report in Word, headings numbered by a real multilevel list."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")])
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="7">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="7"><w:abstractNumId w:val="7"/></w:num>'))
    for level, text in report_lines(target_bytes):
        paragraph = document.add_paragraph(text)
        if level >= 1:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="7"/></w:numPr>')
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sections_text() -> str:
    """800 repeated shortcomings parts, each a heading and one sentence: about 33 KB."""
    parts = [f"{TITLE}\n一、主要举措和成效\n严格落实合法性审查，全年审查合同12件。\n"]
    parts += ["二、存在的不足\n个别干部法治意识不强。\n"] * 800
    return "".join(parts)


def stars_text() -> str:
    return f"{TITLE}\n一、主要举措和成效\n全年召开会议" + "*" * MB + "。\n"


def long_line_text() -> str:
    body = "".join(paragraphs())
    body = (body * (MB // len(body.encode("utf-8")) + 1))[: MB // 3]
    return f"{TITLE}\n{body}\n"


def headings_text() -> str:
    out, n = [TITLE], 0
    while sum(len(x.encode("utf-8")) + 1 for x in out[-200:]) and len("\n".join(out).encode("utf-8")) < MB:
        n += 1
        out.append(f"{cn((n - 1) % 99 + 1)}、主要举措和成效")
        out += [f"（{cn(i)}）加强组织领导" for i in range(1, 21)]
    return "\n".join(out) + "\n"


def levels_docx(levels: int = 10_000, paragraphs_count: int = 2_000) -> bytes:
    """A list definition with `levels` w:lvl elements and paragraphs that use the deepest ones."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    body = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>' for i in range(levels))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="5">{body}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="5"><w:abstractNumId w:val="5"/></w:num>'))
    document.add_paragraph(TITLE)
    for i in range(paragraphs_count):
        paragraph = document.add_paragraph("严格落实合法性审查，全年审查合同12件。")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{levels - 1 - i % 50}"/><w:numId w:val="5"/></w:numPr>')
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ordinary_like(suffix: str, size: int) -> bytes:
    """An ordinary report of about `size` bytes in the same format."""
    if suffix == ".docx":
        probe = 256 * 1024
        ratio = len(report_docx(probe)) / probe  # a .docx stores its text compressed
        return report_docx(max(int(size / ratio), 4096))
    return report_text(max(size, 4096)).encode("utf-8")


def build_cases(folder: Path, sizes: list[float]) -> dict[str, tuple[Path, Path | None]]:
    """name -> (case file, reference file or None)."""
    cases: dict[str, tuple[str, bytes]] = {}
    for size in sizes:
        cases[f"report-{size:g}"] = (".txt", report_text(int(size * MB)).encode("utf-8"))
    cases[f"docx-{sizes[0]:g}"] = (".docx", report_docx(int(sizes[0] * MB)))
    cases["sections"] = (".txt", sections_text().encode("utf-8"))
    cases["stars"] = (".txt", stars_text().encode("utf-8"))
    cases["long-line"] = (".txt", long_line_text().encode("utf-8"))
    cases["headings"] = (".txt", headings_text().encode("utf-8"))
    cases["levels"] = (".docx", levels_docx())
    paths = {}
    for name, (suffix, data) in cases.items():
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        reference = None
        if not name.startswith("report-"):
            reference = folder / f"{name}-ordinary{suffix}"
            reference.write_bytes(ordinary_like(suffix, len(data)))
        paths[name] = (path, reference)
    return paths


def measure(path: Path, reference: Path | None, runs: int) -> dict:
    samples = []
    files = [str(reference), str(path)] if reference else [str(path)]
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", WORKER, *files], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
        samples.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(s["case_cpu"] for s in samples),
        "wall": statistics.median(s["case"] for s in samples),
        "reference": statistics.median(s["reference_cpu"] for s in samples) if reference else None,
        "peak_mb": statistics.median(s["peak_mb"] for s in samples),
        "error": samples[0]["error"],
        "score": samples[0]["score"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="1,5,20", help="report sizes in MB, comma-separated")
    ap.add_argument("--only", default="", help="case names to run, comma-separated (default: all)")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    only = {s for s in args.only.split(",") if s}
    with tempfile.TemporaryDirectory() as tmp:
        paths = build_cases(Path(tmp), sizes)
        per_mb_1 = None
        print(f"{'case':<12} {'size':>9} {'CPU s':>7} {'wall s':>7} {'CPU s/MB':>8} {'ordinary':>8} {'× ordinary':>10} {'peak MB':>8}  outcome")
        for name, (path, reference) in paths.items():
            if only and name not in only:
                continue
            size = path.stat().st_size / MB
            m = measure(path, reference, args.runs)
            if "seconds" not in m:
                print(f"{name:<12} {size:8.2f}M  failed: {m['error']}")
                continue
            per_mb = m["seconds"] / size
            if m["reference"] is not None:
                ordinary, ratio = f"{m['reference']:.2f}", f"{m['seconds'] / m['reference']:.2f}"
            else:
                per_mb_1 = per_mb_1 or per_mb
                ordinary, ratio = "-", f"{per_mb / per_mb_1:.2f}"
            outcome = f"error: {m['error']}" if m["error"] else f"score {m['score']}"
            print(f"{name:<12} {size:8.2f}M {m['seconds']:7.2f} {m['wall']:7.2f} {per_mb:8.2f} {ordinary:>8} {ratio:>10} {m['peak_mb']:8.0f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
