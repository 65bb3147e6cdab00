"""The web application: `create_app(settings)` returns a Starlette app.

    GET  /                       upload form (sets the session cookie)
    POST /check                  the form: files and/or pasted text, profile, CSRF token -> 303 to /r/<id>
    GET  /r/<id>                 progress while auditing, then the verdicts, downloads and the HTML report
    GET  /r/<id>/status          progress as JSON (the page polls it)
    GET  /r/<id>/report.html     the HTML report (framed by the result page)
    GET  /r/<id>/download/<k>    html | json | xlsx
    GET  /r/<id>/annotated/<n>   the annotated copy of the n-th file (Word inputs)
    POST /api/check              programs: multipart field `files` (and `profile`, and `previous`: last year's report) -> the JSON of `check --format json`
    GET  /healthz                200 once every audit process has loaded the model, else 503

Every /r/ address answers only the browser whose session made the upload;
for any other it is 404, the same as an id that never existed or expired.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import tempfile
import time
import traceback
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from fazhi_audit import __version__
from fazhi_audit.web.security import (
    COMMON_HEADERS,
    PAGE_CSP,
    SESSION_COOKIE,
    attachment,
    csrf_ok,
    csrf_token,
    new_session,
    report_csp,
    set_session_cookie,
)
from fazhi_audit.web.settings import MB, PROFILES, ServeSettings
from fazhi_audit.web.store import Entry, ResultStore
from fazhi_audit.web.uploads import Limits, UploadRefused, receive
from fazhi_audit.web.worker import (
    AuditPool,
    UploadFailed,
    annotate,
    audit_folder,
    remove_folder,
)

HERE = Path(__file__).resolve().parent
LONG_POLL = 3.0  # seconds GET /r/<id> waits for a running audit before showing the progress page
log = logging.getLogger("fazhi_audit.web")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
RETRY_AFTER = 10  # seconds a busy answer asks the client to wait
STOPPING_ERROR = "服务正在停止：本次请求未能完成，请稍后重新提交。"
GENERIC_ERROR = "服务器内部错误：本次检查未能完成。请稍后重试；如反复出现，请联系管理员（错误已记录，不含报告内容）。"


class Web:
    """Everything the routes share: settings, the result store, the audit processes, the templates."""

    def __init__(self, settings: ServeSettings):
        self.settings = settings
        self.store = ResultStore(settings.ttl_seconds, settings.clock, settings.store_bytes)
        self.limits = Limits(settings.max_file_bytes, settings.max_files, settings.max_total_bytes, settings.body_idle_seconds, settings.request_seconds)
        self.active = 0  # uploads being received or audited (admit/release)
        # Large uploads take at most all workers but one, so a small one never waits behind them.
        self.large = asyncio.Semaphore(max(1, settings.workers - 1))
        self.pool: AuditPool | None = None
        self.temp_root: Path | None = None
        self.tasks: set[asyncio.Task] = set()
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined)
        self.desk = None  # the review desk, with --store (web/desk_routes.py)
        if settings.store:
            from fazhi_audit.web.desk_routes import Desk

            self.desk = Desk(settings)

    def start(self) -> None:
        self.temp_root = Path(tempfile.mkdtemp(prefix="fazhi-audit-serve-"))
        self.pool = AuditPool(self.settings.workers, self.store.progress, int(self.settings.worker_memory_mb * MB))
        self.pool.start()

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self.pool is not None:
            await asyncio.to_thread(self.pool.close)
        if self.temp_root is not None:
            remove_folder(self.temp_root)
        if self.desk is not None:
            self.desk.store.close()

    @property
    def ready(self) -> bool:
        return bool(self.pool and self.pool.healthy)

    def page(self, template: str, status: int = 200, **context) -> HTMLResponse:
        context = {"version": __version__, "ttl_minutes": f"{self.settings.ttl_minutes:g}", "desk": self.desk is not None, **context}
        return HTMLResponse(self.env.get_template(template).render(**context), status_code=status)

    def error_page(self, status: int, heading: str, message: str) -> HTMLResponse:
        return self.page("error.html.j2", status, heading=heading, message=message)

    def flags(self, profile: str, previous: str | None = None) -> dict:
        """The page's choices, as fields of engine Options."""
        return {"profile": None if profile == "auto" else profile, "timeout": self.settings.timeout} | ({"previous": Path(previous)} if previous else {})

    def upload_folder(self) -> Path:
        assert self.temp_root is not None
        return Path(tempfile.mkdtemp(dir=self.temp_root))

    def admit(self) -> bool:
        """Take a place for one upload, or False when every place is taken (the caller answers 503)."""
        if self.active >= self.settings.active_limit:
            return False
        self.active += 1
        return True

    def release(self) -> None:
        self.active -= 1

    def busy(self, api: bool) -> Response:
        message = f"服务繁忙：同时在检查的上传已达 {self.settings.active_limit} 个，请 {RETRY_AFTER} 秒后重试"
        response = _json_error(503, message) if api else self.error_page(503, "服务繁忙", message)
        response.headers["retry-after"] = str(RETRY_AFTER)
        return response

    async def audit(self, job_id: str, folder: Path, names: list[str], flags: dict):
        assert self.pool is not None
        timeout = self.settings.task_timeout(len(names))
        size = await asyncio.to_thread(_folder_bytes, folder, names)
        if size <= self.settings.small_upload_bytes:
            return await self.pool.call(audit_folder, job_id, str(folder), names, flags, timeout=timeout)
        try:  # waiting for a large-upload worker counts against the request's time too
            await asyncio.wait_for(self.large.acquire(), self.settings.request_seconds or None)
        except TimeoutError:
            raise UploadFailed(f"服务繁忙：较大的上传正在排队，{self.settings.request_seconds:g} 秒内未能开始检查，请稍后重试") from None
        try:
            return await self.pool.call(audit_folder, job_id, str(folder), names, flags, timeout=timeout)
        finally:
            self.large.release()

    async def audit_entry(self, entry: Entry, folder: Path, names: list[str]) -> None:
        try:
            entry.outcome = await self.audit(entry.id, folder, names, entry.flags)
            # read once the audit is over, and only those that can be annotated: uploads in flight hold no file in memory
            annotatable = [row.name for row in entry.outcome.rows if not row.error and row.name.lower().endswith(".docx")]
            entry.sources = await asyncio.to_thread(_word_inputs, folder, annotatable)
        except UploadFailed as exc:
            entry.error = str(exc)
        except asyncio.CancelledError:
            entry.error = "服务正在停止，本次检查未完成"
            raise
        except Exception as exc:  # noqa: BLE001 - the page shows a line, the log the place
            log_exception("audit", exc)
            entry.error = GENERIC_ERROR
        finally:
            self.release()
            await asyncio.to_thread(remove_folder, folder)
            self.store.finish(entry)


