"""Files and requests from senders one does not trust, round two (issue 23).

Seventeen attacks that broke the first defences, each with a fixture built
here (nothing hostile is committed): a .docx that parses into millions of
elements, hidden text the old filter did not know, the annotator and -o
overwriting what is not theirs, the web page's memory, fairness and slow
connections, rule regexes that backtrack, a folder nested 1,000 deep, a
SIGTERM swallowed while the output closes, newlines in file names, links
named by a shell glob, paths longer than the system allows, workbooks that
differ between identical runs and a --max-bytes larger than memory.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import signal
import socket
import stat
import sys
import threading
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from conftest import SEEDS
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from test_hostile_inputs import (
    HIDDEN_NOTE,
    HOLLOW,
    PAD,
    PADDED_LINE,
    _audit,
    _docx,
    _html,
)

from fazhi_audit.base import interrupt
from fazhi_audit.base.errors import InputError, UsageError
from fazhi_audit.base.files import write_atomic
from fazhi_audit.base.limits import MB, Limits
from fazhi_audit.base.paths import line_path
from fazhi_audit.engine.discovery import MAX_DEPTH, discover
from fazhi_audit.rules.regex_safety import safe_compile
from fazhi_audit.text.ingest.guards import check_package_xml
from fazhi_audit.text.ingest.readers import read_bytes, read_path, read_stream
from command import fazhi_audit

GOOD = sorted(SEEDS.glob("*.txt"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def cli(cwd, *args, timeout=180):
    """The command in this process (tests/command.py): the same arguments, exit code and streams."""
    done = fazhi_audit(*args, cwd=cwd, env={"COLUMNS": "250"}, timeout=timeout)
    assert "Exception ignored" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def copy_report(path: Path, source: Path = GOOD[0]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(source.read_bytes())
    return path


def report_docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_body(xml_body: bytes, lines: list[str] = HOLLOW[:1]) -> bytes:
    """A real .docx whose document.xml body is replaced by `xml_body` (after the given paragraphs)."""
    with zipfile.ZipFile(io.BytesIO(report_docx(lines))) as source:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    data = data.replace(b"<w:sectPr", xml_body + b"<w:sectPr", 1)
                target.writestr(info.filename, data)
    return out.getvalue()


# ---------------------------------------------------------------- 1. a .docx that parses into millions of elements

SMALL = replace(Limits.scaled(1 * MB), max_chars=150_000)  # limits scale with --max-bytes: small ones keep the fixtures small


@pytest.mark.parametrize(
    ("body", "word"),
    [
        (b"<w:p/>" * 60_000, "段落"),  # empty paragraphs: the 195 MB attack in miniature
        (b"<w:p>" + b"<w:r/>" * 60_000 + b"</w:p>", "XML 元素"),  # the same with any other element
        (b"<w:p><w:r><w:t>" + "法治".encode() * 100_000 + b"</w:t></w:r></w:p>", "文字"),
    ],
    ids=["paragraphs", "elements", "characters"],
)
def test_docx_work_is_bounded_while_its_xml_streams(body, word):
    data = with_body(body)
    assert len(data) < SMALL.max_bytes  # inside the file size limit and the zip limits
    with pytest.raises(InputError) as refused:
        read_bytes(data, ".docx", SMALL)
    message = str(refused.value)
    assert word in message and "\n" not in message and "--max-bytes" in message


def test_byte_bounds_only_spare_the_exact_count_never_decide():
    """Counting "<" bytes bounds what expat counts: a package near a limit is still counted exactly."""
    near = with_body(b"<w:p/>" * 4_000)  # bounds over the paragraph limit, exact count under it
    read_bytes(near, ".docx", replace(SMALL, docx_paragraphs=4_100))
    with pytest.raises(InputError, match="段落"):
        read_bytes(near, ".docx", replace(SMALL, docx_paragraphs=3_900))
    # A UTF-16 part hides its "<" bytes from the bounds: it is always counted exactly.
    xml = '<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="x"><w:body>' + "<w:p/>" * 5_000 + "</w:body></w:document>"
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("word/document.xml", xml.encode("utf-16"))
    with pytest.raises(InputError, match="段落"):
        check_package_xml(package.getvalue(), replace(SMALL, docx_paragraphs=4_000))


def test_limits_that_count_the_xml_scale_with_max_bytes():
    assert Limits().docx_paragraphs > 50_000 and Limits().docx_elements > 500_000
    assert Limits.scaled(200 * MB).docx_paragraphs == 200 * MB // 200 > 9 * Limits().docx_paragraphs


def test_a_real_report_is_well_inside_the_counts():
    lines = [line for line in GOOD[0].read_text(encoding="utf-8").splitlines() if line.strip()]
    raw = read_bytes(report_docx(lines * 20), ".docx", Limits())
    assert raw.text.count("\n") + 1 >= len(lines) * 20 - 1


def test_entities_in_a_docx_are_never_expanded():
    laughs = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">' % ((i,) + (i - 1,) * 10) for i in range(1, 10))
    with zipfile.ZipFile(io.BytesIO(report_docx(HOLLOW))) as source:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    declaration, _, rest = data.partition(b"?>")
                    data = declaration + b'?><!DOCTYPE d [<!ENTITY l0 "lol">' + laughs + b"]>" + rest.replace(b"</w:t>", b"&l9;</w:t>", 1)
                target.writestr(info.filename, data)
    started = time.monotonic()
    try:
        raw = read_bytes(out.getvalue(), ".docx", Limits())
        assert "lol" * 100 not in raw.text
    except InputError:
        pass  # refused as malformed: just as good
    assert time.monotonic() - started < 30


def test_cli_batch_with_a_paragraph_bomb_checks_the_rest(tmp_path):
    inbox = tmp_path / "inbox"
    for i, seed in enumerate(GOOD[:2]):
        copy_report(inbox / f"good{i}.txt", seed)
    (inbox / "bomb.docx").write_bytes(with_body(b"<w:p/>" * 60_000))
    code, out, err = cli(tmp_path, "check", "inbox", "--max-bytes", "1MB", "--format", "json", "--jobs", "1")
    assert code == 3, err
    reports = {r["path"]: r for r in json.loads(out)["reports"]}
    assert "段落" in reports["inbox/bomb.docx"]["error"]
    assert all(reports[f"inbox/good{i}.txt"].get("error") is None for i in range(2))


def _grow_then_report(megabytes: int) -> int:
    from fazhi_audit.engine.retire import retire_if_grown

    ballast = bytearray(megabytes * MB)  # touched below, so it is resident
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    retire_if_grown(ceiling=len(ballast) // 2)
    return os.getpid()


def _report_pid(_megabytes: int) -> int:
    from fazhi_audit.engine.retire import retire_if_grown

    retire_if_grown(ceiling=1 << 40)
    return os.getpid()


def test_a_worker_past_the_memory_ceiling_is_replaced_after_its_job():
    from pebble import ProcessPool

    with ProcessPool(max_workers=1) as pool:
        steady = [pool.schedule(_report_pid, args=(0,)).result(timeout=60) for _ in range(3)]
        grown = [pool.schedule(_grow_then_report, args=(64,)).result(timeout=60) for _ in range(3)]
        after = pool.schedule(_report_pid, args=(0,)).result(timeout=60)
    assert len(set(steady)) == 1  # under the ceiling a worker stays
    assert len(set(grown)) == 3 and after not in grown  # each grown worker finished its job, then was replaced


# ---------------------------------------------------------------- 2. hidden text: an allowlist, not a blocklist

HIDDEN_HTML = {
    "clip:rect(0 0 0 0)（读屏专用）": (".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}", f"<span class='sr-only'>{PAD}</span>"),
    "height:0;overflow:hidden": ("", f"<div style='height:0;overflow:hidden'>{PAD}</div>"),
    "max-height:0": (".c{max-height:0;overflow:hidden}", f"<div class='c'>{PAD}</div>"),
    "transform:scale(0)": ("", f"<span style='display:inline-block;transform:scale(0)'>{PAD}</span>"),
    "远处的负外边距": ("", f"<div style='margin-left:-10000px'>{PAD}</div>"),
    "position:fixed;top:200vh": ("", f"<div style='position:fixed;top:200vh'>{PAD}</div>"),
    "clip-path:inset(50%)": ("", f"<div style='clip-path:inset(50%)'>{PAD}</div>"),
    "filter:opacity(0)": ("", f"<div style='filter:opacity(0)'>{PAD}</div>"),
    "透明度为 0 的颜色": ("", f"<span style='color:rgba(0,0,0,0)'>{PAD}</span>"),
    "#RRGGBBAA 透明": ("", f"<span style='color:#00000000'>{PAD}</span>"),
    "var() 取值": (":root{--h:none} .v{display:var(--h)}", f"<div class='v'>{PAD}</div>"),
    "calc() 取值": ("", f"<span style='font-size:calc(0px + 0px)'>{PAD}</span>"),
    "content-visibility:hidden": ("", f"<div style='content-visibility:hidden'>{PAD}</div>"),
    "收起的 <details>": ("", f"<details><summary>详情</summary>{PAD}</details>"),
    ":nth-child 选择器": (".article-content p:nth-child(3) span{display:none}", f"<span>{PAD}</span>"),
    "属性选择器": ("[data-x='1']{visibility:hidden}", f"<span data-x='1'>{PAD}</span>"),
    ":not() 选择器": ("span:not(.shown){opacity:0}", f"<span>{PAD}</span>"),
    "兄弟选择器 ~": ("i ~ span{font-size:0}", f"<i></i><span>{PAD}</span>"),
    "兄弟选择器 +": ("b + span{color:transparent}", f"<b></b><span>{PAD}</span>"),
    "未知的属性（不知能否看见）": ("", f"<span style='-webkit-text-security:disc;zoom:0.01'>{PAD}</span>"),
}

VISIBLE_HTML = {
    "overflow:hidden 但有高度": ("", f"<div style='height:200px;overflow:hidden'>{PAD}</div>"),
    "height:0 但不裁剪": ("", f"<div style='height:0'>{PAD}</div>"),
    "灰度滤镜（哀悼日）": ("html{filter:grayscale(100%)}", f"<span>{PAD}</span>"),
    "展开的 <details>": ("", f"<details open><summary>详情</summary>{PAD}</details>"),
    "Word 另存的网页（mso- 属性）": ("", f"<span style='mso-bidi-font-size:16pt;font-family:仿宋;mso-hide:none'>{PAD}</span>"),
    "常见版式": (".a{margin:0 auto;padding:4px;line-height:1.8;text-indent:2em;width:100%;transition:all .3s}", f"<span class='a'>{PAD}</span>"),
    "半透明": ("", f"<span style='color:rgba(0,0,0,.85);opacity:.9'>{PAD}</span>"),
    "旋转": ("", f"<span style='display:inline-block;transform:rotate(0deg) scale(1)'>{PAD}</span>"),
}


@pytest.fixture(scope="module")
def hollow(auditor, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hollow2")
    scores = {
        "html": _audit(auditor, folder, "plain.html", _html("", "")).score,
        "docx": _audit(auditor, folder, "plain.docx", _docx(None)).score,
    }
    seen = _audit(auditor, folder, "seen.html", _html("", f"<span>{PAD}</span>"))
    assert seen.score > scores["html"] + 20  # the pad is worth points when it shows
    return scores


@pytest.mark.parametrize("way", HIDDEN_HTML)
def test_hidden_html_round_two(way, auditor, tmp_path, hollow):
    style, pad = HIDDEN_HTML[way]
    result = _audit(auditor, tmp_path, "padded.html", _html(style, pad))
    assert result.score == hollow["html"]
    note = next(w for w in result.warnings if HIDDEN_NOTE in w)
    assert f"共 {len(PAD)} 字" in note and "\n" not in note
    assert "公众参与" not in "\n".join(text for _, _, text in result.text_lines)


@pytest.mark.parametrize("way", VISIBLE_HTML)
def test_what_a_browser_shows_still_counts(way, auditor, tmp_path, hollow):
    style, pad = VISIBLE_HTML[way]
    result = _audit(auditor, tmp_path, "shown.html", _html(style, pad))
    assert result.score > hollow["html"] + 20
    assert not any(HIDDEN_NOTE in w for w in result.warnings)


def _rpr(xml: str):
    return lambda document, run: run._r.get_or_add_rPr().append(parse_xml(f"<w:{xml} {nsdecls('w')}/>"))


def _table_style_run(rpr_xml: str):
    """A table whose style hides or whitens its text; the pad is in its only cell."""

    def build() -> bytes:
        document = docx.Document()
        style = document.styles.add_style("SeoTable", WD_STYLE_TYPE.TABLE)
        style.element.append(parse_xml(f"<w:rPr {nsdecls('w')}>{rpr_xml}</w:rPr>"))
        for i, line in enumerate(HOLLOW):
            document.add_paragraph(line)
            if i == PADDED_LINE:
                table = document.add_table(rows=1, cols=1)
                table.style = style
                table.cell(0, 0).paragraphs[0].add_run(PAD)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return build


HIDDEN_WORD = {
    "字符缩放 1%（w:w）": lambda: _docx(_rpr('w w:val="1"')),
    "降低位置 1000 磅（w:position）": lambda: _docx(_rpr('position w:val="-2000"')),
    "1.5 磅字": lambda: _docx(_rpr('sz w:val="3"')),
    "表格样式隐藏文字": _table_style_run('<w:vanish/>'),
    "表格样式白字": _table_style_run('<w:color w:val="FFFFFF"/>'),
}
VISIBLE_WORD = {
    'w:vanish w:val="0"': lambda: _docx(_rpr('vanish w:val="0"')),
    "w:webHidden（仅网页视图隐藏）": lambda: _docx(_rpr("webHidden")),
    "w:specVanish": lambda: _docx(_rpr("specVanish")),
    "只为复杂文种设的字号（w:szCs）": lambda: _docx(_rpr('szCs w:val="2"')),
    "上标（位置 6 磅）": lambda: _docx(_rpr('position w:val="12"')),
    "表格样式（不隐藏）": _table_style_run('<w:b/>'),
}


@pytest.mark.parametrize("way", HIDDEN_WORD)
def test_hidden_word_round_two(way, auditor, tmp_path, hollow):
    result = _audit(auditor, tmp_path, "padded.docx", HIDDEN_WORD[way]())
    assert result.score == hollow["docx"]
    note = next(w for w in result.warnings if HIDDEN_NOTE in w)
    assert f"共 {len(PAD)} 字" in note


@pytest.mark.parametrize("way", VISIBLE_WORD)
def test_what_word_shows_still_counts(way, auditor, tmp_path, hollow):
    result = _audit(auditor, tmp_path, "shown.docx", VISIBLE_WORD[way]())
    assert result.score > hollow["docx"] + 20
    assert not any(HIDDEN_NOTE in w for w in result.warnings)


def test_a_sheet_of_many_rules_stays_linear():
    """20,000 rules matched by a real selector engine: an index keeps the work near the page's size."""
    rules = "".join(f".r{i} p:nth-child({i % 7 + 1}) span{{display:none}}" for i in range(20_000))
    page = _html(rules, f"<span>{PAD}</span>")
    started = time.monotonic()
    raw = read_bytes(page, ".html", Limits())
    assert "公众参与" in raw.text
    assert time.monotonic() - started < 60


