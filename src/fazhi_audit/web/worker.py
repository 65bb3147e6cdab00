"""The audit processes behind the page: the model loads once per process, before any upload.

Each worker process (pebble, started with "spawn" so that no thread or
socket of the web server is copied into it) loads the rules and the
segmentation model in its initializer, audits a small warm-up report, and
then says so on a queue; the server answers /healthz with 200 once every
worker has. An upload is one task: `run()` on its temporary folder, exactly
as `fazhi-audit check --no-config 文件…` run in that folder (so the JSON is
the command's JSON, and a fazhi-audit.toml among the uploads is never read),
then the JSON and the HTML report, and for several files the Excel
workbook. An annotated Word file is made in a worker too, when it is first
asked for: run() on the stored upload again, keeping its parsed document, and
the comments written from that Run (the worker neither reads nor loads
anything itself).

A task that passes its time limit, or whose process dies, is answered with
an error line; pebble replaces the process, and the server keeps serving.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

READY = "ready"
PROGRESS = "progress"
_WARM_TEXT = """某县人民政府2024年法治政府建设年度报告
一、2024年推进法治政府建设的主要举措和成效
严格落实重大行政决策程序，履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。
二、存在的不足和原因
主要原因是学习不够深入。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人亲自部署、亲自过问、亲自协调、亲自督办。
四、2025年推进法治政府建设的主要安排
继续推进依法行政。
"""

TIMEOUT_MESSAGE = "检查超时：上传的文件可能过大或结构异常，请减少一次上传的文件数后重试"
DIED_MESSAGE = "检查进程意外退出（可能内存不足）：请稍后重试，或减少一次上传的文件数"


@dataclass
class Row:
    """One line of the result page per file."""

    name: str
    title: str | None
    body: str | None
    score: float | None
    passed: bool
    reasons: list[str]
    error: str | None
    problems: int  # findings not passed


@dataclass
class Outcome:
    json: str  # what `check --format json` prints
    html: str  # what `check --format html` writes
    xlsx: bytes | None  # what `check --format xlsx` writes, for two files or more
    rows: list[Row]
    notes: list[str]
    exit_code: int

    @property
    def size(self) -> int:
        return 3 * (len(self.json) + len(self.html)) + len(self.xlsx or b"")


class UploadFailed(Exception):
    """The upload as a whole could not be audited (a usage error of the run); one Chinese line."""


# ---------------------------------------------------------------- inside a worker process

_rule_cache: dict = {}
_queue = None


def init_worker(queue) -> None:
    global _queue
    from fazhi_audit.base.processes import die_with_parent

    die_with_parent()
    _queue = queue
    with tempfile.TemporaryDirectory(prefix="fazhi-audit-warm-") as folder:
        Path(folder, "warm.txt").write_text(_WARM_TEXT, encoding="utf-8")
        audit_folder("", folder, ["warm.txt"], {})
    queue.put((READY, os.getpid(), None))


WEB_CHOICE = "网页上的选择"  # not "命令行 --profile": the clerk never saw a command line


def _options(names: list[str], flags: dict, **more):
    """As `fazhi-audit check --no-config 文件…` would run; one process per upload, so its reports one after another."""
    from fazhi_audit.engine.options import Options

    return Options(tuple(names), jobs=1, isolated=True, with_baseline=False, rule_cache=_rule_cache, flags_source=WEB_CHOICE, **flags, **more)


def audit_folder(job_id: str, folder: str, names: list[str], flags: dict) -> Outcome:
    """Audit the uploaded files `names` in `folder`, as the command would from inside that folder."""
    from fazhi_audit.base.errors import FazhiAuditError
    from fazhi_audit.engine.run import run
    from fazhi_audit.render.formatters import BINARY_FORMATTERS, FORMATTERS

    def progress(done: int, _total: int, _result) -> None:
        if job_id and _queue is not None:
            _queue.put((PROGRESS, job_id, done))

    here = os.getcwd()
    os.chdir(folder)  # relative names: the report shows 报告.docx, never the temporary path
    try:
        outcome = run(_options(names, flags, on_progress=progress))
    except FazhiAuditError as exc:
        raise UploadFailed(str(exc)) from None
    finally:
        os.chdir(here)
    rows = [
        Row(r.path, r.title, r.body, r.score if not r.error else None, r.passed and not r.error, list(r.reasons), r.error, sum(1 for f in r.findings if f.status != "pass"))
        for r in outcome.results
    ]
    return Outcome(
        json=FORMATTERS["json"](outcome),
        html=FORMATTERS["html"](outcome),
        xlsx=BINARY_FORMATTERS["xlsx"](outcome) if len(outcome.results) > 1 else None,
        rows=rows,
        notes=list(outcome.notes),
        exit_code=int(outcome.exit_code),
    )


def desk_audit(folder: str, entries: list, previous: bool, flags: dict, html: bool = False) -> list:
    """The review desk's audit of a prepared folder (desk/services/reaudit.py), with this process's rule cache."""
    from fazhi_audit.desk.services.audits import audit_folder

    return audit_folder(folder, entries, previous, {"jobs": 1, **flags}, rule_cache=_rule_cache, html=html)


def annotate(name: str, data: bytes, flags: dict, previous: tuple[str, bytes] | None = None) -> bytes:
    """The annotated copy of the uploaded Word file `name` (its bytes are `data`): run() on it again,
    keeping the parsed document, so that the comments are placed exactly where the audit read the text."""
    from fazhi_audit.annotate.batch import Skipped, annotate_run
    from fazhi_audit.base.errors import FazhiAuditError
    from fazhi_audit.engine.run import run

    with tempfile.TemporaryDirectory(prefix="fazhi-audit-web-") as folder:
        here = os.getcwd()
        os.chdir(folder)  # the result names the upload, never the temporary path
        try:
            Path(name).write_bytes(data)
            if previous is not None:  # last year's report, at the path the flags name
                Path(previous[0]).parent.mkdir(exist_ok=True)
                Path(previous[0]).write_bytes(previous[1])
            target = Path(folder, "annotated.docx")
            outcome = run(_options([name], flags, keep_documents=True, outputs=(target,)))
            done = next(annotate_run(outcome, lambda _result: target), None)
        except FazhiAuditError as exc:
            raise UploadFailed(f"未能生成批注稿：{exc}") from None
        finally:
            os.chdir(here)
        if done is None or isinstance(done, Skipped):
            raise UploadFailed(f"未能生成批注稿：{done.why if done else '文件未检查'}")
        return target.read_bytes()


def run_task(memory_ceiling: int | None, function, *args):
    """`function(*args)`; afterwards a process that grew past `memory_ceiling` is replaced (engine/retire.py)."""
    from fazhi_audit.engine.retire import retire_if_grown

    try:
        return function(*args)
    finally:
        retire_if_grown(memory_ceiling)


# ---------------------------------------------------------------- in the server


class AuditPool:
    """The worker processes, their readiness and the progress they report."""

    def __init__(self, workers: int, on_progress: Callable[[str, int], None], memory_ceiling: int | None = None):
        self.workers = workers
        self.memory_ceiling = memory_ceiling
        self.on_progress = on_progress
        context = multiprocessing.get_context("spawn")
        self.queue = context.SimpleQueue()
        self.ready: set[int] = set()
        self.healthy = False  # latched once every first worker is warm
        self.pool = ProcessPool(max_workers=workers, initializer=init_worker, initargs=(self.queue,), context=context)
        self.listener = threading.Thread(target=self._listen, name="fazhi-audit-progress", daemon=True)
        self.listener.start()

    def start(self) -> None:
        """Start the processes now (pebble starts them with its first task)."""
        self.pool.schedule(os.getpid)

    def _listen(self) -> None:
        while True:
            message = self.queue.get()
            if message is None:
                return
            kind, key, value = message
            if kind == READY:
                self.ready.add(key)
                if len(self.ready) >= self.workers:
                    self.healthy = True
            elif kind == PROGRESS:
                self.on_progress(key, value)

    async def call(self, function, *args, timeout: float | None = None):
        """Run `function(*args)` in a worker; UploadFailed with one Chinese line if it could not finish."""
        future = self.pool.schedule(run_task, args=(self.memory_ceiling, function, *args), timeout=timeout)
        try:
            return await asyncio.wrap_future(future)
        except (FutureTimeout, TimeoutError):
            raise UploadFailed(TIMEOUT_MESSAGE) from None
        except ProcessExpired:
            raise UploadFailed(DIED_MESSAGE) from None
        except asyncio.CancelledError:
            future.cancel()  # the client went away: stop the work (pebble stops the process)
            raise

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)
        self.queue.put(None)
        self.listener.join(timeout=5)


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