def _folder_bytes(folder: Path, names: list[str]) -> int:
    return sum((folder / name).stat().st_size for name in names)


def log_exception(where: str, exc: BaseException) -> None:
    """The exception's type and stack only: its message may quote a report, so it is not logged."""
    frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    log.error("%s 出错：%s\n%s", where, type(exc).__name__, frames.rstrip())


def _session(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    return value if value and _TOKEN.fullmatch(value) else None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


# ---------------------------------------------------------------- pages


async def index(request: Request) -> Response:
    web: Web = request.app.state.web
    session = _session(request)
    fresh = session is None
    session = session or new_session()
    response = _index_page(web, session)
    if fresh:
        set_session_cookie(response, session, _secure(request))
    return response


def _index_page(web: Web, session: str, status: int = 200, error: str | None = None, text: str = "", profile: str = "auto") -> HTMLResponse:
    s = web.settings
    return web.page(
        "index.html.j2",
        status,
        csrf=csrf_token(s.secret, session),
        profiles=PROFILES,
        profile=profile,
        error=error,
        text=text,
        ready=web.ready,
        max_file_bytes=s.max_file_bytes,
        max_files=s.max_files,
        max_total_bytes=s.max_total_bytes,
        max_file_mb=f"{s.max_file_mb:g}",
    )


async def check_page(request: Request) -> Response:
    web: Web = request.app.state.web
    session = _session(request)
    if not web.admit():
        return web.busy(api=False)
    folder = web.upload_folder()
    handed_over = False
    try:
        try:
            received = await receive(request, folder, web.limits)
        except UploadRefused as exc:
            heading = "文件太大" if exc.status == 413 else "无法接收上传的内容"
            return web.error_page(exc.status, heading, exc.message)
        if not csrf_ok(web.settings.secret, session, received.fields.get("csrf")):
            return web.error_page(403, "页面已过期", "表单已过期，或不是从本站页面提交的：请回到首页，重新选择文件后提交。")
        profile = received.fields.get("profile") or "auto"
        if profile not in PROFILES:
            return web.error_page(400, "无法接收上传的内容", f"未知的报告主体类型 {profile!r}：请在首页的列表中选择")
        if not received.names:
            return _index_page(web, session, 400, "请先选择报告文件，或粘贴报告全文", profile=profile)
        entry = web.store.create(session, len(received.names), web.flags(profile, received.previous))
        if received.previous:  # the annotated copies are made later, in another folder: keep last year's report too
            entry.previous = (received.previous, await asyncio.to_thread((folder / received.previous).read_bytes))
        task = asyncio.create_task(web.audit_entry(entry, folder, received.names))
        web.tasks.add(task)
        task.add_done_callback(web.tasks.discard)
        handed_over = True  # the task removes the folder and gives the place back when the audit is over
        return RedirectResponse(f"/r/{entry.id}", status_code=303)
    except ClientDisconnect:
        return Response(status_code=400)
    finally:
        if not handed_over:
            web.release()
            await asyncio.to_thread(remove_folder, folder)


def _word_inputs(folder: Path, names: list[str]) -> dict[str, bytes]:
    """Word files are kept (in memory, with the result) so that their annotated copies can be made on request."""
    return {name: (folder / name).read_bytes() for name in names if name.lower().endswith(".docx")}


def _entry(request: Request) -> Entry:
    web: Web = request.app.state.web
    entry = web.store.get(request.path_params["id"], _session(request))
    if entry is None:
        raise HTTPException(404)
    return entry


async def result_page(request: Request) -> Response:
    web: Web = request.app.state.web
    entry = _entry(request)
    if not entry.ready:
        try:
            await asyncio.wait_for(entry.finished.wait(), LONG_POLL)
        except TimeoutError:
            return web.page("progress.html.j2", id=entry.id, done=entry.done, total=entry.total)
    minutes_left = max(1, math.ceil((entry.expires - web.settings.clock()) / 60))
    if entry.outcome is None:
        return web.page("result.html.j2", 200, id=entry.id, error=entry.error, minutes_left=minutes_left)
    rows = entry.outcome.rows
    annotated = [dict(vars(row), annotated=row.name in entry.sources) for row in rows]
    return web.page(
        "result.html.j2",
        id=entry.id,
        error=None,
        rows=annotated,
        passed=sum(1 for r in rows if r.passed),
        failed=sum(1 for r in rows if not r.passed and not r.error),
        unreadable=sum(1 for r in rows if r.error),
        notes=entry.outcome.notes,
        has_xlsx=entry.outcome.xlsx is not None,
        minutes_left=minutes_left,
    )


async def status(request: Request) -> Response:
    entry = _entry(request)
    return JSONResponse({"done": entry.done, "total": entry.total, "finished": entry.ready})


def _finished(request: Request) -> Entry:
    entry = _entry(request)
    if not entry.ready or entry.outcome is None:
        raise HTTPException(404)
    return entry


async def report_html(request: Request) -> Response:
    entry = _finished(request)
    html = entry.outcome.html
    return HTMLResponse(html, headers={"content-security-policy": report_csp(html), "x-frame-options": "SAMEORIGIN"})


def _download_stem(entry: Entry) -> str:
    rows = entry.outcome.rows
    return f"{Path(rows[0].name).stem}-检查结果" if len(rows) == 1 else "检查结果"


async def download(request: Request) -> Response:
    entry = _finished(request)
    kind = request.path_params["kind"]
    stem = _download_stem(entry)
    if kind == "html":
        html = entry.outcome.html
        headers = {"content-disposition": attachment(f"{stem}.html"), "content-security-policy": report_csp(html)}
        return HTMLResponse(html, headers=headers)
    if kind == "json":
        return Response(entry.outcome.json, media_type="application/json", headers={"content-disposition": attachment(f"{stem}.json")})
    if kind == "xlsx" and entry.outcome.xlsx is not None:
        data = entry.outcome.xlsx
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(data, media_type=media, headers={"content-disposition": attachment(f"{stem}.xlsx")})
    raise HTTPException(404)


async def annotated(request: Request) -> Response:
    web: Web = request.app.state.web
    entry = _finished(request)
    rows = entry.outcome.rows
    index = request.path_params["n"]
    if not 0 <= index < len(rows) or rows[index].name not in entry.sources or rows[index].error:
        raise HTTPException(404)
    name = rows[index].name
    data = await _made_once(web, entry, f"docx:{name}", annotate, name, entry.sources[name], entry.flags, entry.previous)
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Response(data, media_type=media, headers={"content-disposition": attachment(f"{Path(name).stem}-审查意见.docx")})


async def _made_once(web: Web, entry: Entry, key: str, function, *args) -> bytes:
    """A download made in an audit process on first request, then kept with the entry."""
    if key not in entry.downloads:
        assert web.pool is not None
        try:
            data = await web.pool.call(function, *args, timeout=web.settings.task_timeout(1))
        except UploadFailed as exc:
            raise HTTPException(500, str(exc)) from None
        web.store.add_download(entry, key, data)
        return data
    return entry.downloads[key]


# ---------------------------------------------------------------- programs


async def api_check(request: Request) -> Response:
    web: Web = request.app.state.web
    if SESSION_COOKIE in request.cookies:
        return _json_error(403, "本接口供程序调用，不接受浏览器的会话 Cookie；在浏览器中请使用首页的上传表单")
    if not web.admit():
        return web.busy(api=True)
    folder = web.upload_folder()
    try:
        try:
            received = await receive(request, folder, web.limits)
        except UploadRefused as exc:
            return _json_error(exc.status, exc.message)
        profile = received.fields.get("profile") or "auto"
        if profile not in PROFILES:
            return _json_error(400, f"未知的报告主体类型 {profile!r}：可选 {', '.join(PROFILES)}")
        if not received.names:
            return _json_error(400, "没有收到文件：请用 multipart 字段 files 上传一个或多个报告文件")
        try:
            outcome = await web.audit("", folder, received.names, web.flags(profile, received.previous))
        except UploadFailed as exc:
            return _json_error(422, str(exc))
        return Response(outcome.json, media_type="application/json", headers={"x-fazhi-audit-exit-code": str(outcome.exit_code)})
    except ClientDisconnect:
        return Response(status_code=400)
    finally:
        web.release()
        await asyncio.to_thread(remove_folder, folder)


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def healthz(request: Request) -> Response:
    web: Web = request.app.state.web
    if web.ready:
        return JSONResponse({"status": "ok", "workers": web.settings.workers})
    return JSONResponse({"status": "starting", "message": "正在加载分词模型"}, status_code=503)


# ---------------------------------------------------------------- errors, headers, log

_HEADINGS = {404: "找不到页面", 405: "不支持的请求方式"}


async def http_error(request: Request, exc: HTTPException) -> Response:
    web: Web = request.app.state.web
    if request.url.path.startswith("/api/") or request.url.path.endswith("/status"):
        return _json_error(exc.status_code, "找不到该结果" if exc.status_code == 404 else str(exc.detail))
    if request.url.path.startswith("/desk") and exc.status_code == 404:
        return web.error_page(404, "找不到页面", "审查库中没有这个轮次、报告或页面：请回到审查台首页。")
    if exc.status_code == 404:
        message = "找不到该页面或检查结果：结果只保存一段时间（过期后自动清除），且只有上传报告的浏览器能打开。请回到首页重新检查。"
    elif exc.status_code >= 500:
        message = str(exc.detail)
    else:
        message = "请求无效：请回到首页重新操作。"
    return web.error_page(exc.status_code, _HEADINGS.get(exc.status_code, "出错了"), message)


class CatchAll:
    """Any exception in a route ends here: a Chinese page (JSON for the API), never a traceback.

    Starlette's own last-resort handler answers and then raises the exception
    again for the server to log, and uvicorn would log its message, which may
    quote a report. Here it is logged by type and place only, and stops.
    """

    def __init__(self, app, web: Web):
        self.app = app
        self.web = web

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except asyncio.CancelledError:
            # the server is stopping and its grace period is over: answer in Chinese, no traceback
            if not started:
                api = scope["path"].startswith("/api/")
                response = _json_error(503, STOPPING_ERROR) if api else self.web.error_page(503, "服务正在停止", STOPPING_ERROR)
                with contextlib.suppress(Exception):
                    await response(scope, receive, send)
            return
        except Exception as exc:  # noqa: BLE001 - the whole point
            log_exception(f"{scope['method']} {scope['path']}", exc)
            if started:
                return  # half a response went out: the client sees a cut connection, the server goes on
            if scope["path"].startswith("/api/"):
                response: Response = _json_error(500, GENERIC_ERROR)
            else:
                response = self.web.error_page(500, "出错了", GENERIC_ERROR)
            await response(scope, receive, send)


def _secure_headers(headers: MutableHeaders, path: str) -> None:
    headers.setdefault("content-security-policy", PAGE_CSP)
    headers.setdefault("x-frame-options", "DENY")
    headers.setdefault("cache-control", "no-cache" if path.startswith("/static/") else "no-store")
    for key, value in COMMON_HEADERS.items():
        headers.setdefault(key, value)


class SecurityHeaders:
    """Adds the policy headers to every response that did not set its own."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                _secure_headers(MutableHeaders(scope=message), scope["path"])
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AccessLog:
    """One line per request: method, path without query string, status, time. No file names, no report text."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = [0]

        async def record(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            log.info("%s %s %d %.0fms", scope["method"], scope["path"], status[0] or 500, (time.perf_counter() - started) * 1000)


def create_app(settings: ServeSettings | None = None) -> Starlette:
    web = Web(settings or ServeSettings())

    @asynccontextmanager
    async def lifespan(_app):
        web.start()
        try:
            yield
        finally:
            await web.stop()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/check", check_page, methods=["POST"]),
        Route("/r/{id}", result_page, methods=["GET"]),
        Route("/r/{id}/status", status, methods=["GET"]),
        Route("/r/{id}/report.html", report_html, methods=["GET"]),
        Route("/r/{id}/download/{kind}", download, methods=["GET"]),
        Route("/r/{id}/annotated/{n:int}", annotated, methods=["GET"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    if web.desk is not None:
        from fazhi_audit.web.desk_routes import ROUTES

        routes[-1:-1] = ROUTES
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error})
    app.add_middleware(CatchAll, web=web)  # added first: innermost, so its page still gets the headers and the log line
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    app.state.web = web
    return app


__all__ = ["ServeSettings", "create_app"]
