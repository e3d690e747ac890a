"""Facility, portfolio and evaluation reports: context (pure) → HTML (Jinja2) and PDF (typst).

- `context`: matrix + assessment frames → one plain dict per report, every text translated
  and every number formatted for the report language, charts included as SVG. No I/O.
- `charts`: small pure functions that draw the SVG charts (areas at a glance, indicator bars,
  trend lines, heat maps).
- `evaluation_context`, `evaluation_charts`: the programme evaluation report (engine
  `EvaluationResult` → one plain dict; share bars and effect intervals), in English.
- `glyphs`: shapes chart labels with HarfBuzz and writes them as glyph outlines, so a chart is
  the same in the HTML and the PDF and renders every script (decision 0006).
- `render`: the context → HTML page or PDF (typst, compiler inside the `typst` wheel; only the
  fonts in `fonts/` are used).
- `i18n`: gettext catalogues read straight from `locales/<lang>/LC_MESSAGES/reports.po`
  (Babel; no compile step) and locale formatting of numbers, percentages, money and dates.
- `park_context`, `park_charts`, `park_labels`: the park report (`journey park report`) from
  the `journey park assess` outputs and the collective plan. Its messages have their own
  catalogue domain, `park.po`, in the same eight languages as the facility reports
  (`i18n.PARK_LANGUAGES`, `i18n.park_translator`), marked `pt(...)` / `NP_(...)` so that
  the two catalogues stay apart (a facility report never needs the park words).

Adding a language: add it to `i18n.LANGUAGES`, create its catalogue with
`python tools/update_catalogues.py` (it takes the languages from `i18n.LANGUAGES`),
translate every entry, add its script's font to `fonts/` (and to `glyphs.FAMILIES` and the
typst font list in `templates/style.typ`) if the shipped fonts do not cover it, and run
`pytest tests/reports`: an untranslated message, a placeholder changed in translation or a
character without a glyph fails a test.
"""
