"""Word runs a reader cannot see: hidden (w:vanish), 3 pt or smaller, squeezed to a sliver
(character scaling w:w under 20 %), raised or lowered far off its line (w:position),
or coloured like their background.

Run properties come from the run (direct formatting), its character style,
its paragraph's style, its table's style and the document defaults, in that
order of precedence; the background from the run's shading or highlight,
else its paragraph's, its table cell's or table's shading (direct, else the
table style's), else the page colour, else white.  Text coloured "auto" is
drawn in a contrasting colour by Word and always shows.  What Word shows is
left in: w:vanish w:val="0", w:webHidden (hidden in web view only),
w:specVanish, and a size set only for complex script (w:szCs).

One `Visibility` per document carries what the styles say; paragraph_text()
finds it through the document's root element (see `register`), so the
reader and the Word annotator, which read the same paragraphs, agree on
every character.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

from fazhi_audit.text.ingest.docx_numbering import W
from fazhi_audit.text.ingest.docx_style_table import StyleTable
from fazhi_audit.text.ingest.hidden import RGB, hex_rgb, same_colour

TINY_HALF_POINTS = 6  # w:sz counts half-points: 6 is 3 pt; the smallest Chinese size (八号) is 5 pt
MIN_SCALE_PERCENT = 20  # w:w: 1 % squeezes a line of text into a hairline
MAX_SHIFT_HALF_POINTS = 100  # w:position: 50 pt up or down leaves the line; sub/superscripts move 2-6 pt
WHITE: RGB = (1.0, 1.0, 1.0)
_FALSE = ("0", "false", "off", "none")
# w:highlight names (ST_HighlightColor) and the colours Word paints them in
_HIGHLIGHT = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
    "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080",
    "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
    "darkGray": "808080", "lightGray": "C0C0C0",
}
_KEYS = ("vanish", "color", "size", "fill", "scale", "shift")

Props = dict  # a subset of _KEYS -> value; absent = not said at this level


def _val(element) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _shading(shd) -> RGB | None:
    """The colour a w:shd paints (its fill; a solid pattern paints its colour)."""
    if shd is None or shd.get(f"{W}val") == "nil":
        return None
    value = shd.get(f"{W}color") if shd.get(f"{W}val") == "solid" else shd.get(f"{W}fill")
    return hex_rgb(value)


def run_props(rpr) -> Props:
    """What one w:rPr says about visibility."""
    props: Props = {}
    if rpr is None:
        return props
    vanish = rpr.find(f"{W}vanish")
    if vanish is not None:
        props["vanish"] = (_val(vanish) or "true").lower() not in _FALSE
    color = _val(rpr.find(f"{W}color"))
    if color is not None:
        props["color"] = color
    size = _val(rpr.find(f"{W}sz"))
    if size is not None and size.isdigit():
        props["size"] = int(size)
    scale = _val(rpr.find(f"{W}w"))
    if scale is not None and scale.rstrip("%").isdigit():
        props["scale"] = int(scale.rstrip("%"))
    shift = _val(rpr.find(f"{W}position"))
    if shift is not None and shift.lstrip("-").isdigit():
        props["shift"] = int(shift)
    highlight = _HIGHLIGHT.get(_val(rpr.find(f"{W}highlight")) or "")
    fill = hex_rgb(highlight) if highlight else _shading(rpr.find(f"{W}shd"))
    if fill is not None:
        props["fill"] = fill
    return props


class Visibility:
    """The style and page information of one document (empty for a bare paragraph)."""

    def __init__(self, document=None):
        self.styles: Mapping[str, tuple[Props, str | None]] = {}  # id -> own props, basedOn
        self.defaults: Props = {}
        self.page: RGB = WHITE
        self._resolved: dict[str, Props] = {}
        if document is None:
            return
        self.styles = StyleTable(document, lambda style: (run_props(style.find(f"{W}rPr")), _val(style.find(f"{W}basedOn"))))
        try:
            root = document.styles.element
        except Exception:  # no styles part: nothing is inherited
            root = None
        if root is not None:
            self.defaults = run_props(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        background = document.element.find(f"{W}background")
        self.page = (hex_rgb(background.get(f"{W}color")) if background is not None else None) or WHITE

    def table_fill(self, style_id: str) -> RGB | None:
        """The shading a table style gives cells (the last such style element that gives one)."""
        elements = self.styles.elements(style_id) if isinstance(self.styles, StyleTable) else []
        for style in reversed(elements):
            fill = _shading(style.find(f"{W}tcPr/{W}shd")) or _shading(style.find(f"{W}tblPr/{W}shd"))
            if fill is not None:
                return fill
        return None

    def style_props(self, style_id: str | None) -> Props:
        """A style's properties with those of the styles it is based on (nearest wins)."""
        if not style_id or style_id not in self.styles:
            return {}
        merged = self._resolved.get(style_id)
        if merged is None:
            chain, seen, current = [], set(), style_id
            while current and current in self.styles and current not in seen:
                seen.add(current)
                chain.append(self.styles[current][0])
                current = self.styles[current][1]
            merged = {}
            for props in reversed(chain):
                merged.update(props)
            self._resolved[style_id] = merged
        return merged

    def paragraph(self, p) -> "ParagraphLook":
        """What a paragraph gives its runs: its style's properties and the background behind it."""
        ppr = p.find(f"{W}pPr") if p is not None else None
        table = next(p.iterancestors(f"{W}tbl"), None) if p is not None else None
        table_style = _val(table.find(f"{W}tblPr/{W}tblStyle")) if table is not None else None
        inherited = dict(self.defaults)
        inherited.update(self.style_props(table_style))  # a table style's run formatting, below the paragraph's
        inherited.update(self.style_props(_val(ppr.find(f"{W}pStyle")) if ppr is not None else None))
        background = _shading(ppr.find(f"{W}shd")) if ppr is not None else None
        ancestor = p.getparent() if p is not None else None
        while background is None and ancestor is not None:
            if ancestor.tag == f"{W}tc":
                background = _shading(ancestor.find(f"{W}tcPr/{W}shd"))
            elif ancestor.tag == f"{W}tbl":
                background = _shading(ancestor.find(f"{W}tblPr/{W}shd")) or self._table_style_fill(table_style if ancestor is table else _val(ancestor.find(f"{W}tblPr/{W}tblStyle")))
            ancestor = ancestor.getparent()
        return ParagraphLook(self, inherited, background or self.page)

    def _table_style_fill(self, style_id: str | None) -> RGB | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            fill = self.table_fill(style_id)
            if fill is not None:
                return fill
            style_id = self.styles.get(style_id, ({}, None))[1]
        return None


