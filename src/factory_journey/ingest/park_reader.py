"""Read and check the park tables of a dataset (docs/park-data-format.md), with located errors.

`read_dataset` loads the park tables and leaves them aside (`ImportResult.park_raw`);
`read_park_tables` types them with the same column checks as every table (`validate`), converts
the shared facilities' quantities with the same unit rules (`units`), and checks what joins
them: parks, members (in the profiles of that year, one park a year, OS IDs), shared facilities
(not a factory, one park), the shared facilities' rows (their own year, members of their
park, or another shared facility of it) and — decision 0025 — that no flow has two owners: a
flow metered at a shared facility for its user (`member_facility_id`: a member, or another
shared facility) may not also be in the user's own rows.
"""

from __future__ import annotations

import polars as pl

from factory_journey.domain.os_hub_id import is_valid_os_hub_id, normalise_os_hub_id
from factory_journey.domain.park_tables import (
    PARK_MEMBERS,
    PARK_QUESTIONNAIRE,
    PARKS,
    SHARED_BASES,
    SHARED_FACILITIES,
    SHARED_TABLES,
)
from factory_journey.domain.problems import ProblemList
from factory_journey.domain.profile import COUNTRY_ACCEPTED
from factory_journey.domain.tables import Table
from factory_journey.engine.parks.inputs import ParkTables
from factory_journey.ingest import checks, units
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.raw_tables import ROW, RawTable
from factory_journey.ingest.result import ImportResult
from factory_journey.ingest.validate import type_table
from factory_journey.reference.countries import resolve_country

#: Answers of a yes/partly/no question and the value they stand for in requirement_results.
ANSWERS: dict[str, float | None] = {"yes": 1.0, "partly": 0.5, "no": 0.0, "unknown": None}


def _empty(spec: Table) -> pl.DataFrame:
    from factory_journey.ingest.parse import DTYPES

    return pl.DataFrame(schema={c.name: DTYPES[c.type] for c in spec.columns} | {ROW: pl.Int64})


def _provenance(frame: pl.DataFrame, raw: RawTable) -> pl.DataFrame:
    return frame.with_columns(pl.lit(raw.source.file, pl.String).alias("_file"),
                              pl.lit(raw.source.sheet, pl.String).alias("_sheet"))


def _typed(raw: RawTable | None, spec: Table, log: ProblemLog) -> pl.DataFrame | None:
    if raw is None:
        return None
    typed = type_table(raw, spec, log)
    if typed is None:
        return None
    checks.duplicate_rows(typed.frame, spec, raw.source, log)
    return _provenance(typed.frame, raw)


def _refs(frame: pl.DataFrame, allowed: pl.DataFrame, on: list[str], source: Source,
          log: ProblemLog, *, column: str, message: str, accepted: str) -> None:
    """Rows of `frame` whose `on` values (non-null) are not among `allowed`'s: one error each."""
    # one lazy pass; `allowed` is not de-duplicated first: an anti join keeps the same rows
    bad = (frame.lazy().filter(pl.all_horizontal(pl.col(c).is_not_null() for c in on))
           .join(allowed.lazy().select(on), on=on, how="anti").sort(ROW).collect())
    log.rows(bad.select(ROW, pl.col(column).cast(pl.String)), source, message=message,
             code="unknown_reference", column=column, value_column=column, accepted=accepted)


def read_park_tables(imported: ImportResult) -> tuple[ParkTables | None, ProblemList]:
    """The park tables of `imported`, checked; None when they cannot be used (problems say why).

    Problems are located like every input's (file, sheet, row, column, value, accepted)."""
    log = ProblemLog()
    raw = imported.park_raw
    if "parks" not in raw:
        log.error("The dataset has no parks table (parks.csv, a sheet 'parks' or a 'parks' key "
                  "in JSON); a park assessment needs one", None, code="missing_table",
                  accepted="parks, park_members and the other tables of docs/park-data-format.md")
        return None, log.sorted()
    parks = _typed(raw["parks"], PARKS, log)
    members = _typed(raw.get("park_members"), PARK_MEMBERS, log)
    shared_facilities = _typed(raw.get("shared_facilities"), SHARED_FACILITIES, log)
    questionnaire = _typed(raw.get("park_questionnaire"), PARK_QUESTIONNAIRE, log)
    if parks is None:
        return None, log.sorted()
    members = members if members is not None else _empty(PARK_MEMBERS)
    shared_facilities = (shared_facilities if shared_facilities is not None
                         else _empty(SHARED_FACILITIES))
    parks = _countries(parks, raw["parks"].source, log)
    profiles = imported.tables.get("profiles", pl.DataFrame(schema={"facility_id": pl.String,
                                                                     "year": pl.Int64}))
    if "park_members" in raw:
        _check_members(members, parks, profiles, raw["park_members"].source, log)
    if "shared_facilities" in raw:
        _check_shared_facilities(shared_facilities, parks, profiles,
                                 raw["shared_facilities"].source, log)
    shared: dict[str, pl.DataFrame] = {}
    shared_ids = shared_facilities["shared_facility_id"].unique()
    for spec in SHARED_TABLES:
        if spec.name in raw:
            frame = _read_shared(raw[spec.name], spec, log)
            if frame is not None:
                _check_shared_rows(frame, spec, shared_facilities, members,
                                   raw[spec.name].source, log)
                _one_owner(frame, spec, imported.tables, shared_ids, raw[spec.name].source,
                           log)
                shared[SHARED_BASES[spec.name].name] = frame
    _metered_twice(shared, raw, log)
    shared = {name: _to_receivers(frame, shared_ids) for name, frame in shared.items()}
    if questionnaire is not None:
        questionnaire = _answers(questionnaire, parks, raw["park_questionnaire"].source, log)
    tables = ParkTables(parks, members, shared_facilities, shared, questionnaire)
    return tables, log.sorted()


