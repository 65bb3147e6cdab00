"""outline.coverage: the ten parts of the 纲要 (scored) and their task themes (information only)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEEDS
from rich.console import Console

from fazhi_audit.render.coverage import LEGEND, coverage_table, theme_text
from fazhi_audit.engine.rulesets import load_rule

RULE = "outline.coverage"
CORPUS_REPORTS = sorted((ROOT / "tests" / "quality_corpus" / "reports").glob("*.txt"))
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def coverage(result):
    return next(f for f in result.findings if f.rule == RULE)


def test_ten_parts_and_about_thirty_themes_each_with_a_status(auditor):
    parts = auditor.ruleset.get(RULE).params.items
    assert len(parts) == 10
    themes = [t for part in parts for t in part.themes]
    assert 30 <= len(themes) <= 36
    assert all(t.status in ("V", "P", "R") and t.phrases for t in themes)
    assert all(part.themes for part in parts)


@pytest.fixture(scope="module")
def parts_only_rule(tmp_path_factory) -> object:
    """The same parts as a plain required-items rule: what outline.coverage scored before it had themes."""
    data = yaml.safe_load((ROOT / "rules" / f"{RULE}.yaml").read_text(encoding="utf-8"))
    data["type"] = "required-items"
    earlier = data.pop("earlier_outline", {"items": []})  # the 2015—2020 纲要 for older reports: tested below
    older = {part["name"] for part in earlier["items"]}
    data["examples"] = [e for e in data["examples"] if not older & set(e.get("found", []) + e.get("not_found", []))]
    data["items"] = [{k: v for k, v in part.items() if k != "themes"} for part in data["items"]]
    path = tmp_path_factory.mktemp("rules") / f"{RULE}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_rule(path)


@pytest.mark.parametrize("path", [*SEED_FILES, *CORPUS_REPORTS[:5]], ids=lambda p: Path(p).name)
def test_themes_do_not_change_the_part_level_verdict(auditor, parts_only_rule, path):
    doc = auditor.parse(Path(path).read_text(encoding="utf-8"), str(path))
    rule = auditor.ruleset.get(RULE)
    [with_themes] = rule.rule_type.check(rule, doc, auditor.context)
    if doc.meta.year is not None and doc.meta.year <= rule.params.earlier_outline.until_year:
        # judged against the 纲要 of its own year
        assert [i.name for i in with_themes.items] == [p.item.name for p in rule.params.earlier_outline.items]
        return
    [plain] = parts_only_rule.rule_type.check(parts_only_rule, doc, auditor.context)
    assert (with_themes.status, with_themes.credit, with_themes.message) == (plain.status, plain.credit, plain.message)
    assert [(i.name, i.found) for i in with_themes.items] == [(i.name, i.found) for i in plain.items]


def test_a_theme_counts_only_as_done_in_the_scoped_parts(auditor):
    text = (
        "某县人民政府2024年度法治政府建设情况报告\n一、主要举措和成效\n修订县级突发事件总体应急预案，开展应急演练3次。\n"
        "二、存在的不足和原因\n行政裁决工作尚未开展。\n四、2025年工作安排\n下一步，将推进政务诚信建设。\n"
    )
    part = next(i for i in coverage(auditor.audit_text(text, "x.txt")).items if i.name == "突发事件应对")
    assert part.found
    themes = {t.name: t for t in part.themes}
    assert themes["突发事件应对制度"].found and themes["突发事件应对制度"].evidence.section == "achievements"
    assert themes["依法处置突发事件"].found
    others = {t.name: t for i in coverage(auditor.audit_text(text, "x.txt")).items for t in i.themes}
    assert not others["行政裁决"].found  # only named as a shortcoming
    assert not others["政务诚信建设"].found  # only promised


def test_json_adds_themes_under_each_part(auditor):
    data = auditor.audit_path(SEED_FILES[0]).to_json()
    finding = next(f for f in data["findings"] if f["rule"] == RULE)
    for item in finding["items"]:
        assert {"name", "found", "evidence", "note", "themes"} <= set(item)
        for theme in item["themes"]:
            assert set(theme) == {"name", "status", "official", "found", "evidence"}
            assert theme["official"] == (theme["status"] == "V")
    json.dumps(data, ensure_ascii=False)  # serialisable


def render(result) -> str:
    out = io.StringIO()
    Console(file=out, width=200, no_color=True).print(coverage_table(result, plain=True))
    return out.getvalue()


def test_the_terminal_table_quotes_only_verified_theme_names(auditor):
    result = auditor.audit_path(SEED_FILES[0])
    shown = render(result)
    assert LEGEND in shown and "主题（非原文）" in shown
    for item in coverage(result).items:
        assert item.name in shown
        for theme in item.themes:
            assert theme_text(theme.name, theme.status) in shown
            if theme.status != "V":
                assert f"“{theme.name}”" not in shown  # never shown as quoted official text
    verified = [t for i in coverage(result).items for t in i.themes if t.status == "V"]
    assert verified and all(theme_text(t.name, "V").startswith("“") for t in verified)


def test_theme_status_must_be_known(tmp_path):
    text = (ROOT / "rules" / f"{RULE}.yaml").read_text(encoding="utf-8").replace("status: V,", "status: X,", 1)
    (tmp_path / f"{RULE}.yaml").write_text(text, encoding="utf-8")
    from fazhi_audit.base.errors import RuleFileError

    with pytest.raises(RuleFileError, match="status 必须是"):
        load_rule(tmp_path / f"{RULE}.yaml")


def test_a_report_of_2019_is_judged_against_the_2015_2020_outline(auditor):
    body = "一、主要举措和成效\n动态调整权力清单；审查规范性文件5件；严格重大行政决策程序；规范行政执法；化解矛盾纠纷30件。\n"
    old = coverage(auditor.audit_text("某县人民政府2019年度法治政府建设情况报告\n" + body, "x.txt"))
    new = coverage(auditor.audit_text("某县人民政府2022年度法治政府建设情况报告\n" + body, "x.txt"))
    earlier = auditor.ruleset.get(RULE).params.earlier_outline
    assert [i.name for i in old.items] == [p.item.name for p in earlier.items]
    assert "习近平法治思想学习" not in {i.name for i in old.items if not i.found}
    assert sum(i.found for i in old.items) == 5 and old.status == "pass"  # 5 of 8: the share 6 of 10 asks for
    assert "习近平法治思想学习" in {i.name for i in new.items if not i.found}
