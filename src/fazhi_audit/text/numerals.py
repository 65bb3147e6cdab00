"""Chinese numerals, both ways: the one place that reads and writes them.

Reports number their parts 一、(二) and date their signature 二〇二四年二月二十六日;
Word draws list labels in chineseCounting.  Headings, dates and the .docx
reader all use these functions.
"""

from __future__ import annotations

# the characters a heading marker's number is made of (一、 … 九十九、)
CN_NUMERAL_CHARS = "一二三四五六七八九十"

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

CN_DIGITS = "〇一二三四五六七八九"
CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CN_LEGAL_TRAD_DIGITS = "零壹貳參肆伍陸柒捌玖"


def cn_to_int(text: str) -> int | None:
    """Arabic digits, or a counting numeral 一 … 九十九; None for anything else."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _DIGITS.get(tens) if tens else 1
        o = _DIGITS.get(ones) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(text) == 1:
        return _DIGITS.get(text)
    return None


def read_number(text: str) -> int | None:
    """cn_to_int, and also digit-by-digit numerals as years are written: 二〇二四."""
    value = cn_to_int(text)
    if value is not None:
        return value
    if text and all(ch in _DIGITS and ch != "两" for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    return None


def chinese_counting(n: int, digits: str = CN_DIGITS, units: str = "十百千", short_teens: bool = True) -> str:
    """一 … 十, 十一, 二十, 一百〇五: the way Word counts chineseCounting."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts = []
    zero_pending = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append(digits[0])
            zero_pending = False
        parts.append(digits[digit] + unit)
    text = "".join(parts)
    # 10-19 read as 十, 十一 … rather than 一十一 (legal numerals keep 壹拾)
    return text[1:] if short_teens and 10 <= n < 20 else text


def int_to_cn(n: int) -> str:
    """The counting numeral a report would write for n (零 for 0)."""
    return "零" if n == 0 else chinese_counting(n)
