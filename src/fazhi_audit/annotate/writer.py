"""Write the annotated Word file: a copy of a .docx, or a new one made from extracted text.

The copy differs from the original only in the parts that hold comments:
the main document (range markers and reference runs), the comments part,
the content types and the document's relationships, plus the core
properties (keywords and last editor mark the file as this tool's output).  Every other part of
the original zip is copied byte for byte, so numbering, styles, headers,
footers and images are exactly as they were; and before anything is
written, every paragraph's text is compared with the original's.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_audit.annotate.plan import Place, PlannedComment, plan_comments
from fazhi_audit.annotate.ranges import mark, range_nodes, whole_paragraph
from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.files import write_atomic
from fazhi_audit.base.own_output import MARKER, TOOL_NAME
from fazhi_audit.model.result import ReportResult
from fazhi_audit.text.ingest.docx_reader import paragraph_text, source_paragraphs
from fazhi_audit.text.ingest.normalize import Line, normalize_line
from fazhi_audit.text.structure.outline import SectionVocabulary

if TYPE_CHECKING:
    from fazhi_audit.text.document import Document as ParsedDocument

DEFAULT_AUTHOR = "fazhi-audit"
CONTENT_TYPES = "[Content_Types].xml"
CORE_PROPERTIES = "docProps/core.xml"  # carries the marker that keeps discovery from reading the file back
_HEADING_STYLES = {1: "Heading 1", 2: "Heading 2"}
_TITLE_STYLE = "Title"
_FONTS = {"Normal": "宋体", "Title": "黑体", "Heading 1": "黑体", "Heading 2": "楷体"}

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# (paragraph index, [start, end) in its text or None for the whole paragraph) for a place
Locate = Callable[[Place], tuple[int | None, tuple[int, int] | None]]


@dataclass
class AnnotationSummary:
    source: Path
    target: Path
    comments: int  # every comment written, the overall one included
    problems: int  # comments on problems (comments minus the overall one)
    generated: bool = False  # True: the input was not .docx; a new .docx was made from its text
    whole_paragraphs: int = 0  # comments anchored on a whole paragraph where a sentence was meant


def annotate_docx(
    source: Path,
    result: ReportResult,
    target: Path,
    author: str = DEFAULT_AUTHOR,
    *,
    rules,
    vocab: SectionVocabulary,
) -> AnnotationSummary:
    """Write a copy of `source` (.docx) with a comment at every problem of `result`.

    `result.document` is the document as the audit parsed it (Options.keep_documents):
    comments are placed by its lines' origins, so the file is not read as a report again."""
    rules = _by_id(rules)
    parsed = _parsed(result)
    data = Path(source).read_bytes()
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = source_paragraphs(document)
    line_paragraph = {line.number: line.origin.pieces[0].paragraph for line in parsed.lines if line.origin.pieces}
    lines = {line.number: line for line in parsed.lines}

    def locate(place: Place):
        if place.paragraph is not None and place.offsets is not None:
            return place.paragraph, place.offsets
        number = place.line if place.line is not None else _title_line(parsed)
        line = lines.get(number)
        span = _span_in_line(line, place.text) if line is not None else None
        located = _in_one_paragraph(line, span) if span else None
        if located is not None:
            return located
        return line_paragraph.get(number), None

    planned = plan_comments(result, rules, vocab, _title_line(parsed))
    before = [paragraph_text(p) for p in paragraphs]
    whole = _add_comments(document, paragraphs, planned, locate, author)
    _require_same_text(before, paragraphs)
    _mark_as_ours(document)
    _write_atomic(Path(target), _merged_package(data, document), Path(source))
    return AnnotationSummary(Path(source), Path(target), len(planned), len(planned) - 1, False, whole)


def text_to_docx(
    source: Path,
    result: ReportResult,
    target: Path,
    author: str = DEFAULT_AUTHOR,
    *,
    rules,
    vocab: SectionVocabulary,
) -> AnnotationSummary:
    """Write a new .docx of the text extracted from `source` (.txt/.pdf/.html), headings as Word headings, with the comments."""
    rules = _by_id(rules)
    parsed = _parsed(result)
    document, line_paragraph, leads = _new_document(parsed, result)
    paragraphs = source_paragraphs(document)
    lines = {line.number: line for line in parsed.lines}

    def locate(place: Place):
        number = place.line if place.line is not None else _title_line(parsed)
        index = line_paragraph.get(number)
        span = _span_in_line(lines[number], place.text) if index is not None else None
        if span is None:
            return index, None
        return index, (span[0] - leads[number], span[1] - leads[number])

    planned = plan_comments(result, rules, vocab, _title_line(parsed), generated_from=Path(source).name)
    before = [paragraph_text(p) for p in paragraphs]
    whole = _add_comments(document, paragraphs, planned, locate, author)
    _require_same_text(before, paragraphs)
    _mark_as_ours(document)
    buffer = io.BytesIO()
    document.save(buffer)
    _write_atomic(Path(target), buffer.getvalue(), Path(source))
    return AnnotationSummary(Path(source), Path(target), len(planned), len(planned) - 1, True, whole)


