"""Read the article body (and publication date) of a saved government web page.

Portal pages wrap the report in navigation, breadcrumbs, share buttons and
footers.  We drop the obvious furniture, pick the content container (by the
id/class names portal CMSs use, else by CJK text density) and emit one line
per block element.
"""

from __future__ import annotations

import re

from fazhi_audit.base.errors import InputError
from fazhi_audit.text.dates import parse_date
from fazhi_audit.text.ingest.html_hidden import drop_hidden, hidden_in
from fazhi_audit.text.ingest.raw import RawDocument, decode_text, normalize_newlines

EMPTY_MESSAGE = "网页中没有找到正文文字：请确认保存的是报告全文页面，或把正文复制为 .txt 后再检查"
PARSE_MESSAGE = "无法解析网页文件（文件可能已损坏）：请重新保存网页，或把正文复制为 .txt 后再检查"

_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object",
              "embed", "select", "button", "input", "textarea", "link", "meta", "head"]
_FURNITURE_TAGS = ["nav", "header", "footer", "aside", "menu"]
# id/class words of page furniture (matched as whole words of the attribute)
_FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|topbar|header|footer|foot|breadcrumbs?|crumbs?|sidebar|"
    r"share|bdshare\w*|copyright|position|location|dqwz|toolbar|pagination|related|xgwz|"
    r"fenxiang|search|login|links?|friendlink)(?:$|[\s_-])",
    re.I,
)
# id/class fragments portal CMSs give the article body itself ...
_BODY_HINT = re.compile(
    r"zoom|trs_?u?editor|main[-_]?text|(?:article|detail|news|pages?|art)[-_]?(?:content|con|body|text)|"
    r"con[-_]?text|text[-_]?con|zhengwen|wenzhang",
    re.I,
)
# ... and looser ones that may also wrap the title and info bar
_CONTENT_HINT = re.compile(r"content|article|detail|main|view|text", re.I)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "blockquote", "pre", "center",
    "form", "fieldset", "address", "figure", "figcaption", "hr", "body", "html",
}
_CELL_TAGS = {"td", "th"}
_PARAGRAPH_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "td", "th", "blockquote", "pre"}
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_DATE_LABEL = re.compile(r"(?:发布|发表|公开|发文|成文)\s*(?:时间|日期)\s*[:：]?\s*")
_PUBDATE_META = {
    "pubdate", "publishdate", "publish_date", "publishtime", "firstpublishedtime",
    "article:published_time", "og:published_time", "articlepubdate", "dc.date.issued",
    "dcterms.issued", "dc.date", "releasedate",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def read_html(data: bytes) -> RawDocument:
    if _is_mhtml(data):
        data = _mhtml_html_part(data)
    text = _decode_html(data)
    try:
        return _read_page(_parse(text))
    except InputError:
        raise
    except Exception:  # e.g. RecursionError on absurdly nested markup
        raise InputError(PARSE_MESSAGE) from None


def _read_page(soup) -> RawDocument:
    unmatched = drop_hidden(soup)  # before anything reads the page: hidden text is no part of it
    published = _meta_published(soup)
    title = _title(soup)
    _drop_invisible(soup)
    if published is None:
        published = _text_published(soup.get_text("\n"))
    _drop_furniture(soup)
    container = _content_container(soup)
    lines = _block_lines(container) if container is not None else []
    if not lines:
        raise InputError(EMPTY_MESSAGE)
    if title and not _title_in(title, lines):
        lines.insert(0, title)
    # only what was hidden in the report itself is worth a word (menus hide submenus all the time)
    note = hidden_in(container).note()
    notes = [note] if note else []
    if unmatched:
        notes.append(f"网页样式表中有 {unmatched} 条可能隐藏文字的规则未能核对（选择器无法解析或样式表过于庞大）：其作用的文字仍计入报告，请人工核对")
    return RawDocument(text="\n".join(lines), source_format="html", published=published, notes=notes)


# ---------------------------------------------------------------- bytes -> str


def _decode_html(data: bytes) -> str:
    """Valid UTF-8 wins, then the page's declared charset, then detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    try:
        return normalize_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        try:
            return normalize_newlines(data.decode(declared))
        except (UnicodeDecodeError, LookupError):
            pass  # the page lies about its charset; let the detector decide
    return decode_text(data)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    return _CHARSET_ALIASES.get(name, name)


def _is_mhtml(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def _mhtml_html_part(data: bytes) -> bytes:
    """A .mhtml "web archive" is a MIME message; the page is its text/html part."""
    try:
        import email  # only saved web archives need the MIME parser
        from email import policy

        message = email.message_from_bytes(data, policy=policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True) or b""
                charset = part.get_content_charset()
                if charset and not _META_CHARSET.search(payload[:4096]):
                    payload = b'<meta charset="' + charset.encode("ascii", "ignore") + b'">' + payload
                return payload
    except Exception:  # malformed MIME: fall through to the error below
        pass
    raise InputError("无法从 .mhtml 网页存档中找到网页正文：请在浏览器中另存为 .html 后再检查")


def _parse(text: str):
    from bs4 import BeautifulSoup

    for parser in ("lxml", "html.parser"):
        try:
            return BeautifulSoup(text, parser)
        except Exception:  # parser missing or choking: try the next one
            continue
    raise InputError(PARSE_MESSAGE)


# ---------------------------------------------------------------- metadata


def _meta_published(soup) -> str | None:
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if key in _PUBDATE_META:
            date = parse_date(meta.get("content") or "")
            if date:
                return date
    return None


def _text_published(text: str) -> str | None:
    for label in _DATE_LABEL.finditer(text):
        date = parse_date(text[label.end(): label.end() + 40])
        if date:
            return date
    return None


def _title(soup) -> str | None:
    """The article title: an <h1> that agrees with <title>, else <title>'s main part."""
    page_title = _title_tag_text(soup)
    headings = [_squash(h.get_text(" ")) for h in soup.find_all("h1")]
    headings = [h for h in headings if _CJK_CHAR.search(h)]
    for heading in headings:
        if page_title and (heading in page_title or page_title in heading):
            return heading
    if page_title:
        return page_title
    return headings[0] if len(headings) == 1 else None


def _title_tag_text(soup) -> str | None:
    if soup.title is None:
        return None
    text = _squash(soup.title.get_text(" "))
    # "报告标题_某某市人民政府" / "报告标题 - 门户网站": keep the longest part
    parts = [part.strip() for part in re.split(r"\s*(?:_|\||｜|--| - |—)\s*", text) if part.strip()]
    parts = [part for part in parts if _CJK_CHAR.search(part)]
    return max(parts, key=lambda part: len(_CJK_CHAR.findall(part))) if parts else None


def _title_in(title: str, lines: list[str]) -> bool:
    """Whether the body already opens with the title (possibly split over lines)."""
    wanted = _compact(title)
    head = _compact("".join(lines[:8]))
    return wanted in head


# ---------------------------------------------------------------- body


def _drop_invisible(soup) -> None:
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()


def _drop_furniture(soup) -> None:
    """Remove navigation-like elements, but never one holding most of the text."""
    total = _cjk_count(soup)
    candidates = soup.find_all(_FURNITURE_TAGS) + soup.find_all(_is_furniture_named)
    for tag in candidates:
        if getattr(tag, "decomposed", False):
            continue  # already gone with an ancestor
        if _cjk_count(tag) * 2 < total:
            tag.decompose()


def _is_furniture_named(tag) -> bool:
    return bool(_FURNITURE_WORDS.search(_names(tag)))


def _names(tag) -> str:
    if getattr(tag, "attrs", None) is None:
        return ""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join([tag.get("id") or "", *classes])


def _content_container(soup):
    body = soup.body or soup
    for hint in (_BODY_HINT, _CONTENT_HINT):
        named = [tag for tag in body.find_all(lambda t: bool(hint.search(_names(t)))) if _cjk_count(tag) >= 20]
        if named:
            return _most_specific(named)
    return _densest_block(body) or body


def _most_specific(candidates):
    """The richest candidate, or a descendant candidate holding most of its text."""
    best = max(candidates, key=_cjk_count)
    best_count = _cjk_count(best)
    inner = [tag for tag in candidates if tag is not best and best in tag.parents
             and _cjk_count(tag) * 10 >= best_count * 8]
    return min(inner, key=_cjk_count) if inner else best


def _densest_block(body):
    """The element whose own paragraphs carry the most CJK text."""
    scores: dict[int, tuple[int, object]] = {}
    for text in body.find_all(string=True):
        count = 0 if _is_markup_string(text) else len(_CJK_CHAR.findall(text))
        if not count:
            continue
        block = _enclosing_block(text)
        if block is None:
            continue
        # credit paragraphs to the element that holds them
        holder = block.parent if block.name in _PARAGRAPH_TAGS and block.parent is not None else block
        previous = scores.get(id(holder), (0, holder))[0]
        scores[id(holder)] = (previous + count, holder)
    if not scores:
        return None
    return max(scores.values(), key=lambda item: item[0])[1]


def _enclosing_block(node):
    for parent in node.parents:
        if parent.name in _BLOCK_TAGS or parent.name in _CELL_TAGS:
            return parent
    return None


def _cjk_count(tag) -> int:
    return len(_CJK_CHAR.findall(tag.get_text()))


def _block_lines(container) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    _walk(container, lines, current)
    _flush(lines, current)
    return lines


def _walk(node, lines: list[str], current: list[str]) -> None:
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, NavigableString):
            if not _is_markup_string(child):
                current.append(_collapse(str(child)))
        elif isinstance(child, Tag):
            if child.name == "br":
                _flush(lines, current)
            elif child.name == "tr":
                _flush(lines, current)
                _table_row(child, lines)
            elif child.name in _BLOCK_TAGS:
                _flush(lines, current)
                _walk(child, lines, current)
                _flush(lines, current)
            else:
                _walk(child, lines, current)


def _is_markup_string(node) -> bool:
    """Comments, doctypes, CDATA: strings a reader never sees."""
    from bs4.element import PreformattedString

    return isinstance(node, PreformattedString)


def _table_row(tr, lines: list[str]) -> None:
    cells = [" ".join(_block_lines(cell)) for cell in tr.find_all(_CELL_TAGS, recursive=False)]
    if any(cells):
        lines.append("\t".join(cells))


def _flush(lines: list[str], current: list[str]) -> None:
    line = _squash("".join(current))
    current.clear()
    if line:
        lines.append(line)


def _collapse(text: str) -> str:
    # HTML whitespace (incl. newlines in the source) is a single space
    return re.sub(r"[ \t\r\n\f]+", " ", text)


def _squash(text: str) -> str:
    text = re.sub(r"[ \t\r\n\f\xa0]+", " ", text)
    return text.strip(" \u3000\xa0")


def _compact(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", text)
