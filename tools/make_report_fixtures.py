"""Write tests/reports/fixtures/: matrix and assessment frames of examples/small-dataset.

    python tools/make_report_fixtures.py

Run after a change of the matrix or assessment columns (docs/contracts.md §3, §4).
"""

from __future__ import annotations

import json
from pathlib import Path

from factory_journey.engine.assessment import assess
from factory_journey.engine.matrix import build_matrix
from factory_journey.ingest import read_dataset

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "reports" / "fixtures"


def main() -> None:
    imported = read_dataset(ROOT / "examples" / "small-dataset")
    built = build_matrix(imported.tables)
    result = assess(built.matrix, matrix_versions=built.versions)
    OUT.mkdir(parents=True, exist_ok=True)
    built.matrix.write_parquet(OUT / "matrix.parquet")
    for name in ("opportunities", "pathways", "measures", "trajectory", "indicators"):
        getattr(result, name).write_parquet(OUT / f"{name}.parquet")
    (OUT / "versions.json").write_text(
        json.dumps(result.versions, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"fixtures written to {OUT}")


if __name__ == "__main__":
    main()
