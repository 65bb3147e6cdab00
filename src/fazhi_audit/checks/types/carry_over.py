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
            c.fail(data, key, f"{key} 必须是 {self.low}–{self.high} 之间的整数")
        return value


def _parse_share(c: Checker, data: LinedDict, key: str, values: dict) -> float:
    value = data[key]
    if not is_number(value) or not 0 < value <= 1:
        c.fail(data, key, f"{key} 必须是 0–1 之间的数（如 0.2）")
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


def carried_passages(current: str, previous: str, min_chars: int) -> list[Passage]:
    """Maximal runs of `current` covered by windows of `min_chars` characters that occur in `previous`."""
    k = min_chars
    if len(current) < k or len(previous) < k:
        return []
    windows = {previous[i : i + k] for i in range(len(previous) - k + 1)}
    out: list[Passage] = []
    start = end = -1
    for i in range(len(current) - k + 1):
        if current[i : i + k] in windows:
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


def _year_note(previous_lines: list[Line], doc: Document) -> str:
    from fazhi_audit.text.ingest.metadata import extract_metadata

    year = extract_metadata(previous_lines).year
    if year and doc.meta.year and year != doc.meta.year - 1:
        return f"（注意：所给上一年度报告是 {year} 年度的）"
    return ""


# --- check -----------------------------------------------------------------------


def _item(passage: Passage, where: list[tuple[int, int]], doc: Document) -> ItemResult:
    """The passage as an item: its lines, its length, and as evidence the line it covers most of."""
    spans: dict[int, list[int]] = {}  # line index -> [first column, last column] covered
    for li, col in where[passage.start : passage.end]:
        span = spans.setdefault(li, [col, col])
        span[1] = col
    li, (a, b) = max(spans.items(), key=lambda kv: (kv[1][1] - kv[1][0], -kv[0]))
    line: Line = doc.lines[li]
    text = line.text[a : b + 1]
    first, last = doc.lines[min(spans)].number, doc.lines[max(spans)].number
    where_words = f"第{first}行" if first == last else f"第{first}–{last}行"
    return ItemResult(f"{where_words}，{passage.end - passage.start}字", False, line_evidence(line, doc.kind_at(li), "", text), "与上一年度报告相同")


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    if ctx.previous is None:
        return [finding(rule, "pass", "未提供上一年度报告，未检查", scored=False)]
    previous_lines, name, why = _previous_lines(ctx.previous, doc)
    if previous_lines is None:
        return [finding(rule, "pass", why, scored=False)]
    current, where = stripped(doc.lines)
    before, _ = stripped(previous_lines)
    if not current:
        return [finding(rule, "pass", "报告没有正文，未检查", scored=False)]
    passages = carried_passages(current, before, p.min_chars)
    carried = sum(x.end - x.start for x in passages)
    share = carried / len(current)
    words = f"与{name}相同的文字占 {share:.0%}（{len(passages)} 段、{carried} 字，每段至少 {p.min_chars} 字）{_year_note(previous_lines, doc)}"
    if share < p.max_share:
        return [finding(rule, "pass", words, value=round(share, 4))]
    longest = sorted(passages, key=lambda x: x.start - x.end)[: p.max_listed]
    items = [_item(x, where, doc) for x in sorted(longest, key=lambda x: x.start)]  # in the order of the report
    more = len(passages) - len(items)
    message = fill(rule.message, share=f"{share:.0%}", detail=words) + (f"；另有 {more} 段较短的未列出" if more > 0 else "")
    return [finding(rule, "fail", message, items=items, line=items[0].evidence.line, value=round(share, 4), credit=0.0)]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return [
        "需要上一年度报告：命令行 --previous 给出上年报告文件，或上年报告所在目录（按报告标题中的单位名称和年度查找同一单位上一年度的报告）；没有时不检查、不计分。",
        f"两份报告去掉空白后逐字比较：本年报告中、与上年报告连续 {p.min_chars} 字以上完全相同的文字计为照搬（段落挪了位置也算），"
        f"占全文 {p.max_share:.0%} 及以上为不通过，并列出最长的 {p.max_listed} 段。",
        "只改了年份或个别数字的句子，改动处前后仍各自计算；标题等短于该字数的相同文字不计。",
    ]


def _placeholders(rule: Rule) -> dict[str, str]:
    return {"detail": "〈相同文字所占比例、段数和字数〉", "share": "〈相同文字所占比例〉"}


RULE_TYPE = RuleType(
    name="carry-over",
    params=Params,
    keys=(
        Key("min_chars", _parse_int(10, 500), "计为照搬的最短字数"),
        Key("max_share", _parse_share, "照搬比例上限", adjustable=True),
        Key("max_listed", _parse_int(1, 200), "最多列出的段数"),
    ),
    check=check,
    explain=explain,
    placeholders=_placeholders,
)
