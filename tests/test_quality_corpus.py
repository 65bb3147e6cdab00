"""The labelled corpus for the content-quality checks of issue 12, and its scorer.

The labels are checked against the report texts, and the scorer in
benchmarks/quality.py is checked with synthetic findings built from the
labels.  Nothing here needs the checks themselves to exist.
"""

import importlib.util
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "quality_corpus"
DATA = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
LABELS = DATA["reports"]
CHECKS = ["quality.contradiction", "meta.stale-year", "meta.outdated-reference",
          "quality.carry-over", "quality.vague-plans", "quality.unanswered-shortcomings"]
INSTANCE = ["quality.contradiction", "meta.stale-year", "meta.outdated-reference", "quality.unanswered-shortcomings"]
CARRY, VAGUE = "quality.carry-over", "quality.vague-plans"


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def locators(entry: dict) -> list[dict]:
    return [entry["a"], entry["b"]] if "a" in entry else [entry]


def all_locators(name: str):
    """(check, locator) for every defect and near miss of one report."""
    lab = LABELS[name]
    for check in INSTANCE:
        for d in lab["checks"][check]["defects"]:
            yield from ((check, loc) for loc in locators(d))
    for n in lab["near_misses"]:
        yield from ((n["check"], loc) for loc in locators(n))
    yield VAGUE, lab["checks"][VAGUE]["plans"]


def overlap_share(current: str, previous: str, n: int = 40) -> float:
    """Share of the current text covered by 40-character passages found in last year's (the labels' reference)."""
    cur, prev = norm(current), norm(previous)
    grams = {prev[i:i + n] for i in range(len(prev) - n + 1)}
    covered = [False] * len(cur)
    for i in range(len(cur) - n + 1):
        if cur[i:i + n] in grams:
            covered[i:i + n] = [True] * n
    return sum(covered) / len(cur)


def pair_labels():
    return {name: lab["checks"][CARRY] for name, lab in LABELS.items() if lab["checks"][CARRY]}


# ---------------------------------------------------------------- the corpus


def test_labels_cover_exactly_the_reports():
    files = sorted(p.name for p in (CORPUS / "reports").glob("*.txt"))
    assert files == sorted(LABELS)
    assert len(files) >= 14
    assert DATA["checks"] == CHECKS
    for name, lab in LABELS.items():
        assert set(lab["checks"]) == set(CHECKS), name


def test_reports_have_a_realistic_length():
    for path in sorted((CORPUS / "reports").glob("*.txt")) + sorted((CORPUS / "previous").glob("*.txt")):
        assert 1500 <= len(path.read_text(encoding="utf-8")) <= 4000, path.name


def test_title_names_the_labelled_body_and_year():
    for name, lab in LABELS.items():
        title = lines_of(CORPUS / "reports" / name)[0]
        assert lab["body"] in title and f"{lab['year']}年" in title, name
    assert {lab["year"] for lab in LABELS.values()} == {2022, 2023, 2024, 2025, 2026}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_locator_is_on_its_line_and_nowhere_else(name):
    lines = lines_of(CORPUS / "reports" / name)
    for check, loc in all_locators(name):
        assert 1 <= loc["line"] <= len(lines), (check, loc)
        line = lines[loc["line"] - 1]
        assert loc["text"] in line, (check, loc)
        assert norm(loc["text"]) in norm(line), (check, loc)  # survives the scorer's normalisation
        assert [i + 1 for i, l in enumerate(lines) if loc["text"] in l] == [loc["line"]], (check, loc)


def test_stale_years_are_earlier_than_the_report_year():
    for name, lab in LABELS.items():
        for d in lab["checks"]["meta.stale-year"]["defects"]:
            assert d["year"] in d["text"] and int(d["year"]) < lab["year"], (name, d)
        for n in lab["near_misses"]:
            if n["check"] == "meta.stale-year":
                assert n["year"] in n["text"] and int(n["year"]) <= lab["year"], (name, n)


def test_outdated_references_quote_their_term():
    for name, lab in LABELS.items():
        entries = lab["checks"]["meta.outdated-reference"]["defects"] + [
            n for n in lab["near_misses"] if n["check"] == "meta.outdated-reference"]
        for e in entries:
            assert e["term"] in e["text"], (name, e)


