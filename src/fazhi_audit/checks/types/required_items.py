"""required-items: does the report show each practice as *done*?

A mention counts as evidence only when it sits in a section the rule scopes
(usually 主要举措和成效 / 第一责任人) and its clause is not phrased as a
problem or a promise.  Other mentions are kept to explain the verdict:
"仅见于下一年度安排" is more useful to a clerk than a bare ✗.

A phrase belongs to its subject.  `phrases` name the practice with its
subject (重大执法决定法制审核) and count alone.  `weak` phrases are short forms
or descriptions of its content (法制审核, 公示, 征集…意见): they count only
when their clause names one of the item's `subject` words (执法, 处罚决定 …),
or when their sentence has one of the rule's `context` words (决策, 方案 …).
`not` lists near misses of another subject (规范性文件, 权责清单 …); a clause
holding one is no mention at all.

A report may say the rule does not apply to it (本年度未作出重大行政决策);
the rule's `not_applicable` statements are looked for, and when one is found
and the rule is not met, the finding is "not applicable": left out of the
score, with the statement as its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    fill,
    finding,
    part_labels,
    phrase_list,
    sentence_evidence,
)
from fazhi_audit.checks.keys import (
    DEFAULT_THRESHOLD,
    SCOPE,
    THRESHOLD,
    parse_phrases,
    parse_strings,
)
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Evidence, Finding, ItemResult
from fazhi_audit.rules.common import Checker, normalized
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.ingest.normalize import normalize_line
from fazhi_audit.text.matching import GAP, Hit, clause_of, exact_grams, necessary_grams, subject_span
from fazhi_audit.text.phrase_index import SentenceGrams, grams_of, want
from fazhi_audit.text.structure.outline import SectionVocabulary

ITEM_KEYS = {"name", "phrases", "weak", "subject", "not"}

# Why a mention is not evidence: the part it sits in, or how its clause is phrased (shared items.aside.<why>)
_WHERE = ("plans", "shortcomings", "deficit", "plan", "preamble", "extra", "other")


@dataclass(frozen=True)
class Item:
    name: str
    phrases: tuple[str, ...]  # canonical name first
    weak: tuple[str, ...] = ()  # count only with a subject word in the clause or a context word in the sentence
    negatives: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()  # words naming the item's subject (执法, 处罚决定 …)


@dataclass(frozen=True)
class Params:
    items: tuple[Item, ...]
    scope: tuple[str, ...]
    context: tuple[str, ...] = ()  # words that let a weak phrase count in their sentence
    min_found: int | None = None  # pass with this many items (default: all)
    threshold: float = DEFAULT_THRESHOLD
    not_applicable: tuple[str, ...] = ()  # statements by which a report says the rule does not apply to it

    def phrases(self) -> tuple[str, ...]:
        return tuple(p for it in self.items for p in (*it.phrases, *it.weak))


# --- keys ------------------------------------------------------------------------


def _parse_items(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[Item, ...]:
    raw = data[key]
    if not isinstance(raw, list) or not raw:
        c.fail(data, key, c.say("errors.items", key=key))
    names = set()
    out = []
    for entry in raw:
        entry = c.mapping(entry, f"{key} 项")
        c.keys(entry, ITEM_KEYS, {"name"}, f"{key} 项")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            c.fail(entry, "name", c.say("errors.name"))
        if name in names:
            c.fail(entry, "name", c.say("errors.duplicate", name=repr(name)))
        names.add(name)
        phrases = normalized(c.strings(entry, "phrases", entry.get("phrases", []), allow_empty=True))
        weak = normalized(c.strings(entry, "weak", entry.get("weak", []), allow_empty=True))
        # the name counts alone unless the rule lists it as weak (风险评估 of a firm's hazards is no decision step)
        named = () if normalize_line(name) in weak else (normalize_line(name),)
        out.append(
            Item(
                name=name,
                phrases=tuple(dict.fromkeys((*named, *phrases))),
                weak=weak,
                negatives=normalized(c.strings(entry, "not", entry.get("not", []), allow_empty=True)),
                subject=normalized(c.strings(entry, "subject", entry.get("subject", []), allow_empty=True)),
            )
        )
    return tuple(out)


def _parse_min_found(c: Checker, data: LinedDict, key: str, values: dict) -> int:
    """At most the number of items; a profile's min_found is read against the rule's items."""
    value, count = data[key], len(values.get("items", ()))
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= count:
        c.fail(data, key, c.say("errors.min_found", key=key, count=count))
    return value


def _cross_check(c: Checker, data: LinedDict, values: dict) -> None:
    if any(i.weak and not i.subject for i in values.get("items", ())) and not values.get("context"):
        c.fail(data, "items", c.say("errors.weak"))


def _show_items(items: tuple[Item, ...], vocab: SectionVocabulary, wording: Wording) -> str:
    lines = []
    for item in items:
        weak = wording.say("show.weak", weak="、".join(item.weak)) if item.weak else ""
        subject = wording.say("show.subject", subject="、".join(item.subject)) if item.subject else ""
        neg = wording.say("show.negatives", negatives="、".join(item.negatives)) if item.negatives else ""
        lines.append(f"\n  · {item.name}：{'、'.join(item.phrases)}{weak}{subject}{neg}")
    return "".join(lines)


def _show_min_found(value: int | None, vocab: SectionVocabulary, wording: Wording) -> str:
    return wording.say("show.all") if value is None else wording.say("show.min_found", min_found=value)


# --- check -----------------------------------------------------------------------


def _phrase_hits(item: Item, p: Params, sentence: Sentence, ctx: CheckContext, possible: frozenset[str]):
    """(hit, needs a subject in its clause) for every place a phrase of the item stands in the sentence.

    `possible`: the phrases the index lets stand in this sentence; the others cannot hit."""
    for phrase in item.phrases:
        if phrase in possible:
            for hit in ctx.matcher.find_all(phrase, sentence.text, p.threshold):
                yield hit, False
    if item.weak and not possible.isdisjoint(item.weak):
        # A near miss cannot supply the tie: 法律草案 is no decision's 草案.
        tie_text = _without(sentence.text, item.negatives)
        in_context = any(c in tie_text for c in p.context)
        if in_context or any(s in tie_text for s in item.subject):  # cheap gate before matching
            for phrase in item.weak:
                if phrase in possible:
                    for hit in ctx.matcher.find_all(phrase, sentence.text, p.threshold):
                        yield hit, not in_context  # without the rule's context, its clause must name the subject


def _without(text: str, phrases: tuple[str, ...]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, "\n")
    return text


def _reason_not_counted(hit: Hit, needs_subject: bool, item: Item, p: Params, sentence: Sentence, ctx: CheckContext) -> str | None:
    """None when the hit is evidence; otherwise a key into _WHERE, or '' to drop it."""
    clause = clause_of(sentence.text, hit.start, hit.end)
    if any(neg in clause for neg in item.negatives):
        return ""  # a known near-miss: not a mention at all
    if needs_subject and not any(s in subject_span(sentence.text, hit.start, hit.end) for s in item.subject):
        return ""  # a short form whose clause is about something else
    if sentence.kind not in p.scope:
        return sentence.kind if sentence.kind in _WHERE else "extra"
    if any(c in clause for c in ctx.cues.deficit):
        return "deficit"
    if any(c in clause for c in ctx.cues.plan):
        return "plan"
    return None


def _evidence(sentence: Sentence, hit: Hit) -> Evidence:
    return sentence_evidence(sentence, hit.similarity, sentence.text[hit.start : hit.end])


def _possible(item: Item, sentences: list[Sentence], index: SentenceGrams) -> dict[int, frozenset[str]]:
    """Sentence index -> the item's phrases that can stand in it (see text/phrase_index.py), in sentence order."""
    where: dict[int, set[str]] = {}
    for phrase in (*item.phrases, *item.weak):
        for i in index.holding(*necessary_grams(phrase)):
            where.setdefault(i, set()).add(phrase)
    return {i: frozenset(where[i]) for i in sorted(where)}


