"""Generate `reference/data/unit_factors.csv`: each accepted unit spelling's factor to the
canonical unit of its dimension, computed with pint and the project's `units.txt`.

Why a table: pint (with numpy, which it imports) and its registry cost ~0.35 s of CPU in every
process that converts a unit, a third of one facility's `journey assess`. The factors never
change unless `unit_aliases.csv` or `units.txt` does, so they are computed here, once, and
`tests/domain/test_unit_factors.py` recomputes every one with pint and fails when the table is
stale. Pint stays the authority and the fallback for any conversion the table does not hold.

    python tools/make_unit_factors.py          # rewrite the table
    python tools/make_unit_factors.py --check  # exit 1 when it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from factory_journey.domain.units import pint_conversion_factor, unit_alias_rows

OUT = Path(__file__).resolve().parents[1] / "src/factory_journey/reference/data/unit_factors.csv"


def table_text() -> str:
    """The CSV text: spelling, dimension, factor [canonical unit per unit] (12 significant
    digits, as `conversion_factor` rounds)."""
    lines = ["spelling,dimension,factor"]
    for spelling, _, dimension in unit_alias_rows():
        factor = pint_conversion_factor(spelling)
        lines.append(f"{spelling},{dimension},{factor!r}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = table_text()
    if "--check" in argv:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.name} is stale: run python tools/make_unit_factors.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
