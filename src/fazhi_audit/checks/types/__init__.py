"""The rule types, one module each, named after the type (required_items.py checks `type: required-items`).

Each module declares `RULE_TYPE`: its YAML keys and their validation, its typed
fields, its check function and its explanation (see checks/rule_type.py).
Adding a rule type is adding its module here and to `MODULES`.
"""

from __future__ import annotations

from fazhi_audit.checks.types import (
    body,
    carry_over,
    causes,
    contradiction,
    disclosure_deadline,
    follow_through,
    forbidden_patterns,
    numbering,
    outdated_reference,
    outline_coverage,
    required_heading,
    required_items,
    required_sections,
    section_order,
    stale_year,
    submission_deadline,
    unanswered_shortcomings,
    vague_plans,
)

MODULES = (
    body,
    carry_over,
    causes,
    contradiction,
    disclosure_deadline,
    follow_through,
    forbidden_patterns,
    numbering,
    outdated_reference,
    outline_coverage,
    required_heading,
    required_items,
    required_sections,
    section_order,
    stale_year,
    submission_deadline,
    unanswered_shortcomings,
    vague_plans,
)
