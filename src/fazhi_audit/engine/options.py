"""What a front-end asks of a run: one typed value handed to `engine.run.run()`.

The CLI, the web page, the review desk and other programs build an `Options`;
the settings it names (profile, select, …) are the command line's layer of
the configuration: they win over config files (engine/config.py), and each
resolved value remembers that it came from the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fazhi_audit.model.result import ReportResult


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...]  # files, folders, globs; "-" is standard input
    # settings a config file may also give (None: not given here, the config or default decides)
    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    rules: Path | None = None  # another rules pack in place of the bundled one
    fail_under: float | None = None
    jobs: int | None = None
    baseline: Path | None = None
    timeout: float | None = None
    max_bytes: str | int | None = None  # 20MB, 500KB or a byte count
    previous: Path | None = None  # last year's report, or the folder to find it in
    # where settings come from
    config: Path | None = None  # this config file instead of searching for one
    isolated: bool = False  # read no config file at all
    flags_source: str | None = None  # how settings given here are named to the user (网页上的选择); None: 命令行 --选项
    trust_config: bool = False  # also honour config files inside the folders checked
    # what the run does
    with_baseline: bool = True
    exit_zero: bool = False
    keep_documents: bool = False  # keep each parsed document on its result (Word comments need them)
    outputs: tuple[Path, ...] = ()  # files the caller will write: naming an input is refused
    on_progress: Callable[[int, int, ReportResult], None] | None = field(default=None, compare=False)
    # rule sets loaded before, by rules key; a long-running server passes one dict so each pack is read once
    rule_cache: dict[Any, Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.paths, (str, Path)):
            object.__setattr__(self, "paths", (str(self.paths),))
        else:
            object.__setattr__(self, "paths", tuple(str(p) for p in self.paths))

    def flags(self) -> dict[str, Any]:
        """The command-line layer of the configuration, by config key (None: not given)."""
        return {
            "trust-config": self.trust_config or None,  # read by config.Resolver, not a setting
            "profile": self.profile,
            "select": self.select,
            "ignore": self.ignore,
            "rules": str(Path(self.rules).resolve()) if self.rules else None,
            "fail-under": self.fail_under,
            "jobs": self.jobs,
            "baseline": str(self.baseline) if self.baseline else None,
            "timeout": self.timeout,
            "max-bytes": self.max_bytes,
            "previous": str(self.previous) if self.previous else None,
        }