def annotate_path(source: Path, result: ReportResult, target: Path, author: str = DEFAULT_AUTHOR, **kw) -> AnnotationSummary:
    """annotate_docx for a .docx input, text_to_docx for any other."""
    write = annotate_docx if Path(source).suffix.lower() == ".docx" else text_to_docx
    return write(source, result, target, author, **kw)


def default_target(source: Path, folder: Path | None = None) -> Path:
    """报告.docx -> 报告-审查意见.docx, next to the input or in `folder`."""
    source = Path(source)
    return (folder if folder is not None else source.parent) / f"{source.stem}-审查意见.docx"


# ---------------------------------------------------------------- comments


def _add_comments(document, paragraphs: list, planned: list[PlannedComment], locate: Locate, author: str) -> int:
    """Add each planned comment at its place; returns how many fell back to a whole paragraph."""
    fallback = _first_text_paragraph(paragraphs)
    whole = 0
    ids = [document.comments.add_comment(text=_xml_safe(plan.text), author=_xml_safe(author), initials=_initials(author)).comment_id for plan in planned]
    # Marked last to first: a later mark's reference goes in front of an earlier one's on the same words,
    # so comments on one sentence read in plan order (overall, then most severe first).
    for plan, comment_id in reversed(list(zip(planned, ids))):
        index, offsets = locate(plan.place)
        if index is None or not 0 <= index < len(paragraphs):
            index, offsets = fallback, None
        p = paragraphs[index]
        nodes = range_nodes(p, *offsets) if offsets and offsets[1] <= len(paragraph_text(p)) else None
        if nodes is None:
            whole += bool(plan.place.text)
            nodes = whole_paragraph(p) or whole_paragraph(paragraphs[fallback])
        mark(*nodes, comment_id)
    return whole


def _xml_safe(text: str) -> str:
    """Control characters XML cannot hold become spaces, so that positions in the text stay where they were."""
    return _NOT_IN_XML.sub(" ", text)


def _initials(author: str) -> str:
    return "FA" if author == DEFAULT_AUTHOR else author[:2]


def _first_text_paragraph(paragraphs: list) -> int:
    return next((i for i, p in enumerate(paragraphs) if paragraph_text(p).strip()), 0)


def _title_line(parsed: ParsedDocument) -> int | None:
    if parsed.meta.title_lines:
        return parsed.lines[parsed.meta.title_lines[0]].number
    return parsed.lines[0].number if parsed.lines else None


def _span_in_line(line: Line, text: str) -> tuple[int, int] | None:
    """Where `text` (as evidence shows it: as written, or normalised) sits in the reader's line."""
    if not text:
        return None
    for written in (line.raw, line.origin.original):  # evidence is shown as the report writes it
        if written is not None and len(written) == len(line.raw):
            at = written.find(text)
            if at >= 0:
                return at, at + len(text)
    start = line.text.find(text)
    original = line.origin.original
    if start < 0 and original is not None:  # evidence of a Traditional report is shown as written
        written = normalize_line(original)
        start = written.find(text) if len(written) == len(line.text) else -1
    return line.raw_span(start, start + len(text)) if start >= 0 else None


def _in_one_paragraph(line: Line, span: tuple[int, int]) -> tuple[int, tuple[int, int]] | None:
    """Paragraph and offsets of a span of a .docx line; a span over several table cells keeps its largest part."""
    located = line.origin.locate(*span)
    if located is not None:
        return located
    parts = [clipped for piece in line.origin.pieces if (clipped := piece.clip(*span)) is not None]
    if not parts:
        return None
    part = max(parts, key=lambda p: p.end - p.start)
    return part.paragraph, (part.offset, part.offset + part.end - part.start)


