"""Undo a page layout's line wrapping, so a PDF reads like the text it was made from.

A PDF's text layer has one line per printed line: a paragraph comes out cut
wherever the page ran out of width (理论学习中 / 心组学习), which splits the
words the matcher looks for and the sentences the checks read. A printed line
that runs (nearly) to the right margin and does not end a sentence continues
on the next line, unless the next line opens a heading or a list item.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from fazhi_audit.text import enumeration

# Ends a paragraph or a heading: the wrap, if any, was the writer's own.
_ENDS_BLOCK = re.compile(r"[。！？；：!?;:：]\s*$|[”’」』）)]\s*$")
# Opens a heading or an item: 一、 （一） (一) 1. 1、 （1） 一是 第一，
_OPENS_BLOCK = re.compile(rf"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d{{1,3}}[、.．](?!\d)|{enumeration.BLOCK_START}|第[一二三四五六七八九十]+[，,、])")
FULL_SHARE = 0.8  # a line this close to the page's full width was cut by the layout


def full_width(lengths: list[int]) -> int:
    """The width of a full printed line on this page: the common long length."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[int(0.9 * (len(ordered) - 1))]


def wrapped_groups(pages: list[list[str]]) -> list[list[tuple[int, int]]]:
    """Which printed lines make one logical line: groups of (page index, line index), in order."""
    groups: list[list[tuple[int, int]]] = []
    open_group = False
    for p, lines in enumerate(pages):
        widths = [cell_len(line) for line in lines]
        full = full_width(widths)
        for i, line in enumerate(lines):
            if open_group and not _OPENS_BLOCK.match(line):
                groups[-1].append((p, i))
            else:
                groups.append([(p, i)])
            open_group = bool(full) and widths[i] >= FULL_SHARE * full and not _ENDS_BLOCK.search(line) and len(lines) > 2
    return groups


def join(parts: list[str]) -> str:
    """Printed lines of one paragraph as one line: CJK joins without a space, Latin words with one."""
    out = parts[0]
    for part in parts[1:]:
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " " + part
        else:
            out += part
    return out
