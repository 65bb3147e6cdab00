"""`fazhi-audit serve` end to end: the real command, a real browser (Debian's Chromium through Playwright).

The server runs as `python -m fazhi_audit serve` on a free loopback port.
Screenshots go to a temporary folder, or to docs/screenshots/web-*.png (the
ones the README shows) when FAZHI_AUDIT_SCREENSHOTS=1.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import SEEDS

pytestmark = pytest.mark.slow  # a real browser (chromium) and a server process

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS_ENV = "FAZHI_AUDIT_SCREENSHOTS"
VIEWPORT = {"width": 1400, "height": 1000}
MAX_FILE_MB = 0.5  # small, so the browser-side limit check is cheap to provoke
SEED_LINES = [line for line in sorted(SEEDS.glob("*.txt"))[2].read_text(encoding="utf-8").splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fazhi_audit", "serve", "--port", str(port), "--workers", "1", "--max-file-mb", str(MAX_FILE_MB)],
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
    proc.send_signal(signal.SIGINT)  # Ctrl-C: a clean stop, workers included
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    text = log.read_text(encoding="utf-8")
    assert code == 0, text
    assert "已停止" in text and "Traceback" not in text


@pytest.fixture(scope="module")
def browser():
    from conftest import require_tool

    require_tool(str(CHROMIUM), "Debian 的 chromium：apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


def _shots(tmp_path: Path) -> Path:
    if os.environ.get(SCREENSHOTS_ENV) == "1":
        return ROOT / "docs" / "screenshots"
    return tmp_path


def _word_report(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_upload_a_word_report_see_the_verdict_and_download_the_annotated_copy(page, server, tmp_path):
    shots = _shots(tmp_path)
    report = _word_report(tmp_path / "左岚乡法治政府建设年度报告.docx", SEED_LINES[:60])
    page.goto(server + "/", wait_until="load")
    assert page.locator("h1").inner_text() == "检查法治政府建设年度报告"
    page.set_input_files("#files", str(report))
    assert "左岚乡法治政府建设年度报告.docx" in page.locator("#chosen").inner_text()
    page.screenshot(path=str(shots / "web-upload.png"))

    page.click("#submit")
    page.wait_for_url("**/r/*", timeout=60_000)
    page.wait_for_selector("table.files", timeout=60_000)
    row = page.locator("table.files tbody tr")
    assert row.count() == 1
    verdict = row.locator("td.verdict").inner_text()
    assert verdict.startswith(("通过", "不通过")), verdict
    # the HTML report in its frame: the same verdict, and the to-do list
    frame = page.frame_locator("iframe#report")
    frame.locator("text=待改问题").first.wait_for(timeout=30_000)
    frame_text = frame.locator("body").inner_text()
    assert ("不通过" in frame_text) == verdict.startswith("不通过")
    todo = frame.locator("ol.todo li.todo-item").count()
    assert todo > 0 and row.locator("td.num").nth(1).inner_text() == str(todo)  # the page's count is the report's list
    page.screenshot(path=str(shots / "web-result.png"))

    with page.expect_download() as waiting:
        row.locator("text=下载批注稿").click()
    download = waiting.value
    assert download.suggested_filename == "左岚乡法治政府建设年度报告-审查意见.docx"
    saved = tmp_path / "annotated.docx"
    download.save_as(saved)
    import docx

    docx.Document(str(saved))  # Word's format, readable
    with zipfile.ZipFile(saved) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert comments.count("<w:comment ") >= 2  # the overall comment plus at least one problem

    assert page.errors == [], page.errors  # a blocked resource or script shows here (CSP violations are console errors)
    assert all(u.startswith((server, "data:", "blob:", "about:")) for u in page.requests), page.requests


def test_several_files_and_an_unreadable_one(page, server, tmp_path):
    good = _word_report(tmp_path / "甲镇.docx", SEED_LINES[:60])
    text = tmp_path / "乙镇.txt"
    text.write_text("\n".join(SEED_LINES), encoding="utf-8")
    broken = tmp_path / "丙镇.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a Word file")
    page.goto(server + "/", wait_until="load")
    page.set_input_files("#files", [str(good), str(text), str(broken)])
    page.click("#submit")
    page.wait_for_selector("table.files", timeout=60_000)
    classes = page.locator("table.files tbody tr").evaluate_all("rows => rows.map(r => r.className)")
    names = page.locator("table.files td.name").all_inner_texts()
    assert dict(zip(names, classes))["丙镇.docx"] == "unreadable"
    assert sorted(names) == sorted(["甲镇.docx", "乙镇.txt", "丙镇.docx"])
    assert page.locator("a", has_text="Excel 工作簿").count() == 1
    assert "无法读取 1 份" in page.locator("#summary").inner_text()
    page.screenshot(path=str(tmp_path / "web-batch.png"))  # for a look; not shown in the README
    with page.expect_download() as waiting:
        page.locator("a", has_text="Excel 工作簿").click()
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(Path(waiting.value.path()).read_bytes()))
    assert "汇总" in workbook.sheetnames
    assert page.errors == [], page.errors


def test_a_file_over_the_limit_is_stopped_in_the_page(page, server, tmp_path):
    big = tmp_path / "太大.txt"
    big.write_bytes(b"x" * int(MAX_FILE_MB * 1024 * 1024 + 10))
    page.goto(server + "/", wait_until="load")
    page.set_input_files("#files", str(big))
    message = page.locator("#client-error")
    assert "太大.txt" in message.inner_text() and "上限" in message.inner_text()
    page.click("#submit")
    assert page.url.rstrip("/") == server  # not sent
    assert page.errors == [], page.errors
