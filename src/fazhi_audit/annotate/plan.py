"""Where each comment goes: findings in, planned comments (place + text) out.

Places are chosen from the structure of a finding, never from its rule id.
Each finding gets one comment (a clerk should never read the same comment
twice); it names every other place the finding concerns. Its anchor:

- items not seen at all, beside items that were met: the sentence with the
  met items (the clerk adds the missing steps there: 第7段, not the heading);
- otherwise the first sentence an unmet item points to (a step written only
  in the plans, a numbering slip, a placeholder, a contradiction's first
  statement, a vague plan);
- items not seen at all, nothing met: the heading of the part where they
  belong: a missing part goes after the heading of the part that precedes it
  in the prescribed order; an item of a rule with a scope goes to the heading
  of the first scoped part the report has (主要举措和成效); otherwise the
  finding's own line; otherwise the title;
- a finding without items -> its line, else the title;
- one overall comment on the title.

No paragraph carries more than MAX_PER_PARAGRAPH comments: the most severe
keep their own, the rest are joined into the last one. Findings that pass,
or that could not be checked, get no comment of their own; the overall
comment lists those not checked.
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
    severity: str | None = None


@dataclass
class _Group:
    """The items of one finding that share a place, and what to say about the place."""

    seen: list[ItemResult] = field(default_factory=list)  # not met, evidence here
    missing: list[ItemResult] = field(default_factory=list)  # not seen anywhere
    where: str = ""  # where missing content belongs, relative to this place


MAX_PER_PARAGRAPH = 3


def plan_comments(
    result: ReportResult,
    rules: Mapping[str, Rule],
    vocab: SectionVocabulary,
    title_line: int | None,
    generated_from: str | None = None,
) -> list[PlannedComment]:
    """The overall comment first, then one comment per problem, most severe first."""
    title = Place(title_line)
    planned = [PlannedComment(title, wording.overall(result, generated_from))]
    for finding in sorted(problems(result), key=problem_order):
        if not_checked(finding):
            continue
        place, group, others = _one_place(finding, rules.get(finding.rule), result, vocab, title)
        text = wording.finding(finding, group.seen, group.missing, group.where, others, result.profile)
        planned.append(PlannedComment(place, text, finding.rule, finding.severity))
    return _at_most_per_paragraph(planned, _line_paragraphs(result))


def _one_place(finding: Finding, rule: Rule | None, result: ReportResult, vocab: SectionVocabulary, title: Place) -> tuple[Place, _Group, list[Evidence]]:
    """The finding's anchor, what is said there, and the other sentences the comment names."""
    group = _Group()
    for item in finding.items:
        if item.found:
            continue
        (group.seen if item.evidence is not None else group.missing).append(item)
    group.seen.sort(key=lambda item: item.evidence.line)
    met = [item.evidence for item in finding.items if item.found and item.evidence is not None]
    present = {s.kind for s in result.sections}
    missing_part = any((kind := _part_kind(item.name, vocab)) is not None and kind not in present for item in group.missing)
    if group.missing and met and not missing_part:
        # the clerk writes the missing steps beside the ones already there
        group.where = wording.add_here()
        return Place.of(met[0]), group, [item.evidence for item in group.seen]
    if group.seen:
        first = group.seen[0].evidence
        return Place.of(first), group, []
    if group.missing:
        place, group.where = _missing_place(group.missing[0], finding, rule, result, vocab, title)
        return place, group, []
    return _finding_place(finding, title), group, []


def _line_paragraphs(result: ReportResult) -> dict[int, int]:
    """Line -> .docx paragraph, as far as evidence tells: a heading's place and a sentence's place meet here."""
    out: dict[int, int] = {}
    for f in result.findings:
        for item in f.items:
            ev = item.evidence
            if ev is not None and ev.paragraph is not None:
                out.setdefault(ev.line, ev.paragraph)
    return out


def _at_most_per_paragraph(planned: list[PlannedComment], paragraphs: dict[int, int]) -> list[PlannedComment]:
    """Comments of one paragraph, most severe first; beyond the limit, joined into the last one."""
    by_paragraph: dict[tuple, list[PlannedComment]] = {}
    for plan in planned:
        place = plan.place
        paragraph = place.paragraph if place.paragraph is not None else paragraphs.get(place.line) if place.line is not None else None
        by_paragraph.setdefault(("p", paragraph) if paragraph is not None else ("l", place.line), []).append(plan)
    out: list[PlannedComment] = []
    for plans in by_paragraph.values():
        if len(plans) > MAX_PER_PARAGRAPH:
            keep, rest = plans[: MAX_PER_PARAGRAPH - 1], plans[MAX_PER_PARAGRAPH - 1 :]
            joined = PlannedComment(rest[0].place, wording.joined([p.text for p in rest]), rest[0].rule, rest[0].severity)
            plans = [*keep, joined]
        out.extend(plans)
    return out


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
