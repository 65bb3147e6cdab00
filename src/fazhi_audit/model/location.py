"""Where a piece of evidence is, worded the way a reader of the original finds it.

A line number helps in a text file and in an editor; in Word, the paragraph
under its part and sub-heading is what one can find (Word does not number
lines, and a table row is not a line); a saved web page is read by paragraph
(its extracted blocks); a PDF by page. JSON keeps the raw numbers (line,
page, paragraph) beside this text.
"""

from __future__ import annotations

PART_LABELS = {
    "achievements": "主要举措和成效",
    "shortcomings": "不足和原因",
    "first_responsible": "第一责任人履职",
    "plans": "下一年度安排",
    "other": "其他情况",
    "extra": "其他部分",
    "preamble": "导语",
    "title": "标题",
    "signature": "落款",
}


def location_text(ev, source_format: str = "txt") -> str:
    """Where the Evidence `ev` is: `第12行·主要举措和成效` (text), `主要举措和成效 › （二）… · 第8段` (.docx),
    `第8段·…` (.html), `第2页·…` (.pdf)."""
    part = PART_LABELS.get(ev.section, ev.section)
    if source_format == "docx":
        where = f"第{ev.paragraph + 1}段" if ev.paragraph is not None else f"第{ev.line}段"
        trail = " › ".join(p for p in (part, ev.heading) if p)
        return f"{trail} · {where}" if trail else where
    if source_format == "html":
        return f"第{ev.line}段·{part}"
    if source_format == "pdf":
        return f"{ev.page}·{part}" if ev.page else f"第{ev.line}行·{part}"
    return f"第{ev.line}行" + (f"（{ev.page}）" if ev.page else "") + f"·{part}"
