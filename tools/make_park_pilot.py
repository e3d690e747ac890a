"""Regenerate the park pilot demo dataset bundled with the package (#16).

    python tools/make_park_pilot.py            # writes src/factory_journey/demo/park_pilot/

Deterministic: running it again gives byte-identical files (tests/demo/test_park_pilot.py).
Run it after changing the pilot generator or the packaged park framework files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from factory_journey.services.park_demo import build_park_pilot

TARGET = Path(__file__).resolve().parents[1] / "src" / "factory_journey" / "demo" / "park_pilot"


def main() -> int:
    files = build_park_pilot(TARGET)
    for path in files:
        print(f"{path.stat().st_size:>10,}  {path.relative_to(TARGET.parents[3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
