"""Figures and years as reports write them: 146件, 33.75万元, 50余处, 98.6%, 2023年, 二〇二三年度.

The content-quality checks read counts and years out of (normalised) report
sentences; this module is the one place that knows how they are written.
Which measure words count, and what the words around a figure mean, is rule
data (rules/quality.contradiction.yaml); this module only parses.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass

from fazhi_audit.text.numerals import cn_to_int, read_number

CLAUSE_MARKS = ",;:。!?"  # what ends a clause in normalised text (，；： fold to ,;:)
_MAGNITUDES = {"万": 1e4, "亿": 1e8}
_APPROX_AFTER = ("余", "多")  # 50余处: at least 50, fewer than the next round number
_AT_LEAST_AFTER = ("以上",)  # 95%以上
_AT_MOST_AFTER = ("以下", "以内")
_AROUND_AFTER = ("左右",)
_AT_LEAST_BEFORE = ("超过", "逾", "不少于", "不低于")
_AROUND_BEFORE = ("约", "近", "大约")
# words that end in 约 or 近 without meaning "about": 签约417户 is 417 exactly
_NOT_AROUND = ("签约", "履约", "违约", "合约", "预约", "节约", "制约", "公约", "续约", "解约", "缔约", "特约", "规约", "民约", "条约",
               "集约", "邀约", "最近", "附近")
_CN_COUNTING = "二两三四五六七八九十一"  # a count written out: 八期, 十二次, 两名
# names written with a count, not counts: 落实三项制度, 增强四个意识, 开展二次复查
_NAMED_COUNTS = ("三项制度", "四个意识", "四个自信", "两个维护", "两个确立", "五个一", "二次")
_CN_MAGNITUDES = "百千万亿零〇"  # the tail of 一百二十件 is not a count of its own
# before a written-out count these make it an ordinal, a share or part of a set phrase (第三次, 每两年, 这三项)
_NOT_A_COUNT_BEFORE = "第每逐其这那哪某同单各之再"
_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
_DASH = r"\s*(?:[—–\-~～]+|至|到)\s*"
# 2023年, 2023年度, 二〇二三年; a range 2023—2025年 / 2023年—2025年 / 2023至2025年 is one mention
_YEAR = rf"(?:20\d{{2}}|二[〇○零][{_CN_YEAR_DIGITS}]{{2}})"
_YEAR_MENTION = re.compile(rf"(?<![\d{_CN_YEAR_DIGITS}])(?P<y1>{_YEAR})(?:\s*年(?:度)?)?(?:{_DASH}(?P<y2>{_YEAR}))?\s*年(?P<du>度)?")


@dataclass(frozen=True)
class Figure:
    """A number with its measure word, as found in a sentence."""

    text: str  # as written: 33.75万元
    value: float  # in the unit's base: 337500 (元)
    low: float  # the range the wording allows: 50余处 -> [50, 60)
    high: float
    unit: str  # the canonical measure word (the first of its synonyms)
    start: int  # [start, end) in the sentence
    end: int

    def overlaps(self, other: Figure) -> bool:
        """Whether both wordings can describe the same number (50余 and 56 can; 20 and 23 cannot)."""
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class YearMention:
    year: int
    text: str
    start: int
    end: int
    until: int | None = None  # the end year of a range (2023—2025年)


class UnitTable:
    """Measure words and their synonyms: 人/名 count the same thing."""

    def __init__(self, groups: tuple[tuple[str, ...], ...]):
        self.canonical = {word: group[0] for group in groups for word in group}
        words = sorted(self.canonical, key=len, reverse=True)  # 人次 before 人
        alternation = "|".join(re.escape(w) for w in words)
        self.pattern = re.compile(
            rf"(?<![\d.])(?<!\d,)(?P<num>\d{{1,3}}(?:,\d{{3}})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<mag>[万亿])?(?P<approx>余|多)?\s*(?P<unit>{alternation})"
            rf"|(?P<pct>百分之(?:百|\d+(?:\.\d+)?))"
            rf"|(?<![{_CN_COUNTING}{_CN_MAGNITUDES}{_NOT_A_COUNT_BEFORE}])(?P<cn>[{_CN_COUNTING}]{{1,3}})(?P<cnunit>{alternation})"
        )

    def find(self, text: str) -> list[Figure]:
        """Every figure in `text`, left to right; ordinals (第3次) and dates are not figures."""
        out = []
        for m in self.pattern.finditer(text):
            if m.group("pct"):
                number = m.group("pct")[3:]
                value = 100.0 if number == "百" else float(number)
                unit = self.canonical.get("%", "%")
                low, high = _range(text, m.start(), m.end(), value, None)
                out.append(Figure(m.group(0), value, low, high, unit, m.start(), m.end()))
                continue
            if m.group("cn"):  # 培训八期: written out, as reports do for small counts
                value = cn_to_int(m.group("cn"))
                if value is None or value < 2 or text.startswith(_NAMED_COUNTS, m.start()):  # 一次, 一批: a manner of speaking
                    continue
                low, high = _range(text, m.start(), m.end(), float(value), None)
                out.append(Figure(m.group(0), float(value), low, high, self.canonical[m.group("cnunit")], m.start(), m.end()))
                continue
            if m.start() > 0 and text[m.start() - 1] == "第":
                continue
            value = float(m.group("num").replace(",", "")) * _MAGNITUDES.get(m.group("mag") or "", 1.0)  # 1,284: a thousands mark
            low, high = _range(text, m.start(), m.end(), value, m.group("approx"))
            out.append(Figure(m.group(0), value, low, high, self.canonical[m.group("unit")], m.start(), m.end()))
        return out


def _range(text: str, start: int, end: int, value: float, approx: str | None) -> tuple[float, float]:
    """The numbers a wording allows: exact, 50余 (50-60), 95%以上, 约4000."""
    after, before = text[end : end + 2], text[max(0, start - 3) : start]
    if approx:
        step = 10 ** math.floor(math.log10(value)) if value >= 10 else 1.0
        return value, value + step
    if after.startswith(_AT_LEAST_AFTER) or before.endswith(_AT_LEAST_BEFORE):
        return value, math.inf
    if after.startswith(_AT_MOST_AFTER):
        return 0.0, value
    if after.startswith(_AROUND_AFTER) or (before.endswith(_AROUND_BEFORE) and not before.endswith(_NOT_AROUND)):
        return value * 0.9, value * 1.1
    return value, value


def find_years(text: str) -> list[YearMention]:
    """Years followed by 年 (2023年, 2023年度, 二〇二三年), ranges as one mention."""
    out = []
    for m in _YEAR_MENTION.finditer(text):
        year = _year_value(m.group("y1"))
        until = _year_value(m.group("y2")) if m.group("y2") else None
        if year is not None:
            out.append(YearMention(year, m.group(0), m.start(), m.end(), until))
    return out


def _year_value(text: str) -> int | None:
    return int(text) if text.isdigit() else read_number(text)


class Clauses:
    """The clauses of one sentence, found once: `span(at)` is a lookup, not a scan.

    A sentence may be a whole page of text run together; checks that ask for
    the clause of every figure in it must not rescan the sentence each time.
    """

    def __init__(self, text: str):
        marks = [i for i, ch in enumerate(text) if ch in CLAUSE_MARKS]
        self.starts = [0] + [i + 1 for i in marks]  # clause i is [starts[i], ends[i])
        self.ends = marks + [len(text)]

    def index(self, at: int) -> int:
        return bisect_right(self.starts, at) - 1

    def span(self, at: int) -> tuple[int, int]:
        i = self.index(at)
        return self.starts[i], self.ends[i]


def title_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of every 《document title》 in `text`, in one pass (an unclosed 《 runs to the end)."""
    out, opened = [], None
    for i, ch in enumerate(text):
        if ch == "《" and opened is None:
            opened = i
        elif ch == "》" and opened is not None:
            out.append((opened, i + 1))
            opened = None
    if opened is not None:
        out.append((opened, len(text)))
    return out


def in_ranges(ranges: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` falls in one of the sorted, disjoint `ranges`."""
    i = bisect_right(ranges, (at, math.inf)) - 1
    return i >= 0 and ranges[i][0] <= at < ranges[i][1]