# ---------------------------------------------------------------- 3. the annotator never replaces another office's file


def test_annotating_into_the_inbox_never_replaces_another_report(tmp_path):
    inbox = tmp_path / "d"
    inbox.mkdir()
    lines = [line for line in GOOD[0].read_text(encoding="utf-8").splitlines() if line.strip()]
    (inbox / "a.docx").write_bytes(report_docx(lines))
    theirs = report_docx([line.replace("2024", "2023") for line in lines])
    (inbox / "a-审查意见.docx").write_bytes(theirs)  # another office's report that happens to have this name
    code, out, err = cli(tmp_path, "check", "d", "--annotate", "d", "--jobs", "1", "-q")
    assert code in (0, 1), err
    assert (inbox / "a-审查意见.docx").read_bytes() == theirs
    written = inbox / "a-审查意见-2.docx"
    assert written.is_file() and f"{written.relative_to(tmp_path)}" in out


# ---------------------------------------------------------------- 4. -o writes only regular files or new paths


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device", "folder"])
def test_output_never_replaces_what_is_not_a_regular_file(kind, tmp_path):
    copy_report(tmp_path / "r.txt")
    target = tmp_path / "out.json"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "elsewhere.json").write_text("kept", encoding="utf-8")
        target.symlink_to(tmp_path / "elsewhere.json")
    elif kind == "device":  # a node of our own (as /dev/null, 1:3): the machine's /dev is shared with other runs
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            target = Path("/dev/null")
    else:
        target.mkdir()
    before = os.lstat(target)
    code, out, err = cli(tmp_path, "check", "r.txt", "-o", str(target), "--format", "json")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "不是普通文件" in err
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    if kind == "symlink":
        assert (tmp_path / "elsewhere.json").read_text(encoding="utf-8") == "kept"


