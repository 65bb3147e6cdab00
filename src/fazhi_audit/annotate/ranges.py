"""Mark a character range of a Word paragraph as a comment's anchor.

A comment range must start and end on run boundaries, so a run that an
anchor starts or ends inside is split in two, each half keeping the run's
formatting (w:rPr is copied with the rest of the run).  Offsets index
docx_reader.paragraph_text() -- the same text evidence offsets are given
in -- so hidden and deleted runs take no room and a tab counts one.

Only plain runs that are children of the paragraph are split.  When a
range starts or ends inside anything else (a hyperlink, a field, a
content control) the caller anchors the whole paragraph instead.
"""

from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from fazhi_audit.text.ingest.docx_numbering import W
from fazhi_audit.text.ingest.docx_reader import element_text

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PROPERTIES = (f"{W}pPr", f"{W}rPr")


def _text_of(element) -> str:
    """The text `element` adds to its paragraph, read exactly as the reader reads it (in its place:
    whether a run shows depends on its paragraph, cell and styles)."""
    return element_text(element)


class _Child:
    """A child of the paragraph and the [start, end) of paragraph text it holds."""

    def __init__(self, element, start: int, in_field: bool):
        self.element = element
        self.start = start
        self.end = start + len(_text_of(element))
        self.in_field = in_field

    @property
    def splittable(self) -> bool:
        return self.element.tag == f"{W}r" and not self.in_field


def _children(p) -> list[_Child]:
    """Every child of w:p with its text range; runs between fldChar begin and end are field text."""
    out, pos, depth = [], 0, 0
    for element in p.iterchildren():
        if not isinstance(element.tag, str) or element.tag in _PROPERTIES:
            continue
        chars = element.findall(f"{W}fldChar") if element.tag == f"{W}r" else []
        in_field = depth > 0 or bool(chars)
        child = _Child(element, pos, in_field)
        out.append(child)
        pos = child.end
        for char in chars:
            kind = char.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        depth = max(depth, 0)
    return out


def _split_run(r, at: int):
    """Split run r after `at` characters of its text; returns the new right half (r keeps the left).

    The right half is a new w:r with r's attributes and a copy of its
    formatting; the content after the cut is moved into it, not copied, so
    a drawing or text box in the run stays one and the same element.
    """
    contents = [c for c in r.iterchildren() if isinstance(c.tag, str) and c.tag != f"{W}rPr"]
    pos = 0
    for index, child in enumerate(contents):
        length = len(_text_of(child))
        if pos + length <= at:
            pos += length
            continue
        cut = at - pos  # 0 <= cut < length
        if cut and child.tag != f"{W}t":
            return None  # only w:t holds more than one character
        right = OxmlElement("w:r")
        for name, value in r.attrib.items():
            right.set(name, value)
        properties = r.find(f"{W}rPr")
        if properties is not None:
            right.append(copy.deepcopy(properties))
        moved = contents[index:]
        if cut:
            text = child.text or ""
            tail = OxmlElement("w:t")
            child.text, tail.text = text[:cut], text[cut:]
            child.set(XML_SPACE, "preserve")
            tail.set(XML_SPACE, "preserve")
            right.append(tail)
            moved = contents[index + 1 :]
        for c in moved:
            right.append(c)  # lxml moves an element that is already in a tree
        r.addnext(right)
        return right
    return None


def _boundary(p, offset: int, *, at_start: bool):
    """The child that begins (at_start) or ends at `offset`, splitting a run if needed."""
    for child in _children(p):
        if child.end == child.start:
            continue  # markers, hidden text and deleted text take no room
        inside = child.start <= offset < child.end if at_start else child.start < offset <= child.end
        if not inside:
            continue
        if child.in_field:
            return None
        cut = offset - child.start
        if at_start and cut == 0 or not at_start and offset == child.end:
            return child.element
        if not child.splittable:
            return None
        right = _split_run(child.element, cut)
        if right is None:
            return None
        return right if at_start else child.element
    return None


def range_nodes(p, start: int, end: int):
    """(first, last) children of p that hold exactly text [start, end), splitting runs; None if not possible.

    The end is split first so that the start's offset still counts from
    the paragraph's beginning; a failed split leaves the text as it was
    (a split only moves characters between two copies of one run).
    """
    if not 0 <= start < end:
        return None
    last = _boundary(p, end, at_start=False)
    if last is None:
        return None
    first = _boundary(p, start, at_start=True)
    if first is None:
        return None
    if last.getnext() is first:
        last = first  # the start split the last run itself: its right half now ends the range
    return first, last


def whole_paragraph(p):
    """(first, last) content children of p; None for a paragraph with nothing in it."""
    children = [c for c in p.iterchildren() if isinstance(c.tag, str) and c.tag not in _PROPERTIES and not _comment_markup(c)]
    return (children[0], children[-1]) if children else None


def _comment_markup(element) -> bool:
    """A comment's range marks or reference run: not content, so the next comment on the paragraph covers the same words."""
    if element.tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd"):
        return True
    return element.tag == f"{W}r" and element.find(f"{W}commentReference") is not None


def mark(first, last, comment_id: int) -> None:
    """Put the comment's range around first..last (children of one paragraph) and its reference after."""
    if first.tag == f"{W}r" and last.tag == f"{W}r":
        from docx.text.run import Run

        Run(first, None).mark_comment_range(Run(last, None), comment_id)  # python-docx's own placement
        return
    # a hyperlink, field or content control at an end: the same three elements, placed by hand
    first.addprevious(OxmlElement("w:commentRangeStart", attrs={qn("w:id"): str(comment_id)}))
    reference = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    properties.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    reference.append(properties)
    reference.append(OxmlElement("w:commentReference", attrs={qn("w:id"): str(comment_id)}))
    last.addnext(reference)
    last.addnext(OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): str(comment_id)}))
