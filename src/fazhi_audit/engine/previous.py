"""Last year's report of the same body: read it, or find it in a folder.

`--previous` names a file (last year's report of the one report checked) or
a folder, in which the report of the same body for the year before is found
by the title's body name and year, read with the normal readers.  Reading is
cached per process: a batch checked against one folder reads each of its
files once per process, and each previous report once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fazhi_audit.base.errors import InputError
from fazhi_audit.text.ingest.metadata import extract_metadata
from fazhi_audit.text.ingest.normalize import Line, normalize
from fazhi_audit.text.ingest.readers import read_path

# Words that vary between two years' titles of one body: 中共某镇委员会 某镇人民政府 / 某镇人民政府
_BODY_NOISE = re.compile(r"中共|人民政府|政府|党委|委员会|办事处|\s")


@dataclass(frozen=True)
class Identity:
    path: str
    body: str | None
    year: int | None


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    # absolute, not resolve (a system call per folder), nor abspath (which drops link/.. as text, not as the disk does)
    return str(path.absolute()), st.st_mtime_ns, st.st_size


def read_lines(path: str | Path) -> list[Line]:
    """The normalised lines of a report file; InputError when it cannot be read."""
    p = Path(path)
    try:
        key = _stamp(p)
    except OSError as exc:
        raise InputError(f"无法打开（{exc.strerror or exc}）") from exc
    return _read_lines(key)


@lru_cache(maxsize=16)
def _read_lines(key: tuple[str, int, int]) -> list[Line]:
    raw = read_path(Path(key[0]))
    return normalize(raw.text, raw.origins).lines


def identify(path: str | Path) -> Identity | None:
    """Body and year from a report's title; None when the file cannot be read."""
    try:
        meta = extract_metadata(read_lines(path))
    except (InputError, OSError):
        return None
    return Identity(str(path), meta.body, meta.year)


def _core(body: str) -> str:
    core = _BODY_NOISE.sub("", body)
    half = len(core) // 2
    return core[:half] if len(core) % 2 == 0 and core[:half] == core[half:] else core  # 某镇委员会 某镇人民政府


def same_body(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return _core(a) == _core(b)


def folder_reports(folder: str | Path) -> tuple[Identity, ...]:
    """Every supported report in the folder (recursively), with its body and year; cached per folder state."""
    root = Path(folder)
    return _folder_reports(str(root.resolve()), _folder_stamp(root))


def _folder_stamp(root: Path) -> int:
    """Changes when a file is added, removed or rewritten anywhere below the folder."""
    total = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            try:
                total ^= hash((dirpath, name, os.stat(os.path.join(dirpath, name)).st_mtime_ns))
            except OSError:
                continue
    return total


@lru_cache(maxsize=8)
def _folder_reports(root: str, stamp: int) -> tuple[Identity, ...]:
    from fazhi_audit.engine.discovery import discover

    found = []
    for path in discover([root]).files:
        if Path(path).is_file():
            ident = identify(path)
            if ident is not None:
                found.append(ident)
    return tuple(sorted(found, key=lambda i: i.path))


def find_previous(folder: str | Path, body: str | None, year: int | None, exclude: str | None = None) -> str | None:
    """The report of `body` for `year - 1` in the folder (the first by path if several), else None."""
    if not body or not year:
        return None
    skip = str(Path(exclude).resolve()) if exclude and exclude != "-" else None
    root = Path(folder).resolve()
    for ident in folder_reports(folder):
        if ident.year == year - 1 and same_body(ident.body, body) and str(Path(ident.path).resolve()) != skip:
            found = Path(ident.path)
            # named as the user named the folder: 上年/某镇2023.txt, not an absolute path
            return str(Path(folder) / found.relative_to(root)) if found.is_relative_to(root) else str(found)
    return None


def describe_missing(folder: str | Path, body: str | None, year: int | None) -> str:
    """Why no previous report was found in the folder, in Chinese."""
    if not body or not year:
        return "未能从本报告的标题识别单位或年度，无法在上一年度报告目录中查找"
    return f"在 {folder} 中未找到{body}{year - 1}年度的报告"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)  # one stat each, where resolving both paths cost a system call per folder
    except OSError:
        return False


def resolve_previous(path: str, doc_path: str, body: str | None, year: int | None):
    """Last year's report for the report at `doc_path`: `path` is a file, or a folder searched by body and year."""
    from fazhi_audit.checks.context import PreviousReport

    if Path(path).is_dir():
        found = find_previous(path, body, year, exclude=doc_path)
        if found is None:
            return PreviousReport(None, why_not=describe_missing(path, body, year) + "，未检查")
        path = found
    if doc_path not in ("-", "<example>") and _same_file(doc_path, path):
        return PreviousReport(None, why_not="上一年度报告与被检查的报告是同一文件，未检查")
    try:
        return PreviousReport(read_lines(path), f"上一年度报告（{path}）")
    except InputError as exc:
        return PreviousReport(None, why_not=f"上一年度报告 {path} 无法读取（{exc}），未检查")
