"""ZDHC limits, programmes and the `tables` facade."""

import pytest

from factory_journey.reference import tables
from factory_journey.reference.loader import meta


def test_zdhc_limits_are_labelled_unverified():
    block = meta("zdhc_wastewater_limits.csv")
    assert block["certainty"] == "unverified"
    assert "from memory" in block["notes"]


@pytest.mark.parametrize(
    ("parameter", "limits"),
    [
        ("cod", (150, 80, 40)),
        ("bod5", (30, 15, 5)),
        ("tss", (50, 15, 5)),
        ("temperature_difference", (15, 10, 5)),
        ("colour_436nm", (7, 5, 2)),
        ("colour_525nm", (5, 3, 1)),
        ("colour_620nm", (3, 2, 1)),
        ("coliform", (400, 100, 25)),
        ("chromium_vi", (0.05, 0.005, 0.001)),
        ("mercury", (0.01, 0.005, 0.001)),
        ("zinc", (1, 0.5, 0.1)),
    ],
)
def test_zdhc_limit_values(parameter, limits):
    frame = tables.zdhc_limits()
    row = frame.filter(frame["parameter"] == parameter).row(0, named=True)
    assert (row["foundational"], row["progressive"], row["aspirational"]) == pytest.approx(limits)


def test_zdhc_limits_tighten_from_level_to_level():
    for row in tables.zdhc_limits().iter_rows(named=True):
        assert row["kind"] in {"conventional", "anion", "metal"}
        assert row["comparison"] in {"max", "range", "presence"}
        assert row["foundational"] >= row["progressive"] >= row["aspirational"], row["parameter"]
        if row["comparison"] == "range":
            assert row["foundational_min"] == 6 and row["foundational"] == 9
        else:
            assert row["foundational_min"] is None


def test_zdhc_kinds_are_counted():
    kinds = tables.zdhc_limits().group_by("kind").len()
    counts = dict(kinds.iter_rows())
    assert counts == {"conventional": 16, "anion": 3, "metal": 12}


def test_five_discharge_types():
    assert len(tables.enum_keys("zdhc_discharge_types")) == 5


def test_programmes_have_known_owners_and_certainty():
    frame = tables.programmes()
    assert set(frame["owner"]) <= {"Aii", "ZDHC", "Cascale", "other"}
    assert set(frame["certainty"]) <= {"primary", "secondary", "unverified", "project"}
    keys = set(frame["key"])
    assert {
        "clp",
        "stz",
        "cbd",
        "higg_fem_verification",
        "bluesign",
        "grs",
        "oeko_tex_step",
        "zdhc_clearstream",
        "zdhc_incheck",
    } <= keys


def test_disposal_routes_are_the_matrix_routes():
    from factory_journey.reference.loader import load_csv

    routes = set(load_csv("waste_disposal_methods.csv")["route"])
    assert routes <= {
        "landfill",
        "incineration",
        "energy_recovery",
        "recycling",
        "reuse",
        "composting",
        "other",
    }


def test_facade_exports_resolve():
    for name in tables.__all__:
        assert hasattr(tables, name), name