def _countries(parks: pl.DataFrame, source: Source, log: ProblemLog) -> pl.DataFrame:
    given = parks["country"].to_list()
    codes = [(c.iso2 if (c := resolve_country(v)) else None) if v else None for v in given]
    parks = parks.with_columns(pl.Series("country_iso2", codes, pl.String))
    bad = parks.filter(pl.col("country").is_not_null() & pl.col("country_iso2").is_null())
    log.rows(bad.select(ROW, "country"), source, message="Unknown country", code="bad_country",
             column="country", value_column="country",
             accepted=COUNTRY_ACCEPTED)
    return parks


def _check_members(members: pl.DataFrame, parks: pl.DataFrame, profiles: pl.DataFrame,
                   source: Source, log: ProblemLog) -> None:
    _refs(members, parks, ["park_id"], source, log, column="park_id",
          message="This park is not in the parks table", accepted="a park_id of parks")
    _refs(members, profiles.select("facility_id", "year"), ["facility_id", "year"], source, log,
          column="facility_id", message="This facility has no profile row in this year",
          accepted="a facility_id of profiles with a row for the same year")
    # a row whose park differs from its facility-year's first is the second park (a count of
    # distinct parks would say no more: a differing row implies two)
    twice = (members.filter(pl.col("facility_id").is_not_null())
             .with_columns(pl.col("park_id").first().over("facility_id", "year").alias("_p"))
             .filter(pl.col("park_id") != pl.col("_p")).sort(ROW))
    log.rows(twice.select(ROW, "facility_id"), source,
             message="This facility is a member of two parks in the same year",
             code="member_of_two_parks", column="facility_id", value_column="facility_id",
             accepted="one park per facility and year")
    ids = members.filter(pl.col("os_id").is_not_null())
    if ids.height:
        valid = [is_valid_os_hub_id(v) for v in ids["os_id"].to_list()]
        log.rows(ids.filter(~pl.Series(valid, dtype=pl.Boolean)).select(ROW, "os_id"), source,
                 message="Not a valid Open Supply Hub ID", code="bad_os_id", column="os_id",
                 value_column="os_id",
                 accepted="15 characters CC YYYYDDD RRRRR K (hyphens allowed) with a valid "
                          "check character, e.g. PK2019083XJJ7D7")
        if "sip_osh_id" in profiles.columns:
            norm = [normalise_os_hub_id(v) if ok else None
                    for v, ok in zip(ids["os_id"].to_list(), valid, strict=True)]
            theirs = profiles.select("facility_id", "year", pl.col("sip_osh_id").map_elements(
                normalise_os_hub_id, return_dtype=pl.String).alias("_profile_os_id"))
            differ = (ids.with_columns(pl.Series("_os", norm, pl.String))
                      .join(theirs, on=["facility_id", "year"], how="inner")
                      .filter(pl.col("_os").is_not_null() & pl.col("_profile_os_id").is_not_null()
                              & (pl.col("_os") != pl.col("_profile_os_id"))).sort(ROW))
            log.rows(differ.select(ROW, "os_id", "_profile_os_id"), source,
                     message="This OS ID differs from the member's profile (sip_osh_id)",
                     code="os_id_differs", column="os_id", value_column="os_id",
                     accepted="the profile's sip_osh_id, or empty")


