"""Every JOURNEY_* setting is read at start-up with a named error, and `journey serve` stops
on a bad setting or database with that message and exit status 2 (#13 review)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.services.platform.bootstrap import demo_enabled
from factory_journey.web.settings import Settings, UnsafeSettings

BAD = [
    ("JOURNEY_EVIDENCE_MAX_BYTES", "20MB", "a whole number of bytes"),
    ("JOURNEY_THREADS", "four", "a whole number from 1 to 256"),
    ("JOURNEY_THREADS", "0", "a whole number from 1 to 256"),
    ("JOURNEY_ACCOUNT_LIMITS", "/nonexistent.yaml", "the path of a YAML file"),
    ("JOURNEY_DEMO_ACCOUNTS", "maybe", "1 or 0"),
    ("JOURNEY_PDF_COMPILERS", "two", "a whole number of at least 1"),
    ("JOURNEY_TRUSTED_PROXIES", "10.0.0.300", "IP addresses or networks"),
    ("JOURNEY_PUBLIC_URL", "journey.example", "https://journey.example"),
    ("JOURNEY_LOG_LEVEL", "loud", "info"),
]


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JOURNEY_ENV", "JOURNEY_DATABASE_URL", "JOURNEY_DEMO_ACCOUNTS"):
        monkeypatch.delenv(name, raising=False)
    for name, _value, _accepted in BAD:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("name", "value", "accepted"), BAD)
def test_a_bad_setting_is_named_with_what_is_accepted(monkeypatch, name, value, accepted):
    monkeypatch.setenv(name, value)
    with pytest.raises(UnsafeSettings) as refused:
        Settings.from_env()
    message = str(refused.value)
    assert message.startswith(f"{name} is {value!r}: ")
    assert accepted in message


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("JOURNEY_EVIDENCE_MAX_BYTES", "20MB", "JOURNEY_EVIDENCE_MAX_BYTES is '20MB'"),
        ("JOURNEY_ACCOUNT_LIMITS", "/nonexistent.yaml", "no such file"),
        ("JOURNEY_DATABASE_URL", "mysql://u@h/d", "that kind of database is not supported"),
        ("JOURNEY_DATABASE_URL", "sqlite:////nonexistent/dir/x.db", "cannot be reached"),
    ],
)
def test_serve_stops_with_exit_2_and_the_message(monkeypatch, name, value, words):
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["serve", "--port", "8799"])
    assert result.exit_code == 2, result.output
    assert "Could not start:" in result.output and words in " ".join(result.output.split())
    assert "unexpected" not in result.output


def test_good_values_are_read(monkeypatch):
    monkeypatch.setenv("JOURNEY_THREADS", "8")
    monkeypatch.setenv("JOURNEY_EVIDENCE_MAX_BYTES", "1_000_000")
    monkeypatch.setenv("JOURNEY_PDF_COMPILERS", "3")
    monkeypatch.setenv("JOURNEY_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
    settings = Settings.from_env()
    assert (settings.threads, settings.evidence_max_bytes, settings.pdf_compilers) == (
        8,
        1_000_000,
        3,
    )
    assert settings.trusted_proxies == ("10.0.0.1", "192.168.0.0/16")


@pytest.mark.parametrize(
    ("value", "on"),
    [("false", False), ("no", False), ("0", False), ("off", False), ("yes", True), ("1", True)],
)
def test_demo_accounts_flag_reads_as_the_settings_do(monkeypatch, value, on):
    monkeypatch.setenv("JOURNEY_DEMO_ACCOUNTS", value)
    assert demo_enabled() is on
    assert Settings.from_env().demo_accounts is on
