"""Which file formats a run writes: Parquet always; CSV, JSON and xlsx when asked for or when
the result is small enough for a person to open (docs/decisions/0019-outputs-that-fit-the-size.md).

`parse_formats` reads a `--format` value ("auto", "parquet,csv", …) and names what is wrong
with it; `plan_outputs` turns it and the result's size into an `OutputPlan`: the formats to
write, and for every format not written (or written differently) the reason, in words that the
CLI prints and metadata.json keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EXCEL_MAX_ROWS",
    "FORMATS",
    "SMALL_RESULT_MAX_FACILITY_YEARS",
    "FormatError",
    "OutputPlan",
    "parse_formats",
    "plan_outputs",
]

#: Formats a table can be written in. Parquet is always written: it is what `journey report`,
#: `journey run` and any program read back, typed and compact.
FORMATS: tuple[str, ...] = ("parquet", "csv", "json", "xlsx")
#: The formats written for people, by `auto` only when the result is small.
HUMAN_FORMATS: tuple[str, ...] = ("csv", "json", "xlsx")
#: The default: Parquet, and the human formats when the result is small.
AUTO = "auto"

#: Up to this many facility-years a result is small enough for a person to open, and `auto`
#: writes CSV, JSON and xlsx as well as Parquet. At 1,000 facility-years the largest frame
#: (indicators, ~15 rows per facility-year) is ~15,000 rows: ~3 MB of CSV and ~7 MB of JSON
#: that a spreadsheet, an editor or a browser opens at once, and a six-sheet workbook written in
#: about a second. Beyond it the text formats grow by ~10 kB per facility-year (2.6 GB at
#: 100,000, 25 GB at 1,000,000: the largest cost of `journey assess`, issue 14) and nobody
#: reads them whole; a person filters the Parquet files or asks for `--format csv`.
SMALL_RESULT_MAX_FACILITY_YEARS = 1_000

#: Rows an Excel sheet holds, the header row included (Excel's specification and limits).
EXCEL_MAX_ROWS = 1_048_576


class FormatError(ValueError):
    """A `--format` value we cannot honour, with what is accepted or what to use instead."""


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The formats asked for, in `FORMATS` order with `auto` first; `None` or "" mean `auto`.

    Accepts a comma-separated string ("parquet,csv") or an iterable of names, any case, blanks
    ignored. Raises `FormatError` naming every unknown value and the accepted ones.
    """
    if value is None:
        return (AUTO,)
    parts = value.split(",") if isinstance(value, str) else list(value)
    names = {part.strip().lower() for part in parts if part.strip()}
    unknown = sorted(names - {AUTO, *FORMATS})
    if unknown:
        raise FormatError(
            f"--format: {', '.join(repr(u[:40]) for u in unknown)} is not a format; accepted: "
            f"{AUTO} (the default), {', '.join(FORMATS)}, or several joined by commas "
            "(e.g. parquet,csv)"
        )
    if not names:
        return (AUTO,)
    return tuple(name for name in (AUTO, *FORMATS) if name in names)


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """The formats a run writes and why the others are not written.

    `json` is "json" (one array of records), "jsonl" (JSON Lines: one record per line) or None.
    `not_written` maps a format left out to the reason; `notes` a format written differently
    than asked (JSON as JSON Lines) to the reason.
    """

    asked: tuple[str, ...]
    facility_years: int
    csv: bool = False
    json: str | None = None
    xlsx: bool = False
    not_written: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats written, Parquet first."""
        chosen = {"parquet": True, "csv": self.csv, "json": self.json is not None,
                  "xlsx": self.xlsx}
        return tuple(name for name in FORMATS if chosen[name])

    def to_dict(self) -> dict[str, Any]:
        return {
            "asked": ",".join(self.asked),
            "facility_years": self.facility_years,
            "small_result_max_facility_years": SMALL_RESULT_MAX_FACILITY_YEARS,
            "written": list(self.formats),
            "json_layout": {"json": "array of records", "jsonl": "JSON Lines"}.get(
                self.json or ""),
            "not_written": dict(self.not_written),
            "notes": dict(self.notes),
        }


def plan_outputs(
    asked: Iterable[str], facility_years: int, sheet_rows: Mapping[str, int] | None = None
) -> OutputPlan:
    """What to write for a result of `facility_years` when `asked` (from `parse_formats`).

    `auto` adds every human format when the result has at most
    `SMALL_RESULT_MAX_FACILITY_YEARS`; a format named explicitly is written whatever the size,
    except that JSON beyond that size is written as JSON Lines (a single JSON array of
    millions of records is a file nobody can open), and xlsx is refused (`FormatError`) when a
    sheet (`sheet_rows`: sheet → data rows) would pass Excel's `EXCEL_MAX_ROWS`.
    """
    asked = tuple(asked)
    small = facility_years <= SMALL_RESULT_MAX_FACILITY_YEARS
    size = (f"{facility_years:,} facility-years, more than the "
            f"{SMALL_RESULT_MAX_FACILITY_YEARS:,} a person opens in a spreadsheet or an editor")
    wanted = {name for name in HUMAN_FORMATS if name in asked}
    not_written: dict[str, str] = {}
    notes: dict[str, str] = {}
    if AUTO in asked:
        if small:
            wanted |= set(HUMAN_FORMATS)
        else:
            for name in HUMAN_FORMATS:
                if name not in wanted:
                    not_written[name] = f"{size}; the Parquet files hold every row"
    json = None
    if "json" in wanted:
        json = "json" if small else "jsonl"
        if not small:
            notes["json"] = (f"written as JSON Lines (.jsonl, one record per line) rather than "
                             f"one JSON array: {size}; read it line by line "
                             "(jq, polars.scan_ndjson, pandas.read_json(lines=True))")
    if "xlsx" in wanted and sheet_rows:
        too_big = {sheet: rows for sheet, rows in sheet_rows.items()
                   if rows + 1 > EXCEL_MAX_ROWS}
        if too_big:
            listed = ", ".join(f"{sheet} ({rows:,} rows)" for sheet, rows in too_big.items())
            raise FormatError(
                f"--format xlsx: an Excel sheet holds at most {EXCEL_MAX_ROWS - 1:,} rows and "
                f"this result has more in {listed}; nothing was written. Ask for "
                "--format parquet or --format csv (every row), or assess fewer facilities."
            )
    return OutputPlan(asked, facility_years, csv="csv" in wanted, json=json,
                      xlsx="xlsx" in wanted, not_written=not_written, notes=notes)