def find_item(rule: Rule, item: Item, ctx: CheckContext, sentences: list[Sentence], index: SentenceGrams | None = None) -> ItemResult:
    """The first mention that counts, else the first one set aside with why, else not found."""
    p: Params = rule.params
    index = index or SentenceGrams([s.text for s in sentences])
    aside: tuple[Evidence, str] | None = None
    for i, possible in _possible(item, sentences, index).items():
        sentence = sentences[i]
        if aside is not None and sentence.kind not in p.scope:
            continue  # a mention there is never evidence, and the first aside is already kept
        for hit, needs_subject in _phrase_hits(item, p, sentence, ctx, possible):
            why = _reason_not_counted(hit, needs_subject, item, p, sentence, ctx)
            if why is None:
                return ItemResult(item.name, True, _evidence(sentence, hit))
            if why and aside is None:
                aside = (_evidence(sentence, hit), rule.say(f"items.aside.{why}"))
    if aside:
        return ItemResult(item.name, False, aside[0], aside[1])
    return ItemResult(item.name, False)


# Parts where a report speaks of its own year: not a problem list or next year's plans.
_STATEMENT_PARTS_EXCLUDED = ("plans", "shortcomings")


def not_applicable_statement(p: Params, doc: Document, ctx: CheckContext) -> tuple[Sentence, Hit] | None:
    """The first sentence in which the report says the rule does not apply to it.

    Statements match exactly (a slip could turn 未作出 into 已作出), outside
    the plans and shortcomings, and not in a clause phrased as a problem or plan.
    """
    index = grams_of(doc)
    possible: dict[int, set[str]] = {}
    for statement in p.not_applicable:
        for i in index.holding(exact_grams(statement)):
            possible.setdefault(i, set()).add(statement)
    for i in sorted(possible):
        sentence = doc.sentences[i]
        if sentence.kind in _STATEMENT_PARTS_EXCLUDED:
            continue
        for statement in p.not_applicable:
            if statement not in possible[i]:
                continue  # the sentence lacks some of its characters
            hit = ctx.matcher.find_exact(statement, sentence.text)
            if hit is None or sentence.text.startswith("的", hit.end):
                continue  # 对不具有行政执法职能的乡镇…: said of others, not of the report's body
            clause = clause_of(sentence.text, hit.start, hit.end)
            if not any(c in clause for c in (*ctx.cues.deficit, *ctx.cues.plan)):
                return sentence, hit
    return None


