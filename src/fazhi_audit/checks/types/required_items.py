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
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.ingest.normalize import normalize_line
from fazhi_audit.text.matching import GAP, Hit, clause_of, subject_span
from fazhi_audit.text.structure.outline import SectionVocabulary

ITEM_KEYS = {"name", "phrases", "weak", "subject", "not"}
NOT_APPLICABLE_PREFIX = "报告说明本年度不适用"  # how a not-applicable finding's message opens
NOT_APPLICABLE_ITEM = "不适用说明"  # the item that carries the report's own statement as evidence

_WHERE = {
    "plans": "仅见于下一年度安排，不能作为已落实的依据",
    "shortcomings": "仅作为存在的不足提出，不能作为已落实的依据",
    "deficit": "所在语句为问题表述（如“有待”“尚未”），不能作为已落实的依据",
    "plan": "所在语句为计划表述（如“下一步”“将进一步”），不能作为已落实的依据",
    "preamble": "仅见于导语，正文未写明落实情况",
    "extra": "仅见于规定五项之外的部分（如意见建议），不能作为已落实的依据",
    "other": "仅见于“其他需要报告的情况”",
}


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
        c.fail(data, key, f"{key} 必须是非空列表")
    names = set()
    out = []
    for entry in raw:
        entry = c.mapping(entry, f"{key} 项")
        c.keys(entry, ITEM_KEYS, {"name"}, f"{key} 项")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            c.fail(entry, "name", "name 必须是非空字符串")
        if name in names:
            c.fail(entry, "name", f"重复的项目名称 {name!r}")
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
        c.fail(data, key, f"{key} 必须是 1–{count} 之间的整数")
    return value


def _cross_check(c: Checker, data: LinedDict, values: dict) -> None:
    if any(i.weak and not i.subject for i in values.get("items", ())) and not values.get("context"):
        c.fail(data, "items", "使用了 weak 短语的规则需要 context（同句须出现的语境词），或者该项需要 subject（同一分句须出现的主体词）")


def _show_items(items: tuple[Item, ...], vocab: SectionVocabulary) -> str:
    lines = []
    for item in items:
        weak = f"；须有主体或语境词：{'、'.join(item.weak)}" if item.weak else ""
        subject = f"；主体词：{'、'.join(item.subject)}" if item.subject else ""
        neg = f"；不计：{'、'.join(item.negatives)}" if item.negatives else ""
        lines.append(f"\n  · {item.name}：{'、'.join(item.phrases)}{weak}{subject}{neg}")
    return "".join(lines)


def _show_min_found(value: int | None, vocab: SectionVocabulary) -> str:
    return "全部各项" if value is None else f"{value} 项"


# --- check -----------------------------------------------------------------------


def _phrase_hits(item: Item, p: Params, sentence: Sentence, ctx: CheckContext):
    """(hit, needs a subject in its clause) for every place a phrase of the item stands in the sentence."""
    for phrase in item.phrases:
        for hit in ctx.matcher.find_all(phrase, sentence.text, p.threshold):
            yield hit, False
    if item.weak:
        # A near miss cannot supply the tie: 法律草案 is no decision's 草案.
        tie_text = _without(sentence.text, item.negatives)
        in_context = any(c in tie_text for c in p.context)
        if in_context or any(s in tie_text for s in item.subject):  # cheap gate before matching
            for phrase in item.weak:
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


def find_item(item: Item, p: Params, ctx: CheckContext, sentences: list[Sentence]) -> ItemResult:
    aside: tuple[Evidence, str] | None = None
    for sentence in sentences:
        for hit, needs_subject in _phrase_hits(item, p, sentence, ctx):
            why = _reason_not_counted(hit, needs_subject, item, p, sentence, ctx)
            if why is None:
                return ItemResult(item.name, True, _evidence(sentence, hit))
            if why and aside is None:
                aside = (_evidence(sentence, hit), _WHERE[why])
    if aside:
        return ItemResult(item.name, False, aside[0], aside[1])
    return ItemResult(item.name, False)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def candidate_sentences(p: Params, doc: Document) -> list[Sentence]:
    """Skip sentences that share no character pair with any phrase of the rule."""
    bigrams = {bg for phrase in p.phrases() for part in phrase.split(GAP) for bg in _bigrams(part)}
    return [s for s in doc.sentences if any(bg in s.text for bg in bigrams)]


# Parts where a report speaks of its own year: not a problem list or next year's plans.
_STATEMENT_PARTS_EXCLUDED = ("plans", "shortcomings")


