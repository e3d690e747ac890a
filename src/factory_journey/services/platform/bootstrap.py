"""Start-up of `journey serve`: schema, demo accounts, the pilot dataset and its sharing.

Everything here is idempotent: a restart finds the accounts, facilities and grants made by the
first start and leaves them as they are (a grant revoked by a user stays revoked).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, make_url, select
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.domain.problems import shorten
from factory_journey.services.platform import imports, results, sharing
from factory_journey.services.platform.accounts import actor_for_email
from factory_journey.services.platform.demo_accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ensure_demo_accounts,
)
from factory_journey.services.platform.env_settings import environment, flag
from factory_journey.services.platform.errors import PlatformError
from factory_journey.services.platform.facilities import portfolio
from factory_journey.store.database import (
    database_url,
    make_engine,
    migrate,
    session_factory,
    transaction,
)
from factory_journey.store.models import Facility, Organisation, SharingGrant, User

Progress = Callable[[str, int, int], None]

DEMO_FACTORY_ADMIN = "factory.admin@demo.test"
#: What the demo factory group shares with whom: organisation → (scope, which facilities).
#: Facilities are taken in id order; `step` picks every n-th, `limit` the first n of those.
DEMO_SHARING: dict[str, tuple[str, int, int]] = {
    "Demo Brand": ("assessment", 3, 40),
    "Demo Programme": ("matrix", 1, 60),
    "Demo Verifier": ("full", 1, 10),
}


class BootstrapError(RuntimeError):
    """The platform could not be prepared (for instance, the pilot dataset did not import)."""


class DatabaseUnusable(BootstrapError):
    """The database URL is not one, names a kind not supported, or cannot be reached."""


def database_problem(url: str, error: BaseException) -> str:
    """Why the database at `url` cannot be used, in words (its password hidden)."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        shown = url.split("@")[-1]  # not a URL: show no part that could be a password
    if isinstance(error, ArgumentError | ValueError):
        why = "it is not a database URL (sqlite:///path/journey.db or postgresql://user@host/db)"
    elif isinstance(error, NoSuchModuleError | ImportError):
        why = "that kind of database is not supported (use sqlite:/// or postgresql://)"
    else:
        first = str(getattr(error, "orig", None) or error).strip().splitlines()[0:1]
        why = "it cannot be reached or opened" + (f" ({shorten(first[0], 200)})" if first else "")
    return f"the database {shorten(shown, 200)} cannot be used: {why}"


@dataclass(frozen=True, slots=True)
class DemoLine:
    """One demo account and what it can see, for the start-up table."""

    email: str
    password: str
    organisation: str
    kind: str
    role: str
    sees: str


@dataclass(slots=True)
class Prepared:
    database_url: str
    demo: list[DemoLine] = field(default_factory=list)
    imported_facilities: int = 0
    messages: list[str] = field(default_factory=list)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def demo_enabled() -> bool:
    """Demo accounts only in development (`JOURNEY_ENV`, default development), unless
    `JOURNEY_DEMO_ACCOUNTS` says no (0, false, no, off: read as the web's settings read it)."""
    return environment() == "development" and flag("JOURNEY_DEMO_ACCOUNTS", True)


def pilot_zip() -> tuple[str, bytes]:
    """The bundled pilot dataset as an upload: a .zip of its CSV files."""
    from factory_journey.demo import pilot_dataset_path

    folder = Path(pilot_dataset_path())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return "pilot-dataset.zip", buffer.getvalue()


def prepare(
    url: str | None = None,
    *,
    demo: bool | None = None,
    progress: Progress | None = None,
    warm: bool = True,
) -> Prepared:
    """Migrate the database at `url` (default ./journey.db) and, in development, load the demo."""
    report = progress or _no_progress
    resolved = database_url(url)
    try:
        engine = make_engine(resolved)
        report("migrate", 0, 1)
        migrate(engine)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        raise DatabaseUnusable(database_problem(resolved, error)) from None
    report("migrate", 1, 1)
    prepared = Prepared(resolved)
    if not (demo_enabled() if demo is None else demo):
        engine.dispose()
        return prepared
    factory = session_factory(engine)
    with transaction(factory) as session:
        users = session.scalar(select(func.count()).select_from(User)) or 0
        has_demo = session.scalar(select(User).where(User.email == DEMO_FACTORY_ADMIN))
        if users and has_demo is None:
            prepared.messages.append("the database has accounts already: no demo accounts made")
            engine.dispose()
            return prepared
        ensure_demo_accounts(session)
    prepared.imported_facilities = _import_pilot(factory, report)
    _share_demo(factory)
    _demo_parks(factory)
    if warm:
        _warm_snapshots(factory, report)
    prepared.demo = _demo_lines(factory)
    engine.dispose()
    return prepared


