"""Files written whole or not at all.

The text goes to a temporary file in the target's folder, which is then
renamed into place: an interrupted or failed write never leaves half a
report, and a reader never sees one being written. Only a regular file or a
new path is ever replaced: renaming over /dev/full, a FIFO or a symbolic link
would swap a device or another file for our output (check_target).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from fazhi_audit.base import interrupt
from fazhi_audit.base.errors import UsageError


def check_target(path: Path) -> None:
    """Refuse (UsageError, exit 2) a path that exists and is not a regular file: a device, FIFO, socket, link or folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if stat.S_ISREG(mode):
        return
    kind = "目录" if stat.S_ISDIR(mode) else "符号链接" if stat.S_ISLNK(mode) else "设备、管道或套接字"
    raise UsageError(f"输出路径 {path} 是{kind}，不是普通文件：只写入普通文件或新路径，请换一个输出路径（写到标准输出用 -o -）")


def write_atomic(path: Path, fill: Callable[[IO], None], *, binary: bool = False, encoding: str = "utf-8") -> None:
    """Create `path` with what `fill(stream)` writes; a write error is a one-line UsageError (exit 2)."""
    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        if binary:
            with open(fd, "wb") as fh:
                fill(fh)
        else:
            with open(fd, "w", encoding=encoding, newline="", errors="surrogateescape") as fh:
                fill(fh)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        check_target(path)  # it may have been swapped for a link or a device while we wrote
        interrupt.check()  # a signal swallowed while the file was closed: the copy may be short
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise _cannot_write(path, exc) from None
    except UsageError:
        _discard(tmp)
        raise
    except BaseException:
        _discard(tmp)
        raise


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"无法写入输出文件 {path}：{exc.strerror or exc}（请检查路径和写权限）")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
