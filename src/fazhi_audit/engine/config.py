"""Configuration files: `fazhi-audit.toml`, or `[tool.fazhi-audit]` in pyproject.toml.

Configuration comes from the person running the check, never from the
files being checked: the reports usually come from other offices, and a
config placed next to one could ignore the failing rules, exclude it, load
its own rules or stop the run. So by default every input uses one trusted
config: --config, else the nearest one found walking up from the current
directory. Configs in the folders being checked (below the current
directory, or above an input outside it) are not read; the run notes how
many were ignored. `--trust-config`, or `trust-nested-config = true` in the
trusted config, restores per-folder configs: each input then uses the
nearest config found walking up from its folder (like ruff and yamllint).

Precedence, lowest first: defaults < the file's top level < its matching
[[overrides]] (in file order) < command-line flags. Every resolved value
remembers its source, so `fazhi-audit config show` can explain where it
came from.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_audit.base.errors import UsageError
from fazhi_audit.base.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Limits,
    parse_size,
)
from fazhi_audit.base.paths import display_path
from fazhi_audit.engine.settings import AuditSettings
from fazhi_audit.model.fingerprint import posix_path
from fazhi_audit.rules.profiles import AUTO, GENERIC
from fazhi_audit.rules.schema import SEVERITIES
from fazhi_audit.rules.selection import Selection, unknown_selectors

if TYPE_CHECKING:  # imported where patterns are compiled
    import pathspec

CONFIG_FILE = "fazhi-audit.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_SOURCE = "默认"
MAX_BYTES = 1_000_000  # a config is a few hundred bytes; never read a huge file whole
TRUST_FLAG = "trust-config"  # flag key: honour configs found in the folders being checked
TRUST_KEY = "trust-nested-config"  # the same, as a key of the trusted config

# key -> (kind, description of what is allowed); the same table validates and documents.
TOP_KEYS: dict[str, tuple[str, str]] = {
    "profile": ("str", f"报告主体类型：{AUTO}（按主体名称识别）、{GENERIC}（通用）或 rules/profiles/ 中的画像名，如 township、county、department"),
    "rules": ("dir", "规则目录（替换内置规则包），相对于配置文件"),
    "extend-rules": ("dirs", "扩展规则目录列表（新增或覆盖同 id 的内置规则），相对于配置文件"),
    "select": ("strs", "只运行这些规则 id 或前缀（空列表表示全部）"),
    "ignore": ("strs", "不运行这些规则 id 或前缀"),
    "severity": ("severity", f"规则 id 或前缀 = 级别（{'、'.join(SEVERITIES)}）"),
    "fail-under": ("score", "0–100 的数：得分低于此值判为不通过"),
    "jobs": ("jobs", "非负整数：并行进程数，0 表示 CPU 核数"),
    "exclude": ("strs", "不检查的文件，gitignore 风格的通配符，相对于配置文件"),
    "baseline": ("file", "基线文件路径，相对于配置文件"),
    "timeout": ("seconds", "非负的秒数：每份报告的检查时限，超时的文件记为错误行；0 表示不限（默认 60）"),
    "max-bytes": ("size", "单个文件的大小上限：字节数或带单位的大小，如 20MB、500KB（默认 20MB）；超过上限的文件记为错误行"),
    "overrides": ("overrides", "按路径覆盖的表数组 [[overrides]]，每项须有 paths"),
    TRUST_KEY: ("bool", "true 或 false：是否采用被检查目录中的配置文件（只在当前目录及其上级的配置或 --config 中有效）"),
}
OVERRIDE_KEYS = ("paths", "profile", "select", "ignore", "severity", "fail-under")
DEFAULTS: dict[str, Any] = {
    "profile": AUTO,
    "rules": None,
    "extend-rules": (),
    "select": (),
    "ignore": (),
    "severity": (),
    "fail-under": 0.0,
    "jobs": 0,
    "exclude": (),
    "baseline": None,
    "max-bytes": DEFAULT_MAX_BYTES,
    "timeout": DEFAULT_TIMEOUT,
}
SHOWN_KEYS = tuple(DEFAULTS)  # what `config show` lists, in this order


class ConfigError(UsageError):
    def __init__(self, path: Path, line: int | None, key: str, problem: str):
        where = f"{path} 第{line}行" if line else str(path)
        # "overrides[1].fail-under" -> fail-under; "severity.structure.numbering" -> severity
        known = [part for part in re.split(r"[.\[\]]", key) if part in TOP_KEYS]
        allowed = TOP_KEYS[known[-1]][1] if known else ""
        hint = f"；允许：{allowed}" if allowed and "未知的键" not in problem else ""
        super().__init__(f"配置文件 {where}：键 {key} {problem}{hint}")


@dataclass
class Override:
    index: int
    patterns: tuple[str, ...]
    spec: pathspec.PathSpec
    values: dict[str, Any]
    line: int | None = None


@dataclass
class ConfigFile:
    path: Path
    values: dict[str, Any]
    overrides: list[Override] = field(default_factory=list)
    exclude: pathspec.PathSpec | None = None
    lines: dict[str, int | None] = field(default_factory=dict)

    def source(self, key: str) -> str:
        line = self.lines.get(key)
        return f"配置文件 {self.path}" + (f" 第{line}行" if line else "")

    @property
    def root(self) -> Path:
        return self.path.parent

    def relative(self, file: Path) -> str | None:
        try:
            return posix_path(os.path.relpath(file.resolve(), self.root.resolve()))
        except ValueError:  # another drive on Windows
            return None


def _key_line(text: str, key: str, after: int = 0) -> int | None:
    """Best-effort line of `key = …` (tomllib keeps no positions)."""
    pattern = re.compile(r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=')
    for no, line in enumerate(text.splitlines()[after:], start=after + 1):
        if pattern.match(line):
            return no
    return None


class _Validator:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.start = 0  # search keys after the [tool.fazhi-audit] header in pyproject

    def fail(self, key: str, problem: str, line_key: str | None = None):
        raise ConfigError(self.path, _key_line(self.text, line_key or key.split(".")[-1], self.start), key, problem)

    def value(self, key: str, raw: Any, where: str = "") -> Any:
        kind = TOP_KEYS[key][0]
        name = f"{where}{key}"
        if kind == "str":
            if not isinstance(raw, str) or not raw.strip():
                self.fail(name, f"必须是字符串，实为 {raw!r}", key)
            return raw.strip()
        if kind in ("dir", "file"):
            if not isinstance(raw, str) or not raw.strip():
                self.fail(name, f"必须是路径字符串，实为 {raw!r}", key)
            path = (self.path.parent / raw).resolve()
            if kind == "dir" and not path.is_dir():
                self.fail(name, f"指向的目录不存在：{path}", key)
            return str(path)
        if kind in ("strs", "dirs"):
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
                self.fail(name, f"必须是字符串列表，实为 {raw!r}", key)
            if kind == "dirs":
                out = []
                for v in raw:
                    path = (self.path.parent / v).resolve()
                    if not path.is_dir():
                        self.fail(name, f"指向的目录不存在：{path}", key)
                    out.append(str(path))
                return tuple(out)
            return tuple(v.strip() for v in raw)
        if kind == "severity":
            if not isinstance(raw, dict):
                self.fail(name, "必须是表，如 [severity] 下写 \"structure.section-order\" = \"warning\"", key)
            for rule, sev in raw.items():
                if sev not in SEVERITIES:
                    self.fail(f"{name}.{rule}", f"的级别 {sev!r} 无效", rule)
            return tuple(raw.items())
        if kind == "score":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 <= raw <= 100:
                self.fail(name, f"必须是 0–100 的数，实为 {raw!r}", key)
            return float(raw)
        if kind == "jobs":
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                self.fail(name, f"必须是非负整数，实为 {raw!r}", key)
            return raw
        if kind == "seconds":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < 0:
                self.fail(name, f"必须是非负的秒数，实为 {raw!r}", key)
            return float(raw)
        if kind == "size":
            try:
                return parse_size(raw, key)
            except UsageError:
                self.fail(name, f"必须是正的字节数或带单位的大小（如 20MB），实为 {raw!r}", key)
        if kind == "bool":
            if not isinstance(raw, bool):
                self.fail(name, f"必须是 true 或 false，实为 {raw!r}", key)
            return raw
        raise AssertionError(kind)

    def table(self, data: dict, allowed, where: str = "") -> dict[str, Any]:
        out = {}
        for key, raw in data.items():
            if key not in allowed:
                self.fail(f"{where}{key}", f"是未知的键；允许的键：{', '.join(allowed)}", key)
            if key in ("overrides", "paths"):
                continue
            out[key] = self.value(key, raw, where)
        return out

    def overrides(self, raw: Any) -> list[Override]:
        if not isinstance(raw, list) or not all(isinstance(o, dict) for o in raw):
            self.fail("overrides", "必须写成表数组 [[overrides]]")
        out = []
        for n, spec in enumerate(raw, start=1):
            where = f"overrides[{n}]."
            patterns = spec.get("paths")
            if isinstance(patterns, str):
                patterns = [patterns]
            if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
                self.fail(f"{where}paths", "必须是非空的通配符列表，如 paths = [\"乡镇/**\"]", "paths")
            out.append(Override(n, tuple(patterns), _spec(patterns), self.table(spec, OVERRIDE_KEYS, where)))
        return out


def _spec(patterns) -> pathspec.PathSpec:
    import pathspec  # only when a config file has patterns

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def load_config(path: Path) -> ConfigFile:
    """Read and validate one config file; every error names file, line and key."""
    path = Path(path)
    try:
        text = _read_text(path)
    except FileNotFoundError:
        raise UsageError(f"配置文件不存在：{path}（请检查 --config 的路径）") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取配置文件 {path}：{exc}（配置文件须为 UTF-8 编码的 TOML）") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"配置文件 {path} 不是有效的 TOML：{exc}（字符串须加引号，表头形如 [severity]）") from None
    except RecursionError:  # thousands of nested [[[…]]] arrays
        raise UsageError(f"配置文件 {path} 嵌套过深，不是有效的配置") from None
    v = _Validator(path, text)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("fazhi-audit")
        if data is None:
            raise UsageError(f"{path} 中没有 [tool.fazhi-audit] 表：请添加该表，或改用 {CONFIG_FILE}")
        header = re.search(r"^\[tool\.fazhi-audit[\].]", text, re.M)
        v.start = text[: header.start()].count("\n") if header else 0
    values = v.table(data, tuple(TOP_KEYS))
    overrides = v.overrides(data["overrides"]) if "overrides" in data else []
    headers = [no for no, line in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[(tool\.fazhi-audit\.)?overrides\]\]", line)]
    for ov, line in zip(overrides, headers):
        ov.line = line
    exclude = _spec(values["exclude"]) if values.get("exclude") else None
    lines = {key: _key_line(text, key, v.start) for key in values}
    return ConfigFile(path, values, overrides, exclude, lines)


def _read_text(path: Path) -> str:
    """The file's text, refusing what is not a small regular file (a FIFO would block)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError("不是普通文件")
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise OSError(f"文件过大（上限 {MAX_BYTES} 字节）")
    return data.decode("utf-8-sig")


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return "[tool.fazhi-audit" in _read_text(pyproject)
    except (OSError, UnicodeDecodeError):
        return False


