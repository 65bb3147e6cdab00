"""submission-deadline: is the report's own date (落款) before the submission deadline?"""

from __future__ import annotations

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.deadlines import WORDING, Params, deadline_finding, placeholders
from fazhi_audit.checks.findings import deadline_words, finding, line_evidence
from fazhi_audit.checks.keys import DEADLINE
from fazhi_audit.checks.rule_type import RuleType
from fazhi_audit.model.result import Finding
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.meta.signed or not doc.meta.year:
        return [finding(rule, "pass", rule.say("unchecked"), scored=False)]
    line = doc.lines[doc.meta.signed_line]
    evidence = line_evidence(line, doc.kind_at(doc.meta.signed_line), line.text)
    return deadline_finding(rule, doc, doc.meta.signed, evidence)


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    return rule.lines("explain", due=deadline_words(rule.params.deadline))


RULE_TYPE = RuleType(
    name="submission-deadline",
    params=Params,
    keys=(DEADLINE,),
    check=check,
    explain=explain,
    placeholders=placeholders,
    wording=WORDING,
)
