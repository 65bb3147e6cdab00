"""Tiny text-layer PDFs built byte by byte, for reader tests (no PDF library needed)."""

from __future__ import annotations


def build_pdf(objects: list[bytes]) -> bytes:
    """Serialise objects 1..n (object 1 = catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def page(contents_ref: int, font_ref: int) -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_ref, contents_ref)
    )


def ascii_pdf(pages: list[list[str]]) -> bytes:
    """Text-layer PDF in the standard Helvetica font, one Tj per line."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        shown = b" ".join(b"(" + line.encode("ascii") + b") Tj T*" for line in lines)
        objects.append(page(5 + 2 * i, 3))
        objects.append(stream(b"BT /F1 12 Tf 14 TL 72 720 Td " + shown + b" ET"))
    return build_pdf(objects)


def cjk_pdf(lines: list[tuple[int, str]]) -> bytes:
    """One page of CJK text (y, text) in an Identity-H font with a ToUnicode map."""
    return cjk_pages([lines])


def cjk_pages(pages: list[list[tuple[int, str]]]) -> bytes:
    """Pages of CJK text (y, text), sharing one Identity-H font with a ToUnicode map."""
    chars = sorted({ch for lines in pages for _, text in lines for ch in text})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    cmap = (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + b"%d beginbfchar\n" % len(chars)
        + b"\n".join(b"<%04X> <%04X>" % (cid[ch], ord(ch)) for ch in chars)
        + b"\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
    kids = b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        stream(cmap),
    ]
    for i, lines in enumerate(pages):
        shown = b" ".join(
            b"BT /F1 12 Tf 1 0 0 1 72 %d Tm <" % y + b"".join(b"%04X" % cid[ch] for ch in text) + b"> Tj ET"
            for y, text in lines
        )
        objects.append(page(7 + 2 * i, 3))
        objects.append(stream(shown))
    return build_pdf(objects)
