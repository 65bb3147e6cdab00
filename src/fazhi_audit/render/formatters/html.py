"""One self-contained HTML page: a report view, or a batch dashboard plus one view per report.

Everything is inline (CSS, a few lines of script, hand-drawn SVG charts), so
the file opens offline and prints as it shows. All text from reports and
file names reaches the page only through Jinja2's autoescape; the page's
Content-Security-Policy allows no network at all and only our own script
(by its hash), so even a slip in escaping could not load or run anything.

This module builds plain view dictionaries; the template only lays them out.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from fazhi_audit.base.own_output import HTML_META
from fazhi_audit.model.location import location_text
from fazhi_audit.model.result import Evidence, Finding, ReportResult
from fazhi_audit.render.formatters._charts import (
    coverage_chart,
    histogram,
    missing_chart,
    score_bins,
)
from fazhi_audit.render.formatters._common import (
    SEVERITY_LABEL,
    baselined_problems,
    finding_line,
    new_problems,
    profile_text,
    verdict,
)
from fazhi_audit.render.terminal import REQUIRED_PARTS
from fazhi_audit.rules.schema import SEVERITY_RANK

if TYPE_CHECKING:
    from fazhi_audit.model.run import Run

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
COVERAGE_RULE = "outline.coverage"
CONTEXT_CHARS = 40  # evidence shown in the to-do list: this many characters either side of the match
STATUS_MARK = {"pass": "✓", "partial": "◐", "fail": "✗"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every {{ value }} is escaped: report text never becomes markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@lru_cache(maxsize=1)
def _assets() -> tuple[Markup, Markup, str]:
    """Inline CSS, inline script, and the script's CSP hash."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return Markup(css), Markup(js), f"'sha256-{digest}'"


def render(run: Run) -> str:
    css, js, script_hash = _assets()
    reports = [report_view(r, n) for n, r in enumerate(run.results, 1)]
    dashboard = dashboard_view(run, reports) if len(run.results) > 1 else None
    if dashboard is not None:
        reports = ranked(reports, dashboard["rows"])
    if len(run.results) == 1 and not run.results[0].error:
        page_title = f"{run.results[0].title or run.results[0].path} · 检查结果"
    else:
        page_title = "法治政府建设年度报告检查结果"
    return _environment().get_template("report.html.j2").render(
        page_title=page_title,
        css=css,
        js=js,
        script_hash=script_hash,
        version=run.version,
        own_output_meta=Markup(HTML_META),
        dashboard=dashboard,
        reports=reports,
    )


# ---------------------------------------------------------------- one report


def report_view(r: ReportResult, n: int) -> dict:
    anchor = f"r{n}"
    view = {
        "n": n,
        "anchor": anchor,
        "path": r.path,
        "title": r.title or "（未识别标题）",
        "body": r.body or "（未识别）",
        "year": r.year or "（未识别）",
        "published": r.published,
        "profile": profile_text(r.profile),
        "score": r.score,
        "verdict": verdict(r),
        "passed": r.passed and not r.error,
        "error": r.error,
        "warnings": list(r.warnings),
    }
    if r.error:
        return view
    numbers = {no for no, _kind, _text in r.text_lines or []}
    todo = sorted(new_problems(r), key=_todo_key)
    view.update(
        reasons=_reasons(r),
        parts=_parts(r, anchor, numbers),
        todo=[_todo_item(f, anchor, numbers, r) for f in todo],
        known=[_todo_item(f, anchor, numbers, r) for f in sorted(baselined_problems(r), key=_todo_key)],
        counts={sev: sum(1 for f in todo if f.severity == sev) for sev in SEVERITY_LABEL},
        coverage=_coverage(r),
        text=_text_blocks(r, anchor),
        # rules left out of the score: the report says they do not apply, or they could not run
        unchecked=[{"label": "不适用" if f.not_applicable else "未检查", "title": f.title, "rule": f.rule, "message": f.message} for f in r.findings if not f.scored],
    )
    return view


def _reasons(r: ReportResult) -> list[str]:
    if r.passed:
        return []
    if r.reasons:
        return list(r.reasons)
    # Results built without scoring.verdict_reasons: derive the same wording from the findings.
    return [f"未满足“{f.title}”（错误）" for f in new_problems(r) if f.severity == "error" and f.status == "fail"]


def _todo_key(f: Finding) -> tuple:
    line = finding_line(f)
    return (-SEVERITY_RANK.get(f.severity, 0), line is None, line or 0)


