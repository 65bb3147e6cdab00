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
asked for, from the file's result (rule sets are not sent between processes:
each worker has its own).

A task that passes its time limit, or whose process dies, is answered with
an error line; pebble replaces the process, and the server keeps serving.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
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
    results: dict[str, bytes] = field(default_factory=dict)  # pickled ReportResult of each readable Word input, by name

    @property
    def size(self) -> int:
        return 3 * (len(self.json) + len(self.html)) + len(self.xlsx or b"") + sum(map(len, self.results.values()))


class UploadFailed(Exception):
    """The upload as a whole could not be audited (a usage error of the run); one Chinese line."""


# ---------------------------------------------------------------- inside a worker process

_rule_cache: dict = {}
_queue = None


def init_worker(queue) -> None:
    global _queue
    from fazhi_audit.engine.pool import _die_with_parent

    _die_with_parent()
    _queue = queue
    with tempfile.TemporaryDirectory(prefix="fazhi-audit-warm-") as folder:
        Path(folder, "warm.txt").write_text(_WARM_TEXT, encoding="utf-8")
        audit_folder("", folder, ["warm.txt"], {})
    queue.put((READY, os.getpid(), None))


def _flags(flags: dict) -> dict:
    # One process per upload: reports of one upload are audited one after another in it.
    return {"jobs": 1, **flags}


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
        outcome = run(names, _flags(flags), isolated=True, with_baseline=False, on_progress=progress, rule_cache=_rule_cache)
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
        results={r.path: pickle.dumps(r) for r in outcome.results if not r.error and r.path.lower().endswith(".docx")},
    )


def annotate(result_blob: bytes, name: str, data: bytes, flags: dict) -> bytes:
    """The annotated copy of the uploaded Word file `name` (its bytes are `data`; its pickled result `result_blob`)."""
    from fazhi_audit.annotate import annotate_docx
    from fazhi_audit.base.errors import FazhiAuditError
    from fazhi_audit.engine.config import Resolver
    from fazhi_audit.engine.run import load_rules_for

    result = pickle.loads(result_blob)
    resolved = Resolver(_flags(flags), None, isolated=True).resolve(name)
    if resolved.rules_key not in _rule_cache:
        _rule_cache[resolved.rules_key] = load_rules_for(resolved)
    ruleset = _rule_cache[resolved.rules_key]
    with tempfile.TemporaryDirectory(prefix="fazhi-audit-web-") as folder:
        source, target = Path(folder, "source.docx"), Path(folder, "annotated.docx")
        source.write_bytes(data)
        try:
            annotate_docx(source, result, target, rules=ruleset.rules, vocab=ruleset.vocab)
        except FazhiAuditError as exc:
            raise UploadFailed(f"未能生成批注稿：{exc}") from None
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