def test_output_to_stdout_and_to_a_regular_file_still_work(tmp_path):
    copy_report(tmp_path / "r.txt")
    (tmp_path / "old.json").write_text("stale", encoding="utf-8")
    code, out, err = cli(tmp_path, "check", "r.txt", "-o", "-", "-o", "json=old.json", "--format", "json")
    assert code in (0, 1), err
    assert json.loads(out)["reports"] and json.loads((tmp_path / "old.json").read_text(encoding="utf-8"))["reports"]


def test_write_atomic_refuses_a_link_planted_while_it_wrote(tmp_path):
    target = tmp_path / "out.txt"

    def fill(stream):
        stream.write("x")
        target.symlink_to(tmp_path / "victim")

    with pytest.raises(UsageError):
        write_atomic(target, fill)
    assert target.is_symlink() and not (tmp_path / "victim").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left behind


# ---------------------------------------------------------------- 5, 6. the web page: memory, fairness, slow and malformed requests


@pytest.fixture
def web_app(tmp_path):
    from fazhi_audit.web import ServeSettings, create_app

    app = create_app(ServeSettings(workers=2, max_file_mb=1, max_files=5, max_total_mb=4, max_active=2, small_upload_mb=0.01))
    app.state.web.temp_root = tmp_path  # no lifespan: nothing here reaches an audit process
    return app