def _require_same_text(before: list[str], paragraphs: list) -> None:
    after = [paragraph_text(p) for p in paragraphs]
    if after != before:  # a bug in run splitting must never reach the user's file
        changed = next(i for i, (a, b) in enumerate(zip(before, after)) if a != b)
        raise RuntimeError(f"annotating changed the text of paragraph {changed}")


# ---------------------------------------------------------------- new document from text


def _new_document(parsed: ParsedDocument, result: ReportResult):
    """A plain Word document of the parsed lines: the title as Title, part headings as Heading 1, sub-headings as Heading 2.

    Returns the document, paragraph index by line number, and how many
    leading blanks of each reader's line were left out of its paragraph.
    """
    import docx
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as Chinese official documents
    for name, font in _FONTS.items():
        _east_asian_font(document.styles[name], font)
    levels = _heading_levels(parsed, result)
    title = {parsed.lines[i].number for i in parsed.meta.title_lines}
    line_paragraph, leads = {}, {}
    index = len(source_paragraphs(document))  # the template's own paragraphs, if any
    for line in parsed.lines:
        written = _as_written(line)
        text = written.strip()
        leads[line.number] = len(written) - len(written.lstrip())
        style = _TITLE_STYLE if line.number in title else _HEADING_STYLES.get(levels.get(line.number, 0))
        document.add_paragraph(_xml_safe(text), style=style)
        line_paragraph[line.number] = index
        index += 1
    return document, line_paragraph, leads


def _as_written(line: Line) -> str:
    """The reader's line in the script it was written in (Traditional before conversion)."""
    original = line.origin.original
    return original if original is not None and len(original) == len(line.raw) else line.raw


def _heading_levels(parsed: ParsedDocument, result: ReportResult) -> dict[int, int]:
    """Heading level by line number, for lines that are only a heading (not a heading run into its paragraph)."""
    levels = {s.line: 1 for s in result.sections if s.line}
    for heading in parsed.headings:
        if heading.level in _HEADING_STYLES and len(heading.source.text) <= len(heading.label) + 1:
            levels.setdefault(heading.line, heading.level)
    return levels


def _east_asian_font(style, name: str) -> None:
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


# ---------------------------------------------------------------- package


def _merged_package(original: bytes, document) -> bytes:
    """The original zip with only the comment-bearing parts taken from python-docx's save."""
    saved = io.BytesIO()
    document.save(saved)
    changed = {CONTENT_TYPES, CORE_PROPERTIES, *_part_names(document)}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as old, zipfile.ZipFile(saved) as new, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as merged:
        new_names = set(new.namelist())
        for info in old.infolist():
            if info.filename in changed and info.filename in new_names:
                merged.writestr(_fresh_info(info), new.read(info.filename))
            else:
                merged.writestr(info, old.read(info.filename))
        old_names = set(old.namelist())
        for name in new.namelist():
            if name not in old_names:
                merged.writestr(_fresh_info(new.getinfo(name)), new.read(name))
    return out.getvalue()


def _part_names(document) -> set[str]:
    """Zip names of the main document part, its relationships and the comments part."""
    part = document.part
    name = str(part.partname).lstrip("/")
    folder, _, base = name.rpartition("/")
    names = {name, f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"}
    from docx.opc.constants import CONTENT_TYPE

    for other in part.package.iter_parts():
        if other.content_type == CONTENT_TYPE.WML_COMMENTS:
            names.add(str(other.partname).lstrip("/"))
    return names


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh


def _write_atomic(target: Path, data: bytes, source: Path) -> None:
    """Write whole or not at all (files.write_atomic); never over the input itself."""
    if target.exists() and source.exists() and os.path.samefile(target, source):
        raise UsageError(f"输出文件 {target} 就是被检查的报告：请换一个输出路径，以免覆盖报告")
    write_atomic(target, lambda fh: fh.write(data), binary=True)


def _mark_as_ours(document) -> None:
    """Keywords carry the marker; the last editor is this tool until someone saves the file in Word."""
    props = document.core_properties
    keywords = props.keywords or ""
    if MARKER not in keywords:
        props.keywords = f"{keywords} {MARKER}".strip()
    props.last_modified_by = TOOL_NAME


def _by_id(rules) -> dict:
    return rules if isinstance(rules, dict) else {rule.id: rule for rule in rules}


def _parsed(result: ReportResult) -> ParsedDocument:
    if result.document is None:
        raise UsageError(f"{result.path}：检查结果未保留文档结构，无法加批注（运行时须设置 Options.keep_documents）")
    return result.document
