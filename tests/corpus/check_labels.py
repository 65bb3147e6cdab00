"""Structural check of tests/corpus/labels.json (format and consistency only, not correctness)."""
import json
import os
import re
import sys

BASE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["body", "title", "year", "published", "sections", "causes_analysed", "order_ok",
        "five_step", "three_systems", "four_personally", "numbering_defects", "other_findings"]
ITEMS = {
    "five_step": ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"],
    "three_systems": ["行政执法公示", "执法全过程记录", "重大执法决定法制审核"],
    "four_personally": ["亲自部署", "亲自过问", "亲自协调", "亲自督办"],
}
SECTIONS = {"achievements", "shortcomings", "first_responsible", "plans", "other", "extra"}
RANK = {"achievements": 0, "shortcomings": 1, "first_responsible": 2, "plans": 3, "other": 4}
TRI = (True, False, "ambiguous")


def main() -> int:
    data = json.load(open(os.path.join(BASE, "labels.json"), encoding="utf-8"))
    errors = []
    if set(data) != {"about", "reports"}:
        errors.append("top-level keys must be about, reports")
    files = sorted(f for f in os.listdir(os.path.join(BASE, "reports")) if f.endswith(".txt"))
    if sorted(data["reports"]) != files:
        errors.append(f"labels and reports/ differ: {sorted(set(files) ^ set(data['reports']))}")
    for name, lab in data["reports"].items():
        path = os.path.join(BASE, "reports", name)
        if not os.path.isfile(path):
            errors.append(f"{name}: file missing")
            continue
        text = open(path, encoding="utf-8").read()
        if list(lab) != KEYS:
            errors.append(f"{name}: keys {list(lab)}")
            continue
        if lab["title"] not in text.splitlines():
            errors.append(f"{name}: title line not in text")
        if lab["published"] is not None and lab["published"] not in text:
            errors.append(f"{name}: published date not in text")
        if not lab["sections"] or any(s not in SECTIONS for s in lab["sections"]):
            errors.append(f"{name}: bad sections {lab['sections']}")
        tops = [l for l in text.splitlines() if re.match(r"^[一二三四五六七八九十]+、", l)]
        if len(tops) != len(lab["sections"]):
            errors.append(f"{name}: {len(tops)} top-level headings vs {len(lab['sections'])} sections")
        for k in ("causes_analysed", "order_ok"):
            if lab[k] not in TRI:
                errors.append(f"{name}: {k}={lab[k]!r}")
        for k, names in ITEMS.items():
            if list(lab[k]) != names or any(v not in TRI for v in lab[k].values()):
                errors.append(f"{name}: {k} malformed")
        seq = [RANK[s] for s in lab["sections"] if s in RANK]
        if (seq == sorted(seq)) != lab["order_ok"]:
            errors.append(f"{name}: order_ok inconsistent with sections")
        if "shortcomings" not in lab["sections"] and lab["causes_analysed"] is not False:
            errors.append(f"{name}: causes_analysed without a shortcomings section")
        if not isinstance(lab["numbering_defects"], list) or not isinstance(lab["other_findings"], list):
            errors.append(f"{name}: numbering_defects/other_findings must be lists")
    for e in errors:
        print(e)
    print(f"{len(data['reports'])} reports, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
