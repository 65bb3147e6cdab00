"""What findings and explanations say: named templates read from rules/vocab/messages.yaml.

Code names a template and hands it values (`rule.say("pass", title=...)`); the
words are data, so whoever maintains the rules changes what a finding says in
the YAML.  Each rule type declares the templates it uses and the
{placeholders} each may hold (`RuleType.wording`); the shared ones are declared
by `checks.wording.SHARED`.  Loading checks the file against those declarations:
a missing or unknown template, or a placeholder the code never fills, is an
error naming file and line.  A rule file may replace any of its type's
templates under `wording:` (checked the same way).

A template is a string, or a list of strings (several lines of an explanation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_audit.base.errors import RuleFileError
from fazhi_audit.rules.common import Checker
from fazhi_audit.rules.yaml_lines import LinedDict, load_yaml

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Optional templates: `keys.<name>` is how `rules show` names a rule type's key (else the key's
# own name), `hints.<name>` what an error about a missing required key adds.
OPTIONAL = ("keys.", "hints.")

Template = str | tuple[str, ...]
Declared = Mapping[str, tuple[str, ...]]  # template name -> the placeholders the code fills


def render(template: str, values: Mapping[str, object]) -> str:
    """The template with its {placeholders} filled; one without a value stays as written."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


@dataclass(frozen=True)
class Wording:
    """The templates one rule type (or one rule) speaks with: its own over the shared ones."""

    own: Mapping[str, Template] = field(default_factory=dict)
    shared: Mapping[str, Template] = field(default_factory=dict)

    def template(self, name: str) -> Template:
        if name in self.own:
            return self.own[name]
        if name in self.shared:
            return self.shared[name]
        raise KeyError(f"no wording template {name!r}")

    def has(self, name: str) -> bool:
        return name in self.own or name in self.shared

    def say(self, name: str, /, **values) -> str:
        t = self.template(name)
        return render(t, values) if isinstance(t, str) else "\n".join(render(line, values) for line in t)

    def lines(self, name: str, /, **values) -> list[str]:
        t = self.template(name)
        return [render(line, values) for line in ((t,) if isinstance(t, str) else t)]

    def over(self, overrides: Mapping[str, Template]) -> Wording:
        """This wording with some templates replaced (a rule file's own `wording:`)."""
        return Wording({**self.own, **overrides}, self.shared) if overrides else self


@dataclass(frozen=True)
class Messages:
    """rules/vocab/messages.yaml: the shared templates and each rule type's."""

    shared: Mapping[str, Template]
    types: Mapping[str, Mapping[str, Template]]
    path: str = ""

    def for_type(self, name: str) -> Wording:
        return Wording(self.types.get(name, {}), self.shared)


def load_messages(path: Path, types: Mapping[str, Declared], shared: Declared) -> Messages:
    """The file at `path`, checked against what the code declares: `types` maps a rule type's
    name to its templates, `shared` lists the templates every type may use."""
    c = Checker(path)
    data = c.mapping(load_yaml(path), "措辞文件")
    c.keys(data, {"vocabulary", "shared", "types"}, {"vocabulary", "shared", "types"}, "措辞文件")
    if data["vocabulary"] != "messages":
        c.fail(data, "vocabulary", "措辞文件的 vocabulary 必须是 messages")
    shared_templates = templates(c, c.mapping(data["shared"], "shared"), shared, "shared", complete=True)
    by_type = c.mapping(data["types"], "types")
    out = {}
    for name, spec in by_type.items():
        if name not in types:
            c.fail(by_type, name, f"未知的规则类型 {name!r}；允许：{', '.join(sorted(types))}")
        out[name] = templates(c, c.mapping(spec, f"types.{name}"), types[name], f"types.{name}", complete=True)
    for name, declared in types.items():
        missing = [t for t in declared if not t.startswith(OPTIONAL)]
        if missing and name not in out:
            c.fail(by_type, None, f"types 缺少规则类型 {name} 的措辞（需要：{', '.join(missing)}）")
    return Messages(shared_templates, out, str(path))


def templates(c: Checker, node: LinedDict, declared: Declared, where: str, complete: bool = False) -> dict[str, Template]:
    """The templates under `node` (nested mappings give dotted names: explain: {scope: …} is
    explain.scope), each a declared name whose placeholders the code fills.  `complete`: every
    declared template must be there (a rule file's `wording:` replaces only some)."""
    out: dict[str, Template] = {}
    _collect(c, node, "", declared, where, out)
    if complete:
        missing = [name for name in declared if name not in out and not name.startswith(OPTIONAL)]
        if missing:
            c.fail(node, None, f"{where} 缺少措辞模板：{', '.join(missing)}")
    return out


def _collect(c: Checker, node: LinedDict, prefix: str, declared: Declared, where: str, out: dict) -> None:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, LinedDict):
            _collect(c, value, name + ".", declared, where, out)
            continue
        if name not in declared:
            known = ", ".join(sorted(declared)) or "（无）"
            c.fail(node, key, f"{where} 中未知的措辞模板 {name!r}；允许：{known}")
        if isinstance(value, str) and value.strip():
            template: Template = value
        elif isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
            template = tuple(value)
        else:
            c.fail(node, key, f"措辞模板 {name} 必须是非空字符串或非空字符串列表")
        for line in (template,) if isinstance(template, str) else template:
            for m in PLACEHOLDER.finditer(line):
                if m.group(1) not in declared[name]:
                    allowed = "、".join("{" + p + "}" for p in declared[name]) or "无"
                    c.fail(node, key, f"措辞模板 {name} 中的 {{{m.group(1)}}} 无法填写；可用的占位符：{allowed}")
        out[name] = template


def missing_file(path: Path) -> RuleFileError:
    return RuleFileError(str(path), None, "缺少措辞文件 vocab/messages.yaml：请从随附的规则包复制")
