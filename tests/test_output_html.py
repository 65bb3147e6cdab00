"""The HTML page: self-contained, escaped, a dashboard for batches, to-do items in order.

Pages are rendered from real audits of small reports and read back with the
standard library's HTML parser, so the checks see the page as a browser
would parse it, not as a string.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from reports import TOWN as GOOD
from reports import TOWNSHIP as BAD

from fazhi_audit.model.result import ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import FORMATTERS
from fazhi_audit.render.formatters._charts import score_bins
from fazhi_audit.render.formatters._common import finding_line, new_problems
from fazhi_audit.rules.schema import SEVERITY_RANK

UNREADABLE = ReportResult(path="reports/c_empty.txt", error="文件为空：请提供报告正文")
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_BODY = "=cmd|' /C calc'!A0"
HOSTILE_MESSAGE = '<img src=x onerror="alert(2)">'


class Page(HTMLParser):
    """Tags with attributes, the text of each script, and all visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def with_class(self, cls: str) -> list[tuple[str, dict]]:
        return [(t, a) for t, a in self.tags if cls in (a.get("class") or "").split()]

    @property
    def visible(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def audited(auditor) -> list[ReportResult]:
    return [auditor.audit_text(GOOD, "reports/a_good.txt"), auditor.audit_text(BAD, "reports/b_bad.txt")]


@pytest.fixture(scope="module")
def rules(auditor):
    return auditor.ruleset.rules


def html(results, rules) -> str:
    return FORMATTERS["html"](Run(results, rules))


def test_inputs_are_what_the_tests_assume(audited):
    good, bad = audited
    assert good.passed and not bad.passed and bad.reasons
    assert good.text_lines and bad.text_lines
    severities = {f.severity for f in new_problems(bad)}
    assert {"error", "warning", "info"} <= severities  # the order test needs all three
    assert any(i.evidence and not i.found for f in bad.findings for i in f.items)  # evidence that does not count


def test_page_is_self_contained(audited, rules):
    out = html([*audited, UNREADABLE], rules)
    page = Page(out)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name in ("src", "href", "xlink:href", "action", "data", "poster"):
                assert not re.match(r"\s*(https?:)?//", value or ""), f"<{tag} {name}={value}> points outside the file"
        assert tag not in ("link", "iframe", "object", "embed", "img"), f"<{tag}> would load something"
        if tag == "script":
            assert "src" not in attrs
    assert "http://" not in out and "https://" not in out
    for css in page.styles:
        assert "url(" not in css and "@import" not in css
    csp = page.find("meta", **{"http-equiv": "Content-Security-Policy"})[0]["content"]
    assert "default-src 'none'" in csp


def test_the_one_script_is_the_one_the_policy_allows(audited, rules):
    page = Page(html(audited, rules))
    assert len(page.scripts) == 1
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode()
    csp = page.find("meta", **{"http-equiv": "Content-Security-Policy"})[0]["content"]
    assert f"'sha256-{digest}'" in csp  # otherwise the browser would block sorting and jumping


def test_report_text_never_becomes_markup(audited, rules):
    bad = audited[1]
    findings = [replace(f, message=HOSTILE_MESSAGE) if f.status != "pass" else f for f in bad.findings]
    lines = [(no, kind, text + HOSTILE_TITLE) for no, kind, text in bad.text_lines]
    hostile = replace(bad, title=HOSTILE_TITLE, body=HOSTILE_BODY, findings=findings, path="reports/<b>x</b>.txt")
    hostile.text_lines = lines
    out = html([hostile, audited[0]], rules)
    page = Page(out)
    assert len(page.scripts) == 1 and "alert" not in page.scripts[0]
    assert not page.find("img")  # no element made from text
    for _tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
    assert [t for t, _ in page.tags].count("script") == 1
    # ...and the words are all still there for the reader, as text.
    shown = page.visible
    assert HOSTILE_TITLE in shown and HOSTILE_BODY in shown and HOSTILE_MESSAGE in shown and "reports/<b>x</b>.txt" in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_single_report_has_no_dashboard(audited, rules):
    page = Page(html(audited[1:], rules))
    assert not page.find("section", id="dashboard")
    assert len(page.with_class("report")) == 1


def test_batch_dashboard_ranks_links_and_lists_unreadable(audited, rules):
    results = [*audited, UNREADABLE]
    out = html(results, rules)
    page = Page(out)
    assert page.find("section", id="dashboard")
    assert any(t == "table" and "data-sortable" in a for t, a in page.tags), "the ranking table is marked sortable"
    ranking = Run(results, rules).summary["ranking"]
    links = [a["href"] for a in page.find("a") if a.get("href", "").startswith("#r") and "-l" not in a["href"]]
    ids = {a.get("id") for _t, a in page.tags}
    assert all(h[1:] in ids for h in links)
    assert len(set(links)) == len(results)  # every report, readable or not, is linked
    # ranked by score as the summary ranks them
    scores = [int(re.search(r'<td data-v="(\d+)"><b>', row).group(1)) for row in re.findall(r"<tr><td data-v=.*?</tr>", out)]
    assert scores == [r["score"] for r in ranking]
    assert "无法读取的文件" in page.visible and UNREADABLE.error in page.visible
    assert len([1 for t, a in page.tags if t == "svg" and "chart" in a.get("class", "")]) >= 3  # missing, histogram, coverage


def test_every_in_page_link_has_a_target(audited, rules):
    page = Page(html([*audited, UNREADABLE], rules))
    ids = {a.get("id") for _t, a in page.tags if a.get("id")}
    hrefs = [a["href"] for a in page.find("a") if a.get("href", "").startswith("#")]
    assert hrefs
    assert [h for h in hrefs if h[1:] not in ids] == []


def _todo(out: str, anchor: str) -> list[tuple[str, int | None]]:
    """(severity, line) of each to-do item in one report's section, in page order."""
    section = re.search(rf'<section class="report" id="{anchor}">(.*?)</section>', out, re.S).group(1)
    todo = section.split('<details class="known">')[0]
    items = re.findall(r'<li class="todo-item (\w+)">.*?<div class="todo-meta">(.*?)</div>', todo, re.S)
    return [(sev, int(m.group(1)) if (m := re.search(r"第(\d+)行", meta)) else None) for sev, meta in items]


def test_todo_is_ordered_by_severity_then_position(audited, rules):
    bad = audited[1]
    items = _todo(html([bad], rules), "r1")
    assert len(items) == len(new_problems(bad))
    keys = [(-SEVERITY_RANK[sev], line is None, line or 0) for sev, line in items]
    assert keys == sorted(keys)
    assert [sev for sev, _ in items] == sorted((f.severity for f in new_problems(bad)), key=lambda s: -SEVERITY_RANK[s])


def test_todo_links_jump_to_the_problem_line(audited, rules):
    bad = audited[1]
    out = html([bad], rules)
    lines = {no for no, _k, _t in bad.text_lines}
    for f in new_problems(bad):
        line = finding_line(f)
        if line in lines:
            assert f'href="#r1-l{line}"' in out
            assert f'<p id="r1-l{line}"' in out


def test_evidence_that_does_not_count_is_highlighted_in_the_text(audited, rules):
    bad = audited[1]
    item = next(i for f in bad.findings for i in f.items if i.evidence and not i.found and i.evidence.match)
    out = html([bad], rules)
    line = re.search(rf'<p id="r1-l{item.evidence.line}"[^>]*>(.*?)</p>', out).group(1)
    assert re.search(rf'<mark class="no" title="[^"]*{re.escape(item.name)}[^"]*">[^<]*{re.escape(item.evidence.match)}', line)


def test_header_shows_verdict_reasons_and_five_parts(audited, rules):
    bad = audited[1]
    page = Page(html([bad], rules))
    shown = page.visible
    assert "✗ 不通过" in shown and str(bad.score) in shown
    for reason in bad.reasons:
        assert reason in shown
    strip = re.search(r'<ol class="strip">(.*?)</ol>', html([bad], rules), re.S).group(1)
    marks = re.findall(r'<li class="(ok|no|extra)"', strip)
    assert marks.count("no") == 5 - len({s.kind for s in bad.sections} & {"achievements", "shortcomings", "first_responsible", "plans", "other"})
    assert marks[: len(bad.sections)] == [("ok" if s.kind != "extra" else "extra") for s in bad.sections]


def test_coverage_chart_has_a_tile_per_outline_task(audited, rules):
    good = audited[0]
    coverage = next(f for f in good.findings if f.rule == "outline.coverage")
    out = html([good], rules)
    assert out.count('<g class="tile ') == len(coverage.items)
    found = sum(1 for i in coverage.items if i.found)
    assert f"{found}/{len(coverage.items)}" in out


def test_without_text_lines_the_page_still_renders(audited, rules):
    bare = replace(audited[1])
    bare.text_lines = None
    out = html([bare], rules)
    assert "原文不可用" in out and 'href="#r1-l' not in out


def test_empty_run_renders(rules):
    assert "没有检查任何报告" in html([], rules)


def test_score_bins_put_100_in_the_last_bin():
    assert score_bins([0, 9, 10, 55, 99, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
