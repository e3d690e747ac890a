"""Generate the table reference of `docs/data-format.md` from `domain/tables.py`.

The document has a hand-written introduction; everything between the two markers below is
generated from the dataset contract (`domain.tables`, `domain.profile.PROFILES`), the unit
aliases and the reference files, so the doc cannot drift from the code. A test fails when
the file is out of date.

    python tools/make_data_format_doc.py          # rewrite the generated part
    python tools/make_data_format_doc.py --check  # exit 1 when it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from factory_journey.domain.profile import PROFILES
from factory_journey.domain.tables import PERFORMANCE_TABLES, Column, Table
from factory_journey.domain.units import CANONICAL_SYMBOLS, accepted_units
from factory_journey.ingest.checks import ZDHC_UNIT_SPELLINGS
from factory_journey.reference import load_csv, meta

DOC = Path(__file__).resolve().parent.parent / "docs" / "data-format.md"
BEGIN = "<!-- BEGIN GENERATED: tools/make_data_format_doc.py; do not edit below -->"
END = "<!-- END GENERATED -->"

TYPE_NAMES = {
    "str": "text",
    "float": "number",
    "int": "whole number",
    "bool": "yes/no",
    "date": "date",
    "list": "list (`;`-separated)",
}
DIMENSIONS_DOCUMENTED = ("energy", "volume", "mass", "product")


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _number(value: float) -> str:
    return f"{value:g}"


def _accepted(column: Column, table: Table) -> str:
    parts: list[str] = []
    if isinstance(column.enum, tuple):
        parts.append(", ".join(f"`{v}`" for v in column.enum))
    elif column.enum:
        anchor = column.enum.replace(".", "")
        parts.append(f"a key, label or alias of [{column.enum}](#{anchor})")
    if column.minimum is not None or column.maximum is not None:
        low = "" if column.minimum is None else _number(column.minimum)
        high = "" if column.maximum is None else _number(column.maximum)
        parts.append(f"{low} to {high}" if low and high else f"≥ {low}" if low else f"≤ {high}")
    if column.name == "unit" and table.name != "zdhc_wastewater":
        dimension = next((c.dimension for c in table.columns if c.dimension), None)
        if dimension:
            parts.append(f"a [{dimension} unit](#units)")
            if table.name == "energy":
                parts.append("for fuels also a volume or mass unit")
    if column.name == "unit" and table.name == "zdhc_wastewater":
        parts.append("the unit of the parameter (see [zdhc_wastewater_limits.csv]"
                     "(#zdhc_wastewater_limitscsv))")
    return "; ".join(parts)


def _unit(column: Column, table: Table) -> str:
    if not column.dimension:
        return ""
    own = f"{column.name}_unit"
    unit_column = own if own in table.column_names else "unit"
    return f"in `{unit_column}` → {CANONICAL_SYMBOLS[column.dimension]}"


def table_section(table: Table, level: str = "###") -> list[str]:
    lines = [f"{level} `{table.name}`", ""]
    lines.append(f"One row is {table.row_is}. Row key: "
                 + ", ".join(f"`{k}`" for k in table.key) + ".")
    lines.append("This table is required." if table.required else "This table is optional.")
    for note in table.notes:
        lines += ["", f"- {note}"]
    lines += [
        "",
        "| column | FEM Ref ID | type | unit | required | accepted values | description |",
        "|---|---|---|---|---|---|---|",
    ]
    for column in table.columns:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{column.name}`",
                    f"`{column.fem_ref_id}`" if column.fem_ref_id else "",
                    TYPE_NAMES[column.type],
                    _unit(column, table),
                    "yes" if column.required else "",
                    _escape(_accepted(column, table)),
                    _escape(column.description),
                ]
            )
            + " |"
        )
    return [*lines, ""]


def reference_files() -> list[str]:
    names: list[str] = []
    for table in (PROFILES, *PERFORMANCE_TABLES):
        for column in table.columns:
            if isinstance(column.enum, str) and column.enum not in names:
                names.append(column.enum)
    return names


def reference_section(name: str) -> list[str]:
    frame = load_csv(name)
    key = "key" if "key" in frame.columns else frame.columns[0]
    title = str(meta(name).get("title", "")).strip()
    lines = [f"### {name}", ""]
    if title:
        lines += [f"{title}.", ""]
    with_unit = "unit" in frame.columns
    lines += [
        "| key | label | also accepted |" + (" unit |" if with_unit else ""),
        "|---|---|---|" + ("---|" if with_unit else ""),
    ]
    for row in frame.iter_rows(named=True):
        aliases = str(row.get("aliases") or "").replace("|", ";")
        lines.append(
            f"| `{row[key]}` | {_escape(str(row.get('label') or ''))} | "
            f"{_escape(aliases.replace(';', ', '))} |"
            + (f" {_escape(str(row['unit']))} |" if with_unit else "")
        )
    if name == "zdhc_wastewater_limits.csv":
        lines += ["", "A result's `unit` is the unit of its parameter, written in any of these "
                  "spellings (case and punctuation do not matter; pH and presence take any):", "",
                  "| unit | accepted spellings |", "|---|---|"]
        for unit, spellings in ZDHC_UNIT_SPELLINGS.items():
            lines.append(f"| {unit} | " + ", ".join(f"`{s}`" for s in spellings) + " |")
    return [*lines, ""]


def units_section() -> list[str]:
    lines = [
        "## Units",
        "",
        "Unit spellings are matched case-insensitively. Each is converted once, at reading, to "
        "the canonical unit of its own dimension.",
        "",
        "| dimension | canonical unit | accepted spellings |",
        "|---|---|---|",
    ]
    for dimension in DIMENSIONS_DOCUMENTED:
        spellings = ", ".join(f"`{s}`" for s in accepted_units(dimension))
        lines.append(f"| {dimension} | {CANONICAL_SYMBOLS[dimension]} | {spellings} |")
    return [*lines, ""]


def generated() -> str:
    lines = [BEGIN, "", "## Tables", ""]
    for table in (PROFILES, *PERFORMANCE_TABLES):
        lines += table_section(table)
    lines += [
        "Besides these, the `zdhc_wastewater` table accepts an optional `year` column: when "
        "given it must be the year of `sample_date`.",
        "",
    ]
    lines += units_section()
    lines += ["## Accepted values", "",
              "Write the key, the label or any spelling of the last column; case, spaces and "
              "punctuation do not matter. Values are stored as keys.", ""]
    for name in reference_files():
        lines += reference_section(name)
    lines.append(END)
    return "\n".join(lines) + "\n"


def render(current: str) -> str:
    """`current` with its generated part replaced (or appended when it has none)."""
    head = current.split(BEGIN)[0].rstrip("\n") + "\n\n" if BEGIN in current else current
    tail = current.split(END, 1)[1].lstrip("\n") if END in current else ""
    return head + generated() + (("\n" + tail) if tail else "")


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print(f"{DOC} is out of date: run python tools/make_data_format_doc.py")
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
