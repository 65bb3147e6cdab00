"""Evidence made where it is found, from the origin its line carries.

Checks find text in a parsed line (a Sentence's or Heading's `source`, or
one of Document.lines).  `evidence_at` turns that place into an Evidence the
user can follow: the original line number, the PDF page, the words in the
script the report was written in, and for .docx the source paragraph and the
character range inside it.
"""

from __future__ import annotations

import re

from fazhi_audit.model.result import Evidence
from fazhi_audit.text.ingest.normalize import Line, normalize_line


def evidence_at(
    source: Line,
    text: str,
    section: str,
    similarity: float,
    match: str = "",
    start: int | None = None,
    heading: str = "",
) -> Evidence:
    """Evidence for `text` standing at `start` in source.text, shown as the original writes it.

    start=None looks the text up in the line (its first occurrence).  Text
    that is not in the line as given (a title joined from two lines, a
    placeholder) keeps the line number and page but gets no offsets and is
    shown as given.
    """
    origin = source.origin
    evidence = Evidence(text, origin.line, section, similarity, match, page=origin.page, heading=heading or None)
    if start is None:
        start = source.text.find(text)
        if start < 0:
            text, match, start = _as_spaced(source.text, text, match)
            evidence.text, evidence.match = text, match
    if not text or start < 0 or source.text[start : start + len(text)] != text:
        return evidence
    located = _paragraph_range(source, start, start + len(text))
    if located is not None:
        evidence.paragraph, evidence.offsets = located
    verbatim = _verbatim(source, start, text, match)
    if verbatim is not None:
        evidence.text, evidence.match = verbatim
    elif origin.original is not None:
        evidence.text, evidence.match = _as_written(origin.original, source.text, start, text, match)
    return evidence


def _verbatim(source: Line, start: int, text: str, match: str) -> tuple[str, str] | None:
    """text and match as the original line writes them (（三）， stays full-width), so a
    reader finds the quote with Ctrl-F; normalising is for matching only.  None when
    the positions cannot be mapped back."""
    written = source.origin.original if source.origin.original is not None else source.raw
    if len(written) != len(source.raw):
        return None  # script conversion changed lengths: positions no longer line up
    span = source.raw_span(start, start + len(text))
    if span is None:
        return None
    shown = written[span[0] : span[1]]
    at = text.find(match) if match else -1
    inner = source.raw_span(start + at, start + at + len(match)) if at >= 0 and match else None
    return shown, (written[inner[0] : inner[1]] if inner else match)


def _as_spaced(line: str, text: str, match: str) -> tuple[str, str, int]:
    """text quoted from the line with the spaces the writer put in it.

    A heading's label joins its marker and title without the space between
    them ("三、 E" is labelled "三、E"): quote the line itself, so evidence is
    always words the report contains.  (text, match, -1) when not in the line.
    """
    found = _spaced_search(line, text)
    if found is None:
        return text, match, -1
    quoted = line[found[0] : found[1]]
    if match and match not in quoted:
        inner = _spaced_search(quoted, match)
        match = quoted[inner[0] : inner[1]] if inner else match
    return quoted, match, found[0]


def _spaced_search(line: str, text: str) -> tuple[int, int] | None:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return None
    m = re.search(r"\s*".join(map(re.escape, chars)), line)
    return (m.start(), m.end()) if m else None


def _paragraph_range(source: Line, start: int, end: int) -> tuple[int, tuple[int, int]] | None:
    """The .docx paragraph and offsets of source.text[start:end], when known."""
    origin = source.origin
    if not origin.pieces:
        return None
    if origin.original is not None and len(origin.original) != len(source.raw):
        return None  # script conversion changed lengths: positions no longer line up
    span = source.raw_span(start, end)
    return origin.locate(*span) if span else None


def _as_written(original: str, converted: str, start: int, text: str, match: str) -> tuple[str, str]:
    """text and match in the line's original script (Traditional before conversion)."""
    written = normalize_line(original)
    # t2s maps character for character; where it did not, keep the simplified text.
    if len(written) != len(converted):
        return text, match
    shown = written[start : start + len(text)]
    at = text.find(match) if match else -1
    return shown, (shown[at : at + len(match)] if at >= 0 else match)
