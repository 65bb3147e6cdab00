"""Audit many files: serially for a few, in a process pool for many.

Each job carries its own settings (a config file may differ per folder) and
the key of its rule set. Workers receive the already-validated rule sets once,
in the pool initializer, and build one Auditor per rule set before taking
work; the segmentation model is shared by all of them.

No file can stop the batch. A file that takes longer than the time limit, or
whose worker process dies (the OOM killer, a crash in a library), becomes an
error row; the pool (pebble) replaces the worker and the other files are
audited. Results come back in input order whatever the scheduling.
Ctrl-C / SIGTERM in the main process stops every worker before the
exception leaves `audit_all` (workers ignore SIGINT themselves).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

from fazhi_audit.base.limits import (
    DEFAULT_TIMEOUT,  # seconds per file; 0 or None: no limit
)
from fazhi_audit.base.processes import die_with_parent
from fazhi_audit.engine.audit import Auditor
from fazhi_audit.engine.retire import retire_if_grown
from fazhi_audit.engine.settings import AuditSettings
from fazhi_audit.model.result import ReportResult
from fazhi_audit.rules.loader import RuleSet
from fazhi_audit.text.nlp import ensure_converted

SERIAL_BELOW = 4  # start-up of a worker costs about one model load
_POOL_ROUNDS = 2  # a pool that breaks as a whole (workers dying before any task) is rebuilt once


def timeout_message(limit: float) -> str:
    return f"检查超时（超过 {limit:g} 秒）：文件可能过大或结构异常；可用 --timeout 调整"


DIED_MESSAGE = "检查进程意外退出（可能内存不足）：该文件未检查"


@dataclass(frozen=True)
class Job:
    path: str
    settings: AuditSettings = field(default_factory=AuditSettings)
    rules_key: Hashable = None  # which rule set (pack + extensions) applies


class _Auditors:
    """One Auditor per rule set, built when first needed."""

    def __init__(self, rulesets: dict[Hashable, RuleSet]):
        self.rulesets = rulesets
        self.built: dict[Hashable, Auditor] = {}

    def get(self, key: Hashable) -> Auditor:
        if key not in self.built:
            self.built[key] = Auditor(ruleset=self.rulesets[key])
        return self.built[key]

    def audit(self, job: Job) -> ReportResult:
        return safe_audit(self.get(job.rules_key), job.path, job.settings)


_worker: _Auditors | None = None


def _init_worker(rulesets: dict[Hashable, RuleSet]) -> None:
    global _worker
    die_with_parent()
    _worker = _Auditors(rulesets)
    for key in rulesets:  # load the model now, so it never counts against a file's time limit
        _worker.get(key)


def _audit_in_worker(job: Job) -> ReportResult:
    assert _worker is not None
    try:
        return _worker.audit(job)
    finally:
        retire_if_grown()  # a worker that grew on a huge file is replaced once its result is sent


def safe_audit(auditor: Auditor, path: str, settings: AuditSettings | None = None) -> ReportResult:
    """One bad file never stops a batch: unexpected errors become error rows."""
    try:
        return auditor.audit_path(path, settings)
    except Exception as exc:  # noqa: BLE001 - reported per file, run continues
        return ReportResult(path=path, error=f"内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者")


def default_jobs() -> int:
    return os.cpu_count() or 1


def audit_all(
    jobs: list[Job],
    rulesets: dict[Hashable, RuleSet],
    workers: int,
    on_result: Callable[[ReportResult], None] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> list[ReportResult]:
    """Results in the order of `jobs`; `on_result` is called as each one is done.

    `timeout`: seconds per file (None or 0: no limit). In the pool the worker
    is killed; serially (few files, or stdin) SIGALRM interrupts the audit,
    which needs POSIX and the main thread, so elsewhere the serial path has no limit.
    """
    limit = timeout if timeout and timeout > 0 else None
    report = on_result or (lambda _r: None)
    if workers <= 1 or len(jobs) < SERIAL_BELOW or any(j.path == "-" for j in jobs):
        return list(_serial(jobs, rulesets, limit, report))
    return _pooled(jobs, rulesets, min(workers, len(jobs)), limit, report)


class _Timeout(BaseException):
    """Raised by SIGALRM inside an audit. A BaseException, so that no
    `except Exception` on the way (readers wrap library errors) swallows it."""


def _serial(jobs: list[Job], rulesets, limit: float | None, report) -> Iterator[ReportResult]:
    auditors = _Auditors(rulesets)
    for job in jobs:
        auditor = auditors.get(job.rules_key)  # model load is outside the limit
        try:
            with _alarm(limit):
                result = safe_audit(auditor, job.path, job.settings)
        except _Timeout:
            result = ReportResult(path=job.path, error=timeout_message(limit or 0))
        report(result)
        yield result


@contextlib.contextmanager
def _alarm(limit: float | None) -> Iterator[None]:
    if limit is None or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _pooled(jobs: list[Job], rulesets, workers: int, limit: float | None, report) -> list[ReportResult]:
    ensure_converted()  # once, before workers would each try
    results: list[ReportResult | None] = [None] * len(jobs)
    todo = list(range(len(jobs)))
    for _ in range(_POOL_ROUNDS):
        if not todo:
            break
        todo = _pool_round(jobs, todo, rulesets, workers, limit, results, report)
    for i in todo:  # the pool broke twice: give up on these files only
        results[i] = ReportResult(path=jobs[i].path, error=DIED_MESSAGE)
        report(results[i])
    return results  # type: ignore[return-value]


def _pool_round(jobs, todo: list[int], rulesets, workers: int, limit, results, report) -> list[int]:
    """Audit jobs[todo] in one pool; returns the indices a broken pool left undone."""
    from concurrent.futures import as_completed  # only for a pool: a single check does without these

    from pebble import ProcessPool

    pool = ProcessPool(max_workers=min(workers, len(todo)), initializer=_init_worker, initargs=(rulesets,))
    undone: list[int] = []
    try:
        futures = {}
        for i in todo:
            try:
                futures[pool.schedule(_audit_in_worker, args=(jobs[i],), timeout=limit)] = i
            except RuntimeError:  # the pool broke while we were still scheduling
                undone.append(i)
        for future in as_completed(futures):
            i = futures[future]
            result = _outcome(future, jobs[i], limit)
            if result is None:
                undone.append(i)
                continue
            results[i] = result
            report(result)
    finally:
        with _signals_held():  # a second Ctrl-C must not leave workers behind
            pool.stop()
            pool.join()
    return sorted(undone)


def _outcome(future, job: Job, limit: float | None) -> ReportResult | None:
    """The result, or an error row for this file; None if the whole pool broke."""
    from concurrent.futures.process import BrokenProcessPool

    from pebble import ProcessExpired

    try:
        return future.result()
    except TimeoutError:
        return ReportResult(path=job.path, error=timeout_message(limit or 0))
    except ProcessExpired:
        return ReportResult(path=job.path, error=DIED_MESSAGE)
    except BrokenProcessPool:
        return None
    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
        return ReportResult(path=job.path, error=f"内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ignore SIGINT/SIGTERM while workers are being stopped (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
