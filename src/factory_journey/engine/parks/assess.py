"""Assess industrial parks: the one entry point of the park engine.

tables (the ordinary dataset) + park tables → members' Data Matrix and assessment (the same
`build_matrix` and `assess` as `journey assess`), the shared facilities' and the internal
deliveries' matrices (`flows`), park indicators, member and shared-facility standing, the
framework's judgement and pillar scores, and the collective improvement plan (`plan`) from the
members' own Data Matrix rows and pathway steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from factory_journey.engine.assessment import Methodology, assess
from factory_journey.engine.matrix import build_matrix
from factory_journey.engine.parks import flows, indicators, scoring, standing
from factory_journey.engine.parks.framework_files import FrameworkSet
from factory_journey.engine.parks.inputs import ParkTables
from factory_journey.engine.parks.plan import collective_plan, plan_covers
from factory_journey.engine.parks.plan_inputs import members_for_plan
from factory_journey.engine.parks.plan_steps import Covered, covered_steps

#: The frames of the members' assessment that the park view reads (`assess(parts=...)`).
PARK_PARTS: tuple[str, ...] = ("opportunities", "pathways")


@dataclass(frozen=True)
class ParkResult:
    """The frames `journey park assess` writes (docs/park-data-format.md) and their versions."""

    parks: pl.DataFrame
    park_indicators: pl.DataFrame
    park_members: pl.DataFrame
    park_opportunities: pl.DataFrame
    park_shared_facilities: pl.DataFrame
    requirement_results: pl.DataFrame
    pillar_scores: pl.DataFrame
    #: the collective plan: one row per park-year × shared measure, and per participant
    plan_measures: pl.DataFrame = field(default_factory=pl.DataFrame)
    plan_members: pl.DataFrame = field(default_factory=pl.DataFrame)
    versions: dict[str, str] = field(default_factory=dict)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "parks": self.parks,
            "park_indicators": self.park_indicators,
            "park_members": self.park_members,
            "park_opportunities": self.park_opportunities,
            "park_shared_facilities": self.park_shared_facilities,
            "requirement_results": self.requirement_results,
            "pillar_scores": self.pillar_scores,
            "plan_measures": self.plan_measures,
            "plan_members": self.plan_members,
        }


def _people(profiles: pl.DataFrame | None) -> pl.DataFrame | None:
    """`_employees` [persons] per facility-year of the profiles (not a matrix column)."""
    if profiles is None or "siptotalnumemployees" not in profiles.columns:
        return None
    return profiles.select(
        "facility_id", "year", pl.col("siptotalnumemployees").cast(pl.Float64).alias("_employees")
    ).unique(["facility_id", "year"])


def _with_employees(matrix: pl.DataFrame, people: pl.DataFrame | None) -> pl.DataFrame:
    """The matrix with `_employees` [persons] from `_people`."""
    if people is None:
        return matrix.with_columns(pl.lit(None, pl.Float64).alias("_employees"))
    # joined on the keys alone, then set beside the matrix: its ~100 columns are not copied
    employees = matrix.select("facility_id", "year").join(
        people, on=["facility_id", "year"], how="left", maintain_order="left")["_employees"]
    return matrix.with_columns(employees)


def _member_rows(matrix: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """The matrix rows of the park members' facility-years: the matrix itself (not a copy of
    its ~100 columns) when every row is one, as when the dataset holds only park members."""
    keys = members.select("facility_id", "year")
    if matrix.select("facility_id", "year").join(keys, on=["facility_id", "year"],
                                                 how="anti").is_empty():
        return matrix
    return matrix.join(keys.unique(), on=["facility_id", "year"], how="semi")


def _matrix(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame | None:
    if not tables or "profiles" not in tables or tables["profiles"].is_empty():
        return None
    return build_matrix(tables, with_provenance=False).matrix


def assess_parks(
    tables: Mapping[str, pl.DataFrame],
    parks: ParkTables,
    frameworks: FrameworkSet,
    methodology: Methodology | None = None,
    release_tables: bool = False,
) -> ParkResult:
    """Every park-year of `parks` (the years of its members and shared facilities).

    `release_tables` (with `tables` a dict): the input tables are removed from `tables`, and
    let go once the members' matrix has aggregated them (`build_matrix(release_tables=)`), so
    that a caller holding no other reference to them (`journey park assess`) frees their
    memory before the ~100-column matrix is made and the members are assessed.

    Work that does not wait for the members' matrix or assessment runs beside it on one more
    thread (Polars releases the GIL; each frame is the same whichever finishes first): the
    shared facilities' and internal deliveries' matrices beside the members' matrix, the
    member steps the collective plan covers beside the members' standing, and the counts per
    area, the park indicators and the framework's judgement beside the plan."""
    member_tables = flows.member_tables(tables, parks.shared)
    if release_tables and isinstance(tables, dict):
        tables.clear()
    members = parks.members
    # what is read of the input tables besides the members' matrix, taken before they go:
    # the profiles' employees, and (beside, from its own dict of the same tables, which
    # `build_matrix(release_tables=)` does not empty) the rows of what a shared facility
    # delivers
    people = _people(member_tables.get("profiles"))
    with ThreadPoolExecutor(max_workers=1) as beside:
        shared_job = beside.submit(_shared_matrices, dict(member_tables), parks)
        built = build_matrix(member_tables, with_provenance=False,
                             release_tables=release_tables)
        del member_tables  # nothing below reads an input table
        member_matrix = built.matrix
        with_people = _with_employees(_member_rows(member_matrix, members), people)
        shared_matrix, internal = shared_job.result()
        # the whole matrix, as `journey assess` judges it: the same peer groups, the same
        # levels; only the frames a park reads (the levels per area, and the member steps the
        # collective plan covers), not the measures' finance, trajectory or indicators frame
        # (decision 0036)
        assessed = assess(member_matrix, methodology, matrix_versions=built.versions,
                          parts=PARK_PARTS)
        steps_job = beside.submit(_covered, assessed.pathways)
        levels = standing.member_levels(members, assessed.opportunities)
        member_rows = standing.member_standing(members, with_people, levels,
                                               parks.shared_facilities,
                                               parks.shared.get("wastewater"))
        shared_rows = standing.shared_standing(parks.shared_facilities, shared_matrix,
                                               parks.shared)
        judged = beside.submit(_judged_indicators, levels, member_rows, shared_rows,
                               with_people, internal, shared_matrix, parks, frameworks)
        # the plan reads of the park indicators only whether a park-year has a central
        # effluent plant: it does not wait for the counts, totals and judgement
        central = _central_plants(shared_rows)
        plan = collective_plan(members_for_plan(member_rows, with_people, central),
                               covered=steps_job.result())
        by_area, park_indicators, results, scores = judged.result()
    versions = {**built.versions, **assessed.versions, **frameworks.versions(), **plan.versions}
    park_rows = parks.parks.select(
        "park_id", pl.col("park_name").cast(pl.String), "country_iso2",
        pl.col("operator").cast(pl.String), pl.col("latitude").cast(pl.Float64),
        pl.col("longitude").cast(pl.Float64)).sort("park_id")
    return ParkResult(park_rows, park_indicators, member_rows, by_area, shared_rows, results,
                      scores, plan.measures, plan.members, versions)


