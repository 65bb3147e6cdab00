"""Chinese numerals as used in heading markers (一 … 九十九)."""

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

CN_NUMERAL_CHARS = "一二三四五六七八九十"


def cn_to_int(text: str) -> int | None:
    """Parse 一 … 九十九; None for anything else."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _DIGITS.get(tens, None) if tens else 1
        o = _DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(text) == 1:
        return _DIGITS.get(text)
    return None


def int_to_cn(n: int) -> str:
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")
