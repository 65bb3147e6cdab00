"""`fazhi-audit serve`: the web application through Starlette's test client.

One application (one real audit process, spawned like the server's) serves
the whole module; its clock is a stub the expiry test moves. Limits are set
small (1 MB a file, 5 files, 4 MB a request) so oversize uploads are cheap.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import logging
import re
import time
import zipfile
from html.parser import HTMLParser

import pytest
from command import fazhi_audit
from conftest import SEEDS
from docx_build import docx_bytes
from pdf_build import cjk_pdf
from starlette.testclient import TestClient

from fazhi_audit.web import ServeSettings, create_app
from fazhi_audit.web.security import SESSION_COOKIE
from fazhi_audit.web.uploads import safe_name

BASE = "http://127.0.0.1:8765"
SEED = min(SEEDS.glob("*.txt"))
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = [line for line in SEED_TEXT.splitlines() if line.strip()]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def server():
    clock = Clock()
    settings = ServeSettings(workers=1, max_file_mb=1, max_files=5, max_total_mb=4, clock=clock)
    app = create_app(settings)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        deadline = time.monotonic() + 180
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the audit process never became ready"
            time.sleep(0.2)
        yield Server(app, client, clock)


class Server:
    def __init__(self, app, client: TestClient, clock: Clock):
        self.app, self.client, self.clock = app, client, clock
        self.web = app.state.web

    def other_client(self) -> TestClient:
        """A second browser: its own session cookie, the same application."""
        return TestClient(self.app, base_url=BASE, raise_server_exceptions=False)


# ---------------------------------------------------------------- helpers


def docx_report(lines: list[str] = SEED_LINES[:40]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return docx_bytes(document)


def pdf_report() -> bytes:
    return cjk_pdf([(780 - 16 * i, line[:40]) for i, line in enumerate(SEED_LINES[:40])])


def html_report() -> bytes:
    body = "".join(f"<p>{line}</p>" for line in SEED_LINES[1:40])
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{SEED_LINES[0]}</title></head><body><h1>{SEED_LINES[0]}</h1>{body}</body></html>".encode()


def csrf_of(client: TestClient) -> str:
    page = client.get("/")
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def upload(client: TestClient, files: list[tuple[str, bytes]], **fields) -> str:
    """Post the form like the page does; returns the result address."""
    data = {"csrf": csrf_of(client), **fields}
    parts = [("files", (n, b)) for n, b in files] or [("files", ("", b""))]  # a browser sends the empty chooser too
    response = client.post("/check", files=parts, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def result_page(client: TestClient, where: str) -> str:
    deadline = time.monotonic() + 120
    while True:
        page = client.get(where)
        assert page.status_code == 200, page.text
        if "正在检查" not in page.text:
            return page.text
        assert time.monotonic() < deadline
        time.sleep(0.3)


def api(client: TestClient, files: list[tuple[str, bytes]], **fields):
    bare = TestClient(client.app, base_url=BASE, raise_server_exceptions=False)  # programs send no cookie
    return bare.post("/api/check", files=[("files", (n, b)) for n, b in files], data=fields)


def rows(page: str) -> dict[str, str]:
    """File name -> row class (pass / fail / unreadable) from the result table."""
    return {name: cls for cls, name in re.findall(r'<tr class="(\w+)">\s*<td class="name">([^<]+)</td>', page)}


# ---------------------------------------------------------------- uploads


def test_each_format_is_read_and_reported(server):
    files = [("报告.docx", docx_report()), ("报告.pdf", pdf_report()), ("报告.html", html_report()), ("报告.txt", SEED_TEXT.encode())]
    where = upload(server.client, files)
    page = result_page(server.client, where)
    assert set(rows(page)) == {name for name, _ in files}
    assert "unreadable" not in rows(page).values(), page
    report = server.client.get(f"{where}/download/json").json()
    assert [r["path"] for r in report["reports"]] == sorted(name for name, _ in files)
    for r in report["reports"]:
        assert "error" not in r and r["body"] == "云冈区云冈镇" and r["findings"]
    # the report shows in the page, from the same renderer as --format html
    report_page = server.client.get(f"{where}/report.html").text
    assert "云冈区云冈镇" in report_page and "待改问题" in report_page


def test_corrupt_docx_among_good_files_is_one_error_row(server):
    files = [("a.txt", SEED_TEXT.encode()), ("b坏.docx", b"PK\x03\x04 not really a zip"), ("c.docx", docx_report())]
    page = result_page(server.client, upload(server.client, files))
    assert rows(page) == {"a.txt": rows(page)["a.txt"], "b坏.docx": "unreadable", "c.docx": rows(page)["c.docx"]}
    assert rows(page)["a.txt"] != "unreadable" and rows(page)["c.docx"] != "unreadable"
    assert "无法读取" in page and "Traceback" not in page


def test_wrong_type_is_answered_per_file(server):
    files = [("报告.txt", SEED_TEXT.encode()), ("程序.exe", b"MZ\x90\x00" * 50), ("旧格式.doc", b"\xd0\xcf\x11\xe0" * 50)]
    response = api(server.client, files)
    assert response.status_code == 200
    by_path = {r["path"]: r for r in response.json()["reports"]}
    assert "error" not in by_path["报告.txt"]
    assert by_path["程序.exe"]["error"] and by_path["旧格式.doc"]["error"]
    assert response.headers["x-fazhi-audit-exit-code"] == "3"


def test_oversize_file_is_413_with_a_chinese_page_and_the_server_goes_on(server):
    big = b"x" * (1024 * 1024 + 1)
    csrf = csrf_of(server.client)
    response = server.client.post("/check", files=[("files", ("大.txt", big))], data={"csrf": csrf})
    assert response.status_code == 413
    assert "超过 1 MB" in response.text and "大.txt" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert api(server.client, [("大.txt", big)]).status_code == 413
    assert server.client.get("/healthz").status_code == 200
    assert rows(result_page(server.client, upload(server.client, [("小.txt", SEED_TEXT.encode())])))


def test_too_many_files_and_too_large_a_request_are_413(server):
    six = [(f"{n}.txt", b"x") for n in range(6)]
    assert api(server.client, six).status_code == 413
    assert "最多上传 5 个文件" in api(server.client, six).json()["error"]
    # a declared length over the request limit is refused before the body is read
    response = TestClient(server.app, base_url=BASE).post(
        "/api/check", content=b"x", headers={"content-type": "multipart/form-data; boundary=b", "content-length": str(5 * 1024 * 1024)}
    )
    assert response.status_code == 413


def test_bad_uploads_never_stop_the_server(server):
    bare = TestClient(server.app, base_url=BASE, raise_server_exceptions=False)
    garbage = bare.post("/api/check", content=b"\x00\xff garbage", headers={"content-type": "multipart/form-data; boundary=zz"})
    assert garbage.status_code == 400 and "格式不正确" in garbage.json()["error"]
    truncated = b'--zz\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhalf a file'
    cut = bare.post("/api/check", content=truncated, headers={"content-type": "multipart/form-data; boundary=zz"})
    assert cut.status_code == 400 and "不完整" in cut.json()["error"]
    assert bare.post("/api/check", content=b"{}", headers={"content-type": "application/json"}).status_code == 415
    assert bare.post("/api/check", files=[("other", ("a.txt", b"x"))]).status_code == 400  # no `files` field
    assert "Traceback" not in garbage.text and "Traceback" not in cut.text
    assert server.client.get("/healthz").status_code == 200
    assert api(server.client, [("报告.txt", SEED_TEXT.encode())]).status_code == 200


def test_pasted_text_is_a_report(server):
    page = result_page(server.client, upload(server.client, [], text=SEED_TEXT, profile="township"))
    assert list(rows(page)) == ["粘贴的文本.txt"]
    assert "乡镇（街道）" in server.client.get(re.search(r'src="(/r/[^"]+/report.html)"', page).group(1)).text


def test_nothing_chosen_returns_the_form_with_a_message(server):
    csrf = csrf_of(server.client)
    response = server.client.post("/check", files=[("files", ("", b""))], data={"csrf": csrf, "text": "  "})
    assert response.status_code == 400 and "请先选择报告文件" in response.text


def test_file_names_are_reduced_to_plain_names():
    assert safe_name("../../etc/报告.txt") == "报告.txt"
    assert safe_name("C:\\Users\\某镇\\报告.docx") == "报告.docx"
    assert safe_name("-") == safe_name("..") == safe_name("") == "未命名文件"
    long = safe_name("很长" * 200 + ".docx")
    assert long.endswith(".docx") and len(long.encode()) <= 200
    assert safe_name("a\x00b\n.txt") == "ab.txt"


def test_same_names_and_paths_in_names(server):
    files = [("../../上级/a.txt", SEED_TEXT.encode()), ("a.txt", SEED_TEXT.encode())]
    page = result_page(server.client, upload(server.client, files))
    assert set(rows(page)) == {"a.txt", "a（2）.txt"}


# ---------------------------------------------------------------- the API is the command


def test_api_returns_exactly_the_json_of_the_command(server, tmp_path):
    files = [
        ("乡镇.txt", SEED_TEXT.encode()),
        ("报告.docx", docx_report()),
        ("坏.docx", b"PK\x03\x04broken"),
        ("表格.xlsx", b"PK\x03\x04"),
    ]
    for name, data in files:
        (tmp_path / name).write_bytes(data)
    cli = fazhi_audit("check", "--no-config", "--format", "json", *[n for n, _ in files], cwd=tmp_path)
    response = api(server.client, files)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.text == cli.stdout
    assert response.headers["x-fazhi-audit-exit-code"] == str(cli.returncode)


def test_api_profile_field(server):
    response = api(server.client, [("报告.txt", SEED_TEXT.encode())], profile="department")
    assert response.json()["reports"][0]["profile"]["name"] == "department"
    bad = api(server.client, [("报告.txt", SEED_TEXT.encode())], profile="村委会")
    assert bad.status_code == 400 and "报告主体类型" in bad.json()["error"]


def test_api_refuses_a_browser_session(server):
    csrf_of(server.client)  # the page client now holds a session cookie
    response = server.client.post("/api/check", files=[("files", ("a.txt", SEED_TEXT.encode()))])
    assert response.status_code == 403


def test_uploaded_config_file_is_never_read(server):
    config = b'ignore = ["structure", "quality", "decision"]\nfail-under = 100\nexclude = ["*.txt"]\nprofile = "department"\n'
    response = api(server.client, [("fazhi-audit.toml", config), ("报告.txt", SEED_TEXT.encode())])
    reports = {r["path"]: r for r in response.json()["reports"]}
    report = reports["报告.txt"]  # not excluded
    rules = {f["rule"] for f in report["findings"]}
    assert {"structure.required-sections", "quality.placeholder", "decision.five-step"} <= rules  # nothing ignored
    assert report["profile"]["name"] == "township"  # detected, not the config's department
    assert reports["fazhi-audit.toml"]["error"]  # like `check --no-config fazhi-audit.toml 报告.txt`


# ---------------------------------------------------------------- results: downloads, owner, expiry


def test_downloads(server):
    where = upload(server.client, [("甲镇.docx", docx_report()), ("乙镇.txt", SEED_TEXT.encode())])
    page = result_page(server.client, where)
    assert f"{where}/download/xlsx" in page
    workbook = server.client.get(f"{where}/download/xlsx")
    assert workbook.status_code == 200 and "attachment" in workbook.headers["content-disposition"]
    import openpyxl

    assert "汇总" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    page_file = server.client.get(f"{where}/download/html")
    assert "attachment" in page_file.headers["content-disposition"] and "<html" in page_file.text
    # the annotated copy: only for the Word input, with comments in it
    links = re.findall(r'href="(/r/[^"]+/annotated/\d+)"', page)
    assert len(links) == 1
    annotated = server.client.get(links[0])
    assert annotated.status_code == 200 and annotated.headers["content-type"] == DOCX
    assert "%E5%AE%A1%E6%9F%A5%E6%84%8F%E8%A7%81.docx" in annotated.headers["content-disposition"]  # 审查意见.docx
    with zipfile.ZipFile(io.BytesIO(annotated.content)) as z:
        comments = z.read("word/comments.xml").decode()
    assert comments.count("<w:comment ") >= 2


def test_single_report_offers_no_workbook(server):
    page = result_page(server.client, upload(server.client, [("一份.txt", SEED_TEXT.encode())]))
    assert "/download/xlsx" not in page and "/download/json" in page


def test_another_client_cannot_open_a_result(server):
    where = upload(server.client, [("本镇.docx", docx_report())])
    page = result_page(server.client, where)
    annotated = re.search(r'href="(/r/[^"]+/annotated/\d+)"', page).group(1)
    other = server.other_client()
    other.get("/")  # a session of its own
    assert other.cookies.get(SESSION_COOKIE) != server.client.cookies.get(SESSION_COOKIE)
    for path in (where, f"{where}/status", f"{where}/report.html", f"{where}/download/json", annotated):
        response = other.get(path)
        assert response.status_code == 404, path
        assert "本镇" not in response.text
    no_cookie = TestClient(server.app, base_url=BASE)
    assert no_cookie.get(where).status_code == 404
    assert server.client.get(where).status_code == 200  # still there for its owner


def test_results_expire(server):
    where = upload(server.client, [("过期.txt", SEED_TEXT.encode())])
    result_page(server.client, where)
    server.clock.now += 30 * 60 - 5
    assert server.client.get(where).status_code == 200
    server.clock.now += 10
    expired = server.client.get(where)
    assert expired.status_code == 404 and "过期" in expired.text
    assert server.client.get(f"{where}/download/json").status_code == 404
    assert server.client.get(f"{where}/status").status_code == 404


def test_status_reports_progress_and_the_progress_page(server):
    where = upload(server.client, [(f"{n}.txt", SEED_TEXT.encode()) for n in range(3)])
    deadline = time.monotonic() + 120
    seen = []
    while True:
        state = server.client.get(f"{where}/status").json()
        seen.append(state["done"])
        if state["finished"]:
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert seen == sorted(seen) and state == {"done": 3, "total": 3, "finished": True}
    # an audit still running: the page shows progress instead of waiting
    session = server.client.cookies.get(SESSION_COOKIE)
    entry = server.web.store.create(session, 4)
    entry.done = 1
    page = server.client.get(f"/r/{entry.id}")
    assert page.status_code == 200 and "正在检查" in page.text and 'max="4" value="1"' in page.text


def test_upload_folders_are_removed(server):
    upload(server.client, [("删除.txt", SEED_TEXT.encode())])
    api(server.client, [("删除.txt", SEED_TEXT.encode())])
    csrf = csrf_of(server.client)
    server.client.post("/check", files=[("files", ("大.txt", b"x" * (1024 * 1024 + 1)))], data={"csrf": csrf})
    deadline = time.monotonic() + 60
    while any(server.web.temp_root.iterdir()):
        assert time.monotonic() < deadline, list(server.web.temp_root.iterdir())
        time.sleep(0.1)


# ---------------------------------------------------------------- forgery, policy, errors


def test_form_posts_need_the_csrf_token_of_their_own_session(server):
    files = [("files", ("a.txt", SEED_TEXT.encode()))]
    csrf_of(server.client)
    assert server.client.post("/check", files=files, data={}).status_code == 403
    assert server.client.post("/check", files=files, data={"csrf": "forged" * 8}).status_code == 403
    other = server.other_client()
    token_of_other = csrf_of(other)
    refused = server.client.post("/check", files=files, data={"csrf": token_of_other})
    assert refused.status_code == 403 and "页面已过期" in refused.text
    no_cookie = TestClient(server.app, base_url=BASE)
    assert no_cookie.post("/check", files=files, data={"csrf": csrf_of(server.client)}).status_code == 403
    header = TestClient(server.app, base_url=BASE).get("/").headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header  # other sites' pages neither read nor send it


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href", "action", "data", "poster", "srcset") and value]


def _external(urls: list[str]) -> list[str]:
    return [u for u in urls if re.match(r"\s*(https?:)?//", u, re.IGNORECASE)]


def test_no_page_loads_anything_external_and_every_response_has_a_policy(server):
    where = upload(server.client, [("外部.docx", docx_report()), ("乙.txt", SEED_TEXT.encode())])
    result = result_page(server.client, where)
    served = {
        "/": server.client.get("/"),
        where: server.client.get(where),
        "report": server.client.get(f"{where}/report.html"),
        "404": server.client.get("/r/nothing-here-at-all-0000000000"),
        "css": server.client.get("/static/app.css"),
        "js": server.client.get("/static/app.js"),
    }
    for name, response in served.items():
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy, name
        assert "http" not in policy, name
        if name in ("css", "js"):
            assert not re.search(r"(url\(|@import|fetch\()\s*['\"]?(https?:)?//", response.text), name
            continue
        parser = Links()
        parser.feed(response.text)
        assert parser.urls or name == "404"
        assert _external(parser.urls) == [], name
    assert "sandbox=\"allow-scripts\"" in result and "allow-same-origin" not in result


def test_the_report_policy_allows_exactly_its_own_script(server):
    where = upload(server.client, [("脚本.txt", SEED_TEXT.encode())])
    result_page(server.client, where)
    response = server.client.get(f"{where}/report.html")
    policy = response.headers["content-security-policy"]
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    meta = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', response.text).group(1))
    assert re.search(r"script-src ('sha256-[^']+')", meta).group(1) == f"'sha256-{digest}'"  # the renderer's own
    assert "frame-ancestors 'self'" in policy
    page_policy = server.client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in page_policy and "unsafe-inline" not in page_policy and "frame-ancestors 'none'" in page_policy


def test_an_internal_error_shows_a_chinese_page_and_logs_no_report_text(server, monkeypatch, caplog):
    secret = "机密的报告原文"

    async def broken(*_args, **_kw):
        raise RuntimeError(secret)

    monkeypatch.setattr(server.web, "audit", broken)
    with caplog.at_level(logging.INFO, logger="fazhi_audit.web"):
        page = result_page(server.client, upload(server.client, [("机密文件名.txt", (secret + SEED_TEXT).encode())]))
        monkeypatch.setattr(server.web.store, "get", lambda *_a: (_ for _ in ()).throw(ValueError(secret)))
        # a client that raises whatever reaches the server: nothing does, so uvicorn has nothing to log
        crashed = TestClient(server.app, base_url=BASE, raise_server_exceptions=True).get("/r/" + "x" * 43)
    assert "服务器内部错误" in page and secret not in page and "Traceback" not in page
    assert crashed.status_code == 500 and "服务器内部错误" in crashed.text and secret not in crashed.text
    assert "Traceback" not in crashed.text and "content-security-policy" in crashed.headers
    assert "RuntimeError" in caplog.text and "ValueError" in caplog.text  # logged, by type and place
    assert secret not in caplog.text and "机密文件名" not in caplog.text
    assert "POST /check 303" in caplog.text


def test_unknown_address_is_a_chinese_404(server):
    response = server.client.get("/没有这个页面")
    assert response.status_code == 404 and "找不到" in response.text and "Not Found" not in response.text


def test_healthz_is_json(server):
    assert server.client.get("/healthz").json()["status"] == "ok"
    assert json.loads(server.client.get("/healthz").text)["workers"] == 1


def test_an_upload_of_only_word_lock_files_is_refused_as_the_command_refuses_it(server):
    response = api(server.client, [("~$报告.docx", b"owner file")])
    assert response.status_code == 422 and "没有找到可检查的报告文件" in response.json()["error"]


# ---------------------------------------------------------------- pieces without a server


def test_store_expires_only_finished_entries_and_keeps_within_its_budget():
    from fazhi_audit.web.store import ResultStore

    clock = Clock()
    store = ResultStore(ttl=60, clock=clock, budget=1000)
    running = store.create("me", 1)
    clock.now += 3600
    assert store.get(running.id, "me") is running  # an audit still running never expires
    assert store.get(running.id, "someone else") is None and store.get(running.id, None) is None
    old, new = store.create("me", 1), store.create("me", 1)
    for entry, size in ((old, 600), (new, 600)):
        entry.sources = {"a.docx": b"x" * size}
        store.finish(entry)
    assert store.get(old.id, "me") is None and store.get(new.id, "me") is new  # over budget: the oldest finished goes
    clock.now += 59
    assert store.get(new.id, "me") is new
    clock.now += 2
    assert store.get(new.id, "me") is None


def test_port_in_use_is_one_chinese_line_and_exit_2():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = fazhi_audit("serve", "--port", str(port), process=True, timeout=60)  # were the port free, it would serve on: a process can time out
    assert proc.returncode == 2
    assert f"端口 {port} 已被占用" in proc.stderr and "Traceback" not in proc.stderr


def test_binding_beyond_loopback_warns_who_can_reach_it():
    from fazhi_audit.web.settings import exposure_warning

    assert exposure_warning("127.0.0.1", 8765) is None and exposure_warning("::1", 8765) is None
    assert exposure_warning("localhost", 8765) is None
    warning = exposure_warning("0.0.0.0", 8765)
    assert "局域网内所有能访问本机 8765 端口的计算机" in warning
    assert exposure_warning("192.168.1.20", 9000) and "9000" in exposure_warning("192.168.1.20", 9000)


# ---------------------------------------------------------------- last year's report (field `previous`)

def _pair() -> tuple[bytes, str]:
    from pathlib import Path

    corpus = Path(__file__).resolve().parent / "followthrough_corpus"
    previous = (corpus / "previous" / "lingxi-county-2023.txt").read_bytes()
    current = (corpus / "reports" / "01_lingxi-county-2024.txt").read_text(encoding="utf-8")
    return previous, current


def test_api_previous_field_runs_the_comparison_rules(server):
    previous, current = _pair()
    bare = TestClient(server.app, base_url=BASE, raise_server_exceptions=False)
    without = bare.post("/api/check", files=[("files", ("本年.txt", current.encode()))]).json()["reports"][0]
    given = bare.post("/api/check", files=[("files", ("本年.txt", current.encode())), ("previous", ("上年.txt", previous))]).json()["reports"][0]
    rule = "quality.follow-through"
    f_without = next(f for f in without["findings"] if f["rule"] == rule)
    f_given = next(f for f in given["findings"] if f["rule"] == rule)
    assert f_without.get("scored", True) is False
    assert f_given.get("scored", True) and any(i.get("status") == "unaccounted" for i in f_given["items"])
    assert next(f for f in given["findings"] if f["rule"] == "quality.carry-over")["value"] is not None


def test_form_previous_field_reaches_the_word_comments(server):
    previous, current = _pair()
    client = server.client
    data = {"csrf": csrf_of(client)}
    parts = [("files", ("本年.docx", docx_report([line for line in current.splitlines() if line.strip()]))), ("previous", ("上年.txt", previous))]
    response = client.post("/check", files=parts, data=data, follow_redirects=False)
    assert response.status_code == 303
    page = result_page(client, response.headers["location"])
    link = re.findall(r'href="(/r/[^"]+/annotated/\d+)"', page)[0]
    with zipfile.ZipFile(io.BytesIO(client.get(link).content)) as z:
        comments = z.read("word/comments.xml").decode()
    assert "上一年度报告的" in comments
