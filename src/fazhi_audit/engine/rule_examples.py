"""Run every rule's own examples: shared by pytest and `rules test`.

An example states what running its rule on its text must give: the worst
status, items found or not, text in a message, the number of findings, the
part the evidence sits in.  Every stated expectation is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from fazhi_audit.checks.context import PreviousReport
from fazhi_audit.checks.findings import part_name
from fazhi_audit.engine.audit import Auditor
from fazhi_audit.model.result import Finding
from fazhi_audit.rules.schema import Example, Rule
from fazhi_audit.text.document import Document, parse_document
from fazhi_audit.text.ingest.normalize import normalize
from fazhi_audit.text.structure.outline import Section, SectionVocabulary

_WORST_FIRST = ["fail", "partial", "pass"]


@dataclass
class ExampleOutcome:
    rule: str
    line: int
    ok: bool
    problem: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        """The example as a failure report names it: “name”（第N行）, or 第N行."""
        return f"“{self.name}”（第{self.line}行）" if self.name else f"（第{self.line}行）"


def example_document(auditor: Auditor, example: Example) -> Document:
    doc = auditor.parse(example.text, path="<example>")
    if example.section:
        # A bare sentence stands for text inside the named part of a report.
        doc.sections = [Section(example.section, None, 0, len(doc.lines), "default")]
        doc.sentences = [replace(s, section=0, kind=example.section) for s in doc.sentences]
    return doc


def example_problems(example: Example, findings: list[Finding], vocab: SectionVocabulary) -> list[str]:
    """What differs from the example's expectations (empty when it holds)."""
    problems = []
    if example.status:
        worst = min((f.status for f in findings), key=_WORST_FIRST.index)
        if worst != example.status:
            problems.append(f"期望 {example.status}，实为 {worst}")
    items = {i.name: i.found for f in findings for i in f.items}
    for name in example.found:
        if not items.get(name):
            problems.append(f"应找到“{name}”但未找到")
    for name in example.not_found:
        if items.get(name):
            problems.append(f"不应找到“{name}”但找到了")
    if example.message is not None and not any(example.message in f.message for f in findings):
        problems.append(f"提示中应含“{example.message}”，实为：" + "／".join(f"“{f.message}”" for f in findings))
    if example.findings is not None and len(findings) != example.findings:
        problems.append(f"期望 {example.findings} 条结果，实为 {len(findings)} 条")
    if example.evidence_section is not None:
        where = [i.evidence.section for f in findings for i in f.items if i.evidence is not None]
        if example.evidence_section not in where:
            actual = "、".join(dict.fromkeys(part_name(k, vocab) for k in where)) or "无证据"
            problems.append(f"证据应位于“{part_name(example.evidence_section, vocab)}”，实为 {actual}")
    return problems


def check_example(auditor: Auditor, rule: Rule, example: Example) -> ExampleOutcome:
    context = auditor.context
    if example.previous is not None:  # last year's report, for rules that compare the two
        lines = normalize(example.previous).lines
        document = parse_document(example.previous, auditor.ruleset.vocab, "上一年度报告")
        context = replace(context, previous=PreviousReport(lines, "上一年度报告", document=document))
    findings = rule.rule_type.check(rule, example_document(auditor, example), context)
    problems = example_problems(example, findings, auditor.context.vocab)
    return ExampleOutcome(rule.id, example.line, not problems, "；".join(problems), example.name)


def run_rule_examples(auditor: Auditor) -> Iterator[ExampleOutcome]:
    for rule in auditor.ruleset.rules:
        for example in rule.examples:
            yield check_example(auditor, rule, example)


def test_ruleset(ruleset) -> Iterator[ExampleOutcome]:
    """Every example of every rule of `ruleset`, run by an Auditor of that rule set."""
    yield from run_rule_examples(Auditor(ruleset=ruleset))


test_ruleset.__test__ = False  # not a pytest test, despite the name