def _shared_matrices(member_tables: dict[str, pl.DataFrame], parks: ParkTables
                     ) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    """The shared facilities' own matrix and the internal deliveries' matrix (`flows`): the
    members' rows of what a shared facility delivers, and the shared facilities' own rows
    of what another delivers."""
    delivered = flows.internal_tables(member_tables, parks.members, parks.shared_facilities)
    del member_tables  # the input tables: let go as soon as the delivered rows are taken
    shared_own = flows.shared_own_tables(parks.shared, parks.shared_facilities, parks.parks)
    shared_matrix = _matrix(shared_own)
    # what shared facilities deliver, at the members and at the other shared facilities
    shared_users = parks.shared_facilities.select(
        "park_id", "year", pl.col("shared_facility_id").alias("facility_id"))
    internal_parts = [m for m in (
        _matrix(delivered),
        _matrix(flows.internal_tables(shared_own, shared_users, parks.shared_facilities)))
        if m is not None]
    internal = pl.concat(internal_parts, how="diagonal_relaxed") if internal_parts else None
    return shared_matrix, internal


def _covered(pathways: pl.DataFrame) -> Covered | None:
    """The member steps each shared measure of the plan covers (a non-member's steps are
    never joined: the plan reads only its participants' member-years)."""
    steps = pathways.select("facility_id", "year", "area", "pathway", "measures", "modules")
    return covered_steps(plan_covers(), steps)


def _central_plants(shared_rows: pl.DataFrame) -> pl.DataFrame:
    """`has_central_effluent_plant` of the park-years with a shared facility, as
    `standing.park_standing` counts it and `indicators.park_indicators` lists it (park_id,
    year, indicator, value); a park-year without a shared facility has none (0)."""
    name = "has_central_effluent_plant"
    return shared_rows.group_by("park_id", "year").agg(
        (pl.col("type") == standing.CENTRAL_PLANT).any().cast(pl.Float64).alias("value")
    ).select("park_id", "year", pl.lit(name).alias("indicator"), "value")


def _judged_indicators(levels: pl.DataFrame, member_rows: pl.DataFrame,
                       shared_rows: pl.DataFrame, with_people: pl.DataFrame,
                       internal: pl.DataFrame | None, shared_matrix: pl.DataFrame | None,
                       parks: ParkTables, frameworks: FrameworkSet
                       ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The members per area and level, park_indicators, and the requirement_results and
    pillar_scores judged on them."""
    by_area = standing.park_opportunities(parks.members, levels)
    park_standing = standing.park_standing(member_rows, shared_rows, by_area)
    park_indicators = indicators.park_indicators(
        with_people, internal, shared_matrix, parks.members, parks.shared_facilities,
        park_standing)
    return by_area, park_indicators, *_judge(parks, frameworks, park_indicators)


def _judge(parks: ParkTables, frameworks: FrameworkSet, park_indicators: pl.DataFrame
           ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """requirement_results and pillar_scores of every park-year."""
    countries = dict(parks.parks.select("park_id", "country_iso2").iter_rows())
    # one combined framework per country: park-years that share it are judged together
    combined = {c: frameworks.for_country(c) for c in set(countries.values())}
    chosen = {
        (park, year): combined[countries[park]]
        for park, year in park_indicators.select("park_id", "year").unique().iter_rows()
        if park in countries
    }
    results = scoring.judge(chosen, park_indicators, parks.questionnaire)
    credit = {frameworks.base.meta.id: frameworks.base.scoring.partly_met_credit}
    return results, scoring.pillar_scores(results, credit)
