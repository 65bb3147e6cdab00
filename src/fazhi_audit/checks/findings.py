"""Helpers every rule type uses: findings pre-filled from their rule, evidence, wording.

Evidence is built only here, one helper per kind of text that carries it
(a sentence, a heading, a line), so what evidence records changes in one place.
"""

from __future__ import annotations

from fazhi_audit.checks.evidence import evidence_at
from fazhi_audit.model.result import Evidence, Finding
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.dates import next_year_label
from fazhi_audit.text.document import Sentence
from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.matching import GAP
from fazhi_audit.text.structure.headings import Heading
from fazhi_audit.text.structure.outline import SectionVocabulary

CREDIT = {"pass": 1.0, "partial": 0.5, "fail": 0.0}
# A partly met error-level rule is shown, counted and exported as a warning in every format:
# only a rule not met at all fails the report, so a passing report never lists an error.
PARTLY_MET_SEVERITY = {"error": "warning"}


def finding(rule: Rule, status: str, message: str, **kw) -> Finding:
    """A finding pre-filled from its rule, so every one names rule and basis.

    A partly met error-level rule becomes a warning (PARTLY_MET_SEVERITY).
    A profile's note (why the rule applies differently to this kind of body)
    is part of every non-pass message from the start.
    """
    credit = kw.pop("credit", CREDIT[status])
    severity = PARTLY_MET_SEVERITY.get(rule.severity, rule.severity) if status == "partial" else rule.severity
    fix = fill(rule.fix, **kw.pop("values", {}))
    if status != "pass" and rule.profile_note:
        message += f"（{rule.profile_note}）"
    return Finding(
        rule=rule.id,
        title=rule.title,
        severity=severity,
        status=status,
        message=message,
        fix=fix,
        basis=rule.basis_text,
        credit=credit,
        **kw,
    )


def fill(template: str, **values) -> str:
    """str.format that leaves unknown placeholders alone."""
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", str(value))
    return out


def sentence_evidence(sentence: Sentence, similarity: float, match: str) -> Evidence:
    return evidence_at(sentence.source, sentence.text, sentence.kind, similarity, match, sentence.start, sentence.heading)


def heading_evidence(heading: Heading, kind: str, similarity: float, match: str) -> Evidence:
    """A heading as evidence, shown with its numbering marker; `kind` is the part it sits in."""
    return evidence_at(heading.source, heading.label, kind, similarity, match)


def line_evidence(line: Line, kind: str, match: str, text: str | None = None) -> Evidence:
    """A line (a signing date, the title, a numbering defect) as evidence; `text` when not the line's own."""
    return evidence_at(line, line.text if text is None else text, kind, 100.0, match)


# --- wording shared by the types' explanations ---------------------------------


def phrase_list(phrases) -> str:
    return "、".join(p.replace(GAP, "……") for p in phrases)


def part_name(kind: str, vocab: SectionVocabulary) -> str:
    """A part as users call it; evidence may also sit in the report's title (its label is in the vocabulary)."""
    return vocab.label(kind)


def part_labels(kinds, vocab: SectionVocabulary) -> str:
    return "、".join(f"“{part_name(k, vocab)}”" for k in kinds)


def deadline_words(deadline: str) -> str:
    return next_year_label(deadline)
