"""Which CSS declarations apply to each element of a page: sheets, selectors, specificity.

Style sheets are parsed with tinycss2 (comments, strings, escapes,
!important and nested @media are its job) and selectors are matched by
soupsieve, the selector engine of BeautifulSoup: :nth-child, attribute
selectors, :not(), sibling combinators and the rest mean what they mean in
a browser. Only declarations that `keep(name)` wants are collected: a sheet
of a thousand layout rules costs nothing.

Testing every element against every selector is quadratic for a big page
with a big sheet, so candidates come from an index by the id, class or tag
of the selector's right-most compound, and a work budget in proportion to
the page bounds the rest; rules that may hide are matched first. A rule
left unmatched when the budget runs out is counted (`unmatched`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MAX_SELECTORS = 50_000
# candidate tests for all selectors together: a fixed part and so many per element of the page
_BUDGET_BASE, _BUDGET_PER_ELEMENT = 100_000, 20
_COMPILE_COST = 20  # compiling a selector costs about as much as testing 20 elements
_IDENT = r"-?[A-Za-z_\u00a0-\uffff][\w\u00a0-\uffff-]*"
_PSEUDO_ELEMENT = re.compile(r"::|:(?:before|after|first-line|first-letter)\b", re.I)

Declarations = dict  # property -> (value, important)


class Cascade:
    """Declared values per element, from <style> sheets and style="" (sheet rules matched once, up front)."""

    def __init__(self, soup, keep: Callable[[str], bool], may_hide: Callable[[Declarations], bool]):
        self.keep = keep
        self.from_sheets: dict[int, dict[str, tuple[tuple, str]]] = {}
        self.unmatched = 0  # rules that may hide but were not matched (budget, or a selector soupsieve refuses)
        rules = list(_sheet_rules(soup, keep))[:_MAX_SELECTORS]
        if not rules:
            return
        index = _Index(soup)
        budget = _BUDGET_BASE + _BUDGET_PER_ELEMENT * len(index.all)
        ordered = sorted(enumerate(rules), key=lambda item: not may_hide(item[1][1]))
        for position, (order, (selector, declarations)) in enumerate(ordered):
            if index.impossible(selector):
                continue  # names a class or id the page does not have: it matches nothing
            budget -= _COMPILE_COST
            compiled, specificity = _compile(selector)
            if compiled is None:
                if specificity is None and may_hide(declarations):
                    self.unmatched += 1
                continue
            candidates = index.candidates(selector)
            budget -= len(candidates) * (1 + _combinators(selector))
            if budget < 0:
                self.unmatched += sum(1 for _, (_, d) in ordered[position:] if may_hide(d))
                return  # a hostile sheet or page: what was matched so far stands
            for tag in candidates:
                if not compiled.match(tag):
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
            for name, (value, important) in declarations_of(style, self.keep).items():
                rank = (important, True, (0, 0, 0), 0)
                if name not in values or values[name][0] <= rank:
                    values[name] = (rank, value)
        return {name: value for name, (_, value) in values.items()}


def _compile(selector: str):
    """(soupsieve matcher, specificity); (None, ()) for what never applies to text; (None, None) when refused."""
    import soupsieve

    selector = selector.strip()
    if not selector or _PSEUDO_ELEMENT.search(selector):
        return None, ()  # ::before/::after draw generated content, never the page's text
    try:
        compiled = soupsieve.compile(selector)
    except Exception:  # SelectorSyntaxError, NotImplementedError (:hover and the like), anything else
        return None, None
    return compiled, _specificity(selector)


def _specificity(selector: str) -> tuple[int, int, int]:
    text = re.sub(r"\"[^\"]*\"|'[^']*'", "", selector)
    ids = len(re.findall(r"#" + _IDENT, text))
    classes = len(re.findall(r"\." + _IDENT + r"|\[[^\]]*\]|:(?!not\b|is\b|where\b)" + _IDENT, text))
    types = len(re.findall(r"(?:^|[\s>+~(,])(" + _IDENT + ")", text))
    return ids, classes, types


def _combinators(selector: str) -> int:
    return len(re.findall(r"\s*[>+~]\s*|\s+", selector.strip()))


def _rightmost(selector: str) -> str:
    """The last compound of a selector: after the last combinator outside (), [] and strings."""
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(selector):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in " \t\n>+~":
            start = i + 1
    return selector[start:]


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

    def impossible(self, selector: str) -> bool:
        """Whether the selector requires a class or id (outside :not() and other parentheses) that no element has."""
        required = re.sub(r"\([^()]*\)|\[[^\]]*\]|\"[^\"]*\"|'[^']*'", "", selector)
        if "(" in required:
            return False  # nested parentheses: no quick answer
        return any(name not in self.by_class for name in re.findall(r"\.(" + _IDENT + ")", required)) or any(
            name not in self.by_id for name in re.findall(r"#(" + _IDENT + ")", required)
        )

    def candidates(self, selector: str) -> list:
        compound = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", _rightmost(selector.strip()))
        found = re.search(r"#(" + _IDENT + ")", compound)
        if found:
            return self.by_id.get(found.group(1), [])
        found = re.search(r"\.(" + _IDENT + ")", compound)
        if found:
            return self.by_class.get(found.group(1), [])
        found = re.match(_IDENT, compound)
        if found and "|" not in compound:
            return self.by_tag.get(found.group(0).lower(), [])
        return self.all


def _sheet_rules(soup, keep: Callable[[str], bool]):
    """(selector, declarations) for each selector of each rule, in sheet order."""
    import tinycss2

    for style in soup.find_all("style"):
        css = style.string if style.string is not None else style.get_text()
        if not css or not css.strip():
            continue
        yield from _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), keep, depth=0)


def _rules(nodes, keep, depth: int):
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            declarations = declarations_of(node.content, keep)
            if declarations:
                for selector in _split_selectors(tinycss2.serialize(node.prelude)):
                    yield selector, declarations
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports", "layer") and node.content is not None and depth < 4:
            query = tinycss2.serialize(node.prelude).strip().lower()
            if node.lower_at_keyword == "media" and query in ("print", "only print", "speech"):
                continue  # not what a screen shows
            yield from _rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), keep, depth + 1)


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :is(a, b))."""
    out, depth, current = [], 0, []
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [s.strip() for s in out if s.strip()]


def declarations_of(content, keep: Callable[[str], bool]) -> Declarations:
    import tinycss2

    out: Declarations = {}
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration" or not keep(item.lower_name):
            continue
        value = tinycss2.serialize(item.value).strip().lower()
        previous = out.get(item.lower_name)
        if previous is None or not previous[1] or item.important:
            out[item.lower_name] = (value, item.important)
    return out
