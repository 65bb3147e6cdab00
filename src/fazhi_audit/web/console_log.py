"""The server's console lines in Chinese: uvicorn's own English messages are reworded or dropped.

The people who start `fazhi-audit serve` read Chinese; a line such as
"Started server process [123]" tells them nothing they need. Messages this
table does not know keep their text but get a Chinese level name.
"""

from __future__ import annotations

import logging
import re

LEVELS = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重错误"}

# uvicorn's message templates (before %-formatting) -> a Chinese template, or None to drop the line
_REWORDED: dict[str, str | None] = {
    "Started server process [%d]": "网页服务进程已启动（进程号 %d）",
    "Waiting for application startup.": None,
    "Application startup complete.": "网页服务已就绪，正在等待请求",
    "Shutting down": "正在停止网页服务……",
    "Waiting for application shutdown.": None,
    "Application shutdown complete.": None,
    "Finished server process [%d]": "网页服务进程已结束（进程号 %d）",
    "Waiting for background tasks to complete. (CTRL+C to force quit)": "正在等待进行中的检查结束（再按 Ctrl-C 立即停止）",
    "Waiting for connections to close. (CTRL+C to force quit)": "正在等待连接关闭（再按 Ctrl-C 立即停止）",
    "Invalid HTTP request received.": "收到一个无效的 HTTP 请求（已忽略）",
    "Unsupported upgrade request.": "收到不支持的协议升级请求（已忽略）",
    "Exception in ASGI application\n": "处理请求时出错",
}
# "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": the address is printed by serve() already
_DROPPED = re.compile(r"^Uvicorn running on |^Application startup failed|^Cancel \d+ running task")


class ChineseConsole(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.levelname = LEVELS.get(record.levelname, record.levelname)
        template = record.msg if isinstance(record.msg, str) else ""
        if template in _REWORDED:
            chinese = _REWORDED[template]
            if chinese is None:
                return False
            record.msg = chinese
            return True
        if _DROPPED.match(template):
            return False
        return True
