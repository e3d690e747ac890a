"""The limits of sign-in throttling and of one-time links, read from versioned data.

The defaults are `data/account_security.yaml` (with their source); `JOURNEY_ACCOUNT_LIMITS`
may name another file of the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from factory_journey.reference.loader import parse_yaml
from factory_journey.services.platform.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class AccountLimits:
    """Throttling and link limits; durations as `timedelta`, counts as numbers."""

    window: timedelta
    account_failures: int
    address_failures: int
    first_lockout: timedelta
    longest_lockout: timedelta
    forget_after: timedelta
    invitation_lifetime: timedelta
    reset_lifetime: timedelta
    open_resets_per_account: int


def default_limits_path() -> Path:
    package = Path(str(resources.files("factory_journey.services.platform")))
    return package / "data" / "account_security.yaml"


def _number(document: dict[str, Any], section: str, key: str, source: Path) -> int:
    value = (document.get(section) or {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(
            f"{source}: {section}.{key} is {str(value)[:40]!r}; accepted: a whole number ≥ 1"
        )
    return value


def load_limits(path: Path | None = None) -> AccountLimits:
    """The limits in `path` (default: the packaged defaults); a bad value is named."""
    source = path or default_limits_path()
    try:
        document = parse_yaml(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InvalidInput(f"{source}: cannot read the account limits ({error})") from None
    if not isinstance(document, dict):
        raise InvalidInput(f"{source}: the account limits are not a YAML mapping")

    def seconds(section: str, key: str) -> timedelta:
        return timedelta(seconds=_number(document, section, key, source))

    return AccountLimits(
        window=seconds("sign_in", "window_seconds"),
        account_failures=_number(document, "sign_in", "account_failures", source),
        address_failures=_number(document, "sign_in", "address_failures", source),
        first_lockout=seconds("sign_in", "first_lockout_seconds"),
        longest_lockout=seconds("sign_in", "longest_lockout_seconds"),
        forget_after=seconds("sign_in", "forget_after_seconds"),
        invitation_lifetime=seconds("links", "invitation_lifetime_seconds"),
        reset_lifetime=seconds("links", "reset_lifetime_seconds"),
        open_resets_per_account=_number(document, "links", "open_resets_per_account", source),
    )


@cache
def default_limits() -> AccountLimits:
    return load_limits()
