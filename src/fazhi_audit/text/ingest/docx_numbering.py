"""Word's automatic numbering: replay numbering.xml counters to get list labels.

Word keeps list numbers ("一、", "（二）", "3.") out of the paragraph text and
draws them from numbering.xml; `Numbering.label_for(p)` gives the label Word
shows before paragraph p, when paragraphs are asked for in document order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from fazhi_audit.text.ingest.docx_style_table import StyleTable, W
from fazhi_audit.text.numerals import (
    CN_DIGITS,
    CN_LEGAL_DIGITS,
    CN_LEGAL_TRAD_DIGITS,
    chinese_counting,
)

_LEVELS = range(9)  # w:ilvl 0-8


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: 0 = never, N = after level N
    legal: bool = False  # w:isLgl: show all levels as decimal
    style: str | None = None  # w:pStyle linking a style to this level


@dataclass
class NumInstance:
    abstract_id: str
    levels: dict[int, Level]
    start_overrides: dict[int, int] = field(default_factory=dict)


@dataclass
class Numbering:
    nums: dict[str, NumInstance]
    styles: Mapping[str, tuple[str | None, int | None, str | None]]  # id -> numId, ilvl, basedOn
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    # w:startOverride values waiting for the level's next use
    restart_at: dict[str, dict[int, int]] = field(default_factory=dict)
    overrides_applied: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document) -> "Numbering":
        root = _numbering_root(document)
        styles = _style_numbering(document)
        if root is None:
            return cls({}, styles)
        abstracts = {a.get(f"{W}abstractNumId"): a for a in root.iterchildren(f"{W}abstractNum")}
        # numId -> its abstractNumId, found once (a list style link would otherwise rescan every w:num)
        linked: dict[str, str | None] = {}
        for num in root.iterchildren(f"{W}num"):
            linked.setdefault(num.get(f"{W}numId"), _val(num, "abstractNumId"))
        nums = {}
        for num in root.iterchildren(f"{W}num"):
            instance = _num_instance(num, abstracts, linked, styles)
            if instance is not None:
                nums[num.get(f"{W}numId")] = instance
        return cls(nums, styles)

    def label_for(self, p) -> str:
        found = self._num_pr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        instance = self.nums.get(num_id)
        if instance is None or ilvl not in instance.levels:
            return ""
        counts = self._advance(num_id, instance, ilvl)
        return _render(instance.levels, ilvl, counts)

    def _num_pr(self, p) -> tuple[str, int] | None:
        """numId/ilvl from the paragraph, else from its style chain."""
        num_pr = p.find(f"{W}pPr/{W}numPr")
        num_id = _val(num_pr, "numId")
        ilvl = _int(_val(num_pr, "ilvl"))
        style_id = _val(p.find(f"{W}pPr"), "pStyle")
        if num_id is None:
            num_id, style_ilvl = self._style_num(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0":  # numId 0 switches numbering off
            return None
        if ilvl is None:
            ilvl = self._level_linked_to(num_id, style_id)
        return num_id, ilvl

    def _style_num(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            num_id, ilvl, based_on = self.styles[style_id]
            if num_id is not None:
                return num_id, ilvl
            style_id = based_on
        return None, None

    def _level_linked_to(self, num_id: str, style_id: str | None) -> int:
        instance = self.nums.get(num_id)
        if instance and style_id:
            for ilvl, level in instance.levels.items():
                if level.style == style_id:
                    return ilvl
        return 0

    def _advance(self, num_id: str, instance: NumInstance, ilvl: int) -> dict[int, int]:
        # lists sharing an abstract definition continue each other's counts
        counts = self.counters.setdefault(instance.abstract_id, {})
        restarts = self.restart_at.setdefault(instance.abstract_id, {})
        if num_id not in self.overrides_applied:
            self.overrides_applied.add(num_id)
            for level, start in instance.start_overrides.items():
                counts.pop(level, None)
                restarts[level] = start
        if ilvl in restarts:
            counts[ilvl] = restarts.pop(ilvl)
        elif ilvl in counts:
            counts[ilvl] += 1
        else:
            counts[ilvl] = instance.levels[ilvl].start
        for deeper, level in instance.levels.items():
            if deeper > ilvl and deeper in counts and _restarts(level, deeper, ilvl):
                del counts[deeper]
        return {lvl: counts.get(lvl, instance.levels[lvl].start) for lvl in instance.levels}


def _restarts(level: Level, deeper: int, used: int) -> bool:
    if level.restart == 0:
        return False
    limit = deeper if level.restart is None else level.restart
    return used < limit


def _render(levels: dict[int, Level], ilvl: int, counts: dict[int, int]) -> str:
    level = levels[ilvl]
    if level.fmt == "bullet":
        return ""  # bullets are decoration, not numbering

    def number(match: re.Match) -> str:
        ref = int(match.group(1)) - 1
        ref_level = levels.get(ref, Level())
        fmt = "decimal" if level.legal and ref_level.fmt != "none" else ref_level.fmt
        return format_number(counts.get(ref, ref_level.start), fmt)

    return re.sub(r"%([1-9])", number, level.text).strip()


def _numbering_root(document):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except (KeyError, AttributeError):
        return None


def _style_numbering(document) -> StyleTable:
    """style id -> numId, ilvl and basedOn of its paragraph numbering."""
    return StyleTable(document, _style_num_pr)


def _style_num_pr(style) -> tuple[str | None, int | None, str | None]:
    num_pr = style.find(f"{W}pPr/{W}numPr")
    return _val(num_pr, "numId"), _int(_val(num_pr, "ilvl")), _val(style, "basedOn")


def _num_instance(num, abstracts, linked, styles) -> NumInstance | None:
    abstract_id = _val(num, "abstractNumId")
    abstract = _resolve_abstract(abstracts.get(abstract_id), abstracts, linked, styles)
    if abstract is None:
        return None
    # Word has levels 0-8 only; more (a crafted file may hold 10,000) would make every label cost them all
    levels = {ilvl: _level(lvl) for lvl in abstract.iterchildren(f"{W}lvl") if (ilvl := int(lvl.get(f"{W}ilvl", "0"))) in _LEVELS}
    instance = NumInstance(abstract.get(f"{W}abstractNumId"), levels)
    for override in num.iterchildren(f"{W}lvlOverride"):
        ilvl = int(override.get(f"{W}ilvl", "0"))
        if ilvl not in _LEVELS:
            continue
        replacement = override.find(f"{W}lvl")
        if replacement is not None:
            levels[ilvl] = _level(replacement)
        start = _int(_val(override, "startOverride"))
        if start is not None:
            instance.start_overrides[ilvl] = start
    return instance


def _resolve_abstract(abstract, abstracts, linked, styles, depth: int = 0):
    """Follow w:numStyleLink (a list style) to the definition holding levels."""
    if abstract is None or depth > 5:
        return None
    link = _val(abstract, "numStyleLink")
    if link is None or abstract.find(f"{W}lvl") is not None:
        return abstract
    num_id = styles.get(link, (None, None, None))[0]
    if num_id is None or num_id not in linked:
        return None
    return _resolve_abstract(abstracts.get(linked[num_id]), abstracts, linked, styles, depth + 1)


def _level(lvl) -> Level:
    start = _int(_val(lvl, "start"))
    return Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=1 if start is None else start,
        restart=_int(_val(lvl, "lvlRestart")),
        legal=lvl.find(f"{W}isLgl") is not None,
        style=_val(lvl, "pStyle"),
    )


def _val(element, name: str) -> str | None:
    if element is None:
        return None
    child = element.find(f"{W}{name}")
    return None if child is None else child.get(f"{W}val")


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


# ---------------------------------------------------------------- number formats

_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_IDEOGRAPH_CIRCLED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"


def format_number(n: int, fmt: str) -> str:
    """Render counter n in a WordprocessingML w:numFmt."""
    if fmt == "none":
        return ""
    formatter = _FORMATTERS.get(fmt)
    return formatter(n) if formatter else str(n)


def _counting_thousand(n: int) -> str:
    return chinese_counting(n, digits="零一二三四五六七八九")


def _legal(n: int, digits: str = CN_LEGAL_DIGITS) -> str:
    return chinese_counting(n, digits=digits, units="拾佰仟", short_teens=False)


def _digital(n: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)


def _cyclic(symbols: str):
    return lambda n: symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


def _enclosed(symbols: str):
    return lambda n: symbols[n - 1] if 1 <= n <= len(symbols) else str(n)


def _letters(upper: bool):
    def render(n: int) -> str:
        if n <= 0:
            return str(n)
        letter = chr(ord("A" if upper else "a") + (n - 1) % 26)
        return letter * ((n - 1) // 26 + 1)  # Word: Z, AA, BB …

    return render


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    pairs = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, numeral in pairs:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _fullwidth(n: int) -> str:
    return "".join(chr(ord(d) + 0xFEE0) if d.isdigit() else d for d in str(n))


_FORMATTERS = {
    "decimal": str,
    "decimalHalfWidth": str,
    "ordinal": str,
    "cardinalText": str,
    "ordinalText": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": _fullwidth,
    "decimalFullWidth2": _fullwidth,
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letters(True),
    "lowerLetter": _letters(False),
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": _counting_thousand,
    "japaneseCounting": chinese_counting,
    "taiwaneseCounting": chinese_counting,
    "taiwaneseCountingThousand": _counting_thousand,
    "koreanCounting": chinese_counting,
    "chineseLegalSimplified": _legal,
    "ideographLegalTraditional": lambda n: _legal(n, CN_LEGAL_TRAD_DIGITS),
    "ideographDigital": _digital,
    "taiwaneseDigital": _digital,
    "koreanDigital": _digital,
    "japaneseDigitalTenThousand": _digital,
    "ideographTraditional": _cyclic(_HEAVENLY_STEMS),
    "ideographZodiac": _cyclic(_EARTHLY_BRANCHES),
    "decimalEnclosedCircle": _enclosed(_CIRCLED),
    "decimalEnclosedCircleChinese": _enclosed(_CIRCLED),
    "decimalEnclosedFullstop": _enclosed(_FULLSTOP),
    "decimalEnclosedParen": _enclosed(_PAREN),
    "ideographEnclosedCircle": _enclosed(_IDEOGRAPH_CIRCLED),
}
