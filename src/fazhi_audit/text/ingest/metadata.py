"""Title, reporting body and report year: from the title, or, when a reprint
starts without one, from the signature block (落款) and the text's own
statements of its period."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_audit.text.dates import WRITTEN_DATE, date_of
from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.numerals import CN_NUMERAL_CHARS

_TITLE_CORE = re.compile(r"法治(政府)?建设")
_TITLE_END = re.compile(r"(报告|总结|情况)\s*$")
_YEAR = re.compile(r"(20\d{2})\s*年")
_YEAR_IN_TITLE = re.compile(r"20\d{2}")
_HEADING_START = re.compile(rf"^([{CN_NUMERAL_CHARS}]+[、.]|\([{CN_NUMERAL_CHARS}]+\)|第[{CN_NUMERAL_CHARS}]+部分)")
_ADDRESSEE = re.compile(r"[:：]\s*$")
_MAX_TITLE_SCAN = 6  # titles sit in the first lines after the wrapper
_WRAPPED_TAIL = 12  # characters: the end of a title that wrapped onto a line of its own

# The signing date (落款日期) closes a report: 2024年2月26日 or 二〇二四年二月二十六日,
# alone on a line or after the body's name on the same line.
# A name before the date must read like a reporting body, so "截至 2024年2月26日" is no 落款.
_SIGNER = r"[^,;:!?。()\s][^,;:!?。()]{0,38}?(?:政府|办事处|委员会|党委|党组|党工委|委|办公室|办|局|厅|署|中心|院|所|队|站)"
_SIGNED_LINE = re.compile(rf"^(?:{_SIGNER}\s*)?\(?{WRITTEN_DATE}\)?$")
_SIGNED_SCAN = 4  # the date sits in the last lines; after the body's name, maybe before a note
_SIGNER_LINE = re.compile(rf"^{_SIGNER}$")
_MAX_SIGNERS = 3  # a joint report signs with two or three bodies, one a line
_MAX_SIGNER_CHARS = 30
# A report is signed after its year, usually in the first months of the next
# one (the deadline is the end of the first quarter); a date in the second half
# of a year signs that year's report.
_SIGNED_NEXT_YEAR_UNTIL_MONTH = 6
# The plans part names the year after the report's: "2025年工作打算", "2020年是……收官之年，我乡将".
_PLANS_YEAR = re.compile(r"^(?:\S{1,4}[、.]\s*)?(20\d{2})\s*年(?:度)?(?:的)?(?:工作|重点|主要|努力|推进|法治)?\S{0,12}(?:打算|安排|计划|思路|方向|设想|重点工作|任务)")
# a part heading (一、) that names the year of its rule-of-law work: 一、某局2025年推进法治政府建设的主要举措和成效;
# not a sub-heading such as 1.2023年度督察反馈问题整改工作情况
_ACHIEVEMENTS_YEAR = re.compile(r"^[一二三四五六七八九十]{1,3}[、.]\s*\S{0,14}?(20\d{2})\s*年(?:度)?\S{0,14}?法治\S{0,10}?(?:主要举措|举措和成效|主要成效|工作成效|工作情况|开展情况|推进情况)")
_PLANS_YEAR_SENTENCE = re.compile(r"^(20\d{2})\s*年(?:是|,)[^。]*?(?:将|要)")
LAST_YEAR_OF_2015_OUTLINE = 2020  # 法治政府建设实施纲要（2015—2020年）; its successor runs 2021—2025
_SINCE = re.compile(r"(20\d{2})\s*年以来")


@dataclass
class Metadata:
    title: str | None
    title_lines: list[int]  # indexes into the normalised lines
    body: str | None
    year: int | None
    signed: str | None = None  # ISO date of the 落款, when the report ends with one
    signed_line: int | None = None  # its index into the normalised lines
    signature_lines: list[int] = field(default_factory=list)  # the 落款 block: the bodies' names and the date
    year_from: str = "title"  # what the year was read from: title | signature | plans | period | text

    shown_title: str | None = None  # the title as written (全角空格 kept), for display

    @property
    def outline(self) -> str | None:
        """The 纲要 in force for the report's year: 2015-2020 up to 2020, 2021-2025 from 2021."""
        if self.year is None:
            return None
        return "2015-2020" if self.year <= LAST_YEAR_OF_2015_OUTLINE else "2021-2025"

    @property
    def signature_start(self) -> int | None:
        """Index of the first line of the signature block: the report's text ends before it."""
        return self.signature_lines[0] if self.signature_lines else None


