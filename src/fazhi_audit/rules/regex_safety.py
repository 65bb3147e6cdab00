"""Rule-file regular expressions run in time linear in the text, or are refused at load.

Rule files may be written by another office, and the reports they are run
against by anyone, so a pattern such as `(a+)+`, `\\d*\\d*\\d*x` or
`.*.*.*=` must not be able to hang a run on a crafted line. A checker of
backtracking shapes is never complete, so `safe_compile` runs every pattern
that RE2 (google-re2, an automaton: linear time by construction) can compile
on RE2. What RE2 cannot run -- lookarounds such as `负责(?!人)` and
back-references -- stays on Python's `re`, but only when its backtracking is
bounded by the pattern itself (`backtrack_reason`): every repetition has an
upper bound and the number of ways the pattern can split a text at one
position is at most MAX_BRANCHES, so a search costs at most that many steps
per character. Everything else is refused when the rules are loaded, with
the file and line where the fix belongs.

`unsafe_reason`, the earlier shape checker described below, still vets the
patterns that fall back to `re`.

The check inspects the parsed pattern (`re._parser`, the parser `re` itself
uses) for the shapes behind catastrophic backtracking (star height > 1
without a separator, ambiguous alternation under repetition), like
safe-regex/regexploit do:

* inside a repetition, a variable-length part (`a+`, `a*`, `a?`, an
  alternative that may be empty) whose characters can also begin what
  follows it in the same iteration or the next one: `(a+)+`, `(a*)*`,
  `(\\d+\\s*)+`, `(a|aa)+` (parsed as `a(|a)`);
* inside a repetition, alternatives that can start with the same character:
  `(.a|a.)+`;
* explicit counts above MAX_COUNT and patterns longer than MAX_LENGTH.

Separated repetitions stay allowed: `(\\d+、)+`, `(、\\d+)+`, `(ab?)+`.
The check is conservative: a few harmless shapes are refused too, with a
message that says how to rewrite them. Possessive quantifiers (`a++`) and
atomic groups (`(?>…)`) never give back what they matched, so they are not
sources of ambiguity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older layout
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_LENGTH = 500  # the longest bundled pattern is under 40 characters
MAX_BRANCHES = 100_000  # ways a pattern on `re` may try at one position (bundled lookaround patterns: under 2,000)
MAX_COUNT = 1000  # explicit {m,n} bounds

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_CATEGORY_RX = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
# Characters tried when two classes are compared, besides the literals and
# range ends the classes themselves mention: one of each kind a class can name.
_SAMPLES = frozenset(map(ord, "0٣ \t\n\u3000aZ_中、，。.-/:x\x00\uffff"))


@dataclass(frozen=True)
class _Chars:
    """A set of characters as membership tests plus the points worth testing."""

    tests: tuple[Callable[[int], bool], ...] = ()
    points: frozenset[int] = frozenset()

    def __or__(self, other: _Chars) -> _Chars:
        return _Chars(self.tests + other.tests, self.points | other.points)

    def __contains__(self, cp: int) -> bool:
        return any(test(cp) for test in self.tests)

    def overlaps(self, other: _Chars) -> bool:
        if not self.tests or not other.tests:
            return False
        return any(cp in self and cp in other for cp in self.points | other.points | _SAMPLES)


_NONE = _Chars()
_ANY = _Chars((lambda cp: True,))


def _literal(value: int) -> _Chars:
    return _Chars((lambda cp: cp == value,), frozenset({value}))


def _category(name) -> _Chars:
    rx = re.compile(_CATEGORY_RX.get(name, r"[\s\S]"))
    return _Chars((lambda cp: rx.match(chr(cp)) is not None,))


def _in(items) -> _Chars:
    negate = bool(items) and items[0][0] is _c.NEGATE
    parts = _NONE
    for op, av in items[1:] if negate else items:
        if op is _c.LITERAL:
            parts |= _literal(av)
        elif op is _c.RANGE or op is getattr(_c, "RANGE_UNI_IGNORE", None):
            lo, hi = av
            parts |= _Chars((lambda cp, lo=lo, hi=hi: lo <= cp <= hi,), frozenset({lo, hi, max(lo - 1, 0), hi + 1}))
        elif op is _c.CATEGORY:
            parts |= _category(av)
        else:  # anything unexpected: assume it may match anything
            parts |= _ANY
    if not negate:
        return parts
    return _Chars((lambda cp: cp not in parts,), parts.points)


def _min_width(seq) -> int:
    return sum(_item_min_width(op, av) for op, av in seq)


def _item_min_width(op, av) -> int:
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
        return 1
    if op in _REPEATS or op is _POSSESSIVE:
        return av[0] * _min_width(av[2])
    if op is _c.SUBPATTERN:
        return _min_width(av[3])
    if op is _ATOMIC:
        return _min_width(av)
    if op is _c.BRANCH:
        return min(_min_width(alt) for alt in av[1])
    if op is _c.GROUPREF_EXISTS:
        return min(_min_width(av[1]), _min_width(av[2]) if av[2] else 0)
    return 0  # anchors, lookarounds, back-references (may be empty)


def _first(seq, then: _Chars = _NONE) -> _Chars:
    """Characters the sequence can start with (`then` if it can match empty)."""
    out = _NONE
    for op, av in seq:
        out |= _item_first(op, av)
        if _item_min_width(op, av) > 0:
            return out
    return out | then


def _item_first(op, av) -> _Chars:
    if op is _c.LITERAL:
        return _literal(av)
    if op is _c.NOT_LITERAL:
        return _Chars((lambda cp: cp != av,), frozenset({av}))
    if op is _c.ANY:
        return _ANY
    if op is _c.IN:
        return _in(av)
    if op in _REPEATS or op is _POSSESSIVE:
        return _first(av[2])
    if op is _c.SUBPATTERN:
        return _first(av[3])
    if op is _ATOMIC:
        return _first(av)
    if op is _c.BRANCH:
        out = _NONE
        for alt in av[1]:
            out |= _first(alt)
        return out
    if op is _c.GROUPREF_EXISTS:
        return _first(av[1]) | (_first(av[2]) if av[2] else _NONE)
    if op is _c.GROUPREF:
        return _ANY  # a back-reference repeats whatever its group matched
    return _NONE  # anchors and lookarounds consume nothing


def _chars(seq) -> _Chars:
    """Every character the sequence can consume."""
    out = _NONE
    for op, av in seq:
        if op in _REPEATS or op is _POSSESSIVE:
            out |= _chars(av[2])
        elif op is _c.SUBPATTERN:
            out |= _chars(av[3])
        elif op is _ATOMIC:
            out |= _chars(av)
        elif op is _c.BRANCH:
            for alt in av[1]:
                out |= _chars(alt)
        elif op is _c.GROUPREF_EXISTS:
            out |= _chars(av[1]) | (_chars(av[2]) if av[2] else _NONE)
        elif op not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            out |= _item_first(op, av)
    return out


class _Unsafe(Exception):
    pass


NESTED = "嵌套的重复（如 (a+)+、(\\d+\\s*)+）在不匹配时耗时可能随长度指数增长：请去掉外层重复，或在内层重复后加一个它不会匹配的分隔符，如 (\\d+、)+"
AMBIGUOUS = "重复内的几个分支可从同一个字符开始（如 (.a|a.)+、(ab|a.)+）：不匹配时耗时可能指数增长，请让各分支以不同的字符开头"
OPTIONAL = "重复内的可选部分与后面的内容可匹配同样的字符（如 (a|aa)+、(aa?)+）：不匹配时耗时可能指数增长，请改写为 a+ 这样的单层重复"


def _walk(seq, follow_end: _Chars, in_loop: bool) -> None:
    """Look for ambiguity that a surrounding repetition would multiply."""
    items = list(seq)
    for i, (op, av) in enumerate(items):
        follow = _first(items[i + 1 :], follow_end)
        if op in _REPEATS:
            lo, hi, body = av
            if in_loop and lo != hi and _chars(body).overlaps(follow):
                raise _Unsafe(NESTED)
            loops = hi > 1
            if loops:
                # the body is followed by itself (next round), and, inside an
                # outer repetition, by what follows this one
                body_follow = _first(body) | (follow if in_loop else _NONE)
            else:
                body_follow = follow
            _walk(body, body_follow, in_loop or loops)
        elif op is _c.SUBPATTERN:
            _walk(av[3], follow, in_loop)
        elif op is _c.BRANCH:
            alts = av[1]
            if in_loop:
                if any(_min_width(alt) == 0 for alt in alts):
                    filled = _NONE
                    for alt in alts:
                        filled |= _chars(alt)
                    if filled.overlaps(follow):
                        raise _Unsafe(OPTIONAL)
                firsts = [_first(alt) for alt in alts]
                for a in range(len(firsts)):
                    for b in range(a + 1, len(firsts)):
                        if firsts[a].overlaps(firsts[b]):
                            raise _Unsafe(AMBIGUOUS)
            for alt in alts:
                _walk(alt, follow, in_loop)
        elif op is _c.GROUPREF_EXISTS:
            _walk(av[1], follow, in_loop)
            if av[2]:
                _walk(av[2], follow, in_loop)
        elif op is _POSSESSIVE:
            _walk(av[2], _NONE, False)  # gives nothing back; only its inside can backtrack
        elif op is _ATOMIC:
            _walk(av, _NONE, False)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _walk(av[1], _NONE, False)  # lookarounds backtrack like any subpattern


def _check_counts(seq) -> None:
    for op, av in seq:
        if op in _REPEATS or op is _POSSESSIVE:
            lo, hi, body = av
            if lo > MAX_COUNT or (hi != _c.MAXREPEAT and hi > MAX_COUNT):
                shown = f"{{{lo}}}" if lo == hi else f"{{{lo},{'' if hi == _c.MAXREPEAT else hi}}}"
                raise _Unsafe(f"重复次数 {shown} 超过上限 {MAX_COUNT}")
            _check_counts(body)
        elif op is _c.SUBPATTERN:
            _check_counts(av[3])
        elif op is _ATOMIC:
            _check_counts(av)
        elif op is _c.BRANCH:
            for alt in av[1]:
                _check_counts(alt)
        elif op is _c.GROUPREF_EXISTS:
            _check_counts(av[1])
            if av[2]:
                _check_counts(av[2])
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _check_counts(av[1])


def unsafe_reason(pattern: str) -> str | None:
    """Why `pattern` may take exponential time (Chinese, one line), or None.

    `pattern` must already compile."""
    if len(pattern) > MAX_LENGTH:
        return f"正则表达式过长（{len(pattern)} 个字符，上限 {MAX_LENGTH}）"
    try:
        parsed = _p.parse(pattern)
        _check_counts(parsed)
        _walk(parsed, _NONE, False)
    except _Unsafe as exc:
        return str(exc)
    except RecursionError:
        return "正则表达式嵌套过深"
    return None


def safe_compile(pattern: str, flags: int = 0):
    """A compiled pattern that cannot backtrack without bound: RE2's, else a bounded `re` one.

    Both have the `re.Pattern` methods the rule types use (search, match,
    finditer, sub, .pattern) and pickle, so rule sets still travel to worker
    processes. Raises re.error for a refused pattern, so callers keep one error path."""
    if len(pattern) > MAX_LENGTH:  # before compiling: the parser itself recurses
        raise re.error(f"正则表达式过长（{len(pattern)} 个字符，上限 {MAX_LENGTH}）")
    try:
        compiled = re.compile(pattern, flags)  # Python's syntax decides what a rule file may write
        parsed = _p.parse(pattern, flags)
    except RecursionError:
        raise re.error("正则表达式嵌套过深") from None
    linear = _re2_compile(pattern, flags, parsed)
    if linear is not None:
        return linear
    reason = unsafe_reason(pattern) or backtrack_reason(parsed)
    if reason:
        raise re.error(f"RE2 无法执行它（含前后查找或反向引用），而在 Python 的正则引擎上{reason}")
    return compiled


# ---------------------------------------------------------------- one search of a whole text


@lru_cache(maxsize=4096)
def _is_local(pattern: str, flags: int) -> bool:
    """The pattern looks at nothing outside what it matches: no anchor, word boundary or lookaround."""
    try:
        return not _looks_around(_p.parse(pattern, flags))
    except (re.error, RecursionError):
        return False


def _looks_around(seq) -> bool:
    for op, av in seq:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return True
        if any(_looks_around(sub) for sub in _subsequences(op, av)):
            return True
    return False


def absent_from(compiled, text: str) -> bool:
    """True when a pattern of `safe_compile` matches nowhere in `text`, and so in no piece of it.

    Checks searched every pattern in every sentence, a call per pair, nearly all
    finding nothing.  A pattern that looks at nothing outside its match matches
    in a piece of a text only where it matches in the whole, so one search of
    the sentences joined tells which patterns can be left out; for any other
    pattern this answers False and the sentences are searched as before."""
    flags = compiled.flags if isinstance(compiled, re.Pattern) else 0  # RE2's are IGNORECASE at most: no bearing on anchors
    return _is_local(compiled.pattern, flags) and compiled.search(text) is None


# ---------------------------------------------------------------- RE2

# Python's \w and \d are Unicode; RE2's are ASCII. Reports are NFKC-folded
# (full-width digits and spaces become ASCII), so \d and \s agree; \w is
# spelled out so that Chinese characters stay word characters.
_WORD = r"\p{L}\p{N}_"


def _re2_compile(pattern: str, flags: int, parsed):
    """The RE2 form of `pattern`, or None when RE2 cannot run it with `re`'s meaning."""
    if flags & ~(re.IGNORECASE | re.UNICODE) or _uses(parsed, {_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY}):
        return None  # multiline/verbose flags, \b: meanings that differ between the engines
    translated = _translate_classes(pattern)
    if translated is None:
        return None
    try:
        import re2
    except ImportError:  # pragma: no cover - a dependency; without it everything takes the bounded path
        return None
    options = re2.Options()
    options.log_errors = False  # a refused pattern is our one-line message, not a log on stderr
    options.case_sensitive = not flags & re.IGNORECASE
    try:
        return _Linear(re2.compile(translated, options), pattern)
    except re2.error:
        return None


