"""Precision and recall of the content-quality checks (issue 12) on the labelled corpus.

    python benchmarks/quality.py [--corpus DIR] [--reports 01-08] [--verbose] [--json] [--engine api|cli] [--previous-mode file|folder]

Reads DIR/labels.json (default tests/quality_corpus), audits every report in
DIR/reports/ and compares the findings of the rules the labels cover with
them: quality.contradiction, meta.stale-year, meta.outdated-reference,
quality.carry-over, quality.vague-plans, quality.unanswered-shortcomings
(tests/quality_holdout labels only the first, second and last).
--reports keeps the reports whose two-digit number is in the range, so that
a development part and an unseen part of a hold-out are measured apart.

Matching (documented in tests/quality_corpus/README.md):
- An evidence matches a labelled locator when its text contains the labelled
  substring (both NFKC-normalised, whitespace removed), or, failing that, when
  it sits on the labelled line and contains no other locator substring of the
  same check on that line.
- A contradiction finding matches a labelled pair when two different evidences
  of it match a and b (in either order).
- Each finding and each label is used once; best matches are paired first.
  Unpaired labels are false negatives, unpaired findings false positives; a
  false positive that matches a near miss is reported as that near miss.
- quality.vague-plans and quality.carry-over are judged per report: the
  report is flagged when a finding of the rule has status "fail".

A rule missing from the rule pack is reported as not implemented: every
labelled defect is then a false negative.  Prints figures only, asserts
nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "quality_corpus"  # --corpus changes these three
LABELS = CORPUS / "labels.json"
REPORTS = CORPUS / "reports"
PREVIOUS = CORPUS / "previous"


def use_corpus(folder: Path) -> None:
    global CORPUS, LABELS, REPORTS, PREVIOUS
    CORPUS = folder.resolve()
    LABELS, REPORTS, PREVIOUS = CORPUS / "labels.json", CORPUS / "reports", CORPUS / "previous"


def in_range(name: str, spec: str | None) -> bool:
    """Whether the report's leading number lies in `spec` ("01-08", "9-14" or "03")."""
    if not spec:
        return True
    low, _, high = spec.partition("-")
    number = int(name.split("_", 1)[0])
    return int(low) <= number <= int(high or low)

INSTANCE_CHECKS = ["quality.contradiction", "meta.stale-year", "meta.outdated-reference", "quality.unanswered-shortcomings"]
REPORT_CHECKS = ["quality.carry-over", "quality.vague-plans"]
CHECKS = ["quality.contradiction", "meta.stale-year", "meta.outdated-reference",
          "quality.carry-over", "quality.vague-plans", "quality.unanswered-shortcomings"]
CARRY = "quality.carry-over"
PAIR = "quality.contradiction"

_FOLD = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "\u3000": " ", "\xa0": " "})


def norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").translate(_FOLD).split())


# ---------------------------------------------------------------- matching


def evidence_score(ev: dict, loc: dict, line_texts: list[str]) -> int:
    """2: the evidence quotes the labelled substring; 1: same line and quotes
    no other locator of the check on that line; 0: no match."""
    text = norm(ev.get("text"))
    if norm(loc["text"]) in text:
        return 2
    if ev.get("line") == loc["line"] and not any(t and t in text for t in line_texts):
        return 1
    return 0


def unit_score(unit: list[dict], label: dict, texts_by_line: dict[int, list[str]]) -> int:
    """How well one finding unit (its evidences) matches one label (0 = not at all)."""
    def score(ev, loc):
        return evidence_score(ev, loc, texts_by_line.get(loc["line"], []))

    if "a" in label:
        best = 0
        for i, e1 in enumerate(unit):
            for j, e2 in enumerate(unit):
                if i != j:
                    s1, s2 = score(e1, label["a"]), score(e2, label["b"])
                    if s1 and s2:
                        best = max(best, s1 + s2)
        return best
    return max((score(ev, label) for ev in unit), default=0)


def locator_texts(report_labels: dict, check: str) -> dict[int, list[str]]:
    """Normalised locator substrings of one check, by line (defects and near misses)."""
    locs = []
    for entry in report_labels["checks"].get(check, {}).get("defects", []) + [
        n for n in report_labels["near_misses"] if n["check"] == check
    ]:
        locs.extend([entry["a"], entry["b"]] if "a" in entry else [entry])
    by_line: dict[int, list[str]] = {}
    for loc in locs:
        by_line.setdefault(loc["line"], []).append(norm(loc["text"]))
    return by_line


