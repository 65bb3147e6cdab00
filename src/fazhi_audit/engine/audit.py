"""The Python API: what the CLI and other programs call.

    from fazhi_audit.engine.audit import Auditor
    auditor = Auditor()                      # loads rules and the model once
    result = auditor.audit_path("report.txt")
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

from fazhi_audit.base.errors import InputError, UsageError
from fazhi_audit.checks import REGISTRY, CheckContext
from fazhi_audit.checks.context import PreviousReport
from fazhi_audit.engine.previous import resolve_previous
from fazhi_audit.engine.rulesets import default_rules_dir, load_ruleset
from fazhi_audit.engine.scoring import score, verdict_reasons
from fazhi_audit.engine.settings import AuditSettings
from fazhi_audit.model.result import ProfileInfo, ReportResult, SectionInfo
from fazhi_audit.rules.loader import RuleSet
from fazhi_audit.rules.profiles import (
    AUTO,
    GENERIC,
    GENERIC_PROFILE,
    Profile,
    detect_profile,
)
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.selection import Selection, effective_rules
from fazhi_audit.text.document import Document, parse_document
from fazhi_audit.text.ingest.normalize import normalize_line
from fazhi_audit.text.ingest.raw import RawDocument
from fazhi_audit.text.ingest.readers import read_path, read_stream
from fazhi_audit.text.matching import PhraseMatcher
from fazhi_audit.text.nlp import Segmenter, get_segmenter

_NOT_THIS_REPORT = re.compile(r"政府信息公开(工作)?年度报告")


class Auditor:
    def __init__(
        self,
        rules_dir: str | Path | None = None,
        fail_under: float = 0,
        segmenter: Segmenter | None = None,
        model_dir: str | None = None,
        ruleset: RuleSet | None = None,
        settings: AuditSettings | None = None,
    ):
        self.ruleset: RuleSet = ruleset or load_ruleset(Path(rules_dir) if rules_dir else default_rules_dir())
        self.settings = settings or AuditSettings(fail_under=fail_under)
        self.segmenter = segmenter or get_segmenter(tuple(self.ruleset.all_phrases()), model_dir)
        self.context = CheckContext(PhraseMatcher(self.segmenter), self.ruleset.vocab, self.ruleset.cues)
        self._rules_cache: dict[tuple, list[Rule]] = {}
        self._previous_docs: dict[int, tuple] = {}  # id(lines) -> (lines, Document)

    @property
    def fail_under(self) -> float:
        return self.settings.fail_under

    def choose_profile(self, doc: Document, settings: AuditSettings) -> tuple[Profile, str]:
        """The profile and why: fixed by flag/config, or detected from the body's name."""
        if settings.profile == GENERIC:
            return GENERIC_PROFILE, settings.profile_source or "指定"
        if settings.profile != AUTO:
            profile = self.ruleset.profiles.get(settings.profile)
            if profile is None:
                raise UsageError(f"未知的报告主体类型 {settings.profile!r}；可选：{'、'.join([AUTO, GENERIC, *self.ruleset.profiles])}")
            return profile, settings.profile_source or "指定"
        detected = detect_profile(self.ruleset.profiles, doc.meta.body)
        if detected is None:
            why = f"未能从主体名称“{doc.meta.body}”识别" if doc.meta.body else "未找到报告主体名称"
            return GENERIC_PROFILE, why + "，按通用规则"
        return detected, f"检测自主体名称“{doc.meta.body}”"

    def rules_for(self, profile: Profile, selection: Selection) -> list[Rule]:
        key = (profile.name, selection)
        if key not in self._rules_cache:
            self._rules_cache[key] = effective_rules(self.ruleset.rules, profile, selection)
        return self._rules_cache[key]

    def _parsed(self, previous: PreviousReport) -> PreviousReport:
        """Last year's report with its parts: parsed once per process (its lines are cached per file)."""
        if previous.lines is None:
            return previous
        key = id(previous.lines)
        kept = self._previous_docs.get(key)
        if kept is None or kept[0] is not previous.lines:
            text = "\n".join(line.text for line in previous.lines)
            kept = (previous.lines, parse_document(text, self.ruleset.vocab, previous.name or "-"))
            if len(self._previous_docs) > 16:
                self._previous_docs.clear()
            self._previous_docs[key] = kept
        return replace(previous, document=kept[1])

    def parse(self, text: str, path: str = "-", published: str | None = None) -> Document:
        return parse_document(text, self.ruleset.vocab, path, published)

    def audit_document(self, doc: Document, settings: AuditSettings | None = None) -> ReportResult:
        settings = settings or self.settings
        profile, why = self.choose_profile(doc, settings)
        rules = self.rules_for(profile, settings.selection)
        context = self.context
        if settings.previous:  # last year's report of this body, for quality.carry-over and quality.follow-through
            context = replace(context, previous=self._parsed(resolve_previous(settings.previous, doc.path, doc.meta.body, doc.meta.year)))
        findings = []
        for rule in rules:
            found = REGISTRY[rule.type](rule, doc, context)
            findings.extend(found)
        value = score(findings, rules)
        reasons = verdict_reasons(findings, value, settings.fail_under)
        sections = [SectionInfo(s.kind, s.title, s.heading.line if s.heading else None) for s in doc.sections if s.kind != "preamble"]
        result = ReportResult(
            path=doc.path,
            title=doc.meta.shown_title,
            body=doc.meta.body,
            year=doc.meta.year,
            outline=doc.meta.outline,
            published=doc.published,
            score=value,
            passed=not reasons,
            reasons=reasons,
            sections=sections,
            findings=findings,
            fail_under=settings.fail_under,
            profile=ProfileInfo(profile.name, profile.label, why),
        )
        result.text_lines = _text_lines(doc)
        if settings.keep_document:
            result.document = doc
        result.part_labels = self.ruleset.vocab.short_labels
        if self.segmenter.warning:
            result.warnings.append(self.segmenter.warning)
        return result

    def audit_raw(self, raw: RawDocument, path: str, settings: AuditSettings | None = None) -> ReportResult:
        doc = parse_document(raw, self.ruleset.vocab, path)  # lines keep their origins
        _require_report(doc)
        result = self.audit_document(doc, settings)
        result.source_format = raw.source_format
        result.warnings.extend(raw.notes)
        return result

    def audit_text(self, text: str, path: str = "-", settings: AuditSettings | None = None) -> ReportResult:
        return self.audit_raw(RawDocument(text=text), path, settings)

    def audit_path(self, path: str | Path, settings: AuditSettings | None = None) -> ReportResult:
        """Audit one file; an unreadable input becomes a result with `error` set."""
        limits = (settings or self.settings).limits
        try:
            if str(path) == "-":
                raw = read_stream(sys.stdin.buffer, ".txt", limits)
            else:
                raw = read_path(Path(path), limits)
            return self.audit_raw(raw, str(path), settings)
        except InputError as exc:
            return ReportResult(path=str(path), error=str(exc))


