"""carry-over: how much of this year's report is last year's text, unchanged?

Both texts are normalised as every report is (NFKC, folded brackets) and
stripped of whitespace.  A character of this year's text counts as carried
over when it lies in a run of at least `min_chars` characters that also
occurs, character for character, anywhere in last year's text.

Measured with a set of last year's `min_chars`-character windows: one pass
over each text, exact, and blind to order (a paragraph moved elsewhere still
counts).  difflib.SequenceMatcher was tried first: its matching blocks keep
the order of both texts, so moved paragraphs are missed, and it is slower
(see README, “照搬上年报告”).  Changing a year or a number breaks a run there;
the rest of the sentence still counts, as a reader would see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext, PreviousReport
from fazhi_audit.checks.findings import fill, finding, line_evidence
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.common import Checker, is_number
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document
from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.structure.outline import SectionVocabulary


@dataclass(frozen=True)
class Params:
    min_chars: int = 40  # shortest run that counts as carried over
    max_share: float = 0.2  # fail at this share or more
    max_listed: int = 20  # passages listed as items


@dataclass(frozen=True)
class Passage:
    start: int  # [start, end) in the stripped text
    end: int


@dataclass(frozen=True)
class _parse_int:
    """A key parser for a whole number in [low, high]; a class, not a closure, so rule sets pickle
    (worker processes receive them)."""

    low: int
    high: int

    def __call__(self, c: Checker, data: LinedDict, key: str, values: dict) -> int:
        value = data[key]
        if not isinstance(value, int) or isinstance(value, bool) or not self.low <= value <= self.high:
            c.fail(data, key, c.say("errors.int", key=key, low=self.low, high=self.high))
        return value


def _parse_share(c: Checker, data: LinedDict, key: str, values: dict) -> float:
    value = data[key]
    if not is_number(value) or not 0 < value <= 1:
        c.fail(data, key, c.say("errors.share", key=key))
    return float(value)


# --- measuring -------------------------------------------------------------------


def stripped(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """The text without whitespace, and for each of its characters (line index, column in line.text)."""
    chars, where = [], []
    for li, line in enumerate(lines):
        for col, ch in enumerate(line.text):
            if not ch.isspace():
                chars.append(ch)
                where.append((li, col))
    return "".join(chars), where


@dataclass(frozen=True)
class Windows:
    """Last year's text as its `k`-character windows, and as shorter grams that tell where to look.

    Every window of this year's text that starts in [j - step + 1, j], j a multiple of `step`,
    holds the gram of `k - step + 1` characters at j: testing the grams at every `step`-th
    position finds all the places where a window can match, exactly, in a fraction of the
    lookups (the profile showed the one-lookup-per-character scan as half of carry-over's cost)."""

    k: int
    step: int
    whole: set[str]
    grams: set[str]


def windows_of(text: str, k: int) -> Windows:
    step = max(1, k // 2)
    g = k - step + 1
    return Windows(k, step, {text[i : i + k] for i in range(len(text) - k + 1)}, {text[i : i + g] for i in range(len(text) - g + 1)})


_WINDOWS: dict[tuple[int, int], tuple] = {}  # (id(lines), min_chars) -> (lines, windows)


def _windows(lines: list[Line], k: int) -> Windows:
    """Last year's windows, made once per previous report (its lines are cached per file)."""
    kept = _WINDOWS.get((id(lines), k))
    if kept is None or kept[0] is not lines:
        if len(_WINDOWS) > 16:
            _WINDOWS.clear()
        kept = (lines, windows_of("".join("".join(line.text.split()) for line in lines), k))
        _WINDOWS[(id(lines), k)] = kept
    return kept[1]


def carried_passages(current: str, windows: Windows) -> list[Passage]:
    """Maximal runs of `current` covered by windows of `windows.k` characters that occur in last
    year's text (`windows_of(previous, k)`)."""
    k = windows.k
    n = len(current) - k + 1  # window starts
    if n <= 0 or not windows.whole:
        return []
    step, g = windows.step, k - windows.step + 1
    starts = []
    for j in range(0, n + step - 1, step):
        if current[j : j + g] in windows.grams:
            starts.extend(i for i in range(max(0, j - step + 1), min(j, n - 1) + 1) if current[i : i + k] in windows.whole)
    out: list[Passage] = []
    start = end = -1
    for i in starts:
        if i <= end:
            end = i + k
        else:
            if end > 0:
                out.append(Passage(start, end))
            start, end = i, i + k
    if end > 0:
        out.append(Passage(start, end))
    return out


# --- last year's report ----------------------------------------------------------


def _previous_lines(previous: PreviousReport, doc: Document) -> tuple[list[Line] | None, str, str]:
    """(lines, name shown, why not) for last year's report, as the engine resolved it."""
    return previous.lines, previous.name, previous.why_not


def _year_note(rule: Rule, previous: PreviousReport, doc: Document) -> str:
    from fazhi_audit.text.ingest.metadata import extract_metadata

    # the engine has parsed last year's report once already; its title is read again only without it
    year = previous.document.meta.year if previous.document is not None else extract_metadata(previous.lines).year
    if year and doc.meta.year and year != doc.meta.year - 1:
        return rule.say("other_year", year=year)
    return ""


# --- check -----------------------------------------------------------------------


def _item(rule: Rule, passage: Passage, where: list[tuple[int, int]], doc: Document) -> ItemResult:
    """The passage as an item: its lines, its length, and as evidence the line it covers most of."""
    spans: dict[int, list[int]] = {}  # line index -> [first column, last column] covered
    for li, col in where[passage.start : passage.end]:
        span = spans.setdefault(li, [col, col])
        span[1] = col
    li, (a, b) = max(spans.items(), key=lambda kv: (kv[1][1] - kv[1][0], -kv[0]))
    line: Line = doc.lines[li]
    text = line.text[a : b + 1]
    first, last = doc.lines[min(spans)].number, doc.lines[max(spans)].number
    where_words = rule.say("line", line=first) if first == last else rule.say("lines", first=first, last=last)
    name = rule.say("item", where=where_words, chars=passage.end - passage.start)
    return ItemResult(name, False, line_evidence(line, doc.kind_at(li), "", text), rule.say("item_note"))


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    if ctx.previous is None:
        return [finding(rule, "pass", rule.say("no_previous"), scored=False)]
    previous_lines, name, why = _previous_lines(ctx.previous, doc)
    if previous_lines is None:
        return [finding(rule, "pass", why, scored=False)]
    current = "".join("".join(line.text.split()) for line in doc.lines)  # as stripped() gives it; positions only on failure
    if not current:
        return [finding(rule, "pass", rule.say("no_text"), scored=False)]
    passages = carried_passages(current, _windows(previous_lines, p.min_chars))
    carried = sum(x.end - x.start for x in passages)
    share = carried / len(current)
    words = rule.say("detail", name=name, share=f"{share:.0%}", passages=len(passages), chars=carried, min_chars=p.min_chars)
    words += _year_note(rule, ctx.previous, doc)
    if share < p.max_share:
        return [finding(rule, "pass", words, value=round(share, 4))]
    _, where = stripped(doc.lines)
    longest = sorted(passages, key=lambda x: x.start - x.end)[: p.max_listed]
    items = [_item(rule, x, where, doc) for x in sorted(longest, key=lambda x: x.start)]  # in the order of the report
    more = len(passages) - len(items)
    message = fill(rule.message, share=f"{share:.0%}", detail=words) + (rule.say("more", more=more) if more > 0 else "")
    return [finding(rule, "fail", message, items=items, line=items[0].evidence.line, value=round(share, 4), credit=0.0)]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return rule.lines("explain", min_chars=p.min_chars, max_share=f"{p.max_share:.0%}", max_listed=p.max_listed)


def _placeholders(rule: Rule) -> dict[str, str]:
    return {name: rule.say(f"placeholders.{name}") for name in ("detail", "share")}


RULE_TYPE = RuleType(
    name="carry-over",
    params=Params,
    keys=(
        Key("min_chars", _parse_int(10, 500)),
        Key("max_share", _parse_share, adjustable=True),
        Key("max_listed", _parse_int(1, 200)),
    ),
    check=check,
    explain=explain,
    placeholders=_placeholders,
    wording={
        "no_previous": (),
        "no_text": (),
        "detail": ("name", "share", "passages", "chars", "min_chars"),
        "other_year": ("year",),
        "more": ("more",),
        "line": ("line",),
        "lines": ("first", "last"),
        "item": ("where", "chars"),
        "item_note": (),
        "explain": ("min_chars", "max_share", "max_listed"),
        "placeholders.detail": (),
        "placeholders.share": (),
        "errors.int": ("key", "low", "high"),
        "errors.share": ("key",),
    },
)
