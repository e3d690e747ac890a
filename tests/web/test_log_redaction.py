"""One-time link tokens never reach the access log (a reader of the log could use them)."""

from __future__ import annotations

import logging

import pytest

from factory_journey.store.database import make_engine
from factory_journey.web.app import create_app
from factory_journey.web.log_redaction import RedactSecrets, redact
from factory_journey.web.settings import Settings
from tests.database import test_database_url


def test_token_values_are_redacted_and_nothing_else() -> None:
    assert redact("/invitation?token=abc.DEF-123") == "/invitation?token=[redacted]"
    assert (
        redact("/password-reset/new?lang=vi&token=s3cret&next=/x")
        == "/password-reset/new?lang=vi&token=[redacted]&next=/x"
    )
    assert redact("/facilities?page=2") == "/facilities?page=2"
    assert redact("/api/x?mytoken=keep") == "/api/x?mytoken=keep"


def test_an_access_record_is_written_without_the_token() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/invitation?token=abcdef", "1.1", 200), None,
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /invitation?token=[redacted] HTTP/1.1" 200'


def test_the_app_installs_the_filter_on_the_access_logger(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings = Settings("development", None, secure_cookies=False, demo_accounts=False)
    create_app(make_engine(test_database_url(tmp_path_factory)), settings)
    filters = logging.getLogger("uvicorn.access").filters
    assert any(isinstance(f, RedactSecrets) for f in filters)
