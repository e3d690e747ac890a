"""The nested form of a facility profile (pydantic models), built from validated flat rows.

`FacilityProfile` is what `journey profile show` and the site checklist read; the flat spec
(`PROFILES`) and its rules are in `domain.profile`, which re-exports these models lazily so
that a command that only validates tables does not build them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from factory_journey.domain import fem_enums
from factory_journey.domain.profile import ADDITIONAL, PRODVOL, PROFILES
from factory_journey.domain.units import conversion_factor


class ProductionVolume(BaseModel):
    """Shipped/sold volume of one facility type, rejects excluded, as reported."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    quantity: float | None = Field(default=None, description="volume [unit]")
    unit: str | None = Field(default=None, description="unit as reported; None = FEM unit")
    additional_quantity: float | None = Field(
        default=None, description="FEM additional option: the volume in another unit")
    additional_unit: str | None = Field(
        default=None, description="unit of the additional quantity (e.g. SAM)")

    @model_serializer(mode="wrap")
    def _without_empty_option(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # the additional option is shown only when given: profiles without it read as before
        data: dict[str, Any] = handler(self)
        for name in ("additional_quantity", "additional_unit"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


class Programme(BaseModel):
    """One industry programme or certificate (sub-question of `sipindustryprograms`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    programme: str = Field(min_length=1)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    rating: str | None = None
    link: str | None = None
    notes: str | None = None

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _month_year(cls, value: Any) -> Any:
        # FEM asks Month/Year: `2023-04` means the first of that month.
        if isinstance(value, str) and len(value.strip()) == 7:
            return f"{value.strip()}-01"
        return value


class FacilityProfile(BaseModel):
    """FEM Site Information of one facility and reporting year (Ref IDs as field names).

    Quantities: `sipoperatingdays` [day], `siptotalnumemployees` [persons],
    `sipfacilityannualprodvol[key].quantity` [its unit, default the FEM unit of the type],
    `sipaudit_person_days` [person-day], `water_stress_score` [0–5].
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    facility_id: str = Field(min_length=1)
    facility_name: str | None = None
    year: int
    sitecountry: str
    sipfacilitytype: list[str] = Field(min_length=1)
    sipproductcategories: list[str] = Field(default_factory=list)
    sipmaterialtype: list[str] = Field(default_factory=list)
    sipindustrysector: list[str] = Field(default_factory=list)
    sipoperatingdays: float | None = None
    siptotalnumemployees: int | None = None
    sipfacilityannualprodvol: dict[str, ProductionVolume] = Field(default_factory=dict)
    sipfacilityindustrialzone: bool | None = None
    park_id: str | None = None
    sipfreshwaterpretreatused: bool | None = None
    sipfreshwaterpretreatused_types: list[str] = Field(default_factory=list)
    sipfreshwaterpretreatused_operators: int | None = None
    sipindustryprograms: bool | None = None
    sipindustryprograms_programmes: list[Programme] = Field(default_factory=list)
    sipaudit: bool | None = None
    sipaudit_count: int | None = None
    sipaudit_person_days: float | None = None
    sipaudit_types: str | None = None
    sipapprovedtraining: bool | None = None
    sipapprovedtraining_course: str | None = None
    sipapprovedtraining_year: int | None = None
    sipapprovedtraining_trainer_body: str | None = None
    sipapprovedtraining_reference_number: str | None = None
    sipapprovedtraining_attendees: int | None = None
    sipincludedindiscolsure: bool | None = None
    sipincludedindiscolsure_platform: str | None = None
    sipincludedindiscolsure_other: str | None = None
    sip_has_osh_id: bool | None = None
    sip_osh_id: str | None = None
    sip_is_part_of_group: bool | None = None
    sip_parent_worldly_id: str | None = None
    sip_parent_osh_id: str | None = None
    water_stress_score: float | None = None
    verification_status: str = "self-reported"

    @classmethod
    def from_flat(
        cls, row: dict[str, Any], programmes: list[dict[str, Any]] | None = None
    ) -> FacilityProfile:
        """The nested profile of one validated flat row (columns of `PROFILES`; extra
        columns such as the derived ones are ignored)."""
        data: dict[str, Any] = {}
        for column in PROFILES.columns:
            if column.name.startswith(f"{PRODVOL}_"):
                continue
            value = row.get(column.name)
            if value is not None:
                data[column.name] = value
        volumes: dict[str, ProductionVolume] = {}
        for key in fem_enums.facility_types():
            quantity = row.get(f"{PRODVOL}_{key}")
            additional = row.get(f"{PRODVOL}_{key}{ADDITIONAL}")
            if quantity is not None or additional is not None:
                volumes[key] = ProductionVolume(
                    quantity=quantity, unit=row.get(f"{PRODVOL}_{key}_unit"),
                    additional_quantity=additional,
                    additional_unit=row.get(f"{PRODVOL}_{key}{ADDITIONAL}_unit"))
        data[PRODVOL] = volumes
        if programmes:
            data["sipindustryprograms_programmes"] = programmes
        return cls.model_validate(data)

    @property
    def facility_types(self) -> list[str]:
        """FEM facility type keys (the validated `sipfacilitytype`)."""
        return list(self.sipfacilitytype)

    def production_volume(self, facility_type: str) -> float | None:
        """Volume of one facility type in its FEM unit [pcs or kg], or None when not given."""
        volume = self.sipfacilityannualprodvol.get(facility_type)
        if volume is None or volume.quantity is None:
            return None
        info = fem_enums.facility_types()[facility_type]
        unit = volume.unit or info.production_unit
        return volume.quantity * conversion_factor(unit, info.production_unit)

    def to_flat(self) -> dict[str, Any]:
        """The flat record of docs/contracts.md §1 (lists kept as lists; no programmes)."""
        data = self.model_dump(exclude={PRODVOL, "sipindustryprograms_programmes"})
        flat: dict[str, Any] = {}
        for column in PROFILES.columns:
            if column.name.startswith(f"{PRODVOL}_"):
                continue
            flat[column.name] = data.get(column.name)
        for key in fem_enums.facility_types():
            volume = self.sipfacilityannualprodvol.get(key)
            flat[f"{PRODVOL}_{key}"] = volume.quantity if volume else None
            flat[f"{PRODVOL}_{key}_unit"] = volume.unit if volume else None
            if f"{PRODVOL}_{key}{ADDITIONAL}" in PROFILES.column_names:
                flat[f"{PRODVOL}_{key}{ADDITIONAL}"] = (
                    volume.additional_quantity if volume else None)
                flat[f"{PRODVOL}_{key}{ADDITIONAL}_unit"] = (
                    volume.additional_unit if volume else None)
        return flat
