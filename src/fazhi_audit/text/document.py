"""The parsed report every check reads: lines, metadata, parts, sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_audit.text.ingest.metadata import Metadata, extract_metadata
from fazhi_audit.text.ingest.normalize import Line, normalize
from fazhi_audit.text.ingest.raw import RawDocument
from fazhi_audit.text.structure.headings import Heading
from fazhi_audit.text.structure.numbering import NumberingDefect, find_numbering_defects
from fazhi_audit.text.structure.outline import Section, SectionVocabulary, build_outline
from fazhi_audit.text.structure.vocabulary import SIGNATURE

_SENTENCE_END = re.compile(r"(?<=[。!?;])")


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int  # line index
    line: int  # original line number
    section: int  # index into Document.sections, -1 for the title block
    kind: str
    start: int  # where the sentence starts in its line's text
    source: Line = field(compare=False, repr=False)  # that line, with its origin
    heading: str = ""  # the nearest heading above it inside its part, as written (e.g. "（二）严格规范执法")


@dataclass
class Document:
    path: str
    lines: list[Line]
    meta: Metadata
    published: str | None
    sections: list[Section]
    headings: list[Heading]
    sentences: list[Sentence]
    numbering: list[NumberingDefect]
    body_start: int

    def kind_at(self, index: int) -> str:
        """The kind of part a line (by index) sits in; the title block is preamble, the 落款 signature."""
        if index in self.meta.signature_lines:
            return SIGNATURE
        return next((s.kind for s in self.sections if s.start <= index < s.end), "preamble")

    def kind_at_line(self, number: int) -> str:
        """The same, for an original line number."""
        if any(self.lines[i].number == number for i in self.meta.signature_lines):
            return SIGNATURE
        return next((s.kind for s in self.sentences if s.line == number), "preamble")

    def line_numbered(self, number: int) -> Line | None:
        """The line with this original line number, if the body kept it."""
        return next((line for line in self.lines if line.number == number), None)

    def kinds(self) -> list[str]:
        return [s.kind for s in self.sections if s.kind != "preamble"]


def sentence_spans(text: str) -> list[tuple[int, str]]:
    """(start, sentence) for each sentence of a line, stripped of spaces."""
    out, pos = [], 0
    for part in _SENTENCE_END.split(text):
        stripped = part.strip()
        if stripped:
            out.append((pos + len(part) - len(part.lstrip()), stripped))
        pos += len(part)
    return out


def parse_document(raw: str | RawDocument, vocab: SectionVocabulary, path: str = "-", published: str | None = None) -> Document:
    if isinstance(raw, RawDocument):
        norm = normalize(raw.text, raw.origins)
        published = published or raw.published
    else:
        norm = normalize(raw)
    lines = norm.lines
    meta = extract_metadata(lines)
    body_start = (meta.title_lines[-1] + 1) if meta.title_lines else 0
    # the signature block (落款) belongs to no part: its name and date are no report text
    sections, headings = build_outline(lines, body_start, vocab, meta.year, meta.signature_start)
    sentences = []
    heading_at = {h.index: h.label for h in headings}
    for si, section in enumerate(sections):
        nearest = ""
        own = section.heading.index if section.heading else -1
        for i in range(section.start, section.end):
            if i != own:  # the part's own heading is named by the part already
                nearest = heading_at.get(i, nearest)  # one pass: headings are met in order
            for start, s in sentence_spans(lines[i].text):
                kind = section.kind_at(i, start) if section.turns else section.kind  # a joint part turns to plans
                sentences.append(Sentence(s, i, lines[i].number, si, kind, start, lines[i], nearest))
    numbering = find_numbering_defects(lines, headings, [s for s in sections if s.heading], body_start)
    return Document(
        path=path,
        lines=lines,
        meta=meta,
        published=published or norm.published,
        sections=sections,
        headings=headings,
        sentences=sentences,
        numbering=numbering,
        body_start=body_start,
    )
