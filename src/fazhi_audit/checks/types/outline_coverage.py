"""outline-coverage: which parts, and within them which task themes, of the 纲要 a report covers.

The parts (二…十 of 法治政府建设实施纲要（2021—2025年）, and 一) are checked
exactly as `required-items` checks its items: that is what is scored and
what the pass threshold (`min_found`, per profile) counts.  Under each part
the rule lists the 纲要's main task themes with their key phrases; a theme
is found when one of its phrases stands, as done, in the scoped parts.
Themes are information only: they change neither score nor verdict.

A report of a year the 2015—2020 纲要 was in force for is judged against
that 纲要 (`earlier_outline`: its seven main tasks and 组织保障), with the same
share of parts needed to pass; a 2019 report cannot be asked for 习近平法治思想.

Each theme carries `status`: V when its name is the 纲要's own wording as
seen in a source, P or R when it is not verified (see /work/shared/outline.md).
Only V names may be shown as quoted official headings; the others are theme
names.  Theme phrases are matched exactly (no typo tolerance): they are many,
and a theme is orientation, not a verdict.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import part_labels, sentence_evidence
from fazhi_audit.checks.keys import DEFAULT_THRESHOLD, SCOPE, THRESHOLD
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.checks.types import required_items
from fazhi_audit.checks.types.required_items import Item
from fazhi_audit.model.result import Finding, ThemeResult
from fazhi_audit.rules.common import Checker, normalized
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.ingest.normalize import normalize_line
from fazhi_audit.text.matching import clause_of
from fazhi_audit.text.structure.outline import SectionVocabulary

STATUSES = ("V", "P", "R")  # the 纲要's own words verified, partly verified, not verified
ERRORS = {"themes": (), "duplicate_theme": ("name",), "status": ("allowed",), "items": ("key",), "duplicate": ("name",)}
THEME_KEYS = {"name", "status", "phrases", "note"}
PART_KEYS = {"name", "phrases", "not", "themes"}  # a part is found as a required-items item is


@dataclass(frozen=True)
class Theme:
    name: str
    status: str  # V | P | R
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    item: Item  # how the part itself is found (and scored)
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class EarlierOutline:
    """The 纲要 in force before: reports of years up to `until_year` are judged against its parts."""

    name: str
    until_year: int
    items: tuple[Part, ...]


@dataclass(frozen=True)
class Params:
    items: tuple[Part, ...]
    scope: tuple[str, ...]
    min_found: int | None = None
    threshold: float = DEFAULT_THRESHOLD
    earlier_outline: EarlierOutline | None = None

    def as_required_items(self) -> required_items.Params:
        return required_items.Params(tuple(p.item for p in self.items), self.scope, min_found=self.min_found, threshold=self.threshold)

    def for_year(self, year: int | None) -> Params:
        """The parts of the 纲要 in force for the report's year; the share needed to pass stays the same."""
        earlier = self.earlier_outline
        if earlier is None or year is None or year > earlier.until_year:
            return self
        needed = None if self.min_found is None else max(1, round(self.min_found * len(earlier.items) / len(self.items)))
        return replace(self, items=earlier.items, min_found=needed)


# --- keys ------------------------------------------------------------------------


def _parse_themes(c: Checker, entry: LinedDict) -> tuple[Theme, ...]:
    raw = entry["themes"]
    if not isinstance(raw, list) or not raw:
        c.fail(entry, "themes", c.say("errors.themes"))
    out, names = [], set()
    for theme in raw:
        theme = c.mapping(theme, "themes 项")
        c.keys(theme, THEME_KEYS, {"name", "status", "phrases"}, "themes 项")
        name = c.text(theme, "name")
        if name in names:
            c.fail(theme, "name", c.say("errors.duplicate_theme", name=repr(name)))
        names.add(name)
        if theme["status"] not in STATUSES:
            c.fail(theme, "status", c.say("errors.status", allowed="、".join(STATUSES)))
        out.append(Theme(name, theme["status"], normalized(c.strings(theme, "phrases", theme["phrases"]))))
    return tuple(out)


