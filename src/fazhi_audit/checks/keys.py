"""YAML keys that several rule types share: scope, threshold, deadline, phrase lists."""

from __future__ import annotations

import re
from functools import lru_cache

from fazhi_audit.checks.findings import deadline_words
from fazhi_audit.checks.rule_type import Key
from fazhi_audit.rules.common import Checker, is_number, normalized
from fazhi_audit.rules.schema import SCOPE_KINDS
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.structure.outline import SectionVocabulary

DEADLINE_PATTERN = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")  # MM-DD of the next year
DEFAULT_THRESHOLD = 85.0


def parse_strings(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[str, ...]:
    return c.strings(data, key, data[key])


def parse_phrases(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[str, ...]:
    """Phrases folded like report text, so （ in a rule matches ( in a report."""
    return normalized(c.strings(data, key, data[key]))


def parse_regexes(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[re.Pattern, ...]:
    return c.regexes(data, key)


def parse_scope(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[str, ...]:
    kinds = c.strings(data, key, data[key])
    for kind in kinds:
        if kind not in SCOPE_KINDS:
            c.fail(data, key, c.say("errors.scope", key=key, kind=repr(kind), allowed=", ".join(sorted(SCOPE_KINDS))))
    return kinds


def parse_threshold(c: Checker, data: LinedDict, key: str, values: dict) -> float:
    value = data[key]
    if not is_number(value) or not 50 <= value <= 100:
        c.fail(data, key, c.say("errors.threshold", key=key))
    return float(value)


def parse_deadline(c: Checker, data: LinedDict, key: str, values: dict) -> str:
    value = str(data[key])
    if not DEADLINE_PATTERN.fullmatch(value):
        c.fail(data, key, c.say("errors.deadline", key=key))
    return value


def show_deadline(deadline: str, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    return deadline_words(deadline)


def show_parts(kinds, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    return "、".join(vocab.label(k) for k in kinds) or "全文"


def parse_synonyms(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[tuple[str, ...], ...]:
    """Groups of words a report may use for the same thing ([执法记录仪, 音像记录设备])."""
    raw = data[key]
    if not isinstance(raw, list):
        c.fail(data, key, c.say("errors.synonyms", key=key))
    groups = []
    for group in raw:
        words = c.strings(data, key, group)
        if len(words) < 2:
            c.fail(data, key, c.say("errors.synonym_group", key=key))
        groups.append(tuple(words))
    return tuple(groups)


def show_synonyms(groups, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    return "；".join("、".join(g) for g in groups) or "—"


def parse_share(c: Checker, data: LinedDict, key: str, values: dict) -> float:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        c.fail(data, key, c.say("errors.overlap", key=key))
    return float(value)


NEGATING_PREFIX = "非"  # 非现场执法 is the opposite of 现场执法: the prefix stays on its word


@lru_cache(maxsize=8192)
def word_forms(word: str, synonyms: tuple[tuple[str, ...], ...], generic: tuple[str, ...], pieces: bool = True) -> tuple[str, ...]:
    """What counts as `word` in a text: itself, for long words its first or last two characters
    (unless those are stock words), and each of these with a synonym put in for a word it holds
    (an information system -> an information platform): `synonyms` are the rule's groups and the pack's."""
    base = {word}
    if pieces and len(word) >= 3:
        # 非现场's last two characters say the opposite; 非法采砂's do not
        negated = word.startswith(NEGATING_PREFIX) and len(word) == 3
        base |= {piece for piece in (word[:2], *(() if negated else (word[-2:],))) if piece not in generic}
    forms = set(base)
    for form in base:
        for group in synonyms:
            for member in group:
                if member in form:
                    forms |= {form.replace(member, other) for other in group if other != member}
    return tuple(sorted(forms))


@lru_cache(maxsize=64)
def _synonym_pattern(synonyms: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    first = {member: group[0] for group in synonyms for member in group}
    words = sorted(first, key=len, reverse=True)  # longer words first
    return (re.compile("|".join(map(re.escape, words))) if words else None), first


@lru_cache(maxsize=8192)
def canonical_words(text: str, synonyms: tuple[tuple[str, ...], ...]) -> str:
    """`text` with every synonym put as its group's first word, longer words first and in one pass, so a
    word put in is never replaced again (recovering unpaid wages and recovering wage arrears read alike):
    for comparing two wordings of one thing character by character."""
    pattern, first = _synonym_pattern(synonyms)
    return pattern.sub(lambda m: first[m.group(0)], text) if pattern else text


# labels: keys.scope, keys.threshold and keys.deadline of vocab/messages.yaml (shared)
SCOPE = Key("scope", parse_scope, show=show_parts)
THRESHOLD = Key("threshold", parse_threshold)
DEADLINE = Key("deadline", parse_deadline, adjustable=True, show=show_deadline)
SYNONYMS = Key("synonyms", parse_synonyms, show=show_synonyms)
MIN_OVERLAP = Key("min_overlap", parse_share, adjustable=True)
