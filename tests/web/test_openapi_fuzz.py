"""Property-based run over the whole OpenAPI document (schemathesis), with every check on.

Every operation is called through the ASGI app (no network) as a signed-in factory admin, with
a bounded number of generated examples, and each answer must pass every built-in check of
schemathesis: no server error; a status code, body, content type and headers as the document
declares them; schema-valid data accepted and schema-violating data refused; `Allow` on 405;
and (`ignored_auth`) the same request without a token, or with a wrong one, refused.
Sign-out gets a token of its own per call, so that it revokes no other.

Time bound: `MAX_EXAMPLES` per operation in the fuzzing phase (the coverage phase adds the
boundary and invalid cases of each parameter), no per-example deadline.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from .conftest import Platform, make_platform
from .test_authorisation import ROUTES
from .test_write_concurrency import mint_tokens

#: Examples per operation (fuzzing phase); the coverage phase adds boundary and invalid cases.
MAX_EXAMPLES = 12

#: Operations that refuse some schema-valid requests by rules a schema cannot state, with the
#: status they use and a message: `positive_data_acceptance` accepts that status from these
#: (and only these). "METHOD path": (status, why).
REFUSE_VALID_SHAPES: dict[str, tuple[int, str]] = {
    "POST /api/uploads": (422, "the file's kind and content (a dataset is read, not received)"),
    "POST /api/facilities/{facility_id}/evidence": (422, "the file's kind and content"),
    "POST /api/facilities/{facility_id}/grants": (422, "a facility does not share with itself"),
    "POST /api/auth/password-reset/confirm": (400, "a link token exists only once it is sent"),
    "POST /api/auth/invitations/accept": (400, "a link token exists only once it is sent"),
    "POST /api/organisation/invitations": (422, "an e-mail address's form"),
    "POST /api/proposals": (422, "a title of 3 characters once spaces are trimmed"),
    "PUT /api/proposals/{proposal_id}": (422, "a title of 3 characters once spaces are trimmed"),
    "POST /api/proposals/{proposal_id}/attachments": (422, "the file's kind and content"),
    "POST /api/proposals/{proposal_id}/submit": (422, "a proposal is checked whole on submit"),
    "POST /api/proposals/{proposal_id}/reviews": (422, "a score for every sub-criterion"),
}


class _TempDirs:
    """What `make_platform` needs of pytest's tmp_path_factory, usable at collection time."""

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"journey-fuzz-{name}-"))


def _config() -> SchemathesisConfig:
    default = '"2xx", "3xx", "401", "403", "404", "409", "429"'
    toml = "".join(
        f'[[operations]]\ninclude-name = "{operation}"\n'
        f'checks.positive_data_acceptance.expected-statuses = [{default}, "{status}"]\n'
        for operation, (status, _why) in REFUSE_VALID_SHAPES.items()
    )
    return SchemathesisConfig.from_str(toml)


# Schemathesis makes one test per operation when the schema exists at collection time.
PLATFORM = make_platform(_TempDirs())  # type: ignore[arg-type]
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", PLATFORM.client.app, config=_config())


@SCHEMA.auth(refresh_interval=None)
class _SignedIn:
    """The owner admin's token on every case (schemathesis leaves it off where it tests its
    absence); sign-out gets a fresh one each time."""

    def get(self, case, context) -> str:  # type: ignore[no-untyped-def]
        if case.operation.path == "/api/auth/sign-out":
            return mint_tokens(PLATFORM.factory, "owner_admin@test.example", 1)[0]
        return PLATFORM.tokens["owner_admin"]

    def set(self, case, data: str, context) -> None:  # type: ignore[no-untyped-def]
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


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


def test_the_signed_in_routes_say_so(platform: Platform):
    """The document names the token schemes, so that `ignored_auth` probes every such route."""
    document = platform.client.get("/openapi.json").json()
    schemes = set(document["components"]["securitySchemes"])
    assert schemes == {"HTTPBearer", "APIKeyCookie"}
    public = {operation for operation, entry in ROUTES.items() if entry.public}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if f"{method.upper()} {path}" in public:
                assert "security" not in operation, path
            else:
                assert {name for s in operation["security"] for name in s} == schemes, path


@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_check_passes(case, platform: Platform):
    _aim_at_real_rows(case)
    case.call_and_validate()


#: Ids of rows that exist, so that about half of the cases reach past "not found".
_REAL = {"facility_id": "F1", "year": 2023, "version": 1, "job_id": 1}


def _aim_at_real_rows(case) -> None:  # type: ignore[no-untyped-def]
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return  # an invalid id must stay invalid
    parameters = case.path_parameters or {}
    for name, real in _REAL.items():
        value = parameters.get(name)
        if value is not None and len(repr(value)) % 2 == 0:
            parameters[name] = real
