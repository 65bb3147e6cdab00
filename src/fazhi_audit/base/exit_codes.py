"""Exit codes: the single source for the CLI, the README table and the tests."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # every report passes
    FAILED = 1  # at least one report fails the gate
    USAGE = 2  # could not run: bad usage, missing path, invalid rules/config
    UNREADABLE = 3  # some input unreadable or not a report; wins over FAILED
