"""Structural check of tests/shapes_corpus/labels.json (format and consistency only, not correctness).

Usage: python3 tests/shapes_corpus/check_labels.py   (stdlib only; exit code 1 when a problem is found)
"""
import json
import os
import re
import sys

BASE = os.path.dirname(os.path.abspath(__file__))
REPORTS = os.path.join(BASE, "reports")

# Keys of tests/corpus/labels.json, then the keys this corpus adds for every report, then optional keys.
KEYS = ["body", "title", "year", "published", "sections", "causes_analysed", "order_ok",
        "five_step", "three_systems", "four_personally", "numbering_defects", "other_findings"]
ADDED = ["part_headings", "outline", "signature"]
OPTIONAL = ["combined", "not_applicable"]
ITEMS = {
    "five_step": ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"],
    "three_systems": ["行政执法公示", "执法全过程记录", "重大执法决定法制审核"],
    "four_personally": ["亲自部署", "亲自过问", "亲自协调", "亲自督办"],
}
SECTIONS = {"achievements", "shortcomings", "first_responsible", "plans", "other", "extra"}
RANK = {"achievements": 0, "shortcomings": 1, "first_responsible": 2, "plans": 3, "other": 4}
TRI = (True, False, "ambiguous")
NOT_APPLICABLE_RULES = {"decision.five-step", "enforcement.three-systems"}
LEVEL_WORDS = {"county", "district", "joint", "town", "township", "subdistrict", "bureau", "branch"}
NAME = re.compile(r"^(\d\d)_([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$")
DATE_LINE = re.compile(r"^(20\d\d)年(\d{1,2})月(\d{1,2})日$")
# Leading part/topic markers, stripped before comparing headings across reports.
MARKER = re.compile(r"^(第[一二三四五六七八九十]+部分[\s　]*|[一二三四五六七八九十]+[、．.，,]\s*)")
MIN_CHARS, MAX_CHARS = 1800, 4000


def outline_for(year: int) -> str:
    return "2015-2020" if year <= 2020 else "2021-2025"


def check_keys(name: str, lab: dict) -> list[str]:
    keys = list(lab)
    base = KEYS + ADDED
    extra = keys[len(base):]
    if keys[:len(base)] != base or extra != [k for k in OPTIONAL if k in extra]:
        return [f"{name}: keys {keys} (expected {base} + optional {OPTIONAL} in this order)"]
    return []


def check_name(name: str, lab: dict) -> list[str]:
    errors = []
    m = NAME.match(name)
    if not m:
        return [f"{name}: file name must be NN_pinyin-kind-YEAR-shortdesc.txt (lower case, hyphens)"]
    tokens = m.group(2).split("-")
    levels = [t for t in tokens if t in LEVEL_WORDS]
    if len(levels) != 1:
        errors.append(f"{name}: file name must carry exactly one level word of {sorted(LEVEL_WORDS)}, found {levels}")
    years = [t for t in tokens if re.fullmatch(r"20\d\d", t)]
    if years != [str(lab["year"])]:
        errors.append(f"{name}: year in file name {years} differs from label year {lab['year']}")
    return errors