def _check_shared_facilities(shared: pl.DataFrame, parks: pl.DataFrame, profiles: pl.DataFrame,
                             source: Source, log: ProblemLog) -> None:
    _refs(shared, parks, ["park_id"], source, log, column="park_id",
          message="This park is not in the parks table", accepted="a park_id of parks")
    factories = shared.join(profiles.select("facility_id").unique(),
                            left_on="shared_facility_id", right_on="facility_id", how="semi")
    log.rows(factories.sort(ROW).select(ROW, "shared_facility_id"), source,
             message="This id is a facility of the profiles table: a shared facility needs an "
                     "id of its own, so that each flow has one owner",
             code="shared_is_factory", column="shared_facility_id",
             value_column="shared_facility_id",
             accepted="an id that is not a facility_id of profiles")
    parks_of = (shared.filter(pl.col("shared_facility_id").is_not_null())
                .with_columns(pl.col("park_id").first().over("shared_facility_id").alias("_p"))
                .filter(pl.col("park_id") != pl.col("_p")).sort(ROW))
    log.rows(parks_of.select(ROW, "shared_facility_id"), source,
             message="This shared facility is given in two parks", code="shared_in_two_parks",
             column="shared_facility_id", value_column="shared_facility_id",
             accepted="one park per shared facility")


def _read_shared(raw: RawTable, spec: Table, log: ProblemLog) -> pl.DataFrame | None:
    """A shared_<table> typed, converted and bounded by the rules of <table>."""
    base = SHARED_BASES[spec.name]
    typed = type_table(raw, spec, log)
    if typed is None:
        return None
    frame = typed.frame
    if "quantity" in base.column_names and (dim := base.column("quantity").dimension):
        frame = units.convert_quantities(frame, dim, raw.source, log, base.name,
                                         typed.distinct.get("unit"))
    frame = checks.column_bounds(frame, base.name, raw.source, log)
    if base.name == "zdhc_wastewater":
        from factory_journey.ingest.dataset_reader import zdhc_parameter_units

        frame = checks.zdhc_sample_year(frame, raw.source, log)
        checks.zdhc_parameter_units(frame, raw.source, log, zdhc_parameter_units())
    checks.duplicate_rows(frame, spec, raw.source, log)
    checks.annual_and_monthly(frame, spec, raw.source, log)
    return _provenance(frame, raw)


def _check_shared_rows(frame: pl.DataFrame, spec: Table, shared: pl.DataFrame,
                       members: pl.DataFrame, source: Source, log: ProblemLog) -> None:
    operating = shared.select(pl.col("shared_facility_id").alias("facility_id"), "year",
                              "park_id")
    _refs(frame, operating, ["facility_id", "year"], source, log, column="facility_id",
          message=f"Not a shared facility operating in this year ({spec.name})",
          accepted="a shared_facility_id of shared_facilities with a row for the same year")
    flows = frame.filter(pl.col("member_facility_id").is_not_null()).join(
        operating, on=["facility_id", "year"], how="inner")
    # the user of a metered flow: a member, or another shared facility, of the same park-year
    users = pl.concat([
        members.select("park_id", "year", pl.col("facility_id").alias("member_facility_id")),
        operating.select("park_id", "year", pl.col("facility_id").alias("member_facility_id")),
    ], how="vertical_relaxed")
    _refs(flows, users, ["park_id", "year", "member_facility_id"], source, log,
          column="member_facility_id",
          message="Not a member, nor another shared facility, of this shared facility's park "
                  "in this year",
          accepted="a facility_id of park_members, or a shared_facility_id, of the same park "
                   "and year")
    itself = flows.filter(pl.col("member_facility_id") == pl.col("facility_id")).sort(ROW)
    log.rows(itself.select(ROW, "member_facility_id"), source,
             message="A shared facility's own flow leaves member_facility_id empty",
             code="invalid", column="member_facility_id", value_column="member_facility_id",
             accepted="empty, a member, or another shared facility of the park")


def _flow_key(spec: Table) -> list[str]:
    """The key of a flow without its facility: (year, month, source, …)."""
    return [c for c in spec.key if c not in ("facility_id", "member_facility_id")]


def _one_owner(frame: pl.DataFrame, spec: Table, tables: dict[str, pl.DataFrame],
               shared_ids: pl.Series, source: Source, log: ProblemLog) -> None:
    """A flow metered at a shared facility for its user that is also in the user's own rows
    (the same key; or an annual row beside monthly rows) is refused at the metered row: a
    member's own table, or — for a flow between shared facilities — the receiving shared
    facility's own rows of the same `shared_*` table."""
    base = SHARED_BASES[spec.name]
    metered = frame.filter(pl.col("member_facility_id").is_not_null())
    if metered.is_empty():
        return
    to_shared = pl.col("member_facility_id").is_in(shared_ids.implode())
    own = tables.get(base.name)
    if own is not None and not own.is_empty():
        where = own["_file"][0] if "_file" in own.columns and own.height \
            else f"{base.name}.csv"
        _repeats(metered.filter(~to_shared), own, spec, where, "member", source, log,
                 f"either the member's own {base.name} row or this metered row, not both")
    theirs = frame.filter(pl.col("member_facility_id").is_null())
    _repeats(metered.filter(to_shared), theirs, spec, source.where,
             "shared facility", source, log,
             f"either the receiving shared facility's own {spec.name} row or this metered "
             "row, not both")