def _not_applicable(rule: Rule, results: list[ItemResult], sentence: Sentence, hit: Hit) -> Finding:
    """Left out of the score; the report's statement is the evidence, items stay as found."""
    # the item that carries the report's own statement as evidence
    statement = ItemResult(rule.say("items.not_applicable_item"), True, _evidence(sentence, hit), rule.say("items.not_applicable_note"))
    message = rule.say("items.not_applicable", statement=sentence.text)
    return finding(rule, "pass", message, items=[statement, *results], line=sentence.line, scored=False, not_applicable=True)


@lru_cache(maxsize=256)
def _rule_grams(p: Params) -> frozenset[str]:
    return frozenset(g for phrase in p.phrases() for g in necessary_grams(phrase)[0]) | frozenset().union(*map(exact_grams, p.not_applicable))


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    want(_rule_grams(p))
    index = grams_of(doc)  # shared by every rule of this document
    index.index(_rule_grams(p))  # a no-op but for the first document of a process
    results = [find_item(rule, item, ctx, doc.sentences, index) for item in p.items]
    found = [r for r in results if r.found]
    missing = [r.name for r in results if not r.found]
    needed = p.min_found or len(p.items)
    line = next((r.evidence.line for r in results if r.evidence), None)
    if len(found) >= needed:
        return [finding(rule, "pass", rule.say("items.pass", title=rule.title, found=len(found), total=len(results)), items=results, line=line)]
    stated = not_applicable_statement(p, doc, ctx) if p.not_applicable else None
    if stated:
        return [_not_applicable(rule, results, *stated)]
    status = "partial" if found else "fail"
    message = fill(rule.message, missing="、".join(missing), found="、".join(r.name for r in found))
    return [finding(rule, status, message, items=results, line=line, credit=len(found) / needed, values={"missing": "、".join(missing)})]


