"""Command line: a thin typer layer over the API and the formatters."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

from rich.console import Console

from . import __version__, cli_text
from .errors import FazhiAuditError, InputError, RuleFileError, UsageError
from .exit_codes import ExitCode

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="法治政府建设年度报告合规检查")
rules_app = typer.Typer(no_args_is_help=True, help="查看和测试规则")
app.add_typer(rules_app, name="rules")

GITHUB_FORMAT = "github"


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
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：只有不在基线中的问题才判为不通过"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="发现问题也以 0 退出（无法读取的输入仍为 3）"),
    statistics: bool = typer.Option(False, "--statistics", help="输出按规则统计的问题数"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="同时列出已满足要求的证据"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只列出不通过和无法读取的报告，以及汇总"),
    summary_only: bool = typer.Option(False, "--summary-only", help="只输出汇总（大批量检查时使用）"),
    annotate: Optional[Path] = typer.Option(None, "--annotate", help="DIR：另为每份报告写出带批注（审查意见）的 Word 文件 DIR/文件名-审查意见.docx"),
    annotate_author: str = typer.Option("fazhi-audit", "--annotate-author", help="--annotate 所写批注的作者名"),
) -> None:
    """检查报告并输出差距报告。"""
    from .report.output import TEXT_FORMAT, write_output
    from .run import run

    outputs = _outputs(fmt, output or [])
    flags = _flags(profile, select, ignore, rules, fail_under, jobs, baseline, trust_config=trust_config)
    flags["timeout"] = timeout
    if annotate is not None and annotate.exists() and not annotate.is_dir():
        raise UsageError(f"--annotate {annotate} 不是目录：请给出存放批注文件的目录")
    with ProgressBar() as progress:
        outcome = run(paths, flags, config=config, isolated=no_config, exit_zero=exit_zero, on_progress=progress, outputs=[p for _, p in outputs])
    for out_fmt, path in outputs:
        write_output(outcome, out_fmt, path, verbose, quiet=quiet, summary_only=summary_only)
    if statistics:
        from .report.statistics import render_statistics

        stdout_is_text = any(f == TEXT_FORMAT and p is None for f, p in outputs)
        render_statistics(outcome, Console(highlight=False, stderr=not stdout_is_text, no_color=bool(os.environ.get("NO_COLOR"))))
    if annotate is not None:
        from .annotate.batch import RulesetsByPath, folder_targets

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
    from .annotate.batch import RulesetsByPath
    from .annotate.writer import default_target
    from .run import run

    if path == "-" or Path(path).is_dir():
        raise UsageError(f"annotate 只处理一份报告文件（{path} 不是文件）：批量请用 fazhi-audit check 目录 --annotate 输出目录")
    target = output or default_target(Path(path))
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
    from .annotate.batch import Skipped, annotate_results, written_line

    for done in annotate_results(results, target_for, rulesets, author):
        if isinstance(done, Skipped):
            print(f"{done.path}：{done.why}", file=sys.stderr)
        else:
            print(written_line(done), file=stream)


def _outputs(fmt: Optional[str], values: list[str]) -> list[tuple[str, Optional[Path]]]:
    """The main format (stdout, or a plain PATH) plus every FORMAT=PATH.

    Without --format the main PATH's extension names the format (-o 结果.csv);
    a --format that contradicts a known extension is a usage error.
    """
    from .report.output import TEXT_FORMAT, check_destination, format_names, formats_for_path

    formats = format_names()
    if fmt is not None and fmt not in formats:
        raise UsageError(f"未知的输出格式 {fmt!r}：可选 {', '.join(formats)}")
    main: Optional[Path] = None
    extra: list[tuple[str, Optional[Path]]] = []
    for value in values:
        name, sep, target = value.partition("=")
        if sep and name in formats:
            if not target:
                raise UsageError(f"--output {value} 缺少文件路径：写成 FORMAT=PATH，如 sarif=fazhi-audit.sarif")
            extra.append((name, None if target == "-" else Path(target)))
        elif sep and re.fullmatch(r"[a-z]+", name):
            raise UsageError(f"--output {value}：未知的输出格式 {name!r}；可选 {', '.join(formats)}")
        elif main is not None:
            raise UsageError("--output 只能有一个不带格式的 PATH；其他格式请写成 FORMAT=PATH")
        else:
            main = Path(value)
    named = formats_for_path(main) if main is not None and str(main) != "-" else ()
    if fmt is None:
        fmt = named[0] if named else (GITHUB_FORMAT if os.environ.get("GITHUB_ACTIONS") == "true" else TEXT_FORMAT)
    elif named and fmt not in named:
        raise UsageError(f"--format {fmt} 与输出文件 {main} 的扩展名不符（该扩展名对应 {named[0]}）：去掉 --format，或改用相符的文件名")
    outputs = [(fmt, main), *extra]
    for out_fmt, path in outputs:
        check_destination(out_fmt, path)
    return outputs


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


class ProgressBar:
    """A rich progress bar on stderr, only when stderr is a terminal and files are many.

    Used as the run layer's progress callback: called with (done, total, result).
    """

    def __init__(self):
        self.bar = None
        self.task = None
        self.console = Console(stderr=True)

    def __enter__(self) -> "ProgressBar":
        return self

    def __call__(self, done: int, total: int, _result) -> None:
        if total < 2 or not self.console.is_terminal:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("check", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> bool:
        if self.bar:
            self.bar.stop()
        return False


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
    from .baseline import write_baseline

    from .run import run

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
    from rich.markup import escape
    from rich.table import Table

    from .config import SHOWN_KEYS, Resolver, check_against_rules
    from .run import load_rules_for

    if path != "-" and not Path(path).exists():
        raise UsageError(f"路径不存在：{path}")
    resolver = Resolver(_flags(profile, select, ignore, rules, fail_under, jobs, baseline, trust_config=trust_config), config, isolated=no_config)
    resolved = resolver.resolve(path)
    ruleset = load_rules_for(resolved)
    check_against_rules(resolved, [r.id for r in ruleset.rules], ruleset.profiles)
    out = Console(highlight=False)
    where = resolved.config.path if resolved.config else "未找到（使用默认值；可在报告目录或其上级放置 fazhi-audit.toml）"
    out.print(escape(f"配置文件：{where}"))
    table = Table("键", "值", "来源")
    for name in SHOWN_KEYS:
        table.add_row(name, escape(_show_value(name, resolved[name], ruleset)), escape(resolved.sources[name]))
    out.print(table)
    if resolver.excluded(path):
        out.print(escape(f"{path} 被配置 exclude 排除，不会检查"))


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
    from .run import ruleset_for_commands

    return ruleset_for_commands(rules, config, no_config)


@rules_app.command("list")
def rules_list(rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """列出全部规则（含配置 extend-rules 中的扩展规则）。"""
    from rich.table import Table

    rs = _ruleset_for(rules, config)
    table = Table("规则", "名称", "级别", "权重", "类型")
    for r in rs.rules:
        table.add_row(r.id, r.title, r.severity, f"{r.weight:g}", r.type)
    Console(highlight=False).print(table)


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="规则 id"), rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """显示一条规则的完整数据：说明、依据、检查项和全部例子。"""
    from .report.explain import show_lines

    rs = _ruleset_for(rules, config)
    for line in show_lines(_rule(rs, rule_id), rs.vocab):
        print(line)


@rules_app.command("explain")
def rules_explain(rule_id: str = typer.Argument(..., help="规则 id"), rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """说明一条规则：检查什么、依据、不通过与通过的例子、如何修改。"""
    from .report.explain import explain, profile_lines

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
    from .api import Auditor
    from .testing import run_rule_examples

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
    from . import interrupt

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
