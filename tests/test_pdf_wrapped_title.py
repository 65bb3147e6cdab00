"""A PDF saved from Word whose title wraps over two lines keeps its title, body and profile (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS
from pdf_build import cjk_pages

LINE_GAP, TOP, BOTTOM = 18, 760, 40


def _pdf(lines: list[str]) -> bytes:
    pages, current, y = [], [], TOP
    for line in lines:
        current.append((y, line))
        y -= LINE_GAP
        if y < BOTTOM:
            pages.append(current)
            current, y = [], TOP
    return cjk_pages([*pages, current] if current else pages)


def _one_line_titles():
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        if lines[0].endswith("报告"):
            yield seed, lines


@pytest.mark.parametrize("cut", [1, 2, 4])  # …报 / 告, …工作 / 报告, …建设 / 工作报告
@pytest.mark.parametrize("seed,lines", list(_one_line_titles()), ids=lambda v: v.name if isinstance(v, Path) else "")
def test_wrapped_title_reads_like_the_text_report(auditor, tmp_path, seed, lines, cut):
    title = lines[0]
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(_pdf([title[:-cut], title[-cut:], *lines[1:]]))
    text = auditor.audit_path(seed)
    wrapped = auditor.audit_path(pdf)
    assert wrapped.title is not None and wrapped.title.replace(" ", "") == text.title.replace(" ", "")
    assert wrapped.body == text.body
    assert wrapped.profile.name == text.profile.name
    assert (wrapped.score, wrapped.passed) == (text.score, text.passed)
    assert {(f.rule, f.status, f.severity) for f in wrapped.findings} == {(f.rule, f.status, f.severity) for f in text.findings}


def test_a_short_line_after_a_whole_title_stays_in_the_body(auditor, tmp_path):
    body = "全年制发规范性文件6件，均经合法性审核并报备案，规范性文件合法性审核率达到百分之百。"
    lines = ["某县2024年度法治政府建设情况", "县委", "一、主要举措和成效", *[body] * 8]
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(_pdf(lines))
    result = auditor.audit_path(pdf)
    assert result.title == lines[0]  # 县委 does not end a title, so it is not taken as the title's tail
