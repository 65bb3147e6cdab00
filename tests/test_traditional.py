"""A traditional-script copy of a sample gets the same verdicts, evidence in 繁体."""

import opencc
from conftest import SEEDS


def _verdicts(result):
    return [(f.rule, f.status, tuple((i.name, i.found) for i in f.items)) for f in result.findings]


def test_traditional_copy_same_verdicts(auditor, tmp_path):
    source = SEEDS / "001_93de1b03becaf1ca.txt"
    text = source.read_text(encoding="utf-8")
    converter = opencc.OpenCC("s2t")
    trad = "\n".join(converter.convert(line) for line in text.split("\n"))
    assert trad != text
    path = tmp_path / "trad.txt"
    path.write_text(trad, encoding="utf-8")
    simp_result = auditor.audit_path(source)
    trad_result = auditor.audit_path(path)
    assert _verdicts(trad_result) == _verdicts(simp_result)
    assert trad_result.score == simp_result.score and trad_result.passed == simp_result.passed
    assert any("繁体" in w for w in trad_result.warnings)
    evidence = [i.evidence for f in trad_result.findings for i in f.items if i.found and i.evidence]
    shown = "".join(e.text for e in evidence)
    assert converter.convert(shown) == shown  # already traditional: shown as the reader wrote it
    assert all(e.match in e.text for e in evidence)
    simplified = [i.evidence for f in simp_result.findings for i in f.items if i.found and i.evidence]
    assert [e.line for e in evidence] == [e.line for e in simplified]
    assert [converter.convert(e.text) for e in simplified] == [e.text for e in evidence]
