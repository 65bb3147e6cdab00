"""Configuration: discovery, precedence (defaults < file < [[overrides]] < flags),
validation messages, and what the settings do to a run.

Configs are trusted from the directory the run starts in and above, so the
tests that resolve a tree run from its root (monkeypatch.chdir), as a user
or CI job in that repository would. Configs inside the folders being checked
are covered in test_untrusted_inputs.py."""

import json
from pathlib import Path

import pytest
from command import fazhi_audit

from fazhi_audit.base.errors import UsageError
from fazhi_audit.engine.config import (
    DEFAULT_SOURCE,
    Resolver,
    find_config_path,
    load_config,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the run starts at the root of the report tree
    write(tmp_path / "fazhi-audit.toml", """
profile = "county"
ignore = ["outline"]
fail-under = 50
[severity]
"structure.section-order" = "warning"

[[overrides]]
paths = ["乡镇/**"]
profile = "township"
ignore = ["legal.adviser"]
[overrides.severity]
"duty.study-law" = "error"

[[overrides]]
paths = ["乡镇/特殊/*.txt"]
fail-under = 80
""")
    for rel in ("县/a.txt", "乡镇/b.txt", "乡镇/特殊/c.txt"):
        write(tmp_path / rel, "x")
    return tmp_path


def test_defaults_without_any_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", "x")
    r = Resolver().resolve(str(tmp_path / "a.txt"))
    assert r.config is None or not str(r.config.path).startswith(str(tmp_path))
    assert r["profile"] == "auto" and r["fail-under"] == 0 and r["select"] == ()
    if r.config is None:
        assert set(r.sources.values()) == {DEFAULT_SOURCE}


def test_top_level_values_and_their_sources(tree):
    r = Resolver().resolve(str(tree / "县" / "a.txt"))
    assert r["profile"] == "county" and r["ignore"] == ("outline",) and r["fail-under"] == 50
    assert dict(r["severity"]) == {"structure.section-order": "warning"}
    assert "fazhi-audit.toml 第2行" in r.sources["profile"]
    assert r.sources["jobs"] == DEFAULT_SOURCE


def test_path_overrides_replace_add_and_merge(tree):
    r = Resolver().resolve(str(tree / "乡镇" / "b.txt"))
    assert r["profile"] == "township"  # replaces
    assert r["ignore"] == ("outline", "legal.adviser")  # adds
    assert dict(r["severity"]) == {"structure.section-order": "warning", "duty.study-law": "error"}  # merges
    assert "[[overrides]] 第1项" in r.sources["profile"] and "乡镇/**" in r.sources["profile"]
    assert r["fail-under"] == 50
    deeper = Resolver().resolve(str(tree / "乡镇" / "特殊" / "c.txt"))
    assert deeper["fail-under"] == 80 and deeper["profile"] == "township"  # both overrides, in order


def test_flags_override_file_and_overrides(tree):
    flags = {"profile": "department", "fail-under": 10.0, "ignore": ("decision",)}
    r = Resolver(flags).resolve(str(tree / "乡镇" / "特殊" / "c.txt"))
    assert r["profile"] == "department" and r["fail-under"] == 10 and r["ignore"] == ("decision",)
    assert r.sources["profile"] == "命令行 --profile"


def test_explicit_config_replaces_discovery(tree, tmp_path_factory):
    other = write(tmp_path_factory.mktemp("elsewhere") / "my.toml", 'profile = "generic"\n')
    r = Resolver(config_path=other).resolve(str(tree / "乡镇" / "b.txt"))
    assert r["profile"] == "generic" and r["ignore"] == ()
    assert Resolver(isolated=True).resolve(str(tree / "乡镇" / "b.txt"))["profile"] == "auto"


def test_nearest_config_wins_and_pyproject_needs_the_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "fazhi-audit.toml", 'profile = "county"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no table: keep walking
    write(tmp_path / "sub" / "a.txt", "x")
    assert find_config_path(tmp_path / "sub") == tmp_path / "fazhi-audit.toml"
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.fazhi-audit]\nprofile = \"department\"\n")
    assert find_config_path(tmp_path / "sub") == tmp_path / "sub" / "pyproject.toml"
    # a config below the starting directory applies only when the run trusts it
    r = Resolver({"trust-config": True}).resolve(str(tmp_path / "sub" / "a.txt"))
    assert r["profile"] == "department"
    assert "pyproject.toml 第5行" in r.sources["profile"]
    # run from the folder itself, the same config is the run's own
    monkeypatch.chdir(tmp_path / "sub")
    r = Resolver().resolve(str(tmp_path / "sub" / "a.txt"))
    assert r["profile"] == "department"
    assert "pyproject.toml 第5行" in r.sources["profile"]


