"""Severities and statuses, with the one table of the words people read for them."""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_MEANING = {"error": "不满足即判为不通过", "warning": "按权重扣分", "info": "按权重扣分，供参考"}  # rules explain
STATUSES = ("pass", "partial", "fail")
STATUS_LABEL = {"pass": "符合", "partial": "部分符合", "fail": "不符合"}
