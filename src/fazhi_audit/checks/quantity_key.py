"""The quantity a figure counts, as a key two differently worded statements can share.

quality.contradiction first compares subjects as written (checks/types/contradiction.py).
Statements in different parts often name the same quantity in other words:
全年办理行政复议案件64件 / 全年共受理行政复议案件46件, 全年调处的278件矛盾纠纷中 /
镇村两级调解组织全年化解矛盾纠纷287件.  The key built here is:
- the counted object with its action verb: words before the figure, or, when the
  figure qualifies the noun after it (调处的278件矛盾纠纷), the words before plus
  that noun; verbs of one family are one verb (办理/受理, 调处/化解, rule data),
  unless one sentence of the report names both (收到…受理…不予受理: different quantities);
- light verbs (组织, 帮助, 完成 …) and scope words removed, scope words kept aside as
  the statement's scope (全县 / 本级 / 乡镇 …): two statements with different scopes
  are different quantities;
- the period, where a stock word (增至, 现有) makes 全年 and 现有 the same point in time.
Two keys name one quantity when their objects are equal, or the shorter one's
characters occur in order in the longer one and both end alike (食品抽检合格率 /
食品安全监督抽检合格率, 执法培训 / 执法业务培训).
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.word_lists import WordList


@dataclass(frozen=True)
class KeyWords:
    """The rule data the key is built from (quality.contradiction's keys)."""

    verb_families: tuple[tuple[str, ...], ...]  # first word of a group stands for the group
    noun_synonyms: tuple[tuple[str, ...], ...]
    light_verbs: WordList
    scope_words: dict  # word -> scope class (wide, own, or the word itself for a narrower scope)
    stock_cues: WordList
    noun_stops: WordList
    implied_nouns: WordList  # 案件: what a verb without its noun counts (办理法律援助 = 法律援助案件)

    def canonical(self, text: str) -> str:
        for group in (*self.noun_synonyms, *self.verb_families):
            for word in sorted(group[1:], key=len, reverse=True):
                text = text.replace(word, group[0])
        return text

    def family(self, verb: str) -> str | None:
        return next((g[0] for g in self.verb_families if verb in g), None)

    def verbs(self) -> WordList:
        """Every verb of the families as one list, built once: each figure of a report asks."""
        built = self.__dict__.get("_verbs")
        if built is None:
            built = WordList.of(tuple(w for g in self.verb_families for w in g))
            object.__setattr__(self, "_verbs", built)  # frozen: a cache, not a field
        return built


@dataclass(frozen=True)
class QuantityKey:
    obj: str  # the counted object, verbs canonical, scope and light verbs removed
    verb: str  # the raw action verb, "" when none
    scope: frozenset  # scope classes named
    stock: bool  # a point-in-time count (增至, 现有)


def scope_of(text: str, words: KeyWords, body: str | None) -> tuple[str, frozenset]:
    """The text without scope words, and the scope classes it names (those in the body's own name count as own)."""
    found = set()
    for word in sorted(words.scope_words, key=len, reverse=True):
        if word in text:
            kind = words.scope_words[word]
            if kind not in _BROAD and text.endswith(word) and text.count(word) == 1 and len(text) > len(word):
                continue  # the counted thing itself (检查企业1342家次), not a narrower scope of it
            found.add("own" if body and word in body and kind != "wide" else kind)
            text = text.replace(word, "")
    return text, frozenset(found)


def build(subject: str, clause: str, words: KeyWords, body: str | None) -> QuantityKey:
    text, scope = scope_of(subject, words, body)
    verb_match = words.verbs().last(text)
    verb = verb_match.group(0) if verb_match else ""
    if verb_match and verb_match.end() == len(text) and verb_match.start() > 0:
        text = verb + text[: verb_match.start()]  # 信访积案化解 (object put first) is 化解信访积案
    obj = words.canonical(text)
    while (lead := words.light_verbs.startswith(obj)) and len(lead) < len(obj):  # 组织…培训, 帮助…: only as the leading verb
        obj = obj[len(lead) :]
    generic = words.implied_nouns.endswith(obj)
    if generic and len(generic) < len(obj):  # 法律援助案件 / 办理法律援助: the noun the verb governs is implied
        obj = obj[: -len(generic)]
    return QuantityKey(obj, verb, scope, bool(words.stock_cues.find(clause)))


def _in_order(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


_BROAD = ("wide", "own")
_NEGATIONS = ("不予", "未", "不", "无", "没")  # 不予受理 is not 受理


def same_scope(a: frozenset, b: frozenset) -> bool:
    """A narrower scope (township, department) must be named by both; county-wide and own-level differ only when both are named."""
    if {s for s in a if s not in _BROAD} != {s for s in b if s not in _BROAD}:
        return False
    wa, wb = a & set(_BROAD), b & set(_BROAD)
    return not (wa and wb and wa != wb)


def same_quantity(a: QuantityKey, b: QuantityKey, min_chars: int, distinct_verbs: set[frozenset]) -> bool:
    if not same_scope(a.scope, b.scope):
        return False
    if a.verb and b.verb and a.verb != b.verb and frozenset((a.verb, b.verb)) in distinct_verbs:
        return False
    if any(n in a.obj for n in _NEGATIONS) != any(n in b.obj for n in _NEGATIONS):
        return False
    short, long_ = sorted((a.obj, b.obj), key=len)
    if len(short) < min_chars:
        return False
    return short == long_ or (short[-2:] == long_[-2:] and _in_order(short, long_))