def _parse_parts(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[Part, ...]:
    raw = data[key]
    if not isinstance(raw, list) or not raw:
        c.fail(data, key, c.say("errors.items", key=key))
    out, names = [], set()
    for entry in raw:
        entry = c.mapping(entry, f"{key} 项")
        c.keys(entry, PART_KEYS, {"name", "themes"}, f"{key} 项")
        name = c.text(entry, "name")
        if name in names:
            c.fail(entry, "name", c.say("errors.duplicate", name=repr(name)))
        names.add(name)
        phrases = normalized(c.strings(entry, "phrases", entry.get("phrases", []), allow_empty=True))
        item = Item(
            name=name,
            phrases=tuple(dict.fromkeys((normalize_line(name), *phrases))),
            negatives=normalized(c.strings(entry, "not", entry.get("not", []), allow_empty=True)),
        )
        out.append(Part(item, _parse_themes(c, entry)))
    return tuple(out)


def _parse_earlier(c: Checker, data: LinedDict, key: str, values: dict) -> EarlierOutline:
    entry = c.mapping(data[key], key)
    c.keys(entry, {"name", "until_year", "items"}, {"name", "until_year", "items"}, f"{key} ")
    year = entry["until_year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        c.fail(entry, "until_year", "until_year 必须是年份（如 2020）")
    return EarlierOutline(c.text(entry, "name"), year, _parse_parts(c, entry, "items", values))


def _show_earlier(earlier: EarlierOutline | None, vocab: SectionVocabulary) -> str:
    if earlier is None:
        return "无"
    return f"{earlier.until_year} 年及以前的报告对照{earlier.name}：" + _show_parts(earlier.items, vocab)


def _parse_min_found(c: Checker, data: LinedDict, key: str, values: dict) -> int:
    value, count = data[key], len(values.get("items", ()))
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= count:
        c.fail(data, key, c.say("errors.min_found", key=key, count=count))
    return value


def theme_label(theme: Theme, wording: Wording) -> str:
    """A theme as users see it: the 纲要's words in quotes only when verified, else marked as a theme name."""
    if theme.status == "V":
        return "“" + theme.name.replace("“", "‘").replace("”", "’") + "”"
    return wording.say("theme", name=theme.name)


def _show_parts(parts: tuple[Part, ...], vocab: SectionVocabulary, wording: Wording) -> str:
    lines = []
    for part in parts:
        lines.append(f"\n  · {part.item.name}：{'、'.join(part.item.phrases)}")
        for theme in part.themes:
            lines.append(f"\n      - {theme_label(theme, wording)} [{theme.status}]：{'、'.join(theme.phrases)}")
    return "".join(lines)


def _show_min_found(value: int | None, vocab: SectionVocabulary, wording: Wording) -> str:
    return wording.say("show.all") if value is None else wording.say("show.min_found", min_found=value)


# --- check -----------------------------------------------------------------------


@dataclass
class _Scoped:
    """The scoped sentences joined into one text (one newline between), to find phrases in one pass."""

    sentences: list[Sentence]
    text: str
    starts: list[int]

    @classmethod
    def of(cls, sentences: list[Sentence]) -> _Scoped:
        starts, pos = [], 0
        for s in sentences:
            starts.append(pos)
            pos += len(s.text) + 1
        return cls(sentences, "\n".join(s.text for s in sentences), starts)


def find_theme(theme: Theme, ctx: CheckContext, scoped: _Scoped) -> ThemeResult:
    """Found: a phrase in a scoped part, in a clause not put as a problem (有待) or a plan (下一步); the first such place."""
    cues = (*ctx.cues.deficit, *ctx.cues.plan)
    best: tuple[int, Sentence, str] | None = None
    for phrase in theme.phrases:
        at = scoped.text.find(phrase)
        while at >= 0 and (best is None or at < best[0]):
            n = bisect_right(scoped.starts, at) - 1
            sentence = scoped.sentences[n]
            local = at - scoped.starts[n]
            clause = clause_of(sentence.text, local, local + len(phrase))
            if not any(cue in clause for cue in cues):
                best = (at, sentence, phrase)
                break
            at = scoped.text.find(phrase, at + 1)
    if best is None:
        return ThemeResult(theme.name, theme.status, False)
    return ThemeResult(theme.name, theme.status, True, sentence_evidence(best[1], 100.0, best[2]))


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params.for_year(doc.meta.year)
    parts = p.as_required_items()
    findings = required_items.check(replace(rule, params=parts), doc, ctx)
    scoped = _Scoped.of([s for s in doc.sentences if s.kind in p.scope])
    for finding in findings:
        finding.items = [
            replace(result, themes=[find_theme(t, ctx, scoped) for t in part.themes])
            for result, part in zip(finding.items, p.items)
        ]
    return findings


# --- explanation -----------------------------------------------------------------


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    needed = p.min_found or len(p.items)
    themes = sum(len(part.themes) for part in p.items)
    lines = rule.lines("explain.head", scope=part_labels(p.scope, vocab), parts=len(p.items), needed=needed, themes=themes)
    for part in p.items:
        lines += rule.lines("explain.part", name=part.item.name, themes="、".join(theme_label(t, rule.wording) for t in part.themes))
    if p.earlier_outline is not None:
        earlier = p.earlier_outline
        lines += rule.lines("explain.earlier", until=earlier.until_year, name=earlier.name, count=len(earlier.items))
        lines += [rule.say("explain.earlier_part", name=part.item.name) for part in earlier.items]
    return lines


def _all_parts(p: Params) -> tuple[Part, ...]:
    return p.items + (p.earlier_outline.items if p.earlier_outline else ())


def item_names(p: Params) -> tuple[str, ...]:
    return tuple(part.item.name for part in _all_parts(p))


def segmenter_words(p: Params) -> tuple[str, ...]:
    words = p.as_required_items().phrases()
    if p.earlier_outline is not None:
        words += p.for_year(p.earlier_outline.until_year).as_required_items().phrases()
    return tuple(dict.fromkeys(words))


def part_topics(p: Params) -> tuple[str, ...]:
    """Every phrase of the theme map: a part heading naming one reports work on that task."""
    phrases = [ph for part in _all_parts(p) for ph in (*part.item.phrases, *(t for theme in part.themes for t in theme.phrases))]
    return tuple(dict.fromkeys(phrases))


def fix_hint(rule: Rule, vocab: SectionVocabulary) -> str:
    return rule.say("fix_hint", items="、".join(item_names(rule.params)))


RULE_TYPE = RuleType(
    name="outline-coverage",
    params=Params,
    keys=(
        Key("items", _parse_parts, required=True, show=_show_parts),
        Key("min_found", _parse_min_found, adjustable=True, show=_show_min_found),
        replace(SCOPE, required=True),
        THRESHOLD,
        Key("earlier_outline", _parse_earlier, "此前的纲要（按报告年度适用）", show=_show_earlier),
    ),
    check=check,
    explain=explain,
    item_names=item_names,
    phrases=segmenter_words,
    fix_hint=fix_hint,
    wording={
        "theme": ("name",),
        "fix_hint": ("items",),
        "explain.head": ("scope", "parts", "needed", "themes"),
        "explain.part": ("name", "themes"),
        "explain.earlier": ("until", "name", "count"),
        "explain.earlier_part": ("name",),
        "show.all": (),
        "show.min_found": ("min_found",),
        "errors.min_found": ("key", "count"),
        **{f"errors.{name}": values for name, values in ERRORS.items()},
    },
    part_topics=part_topics,
)
