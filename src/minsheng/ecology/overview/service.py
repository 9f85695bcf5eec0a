"""The ecology indicators of a region and period, and the map's features, gathered from
each sub-domain's service (closures, restoration, green mines, sand, land).

Every figure is computed from records by the sub-domain's figures statement
(``closure_figures``, ``restored_figures``, ``restored_share``, ``green_figures``,
``sand_figures``, ``land_figures``): the same statements the sub-domains' scorecard
indicators (``<sub-domain>/indicators.py``) compute, so this page and the scorecard
cannot disagree. The share of the city's restored area and the rank among districts use
city-wide aggregates only: no record of another district is read.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import MultiPoint, Polygon, mapping
from sqlalchemy.orm import Session

from minsheng.ecology.greenmines import service as greenmines
from minsheng.ecology.kernel import common
from minsheng.ecology.land import service as land
from minsheng.ecology.mines import service as mines
from minsheng.ecology.overview import rules
from minsheng.ecology.overview.schemas import (
    ClosureFigures,
    DistrictArea,
    EcologySummary,
    GreenFigures,
    LandFigures,
    RestorationFigures,
    SandFigures,
)
from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.sand import service as sand
from minsheng.platform import regions
from minsheng.platform.errors import Forbidden
from minsheng.platform.security.principal import Principal

#: How a region prefix is shown when it is not one division.
WHOLE = "全部地区"


def region_prefix(actor: Principal, region: str | None) -> str:
    """The prefix the summary covers: ``region`` (a GB/T 2260 code or prefix) or the
    actor's own scope; it must lie inside the actor's scope."""
    prefix = regions.scope_prefix((region if region is not None else actor.region_code).strip())
    if not prefix.startswith(actor.region_prefix):
        raise Forbidden(f"地区 {region} 不在您的管辖范围内",
                        f"Region {region} is outside your scope")
    return prefix


def prefix_name(prefix: str) -> str:
    if not prefix:
        return WHOLE
    return regions.name_of(prefix.ljust(6, "0")) or prefix


def _restoration(session: Session, prefix: str, period: common.Period) -> RestorationFigures:
    """The restoration figures from the statements the scorecard reads too: the region's
    (``restored_figures``), its share of the city (``restored_share``) and every district
    of the province for the ranking (``restored_figures`` by district)."""
    by_district = restoration.accepted_by_district(session, prefix[:2], period)
    mine = restoration.restored_totals(session, prefix, period)
    other = restoration.restored_totals(session, prefix, period, "waste_stack")
    area, city = restoration.share_totals(session, prefix, period)
    areas = {r: d.area_m2 for r, d in by_district.items()}
    if not prefix:  # everything: the total of every district on record
        city = sum(areas.values(), common.yuan(0))
    is_district = len(prefix) == 6
    ranked = sorted(by_district.items(), key=lambda kv: (-kv[1].area_m2, kv[0]))
    return RestorationFigures(
        plans=mine.plans, area_ha=common.m2_to_ha(mine.area_m2), funds=mine.funds,
        city_area_ha=common.m2_to_ha(city),
        share=rules.share(area, city) if prefix else None,
        rank=rules.competition_rank(prefix, areas) if is_district else None,
        districts=[DistrictArea(region=r, region_name=regions.name_of(r), plans=d.plans,
                                area_ha=common.m2_to_ha(d.area_m2), funds=d.funds,
                                rank=rules.competition_rank(r, areas) or 0)
                   for r, d in ranked],
        other_sites=other.plans, other_area_ha=common.m2_to_ha(other.area_m2),
        other_funds=other.funds)


def summary(session: Session, actor: Principal, *, region: str | None = None,
            period: common.Period = common.Period()) -> EcologySummary:
    """The ecology figures of the Fuling report for a region and period: mines closed and
    the investment; accepted restoration area, funds, share of the city and rank; green
    mines and their construction metrics; sand-and-gravel revenue; land consolidation."""
    actor.require("ecology:read")
    prefix = region_prefix(actor, region)
    closures = mines.closure_totals(session, prefix, period)
    green = greenmines.green_totals(session, prefix, period)
    sand_figures = sand.sand_totals(session, prefix, period)
    land_figures = land.land_totals(session, prefix, period)
    return EcologySummary(
        region=prefix, region_name=prefix_name(prefix), date_from=period.start,
        date_to=period.end,
        closures=ClosureFigures(mines=closures.count, investment=closures.investment),
        restoration=_restoration(session, prefix, period),
        green_mines=GreenFigures(mines=green.mines, investment=green.investment,
                                 **green.metrics),
        sand=SandFigures(cases=sand_figures.cases, revenue=sand_figures.revenue,
                         city_amount=sand_figures.city_amount,
                         district_amount=sand_figures.district_amount,
                         surplus_m3=sand_figures.surplus_m3),
        land=LandFigures(projects=land_figures.projects, investment=land_figures.investment,
                         area_ha=common.m2_to_ha(land_figures.area_m2),
                         high_standard_farmland_mu=land_figures.high_standard_farmland_mu,
                         new_cultivated_mu=land_figures.new_cultivated_mu))


#: Map layers in drawing order (later ones on top), with their legend labels.
LAYERS = {
    "zone": "生态保护红线", "land": "土地综合整治项目", "sand": "剩余砂石处置项目",
    "mine_operating": "生产矿山", "mine_suspended": "停产矿山", "mine_closed": "已关闭矿山",
    "mine_abandoned": "废弃矿山", "restored": "已验收修复矿山", "stack": "废渣（磷石膏）库",
}


def map_features(session: Session, actor: Principal) -> list[dict[str, Any]]:
    """Every polygon in scope as a GeoJSON feature with its layer, name and link."""
    restored = restoration.restored_mine_ids(session, actor)
    features = [*land.map_features(session, actor), *sand.map_features(session, actor)]
    for feature in mines.map_features(session, actor):
        props = feature["properties"]
        if props["layer"].startswith("mine_") and int(props["id"].split("-")[1]) in restored:
            props["layer"] = "restored"
            props["detail"] += " · 修复已验收"
        features.append(feature)
    order = list(LAYERS)
    return sorted(features, key=lambda f: order.index(f["properties"]["layer"]))


# --- district outlines -------------------------------------------------------------------

#: The outline layer and its legend label: the project holds no boundary polygons of the
#: districts (GB/T 2260 codes and names only), so a district is outlined by the hull of its
#: sites on record, an illustrative extent (示意范围), never the administrative boundary.
DISTRICT_LAYER = "district"
DISTRICT_LABEL = "区县范围（示意，由登记图斑外包推算）"


def district_outlines(session: Session, actor: Principal,
                      features: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One outline per district of the sites in the actor's scope (``features``, default
    :func:`map_features`): the convex hull of every vertex of the district's sites, under
    the district as divided today (a site under 500105 江北区 counts in 500157 两江新区).
    A district whose sites make no area (one point or a line) gets none. The hull is
    derived from the held geometries only: no coordinate is added."""
    actor.require("ecology:read")
    if features is None:
        features = map_features(session, actor)
    today = regions.rollup_map()
    points: dict[str, list[tuple[float, float]]] = {}
    for feature in features:
        region = str(feature["properties"].get("region") or "")
        if not region:
            continue
        district = today.get(region, region)
        points.setdefault(district, []).extend(
            (pt[0], pt[1]) for pt in _all_points(feature["geometry"]))
    outlines = []
    for district, vertices in sorted(points.items()):
        hull = MultiPoint(vertices).convex_hull
        if not isinstance(hull, Polygon) or hull.is_empty:
            continue
        name = regions.name_of(district) or district
        outlines.append({"type": "Feature", "geometry": mapping(hull), "properties": {
            "id": f"{DISTRICT_LAYER}-{district}", "layer": DISTRICT_LAYER, "region": district,
            "name": f"{name}（示意范围）", "label": f"{name}（示意范围）",
            "detail": "由本区登记图斑的凸包推算的示意范围，非行政区划界线"}})
    return outlines