def _import_pilot(factory: sessionmaker[Session], report: Progress) -> int:
    """Import the pilot dataset as the Demo Factory Group's, unless it owns facilities already."""
    with transaction(factory) as session:
        owner = actor_for_email(session, DEMO_FACTORY_ADMIN)
        owned = session.scalar(
            select(func.count())
            .select_from(Facility)
            .where(Facility.owner_organisation_id == owner.organisation_id)
        )
        if owned:
            return 0
        name, content = pilot_zip()
        upload = imports.store_upload(session, owner, name, "application/zip", content)
        job = imports.create_job(session, upload)
    report("import", 0, 1)
    done = imports.run_import(factory, job.id, owner)
    report("import", 1, 1)
    if done.status != "succeeded":
        first = "; ".join(str(p.get("message")) for p in done.problems[:3])
        raise BootstrapError(f"the pilot dataset did not import ({done.status}): {first}")
    with transaction(factory) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Facility)
                .where(Facility.owner_organisation_id == owner.organisation_id)
            )
            or 0
        )


def _demo_parks(factory: sessionmaker[Session]) -> None:
    """The three demo parks (#16) as the demo park operator's, once."""
    from factory_journey.services.platform.parks import store_demo_parks

    with transaction(factory) as session:
        store_demo_parks(session)


def _share_demo(factory: sessionmaker[Session]) -> None:
    """Grant each demo grantee its subset once; a later revocation is respected."""
    with transaction(factory) as session:
        owner = actor_for_email(session, DEMO_FACTORY_ADMIN)
        ids = session.scalars(
            select(Facility.id)
            .where(Facility.owner_organisation_id == owner.organisation_id)
            .order_by(Facility.id)
        ).all()
        for organisation_name, (scope, step, limit) in DEMO_SHARING.items():
            grantee = session.scalar(
                select(Organisation).where(Organisation.name == organisation_name)
            )
            if grantee is None:
                continue
            ever = session.scalar(
                select(func.count())
                .select_from(SharingGrant)
                .where(SharingGrant.grantee_organisation_id == grantee.id)
            )
            if ever:
                continue
            for facility_id in list(ids[::step])[:limit]:
                sharing.grant(session, owner, facility_id, grantee.id, scope)


def _warm_snapshots(factory: sessionmaker[Session], report: Progress) -> None:
    """Assess every demo facility once, so that the first reads are lookups."""
    with transaction(factory) as session:
        owner = actor_for_email(session, DEMO_FACTORY_ADMIN)
        ids = [e.facility.id for e in portfolio(session, owner)]
    for done, facility_id in enumerate(ids):
        report("assess", done, len(ids))
        with transaction(factory) as session:
            results.current_snapshot(session, facility_id)
    report("assess", len(ids), len(ids))


def _demo_lines(factory: sessionmaker[Session]) -> list[DemoLine]:
    lines: list[DemoLine] = []
    with transaction(factory) as session:
        for account in DEMO_ACCOUNTS:
            try:
                actor = actor_for_email(session, account.email)
            except PlatformError:
                continue
            entries = portfolio(session, actor)
            owned = sum(e.relation == "owner" for e in entries)
            shared: dict[str, int] = {}
            for entry in entries:
                if entry.relation == "grantee" and entry.scope:
                    shared[entry.scope] = shared.get(entry.scope, 0) + 1
            parts = []
            if owned:
                parts.append(f"{owned} own facilities ({_owner_rights(account.role)})")
            parts += [f"{n} shared ({scope})" for scope, n in sorted(shared.items())]
            lines.append(
                DemoLine(
                    account.email,
                    DEMO_PASSWORD,
                    account.organisation,
                    account.kind,
                    account.role,
                    ", ".join(parts) or "nothing yet: no facility shares with it",
                )
            )
    return lines


def _owner_rights(role: str) -> str:
    return {
        "admin": "read all, upload, share",
        "editor": "read all, upload",
        "viewer": "read all",
    }.get(role, role)


def serve(url: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the web application on `url`'s database with uvicorn until interrupted."""
    os.environ["JOURNEY_DATABASE_URL"] = url
    level = (os.environ.get("JOURNEY_LOG_LEVEL", "").strip() or "info").lower()
    # The app believes X-Forwarded-* from JOURNEY_TRUSTED_PROXIES only (web/app.py); uvicorn's
    # own handling (which trusts 127.0.0.1 by default) is off, so that there is one rule.
    # An import string and a factory, so that each worker process builds its own app.
    target = "factory_journey.web.app:create_app"
    if workers > 1:
        # Worker processes are spawned afresh; started from inside the `journey` command they
        # die at once, so this process becomes a plain uvicorn that starts them.
        command = [sys.executable, "-m", "uvicorn", target, "--factory"]
        command += ["--host", host, "--port", str(port), "--workers", str(workers)]
        command += ["--log-level", level, "--no-proxy-headers"]
        os.execv(sys.executable, command)
    import uvicorn

    uvicorn.run(
        target, factory=True, host=host, port=port, log_level=level, proxy_headers=False
    )