def _post(app, body: bytes, content_type: str):
    from starlette.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1:8765", raise_server_exceptions=False)
    return client.post("/api/check", content=body, headers={"content-type": content_type})


def test_a_full_server_answers_503_with_retry_after(web_app):
    web = web_app.state.web
    web.active = web.settings.active_limit  # every place taken
    response = _post(web_app, b"", "multipart/form-data; boundary=x")
    assert response.status_code == 503 and int(response.headers["retry-after"]) > 0
    assert "服务繁忙" in response.json()["error"]
    web.active = 0
    assert _post(web_app, b"--x--\r\n", "multipart/form-data; boundary=x").status_code == 400  # a place again: on to the body
    assert web.active == 0  # the place is given back


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--" + b"b" * 300 + b"\r\n", "multipart/form-data; boundary=" + "b" * 300),  # boundary over 256 characters
        (b"garbage without any boundary", "multipart/form-data; boundary=abc"),
        (b'--abc\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhello', "multipart/form-data; boundary=abc"),  # cut short
    ],
    ids=["long-boundary", "no-boundary-in-body", "truncated"],
)
def test_malformed_multipart_is_400_in_chinese(web_app, body, content_type, caplog):
    response = _post(web_app, body, content_type)
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json()["error"])
    assert "Traceback" not in caplog.text


