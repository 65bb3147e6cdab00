"""Rule files from another office cannot stall, exhaust or crash a run.

YAML: every loader problem (aliases, alias bombs, unknown tags, deep nesting,
huge files, a FIFO in place of a file) is exit 2 with the file and line,
quickly and in bounded memory. Regular expressions: patterns that can
backtrack exponentially are refused when the rules are loaded.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from command import fazhi_audit
from conftest import ROOT, SEEDS

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.engine.audit import default_rules_dir
from fazhi_audit.rules.regex_safety import (
    MAX_COUNT,
    MAX_LENGTH,
    safe_compile,
    unsafe_reason,
)
from fazhi_audit.rules.yaml_lines import MAX_BYTES, MAX_DEPTH, load_yaml

# A "billion laughs": nine levels of nine aliases, 9**9 strings once built.
BOMB = "id: zz.attack\n" + "l0: &l0 \"lol\"\n" + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10)
)

ATTACKS = {
    # name: (file text, line the error must name, words the message must contain)
    "recursive-alias": ("id: zz.attack\nloop: &a [*a]\n", 2, "锚点/别名"),
    "alias-bomb": (BOMB, 2, "锚点/别名"),
    "merge-key": ("id: zz.attack\nbase: &b {title: x}\nrule:\n  <<: *b\n", 2, "锚点/别名"),
    "unknown-tag": ("id: zz.attack\ntitle: !include other.yaml\n", 2, "!include"),
    "python-object": ("id: zz.attack\ntitle: !!python/object/apply:os.system [\"echo owned\"]\n", 2, "!!python/object/apply"),
    "binary-tag": ("id: zz.attack\ntitle: !!binary aGVsbG8=\n", 2, "!!binary"),
    "deep-flow": ("id: zz.attack\nx: " + "[" * 100_000 + "]" * 100_000 + "\n", 2, f"{MAX_DEPTH} 层"),
    "deep-block": ("id: zz.attack\n" + "".join("  " * d + f"k{d}:\n" for d in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n", None, f"{MAX_DEPTH} 层"),
    "bad-date": ("id: zz.attack\ndeadline: 2024-13-45\n", 2, "2024-13-45"),
}


@pytest.fixture
def rules_copy(tmp_path):
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest


@pytest.fixture
def good(tmp_path):
    return Path(shutil.copy(sorted(SEEDS.glob("*.txt"))[0], tmp_path / "good.txt"))


def _check(cwd, *args, timeout=60):
    start = time.monotonic()
    proc = fazhi_audit("check", *args, "--jobs", "1", cwd=cwd, timeout=timeout)
    return proc, time.monotonic() - start


def _one_line_exit_2(proc):
    assert proc.returncode == 2, proc.stdout[-1000:] + proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), proc.stderr
    return lines[0]


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_a_file_and_line_error(rules_copy, name):
    text, line, needle = ATTACKS[name]
    path = rules_copy / "zz.attack.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(RuleFileError) as err:
        load_yaml(path)
    assert time.monotonic() - start < 2
    message = str(err.value)
    where = f"zz.attack.yaml:{line}" if line else "zz.attack.yaml:"
    assert where in message and needle in message, message
    assert "\n" not in message


@pytest.mark.parametrize("name", ["recursive-alias", "alias-bomb", "python-object", "deep-flow"])
def test_attack_through_the_cli_is_exit_2(tmp_path, rules_copy, good, name):
    (rules_copy / "zz.attack.yaml").write_text(ATTACKS[name][0], encoding="utf-8")
    proc, elapsed = _check(tmp_path, "good.txt", "--rules", "rules", timeout=60)
    line = _one_line_exit_2(proc)
    assert "zz.attack.yaml:" in line
    assert elapsed < 20
    assert not (tmp_path / "owned").exists()


def test_alias_bomb_needs_no_memory(tmp_path):
    """Under a 1 GB address-space limit the bomb would raise MemoryError if it were built."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from pathlib import Path
        from fazhi_audit.base.errors import RuleFileError
        from fazhi_audit.rules.yaml_lines import load_yaml
        try:
            load_yaml(Path({str(bomb)!r}))
        except RuleFileError as exc:
            print(exc)
            sys.exit(0)
        sys.exit(1)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20)
    assert proc.returncode == 0, proc.stderr
    assert "bomb.yaml:2" in proc.stdout and "MemoryError" not in proc.stderr


