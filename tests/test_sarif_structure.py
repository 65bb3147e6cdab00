"""Structural validation of the SARIF the CLI writes, with a small hand-written
validator (no schema download, no network)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from command import fazhi_audit

from fazhi_audit.model.run import Run
from fazhi_audit.render.formatters import sarif

LEVELS = {"error", "warning", "note", "none"}
BASELINE_STATES = {"new", "unchanged", "updated", "absent"}
SUPPRESSION_KINDS = {"inSource", "external"}

TOWN = """青石镇2024年度法治政府建设工作报告
一、主要举措和成效
（一）依法决策。重大行政决策均经合法性审查、集体讨论决定。聘请法律顾问1名。
（三）规范执法。全面落实行政执法公示制度，全年办理案件XX件。
二、存在的不足和原因
一是执法力量不足；二是普法形式单一。主要原因是培训投入不够。
三、下一年度主要安排
开展专家论证和风险评估。
"""

BUREAU = """某市司法局2023年法治政府建设情况报告
一、2023年度推进法治政府建设的主要举措和成效
全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。领导干部学法6次。
二、存在的不足
宣传不够深入。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人亲自部署、亲自过问重要工作，年终述法。
四、下一年度工作安排
继续加强普法。
"""


def _resolve(uri: str, base: Path) -> Path:
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    assert not parsed.scheme, f"unexpected URI scheme in {uri!r}"
    return base / unquote(uri)


def _dig(obj: object, *keys: str) -> object:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def validate_sarif(doc: object, base: Path) -> list[str]:
    """Problems with `doc` as SARIF 2.1.0 from this tool; relative URIs resolve against `base`."""
    errors: list[str] = []

    def need(ok: object, message: str) -> None:
        if not ok:
            errors.append(message)

    if not isinstance(doc, dict):
        return ["document is not an object"]
    need(doc.get("version") == "2.1.0", f"version is {doc.get('version')!r}")
    schema = doc.get("$schema")
    need(isinstance(schema, str) and schema.startswith("https://") and "sarif-2.1.0" in schema, f"$schema is {schema!r}")
    runs = doc.get("runs")
    if not isinstance(runs, list) or not runs:
        return errors + ["runs is missing or empty"]
    run = runs[0]
    driver = _dig(run, "tool", "driver") or {}
    need(isinstance(driver.get("name"), str) and driver["name"], "tool.driver.name missing")
    descriptors = driver.get("rules")
    if not isinstance(descriptors, list):
        return errors + ["tool.driver.rules missing"]

    ids = [d.get("id") if isinstance(d, dict) else None for d in descriptors]
    need(len(set(ids)) == len(ids), "descriptor ids are not unique")
    for i, d in enumerate(descriptors):
        where = f"rules[{i}] ({ids[i]})"
        need(isinstance(ids[i], str) and ids[i], f"{where}: id missing")
        for key in ("shortDescription", "fullDescription", "help"):
            value = _dig(d, key, "text")
            need(isinstance(value, str) and value.strip(), f"{where}: {key}.text missing")
        need(isinstance(_dig(d, "properties", "basis"), str), f"{where}: properties.basis missing")

    results = run.get("results")
    if not isinstance(results, list):
        return errors + ["results missing"]
    prints: list[tuple] = []
    states = [r.get("baselineState") for r in results if isinstance(r, dict)]
    need(all(s is None for s in states) or all(s in BASELINE_STATES for s in states), f"baselineState must be on every result or none: {states}")
    lines_of: dict[Path, int] = {}
    for i, res in enumerate(results):
        where = f"results[{i}] ({res.get('ruleId')})"
        rule_id = res.get("ruleId")
        need(isinstance(rule_id, str) and rule_id, f"{where}: ruleId missing")
        message = _dig(res, "message", "text")
        need(isinstance(message, str) and message.strip(), f"{where}: message.text missing")
        need(res.get("level") in LEVELS, f"{where}: level {res.get('level')!r}")
        index = res.get("ruleIndex")
        if not (isinstance(index, int) and 0 <= index < len(descriptors)):
            errors.append(f"{where}: ruleIndex {index!r} does not resolve")
        else:
            need(ids[index] == rule_id, f"{where}: ruleIndex points at {ids[index]!r}")
        for s in res.get("suppressions", []):
            need(isinstance(s, dict) and s.get("kind") in SUPPRESSION_KINDS, f"{where}: suppression kind {s!r}")
        fps = res.get("partialFingerprints")
        if not (isinstance(fps, dict) and fps and all(isinstance(v, str) and v for v in fps.values())):
            errors.append(f"{where}: partialFingerprints missing")
        else:
            prints.append(tuple(sorted(fps.items())))
        locations = res.get("locations")
        if not (isinstance(locations, list) and locations):
            errors.append(f"{where}: locations missing")
            continue
        for loc in locations:
            uri = _dig(loc, "physicalLocation", "artifactLocation", "uri")
            if not isinstance(uri, str):
                errors.append(f"{where}: artifactLocation.uri missing")
                continue
            path = _resolve(uri, base)
            if not path.is_file():
                errors.append(f"{where}: {uri!r} is not an input file")
                continue
            if path not in lines_of:
                lines_of[path] = len(path.read_bytes().decode("utf-8", errors="replace").splitlines())
            line = _dig(loc, "physicalLocation", "region", "startLine")
            need(isinstance(line, int) and 1 <= line <= lines_of[path], f"{where}: startLine {line!r} outside 1..{lines_of[path]} of {uri}")
    need(len(set(prints)) == len(prints), "partialFingerprints are not unique")
    return errors


def _write_inputs(tmp_path: Path) -> tuple[Path, Path]:
    town = tmp_path / "reports" / "青石镇 2024年报告.txt"  # non-ASCII and a space: percent-encoded in the URI
    town.parent.mkdir()
    town.write_text(TOWN, encoding="utf-8")
    bureau = tmp_path / "bureau.txt"
    bureau.write_text(BUREAU, encoding="utf-8")
    return town, bureau


@pytest.fixture(scope="module")
def cli_sarif(tmp_path_factory):
    """SARIF from the CLI for one relative and one absolute input path."""
    base = tmp_path_factory.mktemp("sarif")
    town, bureau = _write_inputs(base)
    proc = fazhi_audit("check", str(town.relative_to(base)), str(bureau), "--format", "sarif", cwd=base)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout), base, (town, bureau)


def test_cli_sarif_is_structurally_valid(cli_sarif):
    doc, base, _ = cli_sarif
    assert validate_sarif(doc, base) == []


def test_cli_sarif_covers_both_inputs_with_encoded_uris(cli_sarif):
    doc, base, (town, bureau) = cli_sarif
    results = doc["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {_resolve(u, base) for u in uris} == {town, bureau}
    assert "reports/%E9%9D%92%E7%9F%B3%E9%95%87%202024%E5%B9%B4%E6%8A%A5%E5%91%8A.txt" in uris
    assert any(u.startswith("file:///") for u in uris)  # the absolute path
    placeholder = [r for r in results if r["ruleId"] == "quality.placeholder"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in placeholder] == [4]  # the XX line of TOWN


def test_cli_sarif_descriptors_of_reported_rules_cite_a_basis(cli_sarif):
    doc, _, _ = cli_sarif
    driver = doc["runs"][0]["tool"]["driver"]
    used = {r["ruleIndex"] for r in doc["runs"][0]["results"]}
    assert used
    assert all(driver["rules"][i]["properties"]["basis"] for i in used)


def test_cli_sarif_without_baseline_has_no_baseline_state(cli_sarif):
    doc, _, _ = cli_sarif
    assert all("baselineState" not in r and "suppressions" not in r for r in doc["runs"][0]["results"])


def test_validator_reports_each_kind_of_defect(cli_sarif):
    doc, base, _ = cli_sarif
    broken = copy.deepcopy(doc)
    run = broken["runs"][0]
    first, second = run["results"][0], run["results"][1]
    first["ruleIndex"] = len(run["tool"]["driver"]["rules"])
    first["level"] = "fatal"
    second["locations"][0]["physicalLocation"]["region"]["startLine"] = 10_000
    second["partialFingerprints"] = dict(first["partialFingerprints"])
    run["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "reports/absent.txt"
    del run["tool"]["driver"]["rules"][0]["help"]
    broken["version"] = "2.0.0"
    problems = "\n".join(validate_sarif(broken, base))
    for expected in ("version is '2.0.0'", "help.text missing", "ruleIndex", "level 'fatal'", "startLine 10000", "not unique", "'reports/absent.txt' is not an input file"):
        assert expected in problems
    run["results"][3]["baselineState"] = "unchanged"
    assert "baselineState must be on every result" in "\n".join(validate_sarif(broken, base))


def test_baselined_sarif_is_valid_and_marks_known_findings(auditor, tmp_path):
    town, bureau = _write_inputs(tmp_path)
    results = [auditor.audit_path(town), auditor.audit_path(bureau)]
    known = [f for f in results[0].findings if f.status != "pass"][:2]
    for f in known:
        f.baselined = True
    doc = json.loads(sarif.render(Run(results, auditor.ruleset.rules, baseline_compared=True, version="test")))
    assert validate_sarif(doc, tmp_path) == []
    out = doc["runs"][0]["results"]
    unchanged = [r for r in out if r["baselineState"] == "unchanged"]
    assert [(r["ruleId"], r["message"]["text"]) for r in unchanged] == [(f.rule, f.message) for f in known]
    assert all(r["suppressions"] == [{"kind": "external", "justification": "已列入基线文件"}] for r in unchanged)
    new = [r for r in out if r["baselineState"] == "new"]
    assert len(new) == len(out) - len(known) and all("suppressions" not in r for r in new)