def check_report(name: str, lab: dict, text: str) -> list[str]:
    errors = []
    lines = text.splitlines()
    stripped = [l.strip() for l in lines]
    nonempty = [i for i, l in enumerate(stripped) if l]

    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        errors.append(f"{name}: {len(text)} characters, outside {MIN_CHARS}-{MAX_CHARS}")

    # year, outline, published
    year = lab["year"]
    if not isinstance(year, int) or not 2016 <= year <= 2030:
        errors.append(f"{name}: bad year {year!r}")
        return errors
    if lab["outline"] != outline_for(year):
        errors.append(f"{name}: outline {lab['outline']!r} but year {year} falls under {outline_for(year)}")
    if lab["published"] is not None and lab["published"] not in text:
        errors.append(f"{name}: published date not in text")

    # title
    title = lab["title"]
    if title is not None:
        if title not in stripped:
            errors.append(f"{name}: title is not a line of the text")
        elif nonempty and stripped[nonempty[0]] != title:
            errors.append(f"{name}: title is not the first non-empty line")
        elif str(year) not in title:
            errors.append(f"{name}: title does not name the label year {year}")

    # signature
    sig = lab["signature"]
    if sig is not None:
        if not isinstance(sig, list) or len(sig) < 2 or not all(isinstance(s, str) and s for s in sig):
            errors.append(f"{name}: signature must be a list of at least two non-empty lines or null")
        else:
            tail = [stripped[i] for i in nonempty[-len(sig):]]
            if tail != sig:
                errors.append(f"{name}: signature lines are not the last non-empty lines of the text: {tail}")
            d = DATE_LINE.match(sig[-1])
            if not d:
                errors.append(f"{name}: last signature line is not a date (YYYY年M月D日): {sig[-1]}")
            elif int(d.group(1)) not in (year, year + 1):
                errors.append(f"{name}: signature dated {d.group(1)} for a report on {year}")
            first_sig = nonempty[-len(sig)]
            if first_sig > 0 and stripped[first_sig - 1]:
                errors.append(f"{name}: signature block is not separated from the text before it by a blank line")
    if title is None and sig is None:
        errors.append(f"{name}: no title and no signature: the body cannot be read")

    # body
    body = lab["body"]
    where = title if title is not None else "\n".join(sig or [])
    if not body or body not in where:
        errors.append(f"{name}: body {body!r} not found in the {'title' if title is not None else 'signature'}")

    # sections and part headings
    sections = lab["sections"]
    if not sections or any(s not in SECTIONS for s in sections):
        errors.append(f"{name}: bad sections {sections}")
    headings = lab["part_headings"]
    if not isinstance(headings, list) or len(headings) != len(sections):
        errors.append(f"{name}: {len(headings) if isinstance(headings, list) else headings!r} part_headings vs {len(sections)} sections")
    else:
        positions = []
        start = 0
        for h in headings:
            try:
                pos = stripped.index(h, start)
            except ValueError:
                errors.append(f"{name}: part heading not a line of the text (after the previous one): {h}")
                break
            positions.append(pos)
            start = pos + 1
        if len(positions) == len(headings):
            if title is not None and positions[0] <= stripped.index(title):
                errors.append(f"{name}: first part heading is not after the title")
            if sig is not None and positions[-1] >= nonempty[-len(sig)]:
                errors.append(f"{name}: last part heading is inside the signature block")

    # combined parts
    combined = lab.get("combined")
    if combined is not None:
        if not isinstance(combined, dict) or not combined:
            errors.append(f"{name}: combined must be a non-empty object")
        else:
            for h, kinds in combined.items():
                if not isinstance(headings, list) or h not in headings:
                    errors.append(f"{name}: combined heading is not one of the part_headings: {h}")
                    continue
                if (not isinstance(kinds, list) or len(kinds) < 2 or any(k not in SECTIONS for k in kinds)
                        or len(set(kinds)) != len(kinds)):
                    errors.append(f"{name}: combined kinds for {h} must be at least two distinct section kinds")
                    continue
                idx = headings.index(h)
                if idx < len(sections) and sections[idx] != kinds[0]:
                    errors.append(f"{name}: combined part {h} is labelled {sections[idx]}, expected its first kind {kinds[0]}")

    # tri-state values and element keys
    for k in ("causes_analysed", "order_ok"):
        if lab[k] not in TRI:
            errors.append(f"{name}: {k}={lab[k]!r}")
    for k, names in ITEMS.items():
        if not isinstance(lab[k], dict) or list(lab[k]) != names or any(v not in TRI for v in lab[k].values()):
            errors.append(f"{name}: {k} malformed (keys must be exactly {names}, values true/false/\"ambiguous\")")
    seq = [RANK[s] for s in sections if s in RANK]
    if (seq == sorted(seq)) != lab["order_ok"]:
        errors.append(f"{name}: order_ok inconsistent with sections")
    if "shortcomings" not in sections and lab["causes_analysed"] is not False:
        errors.append(f"{name}: causes_analysed without a shortcomings section")
    for k in ("numbering_defects", "other_findings"):
        if not isinstance(lab[k], list) or not all(isinstance(s, str) and s for s in lab[k]):
            errors.append(f"{name}: {k} must be a list of non-empty strings")

    # not applicable
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


def check_headings_unique(data: dict) -> list[str]:
    """Headings must vary across reports: no heading text (numbering marker removed) may appear in two reports."""
    seen: dict[str, str] = {}
    errors = []
    for name, lab in data["reports"].items():
        for h in lab.get("part_headings") or []:
            key = MARKER.sub("", h)
            if key in seen and seen[key] != name:
                errors.append(f"{name}: part heading {h!r} repeats a heading of {seen[key]}")
            seen.setdefault(key, name)
    return errors


def main() -> int:
    data = json.load(open(os.path.join(BASE, "labels.json"), encoding="utf-8"))
    errors = []
    if list(data) != ["about", "reports"]:
        errors.append("top-level keys must be about, reports")
    files = sorted(f for f in os.listdir(REPORTS) if not f.startswith("."))
    names = sorted(data["reports"])
    if names != files:
        errors.append(f"labels and reports/ differ: {sorted(set(files) ^ set(names))}")
    numbers = [n[:2] for n in files]
    if numbers != [f"{i:02d}" for i in range(1, len(files) + 1)]:
        errors.append(f"report numbers must run 01..{len(files):02d} without gaps: {numbers}")
    for name, lab in data["reports"].items():
        path = os.path.join(REPORTS, name)
        if not os.path.isfile(path):
            errors.append(f"{name}: file missing")
            continue
        key_errors = check_keys(name, lab)
        errors.extend(key_errors)
        if key_errors:
            continue
        errors.extend(check_name(name, lab))
        try:
            text = open(path, encoding="utf-8").read()
        except UnicodeDecodeError:
            errors.append(f"{name}: not UTF-8")
            continue
        errors.extend(check_report(name, lab, text))
    errors.extend(check_headings_unique(data))
    for e in errors:
        print(e)
    print(f"{len(data['reports'])} reports, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
