"""An inter-process lock on the user cache, held while the model is prepared.

Two first runs started at once on an empty cache must not both convert the
model, nor may one load the other's half-written files (it would fall back to
character segmentation). Where `fcntl` exists the lock is `flock` on a file in
the cache folder: the system releases it when its holder dies, so a killed
run never blocks later ones. Elsewhere (Windows) it is a file created with
O_EXCL, removed on release and taken over once older than `STALE_AFTER`.

If the cache folder cannot hold a lock file (read-only, prepared by an
administrator), the body runs unlocked, as it did before locks existed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".prepare.lock"
WAIT_LIMIT = 600.0  # seconds to wait for another process's preparation (~20 s normally)
STALE_AFTER = 900.0  # an O_EXCL lock file this old was left by a run that died
_POLL = 0.05


class CacheLockTimeout(OSError):
    """Another process held the cache lock for longer than the wait limit."""


@contextlib.contextmanager
def cache_lock(cache: Path, wait: float = WAIT_LIMIT, waiting_note: str | None = None) -> Iterator[None]:
    """Hold the cache's lock for the body; `waiting_note` goes to stderr once if we must wait."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    path = cache / LOCK_NAME
    locker = _flock if fcntl is not None else _exclusive_file
    with locker(path, wait, waiting_note):
        yield


@contextlib.contextmanager
def _flock(path: Path, wait: float, note: str | None) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield  # no lock file possible here: run unlocked
        return
    try:
        _acquire(lambda: _try_flock(fd), wait, note)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextlib.contextmanager
def _exclusive_file(path: Path, wait: float, note: str | None) -> Iterator[None]:
    def take() -> bool:
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return True
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > STALE_AFTER:
                    path.unlink()
            return False

    try:
        _acquire(take, wait, note)
    except PermissionError:
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _acquire(try_once, wait: float, note: str | None) -> None:
    if try_once():
        return
    if note:
        print(note, file=sys.stderr)
    deadline = time.monotonic() + wait
    while not try_once():
        if time.monotonic() > deadline:
            raise CacheLockTimeout(f"等待另一个进程准备分词模型超过 {wait:g} 秒（锁文件 {LOCK_NAME}）")
        time.sleep(_POLL)
