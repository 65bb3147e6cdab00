"""Remove the text of a web page that is not known to be readable, and count it.

A blocklist of hiding tricks loses the race (clip:rect(0 0 0 0), height:0
with overflow:hidden, transform:scale(0), clip-path, filter:opacity(0),
zero-alpha colours, var() values, a closed <details> …), so text counts only
where every declaration that applies to it is known to leave it readable.
Each property is one of three kinds:

* harmless whatever its value (`HARMLESS`: fonts' families, borders, padding,
  alignment …) -- ignored;
* judged by its value (`_JUDGES`): display, visibility, opacity, filter,
  colours against the background, font size, text-indent, margins,
  position and offsets, clip, clip-path, transform, zoom, content-visibility,
  and sizes under overflow:hidden; a value that hides or that cannot be read
  for certain (var(), calc(), an unknown keyword) removes the element's text;
* anything else -- not known to leave text readable: removes it too.

Also hidden: the `hidden` attribute, a <details> without `open` (all but its
<summary>), a <dialog> without `open`. aria-hidden is not hidden: that text
is on screen. Declarations come from `style` attributes, legacy attributes
(<font color>, bgcolor) and the page's own <style> sheets, matched by a real
selector engine (html_cascade).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.text.ingest.hidden import RGB, HiddenTally, hex_rgb, same_colour
from fazhi_audit.text.ingest.html_cascade import Cascade

_DEFAULT_PX = 16.0
_TINY_PX = 2.0
_OFFSCREEN_PX = -999.0
_KEYWORD_PX = {"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18, "x-large": 24, "xx-large": 32, "xxx-large": 48}
_SKIP_TAGS = {"head", "script", "style", "noscript", "template", "title", "meta", "link"}
BLACK: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
WHITE: RGB = (1.0, 1.0, 1.0)


MARKER = "x-fazhi-hidden"  # stands where hidden text was, holding it in an attribute (not text)


def drop_hidden(soup) -> int:
    """Replace hidden elements and hidden text of soup by empty markers (see hidden_in).

    Returns how many sheet rules that may hide text could not be matched
    (a selector soupsieve refuses, or the work budget ran out)."""
    cascade = Cascade(soup, _kept, _may_hide)
    root = soup.body or soup
    replaced: list[tuple[list, str]] = []  # nodes to take out, the hidden text they held
    stack = [(root, _State(BLACK, WHITE, _DEFAULT_PX, False, False))]
    while stack:
        tag, parent = stack.pop()
        declared = cascade.declared(tag)
        if tag is not root and _removed_whole(tag, declared):
            replaced.append(([tag], tag.get_text(" ")))
            continue
        if tag.name in ("details", "dialog") and not tag.has_attr("open"):
            # closed: only a <details>' first <summary> shows
            summary = tag.find("summary", recursive=False) if tag.name == "details" else None
            hidden = [child for child in tag.children if child is not summary and (getattr(child, "name", None) or (_is_text(child) and str(child).strip()))]
            if hidden:
                replaced.append((hidden, " ".join(child.get_text(" ") if getattr(child, "name", None) else str(child) for child in hidden)))
            if summary is None:
                continue
            stack.append((summary, _state(tag, declared, parent)))
            continue
        state = _state(tag, declared, parent)
        strings = []
        for child in tag.children:
            name = getattr(child, "name", None)
            if name is None:
                if state.invisible and _is_text(child) and str(child).strip():
                    strings.append(child)
            elif name not in _SKIP_TAGS:
                stack.append((child, state))
        if strings:
            replaced.append((strings, " ".join(str(x) for x in strings)))
    for nodes, text in replaced:
        marker = soup.new_tag(MARKER)
        marker["text"] = text
        nodes[0].replace_with(marker)
        for node in nodes[1:]:
            node.extract()
    return cascade.unmatched


def hidden_in(container) -> HiddenTally:
    """What drop_hidden took out of this part of the page."""
    tally = HiddenTally()
    for marker in container.find_all(MARKER):
        tally.add(marker.get("text", ""))
    return tally


def _is_text(node) -> bool:
    from bs4.element import PreformattedString

    return not isinstance(node, PreformattedString)  # comments, CDATA: no reader sees them


# ---------------------------------------------------------------- computed state


@dataclass(frozen=True)
class _State:
    color: tuple[float, float, float, float]
    background: RGB
    font_px: float
    invisible_flag: bool  # visibility:hidden (inherited)
    offscreen: bool  # text-indent far left (inherited)

    @property
    def invisible(self) -> bool:
        if self.invisible_flag or self.offscreen or self.font_px < _TINY_PX:
            return True
        r, g, b, alpha = self.color
        return alpha < 0.1 or same_colour((r, g, b), self.background)


def _removed_whole(tag, declared: dict[str, str]) -> bool:
    """The element and all it holds are not shown, or not known to be shown."""
    if tag.has_attr("hidden"):
        return True
    for name, value in declared.items():
        judge = _JUDGES.get(_unprefixed(name))
        if judge is None:
            return True  # a property not known to leave text readable
        if judge(value, declared) is not True:
            return True
    return _clipped_box(declared) or _offscreen_box(declared)


def _state(tag, declared: dict[str, str], parent: _State) -> _State:
    color = parent.color
    value = declared.get("-webkit-text-fill-color") or declared.get("color") or _legacy(tag, "color" if tag.name == "font" else "text" if tag.name == "body" else None)
    if value and value not in _INHERIT:
        color = _colour(value) or color
    background = parent.background
    value = declared.get("background-color") or declared.get("background") or _legacy(tag, "bgcolor")
    if value:
        found = _colour_in(value)
        if found is not None and found[3] >= 0.5:
            background = found[:3]
    font_px = parent.font_px
    if "font-size" in declared or "font" in declared:
        size = _font_px(declared.get("font-size") or _font_shorthand_size(declared.get("font", "")), parent.font_px)
        font_px = parent.font_px if size is None else size
    invisible = parent.invisible_flag
    visibility = declared.get("visibility")
    if visibility in ("hidden", "collapse"):
        invisible = True
    elif visibility == "visible":
        invisible = False
    offscreen = parent.offscreen
    if "text-indent" in declared:
        indent = _px(declared["text-indent"], font_px)
        offscreen = indent is not None and indent <= _OFFSCREEN_PX
    return _State(color, background, font_px, invisible, offscreen)


def _legacy(tag, attribute: str | None) -> str | None:
    if attribute is None:
        return None
    value = tag.get(attribute)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _colour(value: str) -> tuple[float, float, float, float] | None:
    from tinycss2.color4 import parse_color

    try:
        parsed = parse_color(value)
        srgb = None if parsed is None or isinstance(parsed, str) else parsed.to("srgb")
    except Exception:  # tinycss2 rejects odd input by returning None; be safe all the same
        srgb = None
    if srgb is None:  # "currentcolor", or a legacy attribute's bare hex
        legacy = hex_rgb(value) if re.fullmatch(r"[0-9a-fA-F]{6}|[0-9a-fA-F]{3}", value.strip()) else None
        return (*legacy, 1.0) if legacy else None
    r, g, b = (min(1.0, max(0.0, c)) for c in srgb.coordinates)
    return (r, g, b, srgb.alpha)


def _colour_in(value: str) -> tuple[float, float, float, float] | None:
    """The colour in a background shorthand ("#000 url(x.png) no-repeat")."""
    found = _colour(value)
    if found is not None:
        return found
    import tinycss2

    for token in tinycss2.parse_component_value_list(value):
        if token.type in ("whitespace", "comment"):
            continue
        found = _colour(tinycss2.serialize([token]))
        if found is not None:
            return found
    return None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(-?\d*\.?\d+)\s*(%?)\s*", value)
    if not m:
        return None
    return float(m.group(1)) / (100 if m.group(2) else 1)


def _px(value: str | None, em: float) -> float | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(-?\d*\.?\d+)\s*([a-z%]*)\s*", value.lower())
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    scale = {"": 1, "px": 1, "pt": 4 / 3, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6,
             "em": em, "rem": _DEFAULT_PX, "ex": em / 2, "ch": em / 2, "%": em / 100,
             "vw": 10, "vh": 10, "vmin": 10, "vmax": 10}.get(unit)
    if scale is None:
        return None
    if unit == "" and number != 0:
        return None  # a unitless length other than 0 is invalid CSS
    return number * scale


def _font_px(value: str | None, parent_px: float) -> float | None:
    if value is None:
        return None
    value = value.strip().lower()
    if value in _KEYWORD_PX:
        return float(_KEYWORD_PX[value])
    if value == "smaller":
        return parent_px / 1.2
    if value == "larger":
        return parent_px * 1.2
    return _px(value, parent_px)


def _font_shorthand_size(value: str) -> str | None:
    """The size in `font: italic bold 0/0 a` (the first length, before any /line-height)."""
    for word in re.split(r"[\s/]+", value.strip()):
        if re.fullmatch(r"-?\d*\.?\d+[a-z%]*", word.lower()) and not re.fullmatch(r"[1-9]00", word):
            return word
        if word.lower() in _KEYWORD_PX:
            return word
    return None


# ---------------------------------------------------------------- what a declaration does to text

# Properties that leave text readable whatever their value (prefixes -webkit- etc. stripped).
HARMLESS = frozenset("""
    font-family font-weight font-style font-variant font-stretch font-feature-settings font-kerning
    font-variant-ligatures font-variant-numeric font-variant-east-asian font-synthesis font-optical-sizing
    font-smoothing osx-font-smoothing text-size-adjust tap-highlight-color text-rendering font-display src
    line-height text-align text-align-last text-justify text-decoration text-decoration-line
    text-decoration-color text-decoration-style text-decoration-thickness text-underline-offset
    text-underline-position text-transform text-shadow text-overflow text-emphasis text-emphasis-style
    text-emphasis-color text-emphasis-position text-combine-upright text-orientation
    white-space word-break word-wrap overflow-wrap line-break hyphens tab-size direction unicode-bidi
    writing-mode vertical-align
    border border-top border-right border-bottom border-left border-width border-style border-color
    border-top-width border-right-width border-bottom-width border-left-width border-top-style
    border-right-style border-bottom-style border-left-style border-top-color border-right-color
    border-bottom-color border-left-color border-radius border-top-left-radius border-top-right-radius
    border-bottom-left-radius border-bottom-right-radius border-collapse border-spacing border-image
    border-inline border-block border-inline-start border-inline-end border-block-start border-block-end
    outline outline-width outline-style outline-color outline-offset box-shadow
    padding padding-top padding-right padding-bottom padding-left padding-inline padding-block
    padding-inline-start padding-inline-end padding-block-start padding-block-end
    background-image background-repeat background-position background-position-x background-position-y
    background-size background-attachment background-origin background-clip background-blend-mode
    list-style list-style-type list-style-position list-style-image
    float clear box-sizing z-index cursor pointer-events user-select appearance resize
    min-width min-height table-layout caption-side empty-cells
    flex flex-direction flex-wrap flex-flow flex-grow flex-shrink flex-basis order
    justify-content justify-items justify-self align-content align-items align-self place-content
    place-items place-self gap row-gap column-gap grid grid-template grid-template-columns
    grid-template-rows grid-template-areas grid-area grid-row grid-column grid-row-start grid-row-end
    grid-column-start grid-column-end grid-auto-flow grid-auto-rows grid-auto-columns
    columns column-count column-width column-rule column-rule-width column-rule-style column-rule-color
    column-span column-fill
    page-break-before page-break-after page-break-inside break-before break-after break-inside orphans widows
    transition transition-property transition-duration transition-timing-function transition-delay
    will-change backface-visibility perspective perspective-origin transform-origin transform-style
    quotes counter-reset counter-increment content object-fit object-position image-rendering
    scroll-behavior scroll-margin scroll-padding overscroll-behavior touch-action
    overflow-scrolling isolation contain aspect-ratio accent-color caret-color
    outline-style inline-size block-size min-inline-size min-block-size
    margin-inline margin-block margin-inline-start margin-inline-end margin-block-start margin-block-end
    font-size-adjust box-orient ruby-position ime-mode behavior
    text-autospace layout-grid-mode punctuation-wrap punctuation-trim tab-stops text-justify-trim
    layout-flow page size text-kashida-space
