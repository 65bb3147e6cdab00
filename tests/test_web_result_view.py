"""The web result page as the clerk sees it (issue 20): the gap report is not trapped in a fixed-height frame,
nothing mentions command-line options, and the page gives every rule the status and level the CLI gives it."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import SEEDS
from test_web_browser import _word_report, browser, page, server  # noqa: F401  (fixtures)
from command import fazhi_audit

SEED = sorted(SEEDS.glob("*.txt"))[1]  # a passing report with a partly met error-level rule


@pytest.mark.slow
def test_report_frame_takes_the_report_height(page, server, tmp_path):  # noqa: F811
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = _word_report(tmp_path / "报告.docx", lines)
    page.goto(server + "/", wait_until="load")
    page.set_input_files("#files", str(report))
    page.click("#submit")
    page.wait_for_url("**/r/*", timeout=60_000)
    page.wait_for_selector("iframe#report.fitted", timeout=60_000)
    frame = page.frame_locator("iframe#report")
    frame.locator("text=待改问题").first.wait_for(timeout=30_000)
    page.wait_for_timeout(300)  # the last resize message
    inner = page.frames[1].evaluate("[window.innerHeight, document.documentElement.scrollHeight]")
    assert inner[1] <= inner[0] + 2, inner  # the frame is as tall as its content: no scrollbar of its own
    assert inner[0] > 1000  # and taller than the old fixed 80 % of the window
    texts = page.locator("body").inner_text() + page.frames[1].locator("body").inner_text()
    assert "--" not in texts.replace("——", "")  # no --previous, --profile …
    assert page.errors == [], page.errors


def test_web_and_cli_give_every_rule_the_same_status_and_level(server):  # noqa: F811
    with SEED.open("rb") as fh:
        response = httpx.post(server + "/api/check", files={"files": (SEED.name, fh, "text/plain")}, timeout=120)
    assert response.status_code == 200, response.text
    web = response.json()["reports"][0]
    cli = fazhi_audit("check", str(SEED), "--format", "json", "--no-config", timeout=300)
    assert cli.returncode in (0, 1), cli.stderr
    terminal = json.loads(cli.stdout)["reports"][0]

    def statuses(report):
        return sorted((f["rule"], f["status"], f["severity"], f.get("scored", True)) for f in report["findings"])

    assert statuses(web) == statuses(terminal)
    assert (web["score"], web["passed"]) == (terminal["score"], terminal["passed"])


def test_a_profile_chosen_on_the_page_is_not_called_a_command_line_option(server):  # noqa: F811
    with SEED.open("rb") as fh:
        response = httpx.post(server + "/api/check", files={"files": (SEED.name, fh, "text/plain")}, data={"profile": "township"}, timeout=120)
    assert response.status_code == 200, response.text
    profile = response.json()["reports"][0]["profile"]
    assert profile["name"] == "township" and "--" not in profile["source"] and "网页" in profile["source"]