def _is_title_line(text: str) -> bool:
    return bool(_TITLE_CORE.search(text)) and len(text) <= 60 and not text.endswith("。")


def _wrapped_tail(text: str, lines: list[Line], i: int) -> str | None:
    """The short next line that ends a title wrapped over two lines (a PDF saved from Word: …年度报 / 告)."""
    if i + 1 >= len(lines) or _TITLE_END.search(text) or "报告" in text:
        return None
    tail = lines[i + 1].text
    if len(tail) > _WRAPPED_TAIL or _HEADING_START.match(tail) or re.search(r"[,。;:!?]", tail):
        return None
    return tail if _TITLE_END.search(text + tail) else None


def find_title(lines: list[Line]) -> tuple[str | None, list[int]]:
    for i, line in enumerate(lines[:_MAX_TITLE_SCAN]):
        text = line.text
        if _HEADING_START.match(text):
            break
        tail = _wrapped_tail(text, lines, i) if _is_title_line(text) else None
        if tail is not None:
            return text + tail, [i, i + 1]
        if _is_title_line(text) and (_TITLE_END.search(text) or "报告" in text):
            # A title may be split: "城口县左岚乡人民政府" / "2024年法治政府建设情况报告".
            if i > 0:
                prev = lines[i - 1].text
                if len(prev) <= 30 and not re.search(r"[,。;:!?]", prev) and not _TITLE_CORE.search(prev):
                    if text[:1].isdigit() or text.startswith("关于"):
                        return prev + text, [i - 1, i]
            return text, [i]
    return None, []


def find_body(title: str | None) -> str | None:
    if not title:
        return None
    head = _TITLE_CORE.split(title)[0]
    head = re.split(r"关于", head)[0] if "关于" in head else head
    head = re.sub(r"(20\d{2})\s*年度?|(上一|本)年度", " ", head)
    # A joint title may lose the space between its two bodies (PDF justification):
    # 中共某镇委员会某镇人民政府 is two names.
    head = re.sub(r"(委员会|党委|党工委)(?=\S*?(?:人民政府|政府|办事处))", r"\1 ", head)
    parts = [p for p in re.split(r"\s+", head) if p]
    parts = [re.sub(r"^中共", "", p) for p in parts]
    # 中共某县委员会 / 某镇党委 name a place's party committee: keep the place. A
    # 卫生健康委员会 or 发展和改革委员会 is a department and keeps its name.
    parts = [re.sub(r"(?<=[镇乡县区市州旗省道])(党委|委员会)$", "", p) for p in parts]
    parts = [p for p in parts if p]
    if not parts:
        return None
    if len(parts) > 1:
        # Joint reports (党委 + 政府) name one place twice: keep the first
        # name up to the end of what the names share (大柳镇委员会/大柳镇人民政府).
        common = _longest_common(parts[0], parts[1])
        if len(common) >= 2:
            return parts[0][: parts[0].index(common) + len(common)]
        return " ".join(parts)
    return parts[0]


def _longest_common(a: str, b: str) -> str:
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a : m.a + m.size]


def find_year(title: str | None, lines: list[Line]) -> int | None:
    if title:
        m = _YEAR.search(title) or re.search(r"(20\d{2})", title)
        if m:
            return int(m.group(1))
    for line in lines[:8]:
        m = _YEAR.search(line.text)
        if m:
            return int(m.group(1))
    return None


def parse_signed_date(text: str) -> str | None:
    """ISO date when the whole line is a signing date (optionally after a name)."""
    m = _SIGNED_LINE.match(text.strip())
    return date_of(m) if m else None


def find_signed(lines: list[Line], body_start: int = 0) -> tuple[str | None, int | None]:
    """The 落款 date among the last few lines; dates inside sentences do not count."""
    first = max(body_start, len(lines) - _SIGNED_SCAN)
    for i in range(len(lines) - 1, first - 1, -1):
        found = parse_signed_date(lines[i].text)
        if found:
            return found, i
    return None, None


