"""Structural check of tests/corpus/labels.json (format and consistency only, not correctness)."""
import json
import os
import re
import sys
from pathlib import Path

BASE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["body", "title", "year", "published", "sections", "causes_analysed", "order_ok",
        "five_step", "three_systems", "four_personally", "numbering_defects", "other_findings"]
# Optional keys, after KEYS in this order (see README.md).
OPTIONAL = ["part_headings", "not_applicable"]
ITEMS = {
    "five_step": ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"],
    "three_systems": ["行政执法公示", "执法全过程记录", "重大执法决定法制审核"],
    "four_personally": ["亲自部署", "亲自过问", "亲自协调", "亲自督办"],
}
NOT_APPLICABLE_RULES = {"decision.five-step", "enforcement.three-systems"}
SECTIONS = {"achievements", "shortcomings", "first_responsible", "plans", "other", "extra"}
RANK = {"achievements": 0, "shortcomings": 1, "first_responsible": 2, "plans": 3, "other": 4}
TRI = (True, False, "ambiguous")
REPORT_SUFFIXES = (".txt", ".docx")
LINE_REF = re.compile(r"^line (\d+):")


def report_text(path: str) -> str:
    """The text as the checker reads it (.docx through the project's reader, numbering restored)."""
    if path.endswith(".docx"):
        from fazhi_audit.text.ingest.readers import read_path

        return read_path(Path(path)).text
    return open(path, encoding="utf-8").read()


def optional_keys_ok(keys: list[str]) -> bool:
    extra = keys[len(KEYS):]
    return keys[:len(KEYS)] == KEYS and extra == [k for k in OPTIONAL if k in extra]


def check_report(name: str, lab: dict, text: str) -> list[str]:
    errors = []
    lines = text.splitlines()
    stripped = [l.strip() for l in lines]
    if lab["title"] not in stripped:
        errors.append(f"{name}: title line not in text")
    if lab["published"] is not None and lab["published"] not in text:
        errors.append(f"{name}: published date not in text")
    if not lab["sections"] or any(s not in SECTIONS for s in lab["sections"]):
        errors.append(f"{name}: bad sections {lab['sections']}")
    headings = lab.get("part_headings")
    if headings is not None:
        if len(headings) != len(lab["sections"]):
            errors.append(f"{name}: {len(headings)} part_headings vs {len(lab['sections'])} sections")
        positions = [stripped.index(h) if h in stripped else -1 for h in headings]
        if -1 in positions:
            errors.append(f"{name}: part heading not a line of the text: {headings[positions.index(-1)]}")
        elif positions != sorted(positions):
            errors.append(f"{name}: part_headings not in document order")
    else:
        tops = [l for l in lines if re.match(r"^[一二三四五六七八九十]+、", l)]
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
    else:
        for defect in lab["numbering_defects"]:
            ref = LINE_REF.match(defect)
            if ref and not (1 <= int(ref.group(1)) <= len(lines) and lines[int(ref.group(1)) - 1].strip()):
                errors.append(f"{name}: numbering defect points at an empty or missing line: {defect}")
    na = lab.get("not_applicable")
    if na is not None:
        if not isinstance(na, dict) or not na:
            errors.append(f"{name}: not_applicable must be a non-empty object")
        else:
            for rule, sentence in na.items():
                if rule not in NOT_APPLICABLE_RULES:
                    errors.append(f"{name}: not_applicable names unknown rule {rule}")
                if not isinstance(sentence, str) or sentence not in text:
                    errors.append(f"{name}: not_applicable evidence for {rule} not in text")
    return errors


def main() -> int:
    data = json.load(open(os.path.join(BASE, "labels.json"), encoding="utf-8"))
    errors = []
    if set(data) != {"about", "reports"}:
        errors.append("top-level keys must be about, reports")
    folder = os.path.join(BASE, "reports")
    files = sorted(f for f in os.listdir(folder) if f.endswith(REPORT_SUFFIXES))
    if sorted(data["reports"]) != files:
        errors.append(f"labels and reports/ differ: {sorted(set(files) ^ set(data['reports']))}")
    for name, lab in data["reports"].items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            errors.append(f"{name}: file missing")
            continue
        if not optional_keys_ok(list(lab)):
            errors.append(f"{name}: keys {list(lab)}")
            continue
        errors.extend(check_report(name, lab, report_text(path)))
    for e in errors:
        print(e)
    print(f"{len(data['reports'])} reports, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
