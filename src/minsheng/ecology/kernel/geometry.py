"""Site polygons: GeoJSON in, validity and axis-order checks, areas out. No I/O.

Sources and conventions (``reference/ecology-and-performance.md`` §1.7):

- GeoJSON positions are ``[longitude, latitude]`` in degrees (RFC 7946 §3.1.1); rings
  are closed (first position = last position) and have at least four positions (§3.1.6).
  The datum is WGS 84 (EPSG:4326) by the RFC, or CGCS2000 (EPSG:4490), the national
  datum of GB/T 2260-era surveys; the two differ by centimetres, and every record says
  which one it is in.
- **Geodesic area** on the ellipsoid of the stored datum (CGCS2000: a = 6 378 137 m,
  1/f = 298.257222101, the GRS 80 figures; WGS 84 otherwise), by GeographicLib's
  geodesic polygon area (pyproj ``Geod.polygon_area_perimeter``). That area is signed
  (counter-clockwise positive), so the absolute value of each ring is taken and holes
  are subtracted from their shell, whatever the rings' orientation.
- **Planar area** in the CGCS2000 3-degree Gauss–Krüger zone of the site's centroid
  (EPSG:4534 … 4554 for central meridians 75°E … 135°E, no zone prefix, false easting
  500 km; Fuling lies in the 108°E zone, EPSG:4545). Transforms use ``always_xy`` so
  that the axis order is easting, northing whatever the CRS definition says.
- Never Web Mercator (EPSG:3857) for area.
- 1 ha = 10 000 m²; 1 亩 (mu) = 10 000 / 15 m², so 1 ha = 15 mu. Areas are kept in m²
  and converted only for display.

Intersections (red-line overlap) are computed on lon/lat coordinates with Shapely, i.e.
with straight edges in degrees; for sites of a few kilometres the difference from
geodesic edges is far below survey precision. The area of the intersection is geodesic.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.validation import explain_validity

from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.messages import field_label

#: Datums a site may be given in: CGCS2000 and WGS 84, both geographic lon/lat.
CGCS2000 = "EPSG:4490"
WGS84 = "EPSG:4326"
CRS_ALIASES = {
    "EPSG:4490": CGCS2000, "CGCS2000": CGCS2000, "4490": CGCS2000,
    "EPSG:4326": WGS84, "WGS84": WGS84, "WGS 84": WGS84, "4326": WGS84,
    "CRS84": WGS84, "URN:OGC:DEF:CRS:OGC:1.3:CRS84": WGS84,
    "URN:OGC:DEF:CRS:EPSG::4326": WGS84, "URN:OGC:DEF:CRS:EPSG::4490": CGCS2000,
}
#: Ellipsoid of each datum for pyproj ``Geod`` (CGCS2000 uses the GRS 80 figures).
ELLIPSOIDS = {CGCS2000: "GRS80", WGS84: "WGS84"}
#: CGCS2000 3-degree Gauss–Krüger zones without zone prefix: EPSG code of CM 75°E.
GK_FIRST_EPSG, GK_FIRST_CM, GK_LAST_CM = 4534, 75, 135
#: Rough extent of China (mainland and islands) in degrees, for the axis-order check.
CHINA_LON = (73.4, 135.1)
CHINA_LAT = (3.8, 53.6)
M2_PER_HA = 10_000
MU_PER_HA = 15

AREA_METHODS = ("geodesic", "planar")

_REASONS = {
    "Self-intersection": ("边界自相交", "the boundary intersects itself"),
    "Ring Self-intersection": ("环自相交（同一条边界线在某点自交）", "a ring touches itself"),
    "Hole lies outside shell": ("内环（洞）位于外环之外", "a hole lies outside its shell"),
    "Holes are nested": ("内环（洞）相互嵌套", "holes are nested"),
    "Interior is disconnected": ("内环把多边形分割成了不相连的部分",
                                 "the holes cut the polygon into pieces"),
    "Nested shells": ("多个外环相互嵌套", "polygons of the multipolygon are nested"),
    "Duplicate Rings": ("存在重复的环", "rings are duplicated"),
    "Too few distinct points in geometry component": (
        "环的不同顶点少于3个", "a ring has fewer than 3 distinct vertices"),
    "Invalid Coordinate": ("坐标无效", "a coordinate is invalid"),
    "Ring is not closed": ("环未闭合", "a ring is not closed"),
}
_REASON = re.compile(r"^(?P<reason>[^\[]+?)\s*(\[(?P<x>\S+)\s+(?P<y>\S+)\])?$")


def _refuse(message: str, message_en: str, field: str) -> RuleViolation:
    return RuleViolation(f"{field_label(field)}：{message}", f"{field}: {message_en}",
                         errors=[FieldError(field, message, message_en)])


# --- parsing ------------------------------------------------------------------------


def normalise_crs(value: str | None, field: str = "crs") -> str:
    """``EPSG:4490`` (CGCS2000) or ``EPSG:4326`` (WGS 84, the GeoJSON default)."""
    if value is None or not value.strip():
        return WGS84
    key = value.strip().upper()
    crs = CRS_ALIASES.get(key) or CRS_ALIASES.get(key.replace(" ", ""))
    if crs is None:
        raise _refuse(f"不支持的坐标系“{value}”，请使用经纬度坐标 EPSG:4490（CGCS2000）"
                      "或 EPSG:4326（WGS 84）",
                      f"unsupported CRS {value!r}; use lon/lat EPSG:4490 (CGCS2000) or "
                      "EPSG:4326 (WGS 84)", field)
    return crs


@dataclass(frozen=True)
class _Where:
    """Where in the GeoJSON a problem is, in Chinese and English."""

    zh: str
    en: str

    def then(self, zh: str, en: str) -> _Where:
        return _Where(self.zh + zh, f"{self.en} {en}".strip())


def _num(value: float) -> str:
    return f"{value:.10g}"


def _position(raw: Any, where: _Where, field: str) -> tuple[float, float]:
    if (not isinstance(raw, list | tuple) or len(raw) not in (2, 3)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)):
        raise _refuse(f"{where.zh}应为 [经度, 纬度] 两个数字",
                      f"{where.en} must be [longitude, latitude]", field)
    x, y = float(raw[0]), float(raw[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        raise _refuse(f"{where.zh}含有非有限数值", f"{where.en} is not finite", field)
    check_lon_lat(x, y, where, field)
    return x, y


def check_lon_lat(x: float, y: float, where: _Where | None = None,
                  field: str = "geometry") -> None:
    """Positions are ``[longitude, latitude]`` in degrees inside China (RFC 7946 §3.1.1).

    Refused with a precise reason: projected metres (e.g. Gauss–Krüger eastings),
    a pair that looks swapped (``[29.7, 107.4]``: a latitude-sized first number and a
    longitude-sized second one, for China), a latitude beyond ±90°, or a position
    outside China's extent.
    """
    where = where or _Where("坐标", "position")
    zh, en = f"{where.zh} [{_num(x)}, {_num(y)}]", f"{where.en} [{_num(x)}, {_num(y)}]"
    if abs(x) > 1000 or abs(y) > 1000:
        raise _refuse(f"{zh} 像是投影坐标（米）；请提交经纬度（度），顺序为 [经度, 纬度]",
                      f"{en} looks like projected coordinates in metres; send degrees as "
                      "[longitude, latitude]", field)
    if CHINA_LAT[0] <= x <= CHINA_LAT[1] and CHINA_LON[0] <= y <= CHINA_LON[1]:
        raise _refuse(f"{zh} 的经纬度顺序疑似颠倒：GeoJSON 坐标顺序为 [经度, 纬度]，"
                      f"应为 [{_num(y)}, {_num(x)}]",
                      f"{en} looks like [latitude, longitude]; GeoJSON positions are "
                      f"[longitude, latitude], i.e. [{_num(y)}, {_num(x)}]", field)
    if not -90 <= y <= 90:
        raise _refuse(f"{zh} 的纬度 {_num(y)}° 超出 −90°～90° 范围（坐标顺序为 [经度, 纬度]）",
                      f"{en}: latitude {_num(y)} is outside -90..90 (positions are "
                      "[longitude, latitude])", field)
    if not -180 <= x <= 180:
        raise _refuse(f"{zh} 的经度 {_num(x)}° 超出 −180°～180° 范围",
                      f"{en}: longitude {_num(x)} is outside -180..180", field)
    if not (CHINA_LON[0] <= x <= CHINA_LON[1] and CHINA_LAT[0] <= y <= CHINA_LAT[1]):
        raise _refuse(f"{zh} 位于中国范围（东经73.4°～135.1°，北纬3.8°～53.6°）之外",
                      f"{en} lies outside China (73.4-135.1°E, 3.8-53.6°N)", field)


def _ring(raw: Any, where: _Where, field: str) -> list[tuple[float, float]]:
    if not isinstance(raw, list | tuple):
        raise _refuse(f"{where.zh}应为坐标数组", f"{where.en} must be an array of positions",
                      field)
    points = [_position(p, where.then(f"第{i + 1}个坐标", f"position {i + 1}"), field)
              for i, p in enumerate(raw)]
    if len(points) < 4:
        raise _refuse(f"{where.zh}至少需要4个坐标（首尾相同的闭合环），实有{len(points)}个",
                      f"{where.en} needs at least 4 positions (a closed ring), got "
                      f"{len(points)}", field)
    if points[0] != points[-1]:
        raise _refuse(f"{where.zh}未闭合：首尾坐标应相同（RFC 7946 §3.1.6）",
                      f"{where.en} is not closed: the first and last positions must be equal "
                      "(RFC 7946 §3.1.6)", field)
    return points


def _polygon(raw: Any, where: _Where, field: str) -> Polygon:
    if not isinstance(raw, list | tuple) or not raw:
        raise _refuse(f"{where.zh}应为环的数组（外环在前，内环在后）",
                      f"{where.en} must be an array of rings (shell first, then holes)", field)
    shell = _ring(raw[0], where.then("外环", "shell"), field)
    holes = [_ring(r, where.then(f"第{i + 1}个内环", f"hole {i + 1}"), field)
             for i, r in enumerate(raw[1:])]
    return Polygon(shell, holes)


def _explain(geometry: Polygon | MultiPolygon, field: str) -> RuleViolation:
    reason = explain_validity(geometry)
    match = _REASON.match(reason)
    key = match["reason"].strip() if match else reason
    zh, en = _REASONS.get(key, ("几何图形无效", "the geometry is invalid"))
    at_zh = at_en = ""
    if match and match["x"] is not None:
        x, y = float(match["x"]), float(match["y"])
        at_zh, at_en = f"（位置约 [{x:.6f}, {y:.6f}]）", f" near [{x:.6f}, {y:.6f}]"
    return RuleViolation(
        f"{field_label(field)}：多边形无效，{zh}{at_zh}",
        f"{field}: invalid polygon, {en}{at_en} ({reason})",
        errors=[FieldError(field, f"多边形无效：{zh}{at_zh}", f"invalid polygon: {en}{at_en}")],
        extra={"validity": reason},
    )


def parse_geojson(raw: Any, field: str = "geometry") -> Polygon | MultiPolygon:
    """A GeoJSON ``Polygon`` or ``MultiPolygon`` (or a ``Feature`` holding one) in lon/lat,
    checked position by position and for validity (OGC simple features: no
    self-intersection, holes inside their shell …, via GEOS ``explain_validity``)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _refuse(f"不是有效的 GeoJSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
                          f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                          field) from None
    if isinstance(raw, dict) and raw.get("type") == "Feature":
        raw = raw.get("geometry")
    if isinstance(raw, dict) and raw.get("type") == "FeatureCollection":
        features = raw.get("features") or []
        if len(features) != 1:
            raise _refuse("要素集合应恰好包含一个要素", "a FeatureCollection must hold "
                          "exactly one feature", field)
        raw = features[0].get("geometry") if isinstance(features[0], dict) else None
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        raise _refuse(f"应为 GeoJSON 多边形，收到的类型为“{kind}”",
                      f"expected a GeoJSON Polygon or MultiPolygon, got {kind}", field)
    coordinates = raw.get("coordinates")
    geometry: Polygon | MultiPolygon
    if raw["type"] == "Polygon":
        geometry = _polygon(coordinates, _Where("多边形", "polygon"), field)
    else:
        if not isinstance(coordinates, list | tuple) or not coordinates:
            raise _refuse("多个多边形的坐标应为多边形数组",
                          "MultiPolygon coordinates must be an array of polygons", field)
        geometry = MultiPolygon([
            _polygon(p, _Where(f"第{i + 1}个多边形", f"polygon {i + 1}"), field)
            for i, p in enumerate(coordinates)])
    if not geometry.is_valid:
        raise _explain(geometry, field)
    if geometry.area <= 0:
        raise _refuse("多边形面积为零", "the polygon has no area", field)
    return geometry


