"""`fazhi-audit serve` against the issue 23 attacks on memory, fairness and connections (loopback only).

    python benchmarks/bench_serve_hostile.py [--workers 2] [--slow-mb 3] [--posts 12] [--file-mb 1.9] [--connections 500]

Starts `python -m fazhi_audit serve` on a free 127.0.0.1 port, waits for
/healthz, then measures:

  fairness     -- two POST /api/check of slow texts (--slow-mb each) start; a
                  10 KB report is then uploaded three times: its latency
                  (median), while the slow ones still run.
  memory       -- --posts simultaneous POST /api/check of 10 × --file-mb .docx
                  (a short report plus an incompressible image, so the upload is
                  big and the audit cheap): answers by status (503 = refused at
                  the admission limit), the peak resident memory of the server
                  and its audit processes while they run, and after.
  connections  -- --connections sockets that never finish their headers: how
                  many the server has closed after header_seconds + 2 s.
  stalled body -- headers and half a body, then nothing: seconds until the
                  server answers (408) or closes.

Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_annotate import build_docx
from bench_serve import HOST, Client, free_port, multipart, shown, tree_rss

ROOT = Path(__file__).resolve().parents[1]
SEED = min((ROOT / "seeds").glob("*.txt"))


def padded_docx(source: Path, megabytes: float) -> bytes:
    """The report with an incompressible image of `megabytes` added to the package."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            target.writestr(info, package.read(info))
        target.writestr("word/media/padding.png", os.urandom(int(megabytes * 1024 * 1024)))
    return out.getvalue()


def api(port: int, files: list[tuple[str, bytes]]) -> tuple[int, float]:
    body, kind = multipart(files, {})
    started = time.perf_counter()
    status, _, _ = Client(port, session=False).request("POST", "/api/check", body, kind)
    return status, time.perf_counter() - started


def start_server(port: int, workers: int, log) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "fazhi_audit", "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=log,
    )
    started = time.perf_counter()
    while True:
        try:
            if Client(port, session=False).request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None or time.perf_counter() - started > 300:
            raise SystemExit("the server did not start")
        time.sleep(0.2)


def fairness(port: int, slow_mb: float) -> None:
    text = SEED.read_text(encoding="utf-8")
    slow = (text * (int(slow_mb * 1024 * 1024) // len(text.encode()) + 1)).encode()[: int(slow_mb * 1024 * 1024)]
    def slow_upload(i: int) -> None:
        try:
            api(port, [(f"slow{i}.txt", slow)])
        except OSError:
            pass  # the client gives up after 120 s; the server's own limits end the audit

    slow_threads = [threading.Thread(target=slow_upload, args=(i,), daemon=True) for i in range(2)]
    for thread in slow_threads:
        thread.start()
    time.sleep(2)
    small = SEED.read_bytes()
    times = []
    for _ in range(3):
        status, seconds = api(port, [("small.txt", small)])
        times.append(seconds)
    busy = sum(thread.is_alive() for thread in slow_threads)
    print(f"公平：两份 {slow_mb:g} MB 的慢文本检查中（仍在检查 {busy} 份），{len(small) / 1024:.0f} KB 的报告上传 3 次：延迟中位数 {statistics.median(times):.2f} s（最后一次状态 {status}）")
    for thread in slow_threads:
        thread.join(timeout=600)


def memory(port: int, server_pid: int, posts: int, data: bytes) -> None:
    before = tree_rss(server_pid)
    peak = [sum(before)]
    statuses: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(tree_rss(server_pid)))
            time.sleep(0.05)

    def post() -> None:
        statuses.append(api(port, [(f"报告{i}.docx", data) for i in range(10)])[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=post) for _ in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    sampler.join()
    time.sleep(2)
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"内存：{posts} 个同时的上传，每个 10 × {len(data) / 1024 / 1024:.1f} MB .docx：答复 {counts}")
    print(f"  负载前 {shown(before)}；负载中峰值 {peak[0]:.0f} MB；之后 {shown(tree_rss(server_pid))}")


def connections(port: int, count: int, wait: float) -> None:
    sockets = []
    for _ in range(count):
        s = socket.create_connection((HOST, port), timeout=30)
        s.sendall(b"POST /api/check HTTP/1.1\r\nHost: x\r\n")  # never finished
        sockets.append(s)
    time.sleep(wait)
    closed = 0
    for s in sockets:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        s.close()
    print(f"连接：{count} 个不发完请求头的连接，{wait:g} 秒后被服务关闭 {closed} 个")


def stalled_body(port: int) -> None:
    s = socket.create_connection((HOST, port), timeout=120)
    boundary = "b0undary"
    head = f"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 100000\r\n\r\n"
    s.sendall(head.encode() + f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n法治'.encode())
    started = time.perf_counter()
    answer = s.recv(64).split(b"\r\n")[0].decode(errors="replace") or "（连接关闭）"
    print(f"停顿的上传：{time.perf_counter() - started:.1f} 秒后得到答复 {answer}")
    s.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--slow-mb", type=float, default=3)
    ap.add_argument("--posts", type=int, default=12)
    ap.add_argument("--file-mb", type=float, default=1.9)
    ap.add_argument("--connections", type=int, default=500)
    args = ap.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "报告.docx"
        build_docx(source, 5000)
        data = padded_docx(source, args.file_mb)
        with open(Path(tmp) / "serve.log", "wb") as log:
            server = start_server(port, args.workers, log)
            try:
                fairness(port, args.slow_mb)
                memory(port, server.pid, args.posts, data)
                connections(port, args.connections, 10 + 2)
                stalled_body(port)
            finally:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
        traces = (Path(tmp) / "serve.log").read_text(encoding="utf-8", errors="replace").count("Traceback")
        print(f"服务日志中的 Traceback：{traces} 个")


if __name__ == "__main__":
    main()
