"""The ecology indicators (the Fuling report's figures) and the map's features."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


class DistrictArea(BaseModel):
    region: str
    region_name: str | None
    plans: int
    area_ha: float
    funds: Decimal
    rank: int


class RestorationFigures(BaseModel):
    """Accepted restoration of abandoned open-pit mines (废弃露天矿山生态修复)."""

    plans: int
    area_ha: float
    funds: Decimal
    city_area_ha: float
    share: Decimal | None  # of the city's total, a fraction (0.1771 = 17.71 %)
    rank: int | None  # among the city's districts, 1 = largest area
    districts: list[DistrictArea]
    other_sites: int  # waste stacks and the like (磷石膏库), not in the figures above
    other_area_ha: float
    other_funds: Decimal


class ClosureFigures(BaseModel):
    mines: int
    investment: Decimal


class GreenFigures(BaseModel):
    mines: int
    investment: Decimal
    industrial_square_m2: Decimal
    enclosed_workshop_m2: Decimal
    greening_m2: Decimal
    trees_planted: int
    roads_hardened_m: Decimal
    reclaimed_m2: Decimal


class SandFigures(BaseModel):
    cases: int
    revenue: Decimal
    city_amount: Decimal
    district_amount: Decimal
    surplus_m3: Decimal


class LandFigures(BaseModel):
    projects: int
    investment: Decimal
    area_ha: float
    high_standard_farmland_mu: Decimal
    new_cultivated_mu: Decimal


class EcologySummary(BaseModel):
    region: str
    region_name: str
    date_from: date | None
    date_to: date | None
    closures: ClosureFigures
    restoration: RestorationFigures
    green_mines: GreenFigures
    sand: SandFigures
    land: LandFigures


class FeatureCollection(BaseModel):
    type: str = "FeatureCollection"
    features: list[dict[str, Any]]
