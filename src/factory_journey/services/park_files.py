"""Use case: the files a park operator gives and takes on the park pages (#16) — its park
dataset uploaded (kept, assessed and recorded by `services.platform.parks`), the blank park
workbook (`journey park template`'s), and a park's PDF report (`journey park report`'s
renderer, from the outputs stored on the platform).

Who may do what is decided here and in `services.platform.parks`, never by a page: giving
data and the template are for a park operator's admins and editors; the report is for the
park's operator (any role), whose outputs it shows whole.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from factory_journey.reports.i18n import PARK_LANGUAGES
from factory_journey.reports.park_context import ParkNotFoundError, ParkReportData
from factory_journey.services.park_report import (
    OUTPUT_TABLES,
    packaged_framework_texts,
    render_park,
    safe_park_file_name,
)
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from factory_journey.services.platform.imports import MAX_UPLOAD_BYTES
from factory_journey.services.platform.parks import (
    ParkDatasetInvalid,
    StoredParkDataset,
    assessed_parks,
    check_park_writer,
    may_give_park_data,
    park_view,
    store_park_dataset,
    stored_dataset,
)
from factory_journey.services.upload_problems import ProblemReport, problem_report

#: The file kinds a park dataset may be (services.platform.parks reads them).
PARK_SUFFIXES: tuple[str, ...] = (".json", ".xlsx", ".zip")
#: The largest park dataset accepted [bytes] (the factory uploads' bound).
MAX_PARK_UPLOAD_BYTES = MAX_UPLOAD_BYTES

__all__ = [
    "MAX_PARK_UPLOAD_BYTES",
    "PARK_SUFFIXES",
    "ParkUploadOutcome",
    "StoredParkDataset",
    "check_park_writer",
    "may_give_park_data",
    "park_report_pdf",
    "park_template_xlsx",
    "saved_park_dataset",
    "upload_park_dataset",
]


@dataclass(frozen=True, slots=True)
class ParkUploadOutcome:
    """What an upload did: the parks it recorded (the first is shown next) and the id of
    the assessment stored (`saved_park_dataset` says what it read), or why nothing was
    recorded — a message and, for a dataset that cannot be read, every located problem."""

    parks: tuple[str, ...] = ()
    message: str = ""
    problems: ProblemReport | None = None
    assessment_id: int | None = None

    @property
    def succeeded(self) -> bool:
        return bool(self.parks)


def upload_park_dataset(session: Session, actor: Actor, filename: str,
                        content: bytes) -> ParkUploadOutcome:
    """Keep, assess and record the park dataset `content` of `actor`'s organisation, or
    record nothing and say why. `Forbidden` (raised) unless `actor` may give park data; a
    file over `MAX_PARK_UPLOAD_BYTES`, of another kind, with problems, or naming a park of
    another operator is an outcome with a message (and problems). The caller commits."""
    check_park_writer(actor)
    try:  # store_park_dataset records nothing before it has checked everything
        stored = store_park_dataset(session, actor, filename, content)
    except ParkDatasetInvalid as error:  # a file that cannot be read at all has no places
        return ParkUploadOutcome(message=error.message, problems=problem_report(
            error.problems, guided=False) if error.problems else None)
    except (InvalidInput, Conflict) as error:
        return ParkUploadOutcome(message=error.message)
    return ParkUploadOutcome(parks=tuple(assessed_parks(session, stored.id)),
                             assessment_id=stored.id)


def saved_park_dataset(session: Session, actor: Actor,
                       assessment: str | None) -> StoredParkDataset | None:
    """What the upload that stored `assessment` (an assessment id as a page's address gives
    it) saved, for the "saved" notice after it; None for no id, one that is not a number, or
    an assessment that is not of `actor`'s organisation."""
    if not assessment or not assessment.isdigit() or len(assessment) > 12:
        return None
    return stored_dataset(session, actor, int(assessment))


def park_template_xlsx(actor: Actor, lang: str = "en") -> bytes:
    """The blank park workbook `journey park template` writes (a sheet per park table with
    drop-downs, and guidance with the packaged framework's questions); for those who may
    give park data (`Forbidden` otherwise). Its guidance and cell messages are in `lang`
    (English when the park catalogue has no such language); its sheets, columns and values
    are the same in every language: an upload is read by them."""
    check_park_writer(actor)
    return _template(lang if lang in PARK_LANGUAGES else "en")


@cache
def _template(lang: str) -> bytes:
    """The workbook in `lang`, made once a process per language (it depends on the packaged
    tables, framework and park catalogue)."""
    from factory_journey.services.parks import write_park_template

    with tempfile.TemporaryDirectory(prefix="journey-park-template-") as folder:
        path, problems = write_park_template(Path(folder) / "park-template.xlsx",
                                             language=lang)
        if path is None:  # the packaged framework is part of the installation
            raise RuntimeError("; ".join(p.describe() for p in problems))
        return path.read_bytes()


def park_template_name() -> str:
    """The downloaded template's file name."""
    return "factory-journey-park-template.xlsx"


def park_report_pdf(session: Session, actor: Actor, park_id: str, lang: str,
                    year: int | None = None) -> tuple[bytes, str]:
    """The PDF report of `park_id` (in `year`, default its latest) in `lang` (English when
    the park report has no such language), made by `journey park report`'s renderer from the
    outputs stored on the platform, and its file name. `NotFound` when the park (or the
    year) is not there for `actor`; `Forbidden` for a member factory's organisation (the
    report shows every member)."""
    view = park_view(session, actor, park_id)
    if view.summary.relation != "operator":
        raise Forbidden("the park report is its operator's")
    if any(name not in view.frames for name in OUTPUT_TABLES):
        raise NotFound("this park has not been assessed yet")
    data = ParkReportData(
        **{name: view.frames[name] for name in OUTPUT_TABLES}, parks=view.frames.get("parks"),
        **packaged_framework_texts(), versions=view.versions,
    )
    chosen = lang if lang in PARK_LANGUAGES else "en"
    try:
        content = render_park(data, park_id, chosen, "pdf", year)
    except ParkNotFoundError:
        raise NotFound("no such park year") from None
    suffix = f"-{year}" if year else ""
    return content, f"{safe_park_file_name(park_id)}{suffix}-{chosen}.pdf"
