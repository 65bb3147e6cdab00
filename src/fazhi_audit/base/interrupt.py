"""Ctrl-C and SIGTERM stop a run cleanly: one line, a documented exit code.

Both signals are made to raise `Interrupted` in the main thread (SIGINT
too: typer would turn a KeyboardInterrupt into a silent exit 130), so every
`finally` on the way out runs: the runner stops its worker processes, and
output files, written whole or not at all (report/output.py), are never left
half-written. Exit codes follow the shell's convention, 128 + signal number:
130 and 143.
"""

from __future__ import annotations

import os
import signal
import threading

_NAMES = {signal.SIGINT: "Ctrl-C / SIGINT", signal.SIGTERM: "SIGTERM"}


class Interrupted(BaseException):
    """A stop signal arrived. BaseException, like KeyboardInterrupt, so no
    `except Exception` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def install() -> None:
    """Turn SIGINT and SIGTERM into `Interrupted` in this process (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        main_pid = os.getpid()

        def stop(signum, _frame):
            if os.getpid() != main_pid:  # a forked child before it set its own handler
                os._exit(128 + signum)
            raise Interrupted(signum)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)


def exit_code(signum: int) -> int:
    return 128 + signum


def message(signum: int) -> str:
    return f"已中断（{_NAMES.get(signum, f'信号 {signum}')}）：检查已停止，检查进程均已结束；结果未输出（输出文件不会只写一半）"
