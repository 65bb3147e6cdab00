"""Untrusted files II: invisible text, hollow reports, size limits, linear cost.

Reports come from other offices. None of them may raise its score with text
a reader cannot see, pass while saying nothing, or stop the batch by being
huge, a zip bomb or a shape that makes a check superlinear. Every fixture is
built here, in tmp_path (no real malware is committed); the batch attacks
run the real CLI in a wrapper that measures its wall time and peak memory.
"""

import io
import json
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from command import fazhi_audit
from conftest import SEEDS
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

from fazhi_audit.base.errors import InputError, UsageError
from fazhi_audit.base.limits import MB, Limits, parse_size
from fazhi_audit.text.ingest.readers import read_stream

GOOD = sorted(SEEDS.glob("*.txt"))[0]
HIDDEN_NOTE = "已忽略隐藏文字"
TITLE = "某县2024年法治政府建设年度报告"
# A hollow report: every part is there, none says anything that counts.
HOLLOW = [
    TITLE,
    "一、主要举措和成效",
    "今年我县继续推进法治政府建设，各项工作有序开展。",
    "二、存在的不足和原因",
    "个别工作还有差距。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "主要负责人高度重视。",
    "四、2025年工作安排",
    "继续努力。",
]
PAD = (
    "重大行政决策严格履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。"
    "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。"
    "主要负责人亲自部署、亲自过问、亲自协调、亲自督办，带头述法，坚持领导干部学法。"
    "聘请法律顾问，规范性文件全部经过合法性审核并报送备案。"
    "依法办理行政复议和行政应诉案件，做好矛盾纠纷化解，落实谁执法谁普法，推进政务公开。"
)
PADDED_LINE = 2  # the pad goes into the achievements paragraph


# --- invisible text does not count --------------------------------------------

def _html(style: str, pad_html: str) -> bytes:
    paragraphs = "".join(f"<p>{line}{pad_html if i == PADDED_LINE else ''}</p>" for i, line in enumerate(HOLLOW))
    return (
        f"<html><head><meta charset='utf-8'><title>{TITLE}</title><style>{style}</style></head>"
        f"<body><div class='nav'><a href='/'>首页</a></div><div class='article-content'>{paragraphs}</div></body></html>"
    ).encode("utf-8")


HTML_WAYS = {
    "hidden 属性": ("", f"<span hidden>{PAD}</span>"),
    "class 规则 display:none": (".seo { display: none }", f"<span class='seo'>{PAD}</span>"),
    "id 规则 visibility:hidden": ("div #k { visibility : hidden !important }", f"<span id='k'>{PAD}</span>"),
    "字号为 0": ("", f"<span style='font-size:0'>{PAD}</span>"),
    "字号为 0（font 简写）": (".z { font: 0/0 a }", f"<span class='z'>{PAD}</span>"),
    "白字白底（样式规则）": ("body { background: #fff } .w { color: rgb(255, 255, 255) }", f"<span class='w'>{PAD}</span>"),
    "与背景同色（深色）": ("", f"<span style='background-color:#003366;color:#003366'>{PAD}</span>"),
    "<font color> 白字": ("", f"<font color='#FFFFFF'>{PAD}</font>"),
}


def _docx(pad) -> bytes:
    document = docx.Document()
    for i, line in enumerate(HOLLOW):
        paragraph = document.add_paragraph(line)
        if i == PADDED_LINE and pad is not None:
            pad(document, paragraph.add_run(PAD))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _hidden_style(document, run):
    style = document.styles.add_style("SeoHidden", 2)  # a character style that hides
    style.font.hidden = True
    run.style = style


WORD_WAYS = {
    "隐藏文字 w:vanish": lambda document, run: setattr(run.font, "hidden", True),
    "白字（无底色）": lambda document, run: setattr(run.font.color, "rgb", RGBColor(0xFF, 0xFF, 0xFF)),
    "1 磅字": lambda document, run: setattr(run.font, "size", Pt(1)),
    "黄字黄色突出显示": lambda document, run: (setattr(run.font.color, "rgb", RGBColor(0xFF, 0xFF, 0x00)), setattr(run.font, "highlight_color", WD_COLOR_INDEX.YELLOW)),
    "隐藏的字符样式": _hidden_style,
}


