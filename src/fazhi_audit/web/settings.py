"""What an office can set when it runs `fazhi-audit serve`, with the defaults of the issue."""

from __future__ import annotations

import ipaddress
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MB = 1024 * 1024

# profile value -> label on the page; "auto" first, as the default
PROFILES = {
    "auto": "自动识别",
    "township": "乡镇（街道）",
    "county": "县级政府",
    "department": "政府部门",
    "generic": "通用（不区分主体类型）",
}


def default_workers() -> int:
    """Two audit processes: each holds the model (about 370 MB); more only where cores and memory allow."""
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = field(default_factory=default_workers)
    max_file_mb: float = 20
    max_files: int = 100
    max_total_mb: float = 200  # one request in all: bounds the temporary disk a single upload can take
    ttl_minutes: float = 30  # results are forgotten this long after they are ready
    timeout: float = 60  # seconds per report, as `check --timeout`
    store_mb: float = 512  # results held in memory at most; the oldest go first beyond it
    max_active: int | None = None  # uploads received or audited at once (default 2 × workers + 2); beyond: 503 + Retry-After
    small_upload_mb: float = 1  # an upload up to this size never waits behind large ones: one worker is kept for it
    request_seconds: float = 300  # one upload, from its first byte to its answer
    body_idle_seconds: float = 20  # an upload that sends nothing for this long is cut off (408)
    header_seconds: float = 10  # a connection that has not sent its request headers by then is closed
    max_connections: int = 200  # open connections at most; beyond, new requests get 503
    worker_memory_mb: float = 1024  # an audit process that grew past this after a job is replaced
    clock: Callable[[], float] = time.monotonic  # tests pass a clock they can move
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs CSRF tokens; new each start
    store: str | None = None  # --store: the review desk's database (None: no desk, only the stateless page)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_total_bytes(self) -> int:
        return int(self.max_total_mb * MB)

    @property
    def ttl_seconds(self) -> float:
        return self.ttl_minutes * 60

    @property
    def store_bytes(self) -> int:
        return int(self.store_mb * MB)

    @property
    def active_limit(self) -> int:
        return self.max_active or 2 * self.workers + 2

    @property
    def small_upload_bytes(self) -> int:
        return int(self.small_upload_mb * MB)

    def task_timeout(self, files: int) -> float | None:
        """A whole upload's limit in its worker: every report at its own limit plus start-up slack, within the request's limit."""
        per_file = None if not self.timeout else self.timeout * max(files, 1) + 30
        if not self.request_seconds:
            return per_file
        return min(per_file, self.request_seconds) if per_file else self.request_seconds


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """What an office must know before binding beyond this machine; None on loopback."""
    if is_loopback(host):
        return None
    return (
        f"警告：服务将对局域网内所有能访问本机 {port} 端口的计算机开放（监听 {host}）。"
        "任何能连到本机的人都可以上传报告、使用本机的计算资源；检查结果只有上传者本人的浏览器能打开。"
        "请只在单位内网使用，用防火墙限定来源，或放在单位的反向代理（HTTPS、登录）之后。"
    )
