"""Command line: a thin typer layer over the API and the formatters."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from rich.console import Console

from . import __version__
from .errors import FazhiAuditError, InputError, RuleFileError, UsageError
from .exit_codes import ExitCode
from .report.model import ReportResult

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="法治政府建设年度报告合规检查")
rules_app = typer.Typer(no_args_is_help=True, help="查看和测试规则")
app.add_typer(rules_app, name="rules")

TEXT_FORMAT = "text"


def _version(value: bool) -> None:
    if value:
        print(f"fazhi-audit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号")) -> None:
    """法治政府建设年度报告合规检查。"""


def _formats() -> list[str]:
    from .report.formatters import FORMATTERS

    return [TEXT_FORMAT, *FORMATTERS]


def exit_code_for(results: list[ReportResult]) -> ExitCode:
    if any(r.error for r in results):
        return ExitCode.UNREADABLE
    if any(not r.passed for r in results):
        return ExitCode.FAILED
    return ExitCode.OK


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="报告文件、目录或通配符；- 表示标准输入"),
    fmt: str = typer.Option(TEXT_FORMAT, "--format", "-f", help="输出格式：text、json、jsonl、csv、sarif、junit、github、markdown"),
    rules: Optional[Path] = typer.Option(None, "--rules", help="使用其他规则目录"),
    fail_under: float = typer.Option(0, "--fail-under", min=0, max=100, help="得分低于此值判为不通过"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="将结果写入文件而非标准输出"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数（默认 CPU 核数；文件少时串行）"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="同时列出已满足要求的证据"),
) -> None:
    """检查报告并输出差距报告。"""
    from .api import Auditor
    from .discovery import discover
    from .runner import audit_all, default_jobs

    formats = _formats()
    if fmt not in formats:
        raise UsageError(f"未知的输出格式 {fmt!r}：可选 {', '.join(formats)}")
    inputs = discover(paths)
    if not inputs.files:
        raise UsageError("没有找到可检查的报告文件（支持 .txt/.md/.docx/.pdf/.html）")
    rules_dir = str(rules) if rules else None
    # Validate rules before any work so a bad rule file fails fast with exit 2.
    ruleset = _load(rules)

    def make_auditor():
        return Auditor(fail_under=fail_under, ruleset=ruleset)
    with _progress(len(inputs.files)) as advance:
        results = audit_all(inputs.files, make_auditor, rules_dir, fail_under, jobs or default_jobs(), on_result=advance)
    _emit(results, ruleset.rules, fmt, output, verbose)
    if inputs.skipped:
        print(f"已跳过 {inputs.skipped} 个非报告文件（扩展名不受支持）", file=sys.stderr)
    raise typer.Exit(int(exit_code_for(results)))


class _progress:
    """A progress bar on stderr, only when stderr is a terminal and files are many."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        console = Console(stderr=True)
        if self.total < 2 or not console.is_terminal:
            return lambda _result: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn

        class RateColumn(ProgressColumn):
            def render(self, task):
                return f"{task.speed:.1f} 份/秒" if task.speed else "—"

        self.bar = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn(), console=console, transient=True)
        self.bar.start()
        task = self.bar.add_task("check", total=self.total)
        return lambda _result: self.bar.advance(task)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
        return False


def _emit(results, rules, fmt: str, output: Path | None, verbose: bool) -> None:
    if fmt == TEXT_FORMAT:
        from .report.terminal import TerminalRenderer

        if output:
            with open(output, "w", encoding="utf-8") as fh:
                renderer = TerminalRenderer(Console(file=fh, no_color=True, width=100, highlight=False), verbose)
                for r in results:
                    renderer.render(r)
                renderer.render_summary(results)
            return
        renderer = TerminalRenderer(Console(highlight=False, no_color=bool(os.environ.get("NO_COLOR"))), verbose)
        for r in results:
            renderer.render(r)
        renderer.render_summary(results)
        return
    from .report.formatters import FORMATTERS

    text = FORMATTERS[fmt](results, rules, __version__)
    if output:
        # Excel only detects UTF-8 in a CSV file by its BOM.
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _load(rules: Optional[Path]):
    from .api import default_rules_dir
    from .rules.loader import load_ruleset

    return load_ruleset(rules or default_rules_dir())


