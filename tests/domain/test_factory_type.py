"""FEM facility types → journey factory type (decision 0002), scalar and vectorised agree."""

import polars as pl
import pytest

from factory_journey.domain.factory_type import journey_factory_type, journey_factory_type_expr

CASES = [
    (["finalProductAssembly"], "cut_sew"),
    (["finalProductAssembly", "printingProductDyeingAndLaundering"], "vertical"),
    (["finalProductAssembly", "materialProduction"], "vertical"),
    (["finalProductAssembly", "hardComponentTrimProduction"], "cut_sew"),
    (["printingProductDyeingAndLaundering"], "mill"),
    (["materialProduction"], "mill"),
    (["materialProduction", "rawMaterialProcessing"], "mill"),
    (["materialProduction", "hardComponentTrimProduction"], "mill"),
    (["hardComponentTrimProduction"], "component"),
    (["hardComponentTrimProduction", "rawMaterialCollection"], "component"),
    (["rawMaterialProcessing"], "raw_material"),
    (["rawMaterialCollection"], "raw_material"),
    (
        [
            "finalProductAssembly",
            "materialProduction",
            "rawMaterialProcessing",
            "hardComponentTrimProduction",
        ],
        "vertical",
    ),
    ([], None),
    (["notAType"], None),
]


@pytest.mark.parametrize(("types", "expected"), CASES)
def test_journey_factory_type(types, expected):
    assert journey_factory_type(types) == expected


def test_vectorised_agrees_with_scalar():
    frame = pl.DataFrame(
        {"types": [c[0] for c in CASES] + [None]}, schema={"types": pl.List(pl.String)}
    )
    got = frame.select(journey_factory_type_expr("types"))["journey_factory_type"].to_list()
    assert got == [c[1] for c in CASES] + [None]


def test_vectorised_on_many_rows():
    frame = pl.DataFrame(
        {
            "types": [["finalProductAssembly", "materialProduction"], ["materialProduction"]]
            * 50_000
        },
    )
    counts = frame.select(journey_factory_type_expr(pl.col("types")))[
        "journey_factory_type"
    ].value_counts()
    assert dict(counts.iter_rows()) == {"vertical": 50_000, "mill": 50_000}
