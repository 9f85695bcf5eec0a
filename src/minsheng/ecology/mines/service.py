"""Mine use cases: register mines and red-line zones, the closure work-list (mines inside
the ecological red line, with the overlap area), closures, and the figures of closures.

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s, apply region scope through ``principal.scoped`` and audit every change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shapely.ops import unary_union
from sqlalchemy import ColumnElement, Select, String, case, cast, func, null, or_, select
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common, geometry
from minsheng.ecology.kernel.footprint import area_fields, bbox_overlap, feature, geojson_of

# Published read model: other ecology domains type their results with it.
from minsheng.ecology.mines import rules
from minsheng.ecology.mines.models import Mine as Mine
from minsheng.ecology.mines.models import MineClosure, RedLineZone
from minsheng.ecology.mines.schemas import (
    ClosureCreate,
    ClosureRead,
    MineCreate,
    MineRead,
    MineStatusChange,
    RedLineZoneCreate,
    RedLineZoneRead,
    WorklistItem,
    ZoneOverlap,
)
from minsheng.platform import paging, regions
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, RuleViolation, invalid_field
from minsheng.platform.indicators import RecordSelect
from minsheng.platform.paging import MAX_PAGE_SIZE, Listing, paginate
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped

STATUS_LABELS = {"operating": "生产", "suspended": "停产", "closed": "关闭",
                 "abandoned": "废弃"}
METHOD_LABELS = {"open_pit": "露天开采", "underground": "地下开采"}
SITE_KIND_LABELS = {"mine": "矿山", "waste_stack": "废渣（尾矿）库"}
CLOSURE_REASON_LABELS = {"red_line": "位于生态保护红线内", "sensitive_zone": "位于生态敏感区",
                         "other": "其他"}


# --- views ---------------------------------------------------------------------------


def view_mine(mine: Mine) -> MineRead:
    return MineRead(
        id=mine.id, name=mine.name, region=mine.region, region_name=regions.name_of(mine.region),
        township=mine.township, site_kind=mine.site_kind, mining_right_no=mine.mining_right_no,
        mineral=mine.mineral, mining_method=mine.mining_method,
        operator_name=mine.operator_name, operator_uscc=mine.operator_uscc,
        status=mine.status, waste_volume_m3=mine.waste_volume_m3, notes=mine.notes,
        version=mine.version, geometry=geojson_of(mine), **area_fields(mine))


def view_zone(zone: RedLineZone) -> RedLineZoneRead:
    return RedLineZoneRead(
        id=zone.id, name=zone.name, region=zone.region, region_name=regions.name_of(zone.region),
        function=zone.function, source=zone.source, geometry=geojson_of(zone),
        **area_fields(zone))


def view_closure(closure: MineClosure, mine_name: str) -> ClosureRead:
    return ClosureRead(id=closure.id, mine_id=closure.mine_id, mine_name=mine_name,
                       region=closure.region, closed_date=closure.closed_date,
                       reason=closure.reason, zone_id=closure.zone_id,
                       investment=closure.investment, notes=closure.notes)


# --- mines ---------------------------------------------------------------------------


def register_mine(session: Session, actor: Principal, data: MineCreate) -> Mine:
    """Register a mine (or waste stack) with its polygon; a duplicate mining-right number
    is a 409 naming the record."""
    actor.require("ecology:write")
    region = common.check_region(data.region)
    common.require_region(actor, region)
    uscc = common.check_uscc(data.operator_uscc, "operator_uscc")
    right_no = (data.mining_right_no or "").strip().upper() or None
    fp = data.footprint()
    if right_no is not None:
        existing = session.scalar(select(Mine.id).where(Mine.mining_right_no == right_no))
        if existing is not None:
            raise Conflict(f"采矿许可证号已登记（矿山编号 {existing}）",
                           f"Mining right already registered (mine {existing})",
                           extra={"existing_id": existing,
                                  "location": f"/api/v1/ecology/mines/{existing}"})
    mine = Mine(name=data.name.strip(), region=region, township=data.township.strip(),
                site_kind=data.site_kind, mining_right_no=right_no,
                mineral=data.mineral.strip(), mining_method=data.mining_method,
                operator_name=data.operator_name.strip(), operator_uscc=uscc,
                status=data.status, waste_volume_m3=data.waste_volume_m3,
                notes=data.notes.strip())
    mine.set_footprint(fp)
    session.add(mine)
    session.flush()
    audit.record(session, actor=actor.username, action="mine.register", subject_type="mine",
                 subject_id=mine.id, payload={"region": region, "status": mine.status,
                                              "area_m2": str(mine.record_area_m2),
                                              "area_method": mine.area_method})
    return mine


def read_mine(session: Session, actor: Principal, mine_id: int) -> Mine:
    """A mine in the actor's scope, else 404 (outside the scope it does not exist)."""
    actor.require("ecology:read")
    mine = session.get(Mine, mine_id)
    if mine is None or not common.in_scope(actor, mine.region):
        raise common.not_found("矿山", "Mine", mine_id)
    return mine


