"""unanswered-shortcomings: does the plans part answer each problem the report admits?

Each problem of the shortcomings part (a numbered sub-heading, an 一是 item,
or a sentence that reads as a problem; cause analysis left out) is reduced to
its key words: the words of its title that are not stock wording (部分, 不足,
工作, 法治 …) nor words of the body's own name.  It counts as answered when one
item of the plans part holds at least `min_overlap` of those words, each as
written or as a synonym (the rule's and the pack's vocab/synonyms.yaml): the
same group, field or mechanism (村干部, 法律顾问, 电子取证), however vaguely the
measure is put; or two words of the clause after the title, where the title
leaves the object to it.  Stock
phrases about 法治政府建设 as a whole answer nothing, since their words are
all stock.  Word lists are data in the rule file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.checks.context import CheckContext
from fazhi_audit.checks.findings import (
    fill,
    finding,
    part_labels,
    phrase_list,
    sentence_evidence,
)
from fazhi_audit.checks.keys import MIN_OVERLAP, NEGATING_PREFIX, SYNONYMS, parse_phrases, word_forms
from fazhi_audit.checks.part_items import INLINE_START, PartItem, split_items
from fazhi_audit.checks.rule_type import Key, RuleType
from fazhi_audit.model.result import Finding, ItemResult
from fazhi_audit.rules.schema import Rule
from fazhi_audit.text import enumeration
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.structure.outline import SectionVocabulary

_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKER_AT_START = enumeration.AT_START
_MAX_CLAUSES = 3  # a title made only of stock words borrows key words from the next clauses
_NAME_CHARS = 30


@dataclass(frozen=True)
class Params:
    causes: tuple[str, ...]  # cue words of cause analysis: those sentences are not problems
    problem_cues: tuple[str, ...]  # a sentence reads as a problem (used when items are not numbered)
    intro_cues: tuple[str, ...]  # …and these make it the introduction to the problems instead
    generic: tuple[str, ...]  # stock words that say nothing about what the problem concerns
    synonyms: tuple[tuple[str, ...], ...] = ()  # words a plan may use for the same thing
    min_overlap: float = 0.5  # share of a problem's key words one plan item must hold
    answer_cues: tuple[str, ...] = ()  # 下一步将…: a measure named in the shortcomings paragraph itself


# --- problems --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    item: PartItem
    sentence: Sentence  # where it is named
    clauses: tuple[str, ...]  # its title first, then the clauses after it


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,;:。!?]", text) if c.strip()]


def _is_cause(item: PartItem, p: Params) -> bool:
    """Cause analysis rather than a problem: a cue in its heading, or before its 一是 (究其原因，主要在于一是…)."""
    if item.heading is not None:
        return any(c in item.title for c in p.causes)
    text = item.first.text
    if _MARKER_AT_START.match(text):
        return False  # 一是…，原因是… names a problem, then its cause
    m = INLINE_START.match(text)
    lead = m.group(0) if m else text
    return any(c in lead for c in p.causes)


def problems(doc: Document, p: Params) -> list[Problem]:
    items, how = split_items(doc, "shortcomings")
    out: list[Problem] = []
    cause_line: int | None = None  # causes listed as 一是… run to the end of the line that introduced them
    for item in items:
        first = item.first
        if _is_cause(item, p):
            cause_line = first.index
            continue
        if item.heading is None and first.index == cause_line:
            continue
        if how == "sentence" and (not any(c in first.text for c in p.problem_cues) or any(c in first.text for c in p.intro_cues)):
            continue  # an introduction or a remark, not a problem
        rest = [c for s in item.sentences[1:] if not any(k in s.text for k in p.causes) for c in _clauses(s.text)]
        if item.heading is not None:  # a heading may run on: 执法力量不足，基层所平均仅有执法人员8名
            head = _clauses(item.title)
        else:
            head = [item.title, *_clauses(first_clause_rest(first.text))]
        out.append(Problem(item, first, tuple(c for c in (*head, *rest) if c)[:_MAX_CLAUSES]))
    return out


def first_clause_rest(text: str) -> str:
    """The sentence after its first clause (and after any 一是 marker)."""
    text = INLINE_START.sub("", text)
    m = re.search(r"[,;:。!?]", text)
    return text[m.end() :] if m else ""


# --- key words and matching --------------------------------------------------------


def key_words(text: str, p: Params, ctx: CheckContext, body: str | None = None, nested: bool = False) -> list[str]:
    """The words of a problem's title that say what it is about: not stock words, single characters,
    or words of the body's own name (a market regulator's name words are in every line it writes);
    a word inside another key word counts once unless `nested` (follow-through weighs plans by both)."""
    segmenter = ctx.matcher.segmenter
    if segmenter.mode == "char":  # no model: character pairs stand in for words
        for word in sorted(p.generic, key=len, reverse=True):
            text = text.replace(word, "|")
        tokens = [text[i : i + 2] for i in range(len(text) - 1)]
    else:
        tokens = _glue_prefixes(list(segmenter.tokens(text)))
    words = list(dict.fromkeys(t for t in tokens if len(t) >= 2 and _CJK.search(t) and "|" not in t and t not in p.generic
                               and not (body and t in body)))
    if nested:
        return words
    return [w for w in words if not any(w != other and w in other for other in words)]  # 执法 within 行政执法: one word


def _glue_prefixes(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for t in tokens:
        if out and out[-1] == NEGATING_PREFIX and _CJK.match(t):
            out[-1] += t
        else:
            out.append(t)
    return out


def _holds(word: str, text: str, p: Params, synonyms: tuple[tuple[str, ...], ...], pieces: bool = True) -> bool:
    """The plan text uses this word, a synonym of it, or (for long words) its first or last two characters."""
    return any(form in text for form in word_forms(word, synonyms, p.generic, pieces))


def best_answer(words: list[str], plans: list[PartItem], p: Params, ctx: CheckContext, pieces: bool = True) -> tuple[float, PartItem | None, list[str]]:
    """The plan item holding the largest share of the words: (share, item, words it holds)."""
    best: tuple[float, PartItem | None, list[str]] = (0.0, None, [])
    synonyms = p.synonyms + ctx.cues.synonyms
    for plan in plans:
        text = plan.text
        held = [w for w in words if _holds(w, text, p, synonyms, pieces)]
        share = len(held) / len(words)
        if share > best[0]:
            best = (share, plan, held)
    return best


def _name(problem: Problem) -> str:
    title = problem.clauses[0]
    return title if len(title) <= _NAME_CHARS else title[:_NAME_CHARS] + "…"


def judge(rule: Rule, problem: Problem, plans: list[PartItem], ctx: CheckContext, body: str | None = None,
          beside: list[PartItem] | None = None) -> ItemResult | None:
    """found=True when a plan item answers it; None when its wording gives nothing to match on.

    The problem's title names it; the clause after the title may say who or what it concerns
    (the title says legal education misses its audience, the next clause names the audience): a plan
    for those counts too, if it holds two of its words as written or as synonyms (not merely their
    first two characters)."""
    p: Params = rule.params
    clauses = iter(problem.clauses)
    words = next((w for clause in clauses if (w := key_words(clause, p, ctx, body))), None)
    if not words:
        return None
    share, plan, held = best_answer(words, plans, p, ctx)
    later: list[str] | None = None  # the next clause's words, segmented only when needed
    if share < p.min_overlap and (beside or len(problem.clauses) > 1):
        later = next((w for clause in clauses if (w := key_words(clause, p, ctx, body))), [])
    synonyms = p.synonyms + ctx.cues.synonyms
    for answer in beside or ():
        # 下一步将… right after the problem is about it: one of its words is enough to tie the two
        tied = [w for w in dict.fromkeys(words + (later or [])) if _holds(w, answer.text, p, synonyms)]
        if tied and share < p.min_overlap:
            share, plan, held = 1.0, answer, tied
    if share < p.min_overlap and later:
        more = best_answer(later, plans, p, ctx, pieces=False)
        if more[0] >= p.min_overlap and len(more[2]) >= 2:
            share, plan, held = more
    evidence = sentence_evidence(problem.sentence, 100.0, problem.clauses[0] if problem.clauses[0] in problem.sentence.text else "")
    if share >= p.min_overlap and plan is not None:
        return ItemResult(_name(problem), True, evidence, rule.say("answered", plan=plan.title[:20], words="、".join(held)))
    return ItemResult(_name(problem), False, evidence, rule.say("unanswered", words="、".join(words[:4])))


def _answers_beside(problem: Problem, doc: Document, p: Params) -> list[PartItem]:
    """Sentences of the problem's own paragraph or item that name a measure (下一步将…): they answer it too."""
    if not p.answer_cues:
        return []
    lines = {s.index for s in problem.item.sentences}
    return [PartItem((s,)) for s in doc.sentences
            if s.kind == "shortcomings" and s.index in lines and any(c in s.text for c in p.answer_cues)]


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    p: Params = rule.params
    found = problems(doc, p)
    plans, _ = split_items(doc, "plans")
    if not found:
        return [finding(rule, "pass", rule.say("no_problems"), scored=False)]
    if not plans:
        return [finding(rule, "pass", rule.say("no_plans"), scored=False)]
    results = [r for pr in found if (r := judge(rule, pr, plans, ctx, doc.meta.body, _answers_beside(pr, doc, p))) is not None]
    if not results:
        return [finding(rule, "pass", rule.say("too_vague"), scored=False)]
    open_ = [r for r in results if not r.found]
    line = (open_[0] if open_ else results[0]).evidence.line
    answered = len(results) - len(open_)
    if not open_:
        return [finding(rule, "pass", rule.say("pass", total=len(results)), items=results, line=line)]
    status = "partial" if answered else "fail"
    message = fill(rule.message, count=len(open_), total=len(results), problems="；".join(r.name for r in open_))
    return [finding(rule, status, message, items=results, line=line, credit=answered / len(results))]


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    p: Params = rule.params
    return rule.lines(
        "explain",
        shortcomings=part_labels(["shortcomings"], vocab),
        plans=part_labels(["plans"], vocab),
        min_overlap=f"{p.min_overlap:.0%}",
        generic=phrase_list(p.generic),
        causes=phrase_list(p.causes),
    )


def _placeholders(rule: Rule) -> dict[str, str]:
    return {name: rule.say(f"placeholders.{name}") for name in ("count", "total", "problems")}


RULE_TYPE = RuleType(
    name="unanswered-shortcomings",
    params=Params,
    keys=(
        Key("causes", parse_phrases, required=True),
        Key("problem_cues", parse_phrases, required=True),
        Key("intro_cues", parse_phrases, required=True),
        Key("generic", parse_phrases, required=True),
        SYNONYMS,
        MIN_OVERLAP,
        Key("answer_cues", parse_phrases),
    ),
    check=check,
    explain=explain,
    placeholders=_placeholders,
    wording={
        "no_problems": (),
        "no_plans": (),
        "too_vague": (),
        "pass": ("total",),
        "answered": ("plan", "words"),
        "unanswered": ("words",),
        "explain": ("shortcomings", "plans", "min_overlap", "generic", "causes"),
        "placeholders.count": (),
        "placeholders.total": (),
        "placeholders.problems": (),
    },
)
