"""CI-facing flags: several outputs from one run, the automatic GitHub format,
--statistics and --exit-zero."""

import json

import pytest
from command import fazhi_audit
from reports import FIVE_PARTS as GOOD
from reports import MISSING_PARTS


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(MISSING_PARTS, encoding="utf-8")
    return tmp_path


def test_one_run_writes_several_formats(repo):
    proc = fazhi_audit("check", "good.txt", "bad.txt", "-j", "1", "-o", "sarif=out/r.sarif", "--output", "junit=r.xml", "-o", "markdown=r.md", "-o", "json=r.json", cwd=repo)
    assert proc.returncode == 1
    assert "不通过" in proc.stdout  # the text report still goes to stdout
    sarif = json.loads((repo / "out" / "r.sarif").read_text(encoding="utf-8"))
    data = json.loads((repo / "r.json").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {f["rule"] for rep in data["reports"] for f in rep["findings"] if f["status"] != "pass"}
    assert (repo / "r.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert "bad.txt" in (repo / "r.md").read_text(encoding="utf-8")


def test_plain_output_path_takes_the_main_format(repo):
    proc = fazhi_audit("check", "bad.txt", "-j", "1", "-f", "json", "-o", "main.json", "-o", "csv=r.csv", cwd=repo)
    assert [line.split("（")[0] for line in proc.stdout.splitlines()] == ["已写出 main.json", "已写出 r.csv"]  # one line per file
    assert json.loads((repo / "main.json").read_text(encoding="utf-8"))["reports"][0]["passed"] is False
    assert (repo / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM


@pytest.mark.parametrize(
    "args,needle",
    [
        (["-o", "a.json", "-o", "b.json"], "只能有一个"),
        (["-o", "yaml=a.yaml"], "未知的输出格式"),
        (["-o", "sarif="], "缺少文件路径"),
    ],
)
def test_bad_output_options(repo, args, needle):
    proc = fazhi_audit("check", "good.txt", *args, cwd=repo)
    assert proc.returncode == 2 and needle in proc.stderr


def test_github_format_is_automatic_on_github_actions(repo):
    proc = fazhi_audit("check", "bad.txt", "-j", "1", env={"GITHUB_ACTIONS": "true"}, cwd=repo)
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if line]
    assert lines and all(line.startswith("::") for line in lines)
    assert any(line.startswith("::error file=bad.txt") for line in lines)
    explicit = fazhi_audit("check", "bad.txt", "-j", "1", "-f", "text", env={"GITHUB_ACTIONS": "true"}, cwd=repo)
    assert not explicit.stdout.startswith("::")


def test_statistics_counts_per_rule(repo):
    data = json.loads(fazhi_audit("check", "good.txt", "bad.txt", "-j", "1", "-f", "json", cwd=repo).stdout)
    failing = {}
    for rep in data["reports"]:
        for f in rep["findings"]:
            if f["status"] != "pass":
                failing[f["rule"]] = failing.get(f["rule"], 0) + 1
    proc = fazhi_audit("check", "good.txt", "bad.txt", "-j", "1", "-f", "json", "--statistics", cwd=repo)
    json.loads(proc.stdout)  # statistics never corrupt machine output: they go to stderr
    for rule in failing:
        assert rule in proc.stderr
    text = fazhi_audit("check", "good.txt", "bad.txt", "-j", "1", "--statistics", cwd=repo)
    assert "structure.required-sections" in text.stdout


def test_exit_zero_reports_but_passes(repo):
    proc = fazhi_audit("check", "bad.txt", "-j", "1", "--exit-zero", "-f", "json", cwd=repo)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["reports"][0]["passed"] is False