def mine_query(actor: Principal, q: str = "", status: str = "") -> Select[Mine]:
    stmt = select(Mine)
    q = q.strip()
    if q:
        stmt = stmt.where(or_(Mine.name.contains(q, autoescape=True),
                              Mine.mining_right_no == q.upper(),
                              Mine.operator_name.contains(q, autoescape=True)))
    if status:
        stmt = stmt.where(Mine.status == status)
    return scoped(stmt, Mine.region, actor)


#: The order of the mine registry's pages and of its export.
MINE_ORDER = (Mine.region, Mine.name, Mine.id)

#: The orders the registry's page and export allow (``?sort=``); the default is MINE_ORDER.
MINE_SORTING = paging.Sorting({
    "region": [Mine.region, Mine.name], "name": Mine.name, "mineral": Mine.mineral,
    "method": Mine.mining_method, "operator": Mine.operator_name, "status": Mine.status,
    "area": Mine.area_m2,
}, default="region", tie_breakers=[Mine.id])


def search_mines(session: Session, actor: Principal, *, q: str = "", status: str = "",
                 page: int = 1, size: int = 50, sort: paging.Sort | None = None
                 ) -> tuple[list[Mine], int]:
    actor.require("ecology:read")
    page, size = max(page, 1), min(max(size, 1), MAX_PAGE_SIZE)
    stmt = mine_query(actor, q, status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(stmt.order_by(*MINE_SORTING.order_by(sort or MINE_SORTING.default))
                            .offset((page - 1) * size).limit(size)).all()
    return list(items), total


def all_mines(session: Session, actor: Principal, *, q: str = "", status: str = "",
              sort: paging.Sort | None = None) -> Iterator[Mine]:
    """Every mine of :func:`search_mines`'s filter in the pages' order, fetched a thousand
    at a time (for the Excel export)."""
    actor.require("ecology:read")
    stmt = mine_query(actor, q, status).order_by(
        *MINE_SORTING.order_by(sort or MINE_SORTING.default))
    yield from session.scalars(stmt.execution_options(yield_per=1_000))


def change_status(session: Session, actor: Principal, mine_id: int,
                  data: MineStatusChange) -> Mine:
    """Record that a mine is operating, suspended or abandoned. Closing a mine goes
    through :func:`close_mine` (with its investment); a closed mine stays closed."""
    actor.require("ecology:write")
    mine = read_mine(session, actor, mine_id)
    common.check_version(mine.version, data.version)
    refusal = rules.status_change_refusal(mine.status, data.status)
    if refusal is not None and data.status == "closed":
        raise invalid_field("status", *refusal)
    if refusal is not None:
        raise Conflict(*refusal)
    before = mine.status
    mine.status = data.status
    flush(session)
    audit.record(session, actor=actor.username, action="mine.status", subject_type="mine",
                 subject_id=mine.id, payload={"before": before, "after": mine.status})
    return mine


def site_ids(kind: str, method: str | None = None) -> Select[int]:
    """For other domains: ids of the sites of one kind (``mine`` or ``waste_stack``),
    of one mining method (``open_pit``, ``underground``) when given."""
    stmt = select(Mine.id).where(Mine.site_kind == kind)
    return stmt if method is None else stmt.where(Mine.mining_method == method)


def mines_by_id(session: Session, ids: list[int]) -> dict[int, Mine]:
    """For other domains' lists: the mines of these ids (scope already applied there)."""
    if not ids:
        return {}
    return {m.id: m for m in session.scalars(select(Mine).where(Mine.id.in_(ids)))}


def mines_without_plan(session: Session, actor: Principal, planned: Select[int], *,
                       page: int = 1) -> Listing[Mine]:
    """Closed and abandoned mines in scope whose id is not in ``planned`` (一矿一策 to do),
    a page with the total."""
    actor.require("ecology:read")
    return paginate(session, _without_plan(actor, planned).order_by(*MINE_ORDER), page)


def all_mines_without_plan(session: Session, actor: Principal, planned: Select[int]
                           ) -> Iterator[Mine]:
    """Every mine of :func:`mines_without_plan` in its order, a thousand at a time (for
    the Excel export)."""
    actor.require("ecology:read")
    stmt = _without_plan(actor, planned).order_by(*MINE_ORDER)
    yield from session.scalars(stmt.execution_options(yield_per=1_000))


def _without_plan(actor: Principal, planned: Select[int]) -> Select[Mine]:
    return scoped(select(Mine).where(Mine.status.in_(("closed", "abandoned")),
                                     Mine.id.not_in(planned)), Mine.region, actor)


# --- red-line zones ------------------------------------------------------------------


def add_zone(session: Session, actor: Principal, data: RedLineZoneCreate) -> RedLineZone:
    """Register a zone of the ecological protection red line with its polygon."""
    actor.require("ecology:write")
    region = common.check_region(data.region)
    common.require_region(actor, region)
    zone = RedLineZone(name=data.name.strip(), region=region, function=data.function.strip(),
                       source=data.source.strip())
    zone.set_footprint(data.footprint())
    session.add(zone)
    session.flush()
    audit.record(session, actor=actor.username, action="red_line_zone.create",
                 subject_type="ecological_red_line_zone", subject_id=zone.id,
                 payload={"region": region, "area_m2": str(zone.record_area_m2)})
    return zone


def list_zones(session: Session, actor: Principal) -> list[RedLineZone]:
    actor.require("ecology:read")
    stmt = scoped(select(RedLineZone), RedLineZone.region, actor)
    return list(session.scalars(stmt.order_by(RedLineZone.region, RedLineZone.name)))


def read_zone(session: Session, actor: Principal, zone_id: int) -> RedLineZone:
    actor.require("ecology:read")
    zone = session.get(RedLineZone, zone_id)
    if zone is None or not common.in_scope(actor, zone.region):
        raise common.not_found("生态保护红线图斑", "Red-line zone", zone_id)
    return zone


# --- the closure work-list -------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    mine: Mine
    zones: list[tuple[RedLineZone, float]]
    overlap_m2: float


def red_line_overlaps(session: Session, actor: Principal,
                      mine_ids: list[int] | None = None) -> list[Overlap]:
    """Mines in scope that lie partly inside a red-line zone, with the overlap area.

    SQL keeps only the (mine, zone) pairs whose bounding boxes meet; Shapely then
    intersects each candidate pair and the geodesic area of the intersection is the
    overlap (zones of any district count: a mine may reach across the boundary)."""
    actor.require("ecology:read")
    stmt = (select(Mine.id, RedLineZone.id)
            .join(RedLineZone, bbox_overlap(Mine, RedLineZone))
            .where(region_filter(Mine.region, actor)))
    if mine_ids is not None:
        stmt = stmt.where(Mine.id.in_(mine_ids))
    pairs = session.execute(stmt).all()
    if not pairs:
        return []
    mines = mines_by_id(session, sorted({m for m, _ in pairs}))
    zones = {z.id: z for z in session.scalars(
        select(RedLineZone).where(RedLineZone.id.in_(sorted({z for _, z in pairs}))))}
    shapes: dict[tuple[str, int], Any] = {}

    def shape(kind: str, row: Mine | RedLineZone) -> Any:
        key = (kind, row.id)
        if key not in shapes:
            shapes[key] = row.shape()
        return shapes[key]

    by_mine: dict[int, list[tuple[RedLineZone, float]]] = defaultdict(list)
    for mine_id, zone_id in pairs:
        mine, zone = mines[mine_id], zones[zone_id]
        area = geometry.overlap_m2(shape("mine", mine), shape("zone", zone), mine.crs)
        if rules.inside_red_line(area):
            by_mine[mine_id].append((zone, area))
    result = []
    for mine_id, hits in by_mine.items():
        mine = mines[mine_id]
        if len(hits) == 1:
            total = hits[0][1]
        else:  # zones may touch or overlap each other: count the mine's area once
            total = geometry.overlap_m2(shape("mine", mine),
                                        unary_union([shape("zone", z) for z, _ in hits]),
                                        mine.crs)
        result.append(Overlap(mine, sorted(hits, key=lambda h: -h[1]), total))
    return result


def closure_worklist(session: Session, actor: Principal, *, pending_only: bool = False
                     ) -> list[WorklistItem]:
    """关闭工作清单: every mine in scope intersecting the red line, with its overlap; the
    ones not yet closed first, largest overlap first."""
    overlaps = red_line_overlaps(session, actor)
    closures = {c.mine_id: c.id for c in session.scalars(
        select(MineClosure).where(MineClosure.mine_id.in_([o.mine.id for o in overlaps])))}
    items = []
    for o in overlaps:
        closed = o.mine.status == "closed" or o.mine.id in closures
        if pending_only and closed:
            continue
        area = float(o.mine.record_area_m2)
        items.append(WorklistItem(
            mine_id=o.mine.id, mine_name=o.mine.name, region=o.mine.region,
            region_name=regions.name_of(o.mine.region), status=o.mine.status,
            mining_right_no=o.mine.mining_right_no, operator_name=o.mine.operator_name,
            area_m2=round(area, 2), overlap_m2=round(o.overlap_m2, 2),
            overlap_ha=round(geometry.ha(o.overlap_m2), 4),
            overlap_share=round(min(o.overlap_m2 / area, 1.0), 4) if area else 0.0,
            zones=[ZoneOverlap(zone_id=z.id, zone_name=z.name, overlap_m2=round(a, 2))
                   for z, a in o.zones],
            closed=closed, closure_id=closures.get(o.mine.id)))
    items.sort(key=lambda i: (i.closed, -i.overlap_m2, i.mine_id))
    return items


# --- closures ------------------------------------------------------------------------


def close_mine(session: Session, actor: Principal, mine_id: int,
               data: ClosureCreate) -> MineClosure:
    """Close a mine (关闭矿山) with the date and investment; the mine becomes ``closed``.
    A mine is closed once (409 otherwise)."""
    actor.require("ecology:write")
    mine = read_mine(session, actor, mine_id)
    common.check_version(mine.version, data.version)
    existing = session.scalar(select(MineClosure.id).where(MineClosure.mine_id == mine.id))
    if existing is not None:
        raise Conflict(f"该矿山已登记关闭（关闭记录 {existing}）",
                       f"The mine's closure is already recorded (closure {existing})",
                       extra={"existing_id": existing})
    if data.zone_id is not None:
        read_zone_any(session, data.zone_id)
    closure = MineClosure(mine_id=mine.id, region=mine.region, closed_date=data.closed_date,
                          reason=data.reason, zone_id=data.zone_id, investment=data.investment,
                          notes=data.notes.strip(), actor=actor.username)
    session.add(closure)
    before = mine.status
    mine.status = "closed"
    flush(session)
    audit.record(session, actor=actor.username, action="mine.close", subject_type="mine",
                 subject_id=mine.id, payload={"closed_date": data.closed_date.isoformat(),
                                              "investment": str(data.investment),
                                              "reason": data.reason, "before": before})
    return closure


def read_zone_any(session: Session, zone_id: int) -> RedLineZone:
    zone = session.get(RedLineZone, zone_id)
    if zone is None:
        raise RuleViolation("生态保护红线图斑不存在", "zone_id: no such red-line zone")
    return zone


def closure_of(session: Session, actor: Principal, mine_id: int) -> MineClosure | None:
    read_mine(session, actor, mine_id)
    return session.scalar(select(MineClosure).where(MineClosure.mine_id == mine_id))


def list_closures(session: Session, actor: Principal,
                  period: common.Period = common.Period()) -> list[tuple[MineClosure, str]]:
    actor.require("ecology:read")
    stmt = (select(MineClosure, Mine.name).join(Mine, Mine.id == MineClosure.mine_id)
            .where(period.contains(MineClosure.closed_date),
                   region_filter(MineClosure.region, actor)))
    return [(c, n) for c, n in session.execute(
        stmt.order_by(MineClosure.closed_date.desc(), MineClosure.id))]


# --- figures -------------------------------------------------------------------------


#: Closures the report counts (关闭生态敏感区非煤矿山): mines closed because they lie
#: inside the ecological red line or an ecologically sensitive zone; a closure for any
#: other reason is not one of them.
COUNTED_CLOSURE_REASONS = ("red_line", "sensitive_zone")


@dataclass(frozen=True)
class ClosureTotals:
    count: int
    investment: Decimal


def _counted_closures(prefix: str, period: common.Period) -> tuple[ColumnElement[bool], ...]:
    return (MineClosure.reason.in_(COUNTED_CLOSURE_REASONS),
            regions.within_sql(MineClosure.region, prefix),
            period.contains(MineClosure.closed_date))


def closure_figures(prefix: str, period: common.Period, by_district: bool = False
                    ) -> Select[Any]:
    """The one definition of the closure figures (the summary page and the scorecard):
    rows ``(key, mines closed, investment)`` of the closures dated (``closed_date``) in
    the period, for a red-line or sensitive-zone reason, in the region ``prefix`` as
    divided today (a closure in 500105 江北区 counts in 500157 两江新区); a mine is
    closed once (``mine_closure.mine_id`` is unique), so it counts once."""
    key = common.district_key(MineClosure.region, by_district)
    return common.grouped(
        select(key, func.count(MineClosure.id),
               func.coalesce(func.sum(MineClosure.investment), 0))
        .where(*_counted_closures(prefix, period)), key, by_district)


def closure_records(prefix: str, period: common.Period) -> RecordSelect:
    """The closures behind :func:`closure_figures`, one row per mine (no personal data)."""
    reason = case(CLOSURE_REASON_LABELS, value=MineClosure.reason, else_=MineClosure.reason)
    return (select(MineClosure.id.label("record"), Mine.name.label("name"),
                   cast(null(), String).label("resident_id"),
                   MineClosure.region.label("region"), MineClosure.closed_date.label("day"),
                   (reason + "；投入资金（元）" + cast(MineClosure.investment, String))
                   .label("detail"))
            .join(Mine, Mine.id == MineClosure.mine_id)
            .where(*_counted_closures(prefix, period))
            .order_by(MineClosure.closed_date, MineClosure.id))


def closure_features(session: Session, prefix: str, period: common.Period
                     ) -> list[dict[str, Any]]:
    """Where the closures behind :func:`closure_figures` lie: each closed mine's polygon
    (layer ``mine_closed``), in the closure's region (the scorecard's map)."""
    rows = session.execute(
        select(Mine, MineClosure.region, MineClosure.closed_date, MineClosure.reason)
        .join(MineClosure, MineClosure.mine_id == Mine.id)
        .where(*_counted_closures(prefix, period))
        .order_by(MineClosure.closed_date, MineClosure.id)).all()
    return [feature(mine, "mine_closed", f"/ecology/mines/{mine.id}", {
        "name": mine.name, "region": region,
        "detail": f"{day.isoformat()} 关闭 · {CLOSURE_REASON_LABELS.get(reason, reason)}"})
        for mine, region, day, reason in rows]


def closure_totals(session: Session, prefix: str, period: common.Period) -> ClosureTotals:
    """Mines closed in the period in the region ``prefix`` and the investment
    (:func:`closure_figures`; the caller has checked the actor may read ``prefix``)."""
    _, count, investment = session.execute(closure_figures(prefix, period)).one()
    return ClosureTotals(int(count), common.yuan(investment))


def map_features(session: Session, actor: Principal) -> list[dict[str, Any]]:
    """GeoJSON features of the mines and red-line zones in scope, for the map page."""
    actor.require("ecology:read")
    features: list[dict[str, Any]] = []
    for zone in list_zones(session, actor):
        features.append(feature(zone, "zone", f"/ecology/closures#zone-{zone.id}", {
            "name": zone.name, "detail": zone.function or "生态保护红线"}))
    for mine in session.scalars(mine_query(actor).order_by(Mine.id)):
        layer = "stack" if mine.site_kind == "waste_stack" else f"mine_{mine.status}"
        features.append(feature(mine, layer, f"/ecology/mines/{mine.id}", {
            "name": mine.name, "detail": f"{mine.mineral} · {STATUS_LABELS[mine.status]}"}))
    return features

