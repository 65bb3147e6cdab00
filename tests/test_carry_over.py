"""quality.carry-over: text carried over unchanged from the same body's previous-year report (--previous)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from command import fazhi_audit
from conftest import ROOT

from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.exit_codes import ExitCode
from fazhi_audit.checks.types.carry_over import carried_passages, windows_of
from fazhi_audit.engine.previous import find_previous, read_lines, same_body
from fazhi_audit.engine.options import Options
from fazhi_audit.engine.run import run
from fazhi_audit.engine.settings import AuditSettings

RULE = "quality.carry-over"
CORPUS = ROOT / "tests" / "quality_corpus"
PLAIN = {"NO_COLOR": "1", "COLUMNS": "200"}  # no boxes, no wrapping: lines as asserted

# 60 characters each, no whitespace: a paragraph that stays, one that is new each year
KEPT = "坚持和发展新时代枫桥经验，健全镇村组三级调解网络，全镇十八个村社区均设立人民调解委员会，矛盾纠纷就地化解率持续提高。"
NEW_2024 = "镇法律顾问全年审查合同协议六十四份，出具法律意见书二十一份，参与处理信访积案四件，组织执法人员参加全县轮训两期。"


def report(body: str, year: int, *paragraphs: str) -> str:
    return "\n".join([f"{body}关于{year}年度法治政府建设情况的报告", "一、主要举措和成效", *paragraphs, "二、存在的不足和原因", "村级财务管理不够规范。"]) + "\n"


def finding(result, rule=RULE):
    return next(f for f in result.findings if f.rule == rule)


def chars(text: str) -> int:
    return len("".join(text.split()))


def reference_share(current: str, previous: str, k: int = 40) -> float:
    """The definition, done the slow way: NFKC, no whitespace; a character counts when some
    k-character stretch of this year's text around it also occurs in last year's."""
    cur = "".join(unicodedata.normalize("NFKC", current).split())
    prev = "".join(unicodedata.normalize("NFKC", previous).split())
    covered = set()
    for s in range(len(cur) - k + 1):
        if cur[s : s + k] in prev:
            covered.update(range(s, s + k))
    return len(covered) / len(cur)


@pytest.fixture
def last_year(tmp_path):
    """A folder of previous-year reports: the body's 2023 report, another body's, and the body's 2022 report."""
    folder = tmp_path / "上年"
    folder.mkdir()
    (folder / "a.txt").write_text(report("苇塘镇人民政府", 2023, KEPT, "全年审查合同协议五十八份。"), encoding="utf-8")
    (folder / "b.txt").write_text(report("苇塘镇人民政府", 2022, NEW_2024), encoding="utf-8")  # the right body, two years back
    (folder / "c.txt").write_text(report("岫川县人民政府", 2023, NEW_2024), encoding="utf-8")  # another body, the right year
    (folder / "notes.xlsx").write_bytes(b"not a report")
    return folder


# --- measuring ---------------------------------------------------------------------


def test_a_run_of_forty_characters_counts_and_a_shorter_one_does_not():
    before = "甲" * 10 + "子丑寅卯辰巳午未申酉戌亥" * 4 + "乙" * 10  # 48 shared characters
    assert carried_passages("丙" * 5 + "子丑寅卯辰巳午未申酉戌亥" * 4 + "丁" * 5, windows_of(before, 40))[0].end - 5 == 48
    assert carried_passages("丙" * 5 + "子丑寅卯辰巳午未申酉戌亥" * 3 + "丁" * 5, windows_of(before, 40)) == []  # 36 characters


def test_a_moved_paragraph_still_counts():
    first, second = KEPT, NEW_2024
    passages = carried_passages(second + first, windows_of(first + second, 40))
    assert sum(p.end - p.start for p in passages) == len(first) + len(second)


def test_a_changed_number_breaks_the_run_there():
    edited = KEPT.replace("十八个", "十九个")
    passages = carried_passages(edited, windows_of(KEPT, 40))
    at = edited.index("十九个")
    assert all(p.end <= at + 1 or p.start > at + 1 for p in passages)  # the changed character is not covered
    assert sum(p.end - p.start for p in passages) < len(KEPT)


def _every_window(current: str, previous: str, k: int) -> list[tuple[int, int]]:
    """The plain scan the sampled one replaces: every window of `current` looked up."""
    whole = {previous[i : i + k] for i in range(len(previous) - k + 1)}
    runs: list[list[int]] = []
    for i in range(len(current) - k + 1):
        if current[i : i + k] in whole:
            if runs and i <= runs[-1][1]:
                runs[-1][1] = i + k
            else:
                runs.append([i, i + k])
    return [tuple(r) for r in runs]