def _audit(auditor, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    result = auditor.audit_path(path)
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="module")
def hollow_scores(auditor, tmp_path_factory):
    """The hollow report's score without padding, and with the pad visible (proof that the pad matters)."""
    folder = tmp_path_factory.mktemp("hollow")
    html = _audit(auditor, folder, "plain.html", _html("", ""))
    seen_html = _audit(auditor, folder, "seen.html", _html("", f"<span>{PAD}</span>"))
    word = _audit(auditor, folder, "plain.docx", _docx(None))
    seen_word = _audit(auditor, folder, "seen.docx", _docx(lambda document, run: None))
    assert seen_html.score > html.score + 20 and seen_word.score > word.score + 20  # visible keywords do count
    assert not any(HIDDEN_NOTE in w for w in html.warnings + word.warnings)
    return {"html": html.score, "docx": word.score}


@pytest.mark.parametrize("way", HTML_WAYS)
def test_hidden_html_text_does_not_count(way, auditor, tmp_path, hollow_scores):
    style, pad = HTML_WAYS[way]
    result = _audit(auditor, tmp_path, "padded.html", _html(style, pad))
    assert result.score == hollow_scores["html"]
    note = next(w for w in result.warnings if HIDDEN_NOTE in w)
    assert "1 处" in note and f"共 {len(PAD)} 字" in note and "\n" not in note
    assert "公众参与" not in "\n".join(text for _, _, text in result.text_lines)


@pytest.mark.parametrize("way", WORD_WAYS)
def test_hidden_word_runs_do_not_count(way, auditor, tmp_path, hollow_scores):
    result = _audit(auditor, tmp_path, "padded.docx", _docx(WORD_WAYS[way]))
    assert result.score == hollow_scores["docx"]
    note = next(w for w in result.warnings if HIDDEN_NOTE in w)
    assert f"共 {len(PAD)} 字" in note and "\n" not in note


def test_visible_text_on_a_dark_background_still_counts(auditor, tmp_path, hollow_scores):
    # white on a dark cell, yellow highlight under black text: both show, both count
    def white_on_dark(document, run):
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        run._r.get_or_add_rPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="1F3864"/>'))

    result = _audit(auditor, tmp_path, "dark.docx", _docx(white_on_dark))
    assert result.score > hollow_scores["docx"] + 20
    assert not any(HIDDEN_NOTE in w for w in result.warnings)
    page = _audit(auditor, tmp_path, "dark.html", _html("", f"<span style='background:#000 url(x.png);color:#fff'>{PAD}</span>"))
    assert page.score > hollow_scores["html"] + 20


def test_hidden_menus_outside_the_report_are_not_worth_a_warning(auditor, tmp_path):
    page = _html(".sub { display: none }", "").replace(b"<a href='/'>", b"<ul class='sub'><li>\xe5\xad\x90\xe8\x8f\x9c\xe5\x8d\x95</li></ul><a href='/'>")
    result = _audit(auditor, tmp_path, "menu.html", page)
    assert not any(HIDDEN_NOTE in w for w in result.warnings)


# --- the batch attacks, through the real CLI -----------------------------------

MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True)
wall = time.perf_counter() - t
sys.stdout.buffer.write(proc.stdout)
sys.stderr.buffer.write(proc.stderr)
sys.stderr.write("\\nMEASURED %.3f %d\\n" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(proc.returncode)
"""


def run_cli(cwd: Path, *args: str, timeout: float = 300):
    """(exit code, parsed JSON, stderr, wall seconds, peak MB of the fazhi-audit process)."""
    # a process of its own, started through MEASURE: its time and memory are what is measured
    done = fazhi_audit("check", *args, "--format", "json", cwd=cwd, timeout=timeout, process=True, prefix=(sys.executable, "-c", MEASURE))
    body, _, measured = done.stderr.rpartition("MEASURED ")
    wall, peak_kb = measured.split()
    return done.returncode, json.loads(done.stdout), body, float(wall), int(peak_kb) / 1024


def rows(outcome) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in outcome[1]["reports"]}


def _zip(path: Path, entries) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries:
            package.writestr(name, data)
    return path


def _pdf(path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


# Built with --max-bytes 1MB: files 1 MB or less, text up to 512 Ki characters,
# .docx contents up to 10 MB unpacked, PDFs up to 104 pages.
LIMIT_ATTACKS = {
    "big.txt": ("文件过大", lambda p: p.write_bytes((TITLE + "\n").encode() + b"x" * (3 * MB // 2))),
    "entries.docx": ("个文件（上限 2,000）", lambda p: _zip(p, [(f"word/media/{i}.xml", b"<a/>") for i in range(2_001)])),
    "unpacked.docx": ("解压后达", lambda p: _zip(p, [(f"word/part{i}.xml", bytes(MB)) for i in range(30)])),
    "ratio.docx": ("压缩比异常", lambda p: _zip(p, [("word/document.xml", bytes(8 * MB))])),
    "chars.txt": ("提取出的文字过多", lambda p: p.write_text(TITLE + "\n" + "Rule of law. " * 46_000, encoding="utf-8")),
    "pages.pdf": ("PDF 页数过多", lambda p: _pdf(p, 150)),
}


@pytest.fixture(scope="module")
def limit_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits")
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    for name, (_, build) in LIMIT_ATTACKS.items():
        build(folder / name)
    return run_cli(folder, ".", "--jobs", "1", "--max-bytes", "1MB")


@pytest.mark.slow  # a measured process
@pytest.mark.parametrize("name", LIMIT_ATTACKS)
def test_an_input_over_a_limit_is_an_error_row(name, limit_batch):
    code, _, _, wall, peak = limit_batch
    row = rows(limit_batch)[name]
    assert code == 3
    assert LIMIT_ATTACKS[name][0] in row["error"] and "\n" not in row["error"], row["error"]
    assert "good.txt" in rows(limit_batch) and rows(limit_batch)["good.txt"].get("error") is None  # the batch went on
    assert wall < 90 and peak < 1_000, (wall, peak)  # the model is ~400 MB; nothing was unpacked


def test_a_bigger_limit_lets_the_large_file_through(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("\n".join(HOLLOW) + "\n" + "Rule of law. " * 46_000, encoding="utf-8")
    code, out, _ = fazhi_audit("check", "big.txt", "--max-bytes", "5MB", "--format", "json", cwd=tmp_path)
    data = json.loads(out)
    assert data["reports"][0].get("error") is None and code in (0, 1)


def test_limits_scale_with_max_bytes_and_sizes_parse():
    assert Limits() == Limits.scaled(20 * MB)
    small = Limits.scaled(MB)
    assert (small.max_chars, small.docx_unpacked, small.pdf_pages) == (MB // 2, 10 * MB, MB // 10_000)
    assert parse_size("20MB") == 20 * MB and parse_size("500k") == 500 * 1024 and parse_size("1024") == 1024
    for bad in ("abc", "0", "-1MB", "20 TB"):
        with pytest.raises(UsageError):
            parse_size(bad)


def test_standard_input_is_read_no_further_than_the_limit():
    class Endless(io.RawIOBase):
        read_calls = 0

        def read(self, n=-1):
            assert n != -1, "stdin must be read with a limit"
            Endless.read_calls += 1
            return b"a" * n

    with pytest.raises(InputError, match="输入过大"):
        read_stream(Endless(), ".txt", Limits.scaled(1024))


def test_max_bytes_in_a_config_file(tmp_path):
    (tmp_path / "fazhi-audit.toml").write_text('max-bytes = "1KB"\n', encoding="utf-8")
    (tmp_path / "r.txt").write_bytes(GOOD.read_bytes())
    code, out, _ = fazhi_audit("check", "r.txt", "--format", "json", cwd=tmp_path)
    data = json.loads(out)
    assert code == 3 and "文件过大" in data["reports"][0]["error"]
    (tmp_path / "fazhi-audit.toml").write_text('max-bytes = "lots"\n', encoding="utf-8")
    proc = fazhi_audit("check", "r.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "max-bytes" in proc.stderr and proc.stderr.strip().count("\n") == 0


# --- hollow reports do not pass ---------------------------------------------------

@pytest.fixture(scope="module")
def hollow_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hollow-batch")
    (folder / "title-only.txt").write_text(TITLE + "\n", encoding="utf-8")
    headings = [line for line in HOLLOW if line == TITLE or line[:2] in ("一、", "二、", "三、", "四、")]
    (folder / "headings-only.txt").write_text("\n".join(headings + ["（一）加强组织领导", "某县人民政府", "2025年1月10日"]) + "\n", encoding="utf-8")
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    return run_cli(folder, ".", "--jobs", "1")


@pytest.mark.slow  # a measured process
@pytest.mark.parametrize("name, what", [("title-only.txt", "只有标题，没有内容"), ("headings-only.txt", "只有各级标题")])
def test_a_hollow_report_fails_with_its_reason(name, what, hollow_batch):
    code, _, _, wall, peak = hollow_batch
    row = rows(hollow_batch)[name]
    assert code == 1 and row.get("error") is None
    assert row["passed"] is False
    body = next(f for f in row["findings"] if f["rule"] == "structure.body")
    assert body["status"] == "fail" and body["severity"] == "error" and what in body["message"] and "\n" not in body["message"]
    assert rows(hollow_batch)["good.txt"].get("error") is None  # the batch went on
    assert wall < 90 and peak < 1_000


def test_title_only_file_is_checked_not_an_internal_error(tmp_path):
    # the pre-stop hook's own check, as a user types it
    (tmp_path / "t.txt").write_text(TITLE + "\n", encoding="utf-8")
    proc = fazhi_audit("check", "t.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert "内部错误" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
    assert "正文为空" in proc.stdout


# --- shapes that used to be superlinear finish in bounded time ---------------------

def _sections() -> str:
    return TITLE + "\n一、主要举措和成效\n严格落实合法性审查，全年审查合同12件。\n" + "二、存在的不足\n个别干部法治意识不强。\n" * 800


def _seed_body() -> str:
    """The text of every seed report, run together without line breaks."""
    return "".join("".join(path.read_text(encoding="utf-8").split()) for path in sorted(SEEDS.glob("*.txt")))


def _levels_docx(path: Path, levels: int = 10_000, paragraphs: int = 2_000) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvl = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>' for i in range(levels))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="5">{lvl}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="5"><w:abstractNumId w:val="5"/></w:num>'))
    document.add_paragraph(TITLE)
    for i in range(paragraphs):
        p = document.add_paragraph("严格落实合法性审查，全年审查合同12件。")
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{i % 9}"/><w:numId w:val="5"/></w:numPr>'))
    document.save(str(path))


SHAPES = {
    "sections.txt": lambda p: p.write_text(_sections(), encoding="utf-8"),
    "stars.txt": lambda p: p.write_text(TITLE + "\n一、主要举措和成效\n全年召开会议" + "*" * MB + "。\n", encoding="utf-8"),
    "levels.docx": _levels_docx,
    "long-line.txt": lambda p: p.write_text(TITLE + "\n" + _seed_body() * 15 + "\n", encoding="utf-8"),  # about 1 MB on one line
    "headings.txt": lambda p: p.write_text(TITLE + "\n" + "".join("一、主要举措和成效\n" + "".join(f"（{c}）加强组织领导\n" for c in "一二三四五六七八九十") for _ in range(500)), encoding="utf-8"),
    "inline-items.txt": lambda p: p.write_text(TITLE + "\n一、主要举措和成效\n" + "其中一是加强领导；" * 5_000 + "三是完善制度。" * 5_000 + "\n", encoding="utf-8"),
}


@pytest.fixture(scope="module")
def shapes_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shapes")
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    for name, build in SHAPES.items():
        build(folder / name)
    started = time.perf_counter()
    outcome = run_cli(folder, ".", "--jobs", "1", "--timeout", "30")
    return (*outcome, time.perf_counter() - started)


@pytest.mark.slow  # a measured process
@pytest.mark.parametrize("name", SHAPES)
def test_pathological_shape_finishes_in_bounded_time(name, shapes_batch):
    code, _, _, wall, peak, _ = shapes_batch
    row = rows(shapes_batch)[name]
    assert row.get("error") is None, row.get("error")  # a timeout (30 s) would be an error row
    assert code == 1  # reports fail their rules; nothing is unreadable
    assert rows(shapes_batch)["good.txt"].get("error") is None
    assert wall < 150 and peak < 1_200, (wall, peak)
