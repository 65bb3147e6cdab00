"""Files this tool wrote are never read back as reports (issue 20), and each one written is announced."""

from __future__ import annotations

import shutil

import docx
from conftest import SEEDS

from fazhi_audit.annotate import text_to_docx
from fazhi_audit.base.exit_codes import ExitCode
from fazhi_audit.base.own_output import written_by_this_tool
from fazhi_audit.engine.settings import AuditSettings
from command import fazhi_audit

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))[:2]


def run(*args, cwd):
    return fazhi_audit(*args, cwd=cwd)


def test_outputs_are_announced_and_skipped_on_the_next_run(tmp_path):
    for name in SEED_NAMES:
        shutil.copy(SEEDS / name, tmp_path / name)
    written = ["汇总.xlsx", "结果.html", "结果.md", "结果.txt"]
    first = run("check", ".", "--jobs", "1", "-o", written[0], "-o", f"html={written[1]}", "-o", f"markdown={written[2]}", "-o", f"text={written[3]}", cwd=tmp_path)
    assert first.returncode in (ExitCode.OK, ExitCode.FAILED), first.stderr
    announced = [line for line in first.stdout.splitlines() if line.startswith("已写出 ")]
    assert len(announced) == len(written)
    for name, line in zip(written, announced):
        assert name in line and f"共 {len(SEED_NAMES)} 份" in line
    assert "Excel 工作簿" in announced[0]

    again = run("check", ".", "--jobs", "1", "--format", "json", cwd=tmp_path)
    assert again.returncode == first.returncode, again.stderr  # not 3: no 不支持的格式 for the workbook
    import json

    paths = [r["path"] for r in json.loads(again.stdout)["reports"]]
    assert sorted(paths) == SEED_NAMES
    note = next(line for line in again.stderr.splitlines() if "本工具此前写出" in line)
    assert f"已跳过 {len(written)} 个" in note


def test_a_report_saved_as_html_by_someone_else_is_still_read(tmp_path):
    page = tmp_path / "报告.html"
    page.write_text('<html><head><meta name="generator" content="Microsoft Word 15"></head><body><p>某县2023年度法治政府建设工作报告</p></body></html>', encoding="utf-8")
    assert not written_by_this_tool(page)


def test_annotated_word_file_is_ours_until_someone_saves_it_in_word(tmp_path, auditor):
    source = tmp_path / "报告.txt"
    shutil.copy(SEEDS / SEED_NAMES[0], source)
    result = auditor.audit_path(source, AuditSettings(keep_document=True))
    target = tmp_path / "报告-审查意见.docx"
    text_to_docx(source, result, target, rules=auditor.ruleset.rules, vocab=auditor.ruleset.vocab)
    assert written_by_this_tool(target)
    # the clerk edits the draft with its comments and saves it in Word: Word records the new editor
    edited = docx.Document(str(target))
    edited.core_properties.last_modified_by = "张三"
    edited.save(str(target))
    assert not written_by_this_tool(target)
