"""Cue-word lists of rule data (period markers, comparison words, history cues …), each compiled once, shown as written.

quality.contradiction, meta.stale-year and meta.outdated-reference keep their
cue words (period markers, comparison words, history cues …) as rule data;
each list is parsed here into a `WordList` that matches all its words with
one regular expression, longest word first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_audit.rules.common import Checker, normalized
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.structure.outline import SectionVocabulary


@dataclass(frozen=True)
class WordList:
    words: tuple[str, ...]
    pattern: re.Pattern = field(compare=False, repr=False)

    @classmethod
    def of(cls, words: tuple[str, ...]) -> WordList:
        ordered = sorted(set(words), key=len, reverse=True)  # 上半年 before 半年
        body = "|".join(re.escape(w) for w in ordered) or r"(?!)"
        return cls(tuple(words), re.compile(body))

    def find(self, text: str) -> re.Match | None:
        return self.pattern.search(text)

    def last(self, text: str) -> re.Match | None:
        """The match that ends last (the word nearest the end of `text`)."""
        found = None
        for m in self.pattern.finditer(text):
            found = m
        return found

    def remove(self, text: str) -> str:
        return self.pattern.sub("", text)

    def startswith(self, text: str) -> str | None:
        m = self.pattern.match(text)
        return m.group(0) if m else None

    def endswith(self, text: str) -> str | None:
        return next((w for w in sorted(self.words, key=len, reverse=True) if text.endswith(w)), None)

    def __iter__(self):
        return iter(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)


def parse_words(c: Checker, data: LinedDict, key: str, values: dict) -> WordList:
    """A non-empty list of words, folded like report text (（ → ( …)."""
    return WordList.of(normalized(c.strings(data, key, data[key])))


def parse_positive_int(c: Checker, data: LinedDict, key: str, values: dict) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 20:
        c.fail(data, key, c.say("errors.positive_int", key=key))
    return value


def show_words(value: WordList, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    return "、".join(value.words) or "—"
