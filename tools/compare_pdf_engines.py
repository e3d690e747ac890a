"""Compare PDF engines on one representative multilingual report page (decision 0006).

    python tools/compare_pdf_engines.py OUTDIR

Renders the same content (six scripts, a table, an SVG chart) with WeasyPrint and with typst,
times each (median of N runs after a warm-up) and writes the PDFs to OUTDIR; look at them with
`pdftoppm -png -r 80` to judge Bengali and Khmer shaping.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

FONTS = Path(__file__).resolve().parents[1] / "src" / "factory_journey" / "reports" / "fonts"

LINES = [
    ("en", "Opportunities for improvement", "Energy intensity is 38% above the threshold."),
    ("vi", "Cơ hội cải thiện", "Cường độ năng lượng cao hơn ngưỡng 38%."),
    ("tr", "İyileştirme fırsatları", "Enerji yoğunluğu eşiğin %38 üzerinde; ölçüm güçlüğü."),
    ("zh", "改进机会", "能源强度比阈值高 38%。"),
    ("bn", "উন্নতির সুযোগ", "শক্তির তীব্রতা সীমার চেয়ে ৩৮% বেশি।"),
    ("km", "ឱកាសសម្រាប់ការកែលម្អ", "អាំងតង់ស៊ីតេថាមពលខ្ពស់ជាងកម្រិត ៣៨%។"),
]

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">
<rect x="0" y="10" width="300" height="20" fill="#c0392b"/><rect x="0" y="40" width="180"
height="20" fill="#27ae60"/><line x1="220" y1="0" x2="220" y2="70" stroke="#333"
stroke-dasharray="4 2"/><text x="0" y="95" font-size="12" fill="#333">threshold</text></svg>"""


def html() -> str:
    faces = "".join(
        f"@font-face{{font-family:'{fam}';src:url('{(FONTS / f).as_uri()}');font-weight:{w}}}"
        for fam, f, w in [
            ("J Latin", "NotoSans-Regular.ttf", 400), ("J Latin", "NotoSans-Bold.ttf", 700),
            ("J Bengali", "NotoSansBengali-Regular.ttf", 400),
            ("J Bengali", "NotoSansBengali-Bold.ttf", 700),
            ("J Khmer", "NotoSansKhmer-Regular.ttf", 400),
            ("J Khmer", "NotoSansKhmer-Bold.ttf", 700),
            ("J SC", "NotoSansSC-Regular-subset.otf", 400),
            ("J SC", "NotoSansSC-Bold-subset.otf", 700),
        ]
    )
    rows = "".join(f"<tr><td>{c}</td><td><b>{h}</b></td><td>{t}</td></tr>" for c, h, t in LINES)
    heads = "".join(f"<h2>{h}</h2><p>{t}</p>" for _, h, t in LINES)
    return (
        f"<html><head><style>{faces} body{{font-family:'J Latin','J Bengali','J Khmer','J SC';"
        "font-size:10pt}} @page{size:A4;margin:18mm} td{border-bottom:1px solid #ccc;padding:3px}"
        f"</style></head><body><h1>Facility report</h1>{heads}<table>{rows}</table>{SVG}"
        "</body></html>"
    )


def typst_source(svg_path: Path) -> str:
    rows = ", ".join(f"[{c}], [*{h}*], [{t.replace('%', '%')}]" for c, h, t in LINES)
    heads = "\n".join(f"== {h}\n{t}\n" for _, h, t in LINES)
    return (
        '#set page(paper: "a4", margin: 18mm)\n'
        '#set text(font: ("Noto Sans", "Noto Sans Bengali", "Noto Sans Khmer", '
        '"Noto Sans CJK SC"), size: 10pt)\n'
        f"= Facility report\n{heads}\n#table(columns: 3, {rows})\n"
        f'#image("{svg_path.name}")\n'
    )


def time_it(fn, runs: int = 15) -> float:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    import weasyprint

    src = html()
    ms = time_it(lambda: weasyprint.HTML(string=src).write_pdf(out / "weasyprint.pdf"))
    print(f"weasyprint {weasyprint.__version__}: {ms:.0f} ms/page")

    import typst

    (out / "chart.svg").write_text(SVG)
    (out / "page.typ").write_text(typst_source(out / "chart.svg"), encoding="utf-8")
    ms = time_it(
        lambda: typst.compile(
            str(out / "page.typ"), output=str(out / "typst.pdf"), font_paths=[str(FONTS)]
        )
    )
    print(f"typst: {ms:.0f} ms/page")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/engines"))