def assign(units: list[list[dict]], labels: list[dict], texts_by_line) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Greedy best-first pairing: (matched (unit, label) pairs, unmatched units, unmatched labels)."""
    candidates = sorted(
        ((unit_score(u, lab, texts_by_line), ui, li) for ui, u in enumerate(units) for li, lab in enumerate(labels)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_u, used_l, pairs = set(), set(), []
    for s, ui, li in candidates:
        if s and ui not in used_u and li not in used_l:
            used_u.add(ui)
            used_l.add(li)
            pairs.append((ui, li))
    return pairs, [i for i in range(len(units)) if i not in used_u], [i for i in range(len(labels)) if i not in used_l]


def finding_units(findings: list[dict], check: str) -> list[list[dict]]:
    """The reported defects of one rule: per non-passing finding, one unit per
    item (a contradiction finding is one unit with all its evidences).  Items
    marked found=false are the unmet ones when a finding mixes both values."""
    units = []
    for f in findings:
        if f.get("rule") != check or f.get("status") == "pass":
            continue
        items = f.get("items") or []
        if len({bool(i.get("found")) for i in items}) > 1:
            items = [i for i in items if not i.get("found")]
        evidences = [i["evidence"] for i in items if i.get("evidence")]
        if not evidences:
            evidences = [{"text": f.get("message", ""), "line": f.get("line")}]
        if check == PAIR:
            units.append(evidences)
        else:
            units.extend([ev] for ev in evidences)
    return units


def flagged(findings: list[dict], check: str) -> tuple[bool, float | None]:
    """Report-level checks: whether the rule failed, and the measured value if given."""
    hits = [f for f in findings if f.get("rule") == check]
    value = next((f.get("value") for f in hits if isinstance(f.get("value"), (int, float))), None)
    return any(f.get("status") == "fail" for f in hits), value


# ---------------------------------------------------------------- scoring


@dataclasses.dataclass
class Tally:
    implemented: bool = True
    labelled: int = 0
    tp: int = 0
    fp: int = 0
    fp_near_miss: int = 0
    fn: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)
    mismatches: list[dict] = dataclasses.field(default_factory=list)
    share_in_band: int = 0
    share_measured: int = 0
    verdicts: int = 0  # reports judged (has a defect of this check or not)
    verdicts_agreed: int = 0

    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def to_json(self, check: str) -> dict:
        out = {"check": check, "implemented": self.implemented, "labelled": self.labelled, "tp": self.tp, "fp": self.fp,
               "fp_near_miss": self.fp_near_miss, "fn": self.fn, "precision": self.precision(), "recall": self.recall(),
               "verdicts": self.verdicts, "verdicts_agreed": self.verdicts_agreed,
               "notes": self.notes, "mismatches": self.mismatches}
        if check == CARRY:
            out["share_in_band"] = self.share_in_band
            out["share_measured"] = self.share_measured
        return out


def describe(loc: dict) -> str:
    if "a" in loc:
        return f"第{loc['a']['line']}行“{loc['a']['text']}” ↔ 第{loc['b']['line']}行“{loc['b']['text']}”"
    return f"第{loc['line']}行“{loc['text']}”"


def describe_unit(unit: list[dict]) -> str:
    return " ↔ ".join(f"第{ev.get('line')}行“{(ev.get('text') or '')[:40]}”" for ev in unit)


def score_instances(tally: Tally, name: str, labels: dict, findings: list[dict], check: str) -> None:
    defects = labels["checks"][check]["defects"]
    near = [n for n in labels["near_misses"] if n["check"] == check]
    tally.labelled += len(defects)
    if not tally.implemented:
        tally.fn += len(defects)
        tally.mismatches += [{"kind": "fn", "report": name, "label": describe(d), "why": d["why"]} for d in defects]
        return
    texts = locator_texts(labels, check)
    units = finding_units(findings, check)
    tally.verdicts += 1
    tally.verdicts_agreed += bool(units) == bool(defects)  # the report-level verdict: has a defect or not
    pairs, extra_units, missed = assign(units, defects, texts)
    tally.tp += len(pairs)
    tally.fn += len(missed)
    tally.mismatches += [{"kind": "fn", "report": name, "label": describe(defects[i]), "why": defects[i]["why"]} for i in missed]
    for ui in extra_units:
        tally.fp += 1
        hit = next((n for n in near if unit_score(units[ui], n, texts)), None)
        if hit is not None:
            tally.fp_near_miss += 1
        tally.mismatches.append({
            "kind": "fp", "report": name, "finding": describe_unit(units[ui]),
            "near_miss": None if hit is None else describe(hit),
            "why": "未标注为缺陷" if hit is None else ("近似误报（边界情形）：" if hit.get("borderline") else "近似误报：") + hit["why"],
        })


def score_report_level(tally: Tally, name: str, labels: dict, findings: list[dict], check: str, ran: bool) -> None:
    label = labels["checks"][check]
    expected = bool(label and label["fails"])
    tally.labelled += expected
    if not tally.implemented or not ran:
        if expected:
            tally.fn += 1
            tally.mismatches.append({"kind": "fn", "report": name, "label": "整份报告", "why": label.get("note") or "应判为不通过"})
        return
    got, value = flagged(findings, check)
    if check == CARRY and label and value is not None:
        tally.share_measured += 1
        band = label["share"]
        if band["min"] <= value <= band["max"]:
            tally.share_in_band += 1
        else:
            tally.mismatches.append({"kind": "share", "report": name, "label": f"区间 {band['min']}–{band['max']}",
                                     "why": f"测得比例 {value:.3f} 不在标注区间内"})
    tally.verdicts += 1
    tally.verdicts_agreed += got == expected
    if got and expected:
        tally.tp += 1
    elif got:
        tally.fp += 1
        near = next((n for n in labels["near_misses"] if n["check"] == check), None)
        tally.fp_near_miss += near is not None
        why = "本报告没有上年报告，不应运行" if label is None else (("近似误报：" + near["why"]) if near else "标注为不判不通过")
        tally.mismatches.append({"kind": "fp", "report": name, "finding": "整份报告", "why": why})
    elif expected:
        tally.fn += 1
        tally.mismatches.append({"kind": "fn", "report": name, "label": "整份报告", "why": label.get("note") or "应判为不通过"})


# ---------------------------------------------------------------- running the checker


def cli(args: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "fazhi_audit", *args], capture_output=True, text=True, encoding="utf-8", env=env)


def cli_has_previous() -> bool:
    return "--previous" in cli(["check", "--help"]).stdout


def cli_audit(paths: list[Path], previous: Path | None = None) -> dict[Path, dict]:
    args = ["check", *map(str, paths), "--format", "json", "--exit-zero", "--no-config"]
    if previous is not None:
        args += ["--previous", str(previous)]
    done = cli(args)
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"命令行没有输出 JSON（退出码 {done.returncode}）：{done.stderr.strip()[:200]}")
    return {Path(r["path"]).resolve(): r for r in data["reports"]}


def api_previous_kind(auditor) -> str | None:
    """How this version of the API takes last year's report, if it does."""
    if "previous" in inspect.signature(auditor.audit_path).parameters:
        return "argument"
    from fazhi_audit.engine.settings import AuditSettings

    if "previous" in {f.name for f in dataclasses.fields(AuditSettings)}:
        return "settings"
    return None


