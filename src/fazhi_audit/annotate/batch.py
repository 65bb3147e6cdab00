"""Annotated copies for the reports of a run: what `annotate` and `check --annotate DIR` write."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fazhi_audit.annotate.writer import (
    DEFAULT_AUTHOR,
    AnnotationSummary,
    annotate_path,
    default_target,
)
from fazhi_audit.model.result import ReportResult
from fazhi_audit.model.run import Run

STDIN = "-"


@dataclass
class Skipped:
    path: str
    why: str  # one Chinese line


def annotate_run(
    run: Run,
    target_for: Callable[[ReportResult], Path],
    author: str = DEFAULT_AUTHOR,
    results: list[ReportResult] | None = None,
) -> Iterator[AnnotationSummary | Skipped]:
    """Write one annotated .docx per readable report of `run` (run with Options.keep_documents);
    say why for each one left out. Each report is annotated with the rule set it was judged by."""
    for result in run.results if results is None else results:
        if result.error:
            yield Skipped(result.path, f"无法读取，未生成批注文件：{result.error}")
        elif result.path == STDIN or not Path(result.path).is_file():
            yield Skipped(result.path, "不是磁盘上的文件（如标准输入），未生成批注文件")
        else:
            ruleset = run.rulesets[result.path]
            yield annotate_path(Path(result.path), result, target_for(result), author, rules=ruleset.rules, vocab=ruleset.vocab)


def free_target(target: Path, used: set[str] = frozenset()) -> Path:
    """`target`, or <stem>-2.docx, -3 … : the first name neither on disk nor in `used`.

    A file already there was not written by this run -- it may be another
    office's report -- so it is never replaced.
    """
    stem, n, chosen = target.stem, 1, target
    while chosen.name in used or os.path.lexists(chosen):
        n += 1
        chosen = target.with_name(f"{stem}-{n}.docx")
    return chosen


def folder_targets(folder: Path) -> Callable[[ReportResult], Path]:
    """DIR/<stem>-审查意见.docx per report; a name taken (on disk or earlier in the run) gets -2, -3 …"""
    used: set[str] = set()

    def target_for(result: ReportResult) -> Path:
        target = free_target(default_target(Path(result.path), folder), used)
        used.add(target.name)
        return target

    return target_for


def written_line(summary: AnnotationSummary) -> str:
    """One line per file written, in Chinese."""
    line = f"已写入批注文件 {summary.target}：批注 {summary.comments} 条（总体意见 1 条，问题 {summary.problems} 条）"
    if summary.generated:
        line += f"；原文件 {summary.source.name} 不是 Word 文件，已根据提取的文字生成新的 .docx"
    return line
