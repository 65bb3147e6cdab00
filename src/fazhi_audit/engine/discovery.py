"""Expand the command line's paths (files, folders, globs) into input files.

Folders come from other offices, so nothing in them may steer or stall the
run: only regular files are ever opened (a FIFO named 报告.txt would block
the read forever), symbolic links that lead outside the folder given are not
followed (another office's report would be audited under this name), Word/WPS
lock and temp files and files this tool wrote (base/own_output.py) are skipped, and a sub-folder that cannot be listed is
kept as an input so that it is reported as unreadable (exit 3) instead of
silently dropping the reports inside it. What was skipped is summed up in
`notes`, one Chinese line per kind.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.own_output import written_by_this_tool
from fazhi_audit.base.paths import display_path
from fazhi_audit.text.ingest.readers import SUPPORTED_SUFFIXES, UNSUPPORTED_SUFFIXES

# Word/WPS owner files (~$报告.docx), LibreOffice locks (.~lock.报告.docx#),
# Word temp files (~WRL0001.tmp): never reports, present while a file is open.
LOCK_PATTERNS = ("~$*", ".~lock*#", "~*.tmp")
_LISTED = 3  # examples named in a note


def is_lock_file(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in LOCK_PATTERNS)


@dataclass
class Inputs:
    files: list[str] = field(default_factory=list)
    skipped: int = 0  # files in folders that are not reports by extension
    notes: list[str] = field(default_factory=list)  # one Chinese line per kind of skipped entry
    unreadable_dirs: list[str] = field(default_factory=list)  # also in `files`, to be reported


@dataclass
class _Skipped:
    locks: list[str] = field(default_factory=list)
    special: list[str] = field(default_factory=list)  # FIFOs, devices, sockets, dangling links
    outside: list[str] = field(default_factory=list)  # links leading out of the folder given
    own: list[str] = field(default_factory=list)  # results this tool wrote earlier (base/own_output.py)

    def notes(self, unreadable: list[str]) -> list[str]:
        out = []
        if self.locks:
            out.append(f"已跳过 {len(self.locks)} 个 Word/WPS 锁定或临时文件（{_examples(self.locks)}）")
        if self.special:
            out.append(f"已跳过 {len(self.special)} 个不是普通文件的条目（管道、设备、套接字或失效的链接，未打开）：{_examples(self.special)}")
        if self.outside:
            out.append(f"未跟随 {len(self.outside)} 个指向所给目录之外的符号链接：{_examples(self.outside)}")
        if self.own:
            out.append(f"已跳过 {len(self.own)} 个本工具此前写出的结果文件（不是报告）：{_examples(self.own)}")
        if unreadable:
            out.append(f"有 {len(unreadable)} 个文件夹无法读取，其中的报告未检查（已记为无法读取的输入）：{_examples(unreadable, len(unreadable))}")
        return out


def _examples(paths: list[str], limit: int = _LISTED) -> str:
    shown = "、".join(display_path(p) for p in paths[:limit])
    return shown + (" 等" if len(paths) > limit else "")


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


class _Finder:
    def __init__(self) -> None:
        self.out = Inputs()
        self.seen: set[str] = set()
        self.skipped = _Skipped()

    def add(self, p: str) -> None:
        if p not in self.seen:
            self.seen.add(p)
            self.out.files.append(p)

    def report(self, p: str) -> None:
        """A regular file that may be a report, unless this tool wrote it (a workbook, an HTML report …)."""
        if written_by_this_tool(p):
            self.skip(self.skipped.own, p)
        else:
            self.add(p)

    def skip(self, kind: list[str], p: str) -> None:
        if p not in kind:
            kind.append(p)

    def explicit(self, p: str, real_root: str | None = None) -> None:
        """A file named on the command line, or matched by a glob under `real_root`."""
        if is_lock_file(os.path.basename(p)):
            self.skip(self.skipped.locks, p)
            return
        if real_root is not None and not _inside(os.path.realpath(p), real_root):
            self.skip(self.skipped.outside, p)
            return
        try:
            mode = os.stat(p).st_mode
        except OSError:
            self.skip(self.skipped.special, p)  # a dangling link matched by a glob
            return
        if stat.S_ISREG(mode):
            self.report(p)
        elif not stat.S_ISDIR(mode):
            self.skip(self.skipped.special, p)

    def folder(self, root: str) -> None:
        # Path() drops "./" and trailing slashes, so "." yields "a.txt", not "./a.txt"
        self._walk(str(Path(root)), os.path.realpath(root))

    def _walk(self, folder: str, real_root: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            # Reported as an input that cannot be read, like an unreadable file.
            self.out.unreadable_dirs.append(folder)
            self.add(folder)
            return
        for entry in entries:
            path = entry.name if folder == "." else entry.path
            if is_lock_file(entry.name):
                self.skipped.locks.append(path)
                continue
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, .DS_Store)
            if entry.is_symlink():
                if not _inside(os.path.realpath(path), real_root):
                    self.skipped.outside.append(path)
                    continue
                try:
                    if stat.S_ISDIR(os.stat(path).st_mode):
                        continue  # its files are reached under their own names
                except OSError:
                    pass  # dangling: classified below
            try:
                mode = os.stat(path).st_mode
            except OSError:
                self.skipped.special.append(path)
                continue
            if stat.S_ISDIR(mode):
                self._walk(path, real_root)
            elif not stat.S_ISREG(mode):
                self.skipped.special.append(path)
            elif Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES | UNSUPPORTED_SUFFIXES:
                # Unsupported office formats are reported (exit 3), not silently skipped.
                self.report(path)
            else:
                self.out.skipped += 1


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: links may not lead out of it."""
    parts = Path(pattern).parts
    fixed = parts[: next(i for i, part in enumerate(parts) if glob.has_magic(part))]
    return str(Path(*fixed)) if fixed else "."


def discover(paths: list[str]) -> Inputs:
    finder = _Finder()
    for raw in paths:
        if raw == "-":
            finder.add("-")
        elif os.path.isdir(raw):
            finder.folder(raw)
        elif os.path.exists(raw):
            finder.explicit(raw)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise UsageError(f"通配符没有匹配到任何文件：{display_path(raw)}")
            real_root = os.path.realpath(_glob_root(raw))
            for m in matches:
                if not os.path.isdir(m):
                    finder.explicit(m, real_root)
        else:
            raise UsageError(f"路径不存在：{display_path(raw)}（请检查路径拼写，或用引号包住含空格的路径）")
    finder.out.notes = finder.skipped.notes(finder.out.unreadable_dirs)
    return finder.out
