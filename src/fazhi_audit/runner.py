"""Audit many files: serially for a few, in a process pool for many.

Each worker builds its Auditor (rules + segmentation model) once in the
pool initializer; results come back in input order whatever the scheduling.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from .api import Auditor
from .nlp import ensure_converted
from .report.model import ReportResult

SERIAL_BELOW = 4  # start-up of a worker costs about one model load

_worker: Auditor | None = None


def _init_worker(rules_dir: str | None, fail_under: float) -> None:
    global _worker
    _worker = Auditor(rules_dir, fail_under)


def _audit_in_worker(path: str) -> ReportResult:
    assert _worker is not None
    return safe_audit(_worker, path)


def safe_audit(auditor: Auditor, path: str) -> ReportResult:
    """One bad file never stops a batch: unexpected errors become error rows."""
    try:
        return auditor.audit_path(path)
    except Exception as exc:  # noqa: BLE001 - reported per file, run continues
        return ReportResult(path=path, error=f"内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者")


def default_jobs() -> int:
    return os.cpu_count() or 1


def audit_all(
    paths: list[str],
    make_auditor: Callable[[], Auditor],
    rules_dir: str | None,
    fail_under: float,
    jobs: int,
    on_result: Callable[[ReportResult], None] | None = None,
) -> list[ReportResult]:
    return list(_iter_results(paths, make_auditor, rules_dir, fail_under, jobs, on_result))


def _iter_results(paths, make_auditor, rules_dir, fail_under, jobs, on_result) -> Iterator[ReportResult]:
    if jobs <= 1 or len(paths) < SERIAL_BELOW or "-" in paths:
        auditor = make_auditor()
        for p in paths:
            r = safe_audit(auditor, p)
            if on_result:
                on_result(r)
            yield r
        return
    ensure_converted()
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_init_worker, initargs=(rules_dir, fail_under)) as pool:
        # map() keeps input order, so output never depends on scheduling.
        for r in pool.map(_audit_in_worker, paths, chunksize=max(1, len(paths) // (jobs * 8))):
            if on_result:
                on_result(r)
            yield r
