"""Use case: write the bundled park pilot (three synthetic parks, `demo.parks`), all or nothing.

The questions it answers are those of the packaged park framework files, so that the demo
questionnaire follows the framework: regenerate (tools/make_park_pilot.py) after changing them.
"""

from __future__ import annotations

from pathlib import Path

from factory_journey.services.output_dir import atomic_output_dir
from factory_journey.services.spreadsheet_safety import write_csv

README = """# Park pilot demo dataset (synthetic)

**Every number in these files is invented; the parks, their operator and their members are
not real.** Three industrial parks for `journey park assess pilot` (issue #16; format in
docs/park-data-format.md), 2021–2023:

| park | country | members | other shared facility |
|---|---|---|---|
| DEMO-ET-01 Demo Rift Valley Textile Park | Ethiopia | 5, generated | central boiler (steam) |
| DEMO-KE-01 Demo Athi River Apparel Park | Kenya | 4, generated | group rooftop solar |
| DEMO-VN-01 Demo Mekong Eco-Textile Park | Viet Nam | 5 of the pilot's | park water supply |

Every park has a central effluent treatment plant.

Each member's industrial wastewater is metered at its park's central effluent plant
(`shared_wastewater` rows with `member_facility_id`): one owner per flow. The Vietnamese
members' municipal water is here bought from the park's water supply (`third_party`). The
questionnaire answers every question of the packaged framework files (and the Viet Nam
overlay's for the Viet Nam park), drawn at random with a small improvement each year.

Made by `python tools/make_park_pilot.py`; regenerating gives byte-identical files (a test
checks it).
"""


def framework_questions() -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """(id, answer kind, unit, countries) of every question of the packaged frameworks."""
    from factory_journey.engine.parks.framework_files import (
        framework_set,
        packaged_framework_paths,
    )

    frameworks = framework_set(packaged_framework_paths())
    out = [(q.id, q.answer_kind, q.unit, ()) for q in frameworks.base.questions]
    known = {q[0] for q in out}
    for overlay in frameworks.overlays:
        out += [(q.id, q.answer_kind, q.unit, tuple(overlay.meta.countries))
                for q in overlay.questions if q.id not in known]
    return out


def build_park_pilot(out_dir: Path | str, *, force: bool = True) -> list[Path]:
    """Write the park pilot (CSV files and README.md) into `out_dir`, atomically."""
    from factory_journey.demo import PILOT_FACILITIES, PILOT_SEED, PILOT_YEARS, generate_dataset
    from factory_journey.demo.parks import generate_park_pilot

    pilot = generate_dataset(PILOT_FACILITIES, list(PILOT_YEARS), PILOT_SEED)
    tables = generate_park_pilot(pilot, list(PILOT_YEARS), framework_questions())
    out = Path(out_dir)
    names = []
    with atomic_output_dir(out, force=force) as staging:
        for name, frame in tables.items():
            write_csv(frame, staging / f"{name}.csv", dataset=True)
            names.append(f"{name}.csv")
        (staging / "README.md").write_text(README, encoding="utf-8")
    return [out / name for name in [*names, "README.md"]]
