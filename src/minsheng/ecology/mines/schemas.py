"""Request and response shapes of the mines API (mines, red-line zones, closures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from minsheng.ecology.kernel.schemas import AreaRead, SiteGeometryIn, Yuan
from minsheng.platform.types import Day, Id, Input, Version


class MineCreate(SiteGeometryIn):
    name: str = Field(min_length=1, max_length=128)
    region: str = Field(max_length=6)
    township: str = Field(default="", max_length=64)
    site_kind: Literal["mine", "waste_stack"] = "mine"
    mining_right_no: str | None = Field(default=None, max_length=32)
    mineral: str = Field(min_length=1, max_length=64)
    mining_method: Literal["open_pit", "underground"]
    operator_name: str = Field(default="", max_length=128)
    operator_uscc: str | None = Field(default=None, max_length=32)
    status: Literal["operating", "suspended", "closed", "abandoned"] = "operating"
    waste_volume_m3: Decimal | None = Field(default=None, ge=0, max_digits=16,
                                            decimal_places=2)
    notes: str = Field(default="", max_length=2000)


class MineStatusChange(Input):
    status: Literal["operating", "suspended", "closed", "abandoned"]
    version: Version


class MineRead(AreaRead):
    id: int
    name: str
    region: str
    region_name: str | None
    township: str
    site_kind: str
    mining_right_no: str | None
    mineral: str
    mining_method: str
    operator_name: str
    operator_uscc: str | None
    status: str
    waste_volume_m3: Decimal | None
    notes: str
    version: int
    geometry: dict[str, Any]


class RedLineZoneCreate(SiteGeometryIn):
    name: str = Field(min_length=1, max_length=128)
    region: str = Field(max_length=6)
    function: str = Field(default="", max_length=32)
    source: str = Field(default="", max_length=200)


class RedLineZoneRead(AreaRead):
    id: int
    name: str
    region: str
    region_name: str | None
    function: str
    source: str
    geometry: dict[str, Any]


class ClosureCreate(Input):
    closed_date: Day
    investment: Yuan
    reason: Literal["red_line", "sensitive_zone", "other"] = "red_line"
    zone_id: Id | None = None
    notes: str = Field(default="", max_length=2000)
    version: Version | None = Field(default=None, description="the mine's version you saw")


class ClosureRead(BaseModel):
    id: int
    mine_id: int
    mine_name: str
    region: str
    closed_date: date
    reason: str
    zone_id: int | None
    investment: Decimal
    notes: str


class ZoneOverlap(BaseModel):
    zone_id: int
    zone_name: str
    overlap_m2: float


class WorklistItem(BaseModel):
    """A mine that intersects the ecological red line, with the area inside it."""

    mine_id: int
    mine_name: str
    region: str
    region_name: str | None
    status: str
    mining_right_no: str | None
    operator_name: str
    area_m2: float
    overlap_m2: float
    overlap_ha: float
    overlap_share: float
    zones: list[ZoneOverlap]
    closed: bool
    closure_id: int | None