def not_applicable_statement(p: Params, doc: Document, ctx: CheckContext) -> tuple[Sentence, Hit] | None:
    """The first sentence in which the report says the rule does not apply to it.

    Statements match exactly (a slip could turn 未作出 into 已作出), outside
    the plans and shortcomings, and not in a clause phrased as a problem or plan.
    """
    for sentence in doc.sentences:
        if sentence.kind in _STATEMENT_PARTS_EXCLUDED:
            continue
        for statement in p.not_applicable:
            hit = ctx.matcher.find_exact(statement, sentence.text)
            if hit is None or sentence.text.startswith("的", hit.end):
                continue  # 对不具有行政执法职能的乡镇…: said of others, not of the report's body
            clause = clause_of(sentence.text, hit.start, hit.end)
            if not any(c in clause for c in (*ctx.cues.deficit, *ctx.cues.plan)):
                return sentence, hit
    return None


def _not_applicable(rule: Rule, results: list[ItemResult], sentence: Sentence, hit: Hit) -> Finding:
    """Left out of the score; the report's statement is the evidence, items stay as found."""
    statement = ItemResult(NOT_APPLICABLE_ITEM, True, _evidence(sentence, hit), "报告自述本规则不适用，不计分")
    message = f"{NOT_APPLICABLE_PREFIX}：{sentence.text}"
    return finding(rule, "pass", message, items=[statement, *results], line=sentence.line, scored=False, not_applicable=True)


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    sentences = candidate_sentences(p, doc)
    results = [find_item(item, p, ctx, sentences) for item in p.items]
    found = [r for r in results if r.found]
    missing = [r.name for r in results if not r.found]
    needed = p.min_found or len(p.items)
    line = next((r.evidence.line for r in results if r.evidence), None)
    if len(found) >= needed:
        return [finding(rule, "pass", f"{rule.title}：已见 {len(found)}/{len(results)} 项", items=results, line=line)]
    stated = not_applicable_statement(p, doc, ctx) if p.not_applicable else None
    if stated:
        return [_not_applicable(rule, results, *stated)]
    status = "partial" if found else "fail"
    message = fill(rule.message, missing="、".join(missing), found="、".join(r.name for r in found))
    return [finding(rule, status, message, items=results, line=line, credit=len(found) / needed, values={"missing": "、".join(missing)})]


# --- explanation -----------------------------------------------------------------


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    lines = [f"证据范围：只认{part_labels(p.scope, vocab)}部分中、写成已经做了的表述；只在其他部分出现、或写成问题和计划（如“有待”“下一步”）的不计入。"]
    if p.min_found:
        lines.append(f"共 {len(p.items)} 项，找到其中 {p.min_found} 项以上即为通过。")
    else:
        lines.append(f"逐项检查以下 {len(p.items)} 项，每缺一项扣相应的分：" if len(p.items) > 1 else "检查以下内容：")
    gapped = False
    for item in p.items:
        parts = [f"· {item.name}：认可的说法有 {phrase_list(item.phrases)}"]
        if item.weak:
            ties = []
            if item.subject:
                ties.append(f"同一分句中写明“{'”“'.join(item.subject)}”等主体")
            if p.context:
                ties.append(f"与“{'”“'.join(p.context)}”等词同句出现")
            parts.append(f"须{'，或'.join(ties)}才计入的说法有 {phrase_list(item.weak)}")
        if item.negatives:
            parts.append(f"不计入的近似说法有 {phrase_list(item.negatives)}")
        gapped = gapped or any(GAP in phrase for phrase in (*item.phrases, *item.weak))
        lines.append("；".join(parts))
    if gapped:
        lines.append("“……”表示前后两部分可以相隔几个字（在同一分句内）。")
    if p.not_applicable:
        lines.append(
            f"不适用：报告自述“{'”“'.join(p.not_applicable)}”等（不在下一年度安排和不足部分中）、且本规则未达到要求时，"
            "判为“不适用”，不计分，以该句为证据。"
        )
    lines.append(f"允许个别错别字（相似度不低于 {p.threshold:g}），但差异处构成另一个词语的不算。")
    return lines


def segmenter_words(p: Params) -> tuple[str, ...]:
    return p.phrases()


def item_names(p: Params) -> tuple[str, ...]:
    return tuple(i.name for i in p.items)


def fix_hint(rule: Rule, vocab: SectionVocabulary) -> str:
    return f"（〈缺少的项目〉指检查时未找到的项目，可能是：{'、'.join(i.name for i in rule.params.items)}）"


RULE_TYPE = RuleType(
    name="required-items",
    params=Params,
    keys=(
        Key("items", _parse_items, "检查项", required=True, show=_show_items),
        Key("min_found", _parse_min_found, "至少找到", adjustable=True, show=_show_min_found),
        replace(SCOPE, required=True),
        Key("context", parse_strings, "语境词"),
        THRESHOLD,
        Key("not_applicable", parse_phrases, "不适用声明"),
    ),
    check=check,
    explain=explain,
    cross_check=_cross_check,
    item_names=item_names,
    phrases=segmenter_words,
    fix_hint=fix_hint,
)
