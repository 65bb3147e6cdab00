"""Command line: a thin typer layer over the API and the formatters."""

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


def _selectors(values: Optional[list[str]]) -> Optional[tuple[str, ...]]:
    """--select a,b --select c -> (a, b, c); None when the flag was not given."""
    if values is None:
        return None
    return tuple(v.strip() for raw in values for v in raw.split(",") if v.strip())


# Options shared by `check` and `baseline create`: where settings come from.
ConfigOpt = typer.Option(None, "--config", help="使用此配置文件（不再向上查找 fazhi-audit.toml / pyproject.toml）")
NoConfigOpt = typer.Option(False, "--no-config", help="忽略所有配置文件，只用默认值和命令行参数")
ProfileOpt = typer.Option(None, "--profile", help="报告主体类型：auto（按名称识别）、generic、township、county、department")
SelectOpt = typer.Option(None, "--select", help="只运行这些规则 id 或前缀，逗号分隔，可重复")
IgnoreOpt = typer.Option(None, "--ignore", help="不运行这些规则 id 或前缀，逗号分隔，可重复")
RulesOpt = typer.Option(None, "--rules", help="使用其他规则目录（替换内置规则包）")
FailUnderOpt = typer.Option(None, "--fail-under", min=0, max=100, help="得分低于此值判为不通过（默认 0）")
JobsOpt = typer.Option(None, "--jobs", "-j", min=0, help="并行进程数（默认 CPU 核数；文件少时串行）")
TrustOpt = typer.Option(False, "--trust-config", help="也采用被检查目录中的配置文件（默认只读当前目录及其上级的配置或 --config）")


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="报告文件、目录或通配符；- 表示标准输入"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="输出格式：text、json、jsonl、csv、sarif、junit、github、markdown、html、xlsx（不给时按 --output 的扩展名；否则设置了 GITHUB_ACTIONS 时为 github，其余为 text）"),
    output: Optional[list[str]] = typer.Option(None, "--output", "-o", help="PATH：写入文件，格式取 --format 或扩展名（.csv .xlsx .html .json .jsonl .sarif .xml .md .txt）；FORMAT=PATH：另写一种格式，可重复"),
    config: Optional[Path] = ConfigOpt,
    no_config: bool = NoConfigOpt,
    profile: Optional[str] = ProfileOpt,
    select: Optional[list[str]] = SelectOpt,
    ignore: Optional[list[str]] = IgnoreOpt,
    rules: Optional[Path] = RulesOpt,
    fail_under: Optional[float] = FailUnderOpt,
    jobs: Optional[int] = JobsOpt,
    trust_config: bool = TrustOpt,
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, help="每份报告的检查时限（秒，默认 60；0 表示不限）：超时的文件记为错误行，其余照常检查"),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", help="单个文件的大小上限（默认 20MB；可写 50MB、500KB 或字节数）：超过上限的文件记为错误行，其余照常检查"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：只有不在基线中的问题才判为不通过"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上一年度报告：一个文件（只检查一份报告时），或其所在目录（按单位名称和年度查找同一单位上一年度的报告），用于检查照搬上年报告（quality.carry-over）"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="发现问题也以 0 退出（无法读取的输入仍为 3）"),
    statistics: bool = typer.Option(False, "--statistics", help="输出按规则统计的问题数"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="同时列出已满足要求的证据"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只列出不通过和无法读取的报告，以及汇总"),
    summary_only: bool = typer.Option(False, "--summary-only", help="只输出汇总（大批量检查时使用）"),
    annotate: Optional[Path] = typer.Option(None, "--annotate", help="DIR：另为每份报告写出带批注（审查意见）的 Word 文件 DIR/文件名-审查意见.docx"),
    annotate_author: str = typer.Option("fazhi-audit", "--annotate-author", help="--annotate 所写批注的作者名"),
) -> None:
    """检查报告并输出差距报告。"""
    from fazhi_audit.engine.run import run
    from fazhi_audit.render.output import TEXT_FORMAT, write_output

    outputs = _outputs(fmt, output or [])
    flags = _flags(profile, select, ignore, rules, fail_under, jobs, baseline, trust_config=trust_config)
    flags["timeout"] = timeout
    flags["max-bytes"] = max_bytes
    flags["previous"] = str(previous) if previous else None
    if annotate is not None and annotate.exists() and not annotate.is_dir():
        raise UsageError(f"--annotate {annotate} 不是目录：请给出存放批注文件的目录")
    from fazhi_audit.render.progress import ProgressBar

    with ProgressBar() as progress:
        outcome = run(paths, flags, config=config, isolated=no_config, exit_zero=exit_zero, on_progress=progress, outputs=[p for _, p in outputs])
    for out_fmt, path in outputs:
        write_output(outcome, out_fmt, path, verbose, quiet=quiet, summary_only=summary_only)
    if statistics:
        from fazhi_audit.render.statistics import render_statistics

        stdout_is_text = any(f == TEXT_FORMAT and p is None for f, p in outputs)
        render_statistics(outcome, Console(highlight=False, stderr=not stdout_is_text, no_color=bool(os.environ.get("NO_COLOR"))))
    if annotate is not None:
        from fazhi_audit.annotate.batch import RulesetsByPath, folder_targets

        machine_stdout = any(f != TEXT_FORMAT and p is None for f, p in outputs)  # keep JSON/SARIF on stdout clean
        rulesets = RulesetsByPath(flags, config, no_config)
        _annotate(outcome.results, folder_targets(annotate), rulesets, annotate_author, sys.stderr if machine_stdout else sys.stdout)
    _print_notes(outcome.notes)
    raise typer.Exit(int(outcome.exit_code))


