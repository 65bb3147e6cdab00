"""The command line speaks Chinese: help pages, usage lines and usage errors."""

from __future__ import annotations

import pytest
from command import fazhi_audit
from rich.cells import cell_len

from fazhi_audit.cli.app import app
from fazhi_audit.cli.text import translate_help, wrap_text

ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[required]", "[default", "<list[str]>", "<bool>", "<str>", "<path>", "Missing", "No such", "Possible", "Error")


def _commands():
    import typer.main

    root = typer.main.get_command(app)
    stack = [((), root)]
    while stack:
        path, cmd = stack.pop()
        yield path
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            stack.append(((*path, name), sub))


@pytest.mark.parametrize("path", list(_commands()), ids=lambda p: " ".join(p) or "fazhi-audit")
def test_every_help_page_is_chinese_whole_and_fits_80_columns(path):
    proc = fazhi_audit(*path, "--help", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("用法：")
    for word in ENGLISH:
        assert word not in out, (word, out)
    assert "…" not in out  # nothing cut off
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_no_arguments_shows_usage_and_a_reason():
    proc = fazhi_audit()
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("用法：") and lines[1].startswith("用法错误：没有给出子命令（可用：") and "check" in lines[1]


@pytest.mark.parametrize(
    "args, reason",
    [
        (["check"], "缺少参数"),
        (["check", "x.txt", "--bogus"], "没有选项 --bogus"),
        (["check", "x.txt", "--jobs", "abc"], "--jobs 的取值无效：应为整数"),
        (["check", "x.txt", "--format"], "选项 --format 需要一个取值"),
        (["nosuch"], "没有命令 'nosuch'"),
    ],
)
def test_usage_errors_are_one_chinese_reason(args, reason):
    proc = fazhi_audit(*args)
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("用法错误：") and reason in last, proc.stderr
    assert "Traceback" not in proc.stderr


def test_translation_and_wrapping_units():
    assert translate_help("Usage: x [OPTIONS] {paths}...\n\nOptions:\n  --jobs <int range>  n  [x>=0]\n  --help  Show this message and exit.") == "用法：x [选项] paths...\n\n选项：\n  --jobs 整数  n  [≥0]\n  --help  显示本帮助并退出。"
    wrapped = wrap_text("报告主体类型：auto（按名称识别）、generic、township、county、department", width=30)
    assert all(cell_len(line) <= 30 for line in wrapped.splitlines())
    assert "".join(wrapped.split()) == "报告主体类型：auto（按名称识别）、generic、township、county、department".replace(" ", "")
    assert "town\nship" not in wrapped  # an English word is never split


@pytest.mark.parametrize("command", [["rules", "list"], ["config", "show"]])
def test_listings_are_readable_at_80_columns(command):
    proc = fazhi_audit(*command, env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "…" not in proc.stdout
    for word in ("error", "warning", " info "):
        assert word not in proc.stdout
    if command[0] == "rules":
        from fazhi_audit.engine.run import load_rules

        for rule in load_rules().rules:  # every id whole, on one line
            assert any(rule.id in line.split() for line in lines), rule.id
