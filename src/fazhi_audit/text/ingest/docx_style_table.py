"""A document's w:style elements by id, each read only when a paragraph asks about it.

A Word template defines a hundred and more styles and a report uses a few.
Visibility, heading hints and numbering each read every style up front; on a
web upload that was a sixth of reading the .docx.  A `StyleTable` finds the
elements in one pass and applies its reader to a style when first asked, so
what a style says is the same, and only the styles in use are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"  # the namespace of w: element and attribute names, as lxml spells them


class StyleTable(Mapping):
    """style id -> read(its w:style element); the last element wins when an id repeats, as in a dict built in order."""

    def __init__(self, document, read: Callable[[Any], Any]):
        self._read = read
        self._elements: dict[str | None, list] = {}
        self._values: dict[str | None, Any] = {}
        try:
            root = document.styles.element
        except Exception:  # no styles part: nothing is inherited
            return
        for style in root.iterchildren(f"{W}style"):
            self._elements.setdefault(style.get(f"{W}styleId"), []).append(style)

    def elements(self, style_id: str | None) -> list:
        """Every w:style element with this id, in document order."""
        return self._elements.get(style_id, [])

    def __getitem__(self, style_id: str | None) -> Any:
        if style_id not in self._values:
            self._values[style_id] = self._read(self._elements[style_id][-1])
        return self._values[style_id]

    def __contains__(self, style_id: object) -> bool:
        return style_id in self._elements

    def __iter__(self) -> Iterator[str | None]:
        return iter(self._elements)

    def __len__(self) -> int:
        return len(self._elements)
