"""numbering: skipped, repeated or missing numbers in headings and 一是、二是 lists.

The defects themselves are found while parsing (structure/numbering.py);
this type turns each into a finding of its own, so each can be fixed and
baselined on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document
from ..report.model import Finding, ItemResult
from ..rules.schema import Rule
from ..structure.outline import SectionVocabulary
from .common import fill, finding, line_evidence
from .context import CheckContext
from .rule_type import RuleType

# Item names are shown to users (csv "missing", junit text): say them in Chinese.
DEFECT_LABEL = {"skipped": "跳号", "repeated": "重号", "unnumbered": "未编号的小标题", "disordered": "顺序错乱"}


@dataclass(frozen=True)
class Params:
    pass  # what counts as a defect is fixed by the numbering styles


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.numbering:
        return [finding(rule, "pass", f"{rule.title}：未发现跳号、重号")]
    by_number = {line.number: line for line in doc.lines}
    return [
        finding(
            rule,
            "fail",
            fill(rule.message, defect=d.message),
            line=d.line,
            items=[ItemResult(DEFECT_LABEL.get(d.kind, d.kind), False, line_evidence(by_number[d.line], doc.kind_at_line(d.line), d.text, text=d.text))],
        )
        for d in doc.numbering
    ]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return ["证据范围：全文各级标题（一、（一）1.（1））和段内“一是、二是……”；每处跳号、重号或未编号的小标题单独列出。"]


RULE_TYPE = RuleType(name="numbering", params=Params, keys=(), check=check, explain=explain)
