"""Where each comment goes: findings in, planned comments (place + text) out.

Places are chosen from the structure of a finding, never from its rule id:

- an item that is not met but was seen somewhere (a step written only in the
  plans, a numbering slip, a placeholder, each statement of a contradiction,
  a stale year) -> the sentence its evidence points to;
- an item not seen at all -> the heading of the part where it belongs: a
  missing part goes after the heading of the part that precedes it in the
  prescribed order; an item of a rule with a scope goes to the heading of
  the first scoped part the report has (主要举措和成效); otherwise the
  finding's own line; otherwise the title;
- a finding without items -> its line, else the title;
- one overall comment on the title.

Findings that pass, or that could not be checked, get no comment of their
own; the overall comment lists those not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fazhi_audit.annotate import wording
from fazhi_audit.model.result import Evidence, Finding, ItemResult, ReportResult
from fazhi_audit.render.formatters._common import not_checked, problem_order, problems
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.structure.outline import SectionVocabulary


@dataclass(frozen=True)
class Place:
    """Where a comment is anchored, as far as the result knows it.

    line: the original line number (its paragraph is looked up by the writer);
    None stands for the title.  paragraph/offsets: the .docx paragraph and the
    characters of it, when evidence carries them.  text: the words to look
    for in the line's paragraph when offsets are unknown ("" = the whole
    paragraph).
    """

    line: int | None = None
    paragraph: int | None = None
    offsets: tuple[int, int] | None = None
    text: str = ""

    @classmethod
    def of(cls, evidence: Evidence) -> "Place":
        return cls(evidence.line, evidence.paragraph, evidence.offsets, evidence.text)


@dataclass
class PlannedComment:
    place: Place
    text: str
    rule: str | None = None  # None for the overall comment


@dataclass
class _Group:
    """The items of one finding that share a place, and what to say about the place."""

    seen: list[ItemResult] = field(default_factory=list)  # not met, evidence here
    missing: list[ItemResult] = field(default_factory=list)  # not seen anywhere
    where: str = ""  # where missing content belongs, relative to this place


def plan_comments(
    result: ReportResult,
    rules: Mapping[str, Rule],
    vocab: SectionVocabulary,
    title_line: int | None,
    generated_from: str | None = None,
) -> list[PlannedComment]:
    """The overall comment first, then one comment per problem and place, most severe first."""
    title = Place(title_line)
    planned = [PlannedComment(title, wording.overall(result, generated_from))]
    for finding in sorted(problems(result), key=problem_order):
        if not_checked(finding):
            continue
        groups = _groups(finding, rules.get(finding.rule), result, vocab, title)
        seen_places = [place for place, group in groups.items() if group.seen]
        for place, group in groups.items():
            elsewhere = [item.evidence for other, g in groups.items() if other != place and other in seen_places for item in g.seen]
            text = wording.finding(finding, group.seen, group.missing, group.where, elsewhere)
            planned.append(PlannedComment(place, text, finding.rule))
    return planned


def _groups(finding: Finding, rule: Rule | None, result: ReportResult, vocab: SectionVocabulary, title: Place) -> dict[Place, _Group]:
    groups: dict[Place, _Group] = {}
    for item in finding.items:
        if item.found:
            continue
        if item.evidence is not None:
            groups.setdefault(Place.of(item.evidence), _Group()).seen.append(item)
            continue
        place, where = _missing_place(item, finding, rule, result, vocab, title)
        group = groups.setdefault(place, _Group())
        group.missing.append(item)
        group.where = group.where or where
    if not groups:
        groups[_finding_place(finding, title)] = _Group()
    return groups


def _finding_place(finding: Finding, title: Place) -> Place:
    if finding.line:
        return Place(finding.line)
    evidence = next((i.evidence for i in finding.items if i.evidence), None)
    return Place.of(evidence) if evidence else title


def _missing_place(item: ItemResult, finding: Finding, rule: Rule | None, result: ReportResult, vocab: SectionVocabulary, title: Place) -> tuple[Place, str]:
    part = _part_kind(item.name, vocab)
    present = {s.kind for s in result.sections}
    if part is not None and part not in present:
        return _missing_part_place(part, result, vocab, title)
    for kind in getattr(rule.params, "scope", ()) if rule is not None else ():
        heading = next((s for s in result.sections if s.kind == kind and s.line), None)
        if heading is not None:
            return Place(heading.line), wording.belongs_here(vocab.label(kind))
    if finding.line:
        return Place(finding.line), ""
    return title, ""


def _part_kind(name: str, vocab: SectionVocabulary) -> str | None:
    """The part kind an item stands for, when the item is a part of the report (by its label)."""
    return next((kind for kind in vocab.canonical_order if vocab.label(kind) == name), None)


def _missing_part_place(kind: str, result: ReportResult, vocab: SectionVocabulary, title: Place) -> tuple[Place, str]:
    """The heading after which a missing part should come; else the one it should precede; else the title."""
    order = vocab.canonical_order
    rank = order.index(kind)
    headed = [s for s in result.sections if s.line and s.kind in order]
    before = [s for s in headed if order.index(s.kind) < rank]
    if before:
        previous = max(before, key=lambda s: (order.index(s.kind), s.line))
        return Place(previous.line), wording.part_after()
    after = [s for s in headed if order.index(s.kind) > rank]
    if after:
        following = min(after, key=lambda s: (order.index(s.kind), s.line))
        return Place(following.line), wording.part_before()
    return title, wording.part_after_title()