@given(st.text("甲乙丙", max_size=80), st.text("甲乙丙", max_size=80), st.integers(1, 12))
def test_sampled_lookups_find_exactly_the_runs_every_window_finds(current, previous, k):
    # a three-letter alphabet makes shared runs of every length, at every offset from the sampling step
    assert [(p.start, p.end) for p in carried_passages(current, windows_of(previous, k))] == _every_window(current, previous, k)


def test_last_years_report_is_read_where_the_disk_finds_it_through_a_link(tmp_path):
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "r.txt").write_text(report("岫川县人民政府", 2023, KEPT), encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "real" / "sub")
    # link/.. is real/ on disk, not the folder holding link
    assert read_lines(tmp_path / "link" / ".." / "r.txt")[0].text.startswith("岫川县人民政府")


# --- the rule, through the API ----------------------------------------------------------


def test_without_a_previous_report_the_rule_is_not_applicable(auditor):
    result = auditor.audit_text(report("苇塘镇人民政府", 2024, KEPT, NEW_2024), "x.txt")
    f = finding(result)
    assert (f.status, f.scored, f.value) == ("pass", False, None)
    assert "未提供上一年度报告，未检查" in f.message
    assert "value" not in f.to_json() and f.to_json()["scored"] is False


def test_value_is_the_carried_share_and_items_name_lines(auditor, tmp_path, last_year):
    text = report("苇塘镇人民政府", 2024, KEPT, NEW_2024)
    (tmp_path / "now.txt").write_text(text, encoding="utf-8")
    result = auditor.audit_path(tmp_path / "now.txt", AuditSettings(previous=str(last_year / "a.txt")))
    f = finding(result)
    share = reference_share(text, (last_year / "a.txt").read_text(encoding="utf-8"))
    assert 0.2 < share < 1 and f.value == pytest.approx(share, abs=1e-4)
    assert f.status == "fail" and f.scored and f.to_json()["value"] == f.value
    # one passage: from the title's 年度… through the heading to the kept paragraph (lines 1-3)
    assert len(f.items) == 1 and not f.items[0].found
    assert f.items[0].name.startswith("第1–3行，")
    assert f.items[0].evidence.line == 3 and f.items[0].evidence.text == KEPT.strip()  # shown as written


def test_below_twenty_percent_passes_and_at_twenty_fails(auditor, tmp_path, last_year):
    previous = AuditSettings(previous=str(last_year / "a.txt"))
    filler = "全年新建法治文化阵地三处。"  # new text, 13 characters
    # add new sentences until the carried share drops just below 20 %
    previous_text = (last_year / "a.txt").read_text(encoding="utf-8")
    n = 0
    while reference_share(report("苇塘镇人民政府", 2024, KEPT, filler * n), previous_text) >= 0.2:
        n += 1
    at_or_above = report("苇塘镇人民政府", 2024, KEPT, filler * (n - 1))
    below = report("苇塘镇人民政府", 2024, KEPT, filler * n)
    high = finding(auditor.audit_text(at_or_above, str(tmp_path / "h.txt"), previous))
    low = finding(auditor.audit_text(below, str(tmp_path / "l.txt"), previous))
    assert high.value >= 0.2 and high.status == "fail"
    assert low.value < 0.2 and low.status == "pass" and low.items == []
    assert "每段至少 40 字" in low.message


def test_the_same_file_as_previous_is_not_compared(auditor, last_year):
    f = finding(auditor.audit_path(last_year / "a.txt", AuditSettings(previous=str(last_year / "a.txt"))))
    assert not f.scored and "同一文件" in f.message


def test_a_folder_is_searched_by_body_and_year(last_year):
    assert find_previous(last_year, "苇塘镇人民政府", 2024) == str(last_year / "a.txt")
    assert find_previous(last_year, "苇塘镇人民政府", 2023) == str(last_year / "b.txt")
    assert find_previous(last_year, "岫川县人民政府", 2024) == str(last_year / "c.txt")
    assert find_previous(last_year, "蒲湾镇人民政府", 2024) is None
    assert find_previous(last_year, "苇塘镇人民政府", None) is None


def test_body_names_match_across_title_variants():
    assert same_body("中共苇塘镇委员会 苇塘镇人民政府", "苇塘镇人民政府")
    assert same_body("苇塘镇", "苇塘镇人民政府")
    assert same_body("中共苇塘镇委员会", "苇塘镇")
    assert same_body("苇塘镇人民政府", "苇塘镇政府")
    assert not same_body("苇塘镇人民政府", "苇塘乡人民政府")
    assert not same_body(None, "苇塘镇人民政府")