def polygons(geometry: Polygon | MultiPolygon) -> Iterator[Polygon]:
    if isinstance(geometry, Polygon):
        yield geometry
    else:
        yield from geometry.geoms


# --- areas --------------------------------------------------------------------------


def _ring_area(geod: Geod, ring: Sequence[tuple[float, float]]) -> float:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    area, _ = geod.polygon_area_perimeter(lons, lats)
    return abs(area)


def geodesic_area_m2(geometry: Polygon | MultiPolygon, crs: str = CGCS2000) -> float:
    """Ellipsoidal area in m²: |shell| − Σ|holes| per polygon, summed (GeographicLib,
    Karney 2013, through pyproj ``Geod``; absolute values, so ring orientation is free)."""
    if geometry.is_empty:
        return 0.0
    geod = Geod(ellps=ELLIPSOIDS[crs])
    total = 0.0
    for polygon in polygons(geometry):
        total += _ring_area(geod, list(polygon.exterior.coords))
        total -= sum(_ring_area(geod, list(r.coords)) for r in polygon.interiors)
    return total


def gauss_kruger_epsg(longitude: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss–Krüger zone (no zone prefix) whose
    central meridian is nearest ``longitude``: 108°E → EPSG:4545 (Fuling)."""
    central = 3 * round(longitude / 3)
    if not GK_FIRST_CM <= central <= GK_LAST_CM:
        raise ValueError(f"no CGCS2000 3-degree zone for longitude {longitude}")
    return GK_FIRST_EPSG + (central - GK_FIRST_CM) // 3


@cache
def _transformer(source: str, epsg: int) -> Transformer:
    return Transformer.from_crs(source, f"EPSG:{epsg}", always_xy=True)


def planar_area_m2(geometry: Polygon | MultiPolygon, crs: str, epsg: int) -> float:
    """Cartesian area in m² after projecting to the Gauss–Krüger zone ``epsg``."""
    transformer = _transformer(crs, epsg)
    projected = shapely.transform(geometry, lambda x, y: transformer.transform(x, y),
                                  interleaved=False)
    return float(projected.area)


def ha(m2: float) -> float:
    return m2 / M2_PER_HA


def mu(m2: float) -> float:
    """亩: 1 ha = 15 mu."""
    return m2 * MU_PER_HA / M2_PER_HA


def ha_to_m2(hectares: float) -> float:
    return hectares * M2_PER_HA


def mu_to_m2(value: float) -> float:
    return value * M2_PER_HA / MU_PER_HA


# --- a site's footprint ----------------------------------------------------------------


@dataclass(frozen=True)
class Footprint:
    """A checked polygon with its datum, bounding box and both areas."""

    geometry: Polygon | MultiPolygon
    crs: str
    geodesic_m2: float
    planar_m2: float
    planar_epsg: int
    method: str  # "geodesic" | "planar": which of the two is the record's area

    @property
    def area_m2(self) -> float:
        return self.planar_m2 if self.method == "planar" else self.geodesic_m2

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        min_x, min_y, max_x, max_y = self.geometry.bounds
        return (min_x, min_y, max_x, max_y)

    @property
    def geojson(self) -> str:
        return json.dumps(mapping(self.geometry), separators=(",", ":"))


def method_label(method: str, crs: str, planar_epsg: int | None) -> str:
    """How an area was computed, as stored with it: ``geodesic:EPSG:4490`` or
    ``planar:EPSG:4545``."""
    if method == "planar":
        return f"planar:EPSG:{planar_epsg}"
    return f"geodesic:{crs}"


def footprint(raw: Any, *, crs: str | None = None, method: str = "geodesic",
              planar_epsg: int | None = None, field: str = "geometry") -> Footprint:
    """Parse and check a site polygon and compute its areas (see the module docstring)."""
    datum = normalise_crs(crs)
    if method not in AREA_METHODS:
        raise _refuse("面积算法应为椭球面算法或高斯-克吕格平面算法",
                      "area_method must be geodesic or planar", "area_method")
    geometry = parse_geojson(raw, field)
    zone = planar_epsg or gauss_kruger_epsg(geometry.centroid.x)
    if not GK_FIRST_EPSG <= zone <= GK_FIRST_EPSG + (GK_LAST_CM - GK_FIRST_CM) // 3:
        raise _refuse("平面面积的投影应为 CGCS2000 3度带高斯-克吕格投影 EPSG:4534～4554",
                      "planar_epsg must be a CGCS2000 3-degree Gauss-Kruger zone, "
                      "EPSG:4534-4554", "planar_epsg")
    return Footprint(geometry, datum, geodesic_area_m2(geometry, datum),
                     planar_area_m2(geometry, datum, zone), zone, method)


def load(geojson: str) -> Polygon | MultiPolygon:
    """A stored (already checked) geometry back as a Shapely object."""
    geometry = shapely.from_geojson(geojson)
    if not isinstance(geometry, Polygon | MultiPolygon):
        raise ValueError("stored geometry is not a polygon")
    return geometry


def overlap_m2(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon,
               crs: str = CGCS2000) -> float:
    """Geodesic area of the intersection of two sites (0 when they only touch)."""
    if not a.intersects(b):
        return 0.0
    common = a.intersection(b)
    parts = [g for g in getattr(common, "geoms", [common])
             if isinstance(g, Polygon | MultiPolygon) and not g.is_empty]
    return sum(geodesic_area_m2(p, crs) for p in parts)
