"""Heading signals of a Word paragraph: its outline level and whether it is bold.

A report may head its parts with Word's heading styles ("标题 1", "Heading 1")
or with a bold paragraph of its own, and carry no number in the text at all.
The structure parser needs those signals (LineOrigin.heading / .bold); this
module reads them from the paragraph and its style chain, nothing else.
"""

from __future__ import annotations

import re

from fazhi_audit.text.ingest.docx_numbering import W
from fazhi_audit.text.ingest.docx_style_table import StyleTable

# Built-in heading style names as Word stores them (w:name), in English or
# localised: "heading 1", "Heading 1", "标题 1", "标题1".
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_BODY_LEVEL = 9  # w:outlineLvl 9 is body text
_FALSE = ("0", "false", "off", "none")


class StyleHints:
    """Outline level and boldness per style id, following w:basedOn."""

    def __init__(self, document):
        self.styles: StyleTable = StyleTable(document, _hints)  # id -> (level, bold, basedOn)

    def _inherited(self, style_id: str | None, index: int):
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            value = self.styles[style_id][index]
            if value is not None:
                return value
            style_id = self.styles[style_id][2]
        return None

    def heading_level(self, p) -> int | None:
        """1 for a "标题 1"/"Heading 1" paragraph (or outline level 1), …; None for body text."""
        ppr = p.find(f"{W}pPr")
        level = _outline(ppr)
        if level is None:
            level = self._inherited(_val(ppr.find(f"{W}pStyle")) if ppr is not None else None, 0)
        return level

    def is_bold(self, p) -> bool:
        """Every run with visible text is bold (directly or through the styles)."""
        ppr = p.find(f"{W}pPr")
        style_bold = self._inherited(_val(ppr.find(f"{W}pStyle")) if ppr is not None else None, 1)
        runs = [r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
        if not runs:
            return False
        for run in runs:
            bold = _bold(run.find(f"{W}rPr"))
            if bold is None:
                bold = self._inherited(_val(run.find(f"{W}rPr/{W}rStyle")), 1)
            if bold is None:
                bold = style_bold
            if not bold:
                return False
        return True


def _hints(style) -> tuple[int | None, bool | None, str | None]:
    """Outline level, boldness and basedOn of one w:style element."""
    named = _HEADING_NAME.match(_val(style.find(f"{W}name")) or "")
    level = int(named.group(1)) if named else _outline(style.find(f"{W}pPr"))
    return level, _bold(style.find(f"{W}rPr")), _val(style.find(f"{W}basedOn"))


def _val(element) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _outline(ppr) -> int | None:
    if ppr is None:
        return None
    value = _val(ppr.find(f"{W}outlineLvl"))
    if value is None or not value.isdigit():
        return None
    level = int(value)
    return None if level >= _BODY_LEVEL else level + 1


def _bold(rpr) -> bool | None:
    if rpr is None:
        return None
    b = rpr.find(f"{W}b")
    if b is None:
        return None
    return (_val(b) or "true").lower() not in _FALSE
