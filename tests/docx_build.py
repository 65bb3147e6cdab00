"""Word documents with real automatic numbering, for reader tests."""

from __future__ import annotations

import io

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W_NUMBERING_ID = 90


def add_chinese_numbering(document) -> None:
    """Real Word list: ilvl 0 "%1、" and ilvl 1 "（%2）", both chineseCounting."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{W_NUMBERING_ID}">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>'
        "</w:abstractNum>"
    )
    # schema order: every abstractNum precedes the first num
    first_num = numbering.find(f'{{{numbering.nsmap["w"]}}}num')
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{W_NUMBERING_ID}">'
            f'<w:abstractNumId w:val="{W_NUMBERING_ID}"/></w:num>'
        )
    )


def numbered(document, text: str, ilvl: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
            f'<w:numId w:val="{W_NUMBERING_ID}"/></w:numPr>'
        )
    )
    return paragraph


def docx_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
