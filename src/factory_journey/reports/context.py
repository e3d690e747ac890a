"""Report context: matrix and assessment frames of one facility or a portfolio → plain dicts.

Pure (no I/O): everything the templates show is decided here, translated and formatted for the
report language, charts included (as SVG strings). The HTML template and the typst (PDF)
template render the same dict, so the two outputs cannot disagree.

The entry point of the facility and portfolio reports; the work is done in
- `report_data`: the input frames (`ReportData`) and the `Context` type,
- `formatting`: country names, units and indicator values in the report language,
- `facility_context`: one facility-year (`build_facility_context`),
- `portfolio_context`: a set of facilities (`build_portfolio_context`).
"""

from __future__ import annotations

from factory_journey.reports.facility_context import build_facility_context
from factory_journey.reports.portfolio_context import build_portfolio_context
from factory_journey.reports.report_data import Context, FacilityNotFoundError, ReportData

__all__ = [
    "Context",
    "FacilityNotFoundError",
    "ReportData",
    "build_facility_context",
    "build_portfolio_context",
]
