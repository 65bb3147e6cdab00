"""Remove the text of a web page that a browser would not show, and count it.

Hidden means: the `hidden` attribute; display:none; visibility:hidden or
collapse; opacity 0; a font size under 2 px (0, 1px, 1pt, "font: 0/0 a");
text in a colour a reader cannot tell from its background (white on white,
transparent); pushed off screen (text-indent or an absolutely positioned
left/top of -999px or less).  Styles come from `style` attributes, legacy
attributes (<font color>, bgcolor) and the page's own <style> sheets.

Style sheets are parsed with tinycss2 (comments, strings, escapes,
!important and nested @media are its job).  Selectors are matched here, and
only the simple ones: type, .class, #id, compounds of those, and descendant
or child combinators.  A general matcher (soupsieve) tests every element
for every selector, which for a big page with a big sheet is exactly the
quadratic cost this code must not have; here an index by tag, class and id
finds the candidates, and a work budget in proportion to the page bounds
the rest (rules that can hide are matched first).  Selectors with
pseudo-classes, attributes or sibling combinators are ignored: missing one
only leaves text in.  aria-hidden is not "hidden": that text is on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.text.ingest.hidden import RGB, HiddenTally, hex_rgb, same_colour

_PROPERTIES = {"display", "visibility", "opacity", "font-size", "font", "color", "background-color", "background",
               "text-indent", "left", "top", "position"}
_COMPOUND = re.compile(r"(?P<tag>[A-Za-z][\w-]*|\*)?(?P<rest>(?:[.#][\w-]+)*)")
_UNSUPPORTED = re.compile(r"[:\[\]+~()|@\\]")
_MAX_SELECTORS = 50_000
# elements looked at for all selectors together: a fixed part and so many per element of the page,
# so the cost stays linear in the page whatever the sheet
_BUDGET_BASE, _BUDGET_PER_ELEMENT = 100_000, 20
_DEFAULT_PX = 16.0
_TINY_PX = 2.0
_OFFSCREEN_PX = -999.0
_KEYWORD_PX = {"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18, "x-large": 24, "xx-large": 32, "xxx-large": 48}
_SKIP_TAGS = {"head", "script", "style", "noscript", "template", "title", "meta", "link"}
BLACK: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
WHITE: RGB = (1.0, 1.0, 1.0)


MARKER = "x-fazhi-hidden"  # stands where hidden text was, holding it in an attribute (not text)


def drop_hidden(soup) -> None:
    """Replace hidden elements and hidden text of soup by empty markers (see hidden_in)."""
    cascade = _Cascade(soup)
    root = soup.body or soup
    replaced: list[tuple[list, str]] = []  # nodes to take out, the hidden text they held
    stack = [(root, _State(BLACK, WHITE, _DEFAULT_PX, False, False))]
    while stack:
        tag, parent = stack.pop()
        declared = cascade.declared(tag)
        if tag is not root and _removed_whole(tag, declared):
            replaced.append(([tag], tag.get_text(" ")))
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
    if tag.has_attr("hidden"):
        return True
    if declared.get("display") == "none":
        return True
    opacity = _number(declared.get("opacity"))
    if opacity is not None and opacity <= 0.05:
        return True
    if declared.get("position") in ("absolute", "fixed"):
        return any((_px(declared.get(side), _DEFAULT_PX) or 0) <= _OFFSCREEN_PX for side in ("left", "top"))
    return False


def _state(tag, declared: dict[str, str], parent: _State) -> _State:
    color = parent.color
    value = declared.get("color") or _legacy(tag, "color" if tag.name == "font" else "text" if tag.name == "body" else None)
    if value and value not in ("inherit", "currentcolor"):
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
    from tinycss2.color3 import parse_color

    try:
        parsed = parse_color(value)
    except Exception:  # tinycss2 rejects odd input by returning None; be safe all the same
        parsed = None
    if parsed is None or isinstance(parsed, str):  # "currentcolor"
        legacy = hex_rgb(value) if re.fullmatch(r"[0-9a-fA-F]{6}|[0-9a-fA-F]{3}", value.strip()) else None
        return (*legacy, 1.0) if legacy else None
    return (parsed.red, parsed.green, parsed.blue, parsed.alpha)


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


# ---------------------------------------------------------------- cascade


@dataclass(frozen=True)
class _Compound:
    tag: str | None
    classes: tuple[str, ...]
    id: str | None

    def matches(self, tag) -> bool:
        if self.tag and self.tag != "*" and tag.name != self.tag:
            return False
        if self.id is not None and tag.get("id") != self.id:
            return False
        if self.classes:
            have = tag.get("class") or []
            if isinstance(have, str):
                have = have.split()
            return all(c in have for c in self.classes)
        return True


def _parse_selector(text: str) -> tuple[list, tuple[int, int, int]] | None:
    """[(combinator, compound), ...] right-most last, and specificity; None when not supported."""
    text = text.strip()
    if not text or _UNSUPPORTED.search(text):
        return None
    parts = re.split(r"\s*(>)\s*|\s+", text)
    chain, combinator = [], " "
    ids = classes = types = 0
    for part in parts:
        if part is None or part == "":
            continue
        if part == ">":
            combinator = ">"
            continue
        m = _COMPOUND.fullmatch(part)
        if not m or not part:
            return None
        names = re.findall(r"([.#])([\w-]+)", m.group("rest"))
        compound = _Compound(
            (m.group("tag") or "").lower() or None,
            tuple(n for kind, n in names if kind == "."),
            next((n for kind, n in names if kind == "#"), None),
        )
        ids += sum(1 for kind, _ in names if kind == "#")
        classes += len(compound.classes)
        types += 1 if compound.tag and compound.tag != "*" else 0
        chain.append((combinator, compound))
        combinator = " "
    if not chain:
        return None
    return chain, (ids, classes, types)


class _Cascade:
    """Declared values of the properties that hide text, per element, from <style> sheets and style=""."""

    def __init__(self, soup):
        self.from_sheets: dict[int, dict[str, tuple[tuple, str]]] = {}
        rules = list(_sheet_rules(soup))
        if not rules:
            return
        index = _Index(soup)
        budget = _BUDGET_BASE + _BUDGET_PER_ELEMENT * len(index.all)
        # Rules that can hide go first: a sheet padded with thousands of rules
        # must not use up the budget before them (the rank keeps sheet order).
        ordered = sorted(enumerate(rules[:_MAX_SELECTORS]), key=lambda item: not _can_hide(item[1][1]))
        for order, (selector, declarations) in ordered:
            parsed = _parse_selector(selector)
            if parsed is None:
                continue
            chain, specificity = parsed
            for tag in index.candidates(chain[-1][1]):
                matched, steps = _matches(chain, tag)
                budget -= steps
                if budget < 0:
                    return  # a hostile sheet or nesting: what was matched so far stands
                if not matched:
                    continue
                mine = self.from_sheets.setdefault(id(tag), {})
                for name, (value, important) in declarations.items():
                    rank = (important, False, specificity, order)
                    if name not in mine or mine[name][0] <= rank:
                        mine[name] = (rank, value)

    def declared(self, tag) -> dict[str, str]:
        values = dict(self.from_sheets.get(id(tag), {}))
        style = tag.get("style")
        if isinstance(style, str) and style.strip():
            for name, (value, important) in _declarations(style).items():
                rank = (important, True, (0, 0, 0), 0)
                if name not in values or values[name][0] <= rank:
                    values[name] = (rank, value)
        return {name: value for name, (_, value) in values.items()}


def _can_hide(declarations: dict[str, tuple[str, bool]]) -> bool:
    return bool(declarations.keys() - {"color", "background-color", "background", "position"})


def _matches(chain: list, tag) -> tuple[bool, int]:
    """Whether tag matches the selector chain, and how many elements were looked at."""
    steps = 1
    if not chain[-1][1].matches(tag):
        return False, steps
    node = tag
    for i in range(len(chain) - 1, 0, -1):
        combinator, compound = chain[i][0], chain[i - 1][1]
        parent = node.parent
        if combinator == ">":
            steps += 1
            if not _is_element(parent) or not compound.matches(parent):
                return False, steps
            node = parent
            continue
        while _is_element(parent) and not compound.matches(parent):
            steps += 1
            parent = parent.parent
        if not _is_element(parent):
            return False, steps
        node = parent
    return True, steps


def _is_element(node) -> bool:
    return node is not None and getattr(node, "name", None) not in (None, "[document]")


class _Index:
    def __init__(self, soup):
        self.all = soup.find_all(True)
        self.by_tag: dict[str, list] = {}
        self.by_class: dict[str, list] = {}
        self.by_id: dict[str, list] = {}
        for tag in self.all:
            self.by_tag.setdefault(tag.name, []).append(tag)
            classes = tag.get("class") or []
            for name in classes.split() if isinstance(classes, str) else classes:
                self.by_class.setdefault(name, []).append(tag)
            if isinstance(tag.get("id"), str):
                self.by_id.setdefault(tag["id"], []).append(tag)

    def candidates(self, compound: _Compound) -> list:
        if compound.id is not None:
            return self.by_id.get(compound.id, [])
        if compound.classes:
            return self.by_class.get(compound.classes[0], [])
        if compound.tag and compound.tag != "*":
            return self.by_tag.get(compound.tag, [])
        return self.all


def _sheet_rules(soup):
    """(selector, {property: (value, important)}) for each selector of each rule, in sheet order."""
    import tinycss2

    for style in soup.find_all("style"):
        css = style.string if style.string is not None else style.get_text()
        if not css or not css.strip():
            continue
        yield from _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), depth=0)


def _rules(nodes, depth: int):
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            declarations = _declarations(node.content)
            if declarations:
                for selector in tinycss2.serialize(node.prelude).split(","):
                    yield selector, declarations
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content is not None and depth < 4:
            query = tinycss2.serialize(node.prelude).strip().lower()
            if query in ("print", "only print", "speech"):
                continue  # not what a screen shows
            yield from _rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), depth + 1)


def _declarations(content) -> dict[str, tuple[str, bool]]:
    import tinycss2

    out: dict[str, tuple[str, bool]] = {}
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration" or item.lower_name not in _PROPERTIES:
            continue
        value = tinycss2.serialize(item.value).strip().lower()
        previous = out.get(item.lower_name)
        if previous is None or not previous[1] or item.important:
            out[item.lower_name] = (value, item.important)
    return out
