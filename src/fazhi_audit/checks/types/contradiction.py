"""contradiction: the same count or rate for the same subject and period given two different figures.

Every figure (a number with a measure word: 146件, 98.6%) in the parts in
scope becomes a mention with
- its subject: the words before it in its clause (受理行政复议案件), with
  period words and fillers (共, 各类, 经审查) removed; a bare verb
  (经审查受理146件) takes its object from the figure before it in the same
  paragraph (收到行政复议申请158件 -> 受理行政复议申请), and a bare rate what
  the figure before it in the sentence counted (调处矛盾纠纷185件,调解成功率97.3%
  -> 矛盾纠纷调解成功率);
- its period: the period word nearest before it in its clause, or in opening
  clauses without figures (全年, 累计, 2021年以来, 其中, 新增 …; the report
  year counts as 全年).
Figures after a comparison (较上年的241件), targets (力争…达到), changes
(增长9.6%) and figures that qualify a following noun (14个乡镇) are left out.

Two mentions state the same thing when unit and period agree and one
subject equals the other or ends it (出具法律意见书 / 街道法律顾问出具法律意见书:
the longer names the actor the shorter leaves implicit), unless the added
words negate it (未) or move it to another scope (乡镇, 全县: the rule's
qualifiers, except those in the body's own name); within one part, under two
different sub-headings, only equal subjects count.  Subjects shorter than
`min_subject` characters say too little to compare.  Mentions are grouped by
unit, period and the last characters of the subject, so only candidates are
compared.  Each conflicting pair is one finding with two items.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, part_labels, sentence_evidence
from fazhi_audit.checks.keys import SCOPE, canonical_words
from fazhi_audit.checks.word_lists import (
    WordList,
    parse_positive_int,
    parse_words,
    show_words,
)
from fazhi_audit.checks.quantity_key import KeyWords, QuantityKey, build, same_quantity, same_scope, scope_of
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.common import Checker, normalized
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text import enumeration
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.figures import (
    Clauses,
    Figure,
    UnitTable,
    find_years,
    in_ranges,
    title_ranges,
)
from fazhi_audit.text.structure.outline import SectionVocabulary

PERIOD_CLASSES = ("current", "cumulative", "partial", "previous", "increment")  # named by periods.<class>
DEFAULT_SCOPE = ("preamble", "achievements", "first_responsible", "shortcomings", "other", "extra")
# After the measure word, words that leave the figure a predicate (受理146件的经验, 43份中有9份);
# any other Chinese character means the figure qualifies a noun (14个乡镇) and has no subject before it.
_FOLLOWERS = ("的", "中", "等", "以上", "以下", "以内", "左右", "之多", "均", "全部", "已", "并", "且", "其中")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOUN_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z()]")  # 3481件12345热线工单, 44个审计(调查)项目: digits, asides
_OPENING_QUOTES = "“\"‘'「『"
_CLOSING_QUOTES = "”\"’'」』"
_ENUMERATOR = enumeration.OPENING_WORD
_NOISE = re.compile(r"[\s“”\"'‘’《》〈〉()\[\]「」『』<>·…—\-/|:]")
_NEGATIONS = ("未", "不", "无", "非", "没", "否")
_KEY_RATIO = 5  # two statements of one count this far apart are a part and its whole, unless only digits swapped
_LEVEL = ("至", "到")  # 提升至92.7%, 提高到: the level reached, a statement of this year, not a comparison
_NOT_DONE = ("未", "不", "无", "没")  # 不予受理 is not 受理; 非法 and 违法 are the thing counted, not its negation
_CONTEXT_CHARS = 24  # a figure with too short a subject: this much of its sentence before it, for the similarity pass
_SUBJECT_CHARS = 50  # the words before a figure read as its subject, at most
_MAX_PER_SUBJECT = 5  # findings about one subject; more only in machine-made text
_MAX_ANCHORS = 200  # distinct subjects compared per group (unit, period, end of subject)
_RATE = "率"  # a bare rate (调解成功率) is the rate of what the figure before it counted
_MONTHS = re.compile(r"(?<![\d.])\d{1,2}(?:\s*[-—~至]\s*\d{1,2})?\s*月(?:份)?")  # 1-6月, 3月份: part of the year


@dataclass(frozen=True)
class Periods:
    """Period words by class (current, cumulative, …), matched with one pattern."""

    classes: dict  # word -> class
    words: WordList
    labels: dict = field(default_factory=dict, compare=False)  # class -> its name, for `rules show`

    def __hash__(self) -> int:
        return hash(self.words.words)


@dataclass(frozen=True)
class Params:
    units: UnitTable
    periods: Periods
    comparison_cues: WordList
    target_cues: WordList
    skip_cues: WordList
    fillers: WordList
    leading_words: WordList
    trailing_words: WordList
    generic_nouns: WordList
    stage_verbs: WordList
    qualifiers: WordList  # 乡镇, 部分, 全县: words that narrow or widen the subject to another scope
    kept_endings: WordList = WordList.of(())  # words a trailing word must not be cut out of (行为 is not 行 + 为)
    min_subject: int = 4
    scope: tuple[str, ...] = DEFAULT_SCOPE
    key_words: KeyWords | None = None  # the quantity key's data (checks/quantity_key.py); None: subjects as written only
    similarity: Similarity | None = None  # the third pass: alike objects (None: no such pass)


@dataclass
class Mention:
    sentence: Sentence
    figure: Figure
    subject: str  # normalised, for comparing
    quote: str  # the clause words up to and including the figure, as written
    period: str
    qualifying: bool = False  # the figure qualifies the noun after it (调处的278件矛盾纠纷): quantity key only
    clause: str = ""
    loose: bool = False  # its subject is a guess (words around the figure, a borrowed object): the similarity pass only
    wide: str = ""  # the whole clause before the figure, when the subject is one item of a list (查处A、B等案件217件)
    acted: str = ""  # for a figure before its noun, what the clause says was done to them after it (…均经合法性审核)
    key: QuantityKey | None = field(default=None, compare=False, repr=False)  # see key_of

    @property
    def line(self) -> int:
        return self.sentence.line


# --- parsing the rule's keys ---------------------------------------------------------


def _parse_units(c: Checker, data: LinedDict, key: str, values: dict) -> UnitTable:
    groups = []
    for entry in c.strings(data, key, data[key]):
        words = tuple(w.strip() for w in entry.split("/") if w.strip())
        if not words:
            c.fail(data, key, c.say("errors.empty_unit", key=key))
        groups.append(words)
    seen = [w for g in groups for w in g]
    if len(seen) != len(set(seen)):
        c.fail(data, key, c.say("errors.duplicate_unit", key=key))
    return UnitTable(tuple(groups))


def _parse_periods(c: Checker, data: LinedDict, key: str, values: dict) -> Periods:
    mapping = c.mapping(data[key], key)
    classes = {}
    for name in mapping:
        if name not in PERIOD_CLASSES:
            c.fail(mapping, name, c.say("errors.unknown_period", key=key, name=repr(name), allowed=", ".join(PERIOD_CLASSES)))
        for word in parse_words(c, mapping, name, values):
            classes[word] = name
    return Periods(classes, WordList.of(tuple(classes)), {name: c.say(f"periods.{name}") for name in PERIOD_CLASSES})


_KEY_PARTS = {"verb_families", "noun_synonyms", "light_verbs", "scope", "stock_cues", "noun_stops", "implied_nouns"}
_SCOPE_CLASSES = ("wide", "own", "narrow")


def _groups(c: Checker, node: LinedDict, key: str) -> tuple[tuple[str, ...], ...]:
    raw = node.get(key, [])
    if not isinstance(raw, list):
        c.fail(node, key, f"{key} 必须是列表，每项为一组同义词（如 [办理, 受理]），第一个词代表全组")
    groups = tuple(tuple(normalized(c.strings(node, key, g))) for g in raw)
    if any(len(g) < 2 for g in groups):
        c.fail(node, key, f"{key} 的每组至少两个词")
    return groups


def _parse_quantity_key(c: Checker, data: LinedDict, key: str, values: dict) -> KeyWords:
    node = c.mapping(data[key], key)
    c.keys(node, _KEY_PARTS, {"verb_families", "scope"}, key)
    scope_node = c.mapping(node["scope"], f"{key}.scope")
    scope_words: dict[str, str] = {}
    for kind in scope_node:
        if kind not in _SCOPE_CLASSES:
            c.fail(scope_node, kind, f"{key}.scope 中未知的范围类别 {kind!r}；允许：{', '.join(_SCOPE_CLASSES)}")
        for word in normalized(c.strings(scope_node, kind, scope_node[kind])):
            scope_words[word] = word if kind == "narrow" else kind  # each narrower scope is its own
    def words(name: str) -> WordList:
        return WordList.of(normalized(c.strings(node, name, node[name]))) if name in node else WordList.of(())
    return KeyWords(_groups(c, node, "verb_families"), _groups(c, node, "noun_synonyms"), words("light_verbs"),
                    scope_words, words("stock_cues"), words("noun_stops"), words("implied_nouns"))


def _show_quantity_key(value: KeyWords | None, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    if value is None or wording is None:
        return "—"
    families = "；".join("/".join(g) for g in (*value.verb_families, *value.noun_synonyms))
    return wording.say("show.key_words", families=families, light=show_words(value.light_verbs, vocab), stock=show_words(value.stock_cues, vocab))


def _show_units(value: UnitTable, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    groups: dict[str, list[str]] = defaultdict(list)
    for word, canonical in value.canonical.items():
        groups[canonical].append(word)
    return "、".join("/".join(ws) for ws in groups.values())


def _show_periods(value: Periods, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    by_class: dict[str, list[str]] = defaultdict(list)
    for word, name in value.classes.items():
        by_class[name].append(word)
    return "；".join(f"{value.labels.get(name, name)}：{'、'.join(ws)}" for name, ws in by_class.items())


# --- mentions ---------------------------------------------------------------------


@dataclass
class _Sentence:
    """What every figure of one sentence needs, found once per sentence: clauses,
    cue positions and period words (a sentence may be a page run together)."""

    clauses: Clauses
    left_out: list[tuple[int, int]]  # (start, end) of comparison and target words
    skip_clauses: set[int]  # clauses that list several values (分别)
    periods: list[tuple[int, int, int, str]]  # (end, rank, start, period) of every period word, sorted
    figure_clauses: set[int]  # clauses that hold a figure
    regions: dict[int, int] = field(default_factory=dict)  # clause -> first clause its period may come from

    @classmethod
    def read(cls, text: str, figures: list[Figure], year: int | None, p: Params) -> _Sentence:
        clauses = Clauses(text)
        left_out = sorted((m.start(), m.end()) for words in (p.comparison_cues, p.target_cues) for m in words.pattern.finditer(text)
                          if words is p.target_cues or not text.startswith(_LEVEL, m.end()))
        skip = {clauses.index(m.start()) for m in p.skip_cues.pattern.finditer(text)}
        return cls(clauses, left_out, skip, _period_words(text, year, p), {clauses.index(f.start) for f in figures})

    def _first_clause(self, ci: int) -> int:
        """The first of the figure-free clauses right before clause `ci` (or `ci` itself)."""
        if ci not in self.regions:
            first = ci
            while first > 0 and first - 1 not in self.figure_clauses:
                first -= 1
            self.regions[ci] = first
        return self.regions[ci]

    def left_out_before(self, clause_start: int, at: int) -> bool:
        """A comparison or target word between the clause start and `at` (较上年的241件, 力争…100%)."""
        i = bisect_left(self.left_out, (clause_start, -1))
        return i < len(self.left_out) and self.left_out[i][1] <= at

    def period(self, at: int) -> str:
        """The period word nearest before `at`, looked for in its clause and in the clauses
        before it that hold no figure (an opening 2021年以来, / 2023年,): a period word in an
        earlier clause with its own figure (累计罚款金额33.75万元) is that figure's."""
        region = self.clauses.starts[self._first_clause(self.clauses.index(at))]
        i = bisect_right(self.periods, (at, math.inf)) - 1
        return self.periods[i][3] if i >= 0 and self.periods[i][2] >= region else "current"


