"""Results in memory only: under an unguessable id, for their uploader only, for a limited time.

An entry is created when an upload is accepted and filled in when its audit
is done. `get` answers only the client whose session cookie made the upload;
for anyone else, for an unknown id and for an expired one it answers the same
None, so an id cannot be probed. Entries expire `ttl` seconds after they are
ready (the clock is injected, so tests move time instead of waiting), and
when the entries together pass the memory budget the oldest finished ones go
first. Nothing is listed, and nothing is written to disk.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def new_id() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class Entry:
    id: str
    owner: str
    total: int  # files uploaded
    expires: float
    flags: dict = field(default_factory=dict)  # run flags of the upload (profile), for the annotated copies
    done: int = 0  # reports audited so far (progress)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    outcome: Any = None  # worker.Outcome once audited
    error: str | None = None  # the upload as a whole could not be audited (one Chinese line)
    sources: dict[str, bytes] = field(default_factory=dict)  # Word inputs by name: annotated on request
    previous: tuple[str, bytes] | None = None  # last year's report uploaded with them (path in the folder, bytes)
    downloads: dict[str, bytes] = field(default_factory=dict)  # rendered on first request, then kept
    size: int = 0  # bytes counted against the budget

    @property
    def ready(self) -> bool:
        return self.finished.is_set()


class ResultStore:
    def __init__(self, ttl: float, clock: Callable[[], float], budget: int):
        self.ttl = ttl
        self.clock = clock
        self.budget = budget
        self._entries: dict[str, Entry] = {}  # insertion order = age
        self._lock = threading.Lock()  # progress arrives on the pool's listener thread

    def create(self, owner: str, total: int, flags: dict | None = None) -> Entry:
        self.sweep()
        entry = Entry(new_id(), owner, total, self.clock() + self.ttl, dict(flags or {}))
        with self._lock:
            self._entries[entry.id] = entry
        return entry

    def get(self, entry_id: str, owner: str | None) -> Entry | None:
        """The entry if it exists, has not expired and belongs to `owner`; else None."""
        self.sweep()
        entry = self._entries.get(entry_id)
        if entry is None or not owner or not hmac.compare_digest(entry.owner.encode(), owner.encode()):
            return None
        return entry

    def progress(self, entry_id: str, done: int) -> None:
        entry = self._entries.get(entry_id)
        if entry is not None:
            entry.done = done

    def finish(self, entry: Entry) -> None:
        """The audit is over (result or error): the expiry starts now."""
        entry.expires = self.clock() + self.ttl
        entry.size = _size(entry)
        entry.finished.set()
        self._keep_within_budget()

    def add_download(self, entry: Entry, key: str, data: bytes) -> None:
        entry.downloads[key] = data
        entry.size += len(data)
        self._keep_within_budget(keep=entry)

    def sweep(self) -> None:
        now = self.clock()
        with self._lock:
            for key in [k for k, e in self._entries.items() if e.ready and e.expires <= now]:
                del self._entries[key]

    def _keep_within_budget(self, keep: Entry | None = None) -> None:
        with self._lock:
            total = sum(e.size for e in self._entries.values())
            for key, entry in list(self._entries.items()):
                if total <= self.budget:
                    break
                if entry.ready and entry is not keep:
                    total -= entry.size
                    del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return sum(e.size for e in self._entries.values())


def _size(entry: Entry) -> int:
    held = sum(map(len, entry.sources.values())) + sum(map(len, entry.downloads.values()))
    return held + (entry.outcome.size if entry.outcome is not None else 0)