def test_contradictions_are_two_different_figures():
    for name, lab in LABELS.items():
        pairs = lab["checks"]["quality.contradiction"]["defects"] + [
            n for n in lab["near_misses"] if n["check"] == "quality.contradiction"]
        for p in pairs:
            assert (p["a"]["line"], p["a"]["text"]) != (p["b"]["line"], p["b"]["text"]), (name, p)
            assert re.search(r"\d", p["a"]["text"]) and re.search(r"\d", p["b"]["text"]), (name, p)


def test_vague_plans_point_at_the_plans_heading():
    for name, lab in LABELS.items():
        label = lab["checks"][VAGUE]
        assert re.search(r"安排|打算|计划", label["plans"]["text"]), name
        concrete, total = label["concrete_items"]
        assert 0 <= concrete <= total
        if label["fails"]:
            assert concrete * 2 < total, name  # "mostly generic"


def test_carry_over_pairs_are_last_years_report_of_the_same_body():
    pairs = pair_labels()
    assert len(pairs) >= 4
    for name, label in pairs.items():
        lab = LABELS[name]
        prev = CORPUS / label["previous"]
        assert prev.parent.name == "previous" and prev.is_file(), name
        title = lines_of(prev)[0]
        assert lab["body"] in title and f"{lab['year'] - 1}年" in title, name


def test_carry_over_bands_agree_with_the_texts():
    kinds = set()
    for name, label in pair_labels().items():
        band = label["share"]
        share = overlap_share((CORPUS / "reports" / name).read_text(encoding="utf-8"),
                              (CORPUS / label["previous"]).read_text(encoding="utf-8"))
        assert 0 <= band["min"] <= share <= band["max"] <= 1, (name, share)
        assert label["reference_share"] == pytest.approx(share, abs=0.001), name
        # The band must lie on one side of the 20 % threshold, matching `fails`.
        assert (band["min"] >= 0.2) if label["fails"] else (band["max"] < 0.2), name
        kinds.add("heavy" if share >= 0.3 else "boundary-fail" if label["fails"] else
                  "boundary-pass" if share >= 0.1 else "light" if share > 0 else "headings-only")
    assert kinds >= {"heavy", "boundary-fail", "boundary-pass", "light", "headings-only"}


def test_headings_only_pair_shares_headings():
    for name, label in pair_labels().items():
        cur = lines_of(CORPUS / "reports" / name)
        prev = set(lines_of(CORPUS / label["previous"]))
        if label["reference_share"] == 0:
            shared = [l for l in cur[1:] if l.strip() and l in prev and len(norm(l)) < 40]
            assert len(shared) >= 4, name


def test_every_check_has_planted_defects_and_near_misses():
    for check in CHECKS:
        defects = sum(
            len(lab["checks"][check]["defects"]) if check in INSTANCE else bool(lab["checks"][check] and lab["checks"][check]["fails"])
            for lab in LABELS.values())
        near = sum(1 for lab in LABELS.values() for n in lab["near_misses"] if n["check"] == check)
        assert defects >= 3 and near >= 2, (check, defects, near)


def test_near_misses_name_a_known_check_and_a_reason():
    for name, lab in LABELS.items():
        for n in lab["near_misses"]:
            assert n["check"] in CHECKS and n["why"], (name, n)


