"""Build the fonts shipped in `factory_journey/reports/fonts/` from Debian's Noto packages.

Run once when the fonts or the catalogues change (the output is committed, so a fresh clone
needs no build step):

    apt-get install -y fonts-noto-core fonts-noto-cjk
    python tools/build_fonts.py

- Noto Sans (Latin, incl. Vietnamese, Turkish and Swahili), Noto Sans Bengali, Noto Sans Khmer
  and Noto Sans Ethiopic (Amharic, park reports) are copied as they are, Regular and Bold.
- Noto Sans CJK SC is taken out of the .ttc collection and subset (fontTools) to: the 6,763
  hanzi of GB 2312 (levels 1 and 2: everyday characters and those of most place and company
  names), CJK and full-width punctuation, a few symbols missing from Noto Sans (≥ ≤ →), and
  every character of the Chinese message catalogue. A name with a character outside this set
  is drawn as a missing-glyph box (system fonts are ignored on purpose, so output does not
  depend on the machine); the glyph-coverage tests guard the catalogues and formats.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "factory_journey" / "reports" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
# Any copy of the OFL 1.1 text will do (Debian's font packages only reference it).
OFL = Path(
    "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/licenses/OFL-1.1.txt"
)
ZH_PO = ROOT / "src" / "factory_journey" / "reports" / "locales" / "zh_Hans" / "LC_MESSAGES"

COPIED = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
    "NotoSansKhmer-Regular.ttf",
    "NotoSansKhmer-Bold.ttf",
    "NotoSansEthiopic-Regular.ttf",
    "NotoSansEthiopic-Bold.ttf",
]


def gb2312_hanzi() -> str:
    """The 6,763 hanzi of GB 2312 (level 1: rows 16-55, level 2: rows 56-87), in code order."""
    chars = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def catalogue_chars() -> str:
    text = ""
    for po in ZH_PO.glob("*.po"):
        text += po.read_text(encoding="utf-8")
    return text


def cjk_subset_text() -> str:
    punctuation = "".join(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    fullwidth = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    symbols = "·—–‘’“”…※℃≥≤±×÷°²³€£¥•→←↑↓"  # ≥ ≤ → are not in Noto Sans
    return gb2312_hanzi() + punctuation + fullwidth + ascii_ + symbols + catalogue_chars()


def build_cjk(weight: str) -> Path:
    collection = TTCollection(str(CJK / f"NotoSansCJK-{weight}.ttc"))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    tmp = OUT / f"_NotoSansCJKsc-{weight}.otf"
    font.save(str(tmp))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    loaded = subset.load_font(str(tmp), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=cjk_subset_text())
    subsetter.subset(loaded)
    target = OUT / f"NotoSansSC-{weight}-subset.otf"
    subset.save_font(loaded, str(target), options)
    tmp.unlink()
    return target


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(NOTO / name, OUT / name)
    for weight in ("Regular", "Bold"):
        build_cjk(weight)
    notice = (
        "Noto Sans, Noto Sans Bengali, Noto Sans Khmer, Noto Sans Ethiopic: Copyright 2012-2022\n"
        "Google Inc. and the Noto Project Authors (https://github.com/notofonts).\n"
        "Noto Sans CJK SC (subset): Copyright 2014-2021 Adobe (http://www.adobe.com/), with\n"
        "Reserved Font Name 'Source'.\n"
        "These fonts are licensed under the SIL Open Font License, Version 1.1, below.\n\n"
    )
    (OUT / "OFL.txt").write_text(notice + OFL.read_text(encoding="utf-8"), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"fonts written to {OUT} ({total / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
