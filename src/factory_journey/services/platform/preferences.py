"""What a person chose for themselves: the language the pages speak to them in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.languages import LANGUAGES
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.store.models import Organisation, User


@dataclass(frozen=True, slots=True)
class Profile:
    """How a signed-in person is shown on a page."""

    display_name: str
    organisation_name: str
    #: The language they chose (a key of `LANGUAGES`), or None: not chosen yet.
    language: str | None


def profile(session: Session, actor: Actor) -> Profile:
    """The name, organisation name and chosen language of `actor`, in one statement."""
    row = session.execute(
        select(User.display_name, User.language, Organisation.name)
        .select_from(User)
        .join(Organisation, Organisation.id == actor.organisation_id)
        .where(User.id == actor.user_id)
    ).one()
    display_name, language, organisation_name = row
    return Profile(display_name, organisation_name, language if language in LANGUAGES else None)


def set_language(session: Session, actor: Actor, language: str) -> None:
    """Remember `language` (a key of `LANGUAGES`) as the one `actor` reads the pages in."""
    if language not in LANGUAGES:
        raise InvalidInput(f"no language {language[:20]!r}; accepted: {', '.join(LANGUAGES)}")
    user = session.get(User, actor.user_id)
    if user is not None:
        user.language = language