# ---------------------------------------------------------------- the scorer


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("quality_bench", ROOT / "benchmarks" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def clause(name: str, loc: dict) -> dict:
    """Evidence as a checker would quote it: the clause (up to 。；) holding the substring."""
    line = lines_of(CORPUS / "reports" / name)[loc["line"] - 1]
    text = next(c for c in re.split(r"(?<=[。；;])", line) if loc["text"] in c)
    return {"text": text, "line": loc["line"], "section": "achievements"}


def finding(check: str, evidences: list[dict], **extra) -> dict:
    return {"rule": check, "status": "fail", "line": evidences[0]["line"] if evidences else None, "message": "",
            "items": [{"name": "", "found": False, "evidence": ev, "note": None} for ev in evidences], **extra}


def oracle(entries_of) -> tuple[dict, dict]:
    """Results of a fake checker that reports what `entries_of(name, lab)` lists."""
    main, carry = {}, {}
    for name, lab in LABELS.items():
        findings = []
        for check, entry in entries_of(name, lab):
            if check in INSTANCE:
                findings.append(finding(check, [clause(name, loc) for loc in locators(entry)]))
            elif check == VAGUE:
                findings.append(finding(VAGUE, []))
        main[name] = {"findings": findings}
        if lab["checks"][CARRY]:
            carry[name] = {"findings": [finding(CARRY, [], value=lab["checks"][CARRY]["reference_share"])
                                        for check, _ in entries_of(name, lab) if check == CARRY]}
    return main, carry


def defects_of(name, lab):
    for check in INSTANCE:
        yield from ((check, d) for d in lab["checks"][check]["defects"])
    if lab["checks"][VAGUE]["fails"]:
        yield VAGUE, None
    if lab["checks"][CARRY] and lab["checks"][CARRY]["fails"]:
        yield CARRY, None


def near_misses_of(name, lab):
    for n in lab["near_misses"]:
        yield n["check"], n


def test_a_checker_reporting_exactly_the_labels_scores_full_marks(bench):
    main, carry = oracle(defects_of)
    tallies = bench.evaluate(LABELS, main, carry, set(CHECKS), True)
    for check, t in tallies.items():
        assert t.labelled > 0 and t.tp == t.labelled, check
        assert (t.fp, t.fn, t.precision(), t.recall()) == (0, 0, 1.0, 1.0), check
    assert tallies[CARRY].share_in_band == tallies[CARRY].share_measured > 0


def test_near_misses_count_as_attributed_false_alarms(bench):
    main, carry = oracle(near_misses_of)
    tallies = bench.evaluate(LABELS, main, carry, set(CHECKS), True)
    for check, t in tallies.items():
        expected = sum(1 for lab in LABELS.values() for n in lab["near_misses"] if n["check"] == check)
        if check == VAGUE:  # one flag per report, however many near misses it lists
            expected = sum(1 for lab in LABELS.values() if any(n["check"] == VAGUE for n in lab["near_misses"]))
        assert t.tp == 0 and t.fn == t.labelled, check
        assert t.fp == t.fp_near_miss == expected, check


def test_a_missing_rule_turns_every_labelled_defect_into_a_miss(bench):
    main = {name: {"findings": []} for name in LABELS}
    tallies = bench.evaluate(LABELS, main, {}, set(), False)
    for check, t in tallies.items():
        assert not t.implemented and t.notes, check
        assert (t.tp, t.fp, t.fn, t.precision(), t.recall()) == (0, 0, t.labelled, None, 0.0), check


def test_same_line_evidence_matches_only_when_it_quotes_no_other_locator(bench):
    name = "01_xiuchuan-county-2024.txt"
    defect = LABELS[name]["checks"]["quality.contradiction"]["defects"][0]["a"]
    texts = bench.locator_texts(LABELS[name], "quality.contradiction")[defect["line"]]
    received = {"text": "全年收到行政复议申请158件。", "line": defect["line"]}
    unrelated = {"text": "审结138件", "line": defect["line"]}
    quoted = {"text": "经审查受理146件，审结138件", "line": 1}
    assert bench.evidence_score(received, defect, texts) == 0
    assert bench.evidence_score(unrelated, defect, texts) == 1
    assert bench.evidence_score(quoted, defect, texts) == 2


def test_a_wrong_share_is_reported_even_when_the_verdict_is_right(bench):
    main, carry = oracle(defects_of)
    name = next(n for n, c in pair_labels().items() if c["fails"])
    carry[name]["findings"][0]["value"] = 0.99
    tally = bench.evaluate(LABELS, main, carry, set(CHECKS), True)[CARRY]
    assert tally.fn == 0 and tally.share_in_band == tally.share_measured - 1
    assert any(m["kind"] == "share" and m["report"] == name for m in tally.mismatches)