def _all_points(geometry: dict[str, Any]) -> list[list[float]]:
    """Every vertex of a Polygon or MultiPolygon (outer rings and holes)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    return [pt for polygon in polygons for ring in polygon for pt in ring]


# --- the drawing pad ---------------------------------------------------------------------

#: Chongqing's extent, the drawing pad's view when no site is on record yet.
CHONGQING_BOX = (105.28, 28.16, 110.19, 32.2)


def _box(box: tuple[float, float, float, float]) -> dict[str, Any]:
    x0, y0, x1, y1 = box
    return {"type": "Feature", "properties": {"id": "extent", "layer": "extent", "name": ""},
            "geometry": {"type": "Polygon",
                         "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}}


def drawing_background(session: Session, actor: Principal) -> dict[str, Any]:
    """The drawing pad's background when a new site is drawn: the sites in scope and an
    invisible extent around them (Chongqing when there are none yet)."""
    features = map_features(session, actor)
    xs = [pt[0] for f in features for pt in _points(f["geometry"])]
    ys = [pt[1] for f in features for pt in _points(f["geometry"])]
    box = (min(xs) - 0.02, min(ys) - 0.02, max(xs) + 0.02, max(ys) + 0.02) if xs \
        else CHONGQING_BOX
    return {"type": "FeatureCollection", "features": [_box(box), *features]}


def _points(geometry: dict[str, Any]) -> list[list[float]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    return [pt for polygon in polygons for pt in polygon[0]]
