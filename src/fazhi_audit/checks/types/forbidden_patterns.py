"""forbidden-patterns: text that must not be in a report (template residue such as XX, 某某)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    fill,
    finding,
    line_evidence,
    part_labels,
    sentence_evidence,
)
from fazhi_audit.checks.keys import SCOPE, parse_regexes
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.regex_safety import absent_from
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text.document import Document
from fazhi_audit.text.structure.outline import SectionVocabulary

_MAX_LISTED = 5  # residues named in the message; all are listed as items


@dataclass(frozen=True)
class Params:
    patterns: tuple[re.Pattern, ...]
    scope: tuple[str, ...] = ()  # empty: the whole text, title included


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    hits = []
    scoped = [s for s in doc.sentences if not p.scope or s.kind in p.scope]
    body = "\n".join(s.text for s in scoped)
    present = [pattern for pattern in p.patterns if not absent_from(pattern, body)]
    for s in scoped:
        for pattern in present:
            m = pattern.search(s.text)
            if m:
                hits.append(ItemResult(m.group(0), False, sentence_evidence(s, 100.0, m.group(0))))
                break
    title = doc.meta.title or ""
    for pattern in p.patterns:
        m = pattern.search(title)
        if m:
            first = doc.lines[doc.meta.title_lines[0]]  # a title may span lines: point at its first
            hits.insert(0, ItemResult(m.group(0), False, line_evidence(first, "title", m.group(0), text=title)))
            break
    if not hits:
        return [finding(rule, "pass", rule.say("pass", title=rule.title))]
    listed = "、".join(dict.fromkeys(h.name for h in hits[:_MAX_LISTED]))
    return [finding(rule, "fail", fill(rule.message, found=listed), line=hits[0].evidence.line, items=hits)]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    where = rule.say("explain.scope", scope=part_labels(p.scope, vocab)) if p.scope else rule.say("explain.everywhere")
    return rule.lines("explain.lines", where=where, patterns="  ".join(x.pattern for x in p.patterns))


RULE_TYPE = RuleType(
    name="forbidden-patterns",
    params=Params,
    keys=(Key("patterns", parse_regexes, required=True), SCOPE),
    check=check,
    explain=explain,
    wording={"pass": ("title",), "explain.scope": ("scope",), "explain.everywhere": (), "explain.lines": ("where", "patterns")},
)
