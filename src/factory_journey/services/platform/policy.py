"""Who may do what to a facility's data: the access rules as one declarative table.

A user acts for one organisation (a membership with a role). Their relation to a facility is
`owner` (their organisation owns it), `grantee` (the facility shares with their organisation
through an active, unrevoked grant) or `none`. Every route asks `allowed(...)` and nothing else,
so the table below is the whole policy, and the authorisation test walks all of it. Every
write has an action of its own (`*.create`, `*.manage`, `*.set`): a read action never lets
anybody write.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Relation(StrEnum):
    OWNER = "owner"
    GRANTEE = "grantee"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Rule:
    """Who may perform an action.

    `owner_roles`: roles of the owning organisation that may. `grantee_scopes`: grant scopes
    that let a grantee organisation's members do it (any role in `grantee_roles`);
    `grantee_kinds`: organisation kinds of grantees that may (empty = any kind).
    """

    owner_roles: frozenset[str]
    grantee_scopes: frozenset[str] = frozenset()
    grantee_roles: frozenset[str] = frozenset({"admin", "editor", "viewer"})
    grantee_kinds: frozenset[str] = frozenset()


_ANY_ROLE = frozenset({"admin", "editor", "viewer"})
_WRITERS = frozenset({"admin", "editor"})
_ALL_SCOPES = frozenset({"assessment", "matrix", "full"})

#: The whole policy. Each rule lists every grant scope that allows it (`full` ⊃ `matrix` ⊃
#: `assessment`, written out so that a reader needs no other rule).
POLICY: dict[str, Rule] = {
    "facility.read": Rule(_ANY_ROLE, _ALL_SCOPES),
    "assessment.read": Rule(_ANY_ROLE, _ALL_SCOPES),
    "report.read": Rule(_ANY_ROLE, _ALL_SCOPES),
    # Assessing again stores a new snapshot each time (~130 kB): the owner's writers only. A
    # reader of any kind already gets the assessment of the current data (stored once per
    # inputs), so a grantee loses nothing (docs/decisions/0009-write-permissions.md).
    "assessment.create": Rule(_WRITERS),
    "matrix.read": Rule(_ANY_ROLE, frozenset({"matrix", "full"})),
    "submission.read": Rule(_ANY_ROLE, frozenset({"full"})),
    "evidence.read": Rule(_ANY_ROLE, frozenset({"full"})),
    "evidence.create": Rule(
        _WRITERS,
        frozenset({"full"}),
        grantee_roles=_WRITERS,
        grantee_kinds=frozenset({"verifier"}),
    ),
    "sharing.read": Rule(frozenset({"admin"})),
    "sharing.manage": Rule(frozenset({"admin"})),
    # Publishing openly is the facility's own decision (#17): its admins give, change and
    # withdraw consent, and read its state; no grantee ever publishes for it.
    "publication.manage": Rule(frozenset({"admin"})),
    # A facility does not verify its own data: only a verifier it shared with may.
    "verification.set": Rule(
        frozenset(),
        frozenset({"full"}),
        grantee_roles=_WRITERS,
        grantee_kinds=frozenset({"verifier"}),
    ),
}


def allowed(
    action: str,
    relation: Relation,
    role: str,
    *,
    grant_scope: str | None = None,
    organisation_kind: str | None = None,
) -> bool:
    """True when a member with `role`, related to the facility by `relation`, may do `action`.

    `grant_scope` is the scope of the active grant (for `Relation.GRANTEE`);
    `organisation_kind` the kind of the member's organisation.
    """
    rule = POLICY[action]
    if relation is Relation.OWNER:
        return role in rule.owner_roles
    if relation is Relation.GRANTEE:
        if grant_scope not in rule.grantee_scopes or role not in rule.grantee_roles:
            return False
        return not rule.grantee_kinds or organisation_kind in rule.grantee_kinds
    return False


#: Actions that concern no single facility: organisation kinds and roles that may.
ORGANISATION_POLICY: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Uploading a dataset creates or extends facilities owned by the uploader's organisation.
    "dataset.upload": (frozenset({"factory_group"}), _WRITERS),
    # Inviting people into one's own organisation (and listing or withdrawing invitations).
    "organisation.invite": (
        frozenset({"factory_group", "brand", "programme", "park_operator", "verifier"}),
        frozenset({"admin"}),
    ),
    # Asking a factory to share a facility (access_requests.py). Every role: a brand's analyst
    # is usually a viewer, and a request gives nothing until the factory's admin accepts it.
    "access.request": (
        frozenset({"brand", "programme", "park_operator", "verifier"}),
        _ANY_ROLE,
    ),
    # A programme's cohorts and participation records (cohorts.py).
    "cohort.manage": (frozenset({"programme"}), _WRITERS),
    "cohort.read": (frozenset({"programme"}), _ANY_ROLE),
    # Publishing a park's park-level data openly (#17) is its operator's decision: the
    # admins and editors of the park operator that recorded the park (services/open_data/
    # park_publish.py also checks the park is theirs). Members' own data are never in it.
    "park.publication.manage": (frozenset({"park_operator"}), _WRITERS),
    # Join the Journey (#18): any organisation may propose a pathway (drafting, attaching,
    # submitting and revising are one write permission); reviewing also needs a committee
    # seat, which services/proposals/reviewing.py checks beside this rule.
    "proposal.create": (
        frozenset({"factory_group", "brand", "programme", "park_operator", "verifier"}),
        _WRITERS,
    ),
    "proposal.review": (
        frozenset({"factory_group", "brand", "programme", "park_operator", "verifier"}),
        _WRITERS,
    ),
}


def allowed_in_organisation(action: str, organisation_kind: str, role: str) -> bool:
    """True when a member with `role` of an organisation of `organisation_kind` may `action`."""
    kinds, roles = ORGANISATION_POLICY[action]
    return organisation_kind in kinds and role in roles
