"""Regenerate the pilot demo dataset bundled with the package.

    python tools/make_pilot_dataset.py            # writes src/factory_journey/demo/pilot/

The seed, size and years are fixed in `factory_journey.demo` (PILOT_*); running this again
gives byte-identical files, which tests/demo/test_pilot.py checks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from factory_journey.services.demo_data import build_pilot

TARGET = Path(__file__).resolve().parents[1] / "src" / "factory_journey" / "demo" / "pilot"


def main() -> int:
    files = build_pilot(TARGET)
    total = sum(path.stat().st_size for path in files)
    for path in files:
        print(f"{path.stat().st_size:>10,}  {path.relative_to(TARGET.parents[3])}")
    print(f"{total:>10,}  bytes in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
