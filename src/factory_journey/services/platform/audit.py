"""The audit log: every change and every access to shared data, in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from factory_journey.store.models import AuditEvent

if TYPE_CHECKING:
    from factory_journey.services.platform.accounts import Actor


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            user_id=actor.user_id if actor else None,
            organisation_id=actor.organisation_id if actor else None,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=detail or {},
        )
    )
