"""One result model that every formatter renders."""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field

from fazhi_audit.base.paths import display_path


@dataclass
class Evidence:
    text: str  # the sentence, as normalised
    line: int  # original line number
    section: str  # section kind where it sits
    similarity: float  # 0-100
    match: str = ""  # the matched words inside text
    page: str | None = None  # PDF inputs: the page the line is on
    paragraph: int | None = None  # .docx inputs: the source paragraph (see ingest.raw.LineOrigin)
    offsets: tuple[int, int] | None = None  # .docx inputs: [start, end) of text within that paragraph's text
    heading: str | None = None  # the nearest heading above it in its part, so a reader of the document can find it

    def to_json(self) -> dict:
        out = {"text": self.text, "line": self.line, "section": self.section, "similarity": self.similarity, "match": self.match}
        # optional keys appear only when known, so plain-text reports keep schema 1 output unchanged
        if self.page:
            out["page"] = self.page
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        if self.offsets is not None:
            out["offsets"] = list(self.offsets)
        return out


@dataclass
class ItemResult:
    name: str
    found: bool
    evidence: Evidence | None = None
    note: str | None = None  # why an existing mention does not count
    themes: list[ThemeResult] = field(default_factory=list)  # outline.coverage: the part's task themes (info only)
    status: str | None = None  # quality.follow-through: done / partly / explained / unaccounted, addressed / unaddressed

    def to_json(self) -> dict:
        out = {"name": self.name, "found": self.found, "evidence": self.evidence.to_json() if self.evidence else None, "note": self.note}
        if self.status is not None:
            out["status"] = self.status
        if self.themes:
            out["themes"] = [t.to_json() for t in self.themes]
        return out


@dataclass
class ThemeResult:
    """One task theme of the 纲要 under a part: shown for orientation, never scored."""

    name: str
    status: str  # V: the 纲要's own wording, seen in a source; P, R: a theme name, not quoted text
    found: bool
    evidence: Evidence | None = None

    @property
    def official(self) -> bool:
        return self.status == "V"

    def to_json(self) -> dict:
        return {"name": self.name, "status": self.status, "official": self.official, "found": self.found,
                "evidence": self.evidence.to_json() if self.evidence else None}


@dataclass
class Finding:
    rule: str
    title: str
    severity: str
    status: str  # pass | partial | fail
    message: str
    line: int | None = None
    items: list[ItemResult] = field(default_factory=list)
    fix: str = ""
    basis: str = ""
    credit: float = 1.0  # share of the rule's weight earned (0-1)
    scored: bool = True  # False when the rule could not apply (e.g. no date)
    baselined: bool = False  # known from the baseline: shown, but does not fail the run
    not_applicable: bool = False  # the report itself says the rule does not apply (本年度未作出重大行政决策); not scored
    value: float | None = None  # a measured quantity, e.g. the share carried over from last year (0-1)

    def to_json(self) -> dict:
        out = {
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity,
            "status": self.status,
            "message": self.message,
            "line": self.line,
            "items": [i.to_json() for i in self.items],
            "fix": self.fix if self.status != "pass" else None,
            "basis": self.basis,
        }
        if self.baselined:
            out["baselined"] = True
        if not self.scored:
            out["scored"] = False  # not checked or not applicable: left out of the score
        if self.not_applicable:
            out["not_applicable"] = True
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass
class SectionInfo:
    kind: str
    heading: str
    line: int | None

    def to_json(self) -> dict:
        return {"kind": self.kind, "heading": self.heading, "line": self.line}


@dataclass
class ProfileInfo:
    name: str  # township | county | department | generic
    label: str  # 乡镇（街道） …
    source: str  # how it was chosen: 命令行 --profile, a config file, or detected from the body's name

    def to_json(self) -> dict:
        return {"name": self.name, "label": self.label, "source": self.source}


@dataclass
class ReportResult:
    path: str
    title: str | None = None
    body: str | None = None
    year: int | None = None
    published: str | None = None
    outline: str | None = None  # the 纲要 in force for the report's year: 2015-2020 or 2021-2025
    score: int = 0
    passed: bool = False
    sections: list[SectionInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # set when the input could not be audited
    warnings: list[str] = field(default_factory=list)
    profile: ProfileInfo | None = None  # which kind of reporting body the rules were tuned for
    fail_under: float = 0  # the score threshold this report was judged against (not serialised)
    source_format: str = "txt"  # txt | docx | pdf | html: how evidence locations are worded (model/location.py)
    reasons: list[str] = field(default_factory=list)  # why it fails (scoring.verdict_reasons); empty when it passes
    # The body as the reader sees it, for the HTML view: (line number, part kind, text) per line.
    # Not serialised; None when the result was not built from a parsed document.
    text_lines: list[tuple[int, str, str]] | None = field(default=None, compare=False, repr=False)
    # The parsed document (text.document.Document), kept only when the run was asked to (Options.keep_documents):
    # Word comments are placed by its lines' origins. Not serialised.
    document: Any = field(default=None, compare=False, repr=False, metadata={"sanitize": False})
    # kind -> the part's short name from the rules' vocabulary, for whoever words a location
    part_labels: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # A file name that is not valid UTF-8 (zips made on Windows) must not break any output.
        self.path = display_path(self.path)

    def to_json(self) -> dict:
        out = {
            "path": self.path,
            "title": self.title,
            "body": self.body,
            "year": self.year,
            "published": self.published,
            "outline": self.outline,
            "score": self.score,
            "passed": self.passed,
            "sections": [s.to_json() for s in self.sections],
            "findings": [f.to_json() for f in self.findings],
        }
        if self.error:
            out["error"] = self.error
        if self.warnings:
            out["warnings"] = self.warnings
        if self.profile:
            out["profile"] = self.profile.to_json()
        if self.source_format != "txt":
            # Word, web page and PDF readers find a place by part, heading and paragraph or page
            from fazhi_audit.model.location import location_text

            out["format"] = self.source_format
            for finding, data in zip(self.findings, out["findings"]):
                for item, item_data in zip(finding.items, data["items"]):
                    if item.evidence is not None:
                        item_data["evidence"]["location"] = location_text(item.evidence, self.source_format, self.part_labels)
                        if item.evidence.heading:
                            item_data["evidence"]["heading"] = item.evidence.heading
        return out


# --- which findings are problems ----------------------------------------------


def is_problem(finding: Finding) -> bool:
    return finding.status != "pass"


def problems(result: ReportResult) -> list[Finding]:
    return [f for f in result.findings if is_problem(f)]


def new_problems(result: ReportResult) -> list[Finding]:
    """Problems not recorded in the baseline: the ones that judge the run."""
    return [f for f in problems(result) if not f.baselined]


def baselined_problems(result: ReportResult) -> list[Finding]:
    return [f for f in problems(result) if f.baselined]


def baselined_count(results: list[ReportResult]) -> int:
    return sum(len(baselined_problems(r)) for r in results)
