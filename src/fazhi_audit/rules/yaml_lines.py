"""YAML loading that remembers the line of every mapping key, within bounds.

Validation errors must name file *and line*; PyYAML's node tree has the
marks, so we build plain Python values from it and keep a side table.

Rule files may come from another office, so loading is bounded before any
value is built: the file size is capped, and a first pass over the event
stream rejects anchors/aliases (recursive aliases and "billion laughs" alias
bombs only blow up when values are built), tags other than the plain YAML
types (`!!python/object`, custom `!tags`), and deep nesting (the composer
recurses per level). Every problem is a RuleFileError with file and line.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.rules import tree_cache

MAX_BYTES = 1_000_000  # the largest bundled rule file is a few KB
MAX_DEPTH = 32  # the deepest bundled structure is 4 levels

_YAML_TAG = "tag:yaml.org,2002:"
# Explicit tags a rule author may write: the plain types SafeLoader resolves anyway.
# "!" is the non-specific tag of a quoted scalar.
ALLOWED_TAGS = frozenset({None, "!", *(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))})


class LinedDict(dict):
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict


class _BuildError(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _line(node_or_event) -> int:
    return node_or_event.start_mark.line + 1


def _build(node):
    import yaml  # only when a file is parsed: a warm rule cache never needs PyYAML

    if isinstance(node, yaml.MappingNode):
        out = LinedDict()
        out.line = _line(node)
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise _BuildError(_line(key_node), "键必须是字符串")
            if key in out:
                raise _BuildError(_line(key_node), f"重复的键 {key!r}")
            out[key] = _build(value_node)
            out.key_lines[key] = _line(key_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v) for v in node.value]
    return _scalar(node)


@lru_cache(maxsize=1)
def _scalars():
    """A loader that resolves tags of scalar nodes (int, bool, str …)."""
    import yaml

    return yaml.SafeLoader("")


def _scalar(node):
    import yaml

    try:
        return _scalars().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. a date 2024-13-45
        raise _BuildError(_line(node), f"无法解析的值 {node.value[:40]!r}（{exc}）") from None


def _check_events(text: str) -> None:
    """Reject what makes building unbounded or unsafe, before building anything."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _BuildError(_line(event), "规则文件不支持 YAML 锚点/别名（&/*）：请把内容直接写出")
        tag = getattr(event, "tag", None)
        if tag not in ALLOWED_TAGS:
            shown = tag.replace(_YAML_TAG, "!!", 1)
            raise _BuildError(_line(event), f"不支持的 YAML 标签 {shown}：规则文件只能使用字符串、数字、布尔值、列表和映射")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _BuildError(_line(event), f"嵌套超过 {MAX_DEPTH} 层：规则文件的结构不会这么深，请检查缩进或括号")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _read(path: Path) -> str:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever
            raise RuleFileError(str(path), None, "不是普通文件（可能是管道或设备），无法作为规则文件读取")
        if info.st_size > MAX_BYTES:
            raise RuleFileError(str(path), None, f"文件过大（{info.st_size} 字节，上限 {MAX_BYTES}）：规则文件应只有几 KB")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # the file may grow after stat
        if len(data) > MAX_BYTES:
            raise RuleFileError(str(path), None, f"文件过大（上限 {MAX_BYTES} 字节）：规则文件应只有几 KB")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(str(path), None, f"无法读取（{exc}）") from None


def load_yaml(path: Path):
    path = Path(path)
    text = _read(path)
    cached = tree_cache.get(text)
    if cached is not None:
        return cached
    import yaml  # only on a cache miss

    try:
        _check_events(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            raise RuleFileError(str(path), None, "文件为空")
        tree = _build(node)
    except _BuildError as exc:
        raise RuleFileError(str(path), exc.line, exc.message) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RuleFileError(str(path), line, f"YAML 语法错误：{getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:  # unreachable with MAX_DEPTH, kept as a last guard
        raise RuleFileError(str(path), None, f"嵌套过深（超过 {MAX_DEPTH} 层）") from None
    tree_cache.put(text, tree)
    return tree