""".split())
_INHERIT = {"inherit", "initial", "unset", "revert", "revert-layer", "currentcolor"}
_UNCERTAIN = re.compile(r"\b(?:var|calc|min|max|clamp|env|attr|round|mod|rem|sin|cos|tan)\(|expression\(")
_FAR_PX = 999.0  # this far off (in px) is off screen; the viewport units count 10 px each here


def _unprefixed(name: str) -> str:
    return re.sub(r"^-(?:webkit|moz|ms|o)-", "", name)


def _kept(name: str) -> bool:
    """Declarations the cascade must collect: all but the harmless.

    Custom properties do nothing alone, and browsers ignore Word's mso-*
    (pages saved from Word are full of them; mso-hide hides only in Office)."""
    return not name.startswith(("--", "mso-")) and _unprefixed(name) not in HARMLESS


def _may_hide(declarations) -> bool:
    """Whether a sheet rule could hide anything: it sets something besides colours and position (matched first)."""
    return bool(declarations.keys() - {"color", "background-color", "background", "position"})


def _ok(value: str, allowed: set[str]) -> bool | None:
    return True if value in allowed or value in _INHERIT else None


def _length_ok(value: str, low: float = -_FAR_PX, high: float | None = None) -> bool | None:
    """A length (or auto/keyword) within (low, high): True; off screen: False; unreadable: None."""
    if value in _INHERIT or value in ("auto", "none", "normal", "0"):
        return True
    if _UNCERTAIN.search(value):
        return None
    for part in value.split():
        if part in ("auto", "!important"):
            continue
        px = _px(part, _DEFAULT_PX)
        if px is None:
            return None
        if px <= low or (high is not None and px >= high):
            return False
    return True


def _judge_display(value, _declared):
    return _ok(value.split()[0] if value else value, {
        "block", "inline", "inline-block", "flex", "inline-flex", "grid", "inline-grid", "table", "inline-table",
        "table-row", "table-cell", "table-row-group", "table-header-group", "table-footer-group", "table-column",
        "table-column-group", "table-caption", "list-item", "contents", "flow-root", "run-in", "flow", "ruby",
        "ruby-text", "ruby-base", "-webkit-box", "-ms-flexbox", "-webkit-flex", "inline-list-item",
    })


def _judge_visibility(value, _declared):
    return True if value in ("visible", "hidden", "collapse") or value in _INHERIT else None  # hidden: inherited, in _state


def _judge_opacity(value, _declared):
    if value in _INHERIT:
        return True
    number = _number(value)
    return None if number is None else number > 0.05


def _judge_colour(value, _declared):
    if value in _INHERIT or value in ("transparent",):
        return True  # transparent text is judged against the background in _state
    if _UNCERTAIN.search(value):
        return None
    return True if _colour(value) is not None else None


def _judge_background(value, _declared):
    return True  # behind the text: only its colour matters, and _state compares it


def _judge_font(value, _declared):
    if value in _INHERIT or _UNCERTAIN.search(value) is None and _font_shorthand_size(value) is None:
        return True  # font: inherit, font: caption …: a normal size
    size = _font_px(_font_shorthand_size(value), _DEFAULT_PX)
    return True if size is not None else None  # a tiny size is judged in _state


def _judge_font_size(value, _declared):
    if value in _INHERIT:
        return True
    return True if _font_px(value, _DEFAULT_PX) is not None else None


def _judge_letter_spacing(value, _declared):
    if value in _INHERIT or value == "normal":
        return True
    if _UNCERTAIN.search(value):
        return None
    px = _px(value, _DEFAULT_PX)
    return None if px is None else px > -0.3 * _DEFAULT_PX  # letters drawn over each other


def _judge_filter(value, _declared):
    if value in _INHERIT or value == "none":
        return True
    if _UNCERTAIN.search(value):
        return None
    for name, argument in re.findall(r"([a-z-]+)\(([^)]*)\)", value):
        amount = _number(argument) if name != "blur" else _px(argument.strip() or "0", _DEFAULT_PX)
        if name in ("grayscale", "sepia", "saturate", "hue-rotate", "invert", "drop-shadow"):
            continue
        if name in ("opacity", "brightness", "contrast") and amount is not None and amount >= 0.3:
            continue
        if name == "blur" and amount is not None and amount <= 2:
            continue
        return None if amount is None else False
    return True if re.fullmatch(r"(?:\s*[a-z-]+\([^)]*\))+\s*", value) else None


def _judge_transform(value, _declared):
    if value in _INHERIT or value == "none":
        return True
    if _UNCERTAIN.search(value) or not re.fullmatch(r"(?:\s*[a-z0-9-]+\([^)]*\))+\s*", value):
        return None
    for name, argument in re.findall(r"([a-z0-9-]+)\(([^)]*)\)", value):
        parts = [a for a in re.split(r"[\s,]+", argument.strip()) if a]
        if name.startswith("scale"):
            factors = [_number(a) for a in parts]
            if any(f is None for f in factors):
                return None
            if any(abs(f) < 0.1 for f in factors):
                return False
        elif name.startswith("translate"):
            verdict = _length_ok(" ".join(parts), -_FAR_PX, _FAR_PX)
            if verdict is not True:
                return verdict
        elif name == "matrix" and len(parts) == 6:
            numbers = [_number(a) for a in parts]
            if any(n is None for n in numbers):
                return None
            if abs(numbers[0]) < 0.1 or abs(numbers[3]) < 0.1 or not -_FAR_PX < numbers[4] < _FAR_PX or not -_FAR_PX < numbers[5] < _FAR_PX:
                return False
        elif not name.startswith(("rotate", "skew", "perspective")):
            return None
    return True


def _judge_scale(value, _declared):
    if value in _INHERIT or value == "none":
        return True
    factors = [_number(part) for part in value.split()]
    if not factors or any(f is None for f in factors):
        return None
    return all(abs(f) >= 0.1 for f in factors)


def _judge_translate(value, _declared):
    return _length_ok(value, -_FAR_PX, _FAR_PX)


def _judge_clip(value, declared):
    if value in _INHERIT or value == "auto":
        return True
    if declared.get("position") not in ("absolute", "fixed"):
        return True  # clip applies to absolutely positioned boxes only
    m = re.fullmatch(r"rect\(([^)]*)\)", value)
    parts = re.split(r"[\s,]+", m.group(1).strip()) if m else []
    if len(parts) != 4:
        return None
    edges = [None if part == "auto" else _px(part, _DEFAULT_PX) for part in parts]
    if any(edge is None and part != "auto" for edge, part in zip(edges, parts)):
        return None
    top, right, bottom, left = (edge if edge is not None else (1e9 if i in (1, 2) else 0.0) for i, edge in enumerate(edges))
    return (bottom - top) > _TINY_PX and (right - left) > _TINY_PX


def _judge_clip_path(value, _declared):
    if value in _INHERIT or value == "none":
        return True
    m = re.fullmatch(r"inset\(\s*([\d.]+)(%|px)?[^)]*\)", value)
    if m and _number(m.group(1) + (m.group(2) or "")) is not None:
        amount = float(m.group(1))
        return amount < (40 if m.group(2) == "%" else _FAR_PX)
    return None  # circle(0), polygon(…): not known to show the text


def _judge_content_visibility(value, _declared):
    return _ok(value, {"visible", "auto"}) if value != "hidden" else False


def _judge_zoom(value, _declared):
    if value in _INHERIT or value == "normal":
        return True
    number = _number(value)
    return None if number is None else number >= 0.1


def _judge_position(value, _declared):
    return _ok(value, {"static", "relative", "absolute", "fixed", "sticky", "-webkit-sticky"})


def _judge_offset(value, _declared):
    return _length_ok(value, -_FAR_PX)  # far positive offsets are judged with position in _offscreen_box


def _judge_margin(value, _declared):
    return _length_ok(value, -_FAR_PX)


def _judge_size(value, _declared):
    if value in ("fit-content", "max-content", "min-content", "stretch", "-webkit-fill-available", "-moz-available"):
        return True
    return _length_ok(value, float("-inf"))  # small sizes matter only under overflow:hidden (_clipped_box)


def _judge_overflow(value, _declared):
    return True if all(part in {"visible", "hidden", "clip", "scroll", "auto", "overlay"} or part in _INHERIT for part in value.split()) else None


def _judge_text_indent(value, _declared):
    return True if _UNCERTAIN.search(value) is None else None  # far left is judged (inherited) in _state


def _judge_mask(value, _declared):
    return True if value in _INHERIT or value == "none" else None


def _judge_keyword(*allowed):
    return lambda value, _declared: _ok(value, set(allowed))


_JUDGES = {
    "display": _judge_display,
    "visibility": _judge_visibility,
    "opacity": _judge_opacity,
    "filter": _judge_filter,
    "color": _judge_colour,
    "text-fill-color": _judge_colour,
    "background": _judge_background,
    "background-color": _judge_background,
    "font": _judge_font,
    "font-size": _judge_font_size,
    "letter-spacing": _judge_letter_spacing,
    "word-spacing": _judge_letter_spacing,
    "text-indent": _judge_text_indent,
    "position": _judge_position,
    "left": _judge_offset,
    "top": _judge_offset,
    "right": _judge_offset,
    "bottom": _judge_offset,
    "inset": _judge_offset,
    "margin": _judge_margin,
    "margin-left": _judge_margin,
    "margin-top": _judge_margin,
    "margin-right": _judge_margin,
    "margin-bottom": _judge_margin,
    "clip": _judge_clip,
    "clip-path": _judge_clip_path,
    "transform": _judge_transform,
    "scale": _judge_scale,
    "translate": _judge_translate,
    "rotate": lambda value, _declared: True,
    "zoom": _judge_zoom,
    "content-visibility": _judge_content_visibility,
    "height": _judge_size,
    "max-height": _judge_size,
    "width": _judge_size,
    "max-width": _judge_size,
    "overflow": _judge_overflow,
    "overflow-x": _judge_overflow,
    "overflow-y": _judge_overflow,
    "mask": _judge_mask,
    "mask-image": _judge_mask,
    "mix-blend-mode": _judge_keyword("normal"),
    "animation": _judge_keyword("none"),
    "animation-name": _judge_keyword("none"),
    "line-clamp": _judge_keyword("none"),
    "text-stroke": lambda value, _declared: True,
    "text-stroke-width": lambda value, _declared: True,
    "text-stroke-color": lambda value, _declared: True,
}


def _clipped_box(declared: dict[str, str]) -> bool:
    """A box that clips what overflows it and is (nearly) zero high or wide: height:0;overflow:hidden."""
    overflow = " ".join(declared.get(name, "") for name in ("overflow", "overflow-x", "overflow-y"))
    if not ({"hidden", "clip"} & set(overflow.split())):
        return False
    for name in ("height", "max-height", "width", "max-width"):
        px = _px(declared[name], _DEFAULT_PX) if name in declared else None
        if px is not None and px <= _TINY_PX:
            return True
    return False


def _offscreen_box(declared: dict[str, str]) -> bool:
    """A fixed box placed beyond the viewport (top:200vh), or any positioned box far to the left or top."""
    position = declared.get("position")
    if position not in ("absolute", "fixed"):
        return False
    for side in ("left", "top"):
        px = _px(declared.get(side), _DEFAULT_PX)
        if px is not None and (px <= _OFFSCREEN_PX or (position == "fixed" and px >= _FAR_PX)):
            return True
    return False
