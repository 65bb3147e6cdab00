"""Run every rule's own examples: shared by pytest and `rules test`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .api import Auditor
from .checks import REGISTRY
from .document import Document
from .rules.schema import Example, Rule
from .structure.outline import Section


@dataclass
class ExampleOutcome:
    rule: str
    line: int
    ok: bool
    problem: str = ""


def example_document(auditor: Auditor, example: Example) -> Document:
    doc = auditor.parse(example.text, path="<example>")
    if example.section:
        # A bare sentence stands for text inside the named part of a report.
        doc.sections = [Section(example.section, None, 0, len(doc.lines), "default")]
        doc.sentences = [s.__class__(s.text, s.index, s.line, 0, example.section) for s in doc.sentences]
    return doc


def check_example(auditor: Auditor, rule: Rule, example: Example) -> ExampleOutcome:
    doc = example_document(auditor, example)
    findings = REGISTRY[rule.type](rule, doc, auditor.context)
    problems = []
    if example.status:
        worst = min((f.status for f in findings), key=["fail", "partial", "pass"].index)
        if worst != example.status:
            problems.append(f"期望 {example.status}，实为 {worst}")
    items = {i.name: i.found for f in findings for i in f.items}
    for name in example.found:
        if not items.get(name):
            problems.append(f"应找到“{name}”但未找到")
    for name in example.not_found:
        if items.get(name):
            problems.append(f"不应找到“{name}”但找到了")
    return ExampleOutcome(rule.id, example.line, not problems, "；".join(problems))


def run_rule_examples(auditor: Auditor) -> Iterator[ExampleOutcome]:
    for rule in auditor.ruleset.rules:
        for example in rule.examples:
            yield check_example(auditor, rule, example)
