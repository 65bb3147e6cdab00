"""Command line: a thin typer layer over engine.run() and the formatters."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from fazhi_audit import __version__
from fazhi_audit.base.errors import (
    FazhiAuditError,
    InputError,
    RuleFileError,
    UsageError,
)
from fazhi_audit.base.exit_codes import ExitCode
from fazhi_audit.cli import text as cli_text
from fazhi_audit.cli.options import RULE_OPTIONS, Shared, shared
from fazhi_audit.render.output import format_names

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="法治政府建设年度报告合规检查")
rules_app = typer.Typer(no_args_is_help=True, help="查看和测试规则")
app.add_typer(rules_app, name="rules")



def _version(value: bool) -> None:
    if value:
        print(f"fazhi-audit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号")) -> None:
    """法治政府建设年度报告合规检查。"""


@app.command()
@shared(*RULE_OPTIONS, "jobs", "baseline", "store", "round")
def check(
    paths: list[str] = typer.Argument(..., metavar="报告", help="报告文件、目录或通配符；- 表示标准输入"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="格式", help=f"输出格式：{'、'.join(format_names())}（不给时按 --output 的扩展名；否则设置了 GITHUB_ACTIONS 时为 github，其余为 text）"),
    output: Optional[list[str]] = typer.Option(None, "--output", "-o", metavar="文件", help="写入文件，格式取 --format 或扩展名（.csv .xlsx .html .json .jsonl .sarif .xml .md .txt）；写成“格式=文件”（如 sarif=结果.sarif）另写一种格式，可重复"),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, metavar="秒数", help="每份报告的检查时限（秒，默认 60；0 表示不限）：超时的文件记为错误行，其余照常检查"),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", metavar="大小", help="单个文件的大小上限（默认 20MB；可写 50MB、500KB 或字节数）：超过上限的文件记为错误行，其余照常检查"),
    previous: Optional[Path] = typer.Option(None, "--previous", metavar="路径", help="上一年度报告：一个文件（只检查一份报告时），或其所在目录（按单位名称和年度查找同一单位上一年度的报告），用于检查照搬上年报告（quality.carry-over）和上年安排的落实情况（quality.follow-through）"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="发现问题也以 0 退出（无法读取的输入仍为 3）"),
    statistics: bool = typer.Option(False, "--statistics", help="输出按规则统计的问题数"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="同时列出已满足要求的证据"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只列出不通过和无法读取的报告，以及汇总"),
    summary_only: bool = typer.Option(False, "--summary-only", help="只输出汇总（大批量检查时使用）"),
    annotate: Optional[Path] = typer.Option(None, "--annotate", metavar="目录", help="另为每份报告写出带批注（审查意见）的 Word 文件：目录/文件名-审查意见.docx"),
    annotate_author: str = typer.Option("fazhi-audit", "--annotate-author", help="--annotate 所写批注的作者名"),
    shared: Shared = None,
) -> None:
    """检查报告并输出差距报告。"""
    from fazhi_audit.engine.run import run
    from fazhi_audit.render.output import TEXT_FORMAT, write_output, written_output_line

    outputs = _outputs(fmt, output or [])
    if annotate is not None and annotate.exists() and not annotate.is_dir():
        raise UsageError(f"--annotate {annotate} 不是目录：请给出存放批注文件的目录")
    desk = _desk_round(shared, paths)  # a bad store or round fails before the long part
    from fazhi_audit.render.progress import ProgressBar

    with ProgressBar() as progress:
        options = shared.options(
            paths, timeout=timeout, max_bytes=max_bytes, previous=previous, exit_zero=exit_zero,
            keep_documents=annotate is not None, on_progress=progress, outputs=tuple(p for _, p in outputs if p is not None),
        )
        outcome = run(options)
    machine_stdout = any(f != TEXT_FORMAT and _to_stdout(p) for f, p in outputs)  # keep JSON/SARIF on stdout clean
    for out_fmt, path in outputs:
        write_output(outcome, out_fmt, path, verbose, quiet=quiet, summary_only=summary_only)
        if not _to_stdout(path):
            print(written_output_line(outcome, out_fmt, path), file=sys.stderr if machine_stdout else sys.stdout)
    if statistics:
        from fazhi_audit.render.statistics import render_statistics

        stdout_is_text = any(f == TEXT_FORMAT and p is None for f, p in outputs)
        render_statistics(outcome, Console(highlight=False, stderr=not stdout_is_text, no_color=bool(os.environ.get("NO_COLOR"))))
    if annotate is not None:
        from fazhi_audit.annotate.batch import folder_targets

        _annotate(outcome, folder_targets(annotate), annotate_author, sys.stderr if machine_stdout else sys.stdout)
    _print_notes(outcome.notes)
    if desk is not None:
        _record(desk, outcome)
    raise typer.Exit(int(outcome.exit_code))


def _desk_round(shared: Shared, paths: list[str]):
    """(store, round id) for `check --store … --round …`, or None without --store."""
    if shared.store is None:
        if shared.round is not None:
            raise UsageError("--round 须与 --store 同用：请给出审查库，如 --store review.db --round 2025")
        return None
    if shared.round is None:
        raise UsageError("--store 须与 --round 同用：请给出审查轮次，如 --round 2025")
    if "-" in paths:
        raise UsageError("--store 不接受标准输入（-）：审查库要保存原文件，请给出报告文件或目录")
    from fazhi_audit.desk.services.rounds import find_round
    from fazhi_audit.desk.store import open_store

    store = open_store(shared.store)
    return store, find_round(store, shared.round)


def _record(desk, outcome) -> None:
    from fazhi_audit.desk.services.submissions import record_run

    from sqlalchemy.exc import SQLAlchemyError

    store, round_id = desk
    try:
        added, notes = record_run(store, round_id, outcome)
    except SQLAlchemyError as exc:  # the server went away, the disk filled up …: the audit's own output stands
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).strip().splitlines()[0]
        raise UsageError(f"未能记入审查库 {store.label}：{reason}（检查结果已照常输出；请排除后重新运行）") from None
    finally:
        store.close()
    _print_notes(notes)
    print(f"已记入审查库 {store.label}（轮次 {round_id}）：{len(added)} 份报告", file=sys.stderr)


@app.command()
@shared(*RULE_OPTIONS)
def annotate(
    path: str = typer.Argument(..., metavar="报告", help="一份报告：.docx 写出带批注的副本；.txt/.pdf/.html 生成新的 .docx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入的 Word 文件（默认：报告旁的“文件名-审查意见.docx”）"),
    author: str = typer.Option("fazhi-audit", "--author", metavar="作者", help="批注的作者名"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上一年度报告文件或其所在目录：批注中另写照搬上年报告、上年安排落实情况的审查意见"),
    shared: Shared = None,
) -> None:
    """检查一份报告，在 Word 文件中每个问题处加批注（审查意见）；原文件不改动。"""
    from fazhi_audit.annotate.batch import free_target
    from fazhi_audit.annotate.writer import default_target
    from fazhi_audit.engine.run import run

    if path == "-" or Path(path).is_dir():
        raise UsageError(f"annotate 只处理一份报告文件（{path} 不是文件）：批量请用 fazhi-audit check 目录 --annotate 输出目录")
    target = output or free_target(default_target(Path(path)))  # never over a file this run did not write
    if target.suffix.lower() != ".docx":
        raise UsageError(f"输出文件 {target} 须以 .docx 结尾")
    outcome = run(shared.options([path], outputs=(target,), keep_documents=True, previous=previous))
    if len(outcome.results) > 1:  # a wildcard that named several files
        raise UsageError(f"annotate 只处理一份报告文件（{path} 对应 {len(outcome.results)} 个文件）：批量请用 fazhi-audit check … --annotate 输出目录")
    for result in outcome.unreadable:
        print(f"错误：{result.path}：{result.error}", file=sys.stderr)
    _annotate(outcome, lambda _result: target, author, sys.stdout, results=outcome.readable)
    _print_notes(outcome.notes)
    raise typer.Exit(int(outcome.exit_code))


def _annotate(outcome, target_for, author: str, stream, results=None) -> None:
    """Write the annotated .docx files, one line each (to `stream`); why a file was left out goes to stderr."""
    from fazhi_audit.annotate.batch import Skipped, annotate_run, written_line

    for done in annotate_run(outcome, target_for, author, results):
        if isinstance(done, Skipped):
            print(f"{done.path}：{done.why}", file=sys.stderr)
        else:
            print(written_line(done), file=stream)


def _outputs(fmt: Optional[str], values: list[str]) -> list[tuple[str, Optional[Path]]]:
    from fazhi_audit.render.output import plan_outputs

    return plan_outputs(fmt, values, github_actions=os.environ.get("GITHUB_ACTIONS") == "true")


def _to_stdout(path: Optional[Path]) -> bool:
    return path is None or str(path) == "-"


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        print(note, file=sys.stderr)


@app.command()
@shared("store")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址：默认只有本机能打开；0.0.0.0 对局域网开放（会打印警告）"),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="端口"),
    open_browser: bool = typer.Option(False, "--open", help="启动后用默认浏览器打开页面"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64, help="检查进程数（默认 2，不超过 CPU 核数；每个约占 400 MB 内存）"),
    max_file_mb: float = typer.Option(20, "--max-file-mb", min=0.1, help="每个上传文件的大小上限（MB）"),
    max_files: int = typer.Option(100, "--max-files", min=1, help="一次最多上传的文件数"),
    max_total_mb: float = typer.Option(200, "--max-total-mb", min=0.1, help="一次上传的总大小上限（MB）"),
    keep_minutes: float = typer.Option(30, "--keep-minutes", min=1, help="检查结果在内存中保存的时间（分钟），之后自动清除"),
    timeout: float = typer.Option(60, "--timeout", min=0, help="每份报告的检查时限（秒；0 表示不限）"),
    shared: Shared = None,
) -> None:
    """启动网页版：在浏览器中上传报告（或粘贴全文）检查，下载差距报告、Excel 和带批注的 Word 稿。

    \b
    本机自查（默认只监听 127.0.0.1，别的计算机打不开）：
      fazhi-audit serve --open
    单位内网的检查机，供各乡镇提交前自查：
      fazhi-audit serve --host 0.0.0.0 --port 8765
    Linux 上用 systemd 服务常驻，Windows 上用命令行或计划任务启动，
    示例见 README“网页版”一节。单位有反向代理（nginx 等）时保持
    --host 127.0.0.1，由代理对外提供 HTTPS 和登录。

    \b
    上传的文件检查后即删除；结果只在内存中保存 --keep-minutes 分钟，
    只有上传者的浏览器能打开。程序调用：POST /api/check（multipart
    字段 files，可多个；可选 profile）返回与 --format json 相同的 JSON；
    GET /healthz 在分词模型加载完成后返回 200。

    \b
    审查台（--store 审查库）：在 /desk 保存各轮次的报告、排名、复核意见、
    单位历年情况，导出 Excel 和通报草稿；见 README“审查台”一节。
    """
    from fazhi_audit.web.server import serve as run_server
    from fazhi_audit.web.settings import ServeSettings, default_workers

    settings = ServeSettings(
        host=host,
        port=port,
        workers=workers or default_workers(),
        max_file_mb=max_file_mb,
        max_files=max_files,
        max_total_mb=max(max_total_mb, max_file_mb),
        ttl_minutes=keep_minutes,
        timeout=timeout,
        store=shared.store,
    )
    run_server(settings, open_browser)


users_app = typer.Typer(no_args_is_help=True, help="审查台的审查人员账号")
app.add_typer(users_app, name="users")


@users_app.command("add")
@shared("store")
def users_add(
    name: str = typer.Argument(..., metavar="用户名", help="审查人员的登录名"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码（第一行），供脚本使用；不给时交互输入两次"),
    shared: Shared = None,
) -> None:
    """添加审查台的审查人员（密码以 argon2 散列保存）。有了用户后，审查台的每个页面和接口都须登录。"""
    from fazhi_audit.desk.services.users import add_user
    from fazhi_audit.desk.store import open_store

    if shared.store is None:
        raise UsageError("请用 --store 给出审查库，如 fazhi-audit users add 张三 --store review.db --password-stdin")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass("密码：")
        if getpass.getpass("再输入一次：") != password:
            raise UsageError("两次输入的密码不一致：请重新运行")
    store = open_store(shared.store)
    try:
        add_user(store, name, password)
    finally:
        store.close()
    print(f"已添加用户 {name}（审查库 {store.label}）")


baseline_app = typer.Typer(no_args_is_help=True, help="基线：记录现有问题，之后只对新问题判不通过")
app.add_typer(baseline_app, name="baseline")
config_app = typer.Typer(no_args_is_help=True, help="查看配置")
app.add_typer(config_app, name="config")


@baseline_app.command("create")
@shared(*[n for n in RULE_OPTIONS if n != "fail_under"], "jobs")
def baseline_create(
    paths: list[str] = typer.Argument(..., metavar="路径", help="报告文件、目录或通配符"),
    output: Path = typer.Option(Path("fazhi-audit-baseline.json"), "--output", "-o", metavar="文件", help="基线文件路径"),
    shared: Shared = None,
) -> None:
    """检查报告，把当前的全部问题写入基线文件。"""
    from fazhi_audit.engine.baseline import write_baseline
    from fazhi_audit.engine.run import run

    outcome = run(shared.options(paths, with_baseline=False))
    count = write_baseline(outcome.results, output)
    print(f"已写入基线 {output}：{len(outcome.readable)} 份报告，{count} 条问题")
    _print_notes(outcome.notes)
    for r in outcome.unreadable:
        print(f"无法读取，未写入基线：{r.path}：{r.error}", file=sys.stderr)
    raise typer.Exit(int(ExitCode.UNREADABLE if outcome.unreadable else ExitCode.OK))


@config_app.command("show")
@shared(*RULE_OPTIONS, "jobs", "baseline")
def config_show(
    path: str = typer.Argument(".", metavar="路径", help="对哪个文件或目录解析配置（默认当前目录）"),
    shared: Shared = None,
) -> None:
    """显示对该路径生效的设置及每项的来源（默认值、配置文件、按路径覆盖、命令行）。"""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from fazhi_audit.engine.config import SHOWN_KEYS
    from fazhi_audit.engine.run import settings_for

    if path != "-" and not Path(path).exists():
        raise UsageError(f"路径不存在：{path}")
    shown = settings_for(shared.options([path]), path)
    resolved, ruleset, resolver = shown.resolved, shown.ruleset, shown.resolver
    out = Console(highlight=False)
    where = resolved.config.path if resolved.config else "未找到（使用默认值；可在当前目录或其上级放置 fazhi-audit.toml，或用 --config 指定）"
    out.print(escape(f"配置文件：{where}"))
    table = Table("键", "值", "来源", box=box.SIMPLE_HEAD, pad_edge=False)
    table.columns[0].no_wrap = True
    for name in SHOWN_KEYS:
        table.add_row(name, escape(_show_value(name, resolved[name], ruleset)), escape(resolved.sources[name]))
    out.print(table)
    if resolver.excluded(path):
        out.print(escape(f"{path} 被配置 exclude 排除，不会检查"))
    for note in getattr(resolver, "notes", []):
        out.print(escape(note))


def _show_value(key: str, value, ruleset) -> str:
    if key == "profile":
        labels = {"auto": "按报告主体名称自动识别", "generic": "通用"} | {n: p.label for n, p in ruleset.profiles.items()}
        return f"{value}（{labels.get(value, '?')}）"
    if key == "rules":
        return value or f"内置（{ruleset.directory}）"
    if key == "jobs":
        return str(value) if value else "0（CPU 核数）"
    if key == "severity":
        return "、".join(f"{k}={v}" for k, v in value) or "—"
    if isinstance(value, (tuple, list)):
        return "、".join(value) or "—"
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _ruleset_for(shared: Shared):
    from fazhi_audit.engine.run import settings_for

    return settings_for(shared.options(["."]), ".", validate=False).ruleset


@rules_app.command("list")
@shared("rules", "config")
def rules_list(shared: Shared = None) -> None:
    """列出全部规则（含配置 extend-rules 中的扩展规则）。"""
    from fazhi_audit.render.explain import rules_table

    Console(highlight=False).print(rules_table(_ruleset_for(shared).rules))


@rules_app.command("show")
@shared("rules", "config")
def rules_show(rule_id: str = typer.Argument(..., metavar="规则id", help="规则 id"), shared: Shared = None) -> None:
    """显示一条规则的完整数据：说明、依据、检查项和全部例子。"""
    from fazhi_audit.render.explain import show_lines

    rs = _ruleset_for(shared)
    for line in show_lines(_rule(rs, rule_id), rs.vocab):
        print(line)


@rules_app.command("explain")
@shared("rules", "config")
def rules_explain(rule_id: str = typer.Argument(..., metavar="规则id", help="规则 id"), shared: Shared = None) -> None:
    """说明一条规则：检查什么、依据、不通过与通过的例子、如何修改。"""
    from fazhi_audit.render.explain import explain, profile_lines

    rs = _ruleset_for(shared)
    rule = _rule(rs, rule_id)
    for line in explain(rule, rs.vocab, profile_lines=profile_lines(rule, rs.profiles, rs.vocab)):
        print(line)


def _rule(rs, rule_id: str):
    rule = rs.get(rule_id)
    if rule is None:
        from difflib import get_close_matches

        near = get_close_matches(rule_id, [r.id for r in rs.rules], n=1)
        hint = f"是否要找 {near[0]}？" if near else ""
        raise UsageError(f"没有规则 {rule_id!r}：{hint}运行 fazhi-audit rules list 查看全部规则 id")
    return rule


@rules_app.command("test")
@shared("rules", "config")
def rules_test(shared: Shared = None) -> None:
    """运行每条规则自带的例子；有失败的例子时退出码为 1。"""
    from fazhi_audit.engine.rule_examples import test_ruleset

    failures = 0
    total = 0
    for outcome in test_ruleset(_ruleset_for(shared)):
        total += 1
        if not outcome.ok:
            failures += 1
            print(f"✗ {outcome.rule} 例子{outcome.label}：{outcome.problem}")
    print(f"{total - failures} passed, {failures} failed")
    raise typer.Exit(1 if failures else 0)


def main() -> None:
    from fazhi_audit.base import interrupt

    interrupt.install()  # Ctrl-C and SIGTERM unwind, so that worker processes are stopped
    cli_text.install()  # help pages, usage lines and usage errors in Chinese
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
    except (KeyboardInterrupt, interrupt.Interrupted) as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(interrupt.message(signum), file=sys.stderr)
        code = interrupt.exit_code(signum)
    except Exception as exc:  # noqa: BLE001 - never show a traceback to a user
        code = _click_exit(exc)
    signum = interrupt.pending()
    if signum is not None and code != interrupt.exit_code(signum):
        # its exception was dropped (raised in a finalizer or while a file closed): the run still stops so
        print(interrupt.message(signum), file=sys.stderr)
        code = interrupt.exit_code(signum)
    sys.exit(int(code or 0))


def _click_exit(exc: Exception) -> int:
    """typer vendors click, so match its exceptions by shape, not by class."""
    if hasattr(exc, "format_message"):  # UsageError, BadParameter, NoSuchOption …
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "fazhi-audit"
        if ctx is not None and type(exc).__name__ == "NoArgsIsHelpError":
            print(ctx.get_usage(), file=sys.stderr)  # nothing was asked: show what can be
        print(f"用法错误：{cli_text.usage_error(exc)}（运行 {command} --help 查看用法）", file=sys.stderr)
        return ExitCode.USAGE
    if hasattr(exc, "exit_code"):  # typer.Exit
        return exc.exit_code
    if type(exc).__name__ == "Abort":
        print("已中止", file=sys.stderr)
        return ExitCode.USAGE
    print(f"内部错误：{type(exc).__name__}: {exc}（请将命令和输入文件反馈给开发者）", file=sys.stderr)
    return ExitCode.USAGE
