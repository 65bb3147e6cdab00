"""One checker per rule type; the registry maps a rule's `type` to it."""

from __future__ import annotations

from collections.abc import Callable

from ..document import Document
from ..report.model import Finding
from ..rules.schema import Rule
from .context import CheckContext
from .items import check_required_items
from .structure import check_causes, check_numbering, check_required_sections, check_section_order
from .headings import check_required_heading
from .text import check_disclosure_deadline, check_forbidden_patterns, check_submission_deadline

Checker = Callable[[Rule, Document, CheckContext], list[Finding]]

REGISTRY: dict[str, Checker] = {
    "required-sections": check_required_sections,
    "section-order": check_section_order,
    "causes": check_causes,
    "numbering": check_numbering,
    "required-items": check_required_items,
    "forbidden-patterns": check_forbidden_patterns,
    "disclosure-deadline": check_disclosure_deadline,
    "submission-deadline": check_submission_deadline,
    "required-heading": check_required_heading,
}

__all__ = ["REGISTRY", "CheckContext"]
