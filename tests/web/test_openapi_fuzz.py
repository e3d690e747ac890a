"""Property-based run against the OpenAPI schema (schemathesis): no operation answers 5xx.

Every operation is called through the ASGI app (no network) with a signed-in factory admin's
token, with a bounded number of generated examples, so that the run stays under a minute.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from .conftest import Platform, make_platform

#: Examples per operation (fuzzing phase); the coverage phase adds boundary and invalid cases.
MAX_EXAMPLES = 12


class _TempDirs:
    """What `make_platform` needs of pytest's tmp_path_factory, usable at collection time."""

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"journey-fuzz-{name}-"))


# Schemathesis makes one test per operation when the schema exists at collection time.
PLATFORM = make_platform(_TempDirs())  # type: ignore[arg-type]
# Signing out would revoke the token every other example signs in with.
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", PLATFORM.client.app).exclude(
    path="/api/auth/sign-out"
)


@pytest.fixture(scope="module")
def platform() -> Platform:
    return PLATFORM


def test_openapi_is_served(platform: Platform):
    response = platform.client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/auth/sign-in",
        "/api/portfolio",
        "/api/facilities/{facility_id}/assessment",
        "/api/facilities/{facility_id}/matrix",
        "/api/facilities/{facility_id}/report.pdf",
        "/api/uploads",
        "/api/jobs/{job_id}",
    ):
        assert path in paths, path


@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error(case, platform: Platform):
    _aim_at_real_rows(case)
    case.call_and_validate(headers=platform.headers("owner_admin"), checks=[not_a_server_error])


#: Ids of rows that exist, so that about half of the cases reach past "not found".
_REAL = {"facility_id": "F1", "year": 2023, "version": 1, "job_id": 1}


def _aim_at_real_rows(case) -> None:  # type: ignore[no-untyped-def]
    parameters = case.path_parameters or {}
    for name, real in _REAL.items():
        value = parameters.get(name)
        if value is not None and len(repr(value)) % 2 == 0:
            parameters[name] = real