def _period_words(text: str, year: int | None, p: Params) -> list[tuple[int, int, int, str]]:
    """(end, rank, start, period) of every period word, sorted; the report year counts as current.

    At the same end a year-based period (rank 1) sorts last, so it wins: it is the more precise."""
    out = []
    for m in p.periods.words.pattern.finditer(text):
        kind = p.periods.classes[m.group(0)]
        if kind == "cumulative" and out and out[-1][0] == m.start() and out[-1][3] == "current":
            continue  # 全年累计: the year's total, not a count since some earlier year
        # parts of a year differ from each other (一季度 / 二季度), so the word is the period
        out.append((m.end(), 0, m.start(), f"partial:{m.group(0)}" if kind == "partial" else kind))
    for m in _MONTHS.finditer(text):
        out.append((m.end(), 0, m.start(), f"partial:{m.group(0)}"))
    titles = title_ranges(text)
    for y in find_years(text):
        if in_ranges(titles, y.start):
            continue
        since = text.startswith("以来", y.end)
        if y.until is not None or since:
            kind, end = f"cumulative:{y.year}", y.end + (2 if since else 0)
        elif year is not None and y.year == year:
            kind, end = "current", y.end
        else:
            kind, end = f"year:{y.year}", y.end
        out.append((end, 1, y.start, kind))
    return sorted(out)


