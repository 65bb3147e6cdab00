"""Help pages, usage errors and the web server's console speak Chinese (issue 20)."""

from __future__ import annotations

import io
import logging
import re

import pytest
from conftest import ROOT

from fazhi_audit.render.output import format_names
from command import fazhi_audit

COMMANDS = [[], ["check"], ["annotate"], ["serve"], ["baseline"], ["baseline", "create"], ["config"], ["config", "show"],
            ["rules"], ["rules", "list"], ["rules", "explain"], ["rules", "show"], ["rules", "test"]]
# click's and typer's English placeholders, and the ones this tool used to write by hand
PLACEHOLDERS = re.compile(r"\bPATH\b|FORMAT=PATH|\bDIR\b|\bFILE\b|\bTEXT\b|\bINTEGER\b|\bFLOAT\b|paths\.\.\.|rule_id|\bRULE_ID\b")


def _help(args: list[str]) -> str:
    from fazhi_audit.cli import text as cli_text
    from fazhi_audit.cli.app import app
    from typer.testing import CliRunner

    cli_text.install()
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "fazhi-audit")
def test_help_has_no_english_placeholders(args):
    text = _help(args)
    assert not PLACEHOLDERS.findall(text), PLACEHOLDERS.findall(text)


def test_format_help_lists_every_format():
    text = re.sub(r"\s+", "", _help(["check"]))
    listed = text[text.index("输出格式：") :].split("（")[0]
    for name in format_names():
        assert name in listed, name


@pytest.mark.parametrize("typed,meant", [(["chek", "x.txt"], "check"), (["rules", "explian", "x"], "explain")])
def test_a_mistyped_command_gets_a_suggestion(typed, meant):
    proc = fazhi_audit(*typed, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert f"是否要用：{meant}" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_web_server_console_lines_are_chinese():
    from fazhi_audit.web.console_log import ChineseConsole
    from fazhi_audit.web.server import LOG_CONFIG

    # the server's handler carries the filter …
    wired = LOG_CONFIG["handlers"]["stderr"]["filters"]
    assert [LOG_CONFIG["filters"][name]["()"] for name in wired] == ["fazhi_audit.web.console_log.ChineseConsole"]
    # … which rewords what uvicorn says
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_CONFIG["formatters"]["plain"]["format"]))
    handler.addFilter(ChineseConsole())
    logger = logging.getLogger("uvicorn.error.test-console")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(handler)
    logger.info("Started server process [%d]", 1234)
    logger.info("Waiting for application startup.")
    logger.info("Application startup complete.")
    logger.info("Uvicorn running on %s://%s:%d (Press CTRL+C to quit)", "http", "127.0.0.1", 8765)
    logger.info("Shutting down")
    logger.info("Finished server process [%d]", 1234)
    logger.removeHandler(handler)
    out = stream.getvalue()
    assert "网页服务进程已启动（进程号 1234）" in out and "正在停止" in out
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"\d{4}-\d\d-\d\d [\d:,]+", "", out)), out