@rules_app.command("list")
def rules_list(rules: Optional[Path] = typer.Option(None, "--rules", help="规则目录")) -> None:
    """列出全部规则。"""
    from rich.table import Table

    rs = _load(rules)
    table = Table("规则", "名称", "级别", "权重", "类型")
    for r in rs.rules:
        table.add_row(r.id, r.title, r.severity, f"{r.weight:g}", r.type)
    Console(highlight=False).print(table)


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="规则 id"), rules: Optional[Path] = typer.Option(None, "--rules", help="规则目录")) -> None:
    """显示一条规则的说明、依据、检查项和例子。"""
    rs = _load(rules)
    rule = rs.get(rule_id)
    if rule is None:
        raise UsageError(f"没有规则 {rule_id!r}：运行 fazhi-audit rules list 查看全部规则 id")
    out = Console(highlight=False)
    out.print(f"[bold]{rule.id}[/bold]  {rule.title}")
    out.print(f"级别：{rule.severity}    权重：{rule.weight:g}    类型：{rule.type}    文件：{rule.path}")
    if rule.description:
        out.print(f"说明：{rule.description}")
    out.print(f"依据：{rule.basis_text}")
    if rule.scope:
        out.print(f"证据范围：{'、'.join(rs.vocab.label(k) for k in rule.scope)}")
    for item in rule.items:
        extra = f"；须与“{'/'.join(rule.context)}”同句：{'、'.join(item.weak)}" if item.weak else ""
        neg = f"；不计：{'、'.join(item.negatives)}" if item.negatives else ""
        out.print(f"  · {item.name}：{'、'.join(item.phrases)}{extra}{neg}")
    out.print(f"修改建议：{rule.fix}")
    for ex in rule.examples:
        expect = ex.status or ("应找到 " + "、".join(ex.found) if ex.found else "") + (" 不应找到 " + "、".join(ex.not_found) if ex.not_found else "")
        out.print(f"  例（{expect.strip()}）：{ex.text.strip()[:120]}")


@rules_app.command("test")
def rules_test(rules: Optional[Path] = typer.Option(None, "--rules", help="规则目录")) -> None:
    """运行每条规则自带的例子；有失败的例子时退出码为 1。"""
    from .api import Auditor
    from .testing import run_rule_examples

    auditor = Auditor(rules)
    failures = 0
    total = 0
    for outcome in run_rule_examples(auditor):
        total += 1
        if not outcome.ok:
            failures += 1
            print(f"✗ {outcome.rule} 例子（第{outcome.line}行）：{outcome.problem}")
    print(f"{total - failures} passed, {failures} failed")
    raise typer.Exit(1 if failures else 0)


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except (UsageError, RuleFileError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        code = ExitCode.USAGE
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        code = ExitCode.UNREADABLE
    except FazhiAuditError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        code = ExitCode.USAGE
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # noqa: BLE001 - never show a traceback to a user
        code = _click_exit(exc)
    sys.exit(int(code or 0))


def _click_exit(exc: Exception) -> int:
    """typer vendors click, so match its exceptions by shape, not by class."""
    if hasattr(exc, "format_message"):  # UsageError, BadParameter, NoSuchOption …
        print(f"用法错误：{exc.format_message()}（运行 fazhi-audit --help 查看用法）", file=sys.stderr)
        return ExitCode.USAGE
    if hasattr(exc, "exit_code"):  # typer.Exit
        return exc.exit_code
    if type(exc).__name__ == "Abort":
        print("已中止", file=sys.stderr)
        return ExitCode.USAGE
    print(f"内部错误：{type(exc).__name__}: {exc}（请将命令和输入文件反馈给开发者）", file=sys.stderr)
    return ExitCode.USAGE
