"""An ordinary install works, not only an editable checkout.

- The wheel carries the rules pack (rules/ is its one source) and the report
  templates, and an environment that has only the wheel audits a sample from
  any working directory with the same result as this checkout.
- `pre-commit try-repo` installs this repository the way a user's
  `.pre-commit-config.yaml` does and runs the hook on a repository of reports,
  leaving README.md and similar documents alone.
- The documented install lines and pre-commit revisions name the current
  version's tag.

Both builds start from a snapshot of the working tree (tracked and untracked,
not ignored files) so nothing is written into the checkout, and uncommitted
work is what gets tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEEDS, in_ci, require_tool

from fazhi_audit import __version__

SLOW_ENV = "FAZHI_AUDIT_SLOW_TESTS"
# pre-commit builds its own environment and pip-installs every dependency
# (~2 minutes when pip's cache is warm): always in CI, on request elsewhere.
slow = pytest.mark.skipif(
    not (in_ci() or os.environ.get(SLOW_ENV)), reason=f"slow (~2 min): runs in CI, or here with {SLOW_ENV}=1"
)
_IGNORED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


def _run(cmd: list, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False, **kw)


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    proc = _run(["git", *args], cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """The working tree as a one-commit git repository."""
    dest = tmp_path_factory.mktemp("src") / "fazhi-audit"
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.split("\0")):
            src = ROOT / name
            if src.is_file():  # deleted but not yet committed files are listed too
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / name)
    else:  # not a git checkout (e.g. an unpacked sdist)
        shutil.copytree(ROOT, dest, ignore=_IGNORED)
    require_tool("git", "pre-commit and the snapshot repository need git")
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture(scope="module")
def wheel(snapshot, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, snapshot])
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (built,) = out.glob("fazhi_audit-*.whl")
    return built


@pytest.mark.slow  # builds a wheel / installs with pre-commit
def test_wheel_carries_rules_pack_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {f"fazhi_audit/rules_data/{p.relative_to(ROOT / 'rules').as_posix()}" for p in (ROOT / "rules").rglob("*.yaml")}
    assert any("/profiles/" in n for n in rules) and any("/vocab/" in n for n in rules)
    assert rules <= names, sorted(rules - names)
    templates = ROOT / "src" / "fazhi_audit" / "report" / "templates"
    shipped = {f"fazhi_audit/report/templates/{p.name}" for p in templates.glob("*") if p.is_file()} if templates.is_dir() else set()
    assert shipped <= names, sorted(shipped - names)
    modules = {f"fazhi_audit/{p.relative_to(ROOT / 'src' / 'fazhi_audit').as_posix()}" for p in (ROOT / "src" / "fazhi_audit").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    assert f"fazhi_audit-{__version__}.dist-info/entry_points.txt" in names


@pytest.fixture(scope="module")
def wheel_env(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with only the wheel installed from this project.

    Its dependencies (spaCy and the rest, ~200 MB) are the ones this test run
    already has, made visible by a .pth file rather than downloaded again.
    `--system-site-packages` would not do: when the tests run inside .venv it
    points at the base interpreter, which lacks them. A .pth line adds a
    directory without processing the .pth files in it, so the editable install
    of this checkout stays invisible; the test checks that."""
    env_dir = tmp_path_factory.mktemp("wheel-env") / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    purelib = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    visible = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(visible) + "\n", encoding="utf-8")
    proc = _run([py, "-m", "pip", "install", "--no-deps", "-q", wheel])
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return env_dir


@pytest.mark.slow  # builds a wheel / installs with pre-commit
def test_installed_wheel_audits_a_sample_from_any_directory(wheel_env, tmp_path, auditor):
    where = _run([wheel_env / "bin" / "python", "-c", "import fazhi_audit.engine.audit as a; print(a.__file__); print(a.default_rules_dir())"], cwd=tmp_path)
    module, rules_dir = where.stdout.split()
    assert Path(module).is_relative_to(wheel_env) and Path(rules_dir).is_relative_to(wheel_env), where.stdout
    sample = tmp_path / "report.txt"
    shutil.copy(min(SEEDS.glob("*.txt")), sample)
    proc = _run([wheel_env / "bin" / "fazhi-audit", "check", sample.name, "--format", "json", "--jobs", "1", "--no-config"], cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    (report,) = json.loads(proc.stdout)["reports"]
    expected = auditor.audit_path(sample)
    assert (report["score"], report["passed"]) == (expected.score, expected.passed)
    assert {f["rule"] for f in report["findings"]} == {f.rule for f in expected.findings}


@slow
@pytest.mark.slow  # builds a wheel / installs with pre-commit
def test_pre_commit_try_repo_installs_and_runs_the_hook(snapshot, tmp_path, auditor):
    reports = tmp_path / "reports-repo"
    (reports / "reports").mkdir(parents=True)
    sample = reports / "reports" / "report.txt"
    shutil.copy(max(SEEDS.glob("*.txt")), sample)
    (reports / "README.md").write_text("# 报告仓库说明\n\n本仓库保存各单位的年度报告。\n", encoding="utf-8")
    (reports / "CHANGELOG.md").write_text("# 变更记录\n", encoding="utf-8")
    _git(reports, "init", "-q")
    _git(reports, "add", "-A")
    home = tmp_path / "pre-commit-home"  # its environment is ~0.5 GB: removed afterwards
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", snapshot, "fazhi-audit", "--all-files", "--verbose"]
    try:
        proc = _run(cmd, cwd=reports, env={**os.environ, "PRE_COMMIT_HOME": str(home)}, timeout=900)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    out = proc.stdout + proc.stderr
    assert "规则目录不存在" not in out and "Traceback" not in out, out[-3000:]
    passed = auditor.audit_path(sample).passed
    assert proc.returncode == (0 if passed else 1), out[-3000:]
    assert "reports/report.txt" in out and "README" not in out and "CHANGELOG" not in out, out[-3000:]


def test_hook_file_pattern_skips_repository_documents():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(name: str) -> bool:  # pre-commit's own test: re.search on the repo-relative path
        return bool(files.search(name)) and not exclude.search(name)

    for doc in ("README.md", "docs/readme.md", "reports/README.txt", "CHANGELOG.md", "LICENSE.txt", "CONTRIBUTING.md", "requirements.txt", ".github/pull_request_template.md"):
        assert not selected(doc), doc
    for report in ("reports/乡镇/石桥镇-2024年法治政府建设情况报告.txt", "2024年度报告.docx", "部门/市场监管局.pdf", "readme-like/报告.html", "报告.md"):
        assert selected(report), report


def _documented_versions() -> list[tuple[str, str]]:
    """(file, version) for every install line, pre-commit rev and wheel name in the docs and snippets."""
    example = ROOT / "examples" / "report-repo"
    files = [ROOT / "README.md", example / "README.md", example / ".pre-commit-config.yaml", example / ".gitlab-ci.yml", example / ".github" / "workflows" / "fazhi-audit.yml"]
    pattern = re.compile(r"git\+\S*?@v(\d[\w.]*\w)|rev:\s*v(\d[\w.]*\w)|fazhi_audit-(\d[\w.]*\w)-py3")
    found = []
    for path in files:
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            found.append((path.relative_to(ROOT).as_posix(), next(g for g in m.groups() if g)))
    return found


def test_documented_install_lines_name_the_current_release_tag():
    found = _documented_versions()
    example = "examples/report-repo/"
    assert {f for f, _ in found} >= {"README.md", example + ".pre-commit-config.yaml", example + ".gitlab-ci.yml", example + ".github/workflows/fazhi-audit.yml"}
    assert all(version == __version__ for _, version in found), found
