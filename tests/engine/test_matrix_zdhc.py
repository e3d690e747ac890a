"""ZDHC levels per parameter, overall level and ClearStream-style points on hand-made results."""

import datetime as dt

import polars as pl

from factory_journey.engine.matrix import build_matrix
from tests.engine import helpers as h


def _results(rows: list[tuple[str, str, float, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"facility_id": "F1", "sample_date": dt.date.fromisoformat(d), "parameter": p,
             "value": v, "unit": u, "sampling_point": s, "discharge_type": "direct"}
            for d, p, v, u, s in rows
        ]
    )


def _build(rows: list[tuple[str, str, float, str, str]]):
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023},
                               {"facility_id": "F2", "year": 2023}),
        "zdhc_wastewater": _results(rows),
    }
    return build_matrix(tables, grid=h.GRID)


def test_levels_overall_and_points():
    result = _build(
        [
            # An older sample of the year is ignored: only the latest discharged one counts.
            ("2023-03-01", "cod", 500.0, "mg/L", "discharged"),
            # COD limits 150 / 80 / 40: 35 ≤ 40 → aspirational (3 points).
            ("2023-09-01", "cod", 35.0, "mg/L", "discharged"),
            # TSS 50 / 15 / 5: 20 → foundational (1 point).
            ("2023-09-01", "TSS", 20.0, "mg/L", "discharged"),
            # Copper 1 / 0.5 / 0.25: 0.4 → progressive (2 points).
            ("2023-09-01", "copper", 0.4, "mg/L", "discharged"),
            # pH 6–9 at every level: 7.5 → aspirational (3 points).
            ("2023-09-01", "ph", 7.5, "pH", "discharged"),
            # Untreated samples are not graded.
            ("2023-09-01", "bod5", 900.0, "mg/L", "untreated"),
        ]
    )
    # zdhc_levels lists every discharged result of the year; the March COD failed.
    march = result.zdhc_levels.filter(pl.col("sample_date") == dt.date(2023, 3, 1))
    assert march.select("parameter", "level").rows() == [("cod", "fail")]
    latest = result.zdhc_levels.filter(pl.col("sample_date") == dt.date(2023, 9, 1))
    levels = dict(zip(latest["parameter"], latest["level"], strict=True))
    # Parameters are listed as given ("TSS"); ingestion normally turns them into keys.
    assert levels == {"cod": "aspirational", "TSS": "foundational", "copper": "progressive",
                      "ph": "aspirational"}
    row = result.matrix.row(0, named=True)
    assert row["zdhc_parameters_tested"] == 4
    assert row["zdhc_parameters_failing_foundational"] == 0
    assert row["zdhc_overall_level"] == "foundational"  # the worst parameter
    assert row["clearstream_points"] == 3 + 1 + 2 + 3
    assert row["clearstream_max_points"] == 12
    # F2 has no tests: null, not 0.
    other = result.matrix.row(1, named=True)
    assert other["zdhc_overall_level"] is None
    assert other["clearstream_points"] is None


def test_fail_and_ph_out_of_range():
    result = _build(
        [
            ("2023-05-01", "ph", 10.2, "pH", "discharged"),
            ("2023-05-01", "cod", 120.0, "mg/L", "discharged"),  # foundational
            ("2023-05-01", "temperature_difference", 4.0, "°C", "discharged"),  # aspirational
            ("2023-05-01", "zinc", 0.3, "g/m3", "discharged"),  # unit not the limit's: no level
        ]
    )
    levels = dict(zip(result.zdhc_levels["parameter"], result.zdhc_levels["level"], strict=True))
    assert levels["ph"] == "fail"
    assert levels["cod"] == "foundational"
    assert levels["temperature_difference"] == "aspirational"
    assert levels["zinc"] is None
    row = result.matrix.row(0, named=True)
    assert row["zdhc_overall_level"] == "fail"
    assert row["zdhc_parameters_tested"] == 3
    assert row["zdhc_parameters_failing_foundational"] == 1
    assert row["clearstream_points"] == 0 + 1 + 3
    assert row["clearstream_max_points"] == 9


def _level_by_hand(limit: dict[str, object] | None, value: float | None) -> str | None:
    """The level of one result, read off its limit row as the module docstring says."""
    import math

    if limit is None or value is None or math.isnan(value):
        return None
    level = "fail"
    for name in ("foundational", "progressive", "aspirational"):
        upper, lower = limit[name], limit[f"{name}_min"]
        if upper is None and lower is None:
            continue
        ranged = limit["comparison"] == "range"
        if (upper is None or value <= upper) and (not ranged or lower is None or value >= lower):
            level = name
    return level


def test_graded_levels_equal_the_limits_read_by_hand():
    """Every packaged limit against values below, on and above each bound, infinities, NaN
    and null, and a parameter without limits."""
    import math

    from factory_journey.engine import zdhc
    from factory_journey.engine.refdata import default_reference

    limits = default_reference().zdhc_limits
    rows, expected = [], []
    table = {r["parameter"]: r for r in limits.iter_rows(named=True)}
    for parameter, limit in [*table.items(), ("not_a_parameter", None)]:
        bounds = [b for b in (limit or {}).values() if isinstance(b, float)]
        values = [v + d for v in bounds for d in (-0.5, 0.0, 0.5)]
        values += [0.0, -math.inf, math.inf, math.nan, None]
        unit = (limit or {}).get("unit") or "mg/L"
        for value in values:
            rows.append({"facility_id": "F1", "year": 2023,
                         "sample_date": dt.date(2023, 5, 1), "parameter": parameter,
                         "value": value, "unit": unit, "sampling_point": "discharged"})
            expected.append(_level_by_hand(limit, value))
    graded = zdhc.graded_results(pl.DataFrame(rows).lazy(), limits)
    assert graded.get_column("level").cast(pl.String).to_list() == expected
