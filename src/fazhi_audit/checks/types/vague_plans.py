"""vague-plans: is the plans part more than stock phrases?

Each item of the plans part (a numbered sub-heading with its text, an 一是
item, or a sentence) is concrete when it names something a reader could
check a year later: a number, a deadline, a responsible unit, or a named
document, system or project.  The rule fails when the concrete share is
below its threshold.  What counts as concrete is data (regular expressions
in the rule file), not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    fill,
    finding,
    part_labels,
    phrase_list,
    sentence_evidence,
)
from fazhi_audit.checks.keys import parse_phrases
from fazhi_audit.checks.part_items import PartItem, split_items
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.regex_safety import absent_from
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary

_TITLE_CHARS = 24  # an item is named by the start of its title


@dataclass(frozen=True)
class Marker:
    name: str  # 数字 / 期限 / 责任单位 / 具体对象
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Params:
    concrete: tuple[Marker, ...]
    generic: tuple[str, ...]  # stock phrases, named when an item has nothing else
    min_share: float = 0.5  # fail below this share of concrete items


def _parse_concrete(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[Marker, ...]:
    raw = c.mapping(data[key], key)
    if not raw:
        c.fail(data, key, c.say("errors.empty", key=key))
    return tuple(Marker(str(name), c.regexes(raw, name)) for name in raw)


def _parse_share(c: Checker, data: LinedDict, key: str, values: dict) -> float:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        c.fail(data, key, c.say("errors.share", key=key))
    return float(value)


def _show_concrete(markers: tuple[Marker, ...], vocab: SectionVocabulary, wording: Wording | None = None) -> str:
    return "".join(f"\n  · {m.name}：{'  '.join(p.pattern for p in m.patterns)}" for m in markers)


# --- check -----------------------------------------------------------------------


def concrete_marks(item: PartItem, p: Params, present: frozenset[int] | None = None) -> list[tuple[str, str, int]]:
    """(kind, matched words, sentence index within the item) for each kind the item shows.

    `present`: ids of the patterns that match somewhere in the plans (the others are not tried)."""
    marks = []
    for marker in p.concrete:
        patterns = [pattern for pattern in marker.patterns if present is None or id(pattern) in present]
        for n, sentence in enumerate(item.sentences):
            m = next((m for pattern in patterns if (m := pattern.search(sentence.text))), None)
            if m:
                marks.append((marker.name, m.group(0), n))
                break
    return marks


def _name(item: PartItem) -> str:
    title = item.title
    return title if len(title) <= _TITLE_CHARS else title[:_TITLE_CHARS] + "…"


def _judge(rule: Rule, item: PartItem, present: frozenset[int] | None = None) -> ItemResult:
    p: Params = rule.params
    marks = concrete_marks(item, p, present)
    if marks:
        kind, words, n = marks[0]
        sentence = item.sentences[n]
        note = "；".join(f"{k}：{w}" for k, w, _ in marks)
        return ItemResult(_name(item), True, sentence_evidence(sentence, 100.0, words), note)
    stock = [g for g in p.generic if g in item.text]
    note = rule.say("stock", words="”“".join(stock[:3])) if stock else rule.say("nothing")
    return ItemResult(_name(item), False, sentence_evidence(item.first, 100.0, stock[0] if stock else ""), note)


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    items, _ = split_items(doc, "plans")
    if not items:
        return [finding(rule, "pass", rule.say("no_plans"), scored=False)]
    plans = "\n".join(sentence.text for item in items for sentence in item.sentences)
    present = frozenset(id(pattern) for marker in p.concrete for pattern in marker.patterns if not absent_from(pattern, plans))
    results = [_judge(rule, item, present) for item in items]
    concrete = sum(1 for r in results if r.found)
    share = concrete / len(results)
    counts = rule.say("counts", concrete=concrete, total=len(results), share=f"{share:.0%}")
    line = items[0].first.line
    if share >= p.min_share:
        return [finding(rule, "pass", rule.say("pass", counts=counts), items=results, line=line, value=round(share, 4))]
    message = fill(rule.message, counts=counts, share=f"{share:.0%}")
    credit = share / p.min_share
    return [finding(rule, "fail", message, items=results, line=line, credit=credit, value=round(share, 4))]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    concrete = "、".join(m.name for m in p.concrete)
    return rule.lines("explain", plans=part_labels(["plans"], vocab), concrete=concrete, min_share=f"{p.min_share:.0%}", generic=phrase_list(p.generic))


def _placeholders(rule: Rule) -> dict[str, str]:
    return {name: rule.say(f"placeholders.{name}") for name in ("counts", "share")}


RULE_TYPE = RuleType(
    name="vague-plans",
    params=Params,
    keys=(
        Key("concrete", _parse_concrete, required=True, show=_show_concrete),
        Key("generic", parse_phrases, required=True),
        Key("min_share", _parse_share, adjustable=True),
    ),
    check=check,
    explain=explain,
    placeholders=_placeholders,
    wording={
        "no_plans": (),
        "counts": ("concrete", "total", "share"),
        "pass": ("counts",),
        "stock": ("words",),
        "nothing": (),
        "explain": ("plans", "concrete", "min_share", "generic"),
        "placeholders.counts": (),
        "placeholders.share": (),
        "errors.empty": ("key",),
        "errors.share": ("key",),
    },
)
