"""Agreement between the checker and hand labels (seeds + invented corpus).

    python benchmarks/agreement.py [--verbose]

Counts every non-ambiguous label: section list, order, causes, numbering
defect count, title/body/year/published, and each item of the three element
rules.  Prints per-field and overall agreement, and the disagreements.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ("seeds", ROOT / "seeds", ROOT / "tests" / "fixtures" / "seeds_gold.json"),
    ("corpus", ROOT / "tests" / "corpus" / "reports", ROOT / "tests" / "corpus" / "labels.json"),
]
ELEMENTS = {"five_step": "decision.five-step", "three_systems": "enforcement.three-systems", "four_personally": "duty.four-personally"}


def predictions(result) -> dict:
    data = result.to_json()
    by_rule = defaultdict(list)
    for f in data["findings"]:
        by_rule[f["rule"]].append(f)
    pred = {
        "title": data["title"],
        "body": data["body"],
        "year": data["year"],
        "published": data["published"],
        "sections": [s["kind"] for s in data["sections"]],
        "order_ok": by_rule["structure.section-order"][0]["status"] == "pass",
        "causes_analysed": by_rule["structure.causes"][0]["status"] == "pass",
        "numbering_defects": sum(1 for f in by_rule["structure.numbering"] if f["status"] == "fail"),
    }
    for key, rule in ELEMENTS.items():
        pred[key] = {i["name"]: i["found"] for i in by_rule[rule][0]["items"]}
    return pred


def compare(label: dict, pred: dict):
    for key in ("title", "body", "year", "published", "sections", "order_ok", "causes_analysed"):
        if label[key] != "ambiguous":
            yield key, label[key] == pred[key], label[key], pred[key]
    yield "numbering_defects", len(label["numbering_defects"]) == pred["numbering_defects"], len(label["numbering_defects"]), pred["numbering_defects"]
    for key in ELEMENTS:
        for item, value in label[key].items():
            if value != "ambiguous":
                yield f"{key}", value == pred[key][item], f"{item}={value}", pred[key][item]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    from fazhi_audit.api import Auditor

    auditor = Auditor()
    totals = defaultdict(lambda: [0, 0])
    misses = []
    for set_name, folder, labels_path in SETS:
        if not labels_path.exists():
            continue
        labels = json.loads(labels_path.read_text(encoding="utf-8"))["reports"]
        for name, label in sorted(labels.items()):
            pred = predictions(auditor.audit_path(folder / name))
            for field, ok, want, got in compare(label, pred):
                for key in (f"{set_name}:{field}", f"{set_name}:ALL", "ALL"):
                    totals[key][0] += ok
                    totals[key][1] += 1
                if not ok:
                    misses.append(f"{set_name}/{name} {field}: label {want} got {got}")
    for key in sorted(totals):
        ok, n = totals[key]
        print(f"{key:34s} {ok:4d}/{n:<4d} {100 * ok / n:5.1f}%")
    if args.verbose or misses:
        print("\ndisagreements:")
        for m in misses:
            print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
