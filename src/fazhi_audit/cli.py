"""Command line: a thin typer layer over the API and the formatters."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Optional

import typer

from rich.console import Console

from . import __version__
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


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="报告文件、目录或通配符；- 表示标准输入"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="输出格式：text、json、jsonl、csv、sarif、junit、github、markdown（设置了 GITHUB_ACTIONS 时默认 github，否则 text）"),
    output: Optional[list[str]] = typer.Option(None, "--output", "-o", help="PATH：将 --format 的结果写入文件；FORMAT=PATH：另写一种格式，可重复"),
    config: Optional[Path] = ConfigOpt,
    no_config: bool = NoConfigOpt,
    profile: Optional[str] = ProfileOpt,
    select: Optional[list[str]] = SelectOpt,
    ignore: Optional[list[str]] = IgnoreOpt,
    rules: Optional[Path] = RulesOpt,
    fail_under: Optional[float] = FailUnderOpt,
    jobs: Optional[int] = JobsOpt,
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：只有不在基线中的问题才判为不通过"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="发现问题也以 0 退出（无法读取的输入仍为 3）"),
    statistics: bool = typer.Option(False, "--statistics", help="输出按规则统计的问题数"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="同时列出已满足要求的证据"),
) -> None:
    """检查报告并输出差距报告。"""
    from .report.output import TEXT_FORMAT, write_output
    from .run import run

    fmt = fmt or (GITHUB_FORMAT if os.environ.get("GITHUB_ACTIONS") == "true" else TEXT_FORMAT)
    outputs = _outputs(fmt, output or [])
    flags = _flags(profile, select, ignore, rules, fail_under, jobs, baseline)
    with ProgressBar() as progress:
        outcome = run(paths, flags, config=config, isolated=no_config, exit_zero=exit_zero, on_progress=progress)
    for out_fmt, path in outputs:
        write_output(outcome, out_fmt, path, verbose)
    if statistics:
        from .report.statistics import render_statistics

        stdout_is_text = any(f == TEXT_FORMAT and p is None for f, p in outputs)
        render_statistics(outcome, Console(highlight=False, stderr=not stdout_is_text, no_color=bool(os.environ.get("NO_COLOR"))))
    _print_notes(outcome.notes)
    raise typer.Exit(int(outcome.exit_code))


def _outputs(fmt: str, values: list[str]) -> list[tuple[str, Optional[Path]]]:
    """The main format (stdout, or a plain PATH) plus every FORMAT=PATH."""
    from .report.output import format_names

    formats = format_names()
    if fmt not in formats:
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
    return [(fmt, main), *extra]


def _flags(profile, select, ignore, rules, fail_under, jobs, baseline) -> dict:
    return {
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
) -> None:
    """检查报告，把当前的全部问题写入基线文件。"""
    from .baseline import write_baseline

    from .run import run

    outcome = run(paths, _flags(profile, select, ignore, rules, None, jobs, None), config=config, isolated=no_config, with_baseline=False)
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
) -> None:
    """显示对 PATH 生效的设置及每项的来源（默认值、配置文件、按路径覆盖、命令行）。"""
    from rich.markup import escape
    from rich.table import Table

    from .config import SHOWN_KEYS, Resolver, check_against_rules
    from .run import load_rules_for

    if path != "-" and not Path(path).exists():
        raise UsageError(f"路径不存在：{path}")
    resolver = Resolver(_flags(profile, select, ignore, rules, fail_under, jobs, baseline), config, isolated=no_config)
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
    rs = _ruleset_for(rules, config)
    rule = _rule(rs, rule_id)
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


@rules_app.command("explain")
def rules_explain(rule_id: str = typer.Argument(..., help="规则 id"), rules: Optional[Path] = RulesOpt, config: Optional[Path] = ConfigOpt) -> None:
    """说明一条规则：检查什么、依据、不通过与通过的例子、如何修改。"""
    from .report.explain import explain

    rs = _ruleset_for(rules, config)
    rule = _rule(rs, rule_id)
    for line in explain(rule, rs.vocab, profile_lines=_profile_lines(rule, rs.profiles)):
        print(line)


def _rule(rs, rule_id: str):
    rule = rs.get(rule_id)
    if rule is None:
        from difflib import get_close_matches

        near = get_close_matches(rule_id, [r.id for r in rs.rules], n=1)
        hint = f"是否要找 {near[0]}？" if near else ""
        raise UsageError(f"没有规则 {rule_id!r}：{hint}运行 fazhi-audit rules list 查看全部规则 id")
    return rule


def _profile_lines(rule, profiles) -> list[str]:
    """How each kind of reporting body is held to the rule."""
    from .report.formatters._common import SEVERITY_LABEL

    lines = []
    for p in profiles.values():
        adj = p.rules.get(rule.id)
        if adj is not None and not adj.enabled:
            lines.append(f"{p.label}：不适用")
            continue
        parts = [SEVERITY_LABEL.get(adj.severity if adj and adj.severity else rule.severity, rule.severity)]
        weight = adj.weight if adj and adj.weight is not None else rule.weight
        parts.append(f"权重 {weight:g}")
        if adj and adj.deadline:
            parts.append(f"时限 {adj.deadline}")
        if adj and adj.min_found:
            parts.append(f"至少 {adj.min_found} 项")
        note = f"（{adj.note}）" if adj and adj.note else ""
        lines.append(f"{p.label}：{'，'.join(parts)}{note}")
    return lines


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
