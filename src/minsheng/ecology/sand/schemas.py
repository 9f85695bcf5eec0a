"""Request and response shapes of the surplus sand-and-gravel API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field

from minsheng.ecology.kernel.schemas import AreaRead, SiteGeometryIn, Yuan
from minsheng.platform.types import Day, Input, Version


class SandCaseCreate(SiteGeometryIn):
    """A disposal case: the construction project and its approved red-line polygon."""

    project_name: str = Field(min_length=1, max_length=128)
    region: str = Field(max_length=6)
    estimated_volume_m3: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    project_use_m3: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    utilisation_plan: str = Field(default="", max_length=4000)


class NoticeCreate(Input):
    start_on: Day
    #: Blank: the period in force for the case's region and month (SandNoticeRule).
    workdays: int | None = Field(default=None, ge=1, le=60, description="公示期（工作日）")
    version: Version | None = None


class AuctionCreate(Input):
    """The auction on the public-resource trading platform (recorded, not integrated)."""

    auction_date: Day
    trading_platform: str = Field(min_length=1, max_length=128)
    lot_no: str = Field(default="", max_length=64)
    buyer: str = Field(min_length=1, max_length=128)
    revenue: Yuan = Field(gt=0)
    city_share_percent: Decimal = Field(ge=0, le=100, max_digits=7, decimal_places=4)
    version: Version | None = None


class SandCaseRead(AreaRead):
    id: int
    case_no: str
    project_name: str
    region: str
    region_name: str | None
    estimated_volume_m3: Decimal
    project_use_m3: Decimal
    surplus_volume_m3: Decimal
    utilisation_plan: str
    state: str
    notice_start: date | None
    notice_end: date | None
    trading_platform: str
    lot_no: str
    auction_date: date | None
    buyer: str
    revenue: Decimal | None
    city_share_percent: Decimal | None
    city_amount: Decimal | None
    district_amount: Decimal | None
    version: int
    geometry: dict[str, Any]
