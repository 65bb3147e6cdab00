"""outdated-reference: a superseded document or formula cited as current (七五普法 in a 2023 report).

The rule's table says what superseded what and from which report year:
a term (with the pattern that finds it), what replaced it, and the first
report year for which the old one is outdated.  A mention counts when the
report year is at least that year and its clause carries no history cue
(总结验收, 获评, 期间, 较“十三五”末 …): the same name used as history is fine.
One finding per mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import fill, finding, part_labels, sentence_evidence
from fazhi_audit.checks.keys import SCOPE
from fazhi_audit.checks.word_lists import WordList, parse_words, show_words
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.regex_safety import absent_from
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.wording import Wording
from fazhi_audit.rules.yaml_lines import LinedDict
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.figures import Clauses
from fazhi_audit.text.structure.outline import SectionVocabulary

_ENTRY_KEYS = {"term", "pattern", "replaced_by", "from_year"}
_WINDOW = 40


@dataclass(frozen=True)
class Superseded:
    term: str  # the old name, as a reader knows it
    pattern: re.Pattern  # how reports write it
    replaced_by: str
    from_year: int  # the first report year for which the term is outdated


@dataclass(frozen=True)
class Params:
    superseded: tuple[Superseded, ...]
    history_cues: WordList  # in the clause: the old name is history, not current
    scope: tuple[str, ...] = ()  # empty: every part


def _parse_table(c: Checker, data: LinedDict, key: str, values: dict) -> tuple[Superseded, ...]:
    raw = data[key]
    if not isinstance(raw, list) or not raw:
        c.fail(data, key, c.say("errors.table", key=key))
    out = []
    for entry in raw:
        entry = c.mapping(entry, f"{key} 项")
        c.keys(entry, _ENTRY_KEYS, _ENTRY_KEYS, f"{key} 项")
        year = entry["from_year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            c.fail(entry, "from_year", c.say("errors.from_year"))
        out.append(Superseded(c.text(entry, "term"), c.regex(entry, "pattern", c.text(entry, "pattern")), c.text(entry, "replaced_by"), year))
    return tuple(out)


def _show_table(value: tuple[Superseded, ...], vocab: SectionVocabulary, wording: Wording) -> str:
    return "；".join(_entry(s, wording) for s in value)


def _entry(s: Superseded, wording: Wording) -> str:
    return wording.say("entry", term=s.term, replaced_by=s.replaced_by, from_year=s.from_year)


def mentions(doc: Document, p: Params) -> list[tuple[Sentence, Superseded, re.Match]]:
    year = doc.meta.year
    out = []
    scoped = [s for s in doc.sentences if not p.scope or s.kind in p.scope]
    body = "\n".join(s.text for s in scoped)
    entries = [entry for entry in p.superseded if year >= entry.from_year and not absent_from(entry.pattern, body)]
    for s in scoped:
        clauses = None
        for entry in entries:
            for m in entry.pattern.finditer(s.text):
                clauses = clauses or Clauses(s.text)
                lo, hi = clauses.span(m.start())
                # history cues sit near the name (总结…经验, …期间): look within _WINDOW characters
                lo, hi = max(lo, m.start() - _WINDOW), min(hi, m.end() + _WINDOW)
                if not p.history_cues.find(s.text[lo : m.start()] + "|" + s.text[m.end() : hi]):
                    out.append((s, entry, m))
                    break  # one finding per term and sentence
    return out


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    if not doc.meta.year:
        return [finding(rule, "pass", rule.say("no_year"), scored=False)]
    found = mentions(doc, p)
    if not found:
        return [finding(rule, "pass", rule.say("pass", title=rule.title))]
    out = []
    for s, entry, m in found:
        what = rule.say("found", term=entry.term, from_year=entry.from_year, replaced_by=entry.replaced_by)
        item = ItemResult(entry.term, False, sentence_evidence(s, 100.0, m.group(0)), note=rule.say("item_note", replaced_by=entry.replaced_by))
        out.append(finding(rule, "fail", fill(rule.message, found=what), line=s.line, items=[item], values={"found": what}))
    return out


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    where = rule.say("explain.scope", scope=part_labels(p.scope, vocab)) if p.scope else rule.say("explain.everywhere")
    lines = rule.lines("explain.head", where=where)
    lines += [f"  · {_entry(s, rule.wording)}" for s in p.superseded]
    lines += rule.lines("explain.history", cues="、".join(p.history_cues))
    return lines


RULE_TYPE = RuleType(
    name="outdated-reference",
    params=Params,
    keys=(
        Key("superseded", _parse_table, required=True, show=_show_table),
        Key("history_cues", parse_words, required=True, show=show_words),
        SCOPE,
    ),
    check=check,
    explain=explain,
    wording={
        "no_year": (),
        "pass": ("title",),
        "found": ("term", "from_year", "replaced_by"),
        "item_note": ("replaced_by",),
        "entry": ("term", "replaced_by", "from_year"),
        "explain.scope": ("scope",),
        "explain.everywhere": (),
        "explain.head": ("where",),
        "explain.history": ("cues",),
        "errors.table": ("key",),
        "errors.from_year": (),
    },
)