def _href(anchor: str, line: int | None, numbers: set[int]) -> str | None:
    return f"#{anchor}-l{line}" if line and line in numbers else None


def _unit(r: ReportResult) -> str:
    """Word and web pages are read by paragraph, text files by line (report/location.py)."""
    return "段" if r.source_format in ("docx", "html") else "行"


def _parts(r: ReportResult, anchor: str, numbers: set[int]) -> list[dict]:
    """The parts in the order the report has them, then the required ones it lacks."""
    out = []
    present = set()
    for pos, s in enumerate(r.sections, 1):
        present.add(s.kind)
        out.append(
            {
                "label": r.part_labels.get(s.kind, s.kind),
                "heading": s.heading,
                "pos": pos,
                "line": s.line,
                "unit": _unit(r),
                "href": _href(anchor, s.line, numbers),
                "mark": "✓" if s.kind in REQUIRED_PARTS else "·",
                "cls": "ok" if s.kind in REQUIRED_PARTS else "extra",
            }
        )
    for kind in REQUIRED_PARTS:
        if kind not in present:
            out.append({"label": r.part_labels.get(kind, kind), "heading": "未单列", "pos": None, "line": None, "href": None, "mark": "✗", "cls": "no"})
    return out


def _snippet(ev: Evidence) -> dict:
    """The evidence sentence cut to CONTEXT_CHARS around its match, split for highlighting."""
    text, match = ev.text, ev.match
    at = text.find(match) if match else -1
    if at < 0:
        pre, mid, post = text, "", ""
    else:
        pre, mid, post = text[:at], match, text[at + len(match) :]
    if len(pre) > CONTEXT_CHARS:
        pre = "…" + pre[-CONTEXT_CHARS:]
    if len(post) > CONTEXT_CHARS:
        post = post[:CONTEXT_CHARS] + "…"
    if not mid and len(pre) > 2 * CONTEXT_CHARS:
        pre = pre[: 2 * CONTEXT_CHARS] + "…"
    return {"pre": pre, "match": mid, "post": post}


def _where(ev: Evidence, r: ReportResult) -> str:
    return location_text(ev, r.source_format, r.part_labels)


def _todo_item(f: Finding, anchor: str, numbers: set[int], r: ReportResult) -> dict:
    line = finding_line(f)
    evidence = []
    for item in f.items:
        if item.found:
            continue  # the to-do list shows what is missing or does not count
        ev = item.evidence
        entry = {"name": item.name, "note": item.note, "where": None, "href": None, "snippet": None}
        if ev is not None:
            entry.update(where=_where(ev, r), href=_href(anchor, ev.line, numbers), snippet=_snippet(ev))
        evidence.append(entry)
    context = None
    if not f.items and line:
        # A problem at a place (numbering, placeholder): show that line as its evidence.
        text = next((t for no, _k, t in r.text_lines or [] if no == line), None)
        if text:
            context = text if len(text) <= 2 * CONTEXT_CHARS else text[: 2 * CONTEXT_CHARS] + "…"
    return {
        "severity": f.severity,
        "severity_label": SEVERITY_LABEL.get(f.severity, f.severity),
        "status_mark": STATUS_MARK.get(f.status, ""),
        "rule": f.rule,
        "title": f.title,
        "message": f.message,
        "line": line,
        "unit": _unit(r),
        "href": _href(anchor, line, numbers),
        "evidence": evidence,
        "context": context,
        "fix": f.fix,
        "basis": f.basis,
    }


def _coverage(r: ReportResult) -> dict | None:
    finding = next((f for f in r.findings if f.rule == COVERAGE_RULE), None)
    if finding is None or not finding.items:
        return None
    items = []
    for item in finding.items:
        state = "ok" if item.found else ("part" if item.evidence else "no")
        items.append({"name": item.name, "state": state, "note": item.note})
    found = sum(1 for i in items if i["state"] == "ok")
    return {"found": found, "total": len(items), "chart": coverage_chart(items, found)}


# ---------------------------------------------------------------- the report text


def _text_blocks(r: ReportResult, anchor: str) -> list[dict] | None:
    """Lines grouped by part, each line split into plain and highlighted runs."""
    if r.text_lines is None:
        return None
    marks = _marks(r)
    blocks: list[dict] = []
    for no, kind, text in r.text_lines:
        if not blocks or blocks[-1]["kind"] != kind:
            blocks.append({"kind": kind, "label": r.part_labels.get(kind, kind), "lines": []})
        spans, line_note = marks.get(no, ([], None))
        blocks[-1]["lines"].append({"id": f"{anchor}-l{no}", "no": no, "runs": _runs(text, spans), "note": line_note})
    return blocks


