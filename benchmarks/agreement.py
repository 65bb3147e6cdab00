"""Agreement between the checker and hand labels (seeds + invented corpora).

    python benchmarks/agreement.py [--verbose] [--json] [--set seeds|old|new|shapes-dev|shapes-unseen ...]

Counts every non-ambiguous label: section list, order, causes, numbering
defect count (and the defect lines when the labels give them as "line N:"),
title/body/year/published, each item of the three element rules, and the
rules a report declares not applicable.  Prints per-field and overall
agreement (per set, and for the corpus also per subset: old = 01-24,
new = 25 on; for the shapes corpus of issue 18: shapes-dev = 01-16, the
reports the parser was developed on, and shapes-unseen = 17-24, opened only
once the parser was final), then element recall and false-find rate per subset, and the
disagreements.

Element figures: recall = items labelled true and found / items labelled
true; false-find rate = items labelled false but found / items labelled
false.  A numbering finding of severity "info" is a hint, not a defect.
The shapes corpus adds part_headings (each top-level part's heading line as
written in the original: a heading shown to people must be findable with
Ctrl-F) and outline (the 纲要 of the report's year), scored when the checker
exposes them.

A rule counts as not applicable when its finding is left out of the score
(Finding.scored is False) or has status "not_applicable".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ("seeds", ROOT / "seeds", ROOT / "tests" / "fixtures" / "seeds_gold.json"),
    ("corpus", ROOT / "tests" / "corpus" / "reports", ROOT / "tests" / "corpus" / "labels.json"),
    ("shapes", ROOT / "tests" / "shapes_corpus" / "reports", ROOT / "tests" / "shapes_corpus" / "labels.json"),
]
ELEMENTS = {"five_step": "decision.five-step", "three_systems": "enforcement.three-systems", "four_personally": "duty.four-personally"}
NEW_CORPUS_FROM = 25  # corpus reports numbered from here on were written for issue 13
SHAPES_UNSEEN_FROM = 17  # shapes reports numbered from here on were kept unseen while the parser was developed
SUBSETS = {"seeds": "seeds", "old": "corpus-old", "new": "corpus-new", "shapes-dev": "shapes-dev", "shapes-unseen": "shapes-unseen"}
SUBSET_ORDER = ("seeds", "corpus-old", "corpus-new", "shapes-dev", "shapes-unseen")
LINE_REF = re.compile(r"^line (\d+):")


def subset_of(set_name: str, report: str) -> str:
    """seeds, corpus-old (01-24), corpus-new (25 on), shapes-dev (01-16) or shapes-unseen (17 on)."""
    number = re.match(r"(\d+)_", report)
    if set_name == "corpus":
        return "corpus-new" if number and int(number.group(1)) >= NEW_CORPUS_FROM else "corpus-old"
    if set_name == "shapes":
        return "shapes-unseen" if number and int(number.group(1)) >= SHAPES_UNSEEN_FROM else "shapes-dev"
    return set_name


def _not_applicable(finding) -> bool:
    return getattr(finding, "scored", True) is False or finding.status == "not_applicable"


def predictions(result) -> dict:
    data = result.to_json()
    by_rule = defaultdict(list)
    for f in data["findings"]:
        by_rule[f["rule"]].append(f)
    defects = [f for f in by_rule["structure.numbering"] if f["status"] == "fail" and f["severity"] != "info"]
    pred = {
        "title": data["title"],
        "body": data["body"],
        "year": data["year"],
        "published": data["published"],
        "sections": [s["kind"] for s in data["sections"]],
        "part_headings": [s["heading"] for s in data["sections"]],
        "outline": data.get("outline"),
        "order_ok": by_rule["structure.section-order"][0]["status"] == "pass",
        "causes_analysed": by_rule["structure.causes"][0]["status"] == "pass",
        "numbering_defects": len(defects),
        "numbering_lines": sorted(f["line"] for f in defects if f["line"] is not None),
        "not_applicable": sorted(f.rule for f in result.findings if f.rule in ELEMENTS.values() and _not_applicable(f)),
    }
    for key, rule in ELEMENTS.items():
        findings = by_rule[rule]
        pred[key] = {i["name"]: i["found"] for i in findings[0]["items"]} if findings else {}
    return pred


def compare(label: dict, pred: dict):
    """Yield (field, agrees, label value, predicted value) for every scored label."""
    for key in ("title", "body", "year", "published", "sections", "order_ok", "causes_analysed"):
        if label[key] != "ambiguous":
            yield key, label[key] == pred[key], label[key], pred[key]
    if "part_headings" in label:
        got = pred["part_headings"]
        yield "part_headings", len(got) == len(label["part_headings"]) and all(map(_same_heading, label["part_headings"], got)), label["part_headings"], got
    if "outline" in label and pred["outline"] is not None:
        yield "outline", label["outline"] == pred["outline"], label["outline"], pred["outline"]
    defects = label["numbering_defects"]
    yield "numbering_defects", len(defects) == pred["numbering_defects"], len(defects), pred["numbering_defects"]
    lines = [LINE_REF.match(d) for d in defects]
    if defects and all(lines):
        want = sorted(int(m.group(1)) for m in lines)
        yield "numbering_lines", want == pred["numbering_lines"], want, pred["numbering_lines"]
    want_na = sorted(label.get("not_applicable", {}))
    if want_na or pred["not_applicable"]:
        yield "not_applicable", want_na == pred["not_applicable"], want_na, pred["not_applicable"]
    for key in ELEMENTS:
        for item, value in label[key].items():
            if value != "ambiguous":
                yield f"{key}", value == pred[key].get(item, False), f"{item}={value}", pred[key].get(item, False)


def _same_heading(line: str, shown: str) -> bool:
    """The heading shown is the labelled line as written, or its title before the first sentence stop."""
    line = line.strip()
    return bool(shown) and (line == shown or (line.startswith(shown) and line[len(shown)] in "。；;！!？?：:"))


def element_items(label: dict, pred: dict):
    """Yield (family, labelled value, found) for every non-ambiguous element label."""
    for key in ELEMENTS:
        for item, value in label[key].items():
            if value != "ambiguous":
                yield key, value, bool(pred[key].get(item, False))


class Tally:
    def __init__(self) -> None:
        self.agree = defaultdict(lambda: [0, 0])  # key -> [agreeing, total]
        self.items = defaultdict(lambda: [0, 0, 0, 0])  # key -> [true found, true, false found, false]
        self.misses: list[dict] = []

    def add(self, set_name: str, subset: str, report: str, label: dict, pred: dict) -> None:
        groups = [set_name] + ([subset] if subset != set_name else [])
        for field, ok, want, got in compare(label, pred):
            for key in [f"{g}:{field}" for g in groups] + [f"{g}:ALL" for g in groups] + ["ALL"]:
                self.agree[key][0] += ok
                self.agree[key][1] += 1
            if not ok:
                self.misses.append({"set": set_name, "subset": subset, "report": report, "field": field, "label": want, "got": got})
        for family, value, found in element_items(label, pred):
            for key in (subset, f"{subset}:{family}", "ALL", f"ALL:{family}"):
                counts = self.items[key]
                if value:
                    counts[0] += found
                    counts[1] += 1
                else:
                    counts[2] += found
                    counts[3] += 1

    def unreadable(self, set_name: str, subset: str, report: str, error: str) -> None:
        self.misses.append({"set": set_name, "subset": subset, "report": report, "field": "unreadable", "label": "report", "got": error})


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _pct(part: int, whole: int) -> str:
    return f"{part:4d}/{whole:<4d} {100 * part / whole:5.1f}%" if whole else f"{part:4d}/{whole:<4d}     -"


def element_figures(tally: Tally) -> dict:
    out = {}
    for key, (tf, t, ff, f) in tally.items.items():
        out[key] = {"true_found": tf, "labelled_true": t, "recall": _rate(tf, t),
                    "false_found": ff, "labelled_false": f, "false_find_rate": _rate(ff, f)}
    return out


def run(subsets: set[str], auditor=None) -> Tally:
    if auditor is None:
        from fazhi_audit.engine.audit import Auditor

        auditor = Auditor()
    tally = Tally()
    for set_name, folder, labels_path in SETS:
        if not labels_path.exists():
            continue
        labels = json.loads(labels_path.read_text(encoding="utf-8"))["reports"]
        _warn_unlabelled(folder, labels)
        for name, label in sorted(labels.items()):
            subset = subset_of(set_name, name)
            if subset not in subsets:
                continue
            result = auditor.audit_path(folder / name)
            if result.error:
                tally.unreadable(set_name, subset, name, result.error)
                continue
            tally.add(set_name, subset, name, label, predictions(result))
    return tally


def _warn_unlabelled(folder: Path, labels: dict) -> None:
    from fazhi_audit.text.ingest.readers import SUPPORTED_SUFFIXES

    unlabelled = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES and p.name not in labels)
    if unlabelled:
        print(f"warning: {folder.name}/ has report files without labels: {', '.join(unlabelled)}", file=sys.stderr)


def print_text(tally: Tally, verbose: bool) -> None:
    for key in sorted(tally.agree):
        ok, n = tally.agree[key]
        print(f"{key:34s} {ok:4d}/{n:<4d} {100 * ok / n:5.1f}%")
    print("\nelement items             recall (found / labelled true)   false finds (found / labelled false)")
    order = [s for s in SUBSET_ORDER if s in tally.items] + ["ALL"]
    for subset in order:
        if subset not in tally.items:
            continue
        keys = [subset] + ([f"{subset}:{family}" for family in ELEMENTS] if verbose else [])
        for key in keys:
            tf, t, ff, f = tally.items[key]
            print(f"{key:26s} {_pct(tf, t)}                {_pct(ff, f)}")
    if verbose or tally.misses:
        print("\ndisagreements:")
        for m in tally.misses:
            print(f"  {m['set']}/{m['report']} {m['field']}: label {m['label']} got {m['got']}")


def print_json(tally: Tally) -> None:
    out = {
        "agreement": {key: {"agree": ok, "total": n, "rate": _rate(ok, n)} for key, (ok, n) in sorted(tally.agree.items())},
        "elements": dict(sorted(element_figures(tally).items())),
        "disagreements": tally.misses,
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list every disagreement and per-family element figures")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--set", action="append", choices=sorted(SUBSETS), dest="sets",
                    help="restrict to a subset: seeds, old (corpus 01-24), new (corpus 25 on), "
                         "shapes-dev (shapes 01-16), shapes-unseen (shapes 17 on); repeatable")
    args = ap.parse_args()
    subsets = {SUBSETS[s] for s in args.sets} if args.sets else set(SUBSETS.values())
    tally = run(subsets)
    if args.json:
        print_json(tally)
    else:
        print_text(tally, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
