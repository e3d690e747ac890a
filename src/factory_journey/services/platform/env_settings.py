"""Reading `JOURNEY_*` environment variables with one named error (web and start-up share it).

A value that is not accepted stops the start with a message that names the variable, the
value (shortened) and what is accepted, never an "unexpected error".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from factory_journey.domain.problems import shorten
from factory_journey.services.platform.errors import PlatformError

T = TypeVar("T")


class UnsafeSettings(RuntimeError):
    """A setting that cannot be used: a production start with a development-only setting, or
    a `JOURNEY_*` variable whose value is not accepted (`setting` names it)."""


def setting(name: str, default: T, parse: Callable[[str], T], accepted: str) -> T:
    """The environment variable `name` read by `parse` (`default` when unset or empty); a
    value `parse` refuses (ValueError, OSError or a platform error) is an `UnsafeSettings`
    that names the variable, the value (shortened) and what is `accepted`."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return parse(value)
    except (ValueError, OSError, PlatformError) as error:
        why = str(getattr(error, "message", error))
        raise UnsafeSettings(
            f"{name} is {shorten(value, 80)!r}: {shorten(why, 300)}; accepted: {accepted}"
        ) from None


def environment() -> str:
    """`JOURNEY_ENV`, `development` when unset or empty (checked by the web's `Settings`)."""
    return os.environ.get("JOURNEY_ENV", "").strip() or "development"


def flag(name: str, default: bool) -> bool:
    """A yes/no variable: 1, true, yes, on or 0, false, no, off (any case)."""
    return setting(name, default, _yes_no, "1 or 0 (true or false, yes or no, on or off)")


def _yes_no(value: str) -> bool:
    if value.lower() not in _FLAG_VALUES:
        raise ValueError("not a yes or a no")
    return _FLAG_VALUES[value.lower()]


_FLAG_VALUES = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off"), False),
}
