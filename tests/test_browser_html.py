"""The HTML page in a real browser: Playwright driving the system Chromium.

The README's setup (and CI) installs Debian's `chromium` and `fonts-noto-cjk`;
Playwright's own browser download is never used. Screenshots go to a
temporary folder, or to docs/screenshots/ (the ones the README shows) when
FAZHI_AUDIT_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from reports import TOWNSHIP as BAD  # the small failing report of the HTML tests

from fazhi_audit.model.result import ReportResult
from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import FORMATTERS

pytestmark = pytest.mark.slow  # a real browser (chromium)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS_ENV = "FAZHI_AUDIT_SCREENSHOTS"
VIEWPORT = {"width": 1400, "height": 1000}
# BAD with a long first part, so the later parts start well below the fold of the text panel.
FILLER = "本乡持续推进依法行政各项工作，落实年度工作要点，工作总体平稳有序。\n" * 60
LONG_BAD = BAD.replace("二、存在的问题", FILLER + "二、存在的问题")

@pytest.fixture(scope="module")
def browser():
    from conftest import require_tool

    require_tool(str(CHROMIUM), "Debian 的 chromium：apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(auditor, tmp_path_factory) -> dict[str, Path]:
    """report: one failing sample report; batch: all samples plus an unreadable file; long: a report that needs scrolling."""
    folder = tmp_path_factory.mktemp("html")
    rules = auditor.ruleset.rules
    samples = [replace(auditor.audit_path(p), path=f"seeds/{p.name}") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    failing = next(r for r in samples if not r.passed and not r.error)
    empty = ReportResult(path="reports/c_empty.txt", error="文件为空：请提供报告正文")
    long_bad = auditor.audit_text(LONG_BAD, "reports/b_bad.txt")
    out = {}
    for name, results in {"report": [failing], "batch": [*samples, empty], "long": [long_bad]}.items():
        path = folder / f"{name}.html"
        path.write_text(FORMATTERS["html"](Run(results, rules)), encoding="utf-8")
        out[name] = path
    return out


@pytest.fixture
def open_page(browser):
    """A fresh page that records console errors and every request it makes."""
    opened = []

    def _open(path: Path):
        page = browser.new_page(viewport=VIEWPORT)
        page.errors, page.requests = [], []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(path.as_uri(), wait_until="load")
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.close()


def screenshot_path(name: str, tmp_path: Path) -> Path:
    if os.environ.get(SCREENSHOTS_ENV) == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name
    return tmp_path / name


def in_viewport(page, selector: str) -> bool:
    """The element is inside the window and inside every scrolling box around it."""
    return page.eval_on_selector(
        selector,
        """el => {
            const r = el.getBoundingClientRect();
            if (r.height === 0 || r.top < 0 || r.bottom > window.innerHeight) return false;
            for (let p = el.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (/(auto|scroll)/.test(s.overflowY)) {
                    const b = p.getBoundingClientRect();
                    if (r.top < b.top || r.bottom > b.bottom) return false;
                }
            }
            return true;
        }""",
    )


def test_report_shows_verdict_todo_and_chart(open_page, pages, tmp_path):
    page = open_page(pages["report"])
    verdict = page.locator("section.report .verdict")
    assert verdict.is_visible() and "不通过" in verdict.inner_text()
    assert page.locator(".reasons").is_visible()
    items = page.locator("ol.todo > li.todo-item")
    assert items.count() > 3
    assert items.first.is_visible() and "错误" in items.first.locator(".badge").inner_text()
    chart = page.locator("svg.coverage-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 60
    assert page.locator(".strip li").count() >= 5
    shot = screenshot_path("html-report.png", tmp_path)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert page.errors == []  # the inline script ran under the page's security policy


def test_chinese_text_renders_with_a_cjk_font(open_page, pages):
    page = open_page(pages["report"])
    # A CJK glyph from a real font is as wide as it is tall; a missing-glyph box or fallback is not
    ratio = page.evaluate(
        """() => { const s = document.createElement('span'); s.style.fontSize = '40px'; s.textContent = '法治政府建设';
                   document.querySelector('h1').appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return w / 240; }"""
    )
    assert 0.9 < ratio < 1.1, ratio


def test_clicking_a_problem_scrolls_its_line_into_view(open_page, pages):
    page = open_page(pages["long"])
    links = page.locator("ol.todo a.jump")
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # the link to the line furthest down: the text panel must scroll to reach it
    target = max(hrefs, key=lambda h: int(h.rsplit("-l", 1)[1]))
    link = links.nth(hrefs.index(target))
    selector = f"[id='{target[1:]}']"
    link.scroll_into_view_if_needed()
    assert not in_viewport(page, selector)
    link.click()
    page.wait_for_function("sel => document.querySelector(sel).matches(':target')", arg=selector)
    page.wait_for_timeout(200)
    assert page.locator(selector).is_visible()
    assert in_viewport(page, selector)
    background = page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")  # the line is highlighted


def test_dashboard_ranks_sorts_and_links(open_page, pages, tmp_path):
    page = open_page(pages["batch"])
    assert page.locator("#dashboard").is_visible()
    assert page.locator("#dashboard svg.chart").count() == 2
    for i in range(2):
        assert page.locator("#dashboard svg.chart").nth(i).is_visible()
    scores = lambda: [int(t) for t in page.locator("table.rank tbody tr td:first-child").all_inner_texts()]  # noqa: E731
    first = scores()
    assert first == sorted(first) and len(first) == len(list((ROOT / "seeds").glob("*.txt")))
    page.locator("table.rank th", has_text="得分").click()
    assert scores() == sorted(first, reverse=True)
    page.locator("table.rank th", has_text="得分").click()
    assert scores() == sorted(first)
    assert "文件为空" in page.locator("ul.unreadable").inner_text()
    shot = screenshot_path("html-dashboard.png", tmp_path)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    link = page.locator("table.rank tbody tr a").first
    anchor = link.get_attribute("href")[1:]
    link.click()
    page.wait_for_timeout(200)
    top = page.eval_on_selector(f"[id='{anchor}']", "el => el.getBoundingClientRect().top")
    assert abs(top) < 5  # the report's section is at the top of the window
    assert page.errors == []


def test_page_makes_no_network_request(open_page, pages):
    page = open_page(pages["batch"])
    page.locator("table.rank th", has_text="单位").click()
    assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []


def test_print_layout_shows_the_whole_text(open_page, pages):
    page = open_page(pages["long"])
    page.emulate_media(media="print")
    last = page.locator(".doc p").last
    assert page.eval_on_selector(".doc", "el => getComputedStyle(el).overflowY") == "visible"
    assert last.bounding_box()["height"] > 0
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
