"""Keep one-time secrets out of the server's access log.

An invitation link and a password-reset link carry their token in the query string
(`/invitation?token=…`, `/password-reset/new?token=…`), and uvicorn's access log writes the
whole path with its query. Whoever reads the log (an operator, a log service) could then
accept an invitation or set a password. The filter below replaces the value of every
secret-bearing query parameter with `[redacted]` before the line is formatted; nothing else
in the line changes.
"""

from __future__ import annotations

import logging
import re

#: Query parameters whose values are secrets (one-time link tokens).
SECRET_PARAMETERS: tuple[str, ...] = ("token",)

_SECRET = re.compile(r"([?&](?:" + "|".join(SECRET_PARAMETERS) + r")=)[^&#\s]*")


def redact(path: str) -> str:
    """`path` with the value of every secret query parameter replaced by `[redacted]`."""
    return _SECRET.sub(r"\1[redacted]", path)


class RedactSecrets(logging.Filter):
    """Redacts secret query values in uvicorn's access records (args: client, method, path,
    HTTP version, status) and in any other record's string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                redact(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install(logger_name: str = "uvicorn.access") -> None:
    """Add the filter to `logger_name` once (each worker process builds its own app)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(existing, RedactSecrets) for existing in logger.filters):
        logger.addFilter(RedactSecrets())