def _translate_classes(pattern: str) -> str | None:
    """\\w and \\W with Python's Unicode meaning for RE2; None when that cannot be written."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == "\\w":
                out.append(_WORD if in_class else f"[{_WORD}]")
            elif pair == "\\W":
                if in_class:
                    return None
                out.append(f"[^{_WORD}]")
            else:
                out.append(pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a ] first in a class is a literal
                out.append("]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _uses(seq, codes: set) -> bool:
    for op, av in seq:
        if op is _c.AT and av in codes:
            return True
        for sub in _subsequences(op, av):
            if _uses(sub, codes):
                return True
    return False


def _subsequences(op, av) -> list:
    if op in _REPEATS or op is _POSSESSIVE:
        return [av[2]]
    if op is _c.SUBPATTERN:
        return [av[3]]
    if op is _ATOMIC:
        return [av]
    if op is _c.BRANCH:
        return list(av[1])
    if op is _c.GROUPREF_EXISTS:
        return [av[1]] + ([av[2]] if av[2] else [])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [av[1]]
    return []


class _Linear:
    """An RE2 pattern that reports the rule file's own text as `.pattern`."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, compiled, pattern: str):
        self._compiled = compiled
        self.pattern = pattern

    def __getattr__(self, name):
        return getattr(self._compiled, name)

    def __getstate__(self):
        return self.pattern, not self._compiled.options.case_sensitive

    def __setstate__(self, state):
        pattern, ignore_case = state
        again = _re2_compile(pattern, re.IGNORECASE if ignore_case else 0, _p.parse(pattern))
        self._compiled, self.pattern = again._compiled, pattern

    def __repr__(self) -> str:
        return f"re2.compile({self.pattern!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, _Linear) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)


