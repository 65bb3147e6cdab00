"""`fazhi-audit serve` under load, on loopback only.

    python benchmarks/bench_serve.py [--workers 2] [--runs 50] [--uploads 500] [--clients 8]

Starts `python -m fazhi_audit serve` on a free 127.0.0.1 port and waits for
/healthz, then measures, with the ~5,000-character .docx of bench_annotate.py:

  warm latency  -- one client, --runs uploads one after another (after 5 not
                   counted): the form post (POST /check, 303), the result page
                   (GET /r/<id>) and the report it frames (GET /r/<id>/report.html);
                   and the same upload through POST /api/check. Median and 95th percentile.
  load          -- --clients threads, each with its own session, share --uploads
                   page uploads (post, result page, report); stops by itself after
                   them (or --max-seconds). Throughput, latency under load, errors
                   (any status other than 303/200, any exception).
  for scale     -- the audit alone (Auditor.audit_path in this process, model loaded),
                   so the web layer's share of the latency can be read off.
  memory        -- resident size of the server and of its audit processes (from
                   /proc) before the load; after it (the page results are held, by
                   design); after --uploads more through the API, which keeps
                   nothing; and after a second page load once the first one's
                   results have expired (the server runs with --keep-minutes 1
                   for this), which shows whether freed memory is reused.

Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_annotate import build_docx

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def multipart(files: list[tuple[str, bytes]], fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, data in files:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'.encode()
        out += b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class Client:
    """One browser: a keep-alive connection, its session cookie and CSRF token."""

    def __init__(self, port: int, session: bool = True):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookie = ""
        self.csrf = ""
        if session:
            _, headers, body = self.request("GET", "/")
            self.cookie = headers["set-cookie"].split(";", 1)[0]
            self.csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        self.last_status = response.status
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def page_upload(self, name: str, data: bytes) -> bool:
        """Post the form, open the result, load the report; True if every step answered as it should."""
        body, kind = multipart([(name, data)], {"csrf": self.csrf, "profile": "auto"})
        status, headers, _ = self.request("POST", "/check", body, kind)
        if status != 303:
            return False
        where = headers["location"]
        status, _, page = self.request("GET", where)
        while status == 200 and "正在检查".encode() in page:  # only when an audit takes longer than the page waits
            time.sleep(0.1)
            status, _, page = self.request("GET", where)
        if status != 200 or b'class="files"' not in page:
            return False
        status, _, report = self.request("GET", where + "/report.html")
        return status == 200 and "待改问题".encode() in report

    def api_upload(self, name: str, data: bytes) -> bool:
        body, kind = multipart([(name, data)], {})
        status, _, answer = self.request("POST", "/api/check", body, kind)
        return status == 200 and answer.startswith(b"{")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss(pid: int) -> tuple[float, float]:
    """Resident size (MB) of `pid` itself and of all its descendants, from /proc."""
    return rss_mb(pid), sum(rss_mb(p) for p in descendants(pid))


def shown(rss: tuple[float, float]) -> str:
    return f"{sum(rss):.0f} MB（服务进程 {rss[0]:.0f} + 检查进程 {rss[1]:.0f}）"


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def warm_latency(port: int, name: str, data: bytes, runs: int) -> tuple[list[float], list[float]]:
    page, api = Client(port), Client(port, session=False)
    for _ in range(5):
        page.page_upload(name, data)
        api.api_upload(name, data)
    page_times, api_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        assert page.page_upload(name, data), "page upload failed"
        page_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert api.api_upload(name, data), "API upload failed"
        api_times.append(time.perf_counter() - started)
    return page_times, api_times


BUSY_BACKOFF = 0.05  # seconds; the server's Retry-After (10 s) is meant for people, a benchmark client retries sooner


def load(port: int, name: str, data: bytes, uploads: int, clients: int, max_seconds: float, api: bool = False) -> dict:
    """`clients` threads share `uploads` uploads; stops after them or after max_seconds."""
    lock = threading.Lock()
    left = [uploads]
    times: list[float] = []
    errors: list[str] = []
    busy = [0]
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        try:
            me = Client(port, session=not api)
        except Exception as exc:  # noqa: BLE001 - counted, not raised
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            return
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            started = time.perf_counter()
            while True:
                try:
                    ok = me.api_upload(name, data) if api else me.page_upload(name, data)
                except Exception as exc:  # noqa: BLE001
                    ok = False
                    me = Client(port, session=not api)
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                if ok or getattr(me, "last_status", None) != 503 or time.monotonic() >= deadline:
                    break
                with lock:
                    busy[0] += 1
                time.sleep(BUSY_BACKOFF)  # a busy answer: the client waits a little and sends the upload again
            with lock:
                times.append(time.perf_counter() - started)
                if not ok:
                    errors.append(f"unexpected answer (HTTP {getattr(me, 'last_status', '?')})")

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"done": len(times), "wall": wall, "times": times, "errors": errors, "busy": busy[0]}


def audit_alone(path: Path, runs: int) -> list[float]:
    from fazhi_audit.engine.audit import Auditor

    auditor = Auditor()
    auditor.audit_path(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        auditor.audit_path(path)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--uploads", type=int, default=500)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--max-seconds", type=float, default=600)
    args = ap.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "报告.docx"
        chars = build_docx(source, 5000)
        data = source.read_bytes()
        alone = audit_alone(source, min(args.runs, 20))
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [sys.executable, "-m", "fazhi_audit", "serve", "--host", HOST, "--port", str(port), "--workers", str(args.workers), "--keep-minutes", "1"],
            stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            started = time.perf_counter()
            while True:
                try:
                    if Client(port, session=False).request("GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 300:
                    raise SystemExit((Path(tmp) / "serve.log").read_text(encoding="utf-8"))
                time.sleep(0.2)
            ready = time.perf_counter() - started
            print(f"服务就绪（/healthz 200）：{ready:.1f} s；检查进程 {args.workers} 个；报告 {chars} 字，.docx {len(data) / 1024:.0f} KB")

            page_times, api_times = warm_latency(port, source.name, data, args.runs)
            print(f"热启动延迟（单个客户端，{args.runs} 次）：")
            print(f"  网页：上传 → 结果页 → 报告  中位数 {statistics.median(page_times) * 1000:.0f} ms，P95 {percentile(page_times, 0.95) * 1000:.0f} ms")
            print(f"  接口：POST /api/check       中位数 {statistics.median(api_times) * 1000:.0f} ms，P95 {percentile(api_times, 0.95) * 1000:.0f} ms")
            print(f"  对照：检查本身（Auditor.audit_path，本进程）中位数 {statistics.median(alone) * 1000:.0f} ms")

            before = tree_rss(server.pid)
            result = load(port, source.name, data, args.uploads, args.clients, args.max_seconds)
            after_page = tree_rss(server.pid)
            times = result["times"]
            print(f"负载（{args.clients} 个并发客户端，网页上传 {result['done']} 次，用时 {result['wall']:.1f} s）：")
            print(f"  吞吐 {result['done'] / result['wall']:.1f} 次/秒；延迟中位数 {statistics.median(times) * 1000:.0f} ms，P95 {percentile(times, 0.95) * 1000:.0f} ms；错误 {len(result['errors'])} 次；“服务繁忙”后重发 {result['busy']} 次")
            for error in sorted(set(result["errors"]))[:5]:
                print(f"    {error}")
            page_done = time.monotonic()
            api_load = load(port, source.name, data, args.uploads, args.clients, args.max_seconds, api=True)
            after_api = tree_rss(server.pid)
            time.sleep(max(0.0, page_done + 62 - time.monotonic()))  # the first page load's results expire
            again = load(port, source.name, data, args.uploads, args.clients, args.max_seconds)
            after_again = tree_rss(server.pid)
            print(f"  接口上传 {api_load['done']} 次，用时 {api_load['wall']:.1f} s，吞吐 {api_load['done'] / api_load['wall']:.1f} 次/秒，错误 {len(api_load['errors'])} 次；“服务繁忙”后重发 {api_load['busy']} 次")
            print("常驻内存（服务进程与检查进程合计）：")
            print(f"  负载前 {shown(before)}")
            print(f"  {result['done']} 次网页上传后 {shown(after_page)}（这些结果按设计保存在内存中，本测量中为 1 分钟）")
            print(f"  再 {api_load['done']} 次接口上传后 {shown(after_api)}")
            print(f"  前面的结果过期后，再 {again['done']} 次网页上传（错误 {len(again['errors'])} 次）后 {shown(after_again)}")
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


if __name__ == "__main__":
    main()
