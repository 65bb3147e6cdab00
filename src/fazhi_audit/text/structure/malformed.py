"""Numbering markers that are there but broken: each is one numbering defect.

Three ways a marker breaks in reports as they reach a checker:

- a bracket is lost: 二）规范执法 for （二）规范执法;
- a mirror site replaces the number: *.坚持集体决策 for 3.坚持集体决策;
- a wrong text encoding garbles it: 锛堜笁锛? (UTF-8 （三） read as GBK) or
  锟斤拷、 (two U+FFFD replacement characters, read as GBK).

Mojibake is recognised by undoing it, not by a list of garbled strings: the
characters are encoded back to GBK and decoded as UTF-8.  Ordinary Chinese
text does not survive that round trip; a garbled marker turns back into the
marker (（三) or into replacement characters.  So the check is generic and
cannot fire on ordinary words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import product

from fazhi_audit.text.numerals import CN_NUMERAL_CHARS, cn_to_int, int_to_cn

_CN = f"[{CN_NUMERAL_CHARS}]{{1,3}}"
_MAX_GARBLED = 8  # characters a garbled marker may span
_MAX_TAIL_BYTES = 3  # a truncated last character (锛?) left after the round trip
_REPLACEMENT = "\ufffd"

# What a marker looks like once recovered: （三）/(三 -> level 2, 三、 -> 1, 3. -> 3.
_RECOVERED = [
    (2, "paren-cn", re.compile(rf"^\((?P<num>{_CN})\)?$")),
    (1, "cn", re.compile(rf"^(?P<num>{_CN})、?$")),
    (3, "arabic", re.compile(r"^(?P<num>\d{1,2})\.?$")),
]
_SEPARATOR_LEVEL = {"、": (1, "cn"), ".": (3, "arabic")}

_MISSING_OPEN = re.compile(rf"^(?P<num>{_CN})\)\s*")
_STAR = re.compile(r"^\*\s*[.、]\s*")
_GARBLED_THEN_SEPARATOR = re.compile(rf"^(?P<garbled>[^\s{CN_NUMERAL_CHARS}\d、.]{{1,{_MAX_GARBLED}}}?)(?P<sep>[、.])")


@dataclass(frozen=True)
class Fault:
    """What is wrong with a marker or a number, by name and values: the numbering rule words it
    (defects.<what> in rules/vocab/messages.yaml), so no sentence is written here."""

    what: str
    values: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, what: str, **values) -> Fault:
        return cls(what, tuple(values.items()))


@dataclass(frozen=True)
class Malformed:
    level: int
    style: str
    number: int | None  # the number when it can be read back, else None
    end: int  # where the marker ends in the line
    defect: Fault  # what is wrong


def malformed_marker(text: str) -> Malformed | None:
    """The broken numbering marker a line opens with, if any."""
    m = _MISSING_OPEN.match(text)
    if m:
        return Malformed(2, "paren-cn", cn_to_int(m.group("num")), m.end(), Fault.of("missing_open", marker=m.group(0).strip(), expected=f"({m.group('num')})"))
    m = _STAR.match(text)
    if m:
        return Malformed(3, "arabic", None, m.end(), Fault.of("star", marker=m.group(0).strip()))
    return _garbled(text)


def _garbled(text: str) -> Malformed | None:
    m = _GARBLED_THEN_SEPARATOR.match(text)
    if m and any(_only_replacement(r) for r, _ in _recoveries(m.group("garbled"))):
        level, style = _SEPARATOR_LEVEL[m.group("sep")]
        return Malformed(level, style, None, m.end(), Fault.of("garbled", marker=m.group(0)))
    # The whole marker garbled, brackets included.  The shortest prefix that
    # turns back into a whole marker (（三）, 三、) ends it; failing that, the
    # longest one that turns into a marker cut short (（三).
    whole, cut = None, None
    for k in range(2, min(_MAX_GARBLED, len(text) - 1) + 1):
        found = _recovered_markers(text[:k])
        if not found:
            continue
        if any(complete for *_, complete in found):
            whole = (k, [f for f in found if f[-1]])
            break
        cut = (k, found)
    if whole is None and cut is None:
        return None
    k, found = whole or cut
    level, style = found[0][0], found[0][1]
    numbers = {number for _, _, number, _ in found}
    number = numbers.pop() if len(numbers) == 1 else None  # a lost byte can make 六 and 八 alike
    if number is not None:
        return Malformed(level, style, number, k, Fault.of("garbled_known", marker=text[:k], original=marker_text(style, number)))
    return Malformed(level, style, number, k, Fault.of("garbled", marker=text[:k]))


def _recovered_markers(chars: str) -> list[tuple[int, str, int | None, bool]]:
    """(level, style, number, whole) for each reading of chars that is a marker."""
    out = []
    for recovered, tail in _recoveries(chars):
        for level, style, pattern in _RECOVERED:
            found = pattern.match(recovered)
            if found:
                whole = tail == 0 and recovered.endswith((")", "、", "."))
                out.append((level, style, cn_to_int(found.group("num")), whole))
                break
    return out


def marker_text(style: str, n: int) -> str:
    """How a marker of this style and number is written: (三), 三、, 3."""
    cn = int_to_cn(n)
    return {"cn": f"{cn}、", "part": f"第{cn}部分", "paren-cn": f"({cn})", "arabic": f"{n}.", "paren-arabic": f"({n})"}.get(style, str(n))


_LOST = ("?", _REPLACEMENT)  # how a byte GBK could not pair shows after the misreading
_MAX_LOST = 2
_CONTINUATION = [bytes([b]) for b in range(0x80, 0xC0)]


def _recoveries(chars: str):
    """What chars were before UTF-8 was misread as GBK: each valid reading, with the bytes cut off its end.

    The characters are encoded back to GBK and read as UTF-8.  A byte GBK
    could not pair was shown as ? or U+FFFD; it was a UTF-8 continuation byte,
    so each is tried (at most two of them).  A truncated last character is
    allowed.  Ordinary Chinese text gives no valid reading at all.
    """
    if _only_replacement(chars):
        yield chars, 0  # already replacement characters: nothing to undo
        return
    pieces = []
    for ch in chars:
        if ch in _LOST:
            pieces.append(None)
            continue
        try:
            # Windows' GBK (cp936) has € at 0x80, Python's gbk codec does not
            pieces.append(b"\x80" if ch == "\u20ac" else ch.encode("gbk"))
        except UnicodeEncodeError:
            return
    lost = [i for i, piece in enumerate(pieces) if piece is None]
    if len(lost) > _MAX_LOST:
        return
    for fill in product(_CONTINUATION, repeat=len(lost)):
        filled = list(pieces)
        for i, byte in zip(lost, fill):
            filled[i] = byte
        decoded = _decode_with_tail(b"".join(filled))
        if decoded is not None:
            yield decoded


def _decode_with_tail(data: bytes) -> tuple[str, int] | None:
    """The UTF-8 reading of data, allowing a cut-off last character: (text, bytes cut)."""
    for end in range(len(data), max(len(data) - _MAX_TAIL_BYTES, 0) - 1, -1):
        try:
            decoded = data[:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if not decoded or decoded.isascii():
            return None  # nothing non-ASCII came back: this was not mojibake
        return unicodedata.normalize("NFKC", decoded), len(data) - end
    return None


def _only_replacement(text: str) -> bool:
    return _REPLACEMENT in text and set(text) <= {_REPLACEMENT, "?"}
