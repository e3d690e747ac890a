"""A methodology version extended with accepted proposals: the base stays as it was, and a
proposed measure applies only where the proposal said (factory type, country, maturity stage)."""

from __future__ import annotations

import copy

import polars as pl
import pytest

from factory_journey.engine.assessment import assess
from factory_journey.engine.assessment.catalogue import DEFAULT_CATALOGUE
from factory_journey.engine.assessment.extension import (
    AcceptedProposal,
    extended_documents,
    parse_version,
)
from factory_journey.engine.assessment.methodology import DEFAULT_METHODOLOGY, default_methodology
from factory_journey.engine.assessment.proposal_content import (
    ProposalContentError,
    check_proposal_content,
)
from factory_journey.reference.loader import load_yaml

from .matrix_rows import make_matrix, mill


def _content(**changes):  # type: ignore[no-untyped-def]
    document = {
        "title": "EMS coaching",
        "summary": "Coaching to write a policy and run a management system.",
        "provider": "Provider",
        "impact_areas": ["ems"],
        "factory_types": ["mill"],
        "regions": ["VN"],
        "maturity_stages": [1],
        "measures": [{
            "title": "EMS coaching", "area": "ems", "addresses": ["ems_policy"],
            "effects": {}, "investment": {"basis": "facility", "usd_low": 1, "usd_high": 2},
            "evidence": "Programme records of coached sites.",
        }],
        "expected_impact": "A policy at every coached site.",
        **changes,
    }
    return check_proposal_content(document, default_methodology())


def _version(content):  # type: ignore[no-untyped-def]
    entry = AcceptedProposal(7, 2, "Org X", "2026-12-07", content)
    base_m, base_c = load_yaml(DEFAULT_METHODOLOGY), load_yaml(DEFAULT_CATALOGUE)
    before = copy.deepcopy((base_m, base_c))
    documents = extended_documents(base_m, base_c, [entry], "fj-x", "x")
    assert (base_m, base_c) == before  # the packaged documents are not changed
    return parse_version(*documents)


def _measures(result, facility: str) -> list[str]:  # type: ignore[no-untyped-def]
    row = result.pathways.filter(
        (pl.col("facility_id") == facility) & (pl.col("area") == "ems")
    ).row(0, named=True)
    return (row["measures"] or "").split(";")


def test_a_proposed_measure_applies_where_the_proposal_says():
    methodology, catalogue = _version(_content())
    assert methodology.label == "fj-x (x)"
    assert catalogue.proposal_of("jj_7") == catalogue.proposal_of("jj_7_1")
    assert "JJ-7 v2" in str(catalogue.proposal_of("jj_7_1"))
    no_policy = {"ems_has_policy": False, "country_iso2": "VN"}
    matrix = make_matrix([
        mill(facility_id="fits", **no_policy),
        mill(facility_id="other_country", **{**no_policy, "country_iso2": "BD"}),
        mill(facility_id="other_stage", country_iso2="VN"),  # policy: stage 3, not 1
        mill(facility_id="other_type", journey_factory_type="cut_sew", **no_policy),
    ])
    result = assess(matrix, methodology, catalogue)
    assert "jj_7_1" in _measures(result, "fits")
    for facility in ("other_country", "other_stage", "other_type"):
        assert "jj_7_1" not in _measures(result, facility), facility
    # The base version knows nothing of it.
    assert "jj_7_1" not in _measures(assess(matrix), "fits")


def test_content_faults_are_all_named_and_located():
    with pytest.raises(ProposalContentError) as caught:
        _content(impact_areas=["ems", "noise"], maturity_stages=[1, 7], factory_types=["shop"])
    wheres = [where for where, _ in caught.value.problems]
    assert wheres == ["impact_areas", "factory_types", "maturity_stages"]