@app.command()
def annotate(
    path: str = typer.Argument(..., help="一份报告：.docx 写出带批注的副本；.txt/.pdf/.html 生成新的 .docx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入的 Word 文件（默认：报告旁的“文件名-审查意见.docx”）"),
    author: str = typer.Option("fazhi-audit", "--author", help="批注的作者名"),
    config: Optional[Path] = ConfigOpt,
    no_config: bool = NoConfigOpt,
    profile: Optional[str] = ProfileOpt,
    select: Optional[list[str]] = SelectOpt,
    ignore: Optional[list[str]] = IgnoreOpt,
    rules: Optional[Path] = RulesOpt,
    fail_under: Optional[float] = FailUnderOpt,
    trust_config: bool = TrustOpt,
) -> None:
    """检查一份报告，在 Word 文件中每个问题处加批注（审查意见）；原文件不改动。"""
    from fazhi_audit.annotate.batch import RulesetsByPath, free_target
    from fazhi_audit.annotate.writer import default_target
    from fazhi_audit.engine.run import run

    if path == "-" or Path(path).is_dir():
        raise UsageError(f"annotate 只处理一份报告文件（{path} 不是文件）：批量请用 fazhi-audit check 目录 --annotate 输出目录")
    target = output or free_target(default_target(Path(path)))  # never over a file this run did not write
    if target.suffix.lower() != ".docx":
        raise UsageError(f"输出文件 {target} 须以 .docx 结尾")
    flags = _flags(profile, select, ignore, rules, fail_under, None, None, trust_config=trust_config)
    outcome = run([path], flags, config=config, isolated=no_config, outputs=[target])
    if len(outcome.results) > 1:  # a wildcard that named several files
        raise UsageError(f"annotate 只处理一份报告文件（{path} 对应 {len(outcome.results)} 个文件）：批量请用 fazhi-audit check … --annotate 输出目录")
    for result in outcome.unreadable:
        print(f"错误：{result.path}：{result.error}", file=sys.stderr)
    _annotate(outcome.readable, lambda _result: target, RulesetsByPath(flags, config, no_config), author, sys.stdout)
    _print_notes(outcome.notes)
    raise typer.Exit(int(outcome.exit_code))


def _annotate(results, target_for, rulesets, author: str, stream) -> None:
    """Write the annotated .docx files, one line each (to `stream`); why a file was left out goes to stderr."""
    from fazhi_audit.annotate.batch import Skipped, annotate_results, written_line

    for done in annotate_results(results, target_for, rulesets, author):
        if isinstance(done, Skipped):
            print(f"{done.path}：{done.why}", file=sys.stderr)
        else:
            print(written_line(done), file=stream)


def _outputs(fmt: Optional[str], values: list[str]) -> list[tuple[str, Optional[Path]]]:
    from fazhi_audit.render.output import plan_outputs

    return plan_outputs(fmt, values, github_actions=os.environ.get("GITHUB_ACTIONS") == "true")


def _flags(profile, select, ignore, rules, fail_under, jobs, baseline, *, trust_config: bool = False) -> dict:
    return {
        "trust-config": trust_config or None,  # read by config.Resolver, not a setting
        "profile": profile,
        "select": _selectors(select),
        "ignore": _selectors(ignore),
        "rules": str(rules.resolve()) if rules else None,
        "fail-under": fail_under,
        "jobs": jobs,
        "baseline": str(baseline) if baseline else None,
    }


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        print(note, file=sys.stderr)


