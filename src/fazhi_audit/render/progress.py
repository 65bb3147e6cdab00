"""The command line's progress bar: the run layer's progress callback, drawn with rich."""

from __future__ import annotations

from rich.console import Console


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
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("check", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> bool:
        if self.bar:
            self.bar.stop()
        return False