@pytest.mark.parametrize(
    "text,needles",
    [
        ('profle = "auto"\n', ["第1行", "profle", "未知的键", "profile"]),
        ('fail-under = "high"\n', ["第1行", "fail-under", "0–100"]),
        ('jobs = -1\n', ["jobs", "非负整数"]),
        ('\n[severity]\n"structure.numbering" = "fatal"\n', ["第3行", "structure.numbering", "error、warning、info"]),
        ('extend-rules = ["no-such-dir"]\n', ["extend-rules", "目录不存在"]),
        ('[[overrides]]\nprofile = "township"\n', ["overrides[1].paths", "乡镇/**"]),
        ('[[overrides]]\npaths = ["a/**"]\njobs = 2\n', ["overrides[1].jobs", "未知的键"]),
        ('profile = auto\n', ["不是有效的 TOML", "line 1"]),
        ('trust-nested-config = "yes"\n', ["第1行", "trust-nested-config", "true 或 false"]),
    ],
)
def test_invalid_config_names_file_key_and_what_is_allowed(tmp_path, text, needles):
    path = write(tmp_path / "fazhi-audit.toml", text)
    with pytest.raises(UsageError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message
    assert "\n" not in message


def test_exclude_matches_relative_to_the_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "fazhi-audit.toml", 'exclude = ["草稿/**", "*.md"]\n')
    resolver = Resolver()
    assert resolver.excluded(str(write(tmp_path / "草稿" / "a.txt", "x")))
    assert resolver.excluded(str(write(tmp_path / "x" / "notes.md", "x")))
    assert not resolver.excluded(str(write(tmp_path / "正式" / "a.txt", "x")))


WIDE = {"COLUMNS": "250"}  # tables must not wrap paths in the assertions


REPORT = """{body}2024年度法治政府建设情况报告
一、主要举措和成效
全年审查行政规范性文件3件，聘请法律顾问1名，开展领导干部学法4次。
二、存在的不足和原因
执法力量薄弱，究其原因在于编制不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人亲自部署法治建设工作。
四、2025年主要安排
加强执法队伍建设。
五、其他需要报告的情况
无。
"""


def test_config_changes_a_real_run(tmp_path):
    write(tmp_path / "fazhi-audit.toml", """
ignore = ["outline"]
[severity]
"legal" = "error"
[[overrides]]
paths = ["部门/**"]
profile = "department"
""")
    write(tmp_path / "部门" / "a.txt", REPORT.format(body="青山县人民政府"))  # the name says county; the path says department
    write(tmp_path / "b.txt", REPORT.format(body="青山县红旗镇"))
    proc = fazhi_audit("check", ".", "--format", "json", "--jobs", "1", cwd=tmp_path, env=WIDE)
    reports = {Path(r["path"]).name: r for r in json.loads(proc.stdout)["reports"]}
    a, b = reports["a.txt"], reports["b.txt"]
    assert a["profile"]["name"] == "department" and "[[overrides]]" in a["profile"]["source"]
    assert b["profile"]["name"] == "township" and "青山县红旗镇" in b["profile"]["source"]
    for r in (a, b):
        rules = {f["rule"]: f for f in r["findings"]}
        assert "outline.coverage" not in rules
        assert rules["legal.adviser"]["severity"] == "error"
    assert "dispute.resolution" not in {f["rule"] for f in a["findings"]}  # the department profile drops it
    assert "dispute.resolution" in {f["rule"] for f in b["findings"]}
    # the flag beats both the override and detection
    proc = fazhi_audit("check", ".", "--format", "json", "--jobs", "1", "--profile", "county", "--select", "structure", cwd=tmp_path, env=WIDE)
    for r in json.loads(proc.stdout)["reports"]:
        assert r["profile"] == {"name": "county", "label": "县级政府", "source": "命令行 --profile"}
        assert {f["rule"].split(".")[0] for f in r["findings"]} == {"structure"}


def test_extend_rules_adds_and_overrides(tmp_path):
    extra = tmp_path / "city-rules"
    bundled = Path(__file__).resolve().parents[1] / "rules" / "legal.adviser.yaml"
    write(extra / "legal.adviser.yaml", bundled.read_text(encoding="utf-8").replace("severity: warning", "severity: error", 1))
    write(tmp_path / "fazhi-audit.toml", 'extend-rules = ["city-rules"]\nprofile = "county"\n')
    write(tmp_path / "a.txt", REPORT.format(body="青山县人民政府").replace("聘请法律顾问1名，", ""))
    proc = fazhi_audit("check", "a.txt", "--format", "json", "--jobs", "1", cwd=tmp_path, env=WIDE)
    report = json.loads(proc.stdout)["reports"][0]
    legal = next(f for f in report["findings"] if f["rule"] == "legal.adviser")
    assert legal["status"] == "fail" and legal["severity"] == "error"
    assert proc.returncode == 1
    listed = fazhi_audit("rules", "show", "legal.adviser", cwd=tmp_path, env=WIDE)
    assert "city-rules" in listed.stdout


def test_config_show_reports_values_and_sources(tree):
    proc = fazhi_audit("config", "show", "乡镇/特殊/c.txt", "--jobs", "3", cwd=tree, env=WIDE)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "fazhi-audit.toml" in out and "township" in out and "[[overrides]]" in out
    assert "命令行 --jobs" in out and "legal.adviser" in out
    bad = fazhi_audit("config", "show", ".", "--profile", "town", cwd=tree, env=WIDE)
    assert bad.returncode == 2 and "town" in bad.stderr and "township" in bad.stderr