def normalise_subject(raw: str, p: Params) -> str:
    """The words that name what is counted: 全年共调解矛盾纠纷 -> 调解矛盾纠纷."""
    text = _NOISE.sub("", raw)
    for y in reversed(find_years(text)):
        text = text[: y.start] + text[y.end :]
    text = p.periods.words.remove(text)
    text = p.fillers.remove(text)
    text = _ENUMERATOR.sub("", text)
    changed = True
    while changed and text:
        changed = False
        lead = p.leading_words.startswith(text)
        if lead:
            text, changed = text[len(lead) :], True
        trail = p.trailing_words.endswith(text)
        kept = p.kept_endings.endswith(text)
        if trail and len(trail) < len(text) and not (kept and len(kept) > len(trail)):  # 违法行为 keeps its 为
            text, changed = text[: -len(trail)], True
    return text


def _head_noun(subject: str, p: Params) -> str:
    """A subject without the generic noun its verb governs: 受理行政复议申请 -> 受理行政复议.

    Only after a verb: a bare 行政复议申请 and 行政复议案件 are different things."""
    noun = p.generic_nouns.endswith(subject)
    if noun and len(noun) < len(subject) and p.stage_verbs.find(subject[: -len(noun)]):
        return subject[: -len(noun)]
    return subject


def _object_of(subject: str, p: Params) -> str | None:
    """What a subject's last verb counts: (县政府)收到行政复议申请 -> 行政复议申请."""
    verb = p.stage_verbs.last(subject)
    return subject[verb.end() :] if verb and verb.end() < len(subject) else None


def _counted(subject: str, p: Params) -> str | None:
    """What a subject counts, after its last verb: 调解组织调处矛盾纠纷 -> 矛盾纠纷."""
    verb = p.stage_verbs.last(subject)
    rest = _head_noun(subject[verb.start() :], p)[verb.end() - verb.start() :] if verb else ""
    return rest or None