def _text_lines(doc: Document) -> list[tuple[int, str, str]]:
    """(line number, part kind, text as written) per line, for views that show the report."""
    kinds = ["preamble"] * len(doc.lines)
    for s in doc.sections:
        for i in range(s.start, min(s.end, len(kinds))):
            kinds[i] = s.kind
    for i in doc.meta.signature_lines:
        kinds[i] = doc.kind_at(i)
    out = []
    for line, kind in zip(doc.lines, kinds):
        out.append((line.number, kind, _as_written(line)))
    return out


def _as_written(line) -> str:
    """The line as the report writes it (full-width marks, Traditional script), as evidence is shown."""
    original = line.origin.original
    written = original if original is not None and len(original) == len(line.raw) else line.raw
    span = line.raw_span(0, len(line.text)) if line.text else None
    if span is not None:
        return written[span[0] : span[1]]
    if original is not None:
        converted = normalize_line(original)
        return converted if len(converted) == len(line.text) else line.text
    return line.text


def _require_report(doc: Document) -> None:
    text = "".join(line.text for line in doc.lines[:80])
    title = doc.meta.title or ""
    if _NOT_THIS_REPORT.search(title) and "法治政府" not in title:
        raise InputError("这是政府信息公开工作年度报告，不是法治政府建设年度报告：请提供法治政府建设年度报告")
    if "法治" not in text and not doc.headings:
        raise InputError("内容不像法治政府建设年度报告（未见“法治”字样，也没有标题层级）：请确认文件是否正确")
