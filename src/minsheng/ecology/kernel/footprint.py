"""The polygon columns every ecology site carries, and their JSON view.

A site stores its GeoJSON (lon/lat, in its datum ``crs``), its bounding box (for the
SQL prefilter of spatial joins: two sites can only intersect if their boxes do) and both
areas in m² with the method that gives the record's area (``geometry`` module docstring).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Float, Numeric, String, Text, and_, case
from sqlalchemy.orm import Mapped, column_property, declared_attr, mapped_column

from minsheng.ecology.kernel import geometry

#: m² with two decimals: exact enough for any survey, summed exactly in SQL.
AreaM2 = Numeric(16, 2)
CENT = Decimal("0.01")


def m2(value: float) -> Decimal:
    """An area in m² rounded half up to 0.01 m² for storage."""
    return Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class SiteFootprint:
    """Mixin: polygon, datum, bounding box, geodesic and planar areas (m²)."""

    geometry_geojson: Mapped[str] = mapped_column(Text)
    crs: Mapped[str] = mapped_column(String(16), default=geometry.CGCS2000)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    area_geodesic_m2: Mapped[Decimal] = mapped_column(AreaM2)
    area_planar_m2: Mapped[Decimal] = mapped_column(AreaM2)
    #: The Gauss–Krüger zone of the planar area, e.g. ``EPSG:4545``.
    planar_crs: Mapped[str] = mapped_column(String(16))
    #: Which area is the record's: ``geodesic`` or ``planar``.
    area_method: Mapped[str] = mapped_column(String(10), default="geodesic")

    @declared_attr
    def area_m2(cls) -> Mapped[Decimal]:
        """The record's area: the planar one where asked, else the geodesic one."""
        site: Any = cls
        return column_property(case((site.area_method == "planar", site.area_planar_m2),
                                    else_=site.area_geodesic_m2))

    def set_footprint(self, fp: geometry.Footprint) -> None:
        self.geometry_geojson = fp.geojson
        self.crs = fp.crs
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = fp.bbox
        self.area_geodesic_m2 = m2(fp.geodesic_m2)
        self.area_planar_m2 = m2(fp.planar_m2)
        self.planar_crs = f"EPSG:{fp.planar_epsg}"
        self.area_method = fp.method

    def shape(self) -> Any:
        return geometry.load(self.geometry_geojson)

    @property
    def record_area_m2(self) -> Decimal:
        """``area_m2`` computed in Python (valid before a flush refreshes the column)."""
        return self.area_planar_m2 if self.area_method == "planar" else self.area_geodesic_m2


def bbox_overlap(a: Any, b: Any) -> ColumnElement[bool]:
    """SQL: the bounding boxes of sites ``a`` and ``b`` (mapped classes or aliases) meet."""
    return and_(a.min_lon <= b.max_lon, a.max_lon >= b.min_lon,
                a.min_lat <= b.max_lat, a.max_lat >= b.min_lat)


def area_fields(site: SiteFootprint) -> dict[str, Any]:
    """The :class:`AreaRead` fields of a stored site."""
    area = float(site.record_area_m2)
    return {
        "area_m2": round(area, 2),
        "area_ha": round(geometry.ha(area), 4),
        "area_mu": round(geometry.mu(area), 2),
        "area_method": geometry.method_label(site.area_method, site.crs,
                                             int(site.planar_crs.split(":")[1])),
        "area_geodesic_m2": float(site.area_geodesic_m2),
        "area_planar_m2": float(site.area_planar_m2),
        "planar_crs": site.planar_crs,
        "crs": site.crs,
    }


def geojson_of(site: SiteFootprint) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(site.geometry_geojson)
    return value


def feature(site: SiteFootprint, layer: str, href: str, props: dict[str, Any]) -> dict[str, Any]:
    """A stored site as a GeoJSON feature for the maps (``static/js/map.js``): id
    ``<layer>-<site id>``, the layer, the link, the region and the area in hectares;
    ``props`` add the name and detail (and may replace the region)."""
    site_any: Any = site
    area = float(site.record_area_m2)
    return {"type": "Feature", "geometry": geojson_of(site),
            "properties": {"id": f"{layer}-{site_any.id}", "layer": layer, "href": href,
                           "region": site_any.region, "area_ha": round(geometry.ha(area), 2),
                           **props}}
