"""section-order: do the parts follow the order the rules prescribe?"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding
from fazhi_audit.checks.rule_type import RuleType
from fazhi_audit.model.result import Finding
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary


@dataclass(frozen=True)
class Params:
    pass  # the order is the vocabulary's canonical_order


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    order = ctx.vocab.canonical_order
    firsts = []
    for s in doc.sections:
        if s.kind in order and s.kind not in [k for k, _ in firsts]:
            firsts.append((s.kind, s))
    actual = "→".join(ctx.vocab.label(k) for k, _ in firsts)
    for (k1, _), (k2, s2) in zip(firsts, firsts[1:]):
        if order.index(k2) < order.index(k1):
            line = s2.heading.line if s2.heading else None
            msg = fill(rule.message, actual=actual) + rule.say("before", later=ctx.vocab.label(k2), earlier=ctx.vocab.label(k1))
            return [finding(rule, "fail", msg, line=line)]
    return [finding(rule, "pass", rule.say("pass", title=rule.title))]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return rule.lines("explain", order="→".join(vocab.label(k) for k in vocab.canonical_order))


RULE_TYPE = RuleType(
    name="section-order",
    params=Params,
    keys=(),
    check=check,
    explain=explain,
    wording={"pass": ("title",), "before": ("later", "earlier"), "explain": ("order",)},
)
