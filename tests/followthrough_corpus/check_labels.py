"""Consistency check of tests/followthrough_corpus/labels.json (format and location only, not the judgements).

Usage:
    python3 tests/followthrough_corpus/check_labels.py           # check, exit 1 on any error
    python3 tests/followthrough_corpus/check_labels.py --table   # print the README table of pairs

Standard library only.
"""
import json
import os
import re
import sys

BASE = os.path.dirname(os.path.abspath(__file__))

STATUSES = ("done", "partly", "explained", "unaccounted")
HOW = {
    "done": {"same-words", "other-words", "other-name"},
    "partly": {"number", "one-part"},
    "explained": {"reason"},
    "unaccounted": {"absent", "topic-word", "relisted", "blanket"},
}
PLAN_NEAR_KINDS = {"topic-word", "relisted", "blanket"}
PROBLEM_NEAR_KINDS = {"repeated", "planned-only", "topic-word"}
LEVEL_WORDS = {"county", "district", "town", "township", "subdistrict", "bureau"}
REPORT_NAME = re.compile(r"^(\d\d)_([a-z]+(?:-[a-z]+)*)-(\d{4})\.txt$")
PREVIOUS_NAME = re.compile(r"^previous/([a-z]+(?:-[a-z]+)*)-(\d{4})\.txt$")
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
MARKER = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.．、])")
PAIR_KEYS = ["previous", "body", "year", "plans", "not_listed", "problems", "near_misses"]
# The five customary parts, recognised by key words in the top-level headings.
PARTS = {
    "achievements": ("举措", "成效", "工作开展", "主要工作"),
    "shortcomings": ("不足",),
    "first_responsible": ("第一责任人",),
    "plans": ("安排", "计划", "打算"),
    "other": ("其他",),
}
LIMITS = {"plans": (5, 8), "not_listed": (1, 3), "problems": (2, 4), "unaccounted": (1, 3)}
MIN_CHARS, MAX_CHARS = 1500, 3500


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def parts_of(lines):
    """{part: (first_line, last_line)} (1-based, inclusive) from the top-level headings."""
    heads = [(i + 1, l) for i, l in enumerate(lines) if TOP_HEADING.match(l)]
    found = {}
    for k, (ln, text) in enumerate(heads):
        end = heads[k + 1][0] - 1 if k + 1 < len(heads) else len(lines)
        for part, words in PARTS.items():
            if part not in found and any(w in text for w in words):
                # "第一责任人" headings also contain 情况; plans headings never contain 不足/责任人
                if part == "plans" and ("责任人" in text or "不足" in text):
                    continue
                found[part] = (ln, end)
                break
    return found


def where(parts, line):
    for part, (a, b) in parts.items():
        if a <= line <= b:
            return part
    return "preamble"


def locate(errors, who, lines, line, text):
    """text must occur on exactly one line of the file, and that line must be `line`."""
    if not isinstance(line, int) or not isinstance(text, str) or not text:
        errors.append(f"{who}: bad line/text {line!r} {text!r}")
        return False
    hits = [i + 1 for i, l in enumerate(lines) if text in l]
    if hits != [line]:
        errors.append(f"{who}: {text!r} expected only on line {line}, found on {hits}")
        return False
    return True


def check_text_file(errors, rel, lines, year):
    text = "\n".join(lines)
    dense = len(re.sub(r"\s", "", text))
    if not (MIN_CHARS <= dense and len(text) <= MAX_CHARS):
        errors.append(f"{rel}: length {dense} (non-space) / {len(text)} outside {MIN_CHARS}-{MAX_CHARS}")
    if str(year) not in lines[0]:
        errors.append(f"{rel}: title does not name the year {year}")
    parts = parts_of(lines)
    missing = [p for p in PARTS if p not in parts]
    if missing:
        errors.append(f"{rel}: customary parts not found: {missing}")
    return parts


