"""Without the segmentation model, scores change: the run says so once on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_unusable_model_cache_is_one_warning_on_stderr(tmp_path):
    env = {**os.environ, "FAZHI_AUDIT_CACHE": "/proc/fazhi-audit-cannot-write-here"}
    proc = subprocess.run([sys.executable, "-m", "fazhi_audit", "check", str(ROOT / "seeds"), "-f", "concise"], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("警告：分词模型不可用")]
    assert len(warnings) == 1 and "影响 5 份报告" in warnings[0]
