"""Dates as reports and portals write them, parsed in one place.

2024-03-28, 2024/3/8, 2024年3月8日, 20240328 in page metadata and info bars;
2024年2月26日 or 二〇二四年二月二十六日 in a report's signature (落款).  Every
parser returns an ISO date (YYYY-MM-DD) or None; an impossible date such as
2024-02-30 is None, never an exception.
"""

from __future__ import annotations

import re
from datetime import date

from fazhi_audit.text.numerals import read_number

YEAR = r"(?:19|20)\d{2}"
# year, month and day in Arabic digits with any of the usual separators
ARABIC_DATE = rf"(?P<y>{YEAR})\s*[-/.年]\s*(?P<m>\d{{1,2}})\s*[-/.月]\s*(?P<d>\d{{1,2}})"
_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_NUMBER = f"[{_CN_DIGIT}十]{{1,3}}"
# 年/月/日 written out, each part in Arabic digits or Chinese numerals
WRITTEN_DATE = (
    rf"(?P<y>{YEAR}|二[〇○零][{_CN_DIGIT}]{{2}})\s*年\s*"
    rf"(?P<m>\d{{1,2}}|{_CN_NUMBER})\s*月\s*"
    rf"(?P<d>\d{{1,2}}|{_CN_NUMBER})\s*日"
)

_ARABIC = re.compile(ARABIC_DATE)
_COMPACT = re.compile(rf"(?P<y>{YEAR})(?P<m>\d{{2}})(?P<d>\d{{2}})")


def iso_date(year: int | str, month: int | str, day: int | str) -> str | None:
    """YYYY-MM-DD from parts in digits or Chinese numerals; None if no such day."""
    parts = [part if isinstance(part, int) else read_number(part) for part in (year, month, day)]
    if any(part is None for part in parts):
        return None
    try:
        return date(*parts).isoformat()
    except ValueError:  # 2月30日 and the like: not a date
        return None


def date_of(match: re.Match) -> str | None:
    """The ISO date of a match of ARABIC_DATE or WRITTEN_DATE (groups y, m, d)."""
    return iso_date(match.group("y"), match.group("m"), match.group("d"))


def parse_date(value: str) -> str | None:
    """The first date written in value (2024-03-28 10:00, 2024年3月8日, 20240328)."""
    match = _ARABIC.search(value) or _COMPACT.search(value)
    return date_of(match) if match else None


def month_day(value: str) -> tuple[int, int]:
    """Month and day of a rule's `MM-DD` (e.g. 04-01)."""
    month, day = (int(part) for part in value.split("-"))
    return month, day


def deadline(report_year: int, value: str) -> date:
    """The day `MM-DD` of the year after the report's year (reports are due then)."""
    return date(report_year + 1, *month_day(value))


def next_year_label(value: str) -> str:
    """次年4月1日: a rule's `MM-DD` as a message reads it."""
    month, day = month_day(value)
    return f"次年{month}月{day}日"


def chinese_label(day: date) -> str:
    """2025年4月1日: how a date reads in a message."""
    return f"{day.year}年{day.month}月{day.day}日"
