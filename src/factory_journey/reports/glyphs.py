"""Turn the `<text>` of chart SVGs into glyph outlines, shaped with HarfBuzz.

SVG renderers pick fonts per character and some (typst's among them) shape Bengali wrongly:
vowel signs land after the consonant and spaces vanish. Shaping the labels here with
HarfBuzz, using the shipped fonts, and writing the glyphs as paths makes every chart look the
same in the HTML (whatever fonts the reader's machine has) and in the PDF, in every script.

Reads the shipped font files once per process (I/O), so it belongs to rendering, not to the
pure report context.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import uharfbuzz as hb
from fontTools.pens.svgPathPen import SVGPathPen

FONTS = Path(__file__).with_name("fonts")
FAMILIES: dict[str, tuple[str, str]] = {
    "latin": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "bengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    "khmer": ("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf"),
    "ethiopic": ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    "cjk": ("NotoSansSC-Regular-subset.otf", "NotoSansSC-Bold-subset.otf"),
}
ORDER = ("latin", "bengali", "khmer", "ethiopic", "cjk")

TEXT = re.compile(
    r'<text x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" font-size="(?P<size>[\d.]+)" '
    r'fill="(?P<fill>[^"]+)" text-anchor="(?P<anchor>\w+)" font-weight="(?P<weight>\w+)">'
    r"(?P<text>[^<]*)</text>"
)


@dataclass
class ShapingFont:
    """One font file: HarfBuzz font, its character set and a cache of glyph outlines."""

    path: Path
    font: hb.Font = field(init=False)
    upem: int = field(init=False)
    charset: frozenset[int] = field(init=False)
    outlines: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        face = hb.Face(hb.Blob.from_file_path(str(self.path)))
        self.font = hb.Font(face)
        self.upem = face.upem
        self.charset = frozenset(face.unicodes)

    def outline(self, gid: int) -> str:
        """SVG path data of a glyph in font units (y up)."""
        if gid not in self.outlines:
            pen = SVGPathPen(None, ntos=lambda v: str(round(v)))
            self.font.draw_glyph_with_pen(gid, pen)
            self.outlines[gid] = pen.getCommands()
        return self.outlines[gid]


@cache
def shaping_font(family: str, bold: bool) -> ShapingFont:
    return ShapingFont(FONTS / FAMILIES[family][1 if bold else 0])


def _neutral(char: str) -> bool:
    """Spaces, digits and punctuation: they join the run of the text around them."""
    category = unicodedata.category(char)
    return category[0] in "ZPNS" or category in ("Mn", "Mc", "Cf")


def runs(text: str, bold: bool) -> list[tuple[str, str]]:
    """Split text into (family, run) so each run is shaped with one font that covers it."""
    out: list[tuple[str, str]] = []
    current: str | None = None
    for char in text:
        code = ord(char)
        family = None
        if current and _neutral(char) and code in shaping_font(current, bold).charset:
            family = current
        else:
            family = next((f for f in ORDER if code in shaping_font(f, bold).charset), "latin")
        if out and family == out[-1][0]:
            out[-1] = (family, out[-1][1] + char)
        else:
            out.append((family, char))
        current = family
    return out


def shape(text: str, size: float, bold: bool) -> tuple[list[tuple[str, int, float, float]], float]:
    """Glyphs of a text as (family, glyph id, x, y) in pixels, and the total advance."""
    glyphs: list[tuple[str, int, float, float]] = []
    pen_x = 0.0
    for family, run in runs(text, bold):
        sf = shaping_font(family, bold)
        buf = hb.Buffer()
        buf.add_str(run)
        buf.guess_segment_properties()
        hb.shape(sf.font, buf, {"kern": True, "liga": True})
        scale = size / sf.upem
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            glyphs.append((family, info.codepoint, pen_x + pos.x_offset * scale,
                           -pos.y_offset * scale))
            pen_x += pos.x_advance * scale
    return glyphs, pen_x


def outline_text(svg: str) -> str:
    """The SVG with every `<text>` written by `reports.charts` replaced by glyph paths."""
    defs: dict[tuple[str, bool, int], str] = {}

    def replace(match: re.Match[str]) -> str:
        text = unescape(match["text"])
        size, bold = float(match["size"]), match["weight"] == "bold"
        glyphs, width = shape(text, size, bold)
        x = float(match["x"]) - {"middle": width / 2, "end": width}.get(match["anchor"], 0.0)
        y = float(match["y"])
        uses = []
        for family, gid, gx, gy in glyphs:
            key = (family, bold, gid)
            if key not in defs:
                data = shaping_font(family, bold).outline(gid)
                if not data:
                    continue
                defs[key] = f'<path id="g{len(defs)}" d="{data}"/>'
            gref = defs[key].split('"', 2)[1]
            scale = size / shaping_font(family, bold).upem
            uses.append(f'<use href="#{gref}" transform="translate({x + gx:.2f} {y + gy:.2f}) '
                        f'scale({scale:.5f} {-scale:.5f})"/>')
        return (f'<g fill="{match["fill"]}" aria-label="{escape(text, {chr(34): "&quot;"})}">'
                + "".join(uses) + "</g>")

    body = TEXT.sub(replace, svg)
    if not defs:
        return body
    # ids are made unique per chart, since a page holds many charts
    prefix = f"c{zlib.crc32(svg.encode()):08x}"
    body = body.replace('href="#g', f'href="#{prefix}g')
    paths = "".join(d.replace('id="g', f'id="{prefix}g', 1) for d in defs.values())
    return body.replace(">", f"><defs>{paths}</defs>", 1) if body.startswith("<svg") else body