def counts(entry):
    c = {s: 0 for s in STATUSES}
    for p in entry["plans"]:
        c[p["status"]] = c.get(p["status"], 0) + 1
    addressed = sum(1 for q in entry["problems"] if q["addressed"] is True)
    c["addressed"] = addressed
    c["not_addressed"] = len(entry["problems"]) - addressed
    c["not_listed"] = len(entry["not_listed"])
    c["near_misses"] = len(entry["near_misses"])
    return c


def check_pair(errors, name, e):
    m = REPORT_NAME.match(name)
    if not m:
        errors.append(f"{name}: report file name not NN_<pinyin>-<kind>-<YEAR>.txt")
        return
    stem, year = m.group(2), int(m.group(3))
    if list(e.keys()) != PAIR_KEYS:
        errors.append(f"{name}: keys {list(e.keys())} != {PAIR_KEYS}")
        return
    level = [w for w in stem.split("-") if w in LEVEL_WORDS]
    if len(level) != 1:
        errors.append(f"{name}: kind must contain exactly one level word, has {level}")
    if e["year"] != year:
        errors.append(f"{name}: year {e['year']} != file name year {year}")
    pm = PREVIOUS_NAME.match(e["previous"])
    if not pm or pm.group(1) != stem or int(pm.group(2)) != year - 1:
        errors.append(f"{name}: previous {e['previous']} is not previous/{stem}-{year - 1}.txt")
    rep_path = os.path.join(BASE, "reports", name)
    prev_path = os.path.join(BASE, e["previous"])
    for p in (rep_path, prev_path):
        if not os.path.isfile(p):
            errors.append(f"{name}: missing file {os.path.relpath(p, BASE)}")
            return
    rep, prev = read_lines(rep_path), read_lines(prev_path)
    rparts = check_text_file(errors, "reports/" + name, rep, year)
    pparts = check_text_file(errors, e["previous"], prev, year - 1)
    # Same title apart from the year: a tool can pair the files by body and year - 1.
    if rep[0].replace(str(year), "#") != prev[0].replace(str(year - 1), "#"):
        errors.append(f"{name}: titles differ beyond the year: {rep[0]!r} / {prev[0]!r}")
    body_core = re.sub(r"(人民政府|办事处)$", "", e["body"])
    if body_core not in rep[0]:
        errors.append(f"{name}: body {e['body']!r} not named in the title")

    def in_prev_plans(who, line):
        if where(pparts, line) != "plans":
            errors.append(f"{who}: previous line {line} is not in last year's plans part")

    plan_names = {}
    for i, p in enumerate(e["plans"]):
        who = f"{name} plan {i + 1}"
        if p.get("status") not in STATUSES:
            errors.append(f"{who}: bad status {p.get('status')!r}")
            continue
        if p.get("how") not in HOW[p["status"]]:
            errors.append(f"{who}: how {p.get('how')!r} not allowed for {p['status']}")
        if MARKER.match(p["name"]) or p["name"].endswith(("。", "；", "，")):
            errors.append(f"{who}: name keeps its marker or final punctuation: {p['name']!r}")
        if p["name"] in plan_names:
            errors.append(f"{who}: duplicate plan name")
        plan_names[p["name"]] = p["status"]
        if locate(errors, who + " name", prev, p["previous_line"], p["name"]):
            in_prev_plans(who, p["previous_line"])
        ev = p["evidence"]
        if (ev is None) != (p["status"] == "unaccounted"):
            errors.append(f"{who}: evidence must be null exactly when unaccounted")
        if ev is not None and locate(errors, who + " evidence", rep, ev.get("line"), ev.get("text")):
            if where(rparts, ev["line"]) in ("shortcomings", "plans"):
                errors.append(f"{who}: evidence on line {ev['line']} is in this year's {where(rparts, ev['line'])} part")
        if not p.get("why"):
            errors.append(f"{who}: no why")

    for i, s in enumerate(e["not_listed"]):
        who = f"{name} not_listed {i + 1}"
        if s["text"] in plan_names:
            errors.append(f"{who}: also listed as a plan")
        if locate(errors, who, prev, s["previous_line"], s["text"]):
            in_prev_plans(who, s["previous_line"])
        if not s.get("why"):
            errors.append(f"{who}: no why")

    problem_names = set()
    for i, q in enumerate(e["problems"]):
        who = f"{name} problem {i + 1}"
        if not isinstance(q.get("addressed"), bool):
            errors.append(f"{who}: addressed must be true or false")
            continue
        problem_names.add(q["name"])
        if locate(errors, who + " name", prev, q["previous_line"], q["name"]):
            if where(pparts, q["previous_line"]) != "shortcomings":
                errors.append(f"{who}: previous line {q['previous_line']} is not in last year's shortcomings part")
        ev = q["evidence"]
        if (ev is None) == q["addressed"]:
            errors.append(f"{who}: evidence must be given exactly when addressed")
        if ev is not None and locate(errors, who + " evidence", rep, ev.get("line"), ev.get("text")):
            if where(rparts, ev["line"]) in ("shortcomings", "plans"):
                errors.append(f"{who}: a measure taken cannot be quoted from this year's {where(rparts, ev['line'])} part")
        if not q.get("why"):
            errors.append(f"{who}: no why")

    for i, n in enumerate(e["near_misses"]):
        who = f"{name} near miss {i + 1}"
        kind = n.get("kind")
        if ("plan" in n) == ("problem" in n):
            errors.append(f"{who}: give exactly one of plan / problem")
            continue
        if "plan" in n:
            if kind not in PLAN_NEAR_KINDS:
                errors.append(f"{who}: bad plan near-miss kind {kind!r}")
            status = plan_names.get(n["plan"])
            if status is None:
                errors.append(f"{who}: plan {n['plan']!r} is not a listed plan")
            elif status not in ("unaccounted", "partly"):
                errors.append(f"{who}: near miss for a plan with status {status}")
            elif kind in ("relisted", "blanket") and status != "unaccounted":
                errors.append(f"{who}: {kind} near miss for a plan that is not unaccounted")
        else:
            if kind not in PROBLEM_NEAR_KINDS:
                errors.append(f"{who}: bad problem near-miss kind {kind!r}")
            if n["problem"] not in problem_names:
                errors.append(f"{who}: problem {n['problem']!r} is not a listed problem")
            elif any(q["name"] == n["problem"] and q["addressed"] for q in e["problems"]):
                errors.append(f"{who}: near miss for an addressed problem")
        if locate(errors, who, rep, n.get("line"), n.get("text")):
            part = where(rparts, n["line"])
            want = {"relisted": "plans", "planned-only": "plans", "repeated": "shortcomings"}.get(kind)
            if want and part != want:
                errors.append(f"{who}: {kind} near miss on line {n['line']} is in the {part} part, not {want}")
            if kind in ("topic-word", "blanket") and part in ("shortcomings", "plans"):
                errors.append(f"{who}: {kind} near miss should be in an account of this year's work, not {part}")
        if not n.get("why"):
            errors.append(f"{who}: no why")

    c = counts(e)
    for key, (lo, hi) in LIMITS.items():
        v = c["unaccounted"] if key == "unaccounted" else len(e[key])
        if not lo <= v <= hi:
            errors.append(f"{name}: {v} {key}, expected {lo}-{hi}")
    if c["done"] + c["partly"] + c["explained"] <= c["unaccounted"]:
        errors.append(f"{name}: most plans should be accounted for")


