"""The 审查台 (review desk) pages and its JSON API: thin routes over desk.services.

    GET  /desk                              rounds, and a form for a new one
    GET  /desk/rounds/{id}                  the round's ranking, upload, re-audit and export
    GET  /desk/submissions/{id}             one report: its findings with confirm/dismiss, and the HTML report
    GET  /desk/bodies/{body}                a body's history across years
    GET|POST /desk/login, POST /desk/logout
    /api/rounds …, /api/submissions …, /api/bodies …, /api/login   (README「审查台」)

Access: on loopback with no users the desk is open (one reviewer on their
own PC). Bound beyond loopback, or once users exist, every desk page and
API needs a login (HttpOnly SameSite=Strict cookie); anonymous API calls get
401, pages go to the login form. POSTs from another origin are refused, and
forms carry CSRF tokens as on the self-check page. The self-check page
never writes to the store.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from fazhi_audit.base.errors import UsageError
from fazhi_audit.desk.services import (
    decisions,
    exports,
    history,
    reaudit,
    rounds,
    submissions,
    users,
)
from fazhi_audit.desk.store import Store, StoreError, open_store
from fazhi_audit.model.severity import SEVERITY_LABEL, STATUS_LABEL
from fazhi_audit.web.security import (
    SESSION_COOKIE,
    attachment,
    csrf_ok,
    csrf_token,
    new_session,
    report_csp,
    set_session_cookie,
)
from fazhi_audit.web.settings import ServeSettings, is_loopback
from fazhi_audit.web.uploads import UploadRefused, receive
from fazhi_audit.web.worker import UploadFailed, desk_audit, remove_folder

DESK_COOKIE = "fazhi_desk"
SESSION_HOURS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_USERS_MESSAGE = (
    "审查台对本机以外开放（--host {host}）时须登录，但审查库中还没有用户：请先运行 "
    "fazhi-audit users add 用户名 --store {store} --password-stdin 添加审查人员，再启动服务"
)


class Throttle:
    """Repeated wrong passwords are slowed: each failure of a name or a client doubles the wait, and past
    `limit` failures within `window` seconds further attempts are refused until the window has passed."""

    def __init__(self, limit: int = 10, window: float = 900, base_delay: float = 0.5, max_delay: float = 8, clock=time.monotonic):
        self.limit, self.window, self.base_delay, self.max_delay, self.clock = limit, window, base_delay, max_delay, clock
        self.failures: dict[str, list[float]] = defaultdict(list)

    def _recent(self, key: str) -> list[float]:
        now = self.clock()
        kept = [t for t in self.failures.get(key, []) if now - t < self.window]
        if kept:
            self.failures[key] = kept
        else:
            self.failures.pop(key, None)
        return kept

    def blocked(self, keys: list[str]) -> bool:
        return any(len(self._recent(k)) >= self.limit for k in keys)

    def fail(self, keys: list[str]) -> float:
        """Record a failure; the delay to wait before answering it."""
        for k in keys:
            self.failures[k].append(self.clock())
        count = max(len(self._recent(k)) for k in keys)
        return min(self.base_delay * 2 ** (count - 1), self.max_delay)

    def succeed(self, keys: list[str]) -> None:
        for k in keys:
            self.failures.pop(k, None)


class Desk:
    """The desk's share of the server: the store, who is logged in, the login throttle."""

    def __init__(self, settings: ServeSettings):
        self.settings = settings
        self.store: Store = open_store(settings.store)
        self.open_host = is_loopback(settings.host)
        if not self.open_host and users.user_count(self.store) == 0:
            self.store.close()
            raise UsageError(NO_USERS_MESSAGE.format(host=settings.host, store=settings.store))
        self.sessions: dict[str, tuple[str, float]] = {}
        self.throttle = Throttle()

    def login_required(self) -> bool:
        return not self.open_host or users.user_count(self.store) > 0

    def user_of(self, token: str | None) -> str | None:
        found = self.sessions.get(token or "")
        if found is None:
            return None
        name, expires = found
        if time.monotonic() > expires:
            self.sessions.pop(token, None)
            return None
        return name

    def start_session(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        self.sessions[token] = (name, time.monotonic() + SESSION_HOURS * 3600)
        return token


@dataclass
class Who:
    user: str | None  # None: the open desk on loopback with no users
    token: str | None  # the session the CSRF token is bound to


def _desk(request: Request) -> Desk:
    desk = request.app.state.web.desk
    if desk is None:
        raise HTTPException(404)
    return desk


async def _who(request: Request, api: bool) -> Who:
    """Who is asking; raises 401 (API) or redirects to the login form (pages) when a login is needed."""
    desk = _desk(request)
    token = request.cookies.get(DESK_COOKIE)
    user = desk.user_of(token)
    if user is not None:
        return Who(user, token)
    if await asyncio.to_thread(desk.login_required):
        if api:
            raise HTTPException(401, "请先登录：POST /api/login {\"user\": …, \"password\": …}")
        raise _Redirect("/desk/login?next=" + quote(request.url.path))
    return Who(None, request.cookies.get(SESSION_COOKIE))


class _Redirect(Exception):
    def __init__(self, to: str):
        self.to = to


def _same_origin(request: Request, page: bool = False) -> bool:
    """A POST must come from this server's own pages (or from a program, which sends no Origin).

    Our pages send Referrer-Policy no-referrer, under which a browser's form
    POST says `Origin: null`: a page's form is let through with it (its CSRF
    token is checked), an API call is not.
    """
    origin = request.headers.get("origin")
    if origin is None or (page and origin == "null"):
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _int(request: Request, key: str = "id") -> int:
    return int(request.path_params[key])


def _json(data, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def desk_route(api: bool, post: bool = False):
    """Wrap a handler: access, same-origin POSTs, and the services' errors as 400/404 (JSON for the API)."""

    def decorate(handler):
        async def endpoint(request: Request) -> Response:
            web = request.app.state.web
            try:
                if post and not _same_origin(request, page=not api):
                    raise HTTPException(403, "请求不是从本站页面发出的，已拒绝")
                who = await _who(request, api)
                return await handler(request, who)
            except _Redirect as r:
                return RedirectResponse(r.to, status_code=303)
            except LookupError:
                raise HTTPException(404) from None
            except (StoreError, UsageError) as exc:
                if api:
                    return _error(400, str(exc))
                return web.error_page(400, "无法完成操作", str(exc))
            except HTTPException as exc:
                if api and exc.status_code in (401, 403):
                    return _error(exc.status_code, str(exc.detail))
                if not api and exc.status_code == 403:
                    return web.error_page(403, "页面已过期", str(exc.detail))
                raise

        endpoint.__name__ = handler.__name__
        return endpoint

    return decorate


async def _call(function, *args):
    return await asyncio.to_thread(function, *args)


def _csrf(request: Request, who: Who) -> str:
    return csrf_token(request.app.state.web.settings.secret, who.token) if who.token else ""


def _check_csrf(request: Request, who: Who, token: str | None) -> None:
    if not csrf_ok(request.app.state.web.settings.secret, who.token, token):
        raise HTTPException(403, "表单已过期，或不是从本站页面提交的：请回到审查台重新操作。")


def _page(request: Request, who: Who, template: str, **context) -> HTMLResponse:
    web = request.app.state.web
    fresh = who.token is None and who.user is None
    if fresh:  # the open desk: a session cookie for the forms' CSRF tokens
        who = Who(None, new_session())
    response = web.page(template, user=who.user, csrf=_csrf(request, who), **context)
    if fresh:
        set_session_cookie(response, who.token, request.url.scheme == "https")
    return response


# ---------------------------------------------------------------- audits through the pool


async def _add_upload(request: Request, who: Who, round_id: int, form: bool = False) -> list[dict]:
    """Receive a multipart upload (field `files`), audit it in an audit process, store it; `form`: the page's form
    (its CSRF token is checked before anything is audited)."""
    web = request.app.state.web
    desk = _desk(request)
    await _call(reaudit.round_year, desk.store, round_id)  # 404 before receiving the files
    folder = web.upload_folder()
    try:
        try:
            received = await receive(request, folder, web.limits)
        except UploadRefused as exc:
            raise StoreError(exc.message) from None
        if form:
            _check_csrf(request, who, received.fields.get("csrf"))
        if not received.names:
            raise StoreError("没有收到文件：请用 multipart 字段 files 上传一个或多个报告文件")
        prepared = await _call(reaudit.prepare_upload, desk.store, round_id, folder, received.names)
        audited = await _audit(web, prepared, len(received.names))
        await _call(reaudit.attach_data, prepared, audited)
        return await _call(submissions.record, desk.store, round_id, audited, who.user)
    finally:
        await asyncio.to_thread(remove_folder, folder)


async def _audit(web, prepared, count: int, html: bool = False):
    try:
        return await web.pool.call(desk_audit, *prepared.args({"timeout": web.settings.timeout}), html, timeout=web.settings.task_timeout(count))
    except UploadFailed as exc:
        raise StoreError(str(exc)) from None


async def _reaudit(request: Request, who: Who, round_id: int) -> int:
    web = request.app.state.web
    desk = _desk(request)
    prepared = await _call(reaudit.prepare_reaudit, desk.store, round_id)
    try:
        if not prepared.entries:
            return 0
        audited = await _audit(web, prepared, len(prepared.entries))
        return await _call(reaudit.apply_reaudit, desk.store, round_id, prepared, audited, who.user)
    finally:
        await asyncio.to_thread(prepared.remove)


# ---------------------------------------------------------------- JSON API


async def _body(request: Request) -> dict:
    # application/json only: another site's page cannot send it without a CORS preflight, which is never granted
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise StoreError("请求体须为 JSON（Content-Type: application/json）")
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise StoreError("请求体须为 JSON 对象") from None
    if not isinstance(data, dict):
        raise StoreError("请求体须为 JSON 对象")
    return data


async def api_login(request: Request) -> Response:
    desk = _desk(request)
    if not _same_origin(request):
        return _error(403, "请求不是从本站页面发出的，已拒绝")
    try:
        data = await _body(request)
    except StoreError as exc:
        return _error(400, str(exc))
    name, password = str(data.get("user") or ""), str(data.get("password") or "")
    token, message = await _login(request, desk, name, password)
    if token is None:
        return _error(429 if "过多" in message else 401, message)
    response = _json({"user": name})
    _set_desk_cookie(request, response, token)
    return response


async def _login(request: Request, desk: Desk, name: str, password: str) -> tuple[str | None, str]:
    keys = [f"user:{name}", f"client:{request.client.host if request.client else ''}"]
    if desk.throttle.blocked(keys):
        return None, f"密码错误次数过多：请 {desk.throttle.window / 60:g} 分钟后再试"
    if name and password and await _call(users.verify, desk.store, name, password):
        desk.throttle.succeed(keys)
        await _call(_log, desk.store, name, "login")
        return desk.start_session(name), ""
    await asyncio.sleep(desk.throttle.fail(keys))
    return None, "用户名或密码不正确"


def _log(store, user, action) -> None:
    from fazhi_audit.desk.services import log

    with store.session() as session:
        log.record(session, user, action)


def _set_desk_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(DESK_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/", max_age=SESSION_HOURS * 3600)


@desk_route(api=True)
async def api_rounds(request: Request, who: Who) -> Response:
    return _json(await _call(rounds.list_rounds, _desk(request).store))


@desk_route(api=True, post=True)
async def api_create_round(request: Request, who: Who) -> Response:
    data = await _body(request)
    year = data.get("year")
    if isinstance(year, str) and year.isdigit():
        year = int(year)
    round_id = await _call(rounds.create_round, _desk(request).store, year, data.get("title"), who.user)
    return _json({"id": round_id}, 201)


@desk_route(api=True)
async def api_round(request: Request, who: Who) -> Response:
    return _json(await _call(rounds.ranking, _desk(request).store, _int(request)))


@desk_route(api=True, post=True)
async def api_add_submissions(request: Request, who: Who) -> Response:
    try:
        added = await _add_upload(request, who, _int(request))
    except ClientDisconnect:
        return Response(status_code=400)
    return _json({"submissions": added}, 201)


@desk_route(api=True)
async def api_submission(request: Request, who: Who) -> Response:
    return _json(await _call(submissions.detail, _desk(request).store, _int(request)))


@desk_route(api=True, post=True)
async def api_decide(request: Request, who: Who) -> Response:
    data = await _body(request)
    done = await _call(decisions.decide, _desk(request).store, _int(request), str(data.get("fingerprint") or ""), str(data.get("decision") or ""), str(data.get("note") or ""), who.user)
    return _json(done)


@desk_route(api=True)
async def api_history(request: Request, who: Who) -> Response:
    return _json(await _call(history.body_history, _desk(request).store, request.path_params["body"]))


@desk_route(api=True, post=True)
async def api_reaudit(request: Request, who: Who) -> Response:
    return _json({"reaudited": await _reaudit(request, who, _int(request))})


@desk_route(api=True)
async def api_export_xlsx(request: Request, who: Who) -> Response:
    store = _desk(request).store
    data = await _call(exports.round_xlsx, store, _int(request))
    return Response(data, media_type=XLSX, headers={"content-disposition": attachment(f"审查结果-{_int(request)}.xlsx")})


@desk_route(api=True)
async def api_circular(request: Request, who: Who) -> Response:
    store = _desk(request).store
    data = await _call(exports.circular_docx, store, _int(request))
    await _call(_log, store, who.user, "round.circular")
    return Response(data, media_type=DOCX, headers={"content-disposition": attachment(f"通报草稿-{_int(request)}.docx")})


# ---------------------------------------------------------------- pages


async def _form(request: Request) -> dict:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@desk_route(api=True)
async def api_log(request: Request, who: Who) -> Response:
    from fazhi_audit.desk.services import log

    return _json(await _call(log.recent, _desk(request).store, 500))


@desk_route(api=False)
async def desk_home(request: Request, who: Who) -> Response:
    from fazhi_audit.desk.services import log

    store = _desk(request).store
    listed = await _call(rounds.list_rounds, store)
    recent = await _call(log.recent, store, 20)
    return _page(request, who, "desk_rounds.html.j2", rounds=listed, log=recent, actions=log.ACTIONS, default_year=time.localtime().tm_year - 1)


@desk_route(api=False, post=True)
async def desk_create_round(request: Request, who: Who) -> Response:
    form = await _form(request)
    _check_csrf(request, who, form.get("csrf"))
    year = form.get("year", "").strip()
    if not year.isdigit():
        raise StoreError("请填写年度（如 2025）")
    round_id = await _call(rounds.create_round, _desk(request).store, int(year), form.get("title"), who.user)
    return RedirectResponse(f"/desk/rounds/{round_id}", status_code=303)


@desk_route(api=False)
async def desk_round(request: Request, who: Who) -> Response:
    data = await _call(rounds.ranking, _desk(request).store, _int(request))
    items = data["submissions"]
    counts = {
        "total": len(items),
        "passed": sum(1 for i in items if i["passed"]),
        "failed": sum(1 for i in items if not i["passed"] and not i["error"]),
        "unreadable": sum(1 for i in items if i["error"]),
        "pending": sum(i["pending"] for i in items),
        "confirmed": sum(i["confirmed"] for i in items),
        "dismissed": sum(i["dismissed"] for i in items),
    }
    return _page(request, who, "desk_round.html.j2", round=data, items=items, counts=counts, max_files=request.app.state.web.settings.max_files)


@desk_route(api=False, post=True)
async def desk_upload(request: Request, who: Who) -> Response:
    round_id = _int(request)
    try:
        await _add_upload(request, who, round_id, form=True)
    except ClientDisconnect:
        return Response(status_code=400)
    return RedirectResponse(f"/desk/rounds/{round_id}", status_code=303)


@desk_route(api=False, post=True)
async def desk_reaudit(request: Request, who: Who) -> Response:
    form = await _form(request)
    _check_csrf(request, who, form.get("csrf"))
    await _reaudit(request, who, _int(request))
    return RedirectResponse(f"/desk/rounds/{_int(request)}", status_code=303)


@desk_route(api=False)
async def desk_submission(request: Request, who: Who) -> Response:
    data = await _call(submissions.detail, _desk(request).store, _int(request))
    report = data["result"]["reports"][0]
    findings = [f for f in report.get("findings", []) if f.get("fingerprint")]
    return _page(request, who, "desk_submission.html.j2", s=data, report=report, findings=findings, choices=decisions.CHOICES,
                 severity=SEVERITY_LABEL, status_label=STATUS_LABEL)


@desk_route(api=False)
async def desk_report_html(request: Request, who: Who) -> Response:
    store, sid = _desk(request).store, _int(request)
    html = await _call(submissions.report_html, store, sid)
    if html is None:  # made on first view, in an audit process, from the stored file (and kept)
        round_id, audited_at = await _call(submissions.placement, store, sid)
        prepared = await _call(reaudit.prepare_reaudit, store, round_id, sid)
        try:
            made = (await _audit(request.app.state.web, prepared, 1, html=True))[0]
        finally:
            await asyncio.to_thread(prepared.remove)
        await _call(submissions.keep_report_html, store, sid, made, audited_at)
        html = zlib.decompress(made.report_html).decode("utf-8")
    return HTMLResponse(html, headers={"content-security-policy": report_csp(html), "x-frame-options": "SAMEORIGIN"})


@desk_route(api=False)
async def desk_result_json(request: Request, who: Who) -> Response:
    name, text = await _call(submissions.check_json, _desk(request).store, _int(request))
    return Response(text, media_type="application/json", headers={"content-disposition": attachment(f"{name}.json")})


@desk_route(api=False)
async def desk_original(request: Request, who: Who) -> Response:
    name, data = await _call(submissions.original, _desk(request).store, _int(request))
    return Response(data, media_type="application/octet-stream", headers={"content-disposition": attachment(name)})


@desk_route(api=False, post=True)
async def desk_decide(request: Request, who: Who) -> Response:
    form = await _form(request)
    _check_csrf(request, who, form.get("csrf"))
    sid = _int(request)
    await _call(decisions.decide, _desk(request).store, sid, form.get("fingerprint", ""), form.get("decision", ""), form.get("note", ""), who.user)
    return RedirectResponse(f"/desk/submissions/{sid}#f-{form.get('fingerprint', '')[:12]}", status_code=303)


@desk_route(api=False)
async def desk_history(request: Request, who: Who) -> Response:
    body = request.path_params["body"]
    rows = await _call(history.body_history, _desk(request).store, body)
    return _page(request, who, "desk_history.html.j2", body=body, rows=rows)


async def desk_login(request: Request) -> Response:
    desk = _desk(request)
    web = request.app.state.web
    target = request.query_params.get("next", "/desk")
    target = target if target.startswith("/desk") else "/desk"
    if request.method == "GET":
        return web.page("desk_login.html.j2", user=None, csrf="", next=target, error=None)
    if not _same_origin(request, page=True):
        return web.error_page(403, "页面已过期", "请求不是从本站页面发出的，已拒绝")
    form = await _form(request)
    token, message = await _login(request, desk, form.get("user", ""), form.get("password", ""))
    if token is None:
        return web.page("desk_login.html.j2", 429 if "过多" in message else 401, user=None, csrf="", next=target, error=message)
    response = RedirectResponse(target, status_code=303)
    _set_desk_cookie(request, response, token)
    return response


async def desk_logout(request: Request) -> Response:
    desk = _desk(request)
    if _same_origin(request, page=True):
        desk.sessions.pop(request.cookies.get(DESK_COOKIE) or "", None)
    response = RedirectResponse("/desk", status_code=303)
    response.delete_cookie(DESK_COOKIE, path="/")
    return response


ROUTES = [
    Route("/desk", desk_home, methods=["GET"]),
    Route("/desk/rounds", desk_create_round, methods=["POST"]),
    Route("/desk/rounds/{id:int}", desk_round, methods=["GET"]),
    Route("/desk/rounds/{id:int}/upload", desk_upload, methods=["POST"]),
    Route("/desk/rounds/{id:int}/reaudit", desk_reaudit, methods=["POST"]),
    Route("/desk/submissions/{id:int}", desk_submission, methods=["GET"]),
    Route("/desk/submissions/{id:int}/report.html", desk_report_html, methods=["GET"]),
    Route("/desk/submissions/{id:int}/original", desk_original, methods=["GET"]),
    Route("/desk/submissions/{id:int}/result.json", desk_result_json, methods=["GET"]),
    Route("/desk/submissions/{id:int}/decide", desk_decide, methods=["POST"]),
    Route("/desk/bodies/{body}", desk_history, methods=["GET"]),
    Route("/desk/login", desk_login, methods=["GET", "POST"]),
    Route("/desk/logout", desk_logout, methods=["POST"]),
    Route("/api/login", api_login, methods=["POST"]),
    Route("/api/rounds", api_rounds, methods=["GET"]),
    Route("/api/rounds", api_create_round, methods=["POST"]),
    Route("/api/rounds/{id:int}", api_round, methods=["GET"]),
    Route("/api/rounds/{id:int}/submissions", api_add_submissions, methods=["POST"]),
    Route("/api/rounds/{id:int}/reaudit", api_reaudit, methods=["POST"]),
    Route("/api/rounds/{id:int}/export.xlsx", api_export_xlsx, methods=["GET"]),
    Route("/api/rounds/{id:int}/circular.docx", api_circular, methods=["GET"]),
    Route("/api/submissions/{id:int}", api_submission, methods=["GET"]),
    Route("/api/submissions/{id:int}/decisions", api_decide, methods=["POST"]),
    Route("/api/bodies/{body}/history", api_history, methods=["GET"]),
    Route("/api/log", api_log, methods=["GET"]),
]
