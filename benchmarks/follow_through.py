"""Agreement of quality.follow-through with the hand labels of tests/followthrough_corpus/.

    python benchmarks/follow_through.py [--pairs 01-06] [--verbose] [--json]

Audits every labelled this-year report with its last-year report (the Python
API, as `--previous FILE` does) and compares the items of quality.follow-through
with the labels (tests/followthrough_corpus/README.md):
- a labelled plan is paired with the checker's plan item whose name is most
  alike (rapidfuzz ratio of the texts without whitespace and punctuation, at
  least 60), each used once, best pairs first;
- a labelled plan the checker does not list counts as judged accounted for
  (the checker raised nothing about it);
- a checker item judged unaccounted that pairs with no labelled plan (a slogan
  of `not_listed`, or a plan split wrongly) is a false alarm.
Prints per-status agreement, accounted-vs-unaccounted accuracy, recall and
precision of unaccounted plans, false alarms per pair, and the agreement on
last year's problems (addressed or not).  Prints figures only, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from quality import in_range  # benchmarks/quality.py: the same "NN-NN" selection of reports
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "followthrough_corpus"
RULE = "quality.follow-through"
STATUSES = ["done", "partly", "explained", "unaccounted"]
_PUNCT = re.compile(r"[\s\W_]+")


def norm(text: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text or ""))


def pair_up(labels: list[str], names: list[str], floor: float = 60) -> dict[int, int]:
    """label index -> item index, best similarity first, each used once."""
    scored = sorted(((fuzz.ratio(norm(a), norm(b)), li, ii) for li, a in enumerate(labels) for ii, b in enumerate(names)), reverse=True)
    used_l, used_i, out = set(), set(), {}
    for score, li, ii in scored:
        if score >= floor and li not in used_l and ii not in used_i:
            used_l.add(li)
            used_i.add(ii)
            out[li] = ii
    return out


def audit_pairs(labels: dict, corpus: Path = CORPUS) -> dict[str, dict]:
    from fazhi_audit.engine.audit import Auditor
    from fazhi_audit.engine.settings import AuditSettings

    auditor = Auditor()
    out = {}
    for name, lab in labels.items():
        res = auditor.audit_path(corpus / "reports" / name, settings=AuditSettings(previous=str(corpus / lab["previous"])))
        out[name] = next((f.to_json() for f in res.findings if f.rule == RULE), None)
    return out


def evaluate(labels: dict, found: dict[str, dict | None]) -> dict:
    confusion = {a: dict.fromkeys(STATUSES + ["not listed"], 0) for a in STATUSES}
    t = {"plans": 0, "status_agree": 0, "binary_agree": 0, "unaccounted": 0, "unaccounted_found": 0, "flagged": 0,
         "false_alarms": 0, "problems": 0, "problems_agree": 0, "pairs": len(labels), "mismatches": []}
    for name, lab in sorted(labels.items()):
        finding = found.get(name) or {}
        items = finding.get("items") or []
        plan_items = [i for i in items if i.get("status") in STATUSES]
        problem_items = [i for i in items if i.get("status") in ("addressed", "unaddressed")]
        plans = lab["plans"]
        pairs = pair_up([p["name"] for p in plans], [i["name"] for i in plan_items])
        for li, plan in enumerate(plans):
            got = plan_items[pairs[li]]["status"] if li in pairs else "not listed"
            want = plan["status"]
            confusion[want][got] += 1
            t["plans"] += 1
            t["status_agree"] += got == want
            got_open, want_open = got == "unaccounted", want == "unaccounted"
            t["binary_agree"] += got_open == want_open
            t["unaccounted"] += want_open
            t["unaccounted_found"] += got_open and want_open
            t["flagged"] += got_open
            t["false_alarms"] += got_open and not want_open
            if got != want:
                evidence = ((plan_items[pairs[li]].get("evidence") or {}).get("text") or "")[:60] if li in pairs else ""
                t["mismatches"].append(f"{name} 安排“{plan['name'][:30]}”：标注 {want}，检查器 {got}"
                                       + (f"（检查器依据：{evidence}）" if evidence else ""))
        paired_items = set(pairs.values())
        for ii, item in enumerate(plan_items):
            if ii not in paired_items and item["status"] == "unaccounted":
                t["flagged"] += 1
                t["false_alarms"] += 1
                t["mismatches"].append(f"{name} 多列的安排“{item['name'][:30]}”判为未交代（误报）")
        probs = lab["problems"]
        ppairs = pair_up([p["name"] for p in probs], [i["name"].removeprefix("上年问题：") for i in problem_items])
        for li, prob in enumerate(probs):
            got = problem_items[ppairs[li]]["status"] == "addressed" if li in ppairs else None
            t["problems"] += 1
            t["problems_agree"] += got == prob["addressed"]
            if got != prob["addressed"]:
                t["mismatches"].append(f"{name} 问题“{prob['name'][:30]}”：标注 {'已应对' if prob['addressed'] else '未应对'}，检查器 "
                                       f"{'未列出' if got is None else ('已应对' if got else '未应对')}")
    t["confusion"] = confusion
    return t


def pct(a: int, b: int) -> str:
    return "—" if not b else f"{100 * a / b:.1f}%（{a}/{b}）"


def main() -> int:
    ap = argparse.ArgumentParser(description="上年安排落实情况（quality.follow-through）与人工标注的一致程度")
    ap.add_argument("--pairs", metavar="NN-NN", help="只检查编号在此范围内的报告对（如 01-06）")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="标注语料目录（含 labels.json、reports/、previous/），默认 tests/followthrough_corpus")
    ap.add_argument("--verbose", action="store_true", help="列出每一处不一致")
    ap.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    args = ap.parse_args()
    try:
        labels = {n: lab for n, lab in json.loads((args.corpus / "labels.json").read_text(encoding="utf-8"))["pairs"].items() if in_range(n, args.pairs)}
    except (OSError, ValueError, KeyError) as exc:
        print(f"无法读取标注文件：{exc}", file=sys.stderr)
        return 2
    t = evaluate(labels, audit_pairs(labels, args.corpus))
    if args.json:
        print(json.dumps(t, ensure_ascii=False, indent=2))
        return 0
    print(f"上年安排落实情况（{len(labels)} 对报告，{args.corpus}）\n")
    print(f"四类状态一致：{pct(t['status_agree'], t['plans'])}")
    print(f"已交代/未交代判断正确：{pct(t['binary_agree'], t['plans'])}")
    print(f"未交代安排的召回率：{pct(t['unaccounted_found'], t['unaccounted'])}")
    print(f"判为未交代的精确率：{pct(t['flagged'] - t['false_alarms'], t['flagged'])}")
    print(f"误报（判为未交代而实已交代，或多列的条目）：{t['false_alarms']}，每对 {t['false_alarms'] / max(t['pairs'], 1):.2f}")
    print(f"上年问题是否已应对判断正确：{pct(t['problems_agree'], t['problems'])}")
    print("\n按状态（行：标注，列：检查器）")
    cols = STATUSES + ["not listed"]
    print("".ljust(14) + "".join(c.rjust(12) for c in cols))
    for want, row in t["confusion"].items():
        print(want.ljust(14) + "".join(str(row[c]).rjust(12) for c in cols))
    if args.verbose:
        print("\n不一致之处：")
        for m in t["mismatches"]:
            print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
