"""A platform (tests/web/conftest.py: organisations of every kind, facility F1 of Factory A)
with a review committee of three seats, one organisation each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from factory_journey.services.platform import accounts
from factory_journey.services.proposals.committee import assign_seat
from factory_journey.store.database import transaction
from factory_journey.store.models import Organisation
from tests.web.conftest import PASSWORD, Platform, make_platform

#: (actor name, organisation, seat)
COMMITTEE = (
    ("cascale_reviewer", "Committee Cascale", "cascale"),
    ("aii_reviewer", "Committee Aii", "aii"),
    ("zdhc_reviewer", "Committee ZDHC", "zdhc"),
)


@dataclass
class Journey:
    platform: Platform
    tokens: dict[str, str]

    def headers(self, actor: str) -> dict[str, str]:
        token = self.tokens.get(actor) or self.platform.tokens[actor]
        return {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, actor: str, **kwargs: Any) -> Any:
        return self.platform.client.request(method, path, headers=self.headers(actor), **kwargs)


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> Journey:
    platform = make_platform(tmp_path_factory)
    tokens: dict[str, str] = {}
    with transaction(platform.factory) as session:
        for name, organisation_name, seat in COMMITTEE:
            organisation = accounts.create_organisation(session, organisation_name, "programme")
            accounts.create_user(
                session, f"{name}@test.example", PASSWORD, name, organisation, "editor"
            )
            assign_seat(session, seat, organisation.id)
        viewer_org = session.scalar(
            select(Organisation).where(Organisation.name == "Committee Aii")
        )
        accounts.create_user(
            session, "aii_viewer@test.example", PASSWORD, "aii viewer", viewer_org, "viewer"
        )
    with transaction(platform.factory) as session:
        for name in [c[0] for c in COMMITTEE] + ["aii_viewer"]:
            tokens[name] = accounts.sign_in(session, f"{name}@test.example", PASSWORD)
    return Journey(platform, tokens)


def content(
    title: str = "ISO 14001 readiness coaching for small sites",
    *,
    area: str = "ems",
    addresses: tuple[str, ...] = ("ems_policy", "ems_management_system"),
    factory_types: tuple[str, ...] = ("*",),
    regions: tuple[str, ...] = ("*",),
    stages: tuple[int, ...] = (1, 2),
) -> dict[str, Any]:
    """A complete proposal for `area`."""
    return {
        "title": title,
        "summary": "Six months of coaching to write an environmental policy and run an EMS.",
        "provider": "Demo Sustainability Institute",
        "impact_areas": [area],
        "factory_types": list(factory_types),
        "regions": list(regions),
        "maturity_stages": list(stages),
        "measures": [
            {
                "title": "EMS coaching with a policy, targets and an internal audit",
                "area": area,
                "addresses": list(addresses),
                "effects": {"electric_energy": [0.01, 0.02]},
                "investment": {"basis": "facility", "usd_low": 3000, "usd_high": 8000},
                "evidence": "Programme records of 40 coached sites, 2022-2024 (attached).",
                "certainty": "secondary",
            }
        ],
        "expected_impact": "Every coached site has a policy and a management system in a year.",
    }


def scores(value: int = 4) -> dict[str, int]:
    from factory_journey.services.proposals.rubric import rubric

    return dict.fromkeys(rubric().sub_keys(), value)


def review(recommendation: str = "accept", value: int = 4) -> dict[str, Any]:
    return {
        "conflict_of_interest": False,
        "scores": scores(value),
        "comments": {"general": "Clear evidence and a provider that can deliver."},
        "recommendation": recommendation,
    }


def submitted(journey: Journey, actor: str, body: dict[str, Any]) -> int:
    """The id of a new proposal of `actor`'s organisation, submitted."""
    created = journey.call("POST", "/api/proposals", actor, json=body)
    assert created.status_code == 201, created.text
    proposal_id = created.json()["id"]
    sent = journey.call("POST", f"/api/proposals/{proposal_id}/submit", actor)
    assert sent.status_code == 200, sent.text
    return int(proposal_id)
