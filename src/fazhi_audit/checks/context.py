"""What checks share for one run: the matcher, vocabulary and cue words."""

from __future__ import annotations

from dataclasses import dataclass

from ..matching import PhraseMatcher
from ..report.model import Finding
from ..rules.loader import Cues
from ..rules.schema import Rule
from ..structure.outline import SectionVocabulary


@dataclass
class CheckContext:
    matcher: PhraseMatcher
    vocab: SectionVocabulary
    cues: Cues


def finding(rule: Rule, status: str, message: str, **kw) -> Finding:
    """A finding pre-filled from its rule, so every one names rule and basis."""
    credit = kw.pop("credit", {"pass": 1.0, "partial": 0.5, "fail": 0.0}[status])
    fix = fill(rule.fix, **kw.pop("values", {}))
    return Finding(
        rule=rule.id,
        title=rule.title,
        severity=rule.severity,
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
