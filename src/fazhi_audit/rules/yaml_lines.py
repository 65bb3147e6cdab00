"""YAML loading that remembers the line of every mapping key.

Validation errors must name file *and line*; PyYAML's node tree has the
marks, so we build plain Python values from it and keep a side table.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import RuleFileError


class LinedDict(dict):
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict


def _build(node):
    if isinstance(node, yaml.MappingNode):
        out = LinedDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise ValueError(f"第 {key_node.start_mark.line + 1} 行：键必须是字符串")
            if key in out:
                raise ValueError(f"第 {key_node.start_mark.line + 1} 行：重复的键 {key!r}")
            out[key] = _build(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v) for v in node.value]
    return _scalar(node)


_SCALARS = yaml.SafeLoader("")  # resolves tags of scalar nodes (int, bool, str …)


def _scalar(node: yaml.ScalarNode):
    return _SCALARS.construct_object(node, deep=True)


def load_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(str(path), None, f"无法读取（{exc}）") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RuleFileError(str(path), line, f"YAML 语法错误：{getattr(exc, 'problem', exc)}") from None
    if node is None:
        raise RuleFileError(str(path), None, "文件为空")
    try:
        return _build(node)
    except ValueError as exc:
        raise RuleFileError(str(path), None, str(exc)) from None
