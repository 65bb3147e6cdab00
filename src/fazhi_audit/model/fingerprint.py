"""Line-free identity of a finding, shared by SARIF and the baseline.

A fingerprint hashes rule id, path, section and the normalised evidence of
the problem, never line numbers: editing text above a finding must not
"move" it, so a baseline survives unrelated edits.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

from fazhi_audit.model.result import Finding, ReportResult

_SPACE = re.compile(r"\s+")
# Evidence is shown as written (full-width marks kept); the key folds widths as the
# matcher's normalising does, so a baseline does not depend on how a quote is shown.
_FOLD = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "﹝": "[", "﹞": "]"})


def _key_text(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_FOLD))


def posix_path(path: str) -> str:
    # Reports may come from Windows runners; every format uses forward slashes.
    out = path.replace("\\", "/")
    while out.startswith("./"):
        out = out[2:]
    return out


def problem_key(finding: Finding) -> tuple[str, str]:
    """(section, evidence) of what is wrong, in a form that ignores layout.

    The evidence is what a reader would point at: the sentences that do not
    count (a plan-only mention, a template residue) plus the names of what is
    missing; failing that, the first evidence of the finding.
    """
    bad = [i for i in finding.items if not i.found]
    with_text = [i.evidence for i in bad if i.evidence] or [i.evidence for i in finding.items if i.evidence]
    section = with_text[0].section if with_text else ""
    parts = [_key_text(ev.text) for ev in with_text[:1]] if not bad else [_key_text(i.evidence.text) if i.evidence else "缺:" + i.name for i in bad]
    return section, "\x1e".join(parts)


def fingerprint(rule: str, path: str, section: str, evidence: str, occurrence: int = 0) -> str:
    payload = "\x1f".join((rule, posix_path(path), section, evidence, str(occurrence)))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def finding_fingerprints(result: ReportResult, path: str | None = None) -> Iterator[tuple[Finding, str]]:
    """Each non-passing finding with its fingerprint; `path` replaces result.path
    (the baseline keys paths relative to its own file). Identical findings get
    an occurrence number so they stay distinct."""
    seen: dict[tuple, int] = {}
    where = result.path if path is None else path
    for f in result.findings:
        if f.status == "pass":
            continue
        key = (f.rule, *problem_key(f))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        yield f, fingerprint(f.rule, where, key[1], key[2], occurrence)
