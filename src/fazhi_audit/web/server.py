"""Start the web application under uvicorn: what `fazhi-audit serve` does."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import threading
import time
import webbrowser

from fazhi_audit.base.errors import UsageError
from fazhi_audit.web.settings import ServeSettings, exposure_warning

LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(message)s"}},
    "filters": {"chinese": {"()": "fazhi_audit.web.console_log.ChineseConsole"}},  # uvicorn's English lines reworded
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr", "filters": ["chinese"]}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},  # our own access line has no query strings
        "fazhi_audit.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or a one-line Chinese reason why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise UsageError(f"无法识别监听地址 {host!r}：本机访问用 127.0.0.1，局域网访问用 0.0.0.0 或本机的 IP 地址") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    if os.name != "nt":  # on Windows SO_REUSEADDR would let a second server take a port in use
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, 10048):  # 10048: WSAEADDRINUSE
            raise UsageError(f"端口 {port} 已被占用（可能已有一个 fazhi-audit serve 在运行）：请用 --port 换一个端口") from None
        raise UsageError(f"无法监听 {host}:{port}：{exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def page_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def serve(settings: ServeSettings, open_browser: bool = False) -> None:
    import uvicorn

    from fazhi_audit.web.app import create_app
    from fazhi_audit.web.connections import guarded_protocol

    app = create_app(settings)  # a store that cannot be opened, or a desk without users beyond loopback, stops here
    warning = exposure_warning(settings.host, settings.port)
    if warning:
        print(warning, file=sys.stderr)
    sock = bind(settings.host, settings.port)
    url = page_url(settings.host, settings.port)
    print(f"fazhi-audit 网页版已启动：{url}（按 Ctrl-C 停止；首次启动时加载分词模型约需十几秒）", file=sys.stderr)
    if settings.store:
        print(f"审查台：{url}desk（审查库 {app.state.web.desk.store.label}）", file=sys.stderr)
    config = uvicorn.Config(
        app,
        log_config=LOG_CONFIG,
        access_log=False,
        server_header=False,
        proxy_headers=True,  # X-Forwarded-Proto/For from a reverse proxy on this machine (--forwarded-allow-ips of uvicorn: 127.0.0.1)
        timeout_graceful_shutdown=10,
        http=guarded_protocol(settings.header_seconds),  # headers must arrive within header_seconds
        limit_concurrency=settings.max_connections,  # beyond: 503 from uvicorn
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Thread(target=_open_when_listening, args=(server, url), daemon=True).start()
    # uvicorn takes SIGINT/SIGTERM while it runs and raises them again after a clean stop: let that be the end.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print("fazhi-audit 网页版已停止", file=sys.stderr)


def _open_when_listening(server, url: str) -> None:
    for _ in range(600):
        if server.started:
            webbrowser.open(url)
            return
        time.sleep(0.1)
