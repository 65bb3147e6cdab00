"""Replace a worker process that grew past a memory ceiling, after its job.

Python rarely hands freed memory back to the system: a worker that once
parsed a huge report keeps gigabytes for as long as it lives. After each job
the worker compares its resident memory with the ceiling; above it, it
finishes the job normally (the result is sent) and then leaves instead of
taking the next task. pebble treats a worker that exits with status 0 as one
that retired (as with max_tasks) and starts a fresh one.
"""

from __future__ import annotations

import os

from fazhi_audit.base.limits import WORKER_MEMORY_CEILING

_retiring = False


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux /proc); None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def retire_if_grown(ceiling: int | None = WORKER_MEMORY_CEILING) -> bool:
    """In a pebble worker: leave after the current job when resident memory passed `ceiling`."""
    global _retiring
    size = resident_bytes()
    if not ceiling or size is None or size <= ceiling:
        return False
    _install()
    _retiring = True
    return True


def _install() -> None:
    """Wrap pebble's fetch_task (looked up by name on every loop) so a retiring worker takes no next task."""
    from pebble.pool import process

    if getattr(process.fetch_task, "_fazhi_retire", False):
        return
    original = process.fetch_task

    def fetch_task(channel):
        if _retiring:
            raise EOFError  # worker_process ends quietly on EOFError: exit status 0
        return original(channel)

    fetch_task._fazhi_retire = True
    process.fetch_task = fetch_task
