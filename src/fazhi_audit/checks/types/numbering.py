"""numbering: skipped, repeated or missing numbers in headings and 一是、二是 lists.

The defects themselves are found while parsing (structure/numbering.py);
this type turns each into a finding of its own, so each can be fixed and
baselined on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, line_evidence
from fazhi_audit.checks.rule_type import RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary

# Item names are shown to users (csv "missing", junit text): say them in Chinese.
DEFECT_LABEL = {
    "skipped": "跳号",
    "repeated": "重号",
    "unnumbered": "未编号的小标题",
    "disordered": "顺序错乱",
    "malformed": "序号残缺或乱码",
    "continued": "跨上级连续编号",
}


@dataclass(frozen=True)
class Params:
    pass  # what counts as a defect is fixed by the numbering styles


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.numbering:
        return [finding(rule, "pass", f"{rule.title}：未发现跳号、重号")]
    by_number = {line.number: line for line in doc.lines}
    # the part of each line, as doc.kind_at_line() tells it, looked up once (not per defect)
    kinds: dict[int, str] = {}
    for s in doc.sentences:
        kinds.setdefault(s.line, s.kind)
    return [_finding(rule, d, by_number, kinds.get(d.line, "preamble")) for d in doc.numbering]


def _finding(rule: Rule, d, by_number, kind: str) -> Finding:
    evidence = line_evidence(by_number[d.line], kind, d.text, text=d.text)
    item = ItemResult(DEFECT_LABEL.get(d.kind, d.kind), False, evidence)
    if d.hint:
        # A house style (numbers running on across parents): a hint that costs nothing.
        f = finding(rule, "fail", d.message, line=d.line, items=[item], credit=1.0)
        f.severity = "info"
        return f
    return finding(rule, "fail", fill(rule.message, defect=d.message), line=d.line, items=[item])


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return [
        "证据范围：全文各级标题（一、（一）1.（1））和段内“一是、二是……”；每处跳号、重号、未编号的小标题，"
        "以及残缺或乱码的序号（如“二）”“*.”“锟斤拷、”）单独列出，一处缺陷只列一条。",
        "阿拉伯数字条目跨上级标题连续编号（（一）下 1. 2.，（二）下接 3.）属行文习惯，不算跳号，只作一条提示。",
    ]


RULE_TYPE = RuleType(name="numbering", params=Params, keys=(), check=check, explain=explain)
