"""follow-through: what became of each concrete plan (and each problem) of last year's report?

Needs last year's report (--previous), which the engine parses into
`ctx.previous.document`.  Each item of last year's plans part (a sub-heading
item, an enumerated item or a sentence) that names something checkable (a
number, a deadline, a platform, a document: `concrete_cues`) is one plan; stock
phrases are left out.  A plan is accounted for when one sentence of this year's
account of work (`scope`, never this year's shortcomings or plans) holds at
least `min_overlap` of the plan's key words, and two of them: one recurring
topic word is not enough, nor one recurring term that in the plan only
qualifies the planned thing.  A word counts in its synonyms too (the rule's and
the pack's vocab/synonyms.yaml).  A sentence naming a document the plan names
in book-title marks accounts for part of it.  Sentences that only claim
everything was done (`blanket_cues`) prove nothing.  Its status: `explained`
when the sentence gives a reason (`reason_cues`; a gapped cue within one
clause), `partly` when it says part (`partly_cues`) or its figure falls short
of the plan's in the same unit (a time limit after a `ceiling_cues` word is a
ceiling; rates only against the same rate), else `done`.  Last year's problems
are matched the same way: addressed when this year's work names a measure for
them.  Word lists are rule data; the same matching as unanswered-shortcomings.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, part_labels, phrase_list, sentence_evidence
from fazhi_audit.checks.keys import MIN_OVERLAP, SCOPE, SYNONYMS, parse_phrases, word_forms
from fazhi_audit.checks.part_items import INLINE_START, PartItem, split_items
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.checks.types.unanswered_shortcomings import key_words
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.matching import holds_phrase
from fazhi_audit.text.structure.outline import SectionVocabulary

DEFAULT_SCOPE = ("preamble", "achievements", "first_responsible", "other")
STATUSES = ("done", "partly", "explained", "unaccounted")
_MARKER = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）.、．]|[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[,，、]?)\s*")
_NUMBER_AT = r"(\d+(?:\.\d+)?)\s*"
_RATE = "%"
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Params:
    concrete_cues: tuple[str, ...]  # a plan naming one of these (or a number) can be checked
    generic: tuple[str, ...]  # stock words that are not key words
    blanket_cues: tuple[str, ...]  # 各项工作任务均已完成: accounts for no plan
    reason_cues: tuple[str, ...]  # 因…暂缓: not done, with a reason
    partly_cues: tuple[str, ...]  # 其余, 部分完成: part of it done
    causes: tuple[str, ...]  # cause analysis in the shortcomings part: not a problem
    synonyms: tuple[tuple[str, ...], ...] = ()
    min_overlap: float = 0.5
    min_words: int = 2  # key words one sentence must hold besides the share
    concrete_words: int = 99  # a plan with this many key words is concrete even without a number or cue
    standing_cues: tuple[str, ...] = ()  # ... unless one of these makes it a standing duty or a slogan
    scope: tuple[str, ...] = DEFAULT_SCOPE
    count_units: tuple[str, ...] = ()  # measure words a plan's target and this year's figure are compared in
    ceiling_cues: tuple[str, ...] = ()  # before or after a figure: an upper limit (a time limit cut to N days)
    target_verbs: tuple[str, ...] = ()  # verbs between a rate's name and its figure, left out of the name

    def count_pattern(self) -> re.Pattern:
        return _patterns(self.count_units, self.target_verbs)[0]

    def target_verb_pattern(self) -> re.Pattern:
        return _patterns(self.count_units, self.target_verbs)[1]


@lru_cache(maxsize=16)
def _patterns(units: tuple[str, ...], verbs: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    longest_first = sorted(units, key=len, reverse=True)
    count = re.compile(_NUMBER_AT + "(" + "|".join(map(re.escape, longest_first)) + ")") if units else re.compile(r"(?!)")
    verb = re.compile("(?:" + "|".join(map(re.escape, sorted(verbs, key=len, reverse=True))) + ")$") if verbs else re.compile(r"(?!)")
    return count, verb


@dataclass(frozen=True)
class Plan:
    text: str  # as written, without its marker
    sentence: Sentence  # where last year's report names it


# --- last year's plans and problems -------------------------------------------------


def _strip_marker(text: str) -> str:
    text = INLINE_START.sub("", text) if INLINE_START.match(text) else text
    return _MARKER.sub("", text).rstrip("。;；,，")


def _pieces(item: PartItem) -> list[tuple[str, Sentence]]:
    """One item may list several plans: 一是…；二是… in one sentence are each a plan."""
    out = []
    for s in item.sentences:
        parts = re.split(r"[;；]\s*(?=[一二三四五六七八九十]{1,3}是)", s.text)
        out += [(_strip_marker(p), s) for p in parts if _strip_marker(p)]
    return out


def concrete(text: str, p: Params, words: list[str] | None = None) -> bool:
    """A number, a document title, a concrete cue, or enough key words: a plan that names its object
    (a place, a body, a system) can be checked even without a figure; a slogan's words are stock
    words, and a standing duty says so (`standing_cues`)."""
    if _NUMBER.search(text) or "《" in text:
        return True
    if any(c in text for c in p.standing_cues):
        return False  # 持续推进…, 坚持…定期学法: a standing duty or a slogan, whatever it names
    return any(c in text for c in p.concrete_cues) or (words is not None and len(words) >= p.concrete_words)


def plans_of(previous: Document, p: Params, ctx: CheckContext) -> list[tuple[Plan, list[str]]]:
    """Last year's concrete plans, each with its key words (which also tell whether it is concrete)."""
    items, _ = split_items(previous, "plans")
    out = []
    for item in items:
        for text, s in _pieces(item):
            words = key_words(text, p, ctx, previous.meta.body, nested=True)
            if concrete(text, p, words):
                out.append((Plan(text, s), words))
    return out