def mentions_in(doc: Document, p: Params) -> list[Mention]:
    out: list[Mention] = []
    year = doc.meta.year
    last_object: dict[int, str] = {}  # line index -> object of the last verb-led subject there
    for s in doc.sentences:
        if s.kind not in p.scope:
            continue
        text = s.text
        figures = p.units.find(text)
        if not figures:
            continue
        seen = _Sentence.read(text, figures, year, p)
        previous_end = 0
        counted = None  # what the last figure of this sentence counted
        for fig in figures:
            clause_start, _ = seen.clauses.span(fig.start)
            # the subject starts after the clause mark, the figure before it or an enumeration mark,
            # and says what it counts in its last words
            lo = max(clause_start, previous_end, fig.start - _SUBJECT_CHARS)
            lo = text.rfind("、", lo, fig.start) + 1 or lo
            if lo == clause_start and lo > 0 and text[lo - 1] == ":" and not text[lo : fig.start].strip():
                lo = seen.clauses.span(lo - 1)[0]  # a table row or list line: 行政处罚案件:58件
            enumerated = lo == fig.start and lo > 0 and text[lo - 1] == "、" and lo - 1 == previous_end  # 6期、420人次: the same subject
            previous_end = fig.end
            ci = seen.clauses.index(fig.start)
            if ci in seen.skip_clauses or seen.left_out_before(clause_start, fig.start):
                continue
            clause = text[slice(*seen.clauses.span(fig.start))]
            if not _predicative(text, fig):
                m = _qualifying(text, lo, fig, p, s, seen.period(fig.start), clause)
                if m is not None:
                    out.append(m)
                continue
            if enumerated and out and out[-1].sentence is s:
                prior = out[-1]
                out.append(Mention(s, fig, prior.subject, text[lo : fig.end], prior.period, clause=clause))
                continue
            subject = normalise_subject(text[lo : fig.start], p)
            if subject in p.stage_verbs.words and s.index in last_object:
                subject += last_object[s.index]  # 经审查受理146件: 受理 what the figure before received
            elif subject.endswith(_RATE) and counted and counted not in subject:
                subject = counted + subject  # 调处矛盾纠纷185件,调解成功率97.3%: the rate of those 矛盾纠纷
            obj = _object_of(subject, p)
            if obj:
                last_object[s.index] = obj
            subject = _head_noun(subject, p)
            if len(subject) < p.min_subject:
                prior = out[-1] if out and out[-1].sentence is s and out[-1].clause == clause else None
                if prior is not None and subject:  # 培训班6期、培训1450人次: the same object, another measure
                    out.append(Mention(s, fig, prior.subject + subject, text[lo : fig.end], seen.period(fig.start), clause=clause, loose=True))
                else:  # 参训2186人次: what the sentence said before it stands in for the subject
                    context = normalise_subject(text[max(0, fig.start - _CONTEXT_CHARS) : fig.start], p)
                    # a short name of an amount is compared too (罚没款 / 罚没收入); a bare rate (办结率) is of
                    # whatever the clause before counted, so only the context says what
                    own = subject if len(subject) >= 2 and not subject.endswith(_RATE) else ""
                    if len(context) >= p.min_subject:
                        out.append(Mention(s, fig, context, text[lo : fig.end], seen.period(fig.start), clause=clause, loose=True, wide=own))
                    elif len(own) >= 3:  # 全年罚没款368.5万元 opening its sentence: the name alone
                        out.append(Mention(s, fig, own, text[lo : fig.end], seen.period(fig.start), clause=clause, loose=True))
                continue
            counted = _counted(subject, p) or counted
            wide = _head_noun(normalise_subject(text[clause_start : fig.start], p), p) if lo > clause_start else ""
            out.append(Mention(s, fig, subject, text[lo : fig.end], seen.period(fig.start), clause=clause, wide=wide))
    return out


# 全部经法律顾问审查: the agent and what it did; not 未经 (not reviewed) nor 经济, 经营, 经费
_NOT_BEFORE_PASSIVE = "".join(_NOT_DONE)
_PASSIVE = re.compile(rf"[^,;:。!?]{{0,4}}?(?<![{_NOT_BEFORE_PASSIVE}])经过?(?![济营费])([^,;:。!?]{{1,12}})")