def table(data):
    rows = ["| 本年报告 | 上年报告 | 主体 / 年度 | 计划 | done | partly | explained | unaccounted | 未列入 | 问题（已应对/未应对） | 近似情形 |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    tot = {k: 0 for k in ("plans", "done", "partly", "explained", "unaccounted", "not_listed", "addressed", "not_addressed", "near_misses")}
    for name, e in data["pairs"].items():
        c = counts(e)
        c["plans"] = len(e["plans"])
        for k in tot:
            tot[k] += c[k]
        rows.append(f"| {name[:-4]} | {os.path.basename(e['previous'])[:-4]} | {e['body']} {e['year']} | {c['plans']} | {c['done']} | "
                    f"{c['partly']} | {c['explained']} | {c['unaccounted']} | {c['not_listed']} | {c['addressed']}/{c['not_addressed']} | {c['near_misses']} |")
    rows.append(f"| **合计** | | {len(data['pairs'])} 对 | {tot['plans']} | {tot['done']} | {tot['partly']} | {tot['explained']} | "
                f"{tot['unaccounted']} | {tot['not_listed']} | {tot['addressed']}/{tot['not_addressed']} | {tot['near_misses']} |")
    return "\n".join(rows)


def main(base: str | None = None, min_pairs: int = 9, first: int = 1):
    """Check the labelled pairs in `base` (this folder by default); the later hold-out sets
    (tests/holdout*/followthrough-*) call this with their own folder, size and numbering."""
    global BASE
    BASE = base or BASE
    with open(os.path.join(BASE, "labels.json"), encoding="utf-8") as f:
        data = json.load(f)
    if "--table" in sys.argv:
        print(table(data))
        return 0
    errors = []
    if data.get("schema_version") != 1 or not data.get("about") or not isinstance(data.get("pairs"), dict):
        errors.append("top level: need about, schema_version 1, pairs")
    pairs = data.get("pairs", {})
    if len(pairs) < min_pairs:
        errors.append(f"only {len(pairs)} pairs, need at least {min_pairs}")
    for name, e in pairs.items():
        check_pair(errors, name, e)
    # Every file in the folders is labelled.
    reports = sorted(f for f in os.listdir(os.path.join(BASE, "reports")) if f.endswith(".txt"))
    previous = sorted("previous/" + f for f in os.listdir(os.path.join(BASE, "previous")) if f.endswith(".txt"))
    if reports != sorted(pairs):
        errors.append(f"reports/ and labels differ: {sorted(set(reports) ^ set(pairs))}")
    if previous != sorted(e["previous"] for e in pairs.values()):
        errors.append("previous/ holds files that no pair uses (or misses some)")
    nums = [n[:2] for n in pairs]
    if nums != [f"{i:02d}" for i in range(first, len(nums) + first)]:
        errors.append(f"report numbers not {first:02d}..{len(nums) + first - 1:02d} in order: {nums}")
    # Corpus-wide requirements.
    plans = [p for e in pairs.values() for p in e["plans"]]
    hows = {p["how"] for p in plans}
    for need in ("same-words", "other-words", "other-name", "number", "one-part", "reason", "topic-word", "relisted", "blanket", "absent"):
        if need not in hows:
            errors.append(f"corpus: no plan with how={need}")
    if sum(p["status"] == "explained" for p in plans) < 4:
        errors.append("corpus: fewer than 4 explained plans")
    kinds = {n["kind"] for e in pairs.values() for n in e["near_misses"]}
    for need in ("topic-word", "relisted", "blanket", "repeated", "planned-only"):
        if need not in kinds:
            errors.append(f"corpus: no near miss of kind {need}")
    problems = [q for e in pairs.values() for q in e["problems"]]
    if not any(q["addressed"] for q in problems) or all(q["addressed"] for q in problems):
        errors.append("corpus: need both addressed and unaddressed problems")
    levels = {w for n in pairs for w in n.split("-") if w in LEVEL_WORDS}
    for group in (("county", "district"), ("town", "township", "subdistrict"), ("bureau",)):
        if not levels & set(group):
            errors.append(f"corpus: no body of level {group}")
    # README table is current.
    readme = open(os.path.join(BASE, "README.md"), encoding="utf-8").read()
    if table(data) not in readme:
        errors.append("README.md: table of pairs is out of date (print it with --table)")

    for err in errors:
        print("ERROR", err)
    if errors:
        print(f"{len(errors)} error(s)")
        return 1
    c = {s: sum(p["status"] == s for p in plans) for s in STATUSES}
    print(f"OK: {len(pairs)} pairs, {len(plans)} plans {c}, "
          f"{sum(q['addressed'] for q in problems)}/{len(problems)} problems addressed, "
          f"{sum(len(e['near_misses']) for e in pairs.values())} near misses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