def _repeats(metered: pl.DataFrame, own: pl.DataFrame, spec: Table, where: str, who: str,
             source: Source, log: ProblemLog, accepted: str) -> None:
    """Errors at the `metered` rows whose flow `own` (the user's own rows) already holds."""
    if metered.is_empty() or own.is_empty():
        return
    key = _flow_key(spec)
    metered = metered.select(ROW, pl.col("member_facility_id").alias("facility_id"), *key)
    loose = [c for c in key if c != "month"]
    theirs = own.select(pl.col(ROW).alias("_their_row"), "facility_id", *key)
    if "month" in key:
        theirs = theirs.rename({"month": "_their_month"})
        clash = metered.join(theirs, on=["facility_id", *loose], how="inner", nulls_equal=True
                             ).filter(pl.col("month").is_null() | pl.col("_their_month").is_null()
                                      | (pl.col("month") == pl.col("_their_month")))
    else:
        clash = metered.join(theirs, on=["facility_id", *key], how="inner", nulls_equal=True)
    clash = clash.group_by(ROW).agg(pl.col("facility_id").first(),
                                    pl.col("_their_row").min()).sort(ROW)
    log.rows(
        clash.select(ROW, "facility_id", pl.format(
            f"the same flow of {who} {{}} is already in {{}} row {{}}; a flow has one owner",
            "facility_id", pl.lit(where), "_their_row").alias("_message")),
        source,
        message=f"Counted twice: this {who}'s flow is also in its own rows",
        code="counted_twice", column="member_facility_id", value_column="facility_id",
        message_column="_message", accepted=accepted,
    )


def _to_receivers(frame: pl.DataFrame, shared_ids: pl.Series) -> pl.DataFrame:
    """Rows metered at a shared facility for another shared facility become the receiver's
    own rows (one owner: the user of the flow), as a member's metered rows become the
    member's in `engine.parks.flows`."""
    to_shared = pl.col("member_facility_id").is_in(shared_ids.implode())
    return frame.with_columns(
        pl.when(to_shared).then(pl.col("member_facility_id")).otherwise(pl.col("facility_id"))
        .alias("facility_id"),
        pl.when(to_shared).then(None).otherwise(pl.col("member_facility_id"))
        .alias("member_facility_id"))


def _metered_twice(shared: dict[str, pl.DataFrame], raw: dict[str, RawTable],
                   log: ProblemLog) -> None:
    """The same member flow metered at two shared facilities is one flow given twice."""
    for spec in SHARED_TABLES:
        base = SHARED_BASES[spec.name].name
        if base not in shared:
            continue
        key = ["member_facility_id", *_flow_key(spec)]
        frame = shared[base].filter(pl.col("member_facility_id").is_not_null())
        twice = (frame.with_columns(pl.col("facility_id").first().over(key).alias("_first"))
                 .filter(pl.col("facility_id") != pl.col("_first")).sort(ROW))
        log.rows(twice.select(ROW, "member_facility_id"), raw[spec.name].source,
                 message="Counted twice: this member's flow is metered at two shared facilities",
                 code="counted_twice", column="member_facility_id",
                 value_column="member_facility_id", accepted="one owner per flow")


def _answers(questionnaire: pl.DataFrame, parks: pl.DataFrame, source: Source,
             log: ProblemLog) -> pl.DataFrame:
    _refs(questionnaire, parks, ["park_id"], source, log, column="park_id",
          message="This park is not in the parks table", accepted="a park_id of parks")
    text = pl.col("answer").str.strip_chars().str.to_lowercase()
    number = pl.col("answer").str.strip_chars().str.replace_all(",", "").cast(
        pl.Float64, strict=False)
    out = questionnaire.with_columns(
        text.alias("answer_key"),
        pl.when(text.is_in(list(ANSWERS))).then(text.replace_strict(
            ANSWERS, default=None, return_dtype=pl.Float64)).otherwise(number)
        .alias("answer_value"),
    )
    bad = out.filter(pl.col("answer").is_not_null() & ~pl.col("answer_key").is_in(list(ANSWERS))
                     & pl.col("answer_value").is_null())
    log.rows(bad.sort(ROW).select(ROW, "answer"), source, message="Not an accepted answer",
             code="bad_answer", column="answer", value_column="answer",
             accepted="yes, partly, no, unknown, or a number")
    return out
