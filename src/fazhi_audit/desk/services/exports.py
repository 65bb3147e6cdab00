"""A round as an Excel workbook and as a 通报 (circular) draft in Word, for the office to edit.

Both are built from the stored ranking and results; dismissed findings are
left out of the problems they list (the score and verdict are the tool's).
"""

from __future__ import annotations

import io
from collections import Counter

from sqlalchemy import select

from fazhi_audit.desk.models import Submission
from fazhi_audit.desk.services.decisions import dismissed_in_round
from fazhi_audit.desk.services.rounds import ranking

COMMON_PROBLEMS = 10  # how many of the most common problems the 通报 lists


def _open_problems(store, round_id: int) -> dict[int, list[tuple[str, str]]]:
    """Per submission, (rule, title) of each problem not dismissed."""
    with store.session() as session:
        rows = session.execute(select(Submission.id, Submission.problem_rules).where(Submission.round_id == round_id)).all()
        gone = dismissed_in_round(session, round_id)
    return {sid: [(rule, title) for fp, rule, title in problems if (sid, fp) not in gone] for sid, problems in rows}


def verdict(item: dict) -> str:
    if item["error"]:
        return "无法读取"
    return "通过" if item["passed"] else "不通过"


def _score(item: dict) -> str:
    return "—" if item["score"] is None else f"{item['score']:g}"


def common_problems(store, round_id: int) -> list[tuple[str, str, int]]:
    """(rule, title, how many bodies) of the problems most bodies have, most first."""
    counts: Counter = Counter()
    for problems in _open_problems(store, round_id).values():
        counts.update(set(problems))
    return [(rule, title, n) for (rule, title), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))]


def round_xlsx(store, round_id: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = ranking(store, round_id)
    problems = _open_problems(store, round_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "排名"
    sheet.append(["名次", "单位", "层级", "年度", "得分", "结论", "问题数", "已确认", "已驳回", "待复核", "复核状态", "不通过原因", "文件名"])
    for item in data["submissions"]:
        sheet.append([item["rank"], item["body"] or "（未识别）", item["level"] or "", item["year"], item["score"], verdict(item),
                      item["problems"], item["confirmed"], item["dismissed"], item["pending"], item["status"],
                      "；".join(item["reasons"]) or (item["error"] or ""), item["name"]])
    detail = book.create_sheet("问题")
    detail.append(["单位", "文件名", "规则", "问题"])
    for item in data["submissions"]:
        for rule, title in problems.get(item["id"], []):
            detail.append([item["body"] or "（未识别）", item["name"], rule, title])
    common = book.create_sheet("常见问题")
    common.append(["规则", "问题", "单位数"])
    for row in common_problems(store, round_id):
        common.append(list(row))
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def circular_docx(store, round_id: int) -> bytes:
    """The 通报 draft: overall figures, a ranking table of every body, the common problems, one line per failing body."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    data = ranking(store, round_id)
    items = data["submissions"]
    problems = _open_problems(store, round_id)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(f"关于{data['year']}年度法治政府建设年度报告审查情况的通报")
    run.bold = True
    run.font.size = Pt(20)
    note = document.add_paragraph("（草稿：由 fazhi-audit 审查台生成，请审核、修改后印发）")
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER

    readable = [i for i in items if not i["error"]]
    passed = sum(1 for i in readable if i["passed"])
    scores = [i["score"] for i in readable if i["score"] is not None]
    average = f"{sum(scores) / len(scores):.1f}" if scores else "—"
    def heading_line(text: str) -> None:  # a 通报's part headings: 黑体, black, no Word heading colour
        run = document.add_paragraph().add_run(text)
        run.bold = True
        run.font.name = "黑体"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")

    heading_line("一、总体情况")
    document.add_paragraph(
        f"本次{data['title']}共收到 {len(items)} 份报告，其中 {passed} 份通过、{len(readable) - passed} 份未通过"
        + (f"、{len(items) - len(readable)} 份无法读取" if len(items) > len(readable) else "")
        + f"，平均得分 {average} 分。各单位得分及结论见下表（按得分由低到高排列）。"
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "单位", "得分", "结论")):
        cell.text = text
    for item in items:
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(item["rank"]), item["body"] or item["name"], _score(item), verdict(item))):
            cell.text = text
    table.autofit = False
    for column, width in zip(table.columns, (Cm(1.6), Cm(8.4), Cm(2.4), Cm(3.2))):
        column.width = width  # the grid LibreOffice reads; the cells' widths are Word's
        for cell in column.cells:
            cell.width = width

    heading_line("二、存在的主要问题")
    common = common_problems(store, round_id)[:COMMON_PROBLEMS]
    if not common:
        document.add_paragraph("经审查，未发现共性问题。")
    for n, (_rule, title, count) in enumerate(common, 1):
        document.add_paragraph(f"{n}. {title}（{count} 个单位）。")

    heading_line("三、未通过的单位")
    failing = [i for i in items if not i["passed"]]
    if not failing:
        document.add_paragraph("本次审查的报告均已通过。")
    for item in failing:
        titles = "、".join(dict.fromkeys(title for _rule, title in problems.get(item["id"], [])))
        reason = item["error"] or "；".join(item["reasons"]) or "未达到通过要求"
        document.add_paragraph(f"{item['body'] or item['name']}：得分 {_score(item)}，{reason}" + (f"；主要问题：{titles}。" if titles else "。"))

    heading_line("四、下一步工作要求")
    document.add_paragraph("请各单位对照上述问题认真整改，在下一年度报告中逐项说明整改情况。（此段请按实际要求修改）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
