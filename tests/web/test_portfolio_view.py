"""The brand's portfolio: filters, sort, benchmarks only for peer groups of at least 5
facilities, exports equal to the rows shown, and a revoked grant gone at once."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from factory_journey.services.platform import accounts, sharing
from factory_journey.services.platform.portfolio_benchmarks import (
    benchmark_charts,
    benchmark_rules,
    benchmarks,
)
from factory_journey.services.platform.portfolio_view import (
    EXPORT_COLUMNS,
    export,
    parse_filter,
    portfolio_view,
)
from factory_journey.store.database import transaction

from .many_facilities import FACILITIES, many_facilities


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return many_facilities(tmp_path_factory)


def _view(platform, **params):  # type: ignore[no-untyped-def]
    f, problems = parse_filter({k: v if isinstance(v, list) else [v] for k, v in params.items()})
    assert not problems
    with transaction(platform.factory) as session:
        brand = accounts.actor_for_email(session, "brand_viewer@test.example")
        return portfolio_view(session, brand, f), f


def test_the_brand_sees_every_shared_facility_and_filters_narrow_it(platform):
    everything, _ = _view(platform)
    assert everything.total == FACILITIES + 1
    assert {r.facility_id for r in everything.rows} == {*platform.ids, "F1"}
    country = everything.rows[0].country_iso2
    by_country, _ = _view(platform, country=country)
    assert by_country.rows and all(r.country_iso2 == country for r in by_country.rows)
    assert len(by_country.rows) == sum(r.country_iso2 == country for r in everything.rows)
    high, _ = _view(platform, area="energy", level="high")
    assert all(r.levels["energy"] == "high" for r in high.rows)
    assert len(high.rows) == sum(r.levels["energy"] == "high" for r in everything.rows)
    older, _ = _view(platform, year="2022")
    assert older.rows and all(r.year == 2022 for r in older.rows)
    assert not _view(platform, year="2019")[0].rows
    unverified, _ = _view(platform, verified="no")
    assert len(unverified.rows) == sum(not r.verified for r in everything.rows)


def test_sort_orders_the_rows(platform):
    by_name, _ = _view(platform)
    names = [r.name.lower() for r in by_name.rows]
    assert names == sorted(names)
    by_high, _ = _view(platform, sort="high", order="desc")
    counts = [r.high_count for r in by_high.rows]
    assert counts == sorted(counts, reverse=True)


def test_bad_filter_values_are_named_and_the_rest_kept():
    f, problems = parse_filter({"country": ["CN", "China!"], "year": ["20x"], "sort": ["x"]})
    assert f.countries == ("CN",)
    assert {(p.field, p.value) for p in problems} == {
        ("country", "China!"), ("year", "20x"), ("sort", "x")}


def test_benchmarks_draw_only_groups_of_at_least_five_with_n(platform):
    view, _ = _view(platform)
    minimum = benchmark_rules()["min_group_size"]
    assert minimum == 5
    found = benchmarks(view)
    assert found, "the SAME facilities of one country and type make a group"
    drawn = 0
    for bench in found:
        with_value = sum(bench.indicator in r.values for r in view.rows)
        assert sum(b.n for b in bench.boxes) + bench.facilities_too_few == with_value
        for box in bench.boxes:
            assert box.n >= minimum
            assert box.low <= box.q1 <= box.median <= box.q3 <= box.high
            drawn += 1
    assert drawn
    charts = benchmark_charts(view, "vi")
    svg = next(c["svg"] for c in charts if c["svg"])
    assert svg.startswith("<svg") and "n = " in svg
    for name in (r.name for r in view.rows):
        assert name not in "".join(c["svg"] for c in charts)  # anonymised
    # Narrowed below five, a group shows no box but says how many were left out.
    few, _ = _view(platform, country=view.rows[0].country_iso2, verified="no", year="2023",
                   sort="name")
    small = benchmarks(type(few)(few.rows[:minimum - 1], few.total, few.countries, few.years,
                                 few.filter))
    assert all(not b.boxes and b.facilities_too_few for b in small)


def test_exports_hold_exactly_the_rows_shown(platform):
    view, f = _view(platform, area="energy", level="low", sort="country")
    with transaction(platform.factory) as session:
        brand = accounts.actor_for_email(session, "brand_viewer@test.example")
        body, media = export(session, brand, f, "csv")
        workbook_bytes, xlsx_media = export(session, brand, f, "xlsx")
    assert media.startswith("text/csv") and "spreadsheetml" in xlsx_media
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert [r["facility_id"] for r in rows] == [r.facility_id for r in view.rows]
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(EXPORT_COLUMNS)
    assert [v[0] for v in values[1:]] == [r.facility_id for r in view.rows]
    assert [v[EXPORT_COLUMNS.index("energy_level")] for v in values[1:]] == ["low"] * len(
        view.rows)


def test_a_revoked_facility_is_gone_from_the_next_view(platform):
    target = platform.ids[-1]
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        grant = next(g for g in sharing.grants_of(session, owner, target)
                     if g.revoked_at is None)
        sharing.revoke(session, owner, target, grant.id)
    view, _ = _view(platform)
    assert target not in {r.facility_id for r in view.rows}
