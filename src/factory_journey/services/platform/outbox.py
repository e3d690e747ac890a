"""Messages to people. There is no mail server: each message goes to the `outbox` table (for a
mailer to deliver, or an operator to read) and to the server log."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from factory_journey.store.models import OutboxMessage

log = logging.getLogger("factory_journey.outbox")


def send(session: Session, recipient: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    session.add(message)
    session.flush()
    log.info("message to %s: %s\n%s", recipient, subject, body)
    return message
