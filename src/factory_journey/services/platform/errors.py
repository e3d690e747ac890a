"""Errors of platform use cases, in words a user can act on; the web maps them to HTTP codes."""

from __future__ import annotations


class PlatformError(Exception):
    """Base: `status` is the HTTP status the web layer answers with."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        """`field`: the input the refusal is about ("name"), when it is one. The API's
        `message` then begins with it ("name: give the cohort a name …", read by a client as
        before); `reason` is the message without it, and a page names the field by its label
        in the reader's language."""
        self.message = f"{field}: {message}" if field else message
        self.reason = message
        self.field = field
        super().__init__(self.message)


class NotAuthenticated(PlatformError):
    status = 401


class Forbidden(PlatformError):
    status = 403


class NotFound(PlatformError):
    status = 404


class Conflict(PlatformError):
    status = 409


class InvalidInput(PlatformError):
    status = 422


class TooLarge(PlatformError):
    """A file larger than its route accepts."""

    status = 413


class TooManyAttempts(PlatformError):
    """Sign-in is locked for a while; `retry_after` is the wait in whole seconds."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LinkNotValid(PlatformError):
    """A one-time link (invitation or password reset) that is unknown, used or expired."""

    status = 400