def _qualifying(text: str, lo: int, fig: Figure, p: Params, s: Sentence, period: str, clause: str) -> Mention | None:
    """A figure before the noun it counts, when what precedes it makes it the count
    (调处的278件矛盾纠纷, 全年1063件法律援助案件中) rather than a size (全县14个乡镇)."""
    kw = p.key_words
    if kw is None:
        return None
    before = text[lo : fig.start]
    lead = normalise_subject(before, p)
    rest = text[fig.end : fig.end + _SUBJECT_CHARS]
    quoted = len(rest) - len(rest.lstrip(_OPENING_QUOTES))  # 163名“法律明白人”: the noun in quotation marks
    rest = rest[quoted:]
    end = min((i for i, ch in enumerate(rest) if not _NOUN_CHAR.match(ch)), default=len(rest))
    stop = kw.noun_stops.find(rest[:end])
    noun = rest[: stop.start() if stop else end]
    generic = p.generic_nouns.find(noun)
    if generic:  # 113件复议案件逐案把关: the noun ends with its generic noun, the rest is what was done
        noun = noun[: generic.end()]
    among = rest[len(noun) :].lstrip(_CLOSING_QUOTES).startswith("中")  # 全街道68名网格员中: how many there are
    guess = not (before.endswith("的") or not lead or among or kw.verbs().endswith(lead) or kw.light_verbs.endswith(lead)
                 or not scope_of(lead, kw, None)[0])  # only scope words before it: 全局9名公职律师
    subject = lead + p.fillers.remove(noun)  # 271件各类违法案件: 各类 says nothing about what is counted
    if len(noun) >= 2 and len(subject) < p.min_subject and among:  # 全年2871件工单中: what the sentence said before names them
        context = normalise_subject(text[max(0, fig.start - _CONTEXT_CHARS) : fig.start], p) + subject
        return Mention(s, fig, context, text[lo : fig.end + quoted + len(noun)], period, qualifying=True, clause=clause, loose=True, wide=subject)
    if len(noun) < 2 or len(subject) < p.min_subject:
        return None
    # otherwise the words around it may still name what it counts (区政府常务会议3次专题研究…): a guess
    mention = Mention(s, fig, subject, text[lo : fig.end + quoted + len(noun)], period, qualifying=True, clause=clause, loose=guess)
    passive = _PASSIVE.match(rest[len(noun) :])  # 出台的32件规范性文件均经合法性审核: they count as reviewed too
    verb = p.stage_verbs.last(passive.group(1)) if passive else None
    if verb:
        mention.acted = normalise_subject(passive.group(1)[: verb.end()], p) + p.fillers.remove(noun)
    return mention


def _predicative(text: str, fig: Figure) -> bool:
    """False when the figure qualifies the noun after it (14个乡镇, 163名“法律明白人”, 3481件12345热线工单),
    so nothing before it is its subject."""
    after = text[fig.end : fig.end + 3].lstrip(_OPENING_QUOTES)
    return not after or not _NOUN_CHAR.match(after[0]) or after.startswith(_FOLLOWERS)


# --- pairing -------------------------------------------------------------------------


