"""Request and response shapes of the registry API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from minsheng.platform.types import Day, Input, Version


class PersonCreate(Input):
    resident_id: str = Field(max_length=32)
    name: str = Field(max_length=64)
    phone: str = Field(default="", max_length=20)
    hukou_region: str = Field(max_length=6)
    residence_region: str = Field(max_length=6)
    hukou_type: str = Field(max_length=8, description="urban | rural")
    household_no: str | None = Field(default=None, max_length=32)
    household_relation: Literal["head", "spouse", "child", "parent", "other"] | None = None


class PersonUpdate(Input):
    """Changes to a person; ``version`` is the one the editor saw (optimistic locking)."""

    version: Version
    name: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=20)
    hukou_region: str | None = Field(default=None, max_length=6)
    residence_region: str | None = Field(default=None, max_length=6)
    hukou_type: str | None = Field(default=None, max_length=8)


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    resident_id: str
    resident_id_masked: bool
    name: str
    birth_date: date
    gender: Literal["M", "F"]
    phone: str
    hukou_region: str
    hukou_region_name: str | None
    residence_region: str
    residence_region_name: str | None
    hukou_type: str
    household_id: int | None
    household_relation: str | None
    status: str
    version: int


class HouseholdCreate(Input):
    address_region: str = Field(max_length=6)
    address: str = Field(default="", max_length=200)


class HouseholdRead(BaseModel):
    id: int
    household_no: str
    address_region: str
    address: str
    members: list[PersonRead]


class EmployerCreate(Input):
    uscc: str = Field(max_length=32)
    name: str = Field(max_length=128)
    region: str = Field(max_length=6)
    industry: str = Field(max_length=1)
    size_class: str = Field(max_length=8)
    work_injury_risk_class: int | None = Field(default=None, ge=1, le=8)


class EmployerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    uscc: str
    name: str
    region: str
    region_name: str | None
    industry: str
    size_class: str
    work_injury_risk_class: int | None
    version: int


class DeathRecord(Input):
    death_date: Day
