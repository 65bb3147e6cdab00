"""base/sanitize.py: every shown string loses its control characters; clean values are left as they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi_audit.base.sanitize import clean


@dataclass
class _Shown:
    title: str
    lines: list[tuple[int, str, str]]
    scores: dict[str, float]
    kept: object = field(default=None, metadata={"sanitize": False})


def test_control_characters_go_wherever_they_sit():
    kept = ["\x1b[2J"]
    value = clean(_Shown("报告\x1b]0;pwned\x07", [(1, "body", "法治\x1b[31m政府")], {"a\x9b": 1.0}, kept))
    assert value.title == "报告]0;pwned"
    assert value.lines == [(1, "body", "法治[31m政府")]
    assert value.scores == {"a": 1.0}
    assert value.kept is kept and kept == ["\x1b[2J"]  # a field marked sanitize=False is never touched


def test_a_clean_value_keeps_its_objects():
    line = (1, "body", "法治政府\t建设")
    value = _Shown("报告", [line], {})
    assert clean(value) is value and value.lines[0] is line
