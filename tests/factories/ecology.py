"""Builders for ecology tests: polygons of known size (computed independently of the code
under test) and records made through the real services."""

from __future__ import annotations

import itertools
import math
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from minsheng.ecology.greenmines import service as greenmines
from minsheng.ecology.land import service as land
from minsheng.ecology.land.models import LandConsolidationProject
from minsheng.ecology.land.schemas import LandProjectCreate
from minsheng.ecology.mines import service as mines
from minsheng.ecology.mines.models import Mine, RedLineZone
from minsheng.ecology.mines.schemas import ClosureCreate, MineCreate, RedLineZoneCreate
from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.models import RestorationPlan
from minsheng.ecology.restoration.schemas import AcceptanceCreate, PlanCreate, ProgressCreate
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

#: Near Fuling (29.7°N 107.4°E).
LON0, LAT0 = 107.4, 29.7
#: CGCS2000 / GRS 80 ellipsoid.
A, F = 6_378_137.0, 1 / 298.257222101
E2 = F * (2 - F)
_rights = itertools.count(1)


def degrees_per_metre(lat: float) -> tuple[float, float]:
    """(dλ, dφ) in degrees for one metre east and north at ``lat``, from the meridian
    radius M = a(1−e²)/(1−e² sin²φ)^3/2 and the prime-vertical radius N = a/√(1−e² sin²φ)
    (textbook geodesy; independent of pyproj)."""
    phi = math.radians(lat)
    w = 1 - E2 * math.sin(phi) ** 2
    m = A * (1 - E2) / w ** 1.5
    n = A / math.sqrt(w)
    return math.degrees(1 / (n * math.cos(phi))), math.degrees(1 / m)


def square(lon: float = LON0, lat: float = LAT0, side_m: float = 1000.0,
           clockwise: bool = False) -> list[list[float]]:
    """A closed ring of a square of ``side_m`` metres whose south-west corner is (lon, lat)."""
    dlon, dlat = degrees_per_metre(lat + side_m * degrees_per_metre(lat)[1] / 2)
    x1, y1 = lon + side_m * dlon, lat + side_m * dlat
    ring = [[lon, lat], [x1, lat], [x1, y1], [lon, y1], [lon, lat]]
    return ring[::-1] if clockwise else ring


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    dlon, dlat = degrees_per_metre(lat)
    return lon + east_m * dlon, lat + north_m * dlat


def mine(session: Session, actor: Principal = SYSTEM, *, region: str = "500102",
         geometry: dict[str, Any] | None = None, status: str = "operating",
         **overrides: Any) -> Mine:
    data = {"name": "测试石灰岩矿", "region": region, "mineral": "建筑石料用灰岩",
            "mining_method": "open_pit", "status": status,
            "geometry": geometry or polygon(square()),
            "mining_right_no": f"C5001022020{next(_rights):012d}", **overrides}
    return mines.register_mine(session, actor, MineCreate(**data))


def zone(session: Session, actor: Principal = SYSTEM, *, region: str = "500102",
         geometry: dict[str, Any] | None = None, name: str = "测试红线") -> RedLineZone:
    return mines.add_zone(session, actor, RedLineZoneCreate(
        name=name, region=region, geometry=geometry or polygon(square(side_m=3000))))


def closed_mine(session: Session, *, region: str = "500102", lon: float = LON0,
                lat: float = LAT0, side_m: float = 500.0, investment: str = "1000000",
                closed_date: date = date(2019, 5, 1)) -> Mine:
    site = mine(session, region=region, geometry=polygon(square(lon, lat, side_m)))
    mines.close_mine(session, SYSTEM, site.id, ClosureCreate(
        closed_date=closed_date, investment=Decimal(investment), reason="sensitive_zone"))
    return site


def accepted_plan(session: Session, *, region: str = "500102", hectares: str = "10",
                  spent: str = "1000000", accepted_date: date = date(2020, 6, 30),
                  lon: float = LON0, lat: float = LAT0, kind: str = "mine",
                  obligor: str | None = None, method: str = "open_pit") -> RestorationPlan:
    site = mine(session, region=region, status="abandoned", site_kind=kind,
                mining_method=method, geometry=polygon(square(lon, lat, 400.0)))
    plan = restoration.file_plan(session, SYSTEM, PlanCreate(
        mine_id=site.id, mode="engineered", target_land_use="forest",
        planned_area_ha=Decimal(hectares), budget=Decimal(spent), obligor_name=obligor,
        deadline=date(2021, 12, 31)))
    restoration.report_progress(session, SYSTEM, plan.id, ProgressCreate(
        quarter=f"{accepted_date.year}Q1", area_restored_ha=Decimal(hectares),
        money_spent=Decimal(spent)))
    restoration.accept_plan(session, SYSTEM, plan.id, AcceptanceCreate(accepted_date=accepted_date))
    return plan


def land_project(session: Session, *, region: str = "500102", side_m: float = 1000.0,
                 investment: str = "5000000", farmland_mu: str = "1000",
                 new_mu: str = "100", start: date | None = date(2018, 3, 1),
                 accepted: date | None = date(2019, 6, 30), lon: float = LON0,
                 lat: float = LAT0) -> LandConsolidationProject:
    return land.register_project(session, SYSTEM, LandProjectCreate(
        name="测试土地整治项目", region=region, geometry=polygon(square(lon, lat, side_m)),
        investment=Decimal(investment), high_standard_farmland_mu=Decimal(farmland_mu),
        new_cultivated_mu=Decimal(new_mu), start_date=start, acceptance_date=accepted))


def standard_sets(session: Session) -> None:
    greenmines.ensure_standard_sets(session, SYSTEM)


def fuling_clerk(session: Session, region: str = "500102") -> Principal:
    return f.staff(session, "nr_officer", region)
