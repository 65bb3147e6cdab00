"""The 审查台 end to end: the real `serve --store`, Debian's Chromium through Playwright, LibreOffice for the 通报.

Create a round, upload three reports, dismiss a finding and see the round's
counts change, download the 通报 draft and open it with python-docx; then
LibreOffice converts it to PDF (its text must hold every body), and the
first page becomes a PNG (pdftoppm). Screenshots and that page go to a
temporary folder, or to docs/screenshots/desk-*.png (the ones the README
shows) when FAZHI_AUDIT_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import docx
import pytest
from conftest import SEEDS, require_tool
from pypdf import PdfReader
from test_web_browser import ARGS, CHROMIUM, VIEWPORT, _free_port, _shots

pytestmark = pytest.mark.slow  # a real browser and LibreOffice

THREE = sorted(SEEDS.glob("*.txt"))[:3]


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    port = _free_port()
    folder = tmp_path_factory.mktemp("desk-serve")
    log = folder / "serve.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fazhi_audit", "serve", "--port", str(port), "--workers", "1", "--store", str(folder / "review.db")],
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "server never became ready"
        time.sleep(0.3)
    yield url
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    text = log.read_text(encoding="utf-8")
    assert code == 0 and "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser():
    require_tool(str(CHROMIUM), "Debian 的 chromium：apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _count(page, which: str) -> int:
    return int(page.locator(f"#{which}").inner_text())


def test_a_round_from_upload_to_the_circular(browser, desk_server, tmp_path):
    shots = _shots(tmp_path)
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{desk_server}/desk")
    page.fill("input[name=year]", "2024")
    page.fill("input[name=title]", "2024年度法治政府建设年度报告审查")
    page.click("#new-round button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/rounds/\d+$"))
    assert page.locator("h1").inner_text() == "2024年度法治政府建设年度报告审查"

    page.set_input_files("#desk-upload input[name=files]", [str(p) for p in THREE])
    with page.expect_navigation(timeout=180_000):
        page.click("#desk-upload button[type=submit]")
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 3
    round_url = page.url
    pending, dismissed = _count(page, "pending"), _count(page, "dismissed")
    assert pending > 0 and dismissed == 0
    page.screenshot(path=str(shots / "desk-round.png"), full_page=True)

    rows.first.locator("td.name a").click()
    page.wait_for_url(re.compile(r"/desk/submissions/\d+$"))
    first = page.locator("#findings tbody tr").first
    first.locator("input[name=note]").fill("报告附件中已说明")
    with page.expect_navigation():
        first.locator("button[value=dismiss]").click()
    assert "驳回" in page.locator("#findings tbody tr").first.inner_text()
    page.evaluate("window.scrollTo(0, 0)")  # the form's answer lands on the finding's anchor
    page.screenshot(path=str(shots / "desk-report.png"))

    page.goto(round_url)
    assert (_count(page, "pending"), _count(page, "dismissed")) == (pending - 1, dismissed + 1)
    bodies = [row.locator("td").nth(1).inner_text() for row in page.locator("#ranking tbody tr").all()]

    with page.expect_download() as info:
        page.click("#export-circular")
    saved = tmp_path / "通报草稿.docx"
    info.value.save_as(saved)
    document = docx.Document(str(saved))
    table = document.tables[0]
    assert [row.cells[1].text for row in table.rows[1:]] == bodies  # the ranking, in the same order
    assert "通报" in document.paragraphs[0].text
    assert errors == []
    context.close()

    soffice = require_tool(("soffice", "libreoffice"), "LibreOffice Writer opens the 通报 draft")
    profile = tmp_path / "lo-profile"
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(saved)],
                          capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "通报草稿.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    assert all(re.sub(r"\s+", "", body) in text for body in bodies) and "存在的主要问题" in text
    pdftoppm = require_tool("pdftoppm", "renders the 通报's first page; Debian: poppler-utils")
    subprocess.run([pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(shots / "desk-circular")], check=True, capture_output=True, timeout=120)
    assert (shots / "desk-circular.png").stat().st_size > 10_000