def _marks(r: ReportResult) -> dict[int, tuple[list, str | None]]:
    """Per line: highlight spans (start, end, class, tooltip) and a note for the whole line."""
    out: dict[int, tuple[list, str | None]] = {}
    texts = {no: text for no, _k, text in r.text_lines or []}
    for f in r.findings:
        problem = f.status != "pass"
        spans_made = False
        for item in f.items:
            ev = item.evidence
            if ev is None or ev.line not in texts:
                continue
            text = texts[ev.line]
            start = text.find(ev.text) if ev.text else -1
            if start < 0:
                continue
            at = ev.text.find(ev.match) if ev.match else -1
            lo, hi = (start + at, start + at + len(ev.match)) if at >= 0 else (start, start + len(ev.text))
            cls = "ok" if item.found else "no"
            tip = f"{f.title}：{item.name}" + (f"（{item.note}）" if item.note else "")
            out.setdefault(ev.line, ([], None))[0].append((lo, hi, cls, tip))
            spans_made = True
        line = finding_line(f)
        if problem and not spans_made and line in texts:
            spans, _ = out.setdefault(line, ([], None))
            out[line] = (spans, f"{SEVERITY_LABEL.get(f.severity, f.severity)}：{f.message}")
    return out


_RANK = {"no": 2, "ok": 1}


def _runs(text: str, spans: list) -> list[tuple[str, str | None, str | None]]:
    """(text, class, tooltip) runs; where spans overlap, a not-counted mark wins over a counted one."""
    if not spans:
        return [(text, None, None)]
    cls: list[str | None] = [None] * len(text)
    tip: list[str | None] = [None] * len(text)
    for lo, hi, c, t in sorted(spans, key=lambda s: _RANK[s[2]]):
        for i in range(max(lo, 0), min(hi, len(text))):
            cls[i], tip[i] = c, t
    runs: list[tuple[str, str | None, str | None]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (cls[i], tip[i]) != (cls[start], tip[start]):
            runs.append((text[start:i], cls[start], tip[start]))
            start = i
    return runs


# ---------------------------------------------------------------- the batch dashboard


def dashboard_view(run: Run, reports: list[dict]) -> dict:
    s = run.summary
    by_path_index = {}
    for view, r in zip(reports, run.results):
        by_path_index.setdefault(r.path, view)
    rows = []
    duplicated = {path for dup in s.get("duplicates", []) for path in dup["paths"]}
    for entry in s["ranking"]:
        view = by_path_index.get(entry["path"])
        if view is None:
            continue
        rows.append(
            {
                "anchor": view["anchor"],
                "path": view["path"],
                "body": entry.get("body") or "",
                "year": view["year"] if isinstance(view["year"], int) else "",
                "profile": _profile_label(run, view["n"]),
                "score": entry["score"],
                "verdict": "通过" if entry["passed"] else "不通过",
                "passed": entry["passed"],
                "counts": view["counts"],
                "reasons": "；".join(view.get("reasons") or []),
                "duplicate": entry["path"] in duplicated,
            }
        )
    readable = [r for r in run.results if not r.error]
    missed = [row for row in s["rules"] if row["missing"]]
    return {
        "summary": s,
        "rows": rows,
        "missing_chart": missing_chart(missed, len(readable)) if missed else None,
        "histogram": histogram(score_bins([r.score for r in readable])) if readable else None,
        "unreadable": [{"anchor": v["anchor"], "path": v["path"], "error": v["error"]} for v in reports if v["error"]],
        "duplicates": [f"{d['body']} {d['year']} 年度的报告出现 {len(d['paths'])} 次：{'、'.join(d['paths'])}" for d in s.get("duplicates", [])],
    }


def ranked(reports: list[dict], rows: list[dict]) -> list[dict]:
    """The per-report details in the ranking's order (worst first), then the files that could not be read."""
    position = {row["anchor"]: i for i, row in enumerate(rows)}
    return sorted(reports, key=lambda v: (v["anchor"] not in position, position.get(v["anchor"], v["n"])))


def _profile_label(run: Run, n: int) -> str:
    profile = run.results[n - 1].profile
    return profile.label if profile else ""