def problems_of(previous: Document, p: Params) -> list[Plan]:
    items, _ = split_items(previous, "shortcomings")
    out = []
    for item in items:
        if item.heading is not None and any(c in item.title for c in p.causes):
            continue
        for text, s in _pieces(item):
            if any(c in text[:12] for c in p.causes):
                break  # 原因主要是…: the causes, not a problem
            out.append(Plan(text, s))
    return out


# --- this year's account ------------------------------------------------------------


def work_sentences(doc: Document, p: Params) -> list[Sentence]:
    return [s for s in doc.sentences if s.kind in p.scope and not any(c in s.text for c in p.blanket_cues)]


def _modifier_only(held: list[str], words: list[str], plan: str, sentence: str) -> bool:
    """The held words are one term that in the plan only qualifies a word the sentence lacks
    (a service network's name, and the sentence is about the same network's hotline, not the
    planned stations): the term recurs, the planned thing does not."""
    term = "".join(held)
    if len(held) < 2 or term not in sentence:
        return False
    at = plan.find(term)
    rest = plan[at + len(term) :] if at >= 0 else ""
    return any(rest.startswith(w) for w in words if w not in held)


class _Joined:
    """The sentences joined by a separator no form holds, with where each starts."""

    def __init__(self, sentences: list[Sentence]):
        self.text = "\x00".join(x.text for x in sentences)
        self.starts, at = [], 0
        for x in sentences:
            self.starts.append(at)
            at += len(x.text) + 1

    def holding(self, form: str) -> frozenset:
        out, at = set(), self.text.find(form)
        while at >= 0:
            out.add(bisect_right(self.starts, at) - 1)
            at = self.text.find(form, at + 1)
        return frozenset(out)


def best_sentence(words: list[str], sentences: list[Sentence], p: Params, hits: dict | None = None,
                  synonyms: tuple[tuple[str, ...], ...] | None = None, plan: str = "") -> tuple[float, Sentence | None, list[str]]:
    """The sentence holding the largest share of the words, at least `min_overlap` of them and
    `min_words`; (0.0, None, []) when none does.
    `hits` caches, per word form, the sentences that contain it: plans share many forms."""
    hits = {} if hits is None else hits
    if "" not in hits:  # all sentences in one text, found with str.find: a form is looked for once, not per sentence
        hits[""] = _Joined(sentences)
    joined: _Joined = hits[""]

    def where(form: str) -> frozenset:
        if form not in hits:
            hits[form] = joined.holding(form)
        return hits[form]

    groups = p.synonyms if synonyms is None else synonyms  # what counts as the word, as unanswered-shortcomings decides it
    by_word = []
    for w in words:
        key = "\x00" + w  # the sentences holding any form of the word, kept beside the forms' own
        if key not in hits:
            hits[key] = frozenset().union(*(where(f) for f in word_forms(w, groups, p.generic)))
        by_word.append((w, hits[key]))
    need = max(min(p.min_words, len(words)), math.ceil(p.min_overlap * len(words) - 1e-9))
    counts = Counter(i for _, found in by_word for i in found)
    best: tuple[float, Sentence | None, list[str]] = (0.0, None, [])
    for i in sorted(i for i, n in counts.items() if n >= need):  # a sentence below the overlap cannot account for it
        held = [w for w, found in by_word if i in found]
        share = len(held) / len(words)
        if _modifier_only(held, words, plan, sentences[i].text):
            continue
        # at equal share the longer sentence: a short one is a heading (开展民主法治创建), the account follows it
        if share > best[0] or (share == best[0] and best[1] is not None and len(sentences[i].text) > len(best[1].text)):
            best = (share, sentences[i], held)
    return best


