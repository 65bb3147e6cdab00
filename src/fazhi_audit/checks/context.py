"""What checks share for one run: the matcher, vocabulary and cue words.

`previous` is the one per-report value: last year's report of the same body,
when the run was given one (--previous); the Auditor sets it per report.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.rules.schema import Cues
from fazhi_audit.text.document import Document
from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.matching import PhraseMatcher
from fazhi_audit.text.structure.outline import SectionVocabulary


@dataclass(frozen=True)
class PreviousReport:
    """Last year's report as the engine resolved it (a file, a folder searched by body and year, or an
    example's text): its lines, the name findings show, or why it cannot be used (lines None)."""

    lines: list[Line] | None
    name: str = ""
    why_not: str = ""
    document: Document | None = None  # parsed into parts, for rules that compare plans and problems


@dataclass
class CheckContext:
    matcher: PhraseMatcher
    vocab: SectionVocabulary
    cues: Cues
    previous: PreviousReport | None = None
