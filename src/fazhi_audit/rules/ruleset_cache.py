"""The validated rule set, kept in the user cache between runs.

Parsing (see tree_cache) was only part of loading: validation (regex safety,
normalising every phrase, profiles) still took about 0.1 s.  The finished
RuleSet is stored under a key made of

- the path and bytes of every YAML file the loader can read (the pack's
  *.yaml, vocab/ and profiles/, and each extra directory's *.yaml), so an
  edited, added or removed rule file always means a fresh load;
- the package version and this format's version;
- the size and modification time of every module of the package and of
  each rule type's module, so changed validation code is never skipped.

Rule types are stored by name and resolved against the mapping the engine
passes in, so a cached rule runs the current type's code.  Only a set that
loaded without error is stored; any unreadable entry means a fresh load.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from fazhi_audit import __version__
from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.files import write_atomic
from fazhi_audit.rules.tree_cache import DISABLE_ENV, prune
from fazhi_audit.rules.yaml_lines import MAX_BYTES
from fazhi_audit.text.nlp import cache_root

KEEP = 16  # rule sets kept (about 100 KB each): the pack, a few extended packs, recent edits
FORMAT = "1"  # bump when RuleSet's pickled shape changes in a way stamps miss
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    return cache_root() / "rulesets"


def _yaml_files(directory: Path) -> list[Path]:
    # The loader reads *.yaml in the pack, vocab/ and profiles/ (one level down).
    return sorted([*directory.glob("*.yaml"), *directory.glob("*/*.yaml")])


def _code_stamp(types: Mapping) -> list[str]:
    files = {str(p) for p in _PACKAGE.rglob("*.py")}
    for rule_type in types.values():
        module = sys.modules.get(getattr(rule_type.check, "__module__", ""))
        if getattr(module, "__file__", None):
            files.add(str(module.__file__))
    out = []
    for name in sorted(files):
        try:
            info = os.stat(name)
        except OSError:
            continue
        out.append(f"{name}\0{info.st_mtime_ns}\0{info.st_size}")
    return out


def key(directory: Path, extra_dirs, types: Mapping) -> str | None:
    """None when the inputs cannot all be read: the loader then says what is wrong."""
    h = hashlib.sha256(f"{__version__}\0{FORMAT}\0{sys.version}\0".encode())
    try:
        for folder in (directory, *extra_dirs):
            folder = Path(folder).resolve()
            h.update(f"dir\0{folder}\0".encode("utf-8", "surrogateescape"))
            for path in _yaml_files(folder):
                info = os.stat(path)
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                    return None  # a FIFO would block the read: the loader names the problem
                h.update(f"{path}\0".encode("utf-8", "surrogateescape"))
                h.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    for name, rule_type in sorted(types.items()):
        h.update(f"type\0{name}\0{getattr(rule_type.check, '__module__', '')}\0".encode())
    for stamp in _code_stamp(types):
        h.update(stamp.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


class _Pickler(pickle.Pickler):
    def __init__(self, fh, types: Mapping):
        super().__init__(fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(t): name for name, t in types.items()}

    def persistent_id(self, obj):
        return ("rule-type", self._names[id(obj)]) if id(obj) in self._names else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, fh, types: Mapping):
        super().__init__(fh)
        self._types = types

    def persistent_load(self, pid):
        kind, name = pid
        if kind != "rule-type" or name not in self._types:
            raise pickle.UnpicklingError(f"unknown rule type {name!r}")
        return self._types[name]


def cached(directory: Path, extra_dirs, types: Mapping, load: Callable[[], object]):
    """The rule set from the cache when its inputs are unchanged, else load() (and store it)."""
    if os.environ.get(DISABLE_ENV):
        return load()
    digest = key(directory, extra_dirs, types)
    if digest is None:
        return load()
    entry = cache_dir() / f"{digest}.pickle"
    try:
        with open(entry, "rb") as fh:
            return _Unpickler(fh, types).load()
    except Exception:  # missing, truncated or foreign: load afresh and rewrite
        pass
    ruleset = load()
    _store(entry, ruleset, types)
    return ruleset


def _store(entry: Path, ruleset, types: Mapping) -> None:
    buf = io.BytesIO()
    try:
        _Pickler(buf, types).dump(ruleset)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # e.g. a test's rule type built inside a function: not storable, just not cached
    try:
        write_atomic(entry, lambda fh: fh.write(buf.getvalue()), binary=True)  # readers see the whole entry or none
        prune(entry.parent, KEEP)
    except (OSError, UsageError):
        pass  # an unwritable cache only costs the next run a parse