@dataclass(frozen=True)
class Count:
    value: float
    unit: str
    ceiling: bool  # at most, not at least
    of: str  # for a rate, the words just before it: rates of different things are not compared


def counts(text: str, p: Params) -> list[Count]:
    out = []
    for m in p.count_pattern().finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        after = text[m.end() : m.end() + 3]
        ceiling = before.endswith(p.ceiling_cues) or after.startswith(p.ceiling_cues)
        of = p.target_verb_pattern().sub("", before)[-4:] if m.group(2) == _RATE else ""
        out.append(Count(float(m.group(1)), m.group(2), ceiling, of))
    return out


def falls_short(plan: str, evidence: str, p: Params) -> bool:
    """This year's figure is below the plan's target in the same unit, or above its ceiling;
    rates only when they are rates of the same thing."""
    planned, done = counts(plan, p), counts(evidence, p)
    for target in planned:
        got = [c.value for c in done if c.unit == target.unit and c.of == target.of]
        if not got:
            continue
        targets = [c.value for c in planned if c.unit == target.unit and c.of == target.of and c.ceiling == target.ceiling]
        if target.ceiling and min(got) > min(targets):
            return True
        if not target.ceiling and max(got) < max(targets):
            return True
    return False


def _has(text: str, cues: tuple[str, ...]) -> bool:
    return any(holds_phrase(text, c) for c in cues)


def status_of(plan: str, evidence: str, p: Params) -> str:
    reason = _has(evidence, p.reason_cues)
    if reason and not counts(evidence, p):
        return "explained"
    if _has(evidence, p.partly_cues) or falls_short(plan, evidence, p):
        return "partly"
    return "explained" if reason else "done"


_NAMED = re.compile(r"《([^《》]{4,60})》|“([^“”]{4,30})”")


def _by_name(plan: str, words: list[str], sentences: list[Sentence]) -> Sentence | None:
    """A sentence naming a document the plan names (《…管理办法》), or a thing it names in quotation
    marks (“法治街区”) together with another of its key words: that at least was dealt with.
    A quoted name alone may be a recurring slogan; a document title is specific enough."""
    for m in _NAMED.finditer(plan):
        name = m.group(0)
        for s in sentences:
            if name in s.text and (m.group(1) or any(w in s.text and w not in name for w in words)):
                return s
    return None


def _judge(item: Plan, words: list[str], sentences: list[Sentence], p: Params, hits: dict, ctx: CheckContext) -> tuple[str, ItemResult | None]:
    if not words:
        return "", None
    synonyms = p.synonyms + ctx.cues.synonyms
    share, s, held = best_sentence(words, sentences, p, hits, synonyms, item.text)
    if s is not None and share >= p.min_overlap:
        status = status_of(item.text, s.text, p)
    else:
        named = _by_name(item.text, words, sentences)
        if named is None:
            return "unaccounted", ItemResult(item.text, False, None, "")
        status = status_of(item.text, named.text, p)  # the thing named, the rest of the plan not: at most part of it
        status = "partly" if status == "done" else status
        return status, ItemResult(item.text, True, sentence_evidence(named, 100.0, named.text), "")
    return status, ItemResult(item.text, True, sentence_evidence(s, round(100 * share, 1), s.text), f"（{'、'.join(held)}）")


# --- check --------------------------------------------------------------------------

_LAST_YEAR: dict[tuple, tuple] = {}  # (id(document), params) -> (document, plans with key words, problems with key words)


