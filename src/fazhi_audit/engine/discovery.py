"""Expand the command line's paths (files, folders, globs) into input files.

Folders come from other offices, so nothing in them may steer or stall the
run: only regular files are ever opened (a FIFO named 报告.txt would block
the read forever), symbolic links that lead outside the folder given are not
followed (another office's report would be audited under this name), Word/WPS
lock and temp files and files this tool wrote (base/own_output.py) are skipped, and a sub-folder that cannot be listed is
kept as an input so that it is reported as unreadable (exit 3) instead of
silently dropping the reports inside it. Links are judged the same whether
the walk finds them or the shell's glob names them: one leading out of the
folder given is skipped with a note, a dangling one is an error row. The walk
is iterative and stops at MAX_DEPTH: a folder nested deeper is one error row,
never a RecursionError. What was skipped is summed up in `notes`, one
Chinese line per kind; inputs refused here carry their reason in `refused`.
"""

from __future__ import annotations

import errno
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
MAX_DEPTH = 64  # folder levels below a folder given; real inboxes have a handful
DANGLING_MESSAGE = "符号链接指向的文件不存在（失效的链接）：请确认报告文件是否已被移动或删除"
TOO_DEEP_MESSAGE = f"文件夹层级过深（超过 {MAX_DEPTH} 层）：其中的报告未检查；请把报告移到较浅的文件夹后再检查"
TOO_LONG_MESSAGE = "路径过长（超过系统允许的长度）：未检查；请把报告移到路径较短的文件夹后再检查"


def is_lock_file(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in LOCK_PATTERNS)


@dataclass
class Inputs:
    files: list[str] = field(default_factory=list)
    skipped: int = 0  # files in folders that are not reports by extension
    notes: list[str] = field(default_factory=list)  # one Chinese line per kind of skipped entry
    unreadable_dirs: list[str] = field(default_factory=list)  # also in `files`, to be reported
    refused: dict[str, str] = field(default_factory=dict)  # also in `files`: an error row with this reason, never opened


@dataclass
class _Skipped:
    locks: list[str] = field(default_factory=list)
    special: list[str] = field(default_factory=list)  # FIFOs, devices, sockets
    outside: list[str] = field(default_factory=list)  # links leading out of the folder given
    own: list[str] = field(default_factory=list)  # results this tool wrote earlier (base/own_output.py)

    def notes(self, unreadable: list[str]) -> list[str]:
        out = []
        if self.locks:
            out.append(f"已跳过 {len(self.locks)} 个 Word/WPS 锁定或临时文件（{_examples(self.locks)}）")
        if self.special:
            out.append(f"已跳过 {len(self.special)} 个不是普通文件的条目（管道、设备或套接字，未打开）：{_examples(self.special)}")
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

    def refuse(self, p: str, reason: str) -> None:
        self.out.refused.setdefault(p, reason)
        self.add(p)

    def explicit(self, p: str, real_root: str | None = None) -> None:
        """A file named on the command line (often by the shell's glob), or matched by our glob under `real_root`."""
        if is_lock_file(os.path.basename(p)):
            self.skip(self.skipped.locks, p)
            return
        if real_root is not None or os.path.islink(p):
            root = real_root if real_root is not None else os.path.realpath(os.path.dirname(p) or ".")
            if not self.link(p, root):
                return
        self.entry(p)

    def link(self, p: str, real_root: str) -> bool:
        """Whether link `p` may be followed: inside the folder given, and not dangling (an error row)."""
        if not _inside(os.path.realpath(p), real_root):
            self.skip(self.skipped.outside, p)
            return False
        if not os.path.exists(p):
            self.refuse(p, DANGLING_MESSAGE)
            return False
        return True

    def entry(self, p: str, depth: int = 0, pending: list | None = None) -> None:
        """Classify `p` (a link already judged): a report, a folder to walk, or a skipped entry."""
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:
            self.refuse(p, TOO_LONG_MESSAGE if exc.errno == errno.ENAMETOOLONG else f"无法读取：{exc.strerror or exc}")
            return
        if stat.S_ISDIR(mode):
            if pending is not None:
                pending.append((p, depth + 1, None))
        elif not stat.S_ISREG(mode):
            self.skip(self.skipped.special, p)
        elif pending is None or Path(p).suffix.lower() in SUPPORTED_SUFFIXES | UNSUPPORTED_SUFFIXES:
            # Unsupported office formats are reported (exit 3), not silently skipped.
            self.report(p)
        else:
            self.out.skipped += 1

    def folder(self, root: str) -> None:
        """Walk `root` depth first in name order, with a stack instead of recursion.

        Items are (path, depth, entry): entry None is a folder to list; else
        the os.DirEntry of `path`, judged when it is popped, so the order is
        the recursive walk's: each sub-folder's files come where it stands.
        """
        real_root = os.path.realpath(root)
        # Path() drops "./" and trailing slashes, so "." yields "a.txt", not "./a.txt"
        pending: list = [(str(Path(root)), 0, None)]
        while pending:
            path, depth, entry = pending.pop()
            if entry is not None:
                self._judge(path, entry, depth, real_root, pending)
            elif depth > MAX_DEPTH:
                self.refuse(path, TOO_DEEP_MESSAGE)  # 1,000 nested folders: one error row, not a crash
            else:
                listed = self._list(path)
                pending.extend((name, depth, item) for name, item in reversed(listed))

    def _list(self, folder: str) -> list:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                self.refuse(folder, TOO_LONG_MESSAGE)
                return []
            # Reported as an input that cannot be read, like an unreadable file.
            self.out.unreadable_dirs.append(folder)
            self.add(folder)
            return []
        return [(entry.name if folder == "." else entry.path, entry) for entry in entries]

    def _judge(self, path: str, entry, depth: int, real_root: str, pending: list) -> None:
        if is_lock_file(entry.name):
            self.skipped.locks.append(path)
            return
        if entry.name.startswith("."):
            return  # hidden files and folders (.git, .DS_Store)
        if entry.is_symlink():
            if not self.link(path, real_root):
                return
            if os.path.isdir(path):
                return  # its files are reached under their own names
        self.entry(path, depth, pending)


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
        elif os.path.lexists(raw):
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
