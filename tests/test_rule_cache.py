"""The parsed rule set is cached in the user cache, and an edited rule file is never served stale."""

import shutil

import pytest
import yaml

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.engine.audit import default_rules_dir
from fazhi_audit.engine.rulesets import load_ruleset
from fazhi_audit.rules import loader, tree_cache, yaml_lines


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_AUDIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(tree_cache.DISABLE_ENV, raising=False)
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest


def _no_parsing(monkeypatch):
    """Any YAML parse from here on fails the test: the rule set must come from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("rule files parsed although cached")

    monkeypatch.setattr(yaml, "compose", refuse)
    monkeypatch.setattr(yaml_lines, "_check_events", refuse)
    monkeypatch.setattr(loader, "_load_ruleset", refuse)


def test_second_load_comes_from_cache_and_equals_a_fresh_load(rules_copy, monkeypatch):
    fresh = load_ruleset(rules_copy)
    _no_parsing(monkeypatch)
    cached = load_ruleset(rules_copy)
    assert [r.id for r in cached.rules] == [r.id for r in fresh.rules]
    assert [r.examples for r in cached.rules] == [r.examples for r in fresh.rules]  # line marks kept
    assert cached.vocab == fresh.vocab and cached.cues == fresh.cues
    assert list(cached.profiles) == list(fresh.profiles)
    # rule types are the registered ones, not copies: a cached rule runs the current code
    assert all(c.rule_type is f.rule_type for c, f in zip(cached.rules, fresh.rules))


def test_edited_rule_file_is_not_served_stale(rules_copy):
    path = rules_copy / "duty.study-law.yaml"
    before = load_ruleset(rules_copy).get("duty.study-law")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title: {before.title}", "title: 改过的标题", 1), encoding="utf-8")
    assert load_ruleset(rules_copy).get("duty.study-law").title == "改过的标题"


def test_added_and_removed_rule_files_are_seen(rules_copy):
    assert load_ruleset(rules_copy).get("legal.adviser-copy") is None
    copy = rules_copy / "legal.adviser-copy.yaml"
    copy.write_text((rules_copy / "legal.adviser.yaml").read_text(encoding="utf-8").replace("id: legal.adviser", "id: legal.adviser-copy", 1), encoding="utf-8")
    assert load_ruleset(rules_copy).get("legal.adviser-copy") is not None
    copy.unlink()
    assert load_ruleset(rules_copy).get("legal.adviser-copy") is None


def test_broken_edit_after_caching_still_names_file_and_line(rules_copy):
    load_ruleset(rules_copy)
    path = rules_copy / "duty.study-law.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 4\n", "weight: 4\nwieght: 5\n", 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_ruleset(rules_copy)
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "wieght" in s)
    assert f"duty.study-law.yaml:{line}" in str(err.value)


def test_corrupt_cache_entry_is_ignored(rules_copy, tmp_path):
    fresh = load_ruleset(rules_copy)
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert [r.id for r in load_ruleset(rules_copy).rules] == [r.id for r in fresh.rules]


def test_unwritable_cache_only_costs_speed(rules_copy, monkeypatch):
    monkeypatch.setenv("FAZHI_AUDIT_CACHE", "/proc/fazhi-audit-cannot-write-here")
    assert load_ruleset(rules_copy).get("duty.study-law") is not None


def test_old_entries_are_pruned(rules_copy, tmp_path, monkeypatch):
    from fazhi_audit.rules import ruleset_cache

    monkeypatch.setattr(ruleset_cache, "KEEP", 2)
    path = rules_copy / "duty.study-law.yaml"
    text = path.read_text(encoding="utf-8")
    for n in range(4):  # four edits, four rule sets
        path.write_text(text + f"\n# edit {n}\n", encoding="utf-8")
        load_ruleset(rules_copy)
    assert len(list((tmp_path / "cache" / "rulesets").glob("*.pickle"))) == 2
