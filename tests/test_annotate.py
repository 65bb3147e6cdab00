"""Comments in the Word file: where they go, what they say, and that nothing else changes."""

from __future__ import annotations

import copy
import json
import re
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from annotate_build import (
    LINK_TEXT,
    PLACEHOLDER_SENTENCE,
    PLANS_SENTENCE,
    SLIP_HEADING,
    TABLE_PLACEHOLDER,
    TITLE,
    rich_report,
)
from command import fazhi_audit
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from fazhi_audit.annotate import (
    annotate_docx,
    annotate_path,
    default_target,
    text_to_docx,
)
from fazhi_audit.annotate.ranges import mark, range_nodes
from fazhi_audit.render.formatters._common import SEVERITY_LABEL, not_checked, problems
from fazhi_audit.text.ingest.docx_numbering import W
from fazhi_audit.text.ingest.docx_reader import paragraph_text, source_paragraphs
from fazhi_audit.engine.settings import AuditSettings

KEEP = AuditSettings(keep_document=True)  # comments are placed by the parsed document's line origins

# The parts an annotated copy may change; every other part must be byte-identical.
COMMENT_PARTS = {"docProps/core.xml", "word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}


# ---------------------------------------------------------------- helpers


def comments(path: Path) -> list[dict]:
    """Each comment of a .docx: id, author, text, the body paragraphs it touches and the text it covers."""
    document = docx.Document(str(path))
    texts = {c.comment_id: (c.author, "\n".join(p.text for p in c.paragraphs)) for c in document.comments}
    covered = {cid: "" for cid in texts}
    where: dict[int, set[int]] = {cid: set() for cid in texts}
    open_ids: set[int] = set()
    for index, p in enumerate(source_paragraphs(document)):
        for element in p.iter():
            if element.tag == qn("w:commentRangeStart"):
                open_ids.add(int(element.get(qn("w:id"))))
            elif element.tag == qn("w:commentRangeEnd"):
                open_ids.discard(int(element.get(qn("w:id"))))
            elif element.tag == qn("w:t"):
                for cid in open_ids:
                    covered[cid] += element.text or ""
                    where[cid].add(index)
    return [{"id": cid, "author": a, "text": t, "covers": covered[cid], "paragraphs": where[cid]} for cid, (a, t) in texts.items()]


def body_texts(path: Path) -> list[str]:
    return [paragraph_text(p) for p in source_paragraphs(docx.Document(str(path)))]


def every_visible_text(path: Path) -> list[str]:
    """python-docx's own view: body paragraphs, table cells, headers and footers."""
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        out += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return out


def char_formats(path: Path) -> list[list[tuple[str, bytes]]]:
    """Per body paragraph, each character of its plain runs with its run's formatting (w:rPr)."""
    from lxml import etree

    out = []
    for p in source_paragraphs(docx.Document(str(path))):
        chars = []
        for r in p.iter(f"{W}r"):
            props = r.find(f"{W}rPr")
            if props is not None and props.find(f"{W}rStyle") is not None and props.find(f"{W}rStyle").get(qn("w:val")) == "CommentReference":
                continue
            shown = etree.tostring(props) if props is not None else b""
            for t in r.iter(f"{W}t"):
                chars += [(ch, shown) for ch in t.text or ""]
        out.append(chars)
    return out


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def rich(tmp_path_factory, auditor):
    folder = tmp_path_factory.mktemp("annotate")
    source = rich_report(folder / "报告.docx", folder / "图.png")
    result = auditor.audit_path(source, KEEP)
    assert result.error is None
    target = folder / "报告-审查意见.docx"
    summary = annotate_docx(source, result, target, rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    return source, target, result, summary


def _covering(found: list[dict], finding) -> list[dict]:
    """The comments about a finding: comments name the rule by its title (rule ids are for the other formats)."""
    def about(text: str) -> bool:  # its first line, or a line of a comment joined with others on a crowded paragraph
        return any(line.startswith("【") and line.split("】", 1)[-1].startswith(finding.title) for line in text.splitlines())

    return [c for c in found if about(c["text"])]


def _same(a: str, b: str) -> bool:
    """Evidence is normalised (half-width punctuation); the document keeps what the clerk typed."""
    from fazhi_audit.text.ingest.normalize import normalize_line

    return normalize_line(a) == normalize_line(b)


def _finding(result, rule: str):
    return next(f for f in result.findings if f.rule == rule)


def _quoted(text: str) -> str:
    return text if len(text) <= 40 else text[:39]


# ---------------------------------------------------------------- nothing but comments changes


def test_every_paragraph_text_is_identical(rich):
    source, target, _, _ = rich
    assert body_texts(target) == body_texts(source)
    assert every_visible_text(target) == every_visible_text(source)


def test_every_other_part_is_byte_identical(rich):
    source, target, _, _ = rich
    before, after = parts(source), parts(target)
    assert set(before) <= set(after)
    assert set(after) - set(before) == {"word/comments.xml"}
    for name, data in before.items():
        if name not in COMMENT_PARTS:
            assert after[name] == data, f"{name} changed"
    # the things that must survive are really there to survive
    assert "word/numbering.xml" in before and any(n.startswith("word/media/") for n in before)
    assert any("header" in n for n in before) and any("footer" in n for n in before)


def test_split_runs_keep_their_formatting(rich):
    source, target, _, _ = rich
    assert char_formats(target) == char_formats(source)
    # and a run really was split: the placeholder sentence starts inside a run
    assert any(c["covers"] == PLACEHOLDER_SENTENCE for c in comments(target))


def test_automatic_numbering_still_reads_the_same(rich, auditor):
    source, target, _, _ = rich
    from fazhi_audit.text.ingest.docx_reader import read_docx

    assert read_docx(target.read_bytes()).text == read_docx(source.read_bytes()).text


# ---------------------------------------------------------------- where comments go


def test_each_problem_gets_one_comment_on_its_sentence_naming_the_others(rich, auditor):
    source, target, result, _ = rich
    present = {s.kind for s in result.sections}
    part_labels = {auditor.ruleset.vocab.label(kind) for kind in auditor.ruleset.vocab.canonical_order if kind not in present}
    found = comments(target)
    texts = body_texts(source)
    checked = 0
    for finding in problems(result):
        if not_checked(finding):
            continue
        mine = _covering(found, finding)
        assert len(mine) == 1, finding.rule  # never the same comment twice
        seen = sorted((i.evidence for i in finding.items if not i.found and i.evidence is not None and i.evidence.offsets), key=lambda ev: ev.line)
        met = [i.evidence for i in finding.items if i.found and i.evidence is not None and i.evidence.offsets]
        missing = [i for i in finding.items if not i.found and i.evidence is None]
        if any(i.name in part_labels for i in missing):
            continue  # a missing part: see test_missing_part_goes_after_the_heading_it_should_follow
        anchor = met[0] if missing and met else (seen[0] if seen else None)
        if anchor is None:
            continue
        expected = texts[anchor.paragraph][anchor.offsets[0] : anchor.offsets[1]]
        if LINK_TEXT in texts[anchor.paragraph]:
            assert mine[0]["covers"] in (texts[anchor.paragraph], expected)  # inside a hyperlink: the whole paragraph
        else:
            assert mine[0]["covers"] == expected, (finding.rule, expected)
        for ev in seen:
            assert _quoted(ev.text) in mine[0]["text"], (finding.rule, ev.text)
        checked += 1
    assert checked >= 4  # placeholder, link placeholder, numbering slip, plans-only steps


def test_kinds_of_anchor(rich):
    _, target, result, _ = rich
    found = comments(target)
    by_cover = {}
    for c in found:
        by_cover.setdefault(c["covers"], []).append(c["text"])
    placeholder, numbering, five = (_finding(result, rule) for rule in ("quality.placeholder", "structure.numbering", "decision.five-step"))
    # a placeholder, a numbering slip: the sentence itself
    assert any(t.split("\n")[0].endswith(placeholder.title) for t in by_cover[PLACEHOLDER_SENTENCE])
    assert any(t.split("\n")[0].endswith(numbering.title) for t in by_cover[SLIP_HEADING])
    # steps written only as plans are named, with why they do not count, in the one comment of the rule
    comment = _covering(found, five)[0]["text"]
    assert f"“{_quoted(PLANS_SENTENCE)}" in comment and "仅见于下一年度安排" in comment
    # a placeholder in a table cell: that cell's paragraph (the first placeholder's comment names it)
    assert TABLE_PLACEHOLDER in _covering(found, placeholder)[0]["text"] or any(TABLE_PLACEHOLDER in c for c in by_cover)


def test_missing_steps_go_on_the_sentence_with_the_steps_already_written(rich):
    _, target, result, _ = rich
    five = _finding(result, "decision.five-step")
    never_seen = [i.name for i in five.items if not i.found and i.evidence is None]
    met = [i.evidence for i in five.items if i.found and i.evidence is not None]
    assert never_seen and met
    mine = _covering(comments(target), five)
    assert len(mine) == 1 and mine[0]["covers"] and _same(mine[0]["covers"], met[0].text)
    assert f"报告中没有写到：{'、'.join(never_seen)}" in mine[0]["text"]


def test_missing_part_goes_after_the_heading_it_should_follow(rich, auditor):
    _, target, result, _ = rich
    vocab = auditor.ruleset.vocab
    required = _finding(result, "structure.required-sections")
    missing = [i.name for i in required.items if not i.found]
    assert missing == [vocab.label("first_responsible")]
    # 第一责任人 comes after 不足和原因 in the prescribed order; the report has that part
    previous = next(s.heading for s in result.sections if s.kind == "shortcomings")
    mine = _covering(comments(target), required)
    assert len(mine) == 1 and previous.endswith(mine[0]["covers"])
    assert "本部分之后" in mine[0]["text"]


def test_overall_comment_on_the_title(rich):
    _, target, result, summary = rich
    found = comments(target)
    overall = next(c for c in found if c["text"].startswith("fazhi-audit 审查意见"))
    assert overall["covers"] == TITLE
    assert f"得分 {result.score}" in overall["text"] and "不通过" in overall["text"]
    for reason in result.reasons:
        assert reason in overall["text"]
    shown = [f for f in problems(result) if not not_checked(f)]
    for level, label in SEVERITY_LABEL.items():
        assert f"{label} {sum(f.severity == level for f in shown)} 条" in overall["text"]
    assert summary.comments == len(found)


def test_every_problem_has_a_comment_in_the_clerks_words(rich):
    _, target, result, _ = rich
    found = comments(target)
    for finding in problems(result):
        if not_checked(finding):
            continue
        mine = _covering(found, finding)
        assert mine, finding.rule
        head = f"【{SEVERITY_LABEL[finding.severity]}】{finding.title}"
        text = mine[0]["text"]
        text = text[text.index(head) :].split("\n\n")[0]  # a comment joined with others on a crowded paragraph
        assert f"依据：{finding.basis}" in text and "修改建议：" in text and "问题：" in text
    for c in found:
        # no rule ids, no command-line options, no 2/4 or 不计入：XX shorthand
        assert not re.search(r"[a-z]+\.[a-z-]+", c["text"]), c["text"]
        assert "--" not in c["text"] and not re.search(r"\d+/\d+", c["text"]) and "不计入：" not in c["text"]
    assert {c["author"] for c in found} == {"fazhi-audit"}


def test_author_is_configurable(rich, tmp_path, auditor):
    source, _, result, _ = rich
    target = tmp_path / "out.docx"
    annotate_docx(source, result, target, author="县司法局", rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    assert {c["author"] for c in comments(target)} == {"县司法局"}


def test_comments_already_in_the_file_stay(tmp_path, auditor):
    source = rich_report(tmp_path / "有批注.docx", tmp_path / "图.png")
    document = docx.Document(str(source))
    document.add_comment(document.paragraphs[1].runs, text="起草人的批注", author="张三")
    document.save(source)
    result = auditor.audit_path(source, KEEP)
    target = tmp_path / "out.docx"
    annotate_docx(source, result, target, rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    found = comments(target)
    assert any(c["author"] == "张三" and c["text"] == "起草人的批注" for c in found)
    assert len({c["id"] for c in found}) == len(found)


def _two_sided():
    from fazhi_audit.model.result import Evidence, Finding, ItemResult, ReportResult, SectionInfo

    first = Evidence("全年受理行政复议案件12件。", 5, "achievements", 100.0, "12件", paragraph=4, offsets=(0, 14))
    second = Evidence("行政复议案件共15件。", 9, "achievements", 100.0, "15件", paragraph=8, offsets=(3, 13))
    finding = Finding("some.rule", "同一事项数字一致", "warning", "fail", "同一事项出现两个不同的数字", items=[ItemResult("第5行：12件", False, first, "与另一处数字不同"), ItemResult("第9行：15件", False, second, "与另一处数字不同")], fix="核对数字", basis="《某规定》")
    result = ReportResult("x.docx", score=80, sections=[SectionInfo("achievements", "一、主要举措和成效", 3)], findings=[finding])
    return first, second, result


def test_a_two_sided_finding_gets_one_comment_naming_both_statements(auditor):
    """A finding whose unmet items carry evidence (two contradicting figures, say) is marked once, at the first,
    and its comment quotes each statement -- by the finding's structure, whatever the rule."""
    from fazhi_audit.annotate.plan import Place, plan_comments

    first, second, result = _two_sided()
    planned = plan_comments(result, {}, auditor.ruleset.vocab, title_line=1)
    assert planned[0].place == Place(1) and planned[0].rule is None
    mine = [c for c in planned if c.rule == "some.rule"]
    assert [c.place for c in mine] == [Place.of(first)]
    assert f"“{first.text}”：与另一处数字不同" in mine[0].text and f"“{second.text}”：与另一处数字不同" in mine[0].text


def test_no_paragraph_carries_more_than_three_comments_most_severe_first(auditor):
    from fazhi_audit.annotate.plan import MAX_PER_PARAGRAPH, plan_comments
    from fazhi_audit.model.result import Finding, ReportResult, SectionInfo

    levels = ["info", "info", "warning", "info", "error", "warning"]
    findings = [Finding(f"r.{i}", f"规则{i}", level, "fail", f"问题{i}", line=7, fix="改", basis="《某规定》") for i, level in enumerate(levels)]
    result = ReportResult("x.docx", score=50, sections=[SectionInfo("achievements", "一、主要举措和成效", 3)], findings=findings)
    planned = [c for c in plan_comments(result, {}, auditor.ruleset.vocab, title_line=1) if c.rule]
    assert len(planned) == MAX_PER_PARAGRAPH
    assert planned[0].text.startswith("【错误】规则4") and planned[1].text.startswith("【警告】")
    joined = planned[-1].text
    assert joined.startswith("本段另有 4 条意见") and all(f"规则{i}" in joined for i in (0, 1, 3) if levels[i] == "info")
    every = "\n".join(c.text for c in planned)
    assert all(every.count(f"】规则{i}\n") == 1 for i in range(len(levels)))


def test_comments_on_one_sentence_read_most_severe_first(rich):
    """Word and LibreOffice list comments on the same words in the order of their references in the paragraph."""
    _, target, _, _ = rich
    document = docx.Document(str(target))
    labels = ("【错误】", "【警告】", "【提示】", "本段另有")  # the overall comment (-1) first, joined ones last
    level = {c.comment_id: next((rank for rank, label in enumerate(labels) if c.paragraphs[0].text.startswith(label)), -1) for c in document.comments}
    anchor = {(c["covers"], min(c["paragraphs"], default=-1)): [] for c in comments(target)}
    by_id = {c["id"]: (c["covers"], min(c["paragraphs"], default=-1)) for c in comments(target)}
    shared = 0
    for p in source_paragraphs(document):
        for cid in (int(e.get(qn("w:id"))) for e in p.iter(qn("w:commentReference"))):
            anchor[by_id[cid]].append(level[cid])
    for ranks in anchor.values():
        assert ranks == sorted(ranks), ranks
        shared += len(ranks) > 1
    assert shared  # the title carries the overall comment and at least one other


# ---------------------------------------------------------------- run splitting


def _paragraph(xml_runs: str):
    return parse_xml(f"<w:p {nsdecls('w')}><w:pPr/>{xml_runs}</w:p>")


RUNS = (
    '<w:r><w:rPr><w:b/></w:rPr><w:t>甲乙丙</w:t><w:tab/><w:t xml:space="preserve"> 丁</w:t></w:r>'
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
    "<w:r><w:t>戊己</w:t><w:lastRenderedPageBreak/><w:br/><w:t>庚</w:t></w:r>"
    '<w:r><w:rPr><w:i/></w:rPr><w:t>辛壬</w:t></w:r>'
)


def test_any_range_of_a_paragraph_can_be_marked_exactly():
    text = paragraph_text(_paragraph(RUNS))
    assert text == "甲乙丙\t 丁戊己\n庚辛壬"
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            p = _paragraph(RUNS)
            first, last = range_nodes(p, start, end)
            mark(first, last, 7)
            assert paragraph_text(p) == text, (start, end)
            assert len(p.findall(f".//{W}lastRenderedPageBreak")) == 1  # content is moved, never copied
            inside, covered = False, []
            holder = OxmlElement("w:p")
            for child in p.iterchildren():
                if child.tag == qn("w:commentRangeStart"):
                    inside = True
                elif child.tag == qn("w:commentRangeEnd"):
                    inside = False
                elif inside:
                    holder.append(copy.deepcopy(child))
            covered = paragraph_text(holder)
            assert covered == text[start:end], (start, end, covered)


def test_a_range_inside_a_field_or_link_is_refused():
    field = (
        "<w:r><w:t>前文</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:r><w:t>后文</w:t></w:r>"
    )
    p = _paragraph(field)
    assert paragraph_text(p) == "前文12后文"
    assert range_nodes(p, 1, 3) is None  # ends inside the field's result
    assert range_nodes(p, 0, 2) is not None
    link = _paragraph('<w:r><w:t>看</w:t></w:r><w:hyperlink><w:r><w:t>这里的链接</w:t></w:r></w:hyperlink>')
    assert range_nodes(link, 2, 4) is None
    assert paragraph_text(link) == "看这里的链接"


# ---------------------------------------------------------------- other inputs


def test_text_input_becomes_a_new_word_file(tmp_path, auditor):
    from reports import MISSING_PARTS

    source = tmp_path / "报告.txt"
    source.write_text(MISSING_PARTS + "全年开展普法活动XX次。\n", encoding="utf-8")
    result = auditor.audit_path(source, KEEP)
    target = default_target(source)
    summary = annotate_path(source, result, target, rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    assert summary.generated and target.name == "报告-审查意见.docx"
    document = docx.Document(str(target))
    written = [(p.text, p.style.name) for p in document.paragraphs]
    lines = [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [t for t, _ in written] == lines
    for section in result.sections:
        assert (section.heading, "Heading 1") in written
    found = comments(target)
    placeholder = next(f for f in result.findings if f.rule == "quality.placeholder")
    assert any(c in _covering(found, placeholder) and c["covers"] == "全年开展普法活动XX次。" for c in found)
    assert "不是 Word 文件" in found[0]["text"]


def test_text_to_docx_refuses_to_overwrite_its_input(tmp_path, auditor):
    from reports import FIVE_PARTS as GOOD

    from fazhi_audit.base.errors import UsageError

    source = tmp_path / "good.txt"
    source.write_text(GOOD, encoding="utf-8")
    result = auditor.audit_path(source, KEEP)
    with pytest.raises(UsageError):
        text_to_docx(source, result, source, rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    assert source.read_text(encoding="utf-8") == GOOD


# ---------------------------------------------------------------- command line


def test_cli_annotate_writes_next_to_the_report(tmp_path):
    rich_report(tmp_path / "报告.docx", tmp_path / "图.png")
    done = fazhi_audit("annotate", "报告.docx", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the report fails, as `check` would say
    assert (tmp_path / "报告-审查意见.docx").exists()
    assert done.stdout.strip().startswith("已写入批注文件 报告-审查意见.docx")
    refused = fazhi_audit("annotate", "报告.docx", "-o", "报告.docx", cwd=tmp_path)
    assert refused.returncode == 2 and "覆盖" in refused.stderr and "Traceback" not in refused.stderr


def test_cli_check_annotate_folder(tmp_path):
    from reports import FIVE_PARTS as GOOD

    inputs = tmp_path / "收件"
    inputs.mkdir()
    rich_report(inputs / "甲镇.docx", tmp_path / "图.png")
    (inputs / "乙局.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "空.txt").write_text("", encoding="utf-8")
    done = fazhi_audit("check", "收件", "--annotate", "意见", "--format", "json", cwd=tmp_path)
    assert done.returncode == 3, done.stderr  # one input unreadable
    json.loads(done.stdout)  # the lines about written files stay off a machine format's stdout
    written = sorted(p.name for p in (tmp_path / "意见").iterdir())
    assert written == ["乙局-审查意见.docx", "甲镇-审查意见.docx"]
    assert done.stderr.count("已写入批注文件") == 2 and "不是 Word 文件" in done.stderr
    assert "空.txt" in done.stderr
