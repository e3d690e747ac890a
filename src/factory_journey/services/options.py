"""What a user may choose on the command line (formats, report languages), importable alone.

The CLI names these in its help text, which `journey --help` builds for every command; so they
live here, without the services that use them (polars, the engine, the report renderer), and
those services take them from here.
"""

from __future__ import annotations

from factory_journey.reports.i18n import LANGUAGES

#: Formats `journey demo-data` writes.
DEMO_FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx", "json")

#: Formats of a facility or portfolio report.
REPORT_FORMATS: tuple[str, ...] = ("pdf", "html")

#: Report languages, by code (as `reports.i18n.LANGUAGES`).
REPORT_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)