def test_large_uploads_leave_a_worker_for_small_ones(tmp_path, web_app):
    web = web_app.state.web
    started: list[str] = []
    release = asyncio.Event()

    class Pool:
        async def call(self, _function, job_id, *_args, timeout=None):
            started.append(job_id)
            await release.wait()

    def folder(name: str, size: int) -> Path:
        path = tmp_path / name
        path.mkdir()
        (path / "r.txt").write_bytes(b"x" * size)
        return path

    async def scenario():
        web.pool = Pool()
        jobs = [("big1", 1 * MB), ("big2", 1 * MB), ("small", 1000)]
        tasks = [asyncio.create_task(web.audit(name, folder(name, size), ["r.txt"], {})) for name, size in jobs]
        deadline = time.monotonic() + 10
        while len(started) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # time for a third start, were it allowed
        waiting = [name for name, _ in jobs if name not in started]
        release.set()
        await asyncio.gather(*tasks)
        return waiting

    waiting = asyncio.run(scenario())
    # two workers: one for large uploads, one kept free; which large one measures its size first is up to the threads
    assert len(waiting) == 1 and waiting[0].startswith("big") and "small" in started


def test_an_upload_that_stalls_is_cut_off():
    from fazhi_audit.web.uploads import Limits as UploadLimits
    from fazhi_audit.web.uploads import UploadRefused, receive

    class Stalled:
        headers = {"content-type": "multipart/form-data; boundary=abc"}

        async def stream(self):
            yield b'--abc\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhel'
            await asyncio.sleep(3600)

    async def scenario(folder):
        return await receive(Stalled(), folder, UploadLimits(MB, 5, 4 * MB, idle_seconds=0.3, total_seconds=5))

    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        with pytest.raises(UploadRefused) as refused:
            asyncio.run(scenario(Path(folder)))
    assert refused.value.status == 408 and time.monotonic() - started < 5


def test_the_request_time_limit_bounds_the_audit():
    from fazhi_audit.web import ServeSettings

    settings = ServeSettings(timeout=60, request_seconds=120)
    assert settings.task_timeout(10) == 120 and settings.task_timeout(1) == 90


def test_connections_that_never_send_their_headers_are_closed():
    import uvicorn

    from fazhi_audit.web.connections import guarded_protocol

    async def app(scope, receive, send):
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, http=guarded_protocol(0.5), log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        idle, partial, polite = (socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(3))
        partial.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        polite.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert polite.recv(1024).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert idle.recv(1) == b"" and partial.recv(1) == b""  # closed by the server
        assert time.monotonic() - started < 5
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_request_cut_by_shutdown_gets_a_chinese_503_and_no_traceback(web_app, caplog):
    from fazhi_audit.web.app import CatchAll

    async def cancelled(scope, receive, send):
        raise asyncio.CancelledError

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    asyncio.run(CatchAll(cancelled, web_app.state.web)({"type": "http", "path": "/api/check", "method": "POST", "headers": []}, receive, send))
    assert sent[0]["status"] == 503
    assert "服务正在停止" in json.loads(sent[1]["body"])["error"]
    assert "Traceback" not in caplog.text