def signature_block(lines: list[Line], signed_line: int | None, body_start: int = 0) -> list[int]:
    """The 落款: the lines naming the reporting bodies right above the signing date, and the date."""
    if signed_line is None:
        return []
    block = [signed_line]
    i = signed_line - 1
    while i >= body_start and len(block) <= _MAX_SIGNERS and _is_signer(lines[i].text):
        block.insert(0, i)
        i -= 1
    return block


def _is_signer(text: str) -> bool:
    return len(text) <= _MAX_SIGNER_CHARS and bool(_SIGNER_LINE.match(text))


def signers(lines: list[Line], block: list[int]) -> list[str]:
    """The bodies' names in the signature block (a name may share the date's line)."""
    names = []
    for i in block:
        text = lines[i].text
        if _is_signer(text):
            names.append(text)
        else:
            m = re.match(rf"^({_SIGNER})\s*\(?{WRITTEN_DATE}", text)
            if m:
                names.append(m.group(1))
    return names


def body_from_signature(names: list[str]) -> str | None:
    """The reporting body as the signature names it; a joint signature names one place twice."""
    return find_body(" ".join(names)) if names else None


def year_from_signed(signed: str) -> int:
    year, month = int(signed[:4]), int(signed[5:7])
    return year - 1 if month <= _SIGNED_NEXT_YEAR_UNTIL_MONTH else year


def year_from_plans(lines: list[Line], start: int, end: int) -> int | None:
    """The year before the one the plans are made for (2025年工作打算 -> 2024), read from the last such statement."""
    for line in reversed(lines[start:end]):
        m = _PLANS_YEAR.match(line.text) if len(line.text) <= 40 else None
        m = m or _PLANS_YEAR_SENTENCE.match(line.text)
        if m:
            return int(m.group(1)) - 1
    return None


def year_of_period(lines: list[Line], start: int) -> int | None:
    """The period the opening states: "2022年以来"."""
    for line in lines[start : start + 3]:
        m = _SINCE.search(line.text)
        if m:
            return int(m.group(1))
    return None


def year_of_achievements(lines: list[Line], start: int, end: int) -> int | None:
    """The year a part heading says the achievements are of (一、2025年推进法治政府建设的主要举措和成效)."""
    for line in lines[start:end]:
        m = _ACHIEVEMENTS_YEAR.match(line.text) if len(line.text) <= 40 else None
        if m:
            return int(m.group(1))
    return None


def untitled_year(lines: list[Line], body_start: int, signed: str | None, block: list[int]) -> tuple[int | None, str]:
    """The year of a report without a title, from its own statements: the
    signature date first, then the year its achievements heading names, then
    the year its plans are for, then the period its opening names; the first
    20xx年 of the text is often last year's ranking (2021年，我区在全市考核中
    名列第三) or last year's report sent this year, and is the last resort."""
    if signed:
        return year_from_signed(signed), "signature"
    end = block[0] if block else len(lines)
    found = year_of_achievements(lines, body_start, end)
    if found:
        return found, "heading"
    found = year_from_plans(lines, body_start, end)
    if found:
        return found, "plans"
    found = year_of_period(lines, body_start)
    if found:
        return found, "period"
    return find_year(None, lines), "text"


def extract_metadata(lines: list[Line]) -> Metadata:
    title, title_lines = find_title(lines)
    body_start = title_lines[-1] + 1 if title_lines else 0
    signed, signed_line = find_signed(lines, body_start)
    block = signature_block(lines, signed_line, body_start)
    if title and _YEAR_IN_TITLE.search(title):
        body, year, year_from = find_body(title), find_year(title, lines), "title"
    elif title:  # a title without its year: the text's own statements say which year it reports on
        body = find_body(title)
        year, year_from = untitled_year(lines, body_start, signed, block)
    else:
        body = body_from_signature(signers(lines, block))
        year, year_from = untitled_year(lines, body_start, signed, block)
    shown = "".join(_as_written(lines[i]) for i in title_lines) if title else None
    return Metadata(title=title, title_lines=title_lines, body=body, year=year, signed=signed, signed_line=signed_line,
                    signature_lines=block, year_from=year_from, shown_title=shown)


def _as_written(line: Line) -> str:
    span = line.raw_span(0, len(line.text)) if line.text else None
    return line.raw[span[0] : span[1]] if span else line.text
