"""disclosure-deadline: was the report published (the web page's date) in time?"""

from __future__ import annotations

from ..document import Document
from ..report.model import Finding
from ..rules.schema import Rule
from ..structure.outline import SectionVocabulary
from .common import deadline_words, finding
from .context import CheckContext
from .deadlines import Params, deadline_finding, placeholders
from .keys import DEADLINE
from .rule_type import RuleType


def check(rule: Rule, doc: Document, ctx: CheckContext) -> list[Finding]:
    if not doc.published or not doc.meta.year:
        return [finding(rule, "pass", "未能确定发布日期或报告年度，未检查公开时限", scored=False)]
    return deadline_finding(rule, doc, doc.published, "发布日期")


def explain(rule: Rule, vocab: SectionVocabulary) -> list[str]:
    due = deadline_words(rule.params.deadline)
    return [f"证据范围：网页上显示的发布日期（发布时间、发布日期等）；应早于报告年度{due}。页面没有发布日期时不检查、不计分。"]


RULE_TYPE = RuleType(
    name="disclosure-deadline",
    params=Params,
    keys=(DEADLINE,),
    check=check,
    explain=explain,
    placeholders=placeholders,
)