def test_no_report_of_the_body_in_the_folder_says_what_was_looked_for(auditor, tmp_path, last_year):
    (tmp_path / "now.txt").write_text(report("蒲湾镇人民政府", 2024, KEPT), encoding="utf-8")
    f = finding(auditor.audit_path(tmp_path / "now.txt", AuditSettings(previous=str(last_year))))
    assert not f.scored and "未找到蒲湾镇人民政府2023年度的报告" in f.message


# --- the run layer and the summary ---------------------------------------------------------


def test_run_with_a_folder_pairs_each_report_and_the_summary_says_which(tmp_path, last_year):
    now = tmp_path / "本年"
    now.mkdir()
    (now / "weitang.txt").write_text(report("苇塘镇人民政府", 2024, KEPT, NEW_2024), encoding="utf-8")
    (now / "puwan.txt").write_text(report("蒲湾镇人民政府", 2024, NEW_2024), encoding="utf-8")
    outcome = run(Options((str(now),), previous=last_year, isolated=True))
    pairs = {row["path"]: row["previous"] for row in outcome.summary["previous"]}
    assert pairs == {str(now / "weitang.txt"): str(last_year / "a.txt"), str(now / "puwan.txt"): None}
    by_path = {r.path: r for r in outcome.results}
    assert finding(by_path[str(now / "weitang.txt")]).status == "fail"
    assert not finding(by_path[str(now / "puwan.txt")]).scored


def test_without_previous_the_summary_has_no_previous_key(tmp_path):
    (tmp_path / "now.txt").write_text(report("苇塘镇人民政府", 2024, KEPT), encoding="utf-8")
    assert "previous" not in run(Options((str(tmp_path / "now.txt"),), isolated=True)).summary


def test_a_previous_file_with_several_reports_is_a_usage_error(tmp_path, last_year):
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text(report("苇塘镇人民政府", 2024, KEPT), encoding="utf-8")
    with pytest.raises(UsageError, match="只能用于检查一份报告"):
        run(Options((str(tmp_path / "x.txt"), str(tmp_path / "y.txt")), previous=last_year / "a.txt", isolated=True))
    with pytest.raises(UsageError, match="路径不存在"):
        run(Options((str(tmp_path / "x.txt"),), previous=tmp_path / "nowhere", isolated=True))
    with pytest.raises(UsageError, match="不是支持的报告文件"):
        run(Options((str(tmp_path / "x.txt"),), previous=last_year / "notes.xlsx", isolated=True))


# --- the command line ---------------------------------------------------------------------


def test_cli_previous_file_gives_value_and_items_in_json():
    done = fazhi_audit("check", str(CORPUS / "reports" / "02_weitang-town-2024.txt"), "--previous", str(CORPUS / "previous" / "weitang-town-2023.txt"), "--format", "json", "--no-config", "--exit-zero", env=PLAIN)
    assert done.returncode == ExitCode.OK, done.stderr
    data = json.loads(done.stdout)
    f = next(f for f in data["reports"][0]["findings"] if f["rule"] == RULE)
    labelled = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["reports"]["02_weitang-town-2024.txt"]["checks"][RULE]
    assert f["status"] == "fail" and abs(f["value"] - labelled["reference_share"]) < 0.01
    assert f["items"] and all(i["evidence"]["line"] >= 1 and i["found"] is False for i in f["items"])
    assert data["summary"]["previous"] == [{"path": data["reports"][0]["path"], "previous": str(CORPUS / "previous" / "weitang-town-2023.txt")}]


def test_cli_previous_folder_prints_which_reports_had_one(tmp_path, last_year):
    (tmp_path / "weitang.txt").write_text(report("苇塘镇人民政府", 2024, KEPT, NEW_2024), encoding="utf-8")
    (tmp_path / "puwan.txt").write_text(report("蒲湾镇人民政府", 2024, NEW_2024), encoding="utf-8")
    done = fazhi_audit("check", str(tmp_path / "weitang.txt"), str(tmp_path / "puwan.txt"), "--previous", str(last_year), "--no-config", "--exit-zero", env=PLAIN)
    out = done.stdout
    assert done.returncode == ExitCode.OK, done.stderr
    line = next(x for x in out.splitlines() if x.startswith("上一年度报告对比："))
    assert "1 份找到上一年度报告" in line and f"weitang.txt ← {last_year / 'a.txt'}" in line
    assert "1 份未找到" in line and "puwan.txt" in line.split("未找到")[1]
    assert "大段照搬上一年度报告" in out


def test_cli_help_names_the_option():
    assert "--previous" in fazhi_audit("check", "--help", env=PLAIN).stdout
