"""Ctrl-C and SIGTERM stop a run cleanly: one line, a documented exit code.

Both signals are made to raise `Interrupted` in the main thread (SIGINT
too: typer would turn a KeyboardInterrupt into a silent exit 130), so every
`finally` on the way out runs: the runner stops its worker processes, and
output files, written whole or not at all (report/output.py), are never left
half-written. Exit codes follow the shell's convention, 128 + signal number:
130 and 143.

A signal can land where Python cannot raise -- in a finalizer or while a
file is being closed -- and there the exception is printed as "Exception
ignored …" and dropped. So the signal is also remembered: the last steps of
an atomic write check it before renaming (`check`), the CLI checks it before
exiting (`pending`), and a dropped Interrupted prints nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

_NAMES = {signal.SIGINT: "Ctrl-C / SIGINT", signal.SIGTERM: "SIGTERM"}


class Interrupted(BaseException):
    """A stop signal arrived. BaseException, like KeyboardInterrupt, so no
    `except Exception` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_received: int | None = None


def pending() -> int | None:
    """The stop signal received so far, if any (even one whose exception was dropped)."""
    return _received


def check() -> None:
    """Raise Interrupted if a stop signal arrived: before a step that must not follow one."""
    if _received is not None:
        raise Interrupted(_received)


def install() -> None:
    """Turn SIGINT and SIGTERM into `Interrupted` in this process (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        main_pid = os.getpid()

        def stop(signum, _frame):
            global _received
            if os.getpid() != main_pid:  # a forked child before it set its own handler
                os._exit(128 + signum)
            _received = signum
            raise Interrupted(signum)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)
        default_hook = sys.unraisablehook

        def quiet(unraisable):
            if isinstance(unraisable.exc_value, Interrupted):
                return  # remembered in _received; the run ends with its exit code, without a traceback
            default_hook(unraisable)

        sys.unraisablehook = quiet


def exit_code(signum: int) -> int:
    return 128 + signum


def message(signum: int) -> str:
    return f"已中断（{_NAMES.get(signum, f'信号 {signum}')}）：检查已停止，检查进程均已结束；结果未输出（输出文件不会只写一半）"
