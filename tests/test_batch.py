"""Batch runs: parallel equals serial, one corrupt file never stops the rest."""

import json
import shutil

import pytest
from command import fazhi_audit
from conftest import ROOT, SEEDS

from fazhi_audit.base.exit_codes import ExitCode


def run_json(*args):
    code, out, err = fazhi_audit("check", *args, "--format", "json", cwd=ROOT)
    return code, json.loads(out), err


def test_parallel_and_serial_identical(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip really")
    (folder / "notes.png").write_bytes(b"\x89PNG\r\n")
    code_serial, serial, _ = run_json(str(folder), "--jobs", "1")
    code_parallel, parallel, err = run_json(str(folder), "--jobs", "2")
    assert serial == parallel
    assert code_serial == code_parallel == ExitCode.UNREADABLE
    paths = [r["path"] for r in parallel["reports"]]
    assert paths == sorted(paths) and len(paths) == 6  # the .png is skipped, not audited
    broken = [r for r in parallel["reports"] if r["path"].endswith("broken.docx")][0]
    assert "Word" in broken["error"]
    assert sum(1 for r in parallel["reports"] if "error" not in r) == 5
    assert parallel["summary"]["unreadable"] == 1
    assert "跳过 1 个" in err


@pytest.mark.slow  # a slow report and two parallel runs of two workers
def test_output_in_path_order_whatever_the_order_given_or_finished(tmp_path):
    """The first path is the slowest to audit and the files are named in reverse:
    the output still follows the paths, and two runs are byte-identical."""
    from batch_build import good_reports, slow_report

    (tmp_path / "sub").mkdir()
    slow_report(tmp_path / "a_slow.txt", lines=3000)  # about a second, the others far less
    names = ["a_slow.txt", *(p.name for p in good_reports(tmp_path, 3)), "sub/z.txt"]
    shutil.copy(tmp_path / "good0.txt", tmp_path / "sub" / "z.txt")
    runs = [fazhi_audit("check", *reversed(names), "--jobs", "2", "--format", "json", cwd=tmp_path) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode
    paths = [r["path"] for r in json.loads(runs[0].stdout)["reports"]]
    assert paths == names  # sorted by path: a_slow.txt, good0–2.txt, sub/z.txt
