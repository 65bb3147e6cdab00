"""required-items: does the report show each practice as *done*?

A mention counts as evidence only when it sits in a section the rule scopes
(usually 主要举措和成效 / 第一责任人) and its clause is not phrased as a
problem or a promise.  Other mentions are kept to explain the verdict:
"仅见于下一年度安排" is more useful to a clerk than a bare ✗.
"""

from __future__ import annotations

from ..document import Document, Sentence
from ..matching import GAP, Hit, clause_of
from ..report.model import Evidence, Finding, ItemResult
from ..rules.schema import Item, Rule
from .context import CheckContext, fill, finding

_WHERE = {
    "plans": "仅见于下一年度安排，不能作为已落实的依据",
    "shortcomings": "仅作为存在的不足提出，不能作为已落实的依据",
    "deficit": "所在语句为问题表述（如“有待”“尚未”），不能作为已落实的依据",
    "plan": "所在语句为计划表述（如“下一步”“将进一步”），不能作为已落实的依据",
    "preamble": "仅见于导语，正文未写明落实情况",
    "extra": "仅见于规定五项之外的部分（如意见建议），不能作为已落实的依据",
    "other": "仅见于“其他需要报告的情况”",
}


def _phrase_hits(item: Item, rule: Rule, sentence: Sentence, ctx: CheckContext):
    for phrase in item.phrases:
        hit = ctx.matcher.find(phrase, sentence.text, rule.threshold)
        if hit:
            yield hit
    if item.weak and any(c in sentence.text for c in rule.context):
        for phrase in item.weak:
            hit = ctx.matcher.find(phrase, sentence.text, rule.threshold)
            if hit:
                yield hit


def _reason_not_counted(hit: Hit, item: Item, rule: Rule, sentence: Sentence, ctx: CheckContext) -> str | None:
    """None when the hit is evidence; otherwise a key into _WHERE, or '' to drop it."""
    clause = clause_of(sentence.text, hit.start, hit.end)
    if any(neg in clause for neg in item.negatives):
        return ""  # a known near-miss: not a mention at all
    if sentence.kind not in rule.scope:
        return sentence.kind if sentence.kind in _WHERE else "extra"
    if any(c in clause for c in ctx.cues.deficit):
        return "deficit"
    if any(c in clause for c in ctx.cues.plan):
        return "plan"
    return None


def _evidence(sentence: Sentence, hit: Hit) -> Evidence:
    return Evidence(sentence.text, sentence.line, sentence.kind, hit.similarity, sentence.text[hit.start : hit.end])


def find_item(item: Item, rule: Rule, ctx: CheckContext, sentences: list[Sentence]) -> ItemResult:
    aside: tuple[Evidence, str] | None = None
    for sentence in sentences:
        for hit in _phrase_hits(item, rule, sentence, ctx):
            why = _reason_not_counted(hit, item, rule, sentence, ctx)
            if why is None:
                return ItemResult(item.name, True, _evidence(sentence, hit))
            if why and aside is None:
                aside = (_evidence(sentence, hit), _WHERE[why])
    if aside:
        return ItemResult(item.name, False, aside[0], aside[1])
    return ItemResult(item.name, False)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def candidate_sentences(rule: Rule, doc: Document) -> list[Sentence]:
    """Skip sentences that share no character pair with any phrase of the rule."""
    bigrams = {bg for p in rule.phrases() for part in p.split(GAP) for bg in _bigrams(part)}
    return [s for s in doc.sentences if any(bg in s.text for bg in bigrams)]


def check_required_items(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    sentences = candidate_sentences(rule, doc)
    results = [find_item(item, rule, ctx, sentences) for item in rule.items]
    found = [r for r in results if r.found]
    missing = [r.name for r in results if not r.found]
    needed = rule.min_found or len(rule.items)
    line = next((r.evidence.line for r in results if r.evidence), None)
    if len(found) >= needed:
        return [finding(rule, "pass", f"{rule.title}：已见 {len(found)}/{len(results)} 项", items=results, line=line)]
    status = "partial" if found else "fail"
    message = fill(rule.message, missing="、".join(missing), found="、".join(r.name for r in found))
    return [finding(rule, status, message, items=results, line=line, credit=len(found) / needed, values={"missing": "、".join(missing)})]
