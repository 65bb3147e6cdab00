"""Audit many files: serially for a few, in a process pool for many.

Each job carries its own settings (a config file may differ per folder) and
the key of its rule set. Workers receive the already-validated rule sets once,
in the pool initializer, and build one Auditor per rule set on first use; the
segmentation model is shared by all of them. Results come back in input
order whatever the scheduling.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .api import Auditor
from .nlp import ensure_converted
from .report.model import ReportResult
from .rules.loader import RuleSet
from .settings import AuditSettings

SERIAL_BELOW = 4  # start-up of a worker costs about one model load


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

    def audit(self, job: Job) -> ReportResult:
        if job.rules_key not in self.built:
            self.built[job.rules_key] = Auditor(ruleset=self.rulesets[job.rules_key])
        return safe_audit(self.built[job.rules_key], job.path, job.settings)


_worker: _Auditors | None = None


def _init_worker(rulesets: dict[Hashable, RuleSet]) -> None:
    global _worker
    _worker = _Auditors(rulesets)


def _audit_in_worker(job: Job) -> ReportResult:
    assert _worker is not None
    return _worker.audit(job)


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
) -> list[ReportResult]:
    results = []
    for r in _iter_results(jobs, rulesets, workers):
        if on_result:
            on_result(r)
        results.append(r)
    return results


def _iter_results(jobs: list[Job], rulesets, workers: int) -> Iterator[ReportResult]:
    if workers <= 1 or len(jobs) < SERIAL_BELOW or any(j.path == "-" for j in jobs):
        auditors = _Auditors(rulesets)
        for job in jobs:
            yield auditors.audit(job)
        return
    ensure_converted()
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_init_worker, initargs=(rulesets,)) as pool:
        # map() keeps input order, so output never depends on scheduling.
        yield from pool.map(_audit_in_worker, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
