"""stale-year: an earlier year left in this year's account of work (召开2023年…推进会 in a 2024 report).

In the parts in scope (the introduction, achievements and first-responsible
parts) every year before the report year (2023年, 2023年度, 二〇二三年) is a
candidate.  It is left alone when the words around it say the year is meant:
a comparison or baseline right before it (较2023年, 以2023年为基数), a span
right after it (2023年以来, 2023年底), a clause word after it (考核, 出台, 表彰),
a range (（2023—2025年）), or a date (2023年12月).  What remains counts only
when its clause reports work: an event word (召开, 印发, 培训 …) or a figure
after the year (2022年共办理法律援助案件468件).  One finding per leftover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, part_labels, sentence_evidence
from fazhi_audit.checks.keys import SCOPE
from fazhi_audit.checks.word_lists import WordList, parse_words, show_words
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.figures import CLAUSE_MARKS, Clauses, YearMention, find_years
from fazhi_audit.text.structure.outline import SectionVocabulary

DEFAULT_SCOPE = ("preamble", "achievements", "first_responsible")
_MONTH_AFTER = re.compile(r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_NUMBER = re.compile(r"\d")
_QUOTE_CHARS = 16  # words after the year shown with it
_WINDOW = 40  # characters either side of a year that decide how it is meant


@dataclass(frozen=True)
class Params:
    event_cues: WordList  # a clause with one of these reports this year's work
    before_cues: WordList  # right before the year: the year is meant (较2023年)
    after_cues: WordList  # right after the year: 2023年以来
    clause_cues: WordList  # after the year in its clause: 2023年度…考核
    scope: tuple[str, ...] = DEFAULT_SCOPE
    as_of_cues: WordList | None = None  # 截至2023年底 + a figure: last year's stock left among this year's figures
    opening_words: WordList | None = None  # 2022年，/ 2024年全年，: a clause that is only the year opens the next one


def leftovers(doc: Document, p: Params) -> list[tuple[Sentence, YearMention]]:
    year = doc.meta.year
    out = []
    for s in doc.sentences:
        if s.kind not in p.scope:
            continue
        years = [y for y in find_years(s.text) if y.year < year and y.until is None]
        if years:
            clauses = Clauses(s.text)
            paragraph = doc.lines[s.index].text
            out += [(s, y) for y in years
                    if _as_this_year(s.text, y, clauses.span(y.start), _clause_of(s.text, y, clauses, p), p, paragraph)]
    return out


def _clause_of(text: str, y: YearMention, clauses: Clauses, p: Params) -> tuple[int, int]:
    """The year's clause; when the clause is the year alone (2022年，全镇共办理… / 2024年全年，…),
    the clause it opens as well."""
    start, end = clauses.span(y.start)
    rest = text[y.end : end].strip(" ,，、")
    if p.opening_words is not None and (not rest or p.opening_words.remove(rest) == "") and end < len(text):
        end = clauses.span(end + 1)[1] if end + 1 < len(text) else end
    return start, end


_YEAR_END = ("底", "末", "年底", "年末", "12月")  # 截至2023年底 / 2023年12月底


def _as_of_last_year(before: str, after: str, p: Params, elsewhere: str) -> bool:
    """截至2023年底，全县持有执法证件人员1326名 in a paragraph of this year's figures: a stock as of an
    earlier year's end among this year's figures (alone in its paragraph it may be a deliberate baseline)."""
    return bool(p.as_of_cues and p.as_of_cues.endswith(before.rstrip(" ("))) and after.lstrip().startswith(_YEAR_END) \
        and bool(_NUMBER.search(_without_years(after))) and bool(_NUMBER.search(_without_years(elsewhere)))


def _as_this_year(text: str, y: YearMention, own: tuple[int, int], clause: tuple[int, int], p: Params, paragraph: str) -> bool:
    """`own` is the year's clause, `clause` the same or (for an opening 2022年，) with the clause it opens."""
    # the words that decide lie near the year: look no further than _WINDOW characters either side
    lo, hi = max(clause[0], y.start - _WINDOW), min(clause[1], y.end + _WINDOW)
    before, after = text[lo : y.start], text[y.end : hi]
    if _as_of_last_year(before, after, p, paragraph.replace(text, "")):
        return True
    if p.before_cues.endswith(before.rstrip(" (")) or p.after_cues.startswith(after.lstrip()):  # 较上年(2023年)
        return False
    if _MONTH_AFTER.match(after) or p.clause_cues.find(text[y.end : min(hi, max(own[1], y.end + 12))]):
        return False
    return bool(p.event_cues.find(text[lo:hi])) or bool(_NUMBER.search(_without_years(after)))


def _without_years(text: str) -> str:
    for y in reversed(find_years(text)):
        text = text[: y.start] + text[y.end :]
    return text


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    year = doc.meta.year
    if not year:
        return [finding(rule, "pass", rule.say("no_year"), scored=False)]
    found = leftovers(doc, p)
    if not found:
        return [finding(rule, "pass", rule.say("pass", title=rule.title))]
    out = []
    for s, y in found:
        end = y.end
        while end < min(len(s.text), y.end + _QUOTE_CHARS) and s.text[end] not in CLAUSE_MARKS + "》":
            end += 1
        quote = s.text[y.start : end]
        what = rule.say("found", quote=quote, year=year)
        item = ItemResult(y.text, False, sentence_evidence(s, 100.0, quote), note=rule.say("item_note", found_year=y.year, year=year))
        out.append(finding(rule, "fail", fill(rule.message, found=what), line=s.line, items=[item], values={"found": what}))
    return out


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return rule.lines(
        "explain",
        scope=part_labels(p.scope, vocab),
        events="、".join(list(p.event_cues)[:8]),
        before="、".join(p.before_cues),
        after="、".join(p.after_cues),
        clause="、".join(p.clause_cues),
    )


RULE_TYPE = RuleType(
    name="stale-year",
    params=Params,
    keys=(
        Key("event_cues", parse_words, required=True, show=show_words),
        Key("before_cues", parse_words, required=True, show=show_words),
        Key("after_cues", parse_words, required=True, show=show_words),
        Key("clause_cues", parse_words, required=True, show=show_words),
        SCOPE,
        Key("as_of_cues", parse_words, "“截至某年底”的时点词（其后跟数字即为沿用）", show=show_words),
        Key("opening_words", parse_words, "只含年份的开头分句中可有的词（如“全年”）", show=show_words),
    ),
    check=check,
    explain=explain,
    wording={
        "no_year": (),
        "pass": ("title",),
        "found": ("quote", "year"),
        "item_note": ("found_year", "year"),
        "explain": ("scope", "events", "before", "after", "clause"),
    },
)