def implemented_rules() -> set[str]:
    from fazhi_audit.engine.audit import default_rules_dir
    from fazhi_audit.engine.rulesets import load_ruleset

    return {r.id for r in load_ruleset(default_rules_dir()).rules}


def run(engine: str, previous_mode: str, labels: dict) -> tuple[dict[str, dict], dict[str, dict], list[str]]:
    """Audit every labelled report: (main results, carry-over results for pairs, notes)."""
    names = sorted(labels)
    paths = {n: REPORTS / n for n in names}
    pairs = {n: CORPUS / labels[n]["checks"][CARRY]["previous"] for n in names if labels[n]["checks"].get(CARRY)}
    notes: list[str] = []
    carry: dict[str, dict] = {}
    if engine == "api":
        from fazhi_audit.engine.audit import Auditor

        auditor = Auditor()
        main = {n: auditor.audit_path(p).to_json() for n, p in paths.items()}
        kind = api_previous_kind(auditor)
        if kind is not None and previous_mode == "file":
            from fazhi_audit.engine.settings import AuditSettings

            for n, prev in pairs.items():
                if kind == "argument":
                    res = auditor.audit_path(paths[n], previous=prev)
                else:
                    res = auditor.audit_path(paths[n], settings=AuditSettings(previous=str(prev)))
                carry[n] = res.to_json()
            return main, carry, notes
    else:
        by_path = cli_audit(list(paths.values()))
        main = {n: by_path[p.resolve()] for n, p in paths.items()}
    if not pairs:
        return main, carry, notes
    if not cli_has_previous():
        notes.append("跳过上年报告对比：命令行尚无 --previous 选项，quality.carry-over 未运行，标注的照搬报告全部计为漏报")
        return main, carry, notes
    if previous_mode == "folder":
        by_path = cli_audit(list(paths.values()), PREVIOUS)
        carry = {n: by_path[p.resolve()] for n, p in paths.items()}
    else:
        for n, prev in pairs.items():
            carry[n] = cli_audit([paths[n]], prev)[paths[n].resolve()]
    return main, carry, notes


