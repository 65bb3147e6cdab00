"""A batch that no file can stop, and a clean stop (issues 14 and 11).

Each scenario runs the real CLI on a batch the test builds (sample reports
plus one pathological report, see batch_build.py) and asserts the exit code,
a one-line message, bounded time and memory, and that the other files of the
batch are still reported.

The worker-death scenario kills a worker from outside with SIGKILL, exactly
what the OOM killer does: no test hook inside the program decides which file
dies. The worker to kill is found from /proc: the one child that keeps using
CPU while the others sit idle is the one auditing the slow report.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from batch_build import alive, cli_env, good_reports, run_cli, slow_report
from test_exit_codes import SIGNAL_ROWS, _readme_rows

from fazhi_audit.base import interrupt
from fazhi_audit.engine.pool import DIED_MESSAGE, timeout_message
from fazhi_audit.text.nlp import FIRST_RUN_MESSAGE

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches the process tree through /proc"),
    pytest.mark.slow,  # real processes killed, interrupted and raced: many of them
]

# The CLI plus two workers, each holding the ~370 MB segmentation model
# (resident sizes summed, so pages shared after fork count twice).
MEMORY_MB = 2000


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    good = good_reports(folder, 4)
    slow_report(folder / "slow.txt")
    return folder, [p.name for p in good]


def _reports(stdout: str) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in json.loads(stdout)["reports"]}


def _others_reported(reports: dict, good: list[str]) -> None:
    for name in good:
        assert "error" not in reports[name], reports[name]
        assert 0 <= reports[name]["score"] <= 100 and reports[name]["findings"]


def _bounded(out, seconds: float) -> None:
    assert out.seconds < seconds, out.seconds
    assert 0 < out.peak_mb < MEMORY_MB, out.peak_mb
    assert "Traceback" not in out.stderr


def test_pool_timeout_is_an_error_row_and_the_rest_is_audited(batch):
    folder, good = batch
    out = run_cli([str(folder), "--jobs", "2", "--timeout", "3", "--format", "json"], cwd=folder.parent)
    assert out.code == 3, out.stderr
    reports = _reports(out.stdout)
    assert reports["slow.txt"]["error"] == timeout_message(3)
    _others_reported(reports, good)
    _bounded(out, 90)


def test_serial_timeout_is_an_error_row_too(batch):
    folder, good = batch
    # two files: audited in the main process, limited by SIGALRM
    out = run_cli(["slow.txt", good[0], "--timeout", "2", "--format", "json"], cwd=folder)
    assert out.code == 3, out.stderr
    reports = _reports(out.stdout)
    assert reports["slow.txt"]["error"] == timeout_message(2)
    assert "\n" not in reports["slow.txt"]["error"]
    _others_reported(reports, good[:1])
    assert not out.seen  # serial: no worker processes
    _bounded(out, 60)


def test_killed_worker_loses_only_its_file(batch):
    folder, good = batch
    killed: list[int] = []

    def kill_the_busy_worker(tree):
        pid = tree.lone_busy_worker()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            tree.done = True

    out = run_cli([str(folder), "--jobs", "2", "--timeout", "0", "--format", "json"], cwd=folder.parent, on_tick=kill_the_busy_worker)
    assert killed, "never saw one worker busy alone (is the slow report still slow?)"
    assert out.code == 3, out.stderr
    reports = _reports(out.stdout)
    assert reports["slow.txt"]["error"] == DIED_MESSAGE
    _others_reported(reports, good)
    _bounded(out, 90)  # auditing slow.txt to the end alone takes ~40 s


def test_worker_killed_while_starting_loses_nothing(tmp_path):
    """Killed before it took any file (e.g. while loading the model): the pool is rebuilt
    and every file is still audited."""
    good = [p.name for p in good_reports(tmp_path, 5)]
    killed: list[int] = []

    def kill_a_starting_worker(tree):
        workers = tree.workers()
        if len(workers) == 2:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])
            tree.done = True

    out = run_cli([*good, "--jobs", "2", "--format", "json"], cwd=tmp_path, on_tick=kill_a_starting_worker)
    assert killed
    assert out.code in (0, 1), out.stderr
    _others_reported(_reports(out.stdout), good)
    _bounded(out, 90)


@pytest.mark.parametrize("row", list(SIGNAL_ROWS))
def test_signal_stops_the_batch(batch, row):
    """Ctrl-C reaches the whole process group (as in a terminal); SIGTERM only the CLI."""
    folder, _good = batch
    signum = getattr(signal, SIGNAL_ROWS[row])
    target = folder.parent / "out.json"
    sent: dict = {}

    def interrupt_when_working(tree):
        workers = tree.workers()
        if len(workers) == 2 and tree.elapsed > 4:  # started, model loaded or loading
            sent["workers"], sent["at"] = workers, tree.elapsed
            if signum == signal.SIGINT:
                os.killpg(tree.proc.pid, signum)
            else:
                os.kill(tree.proc.pid, signum)
            tree.done = True

    out = run_cli([str(folder), "--jobs", "2", "--format", "json", "--output", str(target)], cwd=folder.parent, on_tick=interrupt_when_working, new_session=True)
    assert sent, "the batch ended before it could be interrupted"
    assert out.code == _readme_rows()[row] == interrupt.exit_code(signum)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("已中断"), out.stderr
    assert out.seconds - sent["at"] < 10  # stops promptly, not after slow.txt (~40 s)
    assert not [pid for pid in out.seen if alive(pid)]  # no worker left behind
    assert not target.exists()  # never half a file: interrupted before writing
    assert not list(folder.parent.glob(".out.json.*"))
    _bounded(out, 60)


def test_two_first_runs_at_once_both_get_the_model(tmp_path):
    """On an empty cache one run prepares the model and the other waits for it."""
    report = good_reports(tmp_path, 1)[0]
    env = cli_env(FAZHI_AUDIT_CACHE=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "fazhi_audit", "check", str(report), "--format", "json", "--jobs", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes[0] == codes[1] and codes[0] in (0, 1), outs
    for stdout, stderr in outs:
        assert "逐字切分" not in stderr and "逐字切分" not in stdout
        assert "Traceback" not in stderr
    assert outs[0][0] == outs[1][0]  # identical JSON
    assert sum(FIRST_RUN_MESSAGE in stderr for _, stderr in outs) == 1  # prepared once