def same_subject(a: str, b: str, qualifiers: WordList | None = None) -> bool:
    """Equal, or the longer only adds words in front that name who did it
    (街道法律顾问 + 出具法律意见书) rather than negate it (未) or move it to
    another scope (乡镇 + 执法案卷评查优秀率, 全县 + 审查合同): `qualifiers` lists those."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short == long_:
        return True
    if not long_.endswith(short):
        return False
    extra = long_[: -len(short)]
    return not any(n in extra for n in _NEGATIONS) and not (qualifiers and qualifiers.find(extra))  # 不予受理 is not 受理


def _other_topic(a: Sentence, b: Sentence) -> bool:
    """Under two different sub-headings of one part: a subject shortened in one
    (提出修改意见) is about that sub-heading's topic, not the other's."""
    ha, hb = getattr(a, "heading", ""), getattr(b, "heading", "")
    return a.section == b.section and bool(ha) and bool(hb) and ha != hb


def _qualifiers(p: Params, body: str | None) -> WordList:
    """The qualifiers that change a subject's scope in this report: not those in the body's own name
    (a 街道 report's 街道法律顾问 is the body itself)."""
    return WordList.of(tuple(w for w in p.qualifiers if not (body and w in body)))


def conflicts(mentions: list[Mention], min_subject: int, qualifiers: WordList | None = None) -> list[tuple[Mention, Mention, str]]:
    """(first, later, shared subject) for each later statement that disagrees with the first one.

    Within a group (unit, period, end of subject) each distinct subject keeps
    its first mention as the anchor; a later mention is compared with the
    anchors only, so the work grows with mentions × distinct subjects, and each
    disagreeing value is reported once, against the statement made first.
    """
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.qualifying or m.loose:
            continue
        groups[(m.figure.unit, m.period, m.subject[-min_subject:])].append(m)
    out, seen = [], set()
    for group in groups.values():
        anchors: dict[str, Mention] = {}
        for b in group:
            for a in anchors.values():
                if a.figure.overlaps(b.figure) or not same_subject(a.subject, b.subject, qualifiers):
                    continue
                if a.subject != b.subject and _other_topic(a.sentence, b.sentence):
                    continue
                shared = min(a.subject, b.subject, key=len)
                key = (shared, frozenset((a.figure.value, b.figure.value)))
                reported = sum(1 for k in seen if k[0] == shared)
                if key not in seen and reported < _MAX_PER_SUBJECT:
                    seen.add(key)
                    out.append((a, b, shared))
                break
            if b.subject not in anchors and len(anchors) < _MAX_ANCHORS:
                anchors[b.subject] = b
    out.sort(key=lambda t: (t[0].line, t[1].line))
    return out


def _loose_period(m: Mention, key: QuantityKey) -> str:
    """A plain 现有 / 在册 count states the same point in time as the year's 增至 / 全年 count;
    a frequency or part of the year (每月调度，…) said in an earlier clause is not the figure's period."""
    if key.stock and m.period == "cumulative":
        return "current"
    if m.period.startswith("partial:") and m.period.split(":", 1)[1] not in m.clause:
        return "current"
    return m.period


def _distinct_verbs(keyed: list[tuple[Mention, QuantityKey]], kw: KeyWords, min_chars: int) -> set[frozenset]:
    """Verbs of one family one sentence names side by side for one object (办理…件，受理…件):
    different quantities there and everywhere in the report."""
    out: set[frozenset] = set()
    for i, (a, ka) in enumerate(keyed):
        for b, kb in keyed[i + 1 :]:
            if b.sentence is not a.sentence:
                break
            if ka.verb and kb.verb and ka.verb != kb.verb and kw.family(ka.verb) == kw.family(kb.verb) \
                    and same_quantity(ka, kb, min_chars, set()):
                out.add(frozenset((ka.verb, kb.verb)))
    return out


def key_of(m: Mention, p: Params, body: str | None) -> QuantityKey:
    """The mention's quantity key, built once: the key pass and the similarity pass both ask."""
    if m.key is None:
        m.key = build(_head_noun(m.subject, p), m.clause, p.key_words, body)
    return m.key


def key_conflicts(mentions: list[Mention], p: Params, body: str | None, known: set) -> list[tuple[Mention, Mention, str]]:
    """Pairs the subjects as written missed: the same quantity key, unit and period, in two sentences, two values."""
    kw = p.key_words
    if kw is None:
        return []
    keyed = [(m, key_of(m, p, body)) for m in mentions if not m.loose]
    distinct = _distinct_verbs(keyed, kw, p.min_subject)
    groups: dict[tuple, list[tuple[Mention, QuantityKey]]] = defaultdict(list)
    for m, k in keyed:
        if len(k.obj) >= p.min_subject:
            groups[(m.figure.unit, _loose_period(m, k), k.obj[-2:])].append((m, k))
    out, seen = [], set()
    for group in groups.values():
        for i, (b, kb) in enumerate(group):
            for a, ka in group[:i]:
                if a.sentence is b.sentence or a.figure.overlaps(b.figure):
                    continue
                if frozenset((a.figure.value, b.figure.value, a.line, b.line)) in known:
                    break
                if not same_quantity(ka, kb, p.min_subject, distinct):
                    continue
                va, vb = a.figure.value, b.figure.value
                if va and vb and max(va, vb) / min(va, vb) > _KEY_RATIO and _digits(va) != _digits(vb):
                    continue  # 9件 against 218件: a part and the whole, not one count written twice
                shared = min(ka.obj, kb.obj, key=len)
                key = (shared, frozenset((a.figure.value, b.figure.value)))
                if key not in seen and sum(1 for k in seen if k[0] == shared) < _MAX_PER_SUBJECT:
                    seen.add(key)
                    out.append((a, b, min(a.subject, b.subject, key=len)))
                break
    return out


# --- the similarity pass --------------------------------------------------------------
# Statements worded further apart than a shared quantity key allows (热线诉求按时办结率 /
# 热线诉求及时办结率, 全局配备公职律师 / 全局9名公职律师) are compared by the character pairs of
# their counted objects, within strict bounds: same unit (or an interchangeable one), period and
# scope, the same stage verb where both name one, values apart by at most `max_ratio`.


@dataclass(frozen=True)
class Similarity:
    min: float = 0.4  # Dice of the objects' character pairs
    same_digits: float = 0.2  # ... when the two values have the same digits in another order (1236 / 1326)
    contained: float = 0.6  # share of the shorter object's character pairs found in the longer
    max_ratio: float = 2.0  # the larger value at most this many times the smaller
    units: dict = field(default_factory=dict)  # measure word -> the one it is interchangeable with (次 -> 场次)
    # words ending the names of offices and places (所, 社区); without them, swapped digits are never two owners
    owners: WordList = field(default_factory=lambda: WordList.of(()))

    def __hash__(self) -> int:
        return hash((self.min, self.same_digits, self.contained, self.max_ratio, tuple(sorted(self.units.items())), tuple(self.owners)))


def _bigrams(text: str) -> frozenset:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _alike(a: str, b: str, sim: Similarity, same_digits: bool) -> bool:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return False
    shared = len(x & y)
    if 2 * shared / (len(x) + len(y)) >= (sim.same_digits if same_digits else sim.min):
        return True
    shorter = min(len(x), len(y))
    return shorter >= 3 and shared / shorter >= sim.contained


def _shared_ends(a: str, b: str) -> tuple[int, int]:
    """How many characters a and b share at their start, and then at their end."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _other_owner(a: str, b: str, verbs: WordList) -> bool:
    """Around a shared beginning or ending each names something the other does not (two offices
    with one measure, one campaign in two places): one measure of two things, not one quantity.
    Parts that differ only in their verbs (办理 / 作出 + 行政处罚) name the same thing."""
    start, end = _shared_ends(a, b)
    if start + end < 2 or not verbs.remove(a[start : len(a) - end]) or not verbs.remove(b[start : len(b) - end]):
        return False
    # one character into the shared part on each side, so a word split by the shared ending stays whole
    rest_a, rest_b = a[max(0, start - 1) : len(a) - end + 1], b[max(0, start - 1) : len(b) - end + 1]
    return len(rest_a) >= 3 and len(rest_b) >= 3 and not (_bigrams(rest_a) & _bigrams(rest_b))


_OWNER_NAME_TAIL = 4  # characters of a shared ending that may still belong to the two names


def _names_an_owner(a: str, b: str, owners: WordList) -> bool:
    """The parts that differ end in an office or a place, not just wording (citizens' requests / hotline requests);
    the end of the office's name may be shared (two justice offices of two towns: the names end a few characters on)."""
    start, end = _shared_ends(a, b)
    return any(owners.endswith(x[start : len(x) - end + more]) for x in (a, b) for more in range(min(end, _OWNER_NAME_TAIL) + 1))


def _kept_apart(a: str, b: str, verbs: WordList, owners: WordList, same_digits: bool) -> bool:
    """Two owners keep two alike objects apart; for a slip of the pen (same digits) only when the
    difference names an office or a place."""
    return _other_owner(a, b, verbs) and (not same_digits or _names_an_owner(a, b, owners))


def _digits(value: float) -> str:
    """The value's digits in order (4.27亿 and 24700万 share 247), to tell a swapped pair of digits."""
    text = f"{value:f}".rstrip("0").rstrip(".")  # 40 and 4 differ; 4.27亿 and 24700万 do not
    return "".join(sorted(text.replace(".", "")))


def _generic_noun(m: Mention, p: Params) -> str | None:
    """The generic noun the statement ends its object with, as written (before _head_noun drops it)."""
    said = m.subject if m.qualifying else normalise_subject(m.quote.removesuffix(m.figure.text), p)
    return p.generic_nouns.endswith(said)


def _negated(obj: str) -> bool:
    return any(n in obj for n in _NOT_DONE)


@lru_cache(maxsize=8)
def _all_verbs(light: WordList, stages: WordList, families: tuple[tuple[str, ...], ...]) -> WordList:
    return WordList.of(tuple(light) + tuple(stages) + tuple(w for g in families for w in g))


@dataclass(frozen=True)
class _Facts:
    """What the similarity pass compares of one mention, worked out once rather than per pair."""

    objects: tuple[str, ...]  # its counted object, and its whole clause's when it is one item of a list
    canonical: tuple[str, ...]  # the same with the pack's synonyms put in (讨回工资 -> 追讨欠薪)
    stage: str  # its last stage verb, by family: two of one family agree, of two families do not
    noun: str | None  # the generic noun it ends with, as written (applications are not cases)
    digits: str  # its value's digits in order (52 and 25 share them)


def similar_conflicts(mentions: list[Mention], p: Params, body: str | None, known: set,
                      synonyms: tuple[tuple[str, ...], ...] = ()) -> list[tuple[Mention, Mention, str]]:
    """Pairs the first two passes missed whose objects are alike (Similarity); each mention is
    compared with at most `_MAX_ANCHORS` earlier ones of its group, so the cost stays linear.
    Objects are compared as written and with the pack's synonyms put in (vocab/synonyms.yaml)."""
    kw, sim = p.key_words, p.similarity
    if kw is None or sim is None:
        return []
    keyed = [(m, key_of(m, p, body)) for m in mentions]
    distinct = _distinct_verbs(keyed, kw, p.min_subject)
    groups: dict[tuple, list[tuple[Mention, QuantityKey, _Facts]]] = defaultdict(list)
    verbs = _all_verbs(kw.light_verbs, p.stage_verbs, kw.verb_families)
    for m, k in keyed:
        if len(k.obj) >= 2:
            stage = p.stage_verbs.last(m.acted or m.subject)  # the predicate's verb, where the clause has one after its noun
            objects = (k.obj, *(build(w, m.clause, kw, body).obj for w in (m.wide, m.acted) if w))
            facts = _Facts(objects, tuple(canonical_words(o, synonyms) for o in objects),
                           (kw.family(stage.group(0)) or stage.group(0)) if stage else "",
                           _generic_noun(m, p), _digits(m.figure.value))
            groups[(sim.units.get(m.figure.unit, m.figure.unit), _loose_period(m, k))].append((m, k, facts))
    out = []
    for group in groups.values():
        for i, (b, kb, fb) in enumerate(group):
            for a, ka, fa in group[max(0, i - _MAX_ANCHORS) : i]:
                va, vb = a.figure.value, b.figure.value
                if a.sentence is b.sentence or a.figure.overlaps(b.figure) or not va or not vb:
                    continue
                if frozenset((va, vb, a.line, b.line)) in known:
                    break
                same_digits = fa.digits == fb.digits  # 52 / 25: a slip of the pen, however far apart
                if (max(va, vb) / min(va, vb) > sim.max_ratio and not same_digits) or not same_scope(ka.scope, kb.scope):
                    continue
                if ka.verb and kb.verb and ka.verb != kb.verb and frozenset((ka.verb, kb.verb)) in distinct:
                    continue
                if (fa.stage and fb.stage and fa.stage != fb.stage) or _negated(ka.obj) != _negated(kb.obj):
                    continue
                if fa.noun and fb.noun and fa.noun != fb.noun:
                    continue  # applications are not cases
                # as written, or both with synonyms put in: never one of each, where the synonym alone would differ
                pairs = list(product(fa.objects, fb.objects))
                if fa.canonical != fa.objects or fb.canonical != fb.objects:  # a synonym was put in on either side
                    pairs += product(fa.canonical, fb.canonical)
                if any(_alike(x, y, sim, same_digits) and not _kept_apart(x, y, verbs, sim.owners, same_digits) for x, y in pairs):
                    known.add(frozenset((va, vb, a.line, b.line)))
                    out.append((a, b, min(a.subject, b.subject, key=len)))
                    break
    return out


def _show_similarity(value: Similarity | None, vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    if value is None or wording is None:
        return "—"
    units = "、".join(f"{a}/{b}" for a, b in value.units.items()) or "—"
    return wording.say("show.similarity", min=value.min, same_digits=value.same_digits, contained=value.contained,
                       max_ratio=f"{value.max_ratio:g}", units=units, owners="、".join(value.owners) or "—")


def _parse_similarity(c: Checker, data: LinedDict, key: str, values: dict) -> Similarity:
    node = c.mapping(data[key], key)
    c.keys(node, {"min", "same_digits", "contained", "max_ratio", "interchangeable_units", "owners"}, set(), key)
    shares = {}
    for name in ("min", "same_digits", "contained"):
        if name in node:
            value = node[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                c.fail(node, name, c.say("errors.similarity_share", key=f"{key}.{name}"))
            shares[name] = float(value)
    ratio = node.get("max_ratio", 2.0)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or ratio < 1:
        c.fail(node, "max_ratio", c.say("errors.similarity_ratio", key=f"{key}.max_ratio"))
    units = {}
    for entry in c.strings(node, "interchangeable_units", node.get("interchangeable_units", []), allow_empty=True):
        words = [w.strip() for w in entry.split("/") if w.strip()]
        if len(words) < 2:
            c.fail(node, "interchangeable_units", c.say("errors.similarity_units", key=f"{key}.interchangeable_units"))
        units.update({w: words[0] for w in words[1:]})
    owners = WordList.of(tuple(c.strings(node, "owners", node.get("owners", []), allow_empty=True)))
    return Similarity(**shares, max_ratio=float(ratio), units=units, owners=owners)


def _item(rule: Rule, m: Mention, other: Mention) -> ItemResult:
    ev = sentence_evidence(m.sentence, 100.0, m.quote)
    name = rule.say("item", line=m.line, figure=m.figure.text)
    return ItemResult(name, False, ev, note=rule.say("item_note", line=other.line, figure=other.figure.text))


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    mentions = mentions_in(doc, p)
    pairs = conflicts(mentions, p.min_subject, _qualifiers(p, doc.meta.body))
    known = {frozenset((a.figure.value, b.figure.value, a.line, b.line)) for a, b, _ in pairs}
    pairs += key_conflicts(mentions, p, doc.meta.body, known)
    known |= {frozenset((a.figure.value, b.figure.value, a.line, b.line)) for a, b, _ in pairs}
    pairs += similar_conflicts(mentions, p, doc.meta.body, known, ctx.cues.synonyms)
    pairs.sort(key=lambda t: (t[0].line, t[1].line))
    if not pairs:
        return [finding(rule, "pass", rule.say("pass", title=rule.title))]
    out = []
    for a, b, subject in pairs:
        found = rule.say("found", subject=subject, first=a.figure.text, first_line=a.line, second=b.figure.text, second_line=b.line)
        items = [_item(rule, a, b), _item(rule, b, a)]
        out.append(finding(rule, "fail", fill(rule.message, found=found), line=a.line, items=items, values={"found": found}))
    return out


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return rule.lines("explain", scope=part_labels(p.scope, vocab), min_subject=p.min_subject)


RULE_TYPE = RuleType(
    name="contradiction",
    params=Params,
    keys=(
        Key("units", _parse_units, required=True, show=_show_units),
        Key("periods", _parse_periods, required=True, show=_show_periods),
        Key("comparison_cues", parse_words, required=True, show=show_words),
        Key("target_cues", parse_words, required=True, show=show_words),
        Key("skip_cues", parse_words, required=True, show=show_words),
        Key("fillers", parse_words, required=True, show=show_words),
        Key("leading_words", parse_words, required=True, show=show_words),
        Key("trailing_words", parse_words, required=True, show=show_words),
        Key("generic_nouns", parse_words, required=True, show=show_words),
        Key("stage_verbs", parse_words, required=True, show=show_words),
        Key("qualifiers", parse_words, required=True, show=show_words),
        Key("min_subject", parse_positive_int),
        Key("kept_endings", parse_words, show=show_words),
        SCOPE,
        Key("key_words", _parse_quantity_key, show=_show_quantity_key),
        Key("similarity", _parse_similarity, show=_show_similarity),
    ),
    check=check,
    explain=explain,
    wording={
        "pass": ("title",),
        "found": ("subject", "first", "first_line", "second", "second_line"),
        "item": ("line", "figure"),
        "item_note": ("line", "figure"),
        "explain": ("scope", "min_subject"),
        "show.key_words": ("families", "light", "stock"),
        "show.similarity": ("min", "same_digits", "contained", "max_ratio", "units", "owners"),
        "errors.empty_unit": ("key",),
        "errors.duplicate_unit": ("key",),
        "errors.unknown_period": ("key", "name", "allowed"),
        "errors.similarity_share": ("key",),
        "errors.similarity_ratio": ("key",),
        "errors.similarity_units": ("key",),
        **{f"periods.{name}": () for name in PERIOD_CLASSES},
    },
)