def evaluate(labels: dict, main: dict[str, dict], carry: dict[str, dict], present: set[str], carry_ran: bool,
             checks: list[str] = CHECKS) -> dict[str, Tally]:
    tallies = {c: Tally(implemented=c in present) for c in checks}
    for c, t in tallies.items():
        if not t.implemented:
            t.notes.append(f"规则尚未实现（规则包中没有 {c}），标注的缺陷全部计为漏报")
    for name, lab in sorted(labels.items()):
        result = main[name]
        if result.get("error"):
            raise SystemExit(f"{name} 无法检查：{result['error']}")
        findings = result["findings"]
        for check in INSTANCE_CHECKS:
            if check in tallies:
                score_instances(tallies[check], name, lab, findings, check)
        if "quality.vague-plans" in tallies:
            score_report_level(tallies["quality.vague-plans"], name, lab, findings, "quality.vague-plans", True)
        if CARRY in tallies:
            carry_findings = carry[name]["findings"] if name in carry else findings
            score_report_level(tallies[CARRY], name, lab, carry_findings, CARRY, carry_ran or lab["checks"][CARRY] is None)
    return tallies


# ---------------------------------------------------------------- output


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (CJK characters take two columns)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill


COLUMNS = [("检查", 34, False), ("已实现", 7, True), ("标注", 6, True), ("TP", 5, True), ("FP", 5, True),
           ("其中近似", 9, True), ("FN", 5, True), ("精确率", 8, True), ("召回率", 8, True), ("报告判定", 10, True)]


def print_table(tallies: dict[str, Tally], notes: list[str], reports: int, verbose: bool) -> None:
    where = CORPUS.relative_to(ROOT) if CORPUS.is_relative_to(ROOT) else CORPUS
    print(f"内容质量检查的精确率与召回率（{reports} 份标注报告，{where}/）\n")
    print("".join(pad(name, w, r) for name, w, r in COLUMNS))
    for check, t in tallies.items():
        cells = [check, "是" if t.implemented else "否", t.labelled, t.tp, t.fp, t.fp_near_miss, t.fn,
                 pct(t.precision()), pct(t.recall()), f"{t.verdicts_agreed}/{t.verdicts}"]
        print("".join(pad(str(c), w, r) for c, (_, w, r) in zip(cells, COLUMNS)))
    judged = sum(t.verdicts for t in tallies.values())
    agreed = sum(t.verdicts_agreed for t in tallies.values())
    if judged:
        print(f"\n报告级判定（每份报告每项检查：有无该类缺陷）一致：{agreed}/{judged} = {pct(agreed / judged)}")
    carry = tallies.get(CARRY)
    if carry is not None and carry.share_measured:
        print(f"\nquality.carry-over 测得比例落在标注区间内：{carry.share_in_band}/{carry.share_measured}")
    all_notes = notes + [n for t in tallies.values() for n in t.notes]
    if all_notes:
        print("\n说明：")
        for n in all_notes:
            print("  - " + n)
    if verbose:
        for check, t in tallies.items():
            if not t.mismatches:
                continue
            print(f"\n{check} 不一致之处：")
            for m in t.mismatches:
                what = m.get("label") if m["kind"] != "fp" else m.get("finding")
                tag = {"fn": "漏报", "fp": "误报", "share": "比例"}[m["kind"]]
                print(f"  [{tag}] {m['report']} {what}：{m['why']}")


def main() -> int:
    ap = argparse.ArgumentParser(description="内容质量检查（issue 12）在标注语料上的精确率与召回率")
    ap.add_argument("--verbose", action="store_true", help="列出每一处漏报和误报")
    ap.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    ap.add_argument("--engine", choices=["api", "cli"], default="api", help="通过 Python 接口（默认）或命令行检查")
    ap.add_argument("--previous-mode", choices=["file", "folder"], default="file",
                    help="file：对每对报告传入上年报告文件；folder：传入 previous/ 目录，由检查器按单位和年度查找")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="标注语料目录（含 labels.json 和 reports/），默认 tests/quality_corpus")
    ap.add_argument("--reports", metavar="NN-NN", help="只检查编号在此范围内的报告（如 01-08），用于分开开发部分和未见部分")
    args = ap.parse_args()
    use_corpus(args.corpus)
    try:
        data = json.loads(LABELS.read_text(encoding="utf-8"))
        labels = {n: lab for n, lab in data["reports"].items() if in_range(n, args.reports)}
        checks = [c for c in CHECKS if c in data.get("checks", CHECKS)]
    except (OSError, ValueError, KeyError) as exc:
        print(f"无法读取标注文件 {LABELS}：{exc}", file=sys.stderr)
        return 2
    main_results, carry, notes = run(args.engine, args.previous_mode, labels)
    tallies = evaluate(labels, main_results, carry, implemented_rules(), bool(carry), checks)
    if args.json:
        print(json.dumps({"schema_version": 1, "reports": len(labels), "engine": args.engine, "previous_mode": args.previous_mode,
                          "notes": notes, "checks": [t.to_json(c) for c, t in tallies.items()]}, ensure_ascii=False, indent=2))
    else:
        print_table(tallies, notes, len(labels), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
