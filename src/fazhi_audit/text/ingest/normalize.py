"""Normalise report text and strip web-page wrappers, keeping a line map.

Reports arrive with full-width and half-width punctuation mixed (（一） next
to (二)), with portal boilerplate above and below the body, and with blank
lines everywhere.  Everything downstream works on `NormalizedText.lines`,
each of which carries its LineOrigin (line number, page, original script,
.docx paragraph) and can map its characters back to the reader's line, so
that findings point at what the user sees.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from fazhi_audit.text.dates import ARABIC_DATE, date_of
from fazhi_audit.text.ingest.raw import LineOrigin

# NFKC folds full-width ASCII, （）and the full-width comma/colon/semicolon to
# their ASCII forms, which is what the heading and sentence patterns expect.
# Brackets NFKC leaves alone are folded by hand to one form.
_EXTRA_FOLD = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "﹝": "[", "﹞": "]", "\u3000": " ", "\xa0": " "})

# Most specific label first: a page may show 生成日期 and 发布时间 together.
_PUBLISHED_LABELS = [
    re.compile(label + r"\s*[:：]?\s*" + ARABIC_DATE)
    for label in (r"发布(?:时间|日期)", r"(?:发文|成文|生成)日期", r"日期")
]

# Lines a portal wraps around an article.  Matched against short lines only.
_BOILERPLATE = [
    re.compile(p)
    for p in (
        r"^首页\s*(>|$)",
        r"^(当前位置|您的位置|位置)\s*[:：]",
        r"^>",
        r"^\S+\s*>\s*\S+.*>",  # breadcrumbs: 首页 > 政府信息公开 > …
        r"^(索引号|组配分类|发布机构|生成日期|公开方式|主题分类|体裁分类|公开范围|公开时限|文号|发文机关|成文日期|信息来源|来源|发布时间|发布日期|浏览次数|访问量|点击数|责任编辑|编辑|分享到|字体|字号)\s*[:：]?",
        r"(浏览次数|字体\s*[:：]?\s*\[?\s*[大中小]|【?\[?打印本页|打印\s*$|关闭窗口|收藏本页|扫一扫|在手机(上)?(打开|查看)|分享到)",
        r"(ICP\s*备|公网安备|网站标识码|网站地图|联系我们|主办单位|承办单位|版权所有|Copyright|©)",
        r"^(政府信息公开|信息公开|政务公开|政策文件|工作动态|通知公告)\s*$",
        r"^\S{1,8}APP\s*$",
        r"^(\[|【)?\s*(打印|关闭|返回顶部|返回)\s*(\]|】)?\s*$",
        r"^(上一篇|下一篇|相关链接|相关文件)\s*[:：]",
    )
]
_MAX_BOILERPLATE_LEN = 90
_MIN_SENTENCE_LEN = 30  # a longer line ending in 。 is body text even if it names 承办单位 or 来源


@dataclass(frozen=True)
class Line:
    text: str  # normalised text
    origin: LineOrigin  # where the line came from
    raw: str = field(compare=False, repr=False)  # the reader's line before normalising

    @property
    def number(self) -> int:
        """1-based line number in the original, as the user counts lines."""
        return self.origin.line

    def raw_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where text[start:end] sits in the reader's line (None if it cannot be told)."""
        columns = _columns(self.raw)
        if columns is None or not 0 <= start < end <= len(columns):
            return None
        return columns[start], columns[end - 1] + 1


@dataclass
class NormalizedText:
    lines: list[Line]
    published: str | None
    removed: list[Line]  # boilerplate lines that were dropped, for the record


def normalize_line(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_EXTRA_FOLD)
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip()


def fold_map(raw: str) -> list[int] | None:
    """For each character of normalize_line(raw), the index in raw it came from.

    Folding one character at a time gives the same text as normalize_line for
    everything but combining sequences (NFKC composes across characters); for
    those the map is unknown and None is returned rather than a wrong one.
    """
    folds = list(map(_fold_char, raw))
    text = "".join(folds)
    if len(text) == len(raw):  # no fold is empty, so each character became exactly one
        source = list(range(len(raw)))
    else:
        source = [i for i, folded in enumerate(folds) for _ in folded]
    if "\t" in text or "  " in text:
        # collapse runs of spaces/tabs to their first character
        keep = [True] * len(text)
        for run in re.finditer(r"[ \t]{2,}", text):
            keep[run.start() + 1 : run.end()] = [False] * (run.end() - run.start() - 1)
        text = "".join(ch if ch != "\t" else " " for ch, k in zip(text, keep) if k)
        source = [s for s, k in zip(source, keep) if k]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    source = source[lead : lead + len(text)]
    return source if text == normalize_line(raw) else None


@lru_cache(maxsize=16384)
def _fold_char(ch: str) -> str:
    """One character folded as normalize_line folds it (never empty); reports reuse a few thousand characters."""
    return unicodedata.normalize("NFKC", ch).translate(_EXTRA_FOLD)


@lru_cache(maxsize=256)  # lines of one document's evidence; a paragraph's map can be large
def _columns(raw: str) -> tuple[int, ...] | None:
    """fold_map, once per line: every finding's evidence in a paragraph asks again (a .docx profile showed it)."""
    columns = fold_map(raw)
    return tuple(columns) if columns is not None else None


def is_boilerplate(text: str) -> bool:
    if not text or len(text) > _MAX_BOILERPLATE_LEN:
        return False
    if len(text) > _MIN_SENTENCE_LEN and text.endswith("。"):
        return False  # a sentence of the report (决策承办单位…。), not a portal's label
    return any(p.search(text) for p in _BOILERPLATE)


def find_published(lines: list[str]) -> str | None:
    for pattern in _PUBLISHED_LABELS:
        for text in lines:
            m = pattern.search(text)
            found = date_of(m) if m else None  # 2024-02-30 and the like are no date
            if found:
                return found
    return None


def normalize(raw: str, origins: list[LineOrigin] | None = None) -> NormalizedText:
    """Normalised, non-empty lines of raw; origins (one per line) default to line numbers."""
    if origins is None:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    originals = raw.split("\n")
    if origins is None:
        origins = [LineOrigin(number) for number in range(1, len(originals) + 1)]
    elif len(origins) != len(originals):
        raise ValueError(f"{len(origins)} origins for {len(originals)} lines")
    kept: list[Line] = []
    removed: list[Line] = []
    for original, origin in zip(originals, origins):
        text = normalize_line(original)
        if not text:
            continue
        (removed if is_boilerplate(text) else kept).append(Line(text, origin, original))
    # Only boilerplate lines may carry the date: body text mentions many dates.
    published = find_published([line.text for line in removed])
    return NormalizedText(lines=kept, published=published, removed=removed)
