"""Profiles per kind of reporting body: detection from the name, what each
changes, and validation of the profile files."""

import json

import pytest
from conftest import ROOT
from test_config import REPORT

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.engine.settings import AuditSettings
from fazhi_audit.engine.rulesets import load_ruleset
from fazhi_audit.rules.profiles import GENERIC_PROFILE, detect_profile
from fazhi_audit.rules.selection import Selection, effective_rules

CORPUS = ROOT / "tests" / "corpus"
# the corpus file names carry the level the report was written for
LEVEL_WORDS = {"county": "county", "district": "county", "joint": "county", "town": "township", "township": "township", "subdistrict": "township", "bureau": "department", "branch": "department", "natural-resources": "department"}


def _expected_level(name: str) -> str:
    words = name.split("_", 1)[1].split("-")
    hits = {LEVEL_WORDS[w] for w in words if w in LEVEL_WORDS} | ({"department"} if "natural-resources" in name else set())
    assert len(hits) == 1, name
    return hits.pop()


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(ROOT / "rules")


def test_bundled_profiles(ruleset):
    assert list(ruleset.profiles) == ["township", "county", "department"]


def test_detection_matches_the_level_of_every_labelled_report(ruleset):
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["reports"]
    wrong = {name: label["body"] for name, label in labels.items() if (detect_profile(ruleset.profiles, label["body"]) or GENERIC_PROFILE).name != _expected_level(name)}
    assert not wrong


@pytest.mark.parametrize(
    "body,expected",
    [
        ("城口县左岚乡人民政府", "township"),
        ("云冈区云冈镇", "township"),
        ("某某街道办", "township"),
        ("某县人民政府办公室", "department"),  # 县 inside, but the body is an office
        ("某县发展和改革委员会", "department"),
        ("某县委", "county"),
        ("黄石市", "county"),
        ("某市生态环境局某分局", "department"),
        ("某某公司", None),
        (None, None),
    ],
)
def test_detection_reads_the_end_of_the_name(ruleset, body, expected):
    found = detect_profile(ruleset.profiles, body)
    assert (found.name if found else None) == expected


def _by_id(rules):
    return {r.id: r for r in rules}


def test_profiles_change_severity_weight_deadline_and_applicability(ruleset):
    base = _by_id(ruleset.rules)
    town = _by_id(effective_rules(ruleset.rules, ruleset.profiles["township"], Selection()))
    dept = _by_id(effective_rules(ruleset.rules, ruleset.profiles["department"], Selection()))
    assert town["enforcement.three-systems"].severity == "info" != base["enforcement.three-systems"].severity
    assert dept["enforcement.three-systems"].weight > base["enforcement.three-systems"].weight
    assert dept["meta.submission-deadline"].severity == "warning" and dept["meta.submission-deadline"].deadline == "03-01"
    assert "dispute.resolution" not in dept and "dispute.resolution" in town
    assert town["outline.coverage"].min_found < base["outline.coverage"].min_found
    assert base["enforcement.three-systems"].severity == "warning"  # the pack itself is untouched


def test_selection_after_profile(ruleset):
    rules = effective_rules(ruleset.rules, ruleset.profiles["township"], Selection(select=("duty", "enforcement"), ignore=("duty.study-law",), severity=(("enforcement", "error"),)))
    assert sorted(r.id for r in rules) == ["duty.four-personally", "duty.report-on-law", "enforcement.three-systems"]
    assert _by_id(rules)["enforcement.three-systems"].severity == "error"  # config beats the profile


DEPT = REPORT.format(body="某县市场监督管理局")  # no 三项制度 evidence at all


def test_detected_profile_changes_the_verdict_and_says_why(auditor):
    as_dept = auditor.audit_text(DEPT, "d.txt")
    assert as_dept.profile.name == "department" and "某县市场监督管理局" in as_dept.profile.source
    as_county = auditor.audit_text(DEPT, "d.txt", AuditSettings(profile="county", profile_source="测试"))
    assert as_county.profile.source == "测试"
    # no 三项制度 evidence: it weighs more for a department with enforcement power
    assert as_dept.score < as_county.score
    three = next(f for f in as_dept.findings if f.rule == "enforcement.three-systems")
    assert three.status == "fail" and "政府部门：" in three.message
    generic = auditor.audit_text(DEPT.replace("某县市场监督管理局", "某某公司", 1), "g.txt")
    assert generic.profile.name == "generic" and "按通用规则" in generic.profile.source


def _profile_dir(tmp_path, text):
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in (ROOT / "rules").glob("*.yaml"):
        (rules / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "vocab").mkdir()
    (rules / "vocab" / "sections.yaml").write_text((ROOT / "rules" / "vocab" / "sections.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "profiles").mkdir()
    (rules / "profiles" / "town.yaml").write_text(text, encoding="utf-8")
    return rules


@pytest.mark.parametrize(
    "text,needle",
    [
        ("name: town\nlabel: 乡镇\ndetect: ['镇$']\nrules:\n  no.such-rule:\n    severity: info\n", "town.yaml:5"),
        ("name: town\nlabel: 乡镇\ndetect: ['镇$']\nrules:\n  legal.adviser:\n    severity: fatal\n", "severity"),
        ("name: village\nlabel: 乡镇\ndetect: ['镇$']\nrules: {}\n", "文件名"),
        ("name: town\nlabel: 乡镇\ndetect: ['(镇']\nrules: {}\n", "正则"),
        ("name: town\nlabel: 乡镇\ndetect: ['镇$']\nrules:\n  legal.adviser:\n    weight: 2\n    colour: red\n", "colour"),
    ],
)
def test_malformed_profile_is_a_rule_file_error(tmp_path, text, needle):
    with pytest.raises(RuleFileError) as err:
        load_ruleset(_profile_dir(tmp_path, text))
    assert needle in str(err.value)
