"""Enumeration markers: how a report opens the items of a list inside a paragraph (一是……二是……).

The one table of these words; headings, numbering, the PDF line joiner and the
checks build their patterns from it rather than spelling the markers again.
"""

from __future__ import annotations

import re

from fazhi_audit.text.numerals import CN_NUMERAL_CHARS, int_to_cn

SUFFIX = "是"  # 一是, 二是 …
NUMBER = f"[{CN_NUMERAL_CHARS}]"  # one counting numeral character
MARKER = rf"{NUMBER}{{1,3}}{SUFFIX}"  # 一是 … 十是 (… 九十九是)
# Words right before a marker that still let it open an item: 主要在于一是…, 表现为一是…
FOLLOWS = ("在于", "为", "其中")
# What introduces a list inside a sentence before its first marker (主要表现在：一是…)
LEAD_INS = (":", "在于", "表现为", "其中")
# Words that open an item the way a marker does (首先…其次…), for reading the subject after them
SEQUENCE_WORDS = ("首先", "其次", "再次", "最后", "此外", "另外", "同时")

AT_START = re.compile(rf"^{MARKER}")
# A marker opening an item anywhere in a line: at its start, after a stop or a space, or after FOLLOWS
INLINE = re.compile(rf"(?:(?<=^)|(?<=[。;:,!?\s]){''.join(f'|(?<={w})' for w in FOLLOWS)})(?P<num>{NUMBER}{{1,3}}){SUFFIX}")
# A sentence opening an item: the marker first, or after a short lead-in (…在于一是)
SENTENCE_START = re.compile(rf"^(?:[^。;]{{0,40}}?(?:{'|'.join(LEAD_INS)}))?{MARKER}")
# A subject's opening enumeration word, which says nothing about what is counted
OPENING_WORD = re.compile(rf"^(?:{NUMBER}+{SUFFIX}|{'|'.join(SEQUENCE_WORDS)})")
FIRST = f"{int_to_cn(1)}{SUFFIX}"  # the marker that opens a list
BLOCK_START = rf"{NUMBER}+{SUFFIX}"  # a marker as the PDF joiner sees a line open


def marker(n: int) -> str:
    """The marker of item n: 三是."""
    return f"{int_to_cn(n)}{SUFFIX}"