# ---------------------------------------------------------------- 7. rule regexes run in linear time

ATTACKS = [r"(?:ab|a(?:b))+x", r"\d*\d*\d*\d*\d*\d*x", r".*.*.*.*.*="]


@pytest.mark.parametrize("pattern", ATTACKS)
def test_backtracking_patterns_run_on_a_linear_engine(pattern):
    compiled = safe_compile(pattern)
    assert type(compiled).__name__ == "_Linear"
    for short in ("abx", "ab", "12x", "a=b", "111", "aab"):  # short enough for Python's engine to answer
        assert bool(compiled.search(short)) == bool(re.search(pattern, short))
    for attack in ("ab" * 32, "1" * 64, "a" * 64, "ab" * 50_000, "1" * 100_000):  # none holds x or =
        assert compiled.search(attack) is None


def test_re2_keeps_python_meanings():
    assert safe_compile(r"\w+局").search("由县公安局牵头，").group() == re.search(r"\w+局", "由县公安局牵头，").group() == "由县公安局"
    assert safe_compile("(?i)abc").search("xABC").span() == (1, 4)
    assert safe_compile(r"20\d{2}年").finditer("2023年和2024年").__next__().group() == "2023年"


@pytest.mark.parametrize("pattern", [r"(?<!x)(\d*)*y", r"(?<!x)a+b", r"(a)\1+"])
def test_what_re2_cannot_run_must_be_bounded(pattern):
    with pytest.raises(re.error) as refused:
        safe_compile(pattern)
    assert "RE2" in str(refused.value)


def test_bundled_lookaround_patterns_are_bounded():
    assert safe_compile(r"由[^,;。]{1,24}?(牵头|负责(?!人)|承办|组织实施)").search("由县司法局负责人牵头") is not None


def test_a_rule_file_with_the_attack_runs_fast_through_the_cli(tmp_path):
    import shutil

    root = Path(__file__).resolve().parents[1]
    rules = tmp_path / "rules"
    shutil.copytree(root / "rules", rules)
    path = rules / "quality.placeholder.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('  - "某某"\n', '  - "\\\\d*\\\\d*\\\\d*\\\\d*\\\\d*\\\\d*x"\n', 1), encoding="utf-8")
    (tmp_path / "r.txt").write_text(GOOD[0].read_text(encoding="utf-8") + "\n" + "1" * 5000 + "\n", encoding="utf-8")
    code, out, err = cli(tmp_path, "check", "r.txt", "--rules", "rules", "--timeout", "60", "--format", "json")
    assert code in (0, 1), err
    assert json.loads(out)["reports"][0].get("error") is None


# ---------------------------------------------------------------- 8, 11, 12. discovery: deep folders, links, long paths


def _nest(root: Path, depth: int) -> Path:
    path = root
    for _ in range(depth):
        path = path / "d"
        path.mkdir()
    return path


def _remove_tree(root: Path) -> None:
    """rmtree without recursion: shutil's recurses once a level and fails at 1,000 (so would pytest's cleanup)."""
    stack, folders = [str(root)], []
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


@pytest.fixture
def deep_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    for i, seed in enumerate(GOOD[:5]):
        copy_report(inbox / f"r{i}.txt", seed)
    copy_report(_nest(inbox, 1000) / "deep.txt")
    try:
        yield inbox
    finally:
        _remove_tree(inbox / "d")


def test_a_folder_nested_a_thousand_deep_is_one_error_row(tmp_path, deep_inbox):
    code, out, err = cli(tmp_path, "check", "inbox", "--format", "json", "--jobs", "1")
    assert code == 3, err
    reports = json.loads(out)["reports"]
    assert sum(1 for r in reports if r.get("error") is None) == 5
    (refused,) = [r for r in reports if r.get("error")]
    assert f"超过 {MAX_DEPTH} 层" in refused["error"]