# --- explanation -----------------------------------------------------------------


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    lines = rule.lines("explain.scope", scope=part_labels(p.scope, vocab))
    if p.min_found:
        lines += rule.lines("explain.min_found", total=len(p.items), min_found=p.min_found)
    else:
        lines += rule.lines("explain.each", total=len(p.items)) if len(p.items) > 1 else rule.lines("explain.one")
    gapped = False
    for item in p.items:
        parts = [rule.say("explain.item", name=item.name, phrases=phrase_list(item.phrases))]
        if item.weak:
            ties = []
            if item.subject:
                ties.append(rule.say("explain.subject", subject="”“".join(item.subject)))
            if p.context:
                ties.append(rule.say("explain.context", context="”“".join(p.context)))
            parts.append(rule.say("explain.weak", ties=rule.say("explain.or").join(ties), weak=phrase_list(item.weak)))
        if item.negatives:
            parts.append(rule.say("explain.negatives", negatives=phrase_list(item.negatives)))
        gapped = gapped or any(GAP in phrase for phrase in (*item.phrases, *item.weak))
        lines.append("；".join(parts))
    if gapped:
        lines += rule.lines("explain.gap")
    if p.not_applicable:
        lines += rule.lines("explain.not_applicable", statements="”“".join(p.not_applicable))
    lines += rule.lines("explain.threshold", threshold=f"{p.threshold:g}")
    return lines


def segmenter_words(p: Params) -> tuple[str, ...]:
    return p.phrases()


def item_names(p: Params) -> tuple[str, ...]:
    return tuple(i.name for i in p.items)


def fix_hint(rule: Rule, vocab: SectionVocabulary) -> str:
    return rule.say("fix_hint", items="、".join(i.name for i in rule.params.items))


RULE_TYPE = RuleType(
    name="required-items",
    params=Params,
    keys=(
        Key("items", _parse_items, required=True, show=_show_items),
        Key("min_found", _parse_min_found, adjustable=True, show=_show_min_found),
        replace(SCOPE, required=True),
        Key("context", parse_strings),
        THRESHOLD,
        Key("not_applicable", parse_phrases),
    ),
    check=check,
    explain=explain,
    cross_check=_cross_check,
    item_names=item_names,
    phrases=segmenter_words,
    fix_hint=fix_hint,
    wording={
        "fix_hint": ("items",),
        "explain.scope": ("scope",),
        "explain.min_found": ("total", "min_found"),
        "explain.each": ("total",),
        "explain.one": (),
        "explain.item": ("name", "phrases"),
        "explain.subject": ("subject",),
        "explain.context": ("context",),
        "explain.weak": ("ties", "weak"),
        "explain.or": (),
        "explain.negatives": ("negatives",),
        "explain.gap": (),
        "explain.not_applicable": ("statements",),
        "explain.threshold": ("threshold",),
        "show.weak": ("weak",),
        "show.subject": ("subject",),
        "show.negatives": ("negatives",),
        "show.all": (),
        "show.min_found": ("min_found",),
        "errors.items": ("key",),
        "errors.name": (),
        "errors.duplicate": ("name",),
        "errors.min_found": ("key", "count"),
        "errors.weak": (),
    },
)
