"""Text a reader of the page or document cannot see, and the note that says it was left out.

A report padded with keywords in hidden text (display:none, white on white,
a font size of 0 or 1 pt) would score as if it said what it only hides; the
HTML and Word readers drop such text and count it here, and the count
becomes a warning on the report.
"""

from __future__ import annotations

from dataclasses import dataclass

# Two colours this close (WCAG contrast ratio; 1.0 = identical, black on
# white = 21) are one colour to a reader: #FFFFFF on #FEFEFE is 1.01,
# light grey #EEEEEE on white 1.16 still shows.
MIN_CONTRAST = 1.1
_EXAMPLE_CHARS = 20

RGB = tuple[float, float, float]  # channels 0-1


@dataclass
class HiddenTally:
    places: int = 0
    chars: int = 0
    example: str = ""

    def add(self, text: str) -> None:
        visible = "".join(text.split())
        if not visible:
            return
        self.places += 1
        self.chars += len(visible)
        if not self.example:
            self.example = visible[:_EXAMPLE_CHARS] + ("…" if len(visible) > _EXAMPLE_CHARS else "")

    def note(self) -> str | None:
        if not self.places:
            return None
        return f"已忽略隐藏文字 {self.places} 处（共 {self.chars} 字，如“{self.example}”）：隐藏文字不计入报告内容"


def hex_rgb(value: str | None) -> RGB | None:
    """'FFFFFF' / '#fff' -> (1.0, 1.0, 1.0); None for 'auto' or anything else."""
    if not value:
        return None
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        return None
    try:
        return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return None


def _luminance(rgb: RGB) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def same_colour(text: RGB, background: RGB) -> bool:
    return contrast(text, background) < MIN_CONTRAST