def test_shell_glob_links_are_judged_like_the_walk(tmp_path):
    inbox = tmp_path / "inbox"
    copy_report(inbox / "good.txt")
    copy_report(tmp_path / "other-office" / "secret.txt", GOOD[1])
    (inbox / "planted.txt").symlink_to(tmp_path / "other-office" / "secret.txt")
    (inbox / "passwd.txt").symlink_to("/etc/passwd")
    (inbox / "dangling.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "inside.txt").symlink_to("good.txt")
    names = sorted(str(p.relative_to(tmp_path)) for p in inbox.iterdir())  # what `fazhi-audit check inbox/*` receives
    code, out, err = cli(tmp_path, "check", *names, "--format", "json", "--jobs", "1")
    assert code == 3, err  # the dangling link is an error row
    reports = {r["path"]: r for r in json.loads(out)["reports"]}
    assert set(reports) == {"inbox/good.txt", "inbox/inside.txt", "inbox/dangling.txt"}
    assert "失效的链接" in reports["inbox/dangling.txt"]["error"]
    line = next(line for line in err.splitlines() if "符号链接" in line)
    assert "planted.txt" in line and "passwd.txt" in line


def test_a_path_longer_than_the_system_allows_is_an_error_row(tmp_path):
    inbox = tmp_path / "inbox"
    copy_report(inbox / "good.txt")
    name = "长" * 80  # 240 bytes a level
    here = os.open(inbox, os.O_RDONLY)
    try:
        for _ in range(20):  # over 4,096 bytes in all, each step relative to the last
            os.mkdir(name, dir_fd=here)
            below = os.open(name, os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = below
        fd = os.open("r.txt", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=here)
        os.write(fd, GOOD[0].read_bytes())
        os.close(fd)
    finally:
        os.close(here)
    found = discover([str(inbox)])
    assert str(inbox / "good.txt") in found.files
    refused = {path: why for path, why in found.refused.items()}
    assert refused and all("路径过长" in why or "层级过深" in why for why in refused.values())


# ---------------------------------------------------------------- 9. SIGTERM while the output file is written


def test_a_sigterm_swallowed_while_the_file_closes_leaves_no_file(tmp_path, capfd):
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    hook = sys.unraisablehook
    interrupt.install()

    class SignalsOnClose:
        def __del__(self):  # an exception raised here is printed as "Exception ignored" and dropped
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):
                time.sleep(0.001)

    def fill(stream):
        stream.write("half")
        holder = SignalsOnClose()
        del holder

    try:
        with pytest.raises(interrupt.Interrupted):
            write_atomic(tmp_path / "out.txt", fill)
        assert interrupt.pending() == signal.SIGTERM
    finally:
        interrupt._received = None
        sys.unraisablehook = hook
        for signum, handler in saved.items():
            signal.signal(signum, handler)
    assert list(tmp_path.iterdir()) == []
    assert "Traceback" not in capfd.readouterr().err


# ---------------------------------------------------------------- 10. control characters in file names


def test_a_newline_in_a_file_name_cannot_forge_finding_lines(tmp_path):
    forged = "x.txt:1: [错误] fake.rule 伪造的问题\nr"
    copy_report(tmp_path / f"{forged}.txt")
    code, out, err = cli(tmp_path, "check", ".", "--format", "concise", "--jobs", "1")
    assert code in (0, 1), err
    lines = out.splitlines()
    assert lines and not any(line.rstrip().endswith("伪造的问题") for line in lines)  # no forged line of its own
    assert all(line.startswith("x.txt:1: [错误] fake.rule 伪造的问题\\nr.txt:") for line in lines)
    assert line_path("a\nb\x1b[31m\u2028c\\") == "a\\nb\\x1b[31m\\u2028c\\\\"


# ---------------------------------------------------------------- 13. identical runs, identical files


def test_two_identical_runs_write_identical_workbooks(tmp_path):
    for seed in GOOD[:2]:
        copy_report(tmp_path / seed.name, seed)
    names = [seed.name for seed in GOOD[:2]]
    cli(tmp_path, "check", *names, "-o", "xlsx=a.xlsx", "-o", "html=a.html", "--jobs", "1")
    time.sleep(1.1)  # zip entries are dated to the second
    cli(tmp_path, "check", *names, "-o", "xlsx=b.xlsx", "-o", "html=b.html", "--jobs", "1")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


# ---------------------------------------------------------------- 14. a --max-bytes larger than memory


def test_a_huge_max_bytes_reads_in_bounded_chunks(tmp_path):
    huge = Limits.scaled(40 * 1024 * MB)
    path = copy_report(tmp_path / "r.txt")
    assert "法治" in read_path(path, huge).text
    assert "法治" in read_stream(io.BytesIO(path.read_bytes()), ".txt", huge).text


def test_a_huge_max_bytes_through_the_cli(tmp_path):
    copy_report(tmp_path / "r.txt")
    code, out, err = cli(tmp_path, "check", "r.txt", "--max-bytes", "40GB", "--format", "json")
    assert code in (0, 1), err
    assert json.loads(out)["reports"][0].get("error") is None


# ---------------------------------------------------------------- the README states every limit with its default


def _limits_section() -> str:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = text.index("### 上限（不可信的文件）")
    return text[start : text.index("\n## ", start)]


def _row(section: str, label: str) -> str:
    return next(line for line in section.splitlines() if line.startswith(f"| {label} |"))


def test_readme_states_every_reader_limit_with_its_default():
    from fazhi_audit.base.limits import DEFAULT_TIMEOUT, WORKER_MEMORY_CEILING
    from fazhi_audit.rules.regex_safety import MAX_BRANCHES, MAX_COUNT, MAX_LENGTH

    section, limits = _limits_section(), Limits()
    rows = {  # every field of Limits, and the other limits of a run
        "max_bytes": ("文件大小", f"{limits.max_bytes // MB} MB"),
        "docx_entries": (".docx 压缩包中的文件数", f"{limits.docx_entries:,}"),
        "docx_unpacked": (".docx 解压后的总大小", f"{limits.docx_unpacked // MB} MB"),
        "docx_ratio": (".docx 中单个大文件（> 1 MB）的压缩比", f"{limits.docx_ratio}:1"),
        "docx_elements": (".docx 中的 XML 元素", f"÷ {limits.max_bytes // limits.docx_elements}"),
        "docx_paragraphs": (".docx 中的段落", f"÷ {limits.max_bytes // limits.docx_paragraphs}"),
        "max_chars": ("提取出的文字", "一半"),
        "pdf_pages": ("PDF 页数", "÷ 10 KB"),
    }
    from dataclasses import fields

    assert {f.name for f in fields(Limits)} == set(rows)  # a new limit needs a row
    for label, default in rows.values():
        assert default in _row(section, label), label
    assert f"{DEFAULT_TIMEOUT:g} 秒" in _row(section, "每份报告的检查时间")
    assert f"{MAX_DEPTH} 层" in _row(section, "文件夹层级")
    assert f"{WORKER_MEMORY_CEILING // 1024 // MB} GB" in _row(section, "检查进程的内存")
    regex = _row(section, "规则中的正则表达式")
    assert f"{MAX_LENGTH} 个字符" in regex and f"{MAX_COUNT:,}" in regex and f"{MAX_BRANCHES:,}" in regex


def test_readme_states_every_web_limit_with_its_default():
    from fazhi_audit.web import ServeSettings

    section, s = _limits_section(), ServeSettings(workers=2)
    web = section[section.index("网页版（`fazhi-audit serve`）另有以下上限") :]
    expected = {
        "max_active": f"默认 {s.active_limit}",
        "small_upload_mb": f"{s.small_upload_mb:g} MB",
        "request_seconds": f"{s.request_seconds:g} 秒",
        "body_idle_seconds": f"{s.body_idle_seconds:g} 秒",
        "header_seconds": f"{s.header_seconds:g} 秒",
        "max_connections": f"{s.max_connections}",
        "worker_memory_mb": "1 GB",
    }
    for field, default in expected.items():
        line = next(line for line in web.splitlines() if f"`{field}`" in line)
        assert default in line, field
    assert f"{s.max_file_mb:g} MB" in _row(web, "单个上传文件") and f"{s.max_files}" in _row(web, "一次上传的文件数")
    assert f"{s.max_total_mb:g} MB" in _row(web, "一次上传的总大小") and f"{s.store_mb:g} MB" in _row(web, "结果占用的内存")
    assert s.worker_memory_mb == 1024


def test_rules_left_unchecked_are_reported_with_a_count():
    """A sheet padded past the work budget cannot hide text silently: the report says how many rules were not checked."""
    padding = "".join(f".article-content p:nth-child({i + 20}) span{{display:none}}" for i in range(10_000))
    raw = read_bytes(_html(padding + ".article-content span{display:none}", f"<span>{PAD}</span>"), ".html", Limits())
    note = next(n for n in raw.notes if "未能核对" in n)
    count = int(re.search(r"(\d+) 条", note).group(1))
    assert 0 < count <= 10_001 and "\n" not in note
    plain = read_bytes(_html(".article-content span{display:none}", f"<span>{PAD}</span>"), ".html", Limits())
    assert not any("未能核对" in n for n in plain.notes) and "公众参与" not in plain.text
