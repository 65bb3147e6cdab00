"""Without the segmentation model, scores change: the run says so once on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest
from command import fazhi_audit

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # a process of its own, loading the model afresh
def test_unusable_model_cache_is_one_warning_on_stderr(tmp_path):
    # a fresh interpreter: this one has loaded the model already
    proc = fazhi_audit("check", str(ROOT / "seeds"), "-f", "concise", env={"FAZHI_AUDIT_CACHE": "/proc/fazhi-audit-cannot-write-here"}, process=True)
    assert proc.returncode in (0, 1), proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("警告：分词模型不可用")]
    assert len(warnings) == 1 and "影响 5 份报告" in warnings[0]
