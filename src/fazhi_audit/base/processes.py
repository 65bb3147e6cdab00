"""Worker processes that never outlive the process that started them."""

from __future__ import annotations

import contextlib
import os
import signal
import sys


def die_with_parent() -> None:
    """Linux: a worker is killed when the process that started it dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent was already gone
            os._exit(1)
