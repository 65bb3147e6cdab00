"""Run the `fazhi-audit` command in a test: the one helper every test uses.

    done = fazhi_audit("check", "good.txt", cwd=tmp_path)
    assert done.returncode == 1 and "不通过" in done.stdout

By default the command runs in this process: `cli.app.main()` with the
arguments in sys.argv, stdin/stdout/stderr and the environment swapped by
typer's CliRunner isolation, the working directory changed for the call.
That is the code path of a real run (exit code from sys.exit, messages on
stderr) without starting Python and loading the language model again, which
made ~70 subprocess calls the bulk of the suite's time.

`timeout` holds in both modes (here an alarm signal ends a call that hangs).
`process=True` starts `python -m fazhi_audit` instead. Use it only where a
separate process is what is tested: exit codes seen by a shell, signals,
a fresh interpreter (model loading and its warnings), memory or time limits.

The environment of either mode is this one without GITHUB_ACTIONS and
NO_COLOR (which change the output format and style), with COLUMNS=80 unless
given; `env` overrides on top of that, a None value removes a variable.
Every call asserts that the command did not crash (a traceback, or in this
process the "内部错误" line main() prints instead): no test expects a crash.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

BASE_ENV: dict[str, str | None] = {"GITHUB_ACTIONS": None, "NO_COLOR": None, "COLUMNS": "80"}


@dataclass
class Done:
    """What a run of the command left: exit code and both streams (bytes kept for binary output)."""

    returncode: int
    stdout_bytes: bytes
    stderr_bytes: bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8")  # strict: output must be valid UTF-8

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8")

    def __iter__(self):
        """code, out, err = fazhi_audit(...)"""
        return iter((self.returncode, self.stdout, self.stderr))


def fazhi_audit(
    *args: str | os.PathLike,
    cwd: str | os.PathLike | None = None,
    env: dict[str, str | None] | None = None,
    stdin: str | bytes | None = None,
    process: bool = False,
    prefix: tuple[str, ...] = (),
    timeout: float = 600,
) -> Done:
    """`prefix` (with process=True): a program that starts the command, such as setpriv."""
    argv = [os.fspath(a) for a in args]
    overrides = BASE_ENV | (env or {})
    assert process or not prefix, "a prefix needs process=True"
    run = _in_subprocess([*prefix, sys.executable, "-m", "fazhi_audit", *argv], cwd, overrides, stdin, timeout) if process else _in_process(argv, cwd, overrides, stdin, timeout)
    err = run.stderr_bytes.decode("utf-8", "replace")
    assert "Traceback" not in err and "内部错误" not in err, err
    return run


def _in_subprocess(cmd: list[str], cwd, overrides: dict, stdin, timeout: float) -> Done:
    full = {k: v for k, v in (dict(os.environ) | overrides).items() if v is not None}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=full,
        input=data,
        stdin=None if data is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    return Done(proc.returncode, proc.stdout, proc.stderr)


class TimedOut(BaseException):
    """Raised by the alarm in this process: a BaseException, so main()'s
    `except Exception` does not turn it into an ordinary exit code."""


def _in_process(argv: list[str], cwd, overrides: dict, stdin, timeout: float) -> Done:
    from fazhi_audit.cli.app import main

    runner = CliRunner()
    with _deadline(timeout, argv), _as_the_command(argv, cwd), runner.isolation(input=stdin, env=overrides) as (out, err, _):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return Done(code, out.getvalue(), err.getvalue())


@contextmanager
def _deadline(seconds: float, argv: list[str]):
    """Fail a call that hangs (a FIFO opened, a loop that never ends) after
    `seconds`, as a subprocess's timeout would, instead of hanging the suite.
    SIGALRM interrupts even a blocking open(); forked workers do not inherit it."""

    def expire(_signum, _frame):
        raise TimedOut(f"fazhi-audit {' '.join(argv)}: no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _as_the_command(argv: list[str], cwd):
    """sys.argv, working directory and signal handlers as a `fazhi-audit` process
    has them, restored afterwards. __main__ is swapped too: click names the
    program in usage lines after it (here pytest's), the installed script is
    `fazhi-audit`."""
    saved_argv, saved_cwd, saved_main = sys.argv, os.getcwd(), sys.modules["__main__"]
    saved_signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    sys.argv = ["fazhi-audit", *argv]
    sys.modules["__main__"] = types.ModuleType("__main__")  # no __package__: the program is argv[0]
    try:
        if cwd is not None:
            os.chdir(Path(cwd))
        yield
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        sys.modules["__main__"] = saved_main
        for signum, handler in saved_signals.items():
            signal.signal(signum, handler)


__all__ = ["Done", "TimedOut", "fazhi_audit"]