def last_year(previous: Document, p: Params, ctx: CheckContext) -> tuple[list, list]:
    """Last year's plans and problems with their key words: worked out once per previous report and rule,
    since a batch checked against one folder meets each previous report again and again."""
    key = (id(previous), p)
    kept = _LAST_YEAR.get(key)
    if kept is None or kept[0] is not previous:
        if len(_LAST_YEAR) > 32:
            _LAST_YEAR.clear()
        body = previous.meta.body
        kept = (previous, plans_of(previous, p, ctx),
                [(x, key_words(x.text, p, ctx, body, nested=True)) for x in problems_of(previous, p)])
        _LAST_YEAR[key] = kept
    return kept[1], kept[2]


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    if ctx.previous is None:
        return [finding(rule, "pass", rule.say("no_previous"), scored=False)]
    previous = ctx.previous.document
    if previous is None:
        return [finding(rule, "pass", ctx.previous.why_not or rule.say("previous_unusable"), scored=False)]
    plans, problems = last_year(previous, p, ctx)
    if not plans:
        return [finding(rule, "pass", rule.say("no_plans"), scored=False)]
    sentences = work_sentences(doc, p)
    hits: dict = {}  # per report: sentences by word form (see best_sentence)
    items: list[ItemResult] = []
    counts = dict.fromkeys(STATUSES, 0)
    for plan, words in plans:
        status, item = _judge(plan, words, sentences, p, hits, ctx)
        if item is None:
            continue
        counts[status] += 1
        item.status = status
        item.note = rule.say(status) + (item.note if status != "unaccounted" else "")
        items.append(item)
    for problem, words in problems:
        status, item = _judge(problem, words, sentences, p, hits, ctx)
        if item is None:
            continue
        item.status = "addressed" if item.found else "unaddressed"
        item.name = rule.say("problem") + item.name
        item.note = rule.say(item.status)
        items.append(item)
    open_ = [i.name for i in items if i.status == "unaccounted"]
    summary = "、".join(f"{rule.say(k)} {v} 项" for k, v in counts.items() if v)
    line = next((i.evidence.line for i in items if i.evidence), None)
    if not open_:
        return [finding(rule, "pass", rule.say("all_accounted", total=sum(counts.values()), summary=summary), items=items, line=line)]
    total = sum(counts.values())
    message = fill(rule.message, count=len(open_), total=total, plans="；".join(n[:40] for n in open_), summary=summary)
    return [finding(rule, "fail", message, items=items, line=line, credit=1 - len(open_) / total,
                    values={"plans": "；".join(open_)})]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return rule.lines(
        "explain",
        concrete=phrase_list(p.concrete_cues[:8]),
        scope=part_labels(p.scope, vocab),
        min_overlap=f"{p.min_overlap:.0%}",
        min_words=p.min_words,
        partly=phrase_list(p.partly_cues[:4]),
        reasons=phrase_list(p.reason_cues[:4]),
        blanket=p.blanket_cues[0],
    )


def _placeholders(rule: Rule) -> dict[str, str]:
    return {name: rule.say(f"placeholders.{name}") for name in ("count", "total", "plans", "summary")}


def _parse_min_words(c, data, key, values) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        c.fail(data, key, c.say("errors.min_words", key=key))
    return value


RULE_TYPE = RuleType(
    name="follow-through",
    params=Params,
    keys=(
        Key("concrete_cues", parse_phrases, required=True),
        Key("generic", parse_phrases, required=True),
        Key("blanket_cues", parse_phrases, required=True),
        Key("reason_cues", parse_phrases, required=True),
        Key("partly_cues", parse_phrases, required=True),
        Key("causes", parse_phrases, required=True),
        SYNONYMS,
        MIN_OVERLAP,
        Key("min_words", _parse_min_words),
        Key("concrete_words", _parse_min_words),
        Key("standing_cues", parse_phrases),
        SCOPE,
        Key("count_units", parse_phrases),
        Key("ceiling_cues", parse_phrases),
        Key("target_verbs", parse_phrases),
    ),
    check=check,
    explain=explain,
    placeholders=_placeholders,
    wording={
        **{status: () for status in ("done", "partly", "explained", "unaccounted", "addressed", "unaddressed", "problem")},
        "no_previous": (),
        "previous_unusable": (),
        "no_plans": (),
        "all_accounted": ("total", "summary"),
        "explain": ("concrete", "scope", "min_overlap", "min_words", "partly", "reasons", "blanket"),
        **{f"placeholders.{name}": () for name in ("count", "total", "plans", "summary")},
        "errors.min_words": ("key",),
    },
)