# ---------------------------------------------------------------- bounded backtracking


def backtrack_reason(parsed) -> str | None:
    """Why `re` could backtrack without a bound the pattern itself sets (Chinese), or None.

    Counts the ways the pattern can be tried at one position: a sequence
    multiplies, an alternation adds, a repetition of up to n copies adds the
    ways of 0 … n copies; an unbounded repetition has no bound at all. The
    count bounds the steps per start position, so a search is linear in the text.
    """
    try:
        ways = _ways(parsed)
    except _Unbounded:
        return "含不设上限的重复（*、+、{n,}）：请写出上限，如 {1,50}"
    if ways > MAX_BRANCHES:
        return f"可能的匹配方式过多（超过 {MAX_BRANCHES:,} 种）：请减小重复次数的上限"
    return None


class _Unbounded(Exception):
    pass


def _ways(seq) -> int:
    total = 1
    for op, av in seq:
        total = min(total * _item_ways(op, av), MAX_BRANCHES + 1)
    return total


def _item_ways(op, av) -> int:
    if op in _REPEATS or op is _POSSESSIVE:
        low, high, body = av
        if high == _c.MAXREPEAT:
            raise _Unbounded
        inner, total, power = _ways(body), 0, 1
        for _ in range(high + 1):
            total = min(total + power, MAX_BRANCHES + 1)
            power = min(power * inner, MAX_BRANCHES + 1)
        return total
    if op is _c.BRANCH:
        return min(sum(_ways(alt) for alt in av[1]), MAX_BRANCHES + 1)
    if op is _c.GROUPREF:
        raise _Unbounded  # a back-reference's length is whatever its group matched
    return max((_ways(sub) for sub in _subsequences(op, av)), default=1)
