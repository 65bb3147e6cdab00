"""The parsed form of rule files, kept in the user cache between runs.

PyYAML's pure-Python loader, which is what keeps the line marks, took about
0.9 s for the bundled pack on every run.  Its result (LinedDict trees, line
marks included) is stored under a key made of the file's own bytes, the
package version and this format's version: an edited file has another key,
so it is parsed afresh and never served stale.  Only a file that loaded
without error is stored; a broken cache entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from fazhi_audit import __version__
from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.files import write_atomic
from fazhi_audit.text.nlp import cache_root

FORMAT = "1"  # bump when LinedDict or the tree's shape changes
DISABLE_ENV = "FAZHI_AUDIT_NO_RULE_CACHE"  # set to any value to parse every time
KEEP = 400  # parsed files kept (a pack has about 30, a few KB each)


def cache_dir() -> Path:
    return cache_root() / "rules"


def _entry(text: str) -> Path:
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return cache_dir() / f"{digest}.pickle"


def get(text: str):
    """The tree parsed earlier from exactly this text, or None."""
    if os.environ.get(DISABLE_ENV):
        return None
    try:
        with open(_entry(text), "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign entry: parse again, it is rewritten below
        return None


def put(text: str, tree) -> None:
    """Store a tree; a cache that cannot be written only costs speed."""
    if os.environ.get(DISABLE_ENV):
        return
    target = _entry(text)
    try:
        write_atomic(target, lambda fh: pickle.dump(tree, fh, protocol=pickle.HIGHEST_PROTOCOL), binary=True)  # whole entry or none
        prune(target.parent, KEEP)
    except (OSError, UsageError):
        pass  # an unwritable cache only costs the next run a parse


def prune(folder: Path, keep: int) -> None:
    """Drop all but the `keep` newest entries: edits (and tests' copies of the pack) leave old ones behind."""
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned first
