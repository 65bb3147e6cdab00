"""The HTML dashboard as a reviewer reads it: why a report fails, duplicates, details worst first (issue 20)."""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
from conftest import SEEDS

from fazhi_audit.engine.options import Options
from fazhi_audit.engine.run import run
from fazhi_audit.render.formatters import FORMATTERS


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dash")
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        shutil.copy(seed, folder / seed.name)
    shutil.copy(seeds[1], folder / f"zz-再次提交-{seeds[1].name}")  # the same report submitted twice
    outcome = run(Options(paths=(str(folder),), jobs=1, isolated=True))
    return outcome, FORMATTERS["html"](outcome)


def _rows(html: str) -> list[list[str]]:
    table = html[html.index('<table class="rank"') : html.index("</table>")]
    head = re.findall(r"<th[^>]*>(.*?)</th>", table)
    rows = [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]
    return [head, *rows]


def test_ranking_table_says_why_a_report_fails(page):
    outcome, html = page
    head, *rows = _rows(html)
    assert "不通过原因" in head
    why = head.index("不通过原因")
    by_path = {r.path: r for r in outcome.results}
    for row in rows:
        path = row[-1].split()[0]
        result = by_path[path]
        if result.passed:
            assert row[why] == ""
        else:
            assert row[why] and all(reason in row[why] for reason in result.reasons)


def test_dashboard_points_out_a_report_submitted_twice(page):
    outcome, html = page
    dup = outcome.summary["duplicates"]
    assert dup
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert f"{dup[0]['body']} {dup[0]['year']} 年度的报告出现 2 次" in text
    marked = [row for row in _rows(html)[1:] if row[-1].endswith("重复")]
    assert len(marked) == 2


def test_details_follow_the_ranking_worst_first(page):
    outcome, html = page
    ranking = [row[-1].split()[0] for row in _rows(html)[1:]]
    assert ranking == [entry["path"] for entry in outcome.summary["ranking"]]
    sections = re.findall(r'<section class="report" id="(r\d+)">', html)
    anchors = {m.group(2): m.group(1) for m in re.finditer(r'<a href="#(r\d+)">([^<]+)</a>', html[html.index('<table class="rank"') :])}
    assert sections[: len(ranking)] == [anchors[path] for path in ranking]
    scores = [next(r.score for r in outcome.results if r.path == path) for path in ranking]
    assert scores == sorted(scores)
