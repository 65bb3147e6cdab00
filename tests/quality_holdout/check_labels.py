#!/usr/bin/env python3
"""Consistency check for the hold-out labels (stdlib only).

    python3 tests/quality_holdout/check_labels.py

Checks the schema of labels.json (the one of tests/quality_corpus/labels.json, restricted to three checks),
that every label's text sits on its line and on no other line of its report, that contradiction pairs are two
different figures, that stale years are earlier than the report year, that shortcomings labels lie in the
shortcomings part, and that the totals meet the minimums and agree with README.md.  Prints the totals per check.
Exit status 0 when everything holds, 1 otherwise.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKS = ["quality.contradiction", "meta.stale-year", "quality.unanswered-shortcomings"]
CON, STALE, UNANS = CHECKS
MINIMUM = {CON: (14, 14), STALE: (10, 10), UNANS: (12, 12)}  # (defects, near misses)
FIGURE = re.compile(r"\d|[〇零一二两三四五六七八九十百千]+[次件名个项份场期人户家]")  # Arabic or Chinese numerals
YEARS = range(2022, 2027)
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]、")

errors: list[str] = []


def fail(msg: str) -> None:
    errors.append(msg)


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def keys_are(obj, expected: set, where: str) -> bool:
    if not isinstance(obj, dict):
        fail(f"{where}: expected an object, got {type(obj).__name__}")
        return False
    if set(obj) != expected:
        fail(f"{where}: keys {sorted(obj)} != {sorted(expected)}")
        return False
    return True


def sections(lines: list[str]) -> dict[str, tuple[int, int]]:
    """1-based [start, end) line ranges of the shortcomings and plans parts, found by their headings."""
    heads = [(i + 1, l) for i, l in enumerate(lines) if TOP_HEADING.match(l)]
    found = {}
    for k, (n, text) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines) + 1
        if "不足" in text or "问题" in text:
            found.setdefault("shortcomings", (n, end))
        elif re.search(r"年.*(安排|打算|计划|思路)", text) or re.search(r"(安排|打算|计划|思路)$", text):
            found.setdefault("plans", (n, end))
    return found


def check_locator(loc, lines: list[str], where: str) -> bool:
    if not keys_are(loc, {"line", "text"}, where):
        return False
    line, text = loc["line"], loc["text"]
    if not (isinstance(line, int) and isinstance(text, str) and text):
        fail(f"{where}: line must be an int and text a non-empty string")
        return False
    if not 1 <= line <= len(lines):
        fail(f"{where}: line {line} outside 1..{len(lines)}")
        return False
    if text not in lines[line - 1]:
        fail(f"{where}: {text!r} not on line {line}")
        return False
    if norm(text) not in norm(lines[line - 1]):
        fail(f"{where}: {text!r} does not survive NFKC/whitespace normalisation")
    raw = [i + 1 for i, l in enumerate(lines) if text in l]
    normed = [i + 1 for i, l in enumerate(lines) if norm(text) in norm(l)]
    if raw != [line] or normed != [line]:
        fail(f"{where}: {text!r} occurs on lines {raw} (normalised {normed}), expected only {line}")
        return False
    return True


def check_entry(check: str, entry, lines: list[str], year: int, where: str, near: bool) -> None:
    base = {"check"} if near else set()
    if check == CON:
        if not keys_are(entry, base | {"a", "b", "why"}, where):
            return
        ok = check_locator(entry["a"], lines, where + ".a") & check_locator(entry["b"], lines, where + ".b")
        if ok:
            a, b = entry["a"], entry["b"]
            if (a["line"], a["text"]) == (b["line"], b["text"]):
                fail(f"{where}: a and b are the same spot")
            if not (FIGURE.search(a["text"]) and FIGURE.search(b["text"])):
                fail(f"{where}: both texts of a pair must hold a figure")
    elif check == STALE:
        if not keys_are(entry, base | {"line", "text", "year", "why"}, where):
            return
        check_locator({"line": entry["line"], "text": entry["text"]}, lines, where)
        y = entry["year"]
        if not (isinstance(y, str) and re.fullmatch(r"20\d\d", y) and y in entry["text"]):
            fail(f"{where}: year {y!r} must be a 4-digit string quoted in the text")
        elif (int(y) >= year) if not near else (int(y) > year):
            fail(f"{where}: year {y} is not earlier than the report year {year}")
    else:
        if not keys_are(entry, base | {"line", "text", "why"}, where):
            return
        check_locator({"line": entry["line"], "text": entry["text"]}, lines, where)
    if not (isinstance(entry.get("why"), str) and entry["why"].strip()):
        fail(f"{where}: empty why")


def spots(entry) -> list[tuple[int, str]]:
    return [(entry[k]["line"], entry[k]["text"]) for k in ("a", "b")] if "a" in entry else [(entry["line"], entry["text"])]


def main(folder: Path = HERE, minimum: dict | None = None, min_reports: int = 12, min_clean: int = 2,
         numbers: range | None = None, length: tuple[int, int] = (1500, 3500), no_defects: tuple[str, ...] = (),
         contradictions_per_report: tuple[int, int] | None = None) -> int:
    """Check the labelled set in `folder`; the later hold-out sets (tests/holdout*/) and the contradiction
    development set call this with their own minimums, report lengths, checks that must stay without
    defects, and the number of contradiction defects and near misses each report must hold."""
    minimum = MINIMUM if minimum is None else minimum
    data = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    keys_are(data, {"about", "schema_version", "checks", "reports"}, "labels.json")
    if data.get("schema_version") != 1:
        fail("schema_version must be 1")
    if data.get("checks") != CHECKS:
        fail(f"checks must be exactly {CHECKS}")
    labels = data.get("reports", {})
    files = sorted(p.name for p in (folder / "reports").glob("*.txt"))
    if files != sorted(labels):
        fail(f"reports/ {files} and labels {sorted(labels)} differ")
    if len(files) < min_reports:
        fail(f"only {len(files)} reports (need at least {min_reports})")
    if numbers is not None and sorted(int(f[:2]) for f in files if re.match(r"\d\d_", f)) != list(numbers):
        fail(f"report numbers are not {numbers.start:02d}..{numbers.stop - 1:02d}")

    totals = {c: [0, 0] for c in CHECKS}
    clean = []
    years = set()
    for name in sorted(labels):
        lab = labels[name]
        path = folder / "reports" / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        if not length[0] <= len(text) <= length[1]:
            fail(f"{name}: {len(text)} characters (want {length[0]:,}–{length[1]:,})")
        if not keys_are(lab, {"body", "year", "checks", "near_misses"}, name):
            continue
        year = lab["year"]
        years.add(year)
        if year not in YEARS:
            fail(f"{name}: year {year} outside 2022–2026")
        if lab["body"] not in lines[0] or f"{year}年" not in lines[0]:
            fail(f"{name}: title does not name the body {lab['body']!r} and year {year}")
        if not re.search(rf"-{year}\.txt$", name):
            fail(f"{name}: file name does not end in the report year")
        parts = sections(lines)
        if set(parts) != {"shortcomings", "plans"}:
            fail(f"{name}: could not find the shortcomings and plans headings ({sorted(parts)})")
        if not keys_are(lab["checks"], set(CHECKS), name + ".checks"):
            continue

        seen: dict[str, list] = {c: [] for c in CHECKS}
        n_defects = 0
        for check in CHECKS:
            block = lab["checks"][check]
            if not keys_are(block, {"defects"}, f"{name}.{check}") or not isinstance(block["defects"], list):
                continue
            for k, d in enumerate(block["defects"]):
                where = f"{name}.{check}.defects[{k}]"
                check_entry(check, d, lines, year, where, near=False)
                seen[check].append(("defect", d))
                totals[check][0] += 1
                n_defects += 1
        if not isinstance(lab["near_misses"], list):
            fail(f"{name}: near_misses must be a list")
            continue
        for k, n in enumerate(lab["near_misses"]):
            where = f"{name}.near_misses[{k}]"
            if not isinstance(n, dict) or n.get("check") not in CHECKS:
                fail(f"{where}: check must be one of {CHECKS}")
                continue
            check_entry(n["check"], n, lines, year, where, near=True)
            seen[n["check"]].append(("near", n))
            totals[n["check"]][1] += 1
        if n_defects == 0:
            clean.append(name)
            if not lab["near_misses"]:
                fail(f"{name}: a clean report must still carry near misses")
        for check in no_defects:
            if lab["checks"][check].get("defects"):
                fail(f"{name}: {check} must have no defects in this corpus")
        if contradictions_per_report is not None:
            n_con = len(lab["checks"][CON].get("defects", []))
            n_con_near = sum(1 for n in lab["near_misses"] if isinstance(n, dict) and n.get("check") == CON)
            lo, hi = contradictions_per_report
            if not (lo <= n_con <= hi and lo <= n_con_near <= hi):
                fail(f"{name}: {n_con} contradiction defects / {n_con_near} near misses (want {lo}-{hi} each)")

        # No label twice, and single-spot labels in the part they belong to.
        for check, entries in seen.items():
            keys = []
            for kind, e in entries:
                try:
                    sp = spots(e)
                except (KeyError, TypeError):
                    continue
                keys.append(tuple(sorted(sp)) if check == CON else sp[0])
                if check == UNANS and "shortcomings" in parts:
                    lo, hi = parts["shortcomings"]
                    if not lo < sp[0][0] < hi:
                        fail(f"{name}: {check} label {sp[0][1]!r} (line {sp[0][0]}) is outside the shortcomings part")
                if check == STALE and kind == "defect":
                    for part in ("shortcomings", "plans"):
                        if part in parts and parts[part][0] < sp[0][0] < parts[part][1]:
                            fail(f"{name}: stale-year defect {sp[0][1]!r} lies in the {part} part")
            dup = {k for k in keys if keys.count(k) > 1}
            if dup:
                fail(f"{name}: {check} labels repeated: {sorted(dup)}")
            # On one line, one label text of a check must not contain a different one (ambiguous matching).
            by_line: dict[int, set] = {}
            for kind, e in entries:
                try:
                    for line, t in spots(e):
                        by_line.setdefault(line, set()).add(t)
                except (KeyError, TypeError):
                    pass
            for line, texts in by_line.items():
                for t in texts:
                    for u in texts:
                        if t != u and t in u:
                            fail(f"{name}: line {line}: {check} label {t!r} is part of {u!r}")

    if years and years != set(YEARS):
        fail(f"report years {sorted(years)} do not cover 2022–2026")
    if len(clean) < min_clean:
        fail(f"{len(clean)} clean reports (need at least {min_clean})")
    for check, (dmin, nmin) in minimum.items():
        d, n = totals[check]
        if d < dmin or n < nmin:
            fail(f"{check}: {d} defects / {n} near misses, need at least {dmin} / {nmin}")

    # README totals table: "| `check` | defects | near misses |"
    readme = (folder / "README.md").read_text(encoding="utf-8") if (folder / "README.md").is_file() else ""
    for check in CHECKS:
        m = re.search(rf"^\|\s*`{re.escape(check)}`\s*\|\s*(\d+)[^|]*\|\s*(\d+)[^|]*\|", readme, re.M)
        if not m:
            fail(f"README.md: no totals row for {check}")
        elif (int(m.group(1)), int(m.group(2))) != tuple(totals[check]):
            fail(f"README.md: totals for {check} say {m.group(1)}/{m.group(2)}, labels give {totals[check][0]}/{totals[check][1]}")

    print(f"{len(files)} reports, {len(clean)} clean ({', '.join(clean) or '-'})")
    for check in CHECKS:
        d, n = totals[check]
        print(f"  {check:34s} defects {d:3d}   near misses {n:3d}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
