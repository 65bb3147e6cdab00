"""The command line's own words in Chinese: help pages, usage lines, usage errors.

typer (and the click it vendors) writes "Usage:", "Options", "Missing
argument …" as literal English with no translation hook, and its rich help
panels cut long option lists short. `install()` switches the help to click's
plain layout, which wraps instead of cutting, and passes every help page and
usage line through one table of replacements; `usage_error()` words click's
usage exceptions in Chinese from their attributes rather than their English text.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

# Fixed phrases of click's plain help layout, in the order they are applied.
_PHRASES = [
    ("Usage: ", "用法："),
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("Show the version and exit.", "显示版本号并退出。"),
    ("[required]", "[必填]"),
    ("[OPTIONS]", "[选项]"),
    ("COMMAND [ARGS]...", "命令 [参数]..."),
]
_HEADINGS = {"Arguments:": "参数：", "Options:": "选项：", "Commands:": "命令："}
# typer's type placeholders: a flag needs none, the rest get a Chinese word.
_PLACEHOLDERS = {
    "bool": "",
    "str": "文本",
    "list[str]": "文本",
    "path": "路径",
    "int": "整数",
    "int range": "整数",
    "float": "数值",
    "float range": "数值",
    "text": "文本",
    "integer": "整数",
}
_PLACEHOLDER = re.compile(r" ?<([a-z\[\] ]+)>")
_RANGE = re.compile(r"\[(?:(-?[\d.]+)<=)?x(?:<=(-?[\d.]+))?(?:>=(-?[\d.]+))?\]")
_DEFAULT = re.compile(r"\[default: ([^\]]*)\]")
_BRACED_ARGUMENT = re.compile(r"\{([^{}\s]+)\}")


def translate_help(text: str) -> str:
    for english, chinese in _PHRASES:
        text = text.replace(english, chinese)
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped in _HEADINGS:
            line = line.replace(stripped, _HEADINGS[stripped])
        lines.append(line)
    text = "\n".join(lines)
    text = _PLACEHOLDER.sub(lambda m: (" " + _PLACEHOLDERS[m.group(1)]) if _PLACEHOLDERS.get(m.group(1)) else "", text)
    text = _RANGE.sub(_range_text, text)
    text = _DEFAULT.sub(lambda m: f"[默认：{m.group(1)}]", text)
    text = _BRACED_ARGUMENT.sub(r"\1", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _range_text(m: re.Match) -> str:
    low, high, at_least = m.group(1), m.group(2), m.group(3)
    if at_least is not None:
        return f"[≥{at_least}]"
    if low is not None and high is not None:
        return f"[{low}–{high}]"
    if high is not None:
        return f"[≤{high}]"
    return m.group(0)


def usage_error(exc: Exception) -> str:
    """One Chinese line for a click usage exception, from its attributes."""
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        near = list(getattr(exc, "possibilities", None) or [])
        hint = f"（是否要用：{'、'.join(near)}）" if near else ""
        return f"没有选项 {exc.option_name}{hint}"
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        name = _param_name(param)
        return f"缺少{'参数' if getattr(param, 'param_type_name', '') == 'argument' else '选项'} {name}" if name else "缺少必需的参数"
    if kind == "BadOptionUsage":
        option = getattr(exc, "option_name", "")
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if "requires an argument" in message:
            return f"选项 {option} 需要一个取值"
        return f"选项 {option} 用法有误：{message}"
    if kind == "BadParameter":
        return f"{_param_name(getattr(exc, 'param', None)) or '参数'} 的取值无效：{_value_problem(getattr(exc, 'message', str(exc)))}"
    if kind == "NoArgsIsHelpError":
        ctx = getattr(exc, "ctx", None)
        commands = sorted(getattr(getattr(ctx, "command", None), "commands", {}) or {})
        if commands:
            return f"没有给出子命令（可用：{'、'.join(commands)}）"
        return "没有给出要检查的文件"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    m = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if m:
        return f"多余的参数：{m.group(1)}"
    m = re.match(r"No such command '(.*)'\.", message)
    if m:
        ctx = getattr(exc, "ctx", None)
        commands = sorted(getattr(getattr(ctx, "command", None), "commands", {}) or {})
        near = difflib.get_close_matches(m.group(1), commands, n=2, cutoff=0.5)
        hint = f"（是否要用：{'、'.join(near)}）" if near else (f"（可用：{'、'.join(commands)}）" if commands else "")
        return f"没有命令 {m.group(1)!r}{hint}"
    if message.strip() == "Missing command.":
        return "缺少子命令"
    return message


def _param_name(param) -> str:
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or list(getattr(param, "opts", []))
    if getattr(param, "param_type_name", "") == "argument":
        return getattr(param, "metavar", None) or (param.name or "").upper()
    return opts[0] if opts else (param.name or "")


def _value_problem(message: str) -> str:
    m = re.match(r"'?(.*?)'? is not a valid (integer|float|integer range|float range)\.?", message)
    if m:
        return f"{m.group(1)!r} 不是{'整数' if 'integer' in m.group(2) else '数值'}"
    m = re.match(r"Input should be a valid (integer|number)", message)
    if m:
        return "应为整数" if m.group(1) == "integer" else "应为数值"
    m = re.match(r"(.*) is not in the range (.*)\.", message)
    if m:
        return f"{m.group(1)} 不在允许的范围 {m.group(2)} 内"
    return message


@lru_cache(maxsize=1)
def _tokens() -> re.Pattern[str]:
    """Words and single CJK characters of help text; compiled on first use (a wide class takes milliseconds, and a check never wraps help)."""
    return re.compile(r"\s+|[\u2e80-\uffff]|[^\s\u2e80-\uffff]+")


def display_width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs: bool = False) -> str:
    """click's wrap_text, measured in terminal cells: a Chinese character takes two,
    and a line may break between any two of them (there are no spaces to break at)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text)] if preserve_paragraphs else [text]
    out = []
    for para in paragraphs:
        if para.lstrip("\n").startswith("\b"):
            out.append(para.split("\n", 1)[1] if "\n" in para else "")
            continue
        words = " ".join(line.strip() for line in para.splitlines())
        out.append(_fill(words, width, initial_indent, subsequent_indent))
    return "\n\n".join(out)


