"""What checks share for one run: the matcher, vocabulary and cue words."""

from __future__ import annotations

from dataclasses import dataclass

from ..matching import PhraseMatcher
from ..rules.schema import Cues
from ..structure.outline import SectionVocabulary


@dataclass
class CheckContext:
    matcher: PhraseMatcher
    vocab: SectionVocabulary
    cues: Cues
