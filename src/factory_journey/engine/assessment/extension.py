"""A new methodology version from a base and accepted Join the Journey proposals (pure).

The base documents are never changed: the result is a copy with a new name and version, whose
programme catalogue gains one module per accepted proposal (its provider or programme, in the
area lists of its impact areas) and one measure per proposed measure, each naming the proposal
it came from. A proposed measure applies where the proposal said: its factory types, its
countries (`when` on `country_iso2`) and its maturity stages (`maturity_stages`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from factory_journey.engine.assessment.catalogue import Catalogue, parse_catalogue
from factory_journey.engine.assessment.methodology import Methodology, parse_methodology
from factory_journey.engine.assessment.proposal_content import ProposalContent


@dataclass(frozen=True, slots=True)
class AcceptedProposal:
    """An accepted proposal version: `reference` is how results name it (`JJ-3 v2`)."""

    proposal_id: int
    version: int
    organisation: str
    accepted_on: str  # ISO date
    content: ProposalContent

    @property
    def reference(self) -> str:
        return f"JJ-{self.proposal_id} v{self.version}"

    @property
    def citation(self) -> str:
        """`JJ-3 v2 "title" by organisation, accepted 2026-12-07` (explanations, reports)."""
        return (
            f"Join the Journey proposal {self.reference} \u201c{self.content.title}\u201d by "
            f"{self.organisation}, accepted {self.accepted_on}"
        )

    @property
    def module_key(self) -> str:
        return f"jj_{self.proposal_id}"


def _module(entry: AcceptedProposal) -> dict[str, Any]:
    content = entry.content
    certainties = {m.certainty for m in content.measures}
    certainty = next(c for c in ("unverified", "secondary", "primary") if c in certainties)
    return {
        "key": entry.module_key,
        "title": f"{content.provider}: {content.title}",
        "owner": entry.organisation,
        "offering": f"Join the Journey proposal {entry.reference}",
        "areas": list(content.impact_areas),
        "certainty": certainty,
        "source": entry.citation,
        "proposal": entry.citation,
    }


def _measures(entry: AcceptedProposal) -> list[dict[str, Any]]:
    content = entry.content
    when = (
        [{"column": "country_iso2", "op": "in", "value": sorted(content.regions)}]
        if "*" not in content.regions
        else []
    )
    out = []
    for n, measure in enumerate(content.measures, start=1):
        out.append(
            {
                "key": f"{entry.module_key}_{n}",
                "title": measure.title,
                "area": measure.area,
                "addresses": list(measure.addresses),
                "factory_types": list(content.factory_types),
                "effects": {k: [low, high] for k, (low, high) in measure.effects.items()},
                "investment": {
                    "basis": measure.investment.basis,
                    "usd": [measure.investment.usd_low, measure.investment.usd_high],
                },
                "modules": [entry.module_key],
                "certainty": measure.certainty,
                "source": f"{entry.citation}; evidence: {measure.evidence}",
                "when": when,
                "maturity_stages": sorted(content.maturity_stages),
                "proposal": entry.citation,
            }
        )
    return out


def extended_documents(
    methodology_document: dict[str, Any],
    catalogue_document: dict[str, Any],
    accepted: list[AcceptedProposal],
    name: str,
    version: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(methodology, catalogue) documents of version `name` (`version`): the bases (deep
    copies; the arguments are not changed) plus the `accepted` proposals, in order."""
    methodology = copy.deepcopy(methodology_document)
    catalogue = copy.deepcopy(catalogue_document)
    base_label = f"{methodology['meta'].get('name')} ({methodology['meta'].get('version')})"
    references = ", ".join(e.reference for e in accepted)
    methodology["meta"].update(
        name=name,
        version=version,
        supersedes=base_label,
        changes=f"{base_label} with the accepted Join the Journey proposals {references} in "
        "its programme catalogue; every threshold, weight and rule is the base's.",
        built_from=[e.citation for e in accepted],
    )
    catalogue["meta"].update(
        version=f"{catalogue['meta'].get('version')}+{version}",
        built_from=[e.citation for e in accepted],
    )
    area_modules = catalogue.setdefault("area_modules", {})
    for entry in accepted:
        catalogue["modules"].append(_module(entry))
        catalogue["measures"].extend(_measures(entry))
        for area in entry.content.impact_areas:
            listed = area_modules.setdefault(area, [])
            if entry.module_key not in listed:
                listed.append(entry.module_key)
    return methodology, catalogue


def parse_version(
    methodology_document: dict[str, Any], catalogue_document: dict[str, Any]
) -> tuple[Methodology, Catalogue]:
    """Both documents validated (`MethodologyError` names every fault)."""
    return parse_methodology(methodology_document), parse_catalogue(catalogue_document)