def _fill(text: str, width: int, first: str, rest: str) -> str:
    lines, line, used = [], first, display_width(first)
    for token in _tokens().findall(text):
        if token.isspace():
            if used > display_width(first if not lines else rest):
                line, used = line + " ", used + 1
            continue
        size = display_width(token)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = rest, display_width(rest)
        line, used = line + token, used + size
    lines.append(line.rstrip())
    return "\n".join(lines)


def install() -> None:
    """Plain, wrapped, Chinese help for every typer command of this process."""
    from typer import core
    from typer._click import core as click_core
    from typer._click import formatting

    if getattr(core.TyperCommand, "_fazhi_audit_chinese", False):
        return
    formatting.term_len = display_width  # column widths in cells, not characters
    formatting.wrap_text = wrap_text

    def display_type(self, ctx):
        label = _base_display_type(self, ctx)
        if isinstance(self, core.TyperArgument):
            return ""  # the argument's name says what it is
        return _PLACEHOLDERS.get(label.strip("<>"), label)

    def number_range(self):
        text = _base_ranges[type(self)](self)
        return _RANGE.sub(_range_text, f"[{text}]").strip("[]") if text else text

    _base_display_type = core._TyperParameter.display_type
    core._TyperParameter.display_type = display_type
    _base_ranges = {cls: cls._get_number_range_help_str for cls in (core.TyperArgument, core.TyperOption)}
    for cls in _base_ranges:
        cls._get_number_range_help_str = number_range

    for cls in (core.TyperCommand, core.TyperGroup):
        base_help, base_usage = cls.get_help, cls.get_usage

        def format_help(self, ctx, formatter):
            # click's own layout wraps long texts; the rich panels cut them off.
            return click_core.Command.format_help(self, ctx, formatter)

        def get_help(self, ctx, _base=base_help):
            return translate_help(_base(self, ctx))

        def get_usage(self, ctx, _base=base_usage):
            return translate_help(_base(self, ctx))

        cls.format_help = format_help
        cls.get_help = get_help
        cls.get_usage = get_usage
        cls._fazhi_audit_chinese = True