def _config_in(folder: Path) -> Path | None:
    """fazhi-audit.toml, or pyproject.toml with a [tool.fazhi-audit] table, in `folder` itself."""
    candidate = folder / CONFIG_FILE
    if _is_file(candidate):
        return candidate
    candidate = folder / PYPROJECT
    if _is_file(candidate) and _has_tool_table(candidate):
        return candidate
    return None


def _is_file(path: Path) -> bool:
    """A folder one may not list (another office's, or locked) holds no config we can read."""
    try:
        return path.is_file()
    except OSError:
        return False


def find_config_path(start: Path) -> Path | None:
    """The nearest fazhi-audit.toml, or pyproject.toml with [tool.fazhi-audit], at or above `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        found = _config_in(folder)
        if found is not None:
            return found
    return None


@dataclass
class Resolved:
    """Settings for one input, each with where it came from."""

    values: dict[str, Any]
    sources: dict[str, str]
    config: ConfigFile | None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def rules_key(self) -> tuple[str | None, tuple[str, ...]]:
        return self.values["rules"], tuple(self.values["extend-rules"])

    def audit_settings(self) -> AuditSettings:
        profile = self.values["profile"]
        source = "" if profile == AUTO else self.sources["profile"]
        selection = Selection(tuple(self.values["select"]), tuple(self.values["ignore"]), tuple(self.values["severity"]))
        limits = Limits.scaled(parse_size(self.values["max-bytes"]))  # the flag arrives as given, e.g. "50MB"
        return AuditSettings(profile, source, selection, float(self.values["fail-under"]), limits=limits)


class Resolver:
    """Resolves settings per input file, caching config files by folder.

    `cwd` is where the run starts (default: the current directory); configs at
    or above it, and --config, are trusted. Configs found only by walking up
    from an input are used just when trusted by the `trust-config` flag or the
    `trust-nested-config` key; otherwise they are listed in `notes`.
    """

    def __init__(
        self,
        flags: dict[str, Any] | None = None,
        config_path: str | Path | None = None,
        isolated: bool = False,
        *,
        cwd: str | Path | None = None,
        flags_source: str | None = None,
    ):
        flags = dict(flags or {})
        self.flags_source = flags_source  # how the front-end names what its user chose; None: the command line
        trust_flag = bool(flags.pop(TRUST_FLAG, None))
        self.flags = {k: v for k, v in flags.items() if v is not None}
        self.isolated = isolated
        self.fixed = load_config(Path(config_path)) if config_path else None
        self._by_folder: dict[Path, ConfigFile | None] = {}
        self._loaded: dict[Path, ConfigFile] = {}
        self._ignored: dict[Path, None] = {}  # untrusted configs seen, in order
        self.cwd = _run_root(cwd)
        self._trusted_dirs = {self.cwd, *self.cwd.parents} if self.cwd else set()
        self.top: ConfigFile | None = None  # the trusted config found from cwd
        if self.fixed is None and not isolated and self.cwd is not None:
            self.top = self._load(find_config_path(self.cwd))
        trusted = self.fixed or self.top
        self.trust_nested = trust_flag or bool(trusted and trusted.values.get(TRUST_KEY))

    def _load(self, path: Path | None) -> ConfigFile | None:
        if path is None:
            return None
        if path not in self._loaded:
            self._loaded[path] = load_config(path)
        return self._loaded[path]

    def config_for(self, path: str) -> ConfigFile | None:
        if self.fixed is not None or self.isolated:
            return self.fixed
        if path == "-":
            return self.top
        folder = Path(path)
        folder = folder if folder.is_dir() else folder.parent
        folder = folder.resolve()
        if folder not in self._by_folder:
            self._by_folder[folder] = self._find(folder)
        return self._by_folder[folder]

    def _find(self, folder: Path) -> ConfigFile | None:
        if self.trust_nested:
            return self._load(find_config_path(folder))
        # Configs between the input and the trusted directories belong to the
        # folders being checked: note them, never read them.
        for d in (folder, *folder.parents):
            if d in self._trusted_dirs:
                break
            found = _config_in(d)
            if found is not None:
                self._ignored.setdefault(found)
        return self.top

    @property
    def ignored_configs(self) -> list[Path]:
        return list(self._ignored)

    @property
    def notes(self) -> list[str]:
        """One line for the whole run when configs in the checked folders were ignored."""
        if not self._ignored:
            return []
        first = display_path(next(iter(self._ignored)))
        return [
            f"已忽略被检查目录中的配置文件 {len(self._ignored)} 个（如 {first}）：配置只从当前目录及其上级或 --config 读取；"
            f"信任这些配置请加 --{TRUST_FLAG}（或在当前目录的配置中写 {TRUST_KEY} = true）"
        ]

    def resolve(self, path: str) -> Resolved:
        values = dict(DEFAULTS)
        sources = dict.fromkeys(DEFAULTS, DEFAULT_SOURCE)
        config = self.config_for(path)
        if config is not None:
            for key, value in config.values.items():
                if key not in DEFAULTS:  # run-level keys such as trust-nested-config
                    continue
                values[key] = value
                sources[key] = config.source(key)
            rel = config.relative(Path(path)) if path != "-" and not Path(path).is_dir() else None
            for ov in config.overrides:
                if rel is None or not ov.spec.match_file(rel):
                    continue
                at = f" 第{ov.line}行" if ov.line else ""
                label = f"配置文件 {config.path}{at} [[overrides]] 第{ov.index}项（paths = {', '.join(ov.patterns)}）"
                for key, value in ov.values.items():
                    if key == "ignore":
                        value = tuple(dict.fromkeys((*values["ignore"], *value)))
                    elif key == "severity":
                        value = tuple({**dict(values["severity"]), **dict(value)}.items())
                    values[key] = value
                    sources[key] = label
        for key, value in self.flags.items():
            values[key] = value
            sources[key] = self.flags_source or f"命令行 --{key}"
        return Resolved(values, sources, config)

    def excluded(self, path: str) -> bool:
        config = self.config_for(path)
        if path == "-" or config is None or config.exclude is None:
            return False
        rel = config.relative(Path(path))
        return rel is not None and not rel.startswith("../") and config.exclude.match_file(rel)


def _run_root(cwd: str | Path | None) -> Path | None:
    try:
        return Path(cwd).resolve() if cwd is not None else Path.cwd().resolve()
    except OSError:  # the current directory was removed: trust no folder
        return None


def check_against_rules(resolved: Resolved, rule_ids: list[str], profiles: dict) -> None:
    """Settings that only make sense once the rules are known: selectors and profile names."""
    for key in ("select", "ignore"):
        bad = unknown_selectors(resolved[key], rule_ids)
        if bad:
            raise UsageError(f"{resolved.sources[key]}：{key} 中的 {', '.join(bad)} 不是任何规则的 id 或前缀（运行 fazhi-audit rules list 查看规则 id）")
    bad = unknown_selectors([sel for sel, _ in resolved["severity"]], rule_ids)
    if bad:
        raise UsageError(f"{resolved.sources['severity']}：severity 中的 {', '.join(bad)} 不是任何规则的 id 或前缀（运行 fazhi-audit rules list 查看规则 id）")
    profile = resolved["profile"]
    allowed = [AUTO, GENERIC, *profiles]
    if profile not in allowed:
        raise UsageError(f"{resolved.sources['profile']}：profile 的值 {profile!r} 无效；可选：{'、'.join(allowed)}")
