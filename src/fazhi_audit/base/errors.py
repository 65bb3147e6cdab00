"""Exceptions that the CLI turns into one-line messages and exit codes."""

from __future__ import annotations


class FazhiAuditError(Exception):
    """Base class: carries a one-line Chinese message for the user."""


class UsageError(FazhiAuditError):
    """The run cannot start: bad option, missing path (exit 2)."""


class RuleFileError(FazhiAuditError):
    """A rule or profile file is malformed (exit 2)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"规则文件无效 {where}：{message}")


class InputError(FazhiAuditError):
    """One input cannot be read or is not a report (exit 3 for that file)."""
