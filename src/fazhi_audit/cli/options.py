"""Command-line options that several commands take, each declared once.

A command lists the shared options it takes with `@shared(...)`; they are
added to its signature (so typer shows them in --help) and handed to the
command as one `Shared` value, which becomes part of the `Options` given to
`engine.run.run()`.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Optional

import typer

# name -> (type, typer option): the one declaration of each shared option
DECLARED: dict[str, tuple[Any, Any]] = {
    "config": (Optional[Path], typer.Option(None, "--config", metavar="文件", help="使用此配置文件（不再向上查找 fazhi-audit.toml / pyproject.toml）")),
    "no_config": (bool, typer.Option(False, "--no-config", help="忽略所有配置文件，只用默认值和命令行参数")),
    "profile": (Optional[str], typer.Option(None, "--profile", metavar="类型", help="报告主体类型：auto（按名称识别）、generic、township、county、department")),
    "select": (Optional[list[str]], typer.Option(None, "--select", metavar="规则", help="只运行这些规则 id 或前缀，逗号分隔，可重复")),
    "ignore": (Optional[list[str]], typer.Option(None, "--ignore", metavar="规则", help="不运行这些规则 id 或前缀，逗号分隔，可重复")),
    "rules": (Optional[Path], typer.Option(None, "--rules", metavar="目录", help="使用其他规则目录（替换内置规则包）")),
    "fail_under": (Optional[float], typer.Option(None, "--fail-under", min=0, max=100, metavar="分数", help="得分低于此值判为不通过（默认 0）")),
    "jobs": (Optional[int], typer.Option(None, "--jobs", "-j", min=0, metavar="进程数", help="并行进程数（默认 CPU 核数；文件少时串行）")),
    "trust_config": (bool, typer.Option(False, "--trust-config", help="也采用被检查目录中的配置文件（默认只读当前目录及其上级的配置或 --config）")),
    "baseline": (Optional[Path], typer.Option(None, "--baseline", metavar="文件", help="基线文件：只有不在基线中的问题才判为不通过")),
    "store": (Optional[str], typer.Option(None, "--store", metavar="审查库", help="审查库：文件路径或 sqlite:///路径（本机 SQLite），或 postgresql://用户@主机/库名（共用的服务器）")),
    "round": (Optional[str], typer.Option(None, "--round", metavar="轮次", help="与 --store 同用：记入哪个审查轮次，给年度（如 2025，没有时自动创建）或已有轮次的完整标题")),
}
# options that choose where results are kept, not how reports are judged: not part of engine Options
STORE_OPTIONS = ("store", "round")
RULE_OPTIONS = ("config", "no_config", "profile", "select", "ignore", "rules", "fail_under", "trust_config")


@dataclass(frozen=True)
class Shared:
    """The shared options one command was given (None / False: not given)."""

    config: Path | None = None
    no_config: bool = False
    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    rules: Path | None = None
    fail_under: float | None = None
    jobs: int | None = None
    trust_config: bool = False
    baseline: Path | None = None
    store: str | None = None
    round: str | None = None

    def options(self, paths, **more):
        """The `Options` for a run of `paths` with these settings and `more` (command-specific values)."""
        from fazhi_audit.engine.options import Options

        given = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("no_config", *STORE_OPTIONS)}
        return Options(tuple(paths), isolated=self.no_config, **given, **more)


def selectors(values: list[str] | None) -> tuple[str, ...] | None:
    """--select a,b --select c -> (a, b, c); None when the flag was not given."""
    if values is None:
        return None
    return tuple(v.strip() for raw in values for v in raw.split(",") if v.strip())


def shared(*names: str):
    """Add the shared options `names` to a command; it receives them as `shared: Shared`."""
    unknown = set(names) - set(DECLARED)
    if unknown:
        raise ValueError(f"undeclared shared options: {sorted(unknown)}")

    def decorate(command):
        signature = inspect.signature(command)
        own = [p for p in signature.parameters.values() if p.name != "shared"]
        added = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=DECLARED[n][1], annotation=DECLARED[n][0]) for n in names]

        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            values = {n: kwargs.pop(n) for n in names}
            for key in ("select", "ignore"):
                if key in values:
                    values[key] = selectors(values[key])
            return command(*args, shared=Shared(**values), **kwargs)

        wrapper.__signature__ = signature.replace(parameters=own + added)
        wrapper.__annotations__ = {**{k: v for k, v in command.__annotations__.items() if k != "shared"}, **{n: DECLARED[n][0] for n in names}}
        return wrapper

    return decorate
