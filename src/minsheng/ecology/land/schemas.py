"""Request and response shapes of the land-consolidation API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field

from minsheng.ecology.kernel.schemas import AreaRead, SiteGeometryIn, Yuan
from minsheng.platform.types import Day


class LandProjectCreate(SiteGeometryIn):
    name: str = Field(min_length=1, max_length=128)
    region: str = Field(max_length=6)
    township: str = Field(default="", max_length=64)
    villages: str = Field(default="", max_length=200)
    national_pilot: bool = False
    investment: Yuan
    new_cultivated_mu: Decimal = Field(default=Decimal(0), ge=0, max_digits=12,
                                       decimal_places=2)
    high_standard_farmland_mu: Decimal = Field(default=Decimal(0), ge=0, max_digits=12,
                                               decimal_places=2)
    start_date: Day | None = None
    acceptance_date: Day | None = None
    notes: str = Field(default="", max_length=2000)


class LandProjectRead(AreaRead):
    id: int
    name: str
    region: str
    region_name: str | None
    township: str
    villages: str
    national_pilot: bool
    investment: Decimal
    new_cultivated_mu: float
    high_standard_farmland_mu: float
    start_date: date | None
    acceptance_date: date | None
    status: str
    notes: str
    version: int
    geometry: dict[str, Any]
