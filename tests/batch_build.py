"""Batches with a pathological member, and a CLI runner that watches the process tree.

The slow report is an input a tool must survive, not a special case: tens of
thousands of short top-level headings that each carry near-miss phrases
(专家论正, 合法性审察). Every line is a heading to number-check and a sentence
to fuzzy-match, so one such file keeps a worker busy for tens of seconds
(about 40 s for 30,000 lines on the development machine) while it stays
small on disk (~1.3 MB) and in memory.

`run_cli` starts `python -m fazhi_audit check …`, samples the resident memory
of the CLI and all its descendants every 0.1 s (Linux /proc), and lets a test
act on the running tree (send a signal, kill a worker) through `on_tick`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import ROOT, SEEDS

NUMERALS = "一二三四五六七八九十"
SLOW_LINES = 30000


def slow_report(path: Path, lines: int = SLOW_LINES) -> Path:
    body = "\n".join(f"{NUMERALS[i % 10]}、专家论正和合法性审察工作" for i in range(lines))
    path.write_text("某县2024年度法治政府建设工作报告\n" + body + "\n", encoding="utf-8")
    return path


def good_reports(folder: Path, count: int = 4) -> list[Path]:
    """Copies of the sample reports (each audits in well under a second)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    out = []
    for n in range(count):
        target = folder / f"good{n}.txt"
        shutil.copy(seeds[n % len(seeds)], target)
        out.append(target)
    return out


# --- the process tree, from /proc (Linux) -------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields after "pid (comm)"; [0] is the state


def children(pid: int) -> list[int]:
    """Live (non-zombie) direct children of pid."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry))
    return out


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found.extend(kids)
        todo.extend(kids)
    return found


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def cpu_ticks(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0  # utime + stime


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- running the CLI ------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # largest sum of resident memory over the CLI and its descendants
    seen: set[int] = field(default_factory=set)  # every descendant pid observed


class Tree:
    """What `on_tick` sees: the running CLI and helpers to act on it."""

    def __init__(self, proc: subprocess.Popen, started: float):
        self.proc = proc
        self.started = started
        self.done = False  # set by on_tick when it has acted
        self._ticks: dict[int, list[int]] = {}

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def workers(self) -> list[int]:
        return children(self.proc.pid)

    def sample(self) -> None:
        for pid in self.workers():
            self._ticks.setdefault(pid, []).append(cpu_ticks(pid))

    def lone_busy_worker(self, window: int = 10) -> int | None:
        """The only worker that used CPU in each of the last `window` samples while
        every other worker was idle (and there is at least one other)."""
        workers = self.workers()
        if len(workers) < 2:
            return None
        busy = []
        for pid in workers:
            ticks = self._ticks.get(pid, [])
            if len(ticks) <= window:
                return None
            steps = [b - a for a, b in zip(ticks[-window - 1 :], ticks[-window:])]
            if all(s > 0 for s in steps[-window // 2 :]) and sum(steps) >= window:
                busy.append(pid)
            elif sum(steps) > 1:
                return None  # another worker is not idle
        return busy[0] if len(busy) == 1 else None


def run_cli(
    args: list[str],
    cwd: Path,
    on_tick: Callable[[Tree], None] | None = None,
    env: dict | None = None,
    limit: float = 300,
    new_session: bool = False,
) -> Outcome:
    """Run `fazhi-audit check ARGS`; new_session puts it in its own process group,
    as a shell does, so a test can send Ctrl-C's SIGINT to the whole group."""
    cmd = [sys.executable, "-m", "fazhi_audit", "check", *args]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env or cli_env(), start_new_session=new_session)
    tree = Tree(proc, started)
    peak, seen = 0.0, set()
    try:
        out_chunks: list[str] = []
        err_chunks: list[str] = []
        readers = [
            threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),
            threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),
        ]
        for r in readers:
            r.start()
        while proc.poll() is None:
            if tree.elapsed > limit:
                raise AssertionError(f"the CLI ran longer than {limit} s")
            kids = descendants(proc.pid)
            seen.update(kids)
            peak = max(peak, rss_mb(proc.pid) + sum(rss_mb(k) for k in kids))
            tree.sample()
            if on_tick and not tree.done:
                on_tick(tree)
            time.sleep(0.1)
        for r in readers:
            r.join(10)
    finally:
        if proc.poll() is None:
            for pid in descendants(proc.pid):
                _kill(pid)
            proc.kill()
            proc.wait()
    return Outcome(proc.returncode, "".join(out_chunks), "".join(err_chunks), time.monotonic() - started, peak, seen)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def cli_env(**extra: str) -> dict:
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    env.update(extra)
    return env


__all__ = ["ROOT", "Outcome", "Tree", "alive", "children", "cli_env", "good_reports", "run_cli", "slow_report"]
