"""Per-report audit settings: what a config file or flags decide for one file.

Kept apart from the config reader so worker processes get a small,
picklable value and the API can be used without any config file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi_audit.base.limits import Limits
from fazhi_audit.rules.profiles import AUTO
from fazhi_audit.rules.selection import Selection


@dataclass(frozen=True)
class AuditSettings:
    profile: str = AUTO  # auto: detect from the reporting body's name
    profile_source: str = ""  # where a fixed profile came from, for the report
    selection: Selection = field(default_factory=Selection)
    fail_under: float = 0
    # Last year's report of the same body (a file), or a folder to find it in by body and year;
    # None: quality.carry-over does not apply.
    previous: str | None = None
    limits: Limits = field(default_factory=Limits)
    keep_document: bool = False  # attach the parsed Document to the result (for Word comments)
