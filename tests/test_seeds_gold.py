"""Run the CLI on seeds/ and check every non-ambiguous hand label."""

import json

import pytest
from command import fazhi_audit
from conftest import GOLD, ROOT, SEEDS

ELEMENT_RULES = {
    "five_step": "decision.five-step",
    "three_systems": "enforcement.three-systems",
    "four_personally": "duty.four-personally",
}


@pytest.fixture(scope="module")
def cli_reports():
    proc = fazhi_audit("check", str(SEEDS), "--format", "json", "--jobs", "1", cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema_version"] == 1
    return {r["path"].replace("\\", "/").rsplit("/", 1)[-1]: r for r in data["reports"]}


def _finding(report, rule):
    return [f for f in report["findings"] if f["rule"] == rule]


@pytest.mark.parametrize("name", sorted(GOLD["reports"]))
def test_metadata_and_sections(cli_reports, name):
    gold, got = GOLD["reports"][name], cli_reports[name]
    assert got["title"] == gold["title"]
    assert got["body"] == gold["body"]
    assert got["year"] == gold["year"]
    assert got["published"] == gold["published"]
    assert [s["kind"] for s in got["sections"]] == gold["sections"]


@pytest.mark.parametrize("name", sorted(GOLD["reports"]))
def test_order_causes_numbering(cli_reports, name):
    gold, got = GOLD["reports"][name], cli_reports[name]
    assert (_finding(got, "structure.section-order")[0]["status"] == "pass") == gold["order_ok"]
    if gold["causes_analysed"] != "ambiguous":
        assert (_finding(got, "structure.causes")[0]["status"] == "pass") == gold["causes_analysed"]
    defects = [f for f in _finding(got, "structure.numbering") if f["status"] == "fail"]
    assert len(defects) == len(gold["numbering_defects"])


@pytest.mark.parametrize("name", sorted(GOLD["reports"]))
@pytest.mark.parametrize("key", sorted(ELEMENT_RULES))
def test_element_labels(cli_reports, name, key):
    gold = GOLD["reports"][name][key]
    finding = _finding(cli_reports[name], ELEMENT_RULES[key])[0]
    found = {i["name"]: i["found"] for i in finding["items"]}
    assert set(found) == set(gold)
    for item, label in gold.items():
        if label != "ambiguous":
            assert found[item] == label, f"{item}: {finding['items']}"
    for item in finding["items"]:
        if item["found"]:
            ev = item["evidence"]
            assert ev["section"] in ("achievements", "first_responsible")
            assert ev["match"] in ev["text"] and ev["line"] >= 1


def test_plans_only_steps_are_explained(cli_reports):
    """A sample lists all five steps only in its plans: the finding must say so."""
    notes = [
        i["note"]
        for r in cli_reports.values()
        for f in _finding(r, "decision.five-step")
        for i in f["items"]
        if not i["found"] and i["note"]
    ]
    assert any("仅见于下一年度安排" in n for n in notes)
