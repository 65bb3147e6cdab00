"""What checks share for one run: the matcher, vocabulary and cue words.

`previous` is the one per-report value: last year's report of the same body,
when the run was given one (--previous); the Auditor sets it per report.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..matching import PhraseMatcher
from ..rules.schema import Cues
from ..structure.outline import SectionVocabulary


@dataclass(frozen=True)
class PreviousReport:
    """Last year's report: a file, or a folder to find it in by body and year; a rule's example gives its text."""

    path: str | None = None
    text: str | None = None


@dataclass
class CheckContext:
    matcher: PhraseMatcher
    vocab: SectionVocabulary
    cues: Cues
    previous: PreviousReport | None = None