class ParagraphLook:
    def __init__(self, visibility: Visibility, inherited: Props, background: RGB):
        self.visibility = visibility
        self.inherited = inherited
        self.background = background

    def invisible(self, run) -> bool:
        rpr = run.find(f"{W}rPr")
        props = dict(self.inherited)
        if rpr is not None:
            props.update(self.visibility.style_props(_val(rpr.find(f"{W}rStyle"))))
            props.update(run_props(rpr))
        if props.get("vanish"):
            return True
        if props.get("size", TINY_HALF_POINTS + 1) <= TINY_HALF_POINTS:
            return True
        if props.get("scale", 100) < MIN_SCALE_PERCENT or abs(props.get("shift", 0)) >= MAX_SHIFT_HALF_POINTS:
            return True
        colour = hex_rgb(props.get("color"))  # "auto" and theme-only colours always show
        return colour is not None and same_colour(colour, props.get("fill") or self.background)


_BY_ROOT: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_BARE = Visibility()


def register(document) -> Visibility:
    """Build (once) and remember the document's Visibility under its root element."""
    root = document.element
    found = _BY_ROOT.get(root)
    if found is None:
        found = _BY_ROOT[root] = Visibility(document)
    return found


def look_for(p) -> ParagraphLook:
    """The ParagraphLook of paragraph p, using its document's styles when registered."""
    visibility = _BY_ROOT.get(p.getroottree().getroot(), _BARE) if p is not None else _BARE
    return visibility.paragraph(p)