@app.command()
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
    )
    run_server(settings, open_browser)


baseline_app = typer.Typer(no_args_is_help=True, help="基线：记录现有问题，之后只对新问题判不通过")
app.add_typer(baseline_app, name="baseline")
config_app = typer.Typer(no_args_is_help=True, help="查看配置")
app.add_typer(config_app, name="config")


@baseline_app.command("create")
def baseline_create(
    paths: list[str] = typer.Argument(..., help="报告文件、目录或通配符"),
    output: Path = typer.Option(Path("fazhi-audit-baseline.json"), "--output", "-o", help="基线文件路径"),
    config: Optional[Path] = ConfigOpt,
    no_config: bool = NoConfigOpt,
    profile: Optional[str] = ProfileOpt,
    select: Optional[list[str]] = SelectOpt,
    ignore: Optional[list[str]] = IgnoreOpt,
    rules: Optional[Path] = RulesOpt,
    jobs: Optional[int] = JobsOpt,
    trust_config: bool = TrustOpt,
) -> None:
    """检查报告，把当前的全部问题写入基线文件。"""
    from fazhi_audit.engine.baseline import write_baseline
    from fazhi_audit.engine.run import run

    outcome = run(paths, _flags(profile, select, ignore, rules, None, jobs, None, trust_config=trust_config), config=config, isolated=no_config, with_baseline=False)
    count = write_baseline(outcome.results, output)
    print(f"已写入基线 {output}：{len(outcome.readable)} 份报告，{count} 条问题")
    _print_notes(outcome.notes)
    for r in outcome.unreadable:
        print(f"无法读取，未写入基线：{r.path}：{r.error}", file=sys.stderr)
    raise typer.Exit(int(ExitCode.UNREADABLE if outcome.unreadable else ExitCode.OK))


@config_app.command("show")
def config_show(
    path: str = typer.Argument(".", help="对哪个文件或目录解析配置（默认当前目录）"),
    config: Optional[Path] = ConfigOpt,
    no_config: bool = NoConfigOpt,
    profile: Optional[str] = ProfileOpt,
    select: Optional[list[str]] = SelectOpt,
    ignore: Optional[list[str]] = IgnoreOpt,
    rules: Optional[Path] = RulesOpt,
    fail_under: Optional[float] = FailUnderOpt,
    jobs: Optional[int] = JobsOpt,
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件"),
    trust_config: bool = TrustOpt,
) -> None:
    """显示对 PATH 生效的设置及每项的来源（默认值、配置文件、按路径覆盖、命令行）。"""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from fazhi_audit.engine.config import SHOWN_KEYS, Resolver, check_against_rules
    from fazhi_audit.engine.run import load_rules_for

    if path != "-" and not Path(path).exists():
        raise UsageError(f"路径不存在：{path}")
    resolver = Resolver(_flags(profile, select, ignore, rules, fail_under, jobs, baseline, trust_config=trust_config), config, isolated=no_config)
    resolved = resolver.resolve(path)
    ruleset = load_rules_for(resolved)
    check_against_rules(resolved, [r.id for r in ruleset.rules], ruleset.profiles)
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


def _ruleset_for(rules: Optional[Path], config: Optional[Path] = None, no_config: bool = False):
    from fazhi_audit.engine.run import ruleset_for_commands

    return ruleset_for_commands(rules, config, no_config)


@rules_app.command("list")
def rules_list(rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """列出全部规则（含配置 extend-rules 中的扩展规则）。"""
    from fazhi_audit.render.explain import rules_table

    Console(highlight=False).print(rules_table(_ruleset_for(rules, config).rules))


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="规则 id"), rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """显示一条规则的完整数据：说明、依据、检查项和全部例子。"""
    from fazhi_audit.render.explain import show_lines

    rs = _ruleset_for(rules, config)
    for line in show_lines(_rule(rs, rule_id), rs.vocab):
        print(line)


@rules_app.command("explain")
def rules_explain(rule_id: str = typer.Argument(..., help="规则 id"), rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """说明一条规则：检查什么、依据、不通过与通过的例子、如何修改。"""
    from fazhi_audit.render.explain import explain, profile_lines

    rs = _ruleset_for(rules, config)
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
def rules_test(rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """运行每条规则自带的例子；有失败的例子时退出码为 1。"""
    from fazhi_audit.engine.audit import Auditor
    from fazhi_audit.engine.rule_examples import run_rule_examples

    auditor = Auditor(ruleset=_ruleset_for(rules, config))
    failures = 0
    total = 0
    for outcome in run_rule_examples(auditor):
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