def test_huge_rule_file_is_refused_before_parsing(tmp_path, rules_copy, good):
    path = rules_copy / "zz.attack.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id: zz.attack\ntitle: \"")
        fh.write("法" * (MAX_BYTES // 3 + 10))
        fh.write("\"\n")
    with pytest.raises(RuleFileError, match="文件过大"):
        load_yaml(path)
    proc, elapsed = _check(tmp_path, "good.txt", "--rules", "rules")
    assert "zz.attack.yaml" in _one_line_exit_2(proc)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_rule_file_does_not_hang(tmp_path, rules_copy, good):
    os.mkfifo(rules_copy / "zz.attack.yaml")
    proc, elapsed = _check(tmp_path, "good.txt", "--rules", "rules", timeout=20)
    line = _one_line_exit_2(proc)
    assert "zz.attack.yaml" in line and "不是普通文件" in line


def test_plain_tags_and_quoted_values_still_load(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("id: x.y\ncount: !!int \"3\"\nname: !!str 12\nlist: !!seq [a, b]\nflag: true\n", encoding="utf-8")
    data = load_yaml(path)
    assert data == {"id": "x.y", "count": 3, "name": "12", "list": ["a", "b"], "flag": True}
    assert data.key_lines["name"] == 3


def test_bundled_rules_still_load():
    from fazhi_audit.engine.rulesets import load_ruleset

    ruleset = load_ruleset(default_rules_dir())
    assert ruleset.rules and ruleset.profiles


# --- regular expressions -------------------------------------------------------

# Each of these takes seconds to minutes on a short non-matching line (measured:
# `(a|aa)+$` on 36 a's and "!" runs over 3 s), so none may reach a match.
UNSAFE = [
    r"(a+)+", r"(a*)*b", r"(a|aa)+$", r"(\d+\s*)+x", r"(.a|a.)+$", r"(a+b?)+$", r"(aa?)+$",
    r"(?=(a+)+b)", r"(x(a+)+)+$", r"(a{1,30}){1,30}$", r"([^、]+)*、", r"((ab)*a?)+$", r'(?:[^"]|\\.)*"',
    r"(第.+)+条",
]
# Separated or unambiguous repetition, and the shapes the bundled rules use.
SAFE = [
    r"(\d+、)+", r"(、\d+)+", r"(ab?)+$", r"(a|ab)+$", r"(省|市)+", r"(?>a+)+$", r"(a++)+$",
    r"(第[一二三四五六七八九十]+条)+", r"(\d{1,3},)*\d{1,3}$", r"20\d{2}\s*年度?", r"\*+(次|件|人)",
]


@pytest.mark.parametrize("pattern", UNSAFE)
def test_exponential_shapes_are_named_by_the_checker(pattern):
    reason = unsafe_reason(pattern)
    assert reason and "\n" not in reason


@pytest.mark.parametrize("pattern", UNSAFE)
def test_exponential_shapes_run_on_re2_or_are_refused(pattern):
    """RE2 runs what it can compile in linear time; what it cannot (lookarounds) must be bounded on `re`."""
    try:
        compiled = safe_compile(pattern)
    except re.error as exc:
        assert "RE2" in str(exc)
        return
    assert type(compiled).__name__ == "_Linear"


@pytest.mark.parametrize("pattern", SAFE)
def test_linear_patterns_are_accepted(pattern):
    assert unsafe_reason(pattern) is None
    try:
        assert safe_compile(pattern).pattern == pattern
    except re.error as exc:  # atomic groups and possessive repeats: RE2 lacks them, and they are unbounded on re
        assert "RE2" in str(exc) and ("(?>" in pattern or "++" in pattern)


def test_refused_shape_really_backtracks_exponentially():
    """The check is not arbitrary: one more character doubles the time of a refused pattern."""
    def seconds(n):
        start = time.perf_counter()
        re.match(r"(a+)+$", "a" * n + "!")
        return time.perf_counter() - start

    assert seconds(21) > 4 * seconds(17) > 0


def test_limits_on_length_and_counts():
    assert "过长" in unsafe_reason("a" * (MAX_LENGTH + 1))
    assert str(MAX_COUNT) in unsafe_reason(f"a{{{MAX_COUNT + 1}}}")
    assert unsafe_reason(f"a{{1,{MAX_COUNT}}}") is None
    with pytest.raises(re.error):
        safe_compile("(" * 10_000 + ")" * 10_000)


def test_every_bundled_pattern_is_accepted():
    """The rules and profiles this project ships all pass the check."""
    import yaml

    found = []
    for path in (ROOT / "rules").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("patterns", "detect", "strip_prefixes"):
            found += [(path.name, p) for p in data.get(key, []) or []]
    assert len(found) >= 10
    assert [(name, p) for name, p in found if unsafe_reason(p)] == []


def test_rule_file_with_exponential_pattern_is_exit_2(tmp_path, rules_copy, good):
    path = rules_copy / "quality.placeholder.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('  - "某某"\n', '  - "(?<!x)(某+)+$"\n', 1), encoding="utf-8")
    proc, elapsed = _check(tmp_path, "good.txt", "--rules", "rules", timeout=60)
    line = _one_line_exit_2(proc)
    assert "quality.placeholder.yaml" in line and "(?<!x)(某+)+$" in line


def test_one_search_of_the_whole_text_leaves_out_only_patterns_that_cannot_match():
    from fazhi_audit.rules.regex_safety import absent_from, safe_compile

    sentences = ["一是健全制度。", "我局某科负责人参加培训"]
    whole = "\n".join(sentences)
    assert absent_from(safe_compile("二是"), whole) and not absent_from(safe_compile("一是"), whole)
    # Patterns that look outside their match are never left out: ^我局 and 制度。$ match
    # nowhere in the sentences joined, yet each matches one sentence.
    for pattern in ("^我局", "制度。$"):
        compiled = safe_compile(pattern)
        assert compiled.search(whole) is None and any(compiled.search(s) for s in sentences)
        assert not absent_from(compiled, whole)
    assert not absent_from(safe_compile("负责(?!人)"), whole)  # a lookahead, on Python's engine
