"""Text of a PDF as a reader that honours /ActualText gets it (Acrobat, Chrome).

typst writes complex-script clusters (Khmer, Bengali conjuncts) with an /ActualText span that
holds the logical Unicode text, and maps the glyphs through /ToUnicode otherwise. poppler's
pdftotext and pypdf ignore /ActualText, which garbles Khmer (typst#4225), so the tests decode
the content streams themselves: inside an /ActualText span its text is taken once and the
glyphs are skipped; elsewhere each 2-byte code is mapped through the font's /ToUnicode CMap.
Also counts glyphs drawn with code 0 (.notdef), so a test can check no missing-glyph box.

One more typst quirk (typst#4225, #4582): when a cluster's glyphs are drawn in separate runs
(a Khmer mark with its own vertical offset), each glyph maps to the whole cluster, so the
cluster comes out twice. A multi-codepoint chunk equal to, or contained at the end of, the
chunk just before it is dropped, and one that extends it replaces it. Khmer writes repetition
with ៗ, so a genuinely doubled cluster does not occur in our texts.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject

_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _utf16(hexes: str) -> str:
    return bytes.fromhex(hexes).decode("utf-16-be", errors="replace")


def to_unicode_map(font: DictionaryObject) -> dict[int, str]:
    """Code → text of a Type0 font's /ToUnicode CMap (bfchar and bfrange sections)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = _utf16(text)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in _BFRANGE.findall(block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


@dataclass
class PageText:
    text: str
    fonts: set[str] = field(default_factory=set)
    notdef: int = 0  # glyphs drawn with code 0 (.notdef, a missing-glyph box)
    not_embedded: set[str] = field(default_factory=set)


def _walk(stream: Any, resources: DictionaryObject, reader: PdfReader, out: list[str],
          page: PageText) -> None:
    fonts = resources.get("/Font", DictionaryObject()).get_object()
    xobjects = resources.get("/XObject", DictionaryObject()).get_object()
    maps: dict[str, dict[int, str]] = {}
    current: str | None = None
    last: list[Any] = ["", -1]  # the last chunk emitted and its index in `out`

    def emit(chunk: str) -> None:
        previous, index = last
        if len(chunk) > 1 and len(previous) > 1:
            if chunk == previous or previous.endswith(chunk):
                return
            if chunk.startswith(previous):
                out[index] = chunk
                last[0] = chunk
                return
        out.append(chunk)
        last[0], last[1] = chunk, len(out) - 1
    actual: list[bool] = []
    for operands, operator in ContentStream(stream, reader).operations:
        if operator == b"Tf":
            current = str(operands[0])
            font = fonts[current].get_object()
            page.fonts.add(str(font.get("/BaseFont", current)))
            if not _embedded(font):
                page.not_embedded.add(str(font.get("/BaseFont", current)))
            if current not in maps:
                maps[current] = to_unicode_map(font)
        elif operator in (b"BDC", b"BMC"):
            props = operands[1] if len(operands) > 1 else None
            text = None
            if isinstance(props, DictionaryObject) and "/ActualText" in props:
                text = str(props["/ActualText"])
            if text is not None and not any(actual):
                emit(text)
            actual.append(text is not None)
        elif operator == b"EMC":
            if actual:
                actual.pop()
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            strings = operands[0] if isinstance(operands[0], ArrayObject) else [operands[-1]]
            for item in strings:
                if isinstance(item, int | float):
                    continue
                data = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
                page.notdef += codes.count(0)
                if any(actual) or current is None:
                    continue
                for code in codes:
                    emit(maps[current].get(code, "\ufffd"))
        elif operator in (b"BT", b"ET"):
            out.append(" ")
        elif operator == b"Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject.get("/Subtype") == NameObject("/Form"):
                inner = xobject.get("/Resources", resources).get_object()
                _walk(xobject, inner, reader, out, page)


def _embedded(font: DictionaryObject) -> bool:
    """True when the font program is inside the PDF (FontFile, FontFile2 or FontFile3)."""
    fonts = [font]
    if "/DescendantFonts" in font:
        fonts += [f.get_object() for f in font["/DescendantFonts"]]
    for item in fonts:
        descriptor = item.get("/FontDescriptor")
        if descriptor is not None and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            return True
    return False


def extract(path_or_bytes: Any) -> list[PageText]:
    """Per page: the text (ActualText-aware), the fonts used, and .notdef glyphs drawn."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    reader = PdfReader(source)
    pages = []
    for page in reader.pages:
        result = PageText("")
        parts: list[str] = []
        _walk(page.get_contents(), page["/Resources"].get_object(), reader, parts, result)
        result.text = "".join(parts)
        pages.append(result)
    return pages


def squash(text: str) -> str:
    """Text without any whitespace, to compare across line breaks."""
    return re.sub(r"\s+", "", text)
