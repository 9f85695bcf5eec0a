"""Demo data for the ecology module: Fuling's records from the report (涪陵区, 500102) and
other Chongqing districts, so that shares and ranks mean something.

Everything goes through the real services (checks, areas, audit). The polygons are
illustrative (示意): plausible shapes near each place, not surveyed boundaries; their
areas are made to match the reported figures (the Lisi village project is 537 ha, the
Dashun pilot 404.13 ha). The Fuling totals reproduce the report:

- 18 non-coal mines closed inside red-line zones, 290 million yuan;
- 2 surplus sand-and-gravel cases, 150 million yuan (the report's 约1.5亿元);
- 392.2 ha of abandoned open-pit mines restored for 232 million yuan, 17.71 % of the
  city's total and the first among districts; the phosphogypsum stack (18 million m³,
  < 1,000 m from the Yangtze, 780 mu, 155 million yuan) as a separate restoration;
- 14 green mines for 80 million yuan and more, with their construction metrics;
- 74 land-consolidation projects, 540 million yuan, 263,000 mu of high-standard
  farmland and 27,100 mu of new cultivated land (十三五, 2016–2020).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, mapping
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.ecology.greenmines import service as greenmines
from minsheng.ecology.greenmines.schemas import (
    AssessmentCreate,
    ConstructionMetrics,
    PreconditionAnswer,
    ScoreIn,
)
from minsheng.ecology.greenmines.standard_sets import NATIONAL_2020
from minsheng.ecology.kernel import geometry
from minsheng.ecology.land import service as land
from minsheng.ecology.land.schemas import LandProjectCreate
from minsheng.ecology.mines import service as mines
from minsheng.ecology.mines.models import Mine
from minsheng.ecology.mines.schemas import ClosureCreate, MineCreate, RedLineZoneCreate
from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.rules import CaseAction
from minsheng.ecology.restoration.schemas import (
    AcceptanceCreate,
    CaseCreate,
    CaseStep,
    PlanCreate,
    ProgressCreate,
)
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.schemas import AuctionCreate, NoticeCreate, SandCaseCreate
from minsheng.platform.db import unit_of_work
from minsheng.platform.ids import uscc_check_char
from minsheng.platform.security.principal import SYSTEM

FULING = "500102"
#: The marker of a loaded demo: the Zhangjiawan quarry's (illustrative) mining right.
ZHANGJIAWAN_RIGHT = "C5001022011047130112345"
SEED = 20210118
#: Fuling's figures in the report.
CLOSURE_INVESTMENT = Decimal("290000000.00")
RESTORED_HA = Decimal("392.2")
RESTORATION_FUNDS = Decimal("232000000.00")
GREEN_INVESTMENT = Decimal("80460000.00")
GREEN_METRICS = {"industrial_square_m2": 102_400, "roads_hardened_m": 10_360,
                 "trees_planted": 81_250, "enclosed_workshop_m2": 151_800, "greening_m2": 43_200,
                 "reclaimed_m2": 80_600}
LAND_INVESTMENT = Decimal("540000000.00")
FARMLAND_MU = Decimal("263000")
NEW_CULTIVATED_MU = Decimal("27100")
#: Accepted restoration of the other districts (ha): 392.2 ÷ (392.2 + 1,822.4) = 17.71 %.
OTHER_DISTRICTS: tuple[tuple[str, float, float, str], ...] = (
    ("500101", 108.38, 30.80, "310.5"), ("500116", 106.26, 29.25, "268.4"),
    ("500117", 106.28, 30.00, "221.7"), ("500110", 106.65, 29.00, "190.2"),
    ("500119", 107.12, 29.15, "176.3"), ("500115", 107.08, 29.90, "150.8"),
    ("500156", 107.78, 29.35, "132.6"), ("500113", 106.56, 29.38, "118.4"),
    ("500118", 105.93, 29.33, "96.5"), ("500230", 107.75, 29.88, "78.2"),
    ("500233", 108.05, 30.30, "48.6"), ("500236", 109.46, 31.02, "30.2"),
)
FULING_TOWNSHIPS = ("百胜镇", "珍溪镇", "南沱镇", "清溪镇", "焦石镇", "马武镇", "石沱镇",
                    "蔺市街道", "新妙镇", "龙潭镇", "白涛街道", "义和街道", "罗云乡", "增福乡",
                    "同乐乡", "大木乡", "青羊镇", "李渡街道", "武陵山乡", "荔枝街道", "江东街道",
                    "崇义街道", "马鞍街道", "敦仁街道", "龙桥街道")
MINERALS = ("建筑石料用灰岩", "砖瓦用页岩", "建筑用砂岩", "水泥用灰岩", "石英砂岩", "建筑用白云岩")


@dataclass(frozen=True)
class EcologyDemo:
    loaded: bool
    mines: int = 0
    land_projects: int = 0
    plans: int = 0


# --- shapes ----------------------------------------------------------------------------

_A, _F = 6_378_137.0, 1 / 298.257222101
_E2 = _F * (2 - _F)


def _metres_per_degree(lat: float) -> tuple[float, float]:
    """(east, north) metres per degree at ``lat`` on the CGCS2000 ellipsoid."""
    phi = math.radians(lat)
    w = 1 - _E2 * math.sin(phi) ** 2
    north = _A * (1 - _E2) / w ** 1.5
    east = _A / math.sqrt(w) * math.cos(phi)
    return math.radians(1) * east, math.radians(1) * north


def blob(lon: float, lat: float, area_m2: float, rng: random.Random,
         vertices: int = 9, stretch: float = 1.0) -> Polygon:
    """A star-shaped (so simple) polygon around ``(lon, lat)`` whose geodesic area is
    ``area_m2`` (to about 1 m²), with jittered radii; coordinates rounded to 1e-9°."""
    east, north = _metres_per_degree(lat)
    angle0 = rng.uniform(0, 2 * math.pi)
    shape = [(angle0 + 2 * math.pi * k / vertices + rng.uniform(-0.2, 0.2),
              rng.uniform(0.75, 1.25)) for k in range(vertices)]
    scale = math.sqrt(area_m2 / math.pi)
    polygon = Polygon()
    for _ in range(4):
        ring = [(round(lon + scale * r * math.cos(a) * stretch / east, 9),
                 round(lat + scale * r * math.sin(a) / north, 9)) for a, r in shape]
        polygon = Polygon(ring)
        scale *= math.sqrt(area_m2 / geometry.geodesic_area_m2(polygon))
    return polygon


def _geojson(shape: Polygon | MultiPolygon) -> dict[str, Any]:
    return dict(mapping(shape))


def _distribute(total: Decimal, weights: Sequence[float], quantum: Decimal) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, each a multiple of ``quantum``, the
    parts adding up to ``total`` exactly (the rounding remainder goes to the last)."""
    whole = sum(weights)
    parts = [(total * Decimal(repr(w / whole))).quantize(quantum) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def _uscc(region: str, n: int) -> str:
    body = f"91{region}MA{n:07d}"
    return body + uscc_check_char(body)


class _Placer:
    """Places sites so that they do not overlap what is already placed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: list[Polygon | MultiPolygon] = []

    def free(self, shape: Polygon | MultiPolygon, gap: float = 0.002) -> bool:
        grown = shape.buffer(gap)
        return not any(grown.intersects(t) for t in self.taken)

    def place(self, centre: tuple[float, float], spread: float, area_m2: float, *,
              inside: Polygon | MultiPolygon | None = None, avoid: Sequence[Any] = (),
              vertices: int = 9) -> Polygon:
        for attempt in range(400):
            lon = centre[0] + self.rng.uniform(-spread, spread)
            lat = centre[1] + self.rng.uniform(-spread, spread)
            shape = blob(lon, lat, area_m2, self.rng, vertices)
            if inside is not None and not inside.contains(shape.centroid):
                continue
            if any(shape.intersects(a) for a in avoid):
                continue
            if self.free(shape) or attempt > 300:
                self.taken.append(shape)
                return shape
        raise RuntimeError("could not place a demo site")


# --- the seed -------------------------------------------------------------------------


def seed_ecology(target: sessionmaker[Session] | Session) -> EcologyDemo:
    """Load the ecology demo (idempotent: a database that has the Zhangjiawan quarry is
    left alone). Takes a session factory (one unit of work) or the caller's session."""
    if isinstance(target, Session):
        return _seed(target)
    with unit_of_work(target) as session:
        return _seed(session)


def _seed(session: Session) -> EcologyDemo:
    if session.scalar(select(Mine.id).where(Mine.mining_right_no == ZHANGJIAWAN_RIGHT)):
        return EcologyDemo(loaded=False)
    rng = random.Random(SEED)
    placer = _Placer(rng)
    greenmines.ensure_standard_sets(session, SYSTEM)
    zones = _zones(session, placer, rng)
    counts = _Counts()
    _fuling_closures_and_restoration(session, placer, rng, zones, counts)
    _pending_closures(session, placer, rng, zones, counts)
    _phosphogypsum(session, counts)
    _green_mines(session, placer, rng, zones, counts)
    _sand(session, placer, counts)
    _land(session, placer, rng, zones, counts)
    _other_districts(session, rng, counts)
    return EcologyDemo(loaded=True, mines=counts.mines, land_projects=counts.land,
                       plans=counts.plans)


@dataclass
class _Counts:
    mines: int = 0
    land: int = 0
    plans: int = 0
    uscc: int = 100


def _zones(session: Session, placer: _Placer, rng: random.Random) -> list[Polygon]:
    specs = (
        ("涪陵区北部山地水源涵养生态保护红线（示意）", "水源涵养", (107.25, 29.92), 3_500),
        ("乌江涪陵段水土保持生态保护红线（示意）", "水土保持", (107.47, 29.53), 3_000),
        ("涪陵区南部武陵山余脉生物多样性维护红线（示意）", "生物多样性维护", (107.63, 29.42),
         4_000),
        ("长江涪陵段岸线生态保护红线（示意）", "水土保持", (107.13, 29.80), 2_000),
    )
    shapes = []
    for name, function, centre, hectares in specs:
        shape = blob(*centre, hectares * 10_000.0, rng, vertices=14)
        placer.taken.append(shape)
        shapes.append(shape)
        mines.add_zone(session, SYSTEM, RedLineZoneCreate(
            name=name, region=FULING, function=function, geometry=_geojson(shape),
            crs=geometry.CGCS2000,
            source="重庆市生态保护红线划定方案（演示示意范围，非正式边界）"))
    return shapes


def _mine(session: Session, shape: Polygon, counts: _Counts, **fields: Any) -> Mine:
    counts.mines += 1
    data = {"region": FULING, "mining_method": "open_pit", "crs": geometry.CGCS2000,
            "geometry": _geojson(shape), **fields}
    return mines.register_mine(session, SYSTEM, MineCreate(**data))


def _quarters(start: date, count: int) -> list[str]:
    year, quarter = start.year, (start.month - 1) // 3 + 1
    labels = []
    for _ in range(count):
        labels.append(f"{year}Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return labels


def _restore(session: Session, mine: Mine, *, area_ha: Decimal, funds: Decimal,
             start: date, quarters: int, accepted_date: date | None, obligor: str | None,
             obligor_uscc: str | None, mode: str, land_use: str, counts: _Counts,
             rng: random.Random) -> int:
    """A plan with quarterly reports adding up to ``area_ha`` and ``funds``; accepted on
    ``accepted_date`` unless it is ``None``. Returns the plan id."""
    counts.plans += 1
    plan = restoration.file_plan(session, SYSTEM, PlanCreate(
        mine_id=mine.id, mode=mode, target_land_use=land_use, planned_area_ha=area_ha,
        budget=(funds * Decimal("1.05")).quantize(Decimal("1")), obligor_name=obligor,
        obligor_uscc=obligor_uscc, deadline=start + timedelta(days=91 * quarters + 180)))
    weights = [rng.uniform(0.6, 1.4) for _ in range(quarters)]
    share = Decimal(1) if accepted_date is not None else Decimal("0.45")  # still in progress
    areas = _distribute((area_ha * share).quantize(Decimal("0.0001")), weights, Decimal("0.0001"))
    money = _distribute((funds * share).quantize(Decimal("0.01")), weights, Decimal("0.01"))
    for label, area, spent in zip(_quarters(start, quarters), areas, money, strict=True):
        restoration.report_progress(session, SYSTEM, plan.id, ProgressCreate(
            quarter=label, area_restored_ha=area, money_spent=spent,
            note="完成削坡减荷、危岩清理、覆土复绿" if mode == "engineered"
            else "补植补造、抚育管护"))
    if accepted_date is not None:
        restoration.accept_plan(session, SYSTEM, plan.id, AcceptanceCreate(
            accepted_date=accepted_date, accepted_area_ha=area_ha))
    return plan.id


def _after(start: date, quarters: int, days: int) -> date:
    """``days`` after the end of the last of ``quarters`` quarters from ``start``."""
    months = start.year * 12 + start.month - 1 + 3 * quarters
    return date(months // 12, months % 12 + 1, 1) + timedelta(days=days - 1)


def _fuling_closures_and_restoration(session: Session, placer: _Placer, rng: random.Random,
                                     zones: list[Polygon], counts: _Counts) -> None:
    """18 closed mines inside the red line, 6 abandoned legacy pits, all restored and
    accepted (392.2 ha, 232 million yuan); one restored through a substituted-restoration
    case; two more pits in progress (one of them under a case with a reminder served)."""
    areas = _distribute(RESTORED_HA, [rng.uniform(0.6, 1.5) for _ in range(24)],
                        Decimal("0.01"))
    funds = _distribute(RESTORATION_FUNDS, [float(a) * rng.uniform(0.8, 1.2) for a in areas],
                        Decimal("10000"))
    closure_money = _distribute(CLOSURE_INVESTMENT, [rng.uniform(0.5, 1.6) for _ in range(18)],
                                Decimal("10000"))
    for n in range(24):
        closed = n < 18
        zone = zones[n % 4]
        area_m2 = float(areas[n]) * 10_000 * rng.uniform(1.0, 1.12)
        shape = placer.place(zone.centroid.coords[0] if closed else (107.35, 29.65),
                             0.05 if closed else 0.25, area_m2, inside=zone if closed else None,
                             avoid=() if closed else zones)
        township = FULING_TOWNSHIPS[n % len(FULING_TOWNSHIPS)]
        counts.uscc += 1
        operator = f"涪陵区{township[:2]}{MINERALS[n % len(MINERALS)][:2]}矿业有限公司"
        operator_uscc = _uscc(FULING, counts.uscc)
        mine = _mine(session, shape, counts, name=f"{township}{'关闭' if closed else '废弃'}"
                     f"{MINERALS[n % len(MINERALS)]}矿{'（历史遗留）' if not closed else ''}",
                     township=township, mineral=MINERALS[n % len(MINERALS)],
                     mining_right_no=f"C50010220{10 + n % 8:02d}0{n:02d}7130{n:06d}"
                     if closed else None,
                     operator_name=operator if closed else "",
                     operator_uscc=operator_uscc if closed else None,
                     status="operating" if closed else "abandoned")
        start = date(2019, 1 + 3 * (n % 3), 1)
        quarters = (4, 5, 5)[n % 3]  # every site accepted by the end of 2020
        if closed:
            mines.close_mine(session, SYSTEM, mine.id, ClosureCreate(
                closed_date=date(2017 + n % 3, 1 + n % 12, 10 + n % 15),
                investment=closure_money[n], reason="red_line",
                notes="位于生态保护红线内，依法有序退出（关闭补偿、设备拆除、安全处置）"))
        if n == 5:  # the operator refused: the government restores and recovers the cost
            _substituted(session, mine, areas[n], funds[n], operator, operator_uscc, counts,
                         rng)
            continue
        _restore(session, mine, area_ha=areas[n], funds=funds[n], start=start,
                 quarters=quarters, accepted_date=_after(start, quarters, 20 + n),
                 obligor=operator if closed else None,
                 obligor_uscc=operator_uscc if closed else None,
                 mode="engineered" if n % 3 else "assisted",
                 land_use=("forest", "farmland", "grassland", "forest")[n % 4], counts=counts,
                 rng=rng)
    for n, (name, state) in enumerate((("马武镇废弃建筑石料用灰岩矿（历史遗留）", None),
                                       ("焦石镇废弃砖瓦用页岩矿（原页岩砖厂）", "reminder"))):
        shape = placer.place((107.45, 29.50), 0.15, 9.5e4 * (n + 1), avoid=zones)
        counts.uscc += 1
        obligor_uscc = _uscc(FULING, counts.uscc)
        mine = _mine(session, shape, counts, name=name, township=name[:3], mineral="建筑石料用灰岩",
                     status="abandoned",
                     operator_name="" if state is None else "涪陵区焦石页岩砖厂",
                     operator_uscc=None if state is None else obligor_uscc)
        plan_id = _restore(session, mine, area_ha=Decimal("9.5") * (n + 1),
                           funds=Decimal("3800000") * (n + 1),
                           start=(date(2025, 4, 1), date(2026, 1, 1))[n],
                           quarters=2, accepted_date=None,
                           obligor=None if state is None else "涪陵区焦石页岩砖厂",
                           obligor_uscc=None if state is None else obligor_uscc,
                           mode="engineered", land_use="forest", counts=counts, rng=rng)
        if state == "reminder":
            case = restoration.open_case(session, SYSTEM, CaseCreate(plan_id=plan_id,
                                                                      filed_date=date(2025, 12, 1)))
            for action, day, extra in (
                    (CaseAction.DEPOSIT_FUND, date(2025, 12, 20),
                     {"amount": Decimal("2600000"), "bank": "中国农业银行涪陵分行",
                      "agreement_no": "涪规资监〔2025〕17号"}),
                    (CaseAction.START_PERFORMANCE, date(2026, 1, 5), {}),
                    (CaseAction.ISSUE_REMINDER, date(2026, 9, 30),
                     {"note": "第三季度进度滞后，限15日内恢复施工"})):
                restoration.act(session, SYSTEM, case.id, action, CaseStep(on=day, **extra))


def _pending_closures(session: Session, placer: _Placer, rng: random.Random,
                      zones: list[Polygon], counts: _Counts) -> None:
    """Two operating quarries reaching into the red line: the closure work-list's to-do."""
    for n, (zone, fraction) in enumerate(((zones[0], 0.15), (zones[2], 0.6))):
        for attempt in range(200):
            edge = zone.exterior.interpolate((fraction + 0.01 * attempt) % 1, normalized=True)
            shape = blob(edge.x, edge.y, rng.uniform(8, 14) * 10_000, rng)
            if placer.free(shape, gap=0.0005):
                break
        placer.taken.append(shape)
        counts.uscc += 1
        township = ("青羊镇", "武陵山乡")[n]
        _mine(session, shape, counts, name=f"{township}建筑石料用灰岩矿（采矿权延续审查中）",
              township=township, mineral="建筑石料用灰岩",
              mining_right_no=f"C500102201507713000{n + 900:04d}",
              operator_name=f"重庆{township[:2]}石材有限公司",
              operator_uscc=_uscc(FULING, counts.uscc), status="operating",
              notes="矿区范围部分位于生态保护红线内，列入关闭退出工作清单")


def _substituted(session: Session, mine: Mine, area_ha: Decimal, funds: Decimal,
                 obligor: str, obligor_uscc: str, counts: _Counts, rng: random.Random) -> None:
    """A case run to its end: the deposit does not cover the government's cost, the
    shortfall is recovered in part, the site is accepted and the result posted."""
    counts.plans += 1
    plan = restoration.file_plan(session, SYSTEM, PlanCreate(
        mine_id=mine.id, mode="engineered", target_land_use="forest", planned_area_ha=area_ha,
        budget=funds, obligor_name=obligor, obligor_uscc=obligor_uscc,
        deadline=date(2019, 12, 31)))
    case = restoration.open_case(session, SYSTEM, CaseCreate(plan_id=plan.id,
                                                              filed_date=date(2018, 9, 3)))
    deposit = (funds * Decimal("0.55")).quantize(Decimal("10000"))
    fee = Decimal("186000.00")
    steps: list[tuple[CaseAction, date, dict[str, Any]]] = [
        (CaseAction.DEPOSIT_FUND, date(2018, 9, 20),
         {"amount": deposit, "bank": "重庆农村商业银行涪陵分行",
          "agreement_no": "涪规资监〔2018〕05号"}),
        (CaseAction.START_PERFORMANCE, date(2018, 10, 8), {}),
        (CaseAction.ISSUE_REMINDER, date(2019, 3, 29), {"note": "未按方案进度实施，限期30日履行"}),
        (CaseAction.RECORD_DEFAULT, date(2019, 5, 6),
         {"default_kind": "refused", "note": "义务人书面表示不再履行修复义务"}),
        (CaseAction.TAKE_OVER, date(2019, 6, 3),
         {"contractor": "重庆市涪陵区生态修复工程有限公司", "cost_estimate": funds}),
    ]
    for action, day, extra in steps:
        restoration.act(session, SYSTEM, case.id, action, CaseStep(on=day, **extra))
    weights = [rng.uniform(0.7, 1.3) for _ in range(5)]
    for label, area, spent in zip(_quarters(date(2019, 7, 1), 5),
                                  _distribute(area_ha, weights, Decimal("0.0001")),
                                  _distribute(funds, weights, Decimal("0.01")), strict=True):
        restoration.report_progress(session, SYSTEM, plan.id, ProgressCreate(
            quarter=label, area_restored_ha=area, money_spent=spent,
            note="政府代为实施：削坡、挡墙、覆土复绿"))
    shortfall = funds + fee - deposit
    for action, day, extra in (
            (CaseAction.DRAW_DEPOSIT, date(2020, 9, 18), {"actual_cost": funds,
                                                          "assessment_fee": fee}),
            (CaseAction.OPEN_RECOVERY, date(2020, 9, 25), {}),
            (CaseAction.RECORD_PAYMENT, date(2020, 11, 20),
             {"amount": (shortfall * Decimal("0.6")).quantize(Decimal("0.01"))}),
            (CaseAction.ACCEPT, date(2020, 12, 10), {"accepted_area_ha": area_ha}),
            (CaseAction.PUBLISH_NOTICE, date(2020, 12, 14), {"notice_days": 30})):
        restoration.act(session, SYSTEM, case.id, action, CaseStep(on=day, **extra))


def _phosphogypsum(session: Session, counts: _Counts) -> None:
    """The phosphogypsum stack behind the Nananpu works of Sinochem Fuling: 18 million m³
    less than 1,000 m from the Yangtze, covered and regreened over 780 mu for 155 million
    yuan after the works stopped in 2019."""
    rng = random.Random(SEED + 1)
    shape = blob(107.336, 29.708, 780 * 10_000 / 15 * 1.08, rng, vertices=11)
    counts.uscc += 1
    company_uscc = _uscc(FULING, counts.uscc)
    stack = _mine(session, shape, counts, name="中化涪陵化工南岸浦厂区磷石膏库",
                  township="南岸浦", site_kind="waste_stack", mineral="磷石膏（工业副产石膏）",
                  operator_name="中化重庆涪陵化工有限公司", operator_uscc=company_uscc,
                  status="closed", waste_volume_m3=Decimal("18000000"),
                  notes="堆体总量约1800万立方米，距长江直线距离不足1000米；2019年厂区全面停产后"
                        "实施覆膜、覆土、复绿和排洪疏水系统工程，拟建城市生态休闲公园。")
    _restore(session, stack, area_ha=Decimal(780) / 15, funds=Decimal("155000000"),
             start=date(2019, 7, 1), quarters=6, accepted_date=date(2020, 12, 28),
             obligor="中化重庆涪陵化工有限公司", obligor_uscc=company_uscc, mode="engineered",
             land_use="grassland", counts=counts, rng=rng)


def _scores(rng: random.Random, low: float, high: float, weak: str | None = None,
            weak_share: float = 0.7) -> dict[str, ScoreIn]:
    evidence = {"A": "现场核查：矿区道路硬化、自动喷淋，厂区整洁", "B": "开采设计与年度复垦报告",
                "C": "固废与废水综合利用台账", "D": "能耗统计及在线监测数据",
                "E": "湿式钻孔、数码电子雷管逐孔延时爆破；智能调度系统",
                "F": "管理体系文件、社区走访记录"}
    scores = {}
    for category in NATIONAL_2020["categories"]:
        for item in category["items"]:
            share = weak_share if category["code"] == weak else rng.uniform(low, high)
            value = (item["max_score"] * Decimal(repr(share)) * 2).quantize(Decimal("1")) / 2
            scores[item["code"]] = ScoreIn(score=value, evidence=evidence[category["code"]])
    return scores


def _green_mines(session: Session, placer: _Placer, rng: random.Random,
                 zones: list[Polygon], counts: _Counts) -> None:
    """14 large and medium mines pass the 2020 assessment (Zhangjiawan first), one
    misses the 75 % floor of a category, one the 800-point line."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(14)]
    weights[0] = 2.2  # the Zhangjiawan quarry is the showcase
    investments = _distribute(GREEN_INVESTMENT, weights, Decimal("10000"))
    metrics = {k: _distribute(Decimal(v), weights, Decimal("1"))
               for k, v in GREEN_METRICS.items()}
    yes = {p: PreconditionAnswer(met=True, evidence="证照及信用核查通过")
           for p in ("P1", "P2", "P3", "P4", "P5")}
    for n in range(16):
        counts.uscc += 1
        if n == 0:
            centre, name, township = (107.50, 29.63), "张家湾建筑石料用灰岩矿山", "百胜镇"
            operator = "重庆大业科技集团有限公司"
        else:
            centre = (107.05 + 0.6 * rng.random(), 29.40 + 0.55 * rng.random())
            township = FULING_TOWNSHIPS[(n * 7) % len(FULING_TOWNSHIPS)]
            name = f"{township}{MINERALS[n % len(MINERALS)]}矿"
            operator = f"重庆涪陵{township[:2]}建材有限公司"
        shape = placer.place(centre, 0.02, rng.uniform(18, 45) * 10_000, avoid=zones)
        mine = _mine(session, shape, counts, name=name, township=township,
                     mineral=MINERALS[n % len(MINERALS)] if n else "建筑石料用灰岩",
                     mining_right_no=ZHANGJIAWAN_RIGHT if n == 0 else
                     f"C5001022014{n:02d}7130{n + 500:06d}",
                     operator_name=operator, operator_uscc=_uscc(FULING, counts.uscc),
                     status="operating",
                     notes="企业投资12亿元建设智能化绿色矿山：密闭碎石车间、收尘喷淋、污水循环、"
                           "湿式钻孔与数码雷管逐孔爆破" if n == 0 else "")
        if n < 14:
            scores = _scores(rng, 0.90 if n == 0 else 0.82, 0.98 if n == 0 else 0.95)
            data = AssessmentCreate(
                set_code="MNR-2020", assessed_date=date(2020, 7 + n % 6, 8 + n),
                assessor="重庆市第三方绿色矿山评估机构", preconditions=yes, scores=scores,
                investment=investments[n],
                metrics=ConstructionMetrics(**{k: int(v[n]) if k == "trees_planted" else v[n]
                                               for k, v in metrics.items()}))
        else:
            weak = ("E", None)[n - 14]
            scores = _scores(rng, 0.82 if weak else 0.76, 0.9 if weak else 0.79, weak=weak)
            data = AssessmentCreate(set_code="MNR-2020", assessed_date=date(2020, 11, 20 + n - 14),
                                    assessor="重庆市第三方绿色矿山评估机构", preconditions=yes,
                                    scores=scores)
        greenmines.assess(session, SYSTEM, mine.id, data)


def _sand(session: Session, placer: _Placer, counts: _Counts) -> None:
    """Two disposals, 150 million yuan (the report's 约1.5亿元; split 30:70 city:district,
    a demo value)."""
    for name, centre, hectares, volume, use, revenue, day in (
            ("涪陵至丰都高速公路涪陵段路基工程剩余砂石", (107.52, 29.74), 36, "2650000",
             "980000", "86500000", date(2019, 8, 5)),
            ("白涛化工园区二期场平工程剩余砂石", (107.50, 29.56), 48, "2140000", "620000",
             "63500000", date(2020, 4, 13))):
        shape = placer.place(centre, 0.02, hectares * 10_000.0)
        case = sand.register_case(session, SYSTEM, SandCaseCreate(
            project_name=name, region=FULING, geometry=_geojson(shape), crs=geometry.CGCS2000,
            estimated_volume_m3=Decimal(volume), project_use_m3=Decimal(use),
            utilisation_plan="经专家评审的砂石资源利用方案：项目自用于路基回填和混凝土骨料，"
                             "剩余部分由区政府依托国有企业在公共资源交易平台公开处置"))
        sand.publish_notice(session, SYSTEM, case.id, NoticeCreate(start_on=day))
        sand.record_auction(session, SYSTEM, case.id, AuctionCreate(
            auction_date=day + timedelta(days=21), trading_platform="重庆市公共资源交易中心",
            lot_no=f"CQGGZY-KC-{day.year}-{case.id:03d}", buyer="重庆市涪陵区国有资产投资经营集团",
            revenue=Decimal(revenue), city_share_percent=Decimal(30)))


def _land(session: Session, placer: _Placer, rng: random.Random, zones: list[Polygon],
          counts: _Counts) -> None:
    """74 projects of the 13th five-year plan: the Lisi village project (537 ha, 2018-11 to
    2019-06), the Dashun national pilot (3 villages, 404.13 ha, 50.63 million yuan), and
    72 others; the totals are the report's."""
    others = 72
    lisi = placer.place((107.40, 29.765), 0.004, 537 * 10_000.0, vertices=12)
    land.register_project(session, SYSTEM, LandProjectCreate(
        name="江北街道李寺村土地整治项目", region=FULING, township="江北街道", villages="李寺村",
        geometry=_geojson(lisi), crs=geometry.CGCS2000, investment=Decimal("10360000"),
        new_cultivated_mu=Decimal("520"), high_standard_farmland_mu=Decimal("6200"),
        start_date=date(2018, 11, 1), acceptance_date=date(2019, 6, 28),
        notes="“巴掌田”变宜耕地，青菜头（榨菜原料）种植大户增至5户"))
    parts = [placer.place((107.60 + dx, 29.47 + dy), 0.003, ha * 10_000.0, vertices=10)
             for (dx, dy), ha in (((0, 0), 151.27), ((0.03, 0.02), 138.51),
                                  ((0.01, -0.028), 114.35))]
    land.register_project(session, SYSTEM, LandProjectCreate(
        name="大顺乡全域土地综合整治国家试点项目", region=FULING, township="大顺乡",
        villages="大田村等3个村", national_pilot=True, geometry=_geojson(MultiPolygon(parts)),
        crs=geometry.CGCS2000, investment=Decimal("50630000"), new_cultivated_mu=Decimal("410"),
        high_standard_farmland_mu=Decimal("4800"), start_date=date(2020, 6, 1),
        notes="推动“稻田＋、旅游＋、生态＋”发展，改善农村生产、生活、生态空间"))
    weights = [rng.uniform(0.75, 1.25) for _ in range(others)]
    investment = _distribute(LAND_INVESTMENT - Decimal("10360000") - Decimal("50630000"),
                             weights, Decimal("10000"))
    farmland = _distribute(FARMLAND_MU - 6200 - 4800, weights, Decimal("1"))
    new = _distribute(NEW_CULTIVATED_MU - 520 - 410, weights, Decimal("1"))
    for n in range(others):
        area_m2 = float(farmland[n]) / 15 * 10_000 * rng.uniform(1.12, 1.3)
        shape = placer.place((107.36, 29.68), 0.32, area_m2, avoid=zones, vertices=10)
        township = FULING_TOWNSHIPS[n % len(FULING_TOWNSHIPS)]
        start = date(2016 + n % 5, 1 + (n * 5) % 12, 1)
        land.register_project(session, SYSTEM, LandProjectCreate(
            name=f"{township}{('高标准农田建设', '土地整理', '宜机化整治')[n % 3]}项目"
                 f"（{n + 1:02d}）",
            region=FULING, township=township, geometry=_geojson(shape), crs=geometry.CGCS2000,
            investment=investment[n], new_cultivated_mu=new[n],
            high_standard_farmland_mu=farmland[n], start_date=start,
            acceptance_date=start + timedelta(days=300 + 20 * (n % 9))))
    counts.land += others + 2


def _other_districts(session: Session, rng: random.Random, counts: _Counts) -> None:
    """Restoration in twelve more districts (1,822.4 ha), and a few closures, green mines
    and land projects, so that the city's totals and the districts' ranks are real."""
    placer = _Placer(rng)
    for k, (region, lon, lat, hectares) in enumerate(OTHER_DISTRICTS):
        sites = 3 + k % 3
        areas = _distribute(Decimal(hectares), [rng.uniform(0.6, 1.4) for _ in range(sites)],
                            Decimal("0.01"))
        for n, area in enumerate(areas):
            shape = placer.place((lon, lat), 0.08, float(area) * 10_000 * 1.05)
            counts.mines += 1
            mine = mines.register_mine(session, SYSTEM, MineCreate(
                name=f"废弃{MINERALS[(k + n) % len(MINERALS)]}露天矿（{n + 1}号）", region=region,
                mineral=MINERALS[(k + n) % len(MINERALS)], mining_method="open_pit",
                status="abandoned", geometry=_geojson(shape), crs=geometry.CGCS2000))
            _restore(session, mine, area_ha=area,
                     funds=(area * Decimal("480000") * Decimal(repr(rng.uniform(0.8, 1.2))))
                     .quantize(Decimal("10000")),
                     start=date(2019, 1 + 3 * (n % 4), 1), quarters=4,
                     accepted_date=_after(date(2019, 1 + 3 * (n % 4), 1), 4, 15 + n),
                     obligor=None, obligor_uscc=None,
                     mode=("engineered", "assisted", "natural")[n % 3],
                     land_use=("forest", "farmland", "grassland")[n % 3], counts=counts,
                     rng=rng)
        if k % 2 == 0:
            shape = placer.place((lon, lat), 0.1, rng.uniform(6, 15) * 10_000)
            counts.mines += 1
            counts.uscc += 1
            mine = mines.register_mine(session, SYSTEM, MineCreate(
                name=f"{MINERALS[k % len(MINERALS)]}矿（生态敏感区）", region=region,
                mineral=MINERALS[k % len(MINERALS)], mining_method="open_pit",
                status="operating", operator_name="区属建材有限公司",
                operator_uscc=_uscc(region, counts.uscc), geometry=_geojson(shape),
                crs=geometry.CGCS2000))
            mines.close_mine(session, SYSTEM, mine.id, ClosureCreate(
                closed_date=date(2019, 3 + k % 9, 1),
                investment=Decimal(rng.randint(300, 1600)) * 10_000, reason="sensitive_zone"))
        if k % 3 == 0:
            shape = placer.place((lon, lat), 0.12, rng.uniform(150, 320) * 10_000)
            area_mu = geometry.mu(geometry.geodesic_area_m2(shape))
            land.register_project(session, SYSTEM, LandProjectCreate(
                name="高标准农田建设项目", region=region, geometry=_geojson(shape),
                crs=geometry.CGCS2000, investment=Decimal(rng.randint(600, 1800)) * 10_000,
                new_cultivated_mu=Decimal(int(area_mu * 0.05)),
                high_standard_farmland_mu=Decimal(int(area_mu * 0.8)),
                start_date=date(2018 + k % 3, 3, 1), acceptance_date=date(2020, 10, 30)))
            counts.land += 1
