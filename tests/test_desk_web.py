"""The 审查台 in `fazhi-audit serve --store`: its JSON API, pages and access rules (Starlette's test client).

One application with one real audit process serves the API flow; the access
tests use applications without their audit processes (nothing is audited
there), each on its own SQLite store.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from conftest import SEEDS
from desk_support import FOLLOW
from starlette.testclient import TestClient

from fazhi_audit.base.errors import UsageError
from fazhi_audit.desk.services import users
from fazhi_audit.desk.store import open_store
from fazhi_audit.web import ServeSettings, create_app
from fazhi_audit.web.desk_routes import DESK_COOKIE, Throttle

BASE = "http://127.0.0.1:8765"
THREE = sorted(SEEDS.glob("*.txt"))[:3]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk") / "review.db"
    app = create_app(ServeSettings(workers=1, store=str(path)))
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        deadline = time.monotonic() + 180
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the audit process never became ready"
            time.sleep(0.2)
        yield client, path


def files(*paths):
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]


def test_the_api_round_trip(desk):
    client, _ = desk
    created = client.post("/api/rounds", json={"year": 2024, "title": "2024年度法治政府建设年度报告审查"})
    assert created.status_code == 201
    rid = created.json()["id"]
    added = client.post(f"/api/rounds/{rid}/submissions", files=files(*THREE))
    assert added.status_code == 201, added.text
    new = added.json()["submissions"]
    assert [s["name"] for s in new] == [p.name for p in THREE] and all(len(s["sha256"]) == 64 for s in new)
    listed = client.get("/api/rounds").json()
    assert {"id": rid, "year": 2024, "title": "2024年度法治政府建设年度报告审查", "submissions": 3} in listed

    ranking = client.get(f"/api/rounds/{rid}").json()
    assert (ranking["year"], ranking["title"]) == (2024, "2024年度法治政府建设年度报告审查")
    rows = ranking["submissions"]
    assert [(r["passed"], r["score"]) for r in rows] == sorted((r["passed"], r["score"]) for r in rows)
    worst = rows[0]
    detail = client.get(f"/api/submissions/{worst['id']}").json()
    findings = [f for f in detail["result"]["reports"][0]["findings"] if f["fingerprint"]]
    assert len(findings) == worst["problems"] == worst["pending"] and detail["decisions"] == {}

    decided = client.post(f"/api/submissions/{worst['id']}/decisions", json={"fingerprint": findings[0]["fingerprint"], "decision": "dismiss", "note": "附件已说明"})
    assert decided.status_code == 200 and decided.json()["decision"] == "dismiss"
    after = next(r for r in client.get(f"/api/rounds/{rid}").json()["submissions"] if r["id"] == worst["id"])
    assert (after["dismissed"], after["pending"], after["score"]) == (1, worst["pending"] - 1, worst["score"])
    bad = client.post(f"/api/submissions/{worst['id']}/decisions", json={"fingerprint": "x", "decision": "dismiss"})
    assert bad.status_code == 400 and "fingerprint" in bad.json()["error"]

    assert client.post(f"/api/rounds/{rid}/reaudit").json() == {"reaudited": 3}
    kept = client.get(f"/api/submissions/{worst['id']}").json()["decisions"][findings[0]["fingerprint"]]
    assert (kept["decision"], kept["note"], kept["current"]) == ("dismiss", "附件已说明", True)

    history = client.get(f"/api/bodies/{worst['body']}/history").json()
    assert [(h["year"], h["round"], h["score"]) for h in history] == [(worst["year"], ranking["title"], worst["score"])]

    xlsx = client.get(f"/api/rounds/{rid}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK" and "attachment" in xlsx.headers["content-disposition"]
    import docx

    circular = docx.Document(io.BytesIO(client.get(f"/api/rounds/{rid}/circular.docx").content))
    assert len(circular.tables[0].rows) == 4

    actions = [e["action"] for e in client.get("/api/log").json()]
    assert actions[:4] == ["round.circular", "round.reaudit", "decision.dismiss", "submissions.add"]
    assert "驳回问题" in client.get("/desk").text  # the home page lists the latest ones

    assert client.get("/api/rounds/999").status_code == 404
    assert client.post("/api/rounds", json={"year": 1800}).status_code == 400
    assert client.post("/api/rounds/999/submissions", files=files(THREE[0])).status_code == 404


def test_pages_show_the_ranking_and_take_decisions_with_csrf(desk):
    client, _ = desk
    home = client.get("/desk")
    assert home.status_code == 200 and "审查台" in home.text and "content-security-policy" in home.headers
    token = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)
    refused = client.post("/desk/rounds", data={"year": "2023", "csrf": "forged"})
    assert refused.status_code == 403
    made = client.post("/desk/rounds", data={"year": "2023", "title": "", "csrf": token}, follow_redirects=False)
    assert made.status_code == 303
    page = client.get(made.headers["location"])
    assert "2023年度法治政府建设年度报告审查" in page.text and "本轮还没有报告" in page.text
    rid = made.headers["location"].rsplit("/", 1)[-1]
    upload = client.post(f"/desk/rounds/{rid}/upload", data={"csrf": token}, files=files(FOLLOW / "previous" / "lingxi-county-2023.txt"), follow_redirects=False)
    assert upload.status_code == 303
    page = client.get(f"/desk/rounds/{rid}")
    sid = re.search(r'href="/desk/submissions/(\d+)"', page.text).group(1)
    view = client.get(f"/desk/submissions/{sid}")
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', view.text).group(1)
    pending_before = int(re.search(r'待复核 <span id="pending">(\d+)</span>', page.text).group(1))
    client.post(f"/desk/submissions/{sid}/decide", data={"csrf": token, "fingerprint": fingerprint, "decision": "confirm", "note": ""})
    page = client.get(f"/desk/rounds/{rid}")
    assert int(re.search(r'待复核 <span id="pending">(\d+)</span>', page.text).group(1)) == pending_before - 1
    assert re.search(r'已确认 <span id="confirmed">1</span>', page.text)
    report = client.get(f"/desk/submissions/{sid}/report.html")  # made now, in the audit process, and kept
    assert report.status_code == 200 and "sha256-" in report.headers["content-security-policy"] and "菱溪县" in report.text
    store = open_store(str(desk[1]))
    from fazhi_audit.desk.services import submissions

    assert submissions.report_html(store, int(sid)) == report.text
    store.close()
    assert client.get(f"/desk/submissions/{sid}/report.html").text == report.text
    body = re.search(r'href="/desk/bodies/([^"]+)"', page.text).group(1)
    assert "菱溪县" in client.get(f"/desk/bodies/{body}").text


def test_the_self_check_page_never_writes_to_the_store(desk):
    client, path = desk
    store = open_store(str(path))
    from sqlalchemy import text

    def count():
        with store.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM submissions")).scalar(), connection.execute(text("SELECT count(*) FROM audit_log")).scalar()

    before = count()
    other = TestClient(client.app, base_url=BASE)
    assert other.post("/api/check", files=files(THREE[0])).status_code == 200
    assert count() == before
    store.close()


def test_posts_from_another_origin_are_refused(desk):
    client, _ = desk
    refused = client.post("/api/rounds", json={"year": 2024}, headers={"origin": "http://evil.example"})
    assert refused.status_code == 403
    assert client.post("/api/rounds", json={"year": 2024}, headers={"origin": BASE}).status_code == 201


# ---------------------------------------------------------------- access


def app_without_workers(path, host="127.0.0.1"):
    return create_app(ServeSettings(workers=1, store=str(path), host=host))


def test_beyond_loopback_without_users_the_desk_refuses_to_start(tmp_path):
    path = tmp_path / "r.db"
    with pytest.raises(UsageError, match="users add 用户名 --store"):
        app_without_workers(path, host="0.0.0.0")
    store = open_store(str(path))
    users.add_user(store, "审查员", "a long password")
    store.close()
    client = TestClient(app_without_workers(path, host="0.0.0.0"), base_url=BASE)
    assert client.get("/api/rounds").status_code == 401


def test_once_users_exist_everything_needs_a_login(tmp_path):
    path = tmp_path / "r.db"
    app = app_without_workers(path)
    client = TestClient(app, base_url=BASE)
    rid = client.post("/api/rounds", json={"year": 2024}).json()["id"]  # open: loopback, no users
    store = open_store(str(path))
    users.add_user(store, "审查员", "a long password")
    store.close()
    for url in ["/api/rounds", f"/api/rounds/{rid}", "/api/submissions/1", "/api/bodies/x/history", f"/api/rounds/{rid}/export.xlsx", f"/api/rounds/{rid}/circular.docx", "/api/log"]:
        assert client.get(url).status_code == 401, url
    assert client.post("/api/rounds", json={"year": 2024}).status_code == 401
    for url in ["/desk", f"/desk/rounds/{rid}", "/desk/submissions/1/report.html", "/desk/submissions/1/original"]:
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/desk/login"), url

    assert client.post("/api/login", json={"user": "审查员", "password": "wrong password"}).status_code == 401
    good = client.post("/api/login", json={"user": "审查员", "password": "a long password"})
    assert good.status_code == 200
    cookie = good.headers["set-cookie"].lower()
    assert DESK_COOKIE in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/api/rounds").status_code == 200
    assert client.get("/desk").status_code == 200
    stranger = TestClient(app, base_url=BASE)
    assert stranger.get("/api/rounds").status_code == 401


def test_repeated_wrong_passwords_are_slowed_then_refused(tmp_path):
    path = tmp_path / "r.db"
    app = app_without_workers(path)
    store = open_store(str(path))
    users.add_user(store, "审查员", "a long password")
    store.close()
    app.state.web.desk.throttle = Throttle(limit=3, base_delay=0.2, max_delay=1)
    client = TestClient(app, base_url=BASE)
    waits = []
    for _ in range(3):
        started = time.monotonic()
        assert client.post("/api/login", json={"user": "审查员", "password": "guess"}).status_code == 401
        waits.append(time.monotonic() - started)
    assert waits[1] >= 0.4 and waits[2] >= 0.8  # each failure doubles the wait
    locked = client.post("/api/login", json={"user": "审查员", "password": "a long password"})
    assert locked.status_code == 429 and "过多" in locked.json()["error"]


def test_eight_clients_uploading_at_once_leave_the_round_consistent(desk):
    import threading

    client, _ = desk
    rid = client.post("/api/rounds", json={"year": 2022, "title": "并发上传"}).json()["id"]
    answers, errors = [], []

    def upload(n: int) -> None:
        try:
            own = TestClient(client.app, base_url=BASE)  # its own connection, the same server
            answers.append(own.post(f"/api/rounds/{rid}/submissions", files=files(THREE[n % len(THREE)])).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and answers == [201] * 8
    ranking = client.get(f"/api/rounds/{rid}").json()["submissions"]
    assert len(ranking) == 8 and len({r["id"] for r in ranking}) == 8
    assert next(r for r in client.get("/api/rounds").json() if r["id"] == rid)["submissions"] == 8
