"""Schema pieces every ecology API shares: a polygon in, areas out, money."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from minsheng.ecology.kernel import geometry
from minsheng.ecology.kernel.geometry import Footprint
from minsheng.platform.types import Input, Yuan

__all__ = ["AreaRead", "SiteGeometryIn", "Yuan"]


class AreaRead(BaseModel):
    """Areas of a site: m² as stored, hectares and mu derived (1 ha = 15 mu)."""

    area_m2: float
    area_ha: float
    area_mu: float
    area_method: str
    area_geodesic_m2: float
    area_planar_m2: float
    planar_crs: str
    crs: str


class SiteGeometryIn(Input):
    """A polygon as GeoJSON (``Polygon`` or ``MultiPolygon``, ``[lon, lat]`` degrees), its
    datum, and which area is the record's."""

    geometry: dict[str, Any] | str = Field(
        description="GeoJSON Polygon or MultiPolygon (or a Feature holding one), lon/lat")
    crs: str | None = Field(default=None, max_length=64,
                            description="EPSG:4490 (CGCS2000) or EPSG:4326 (WGS 84, default)")
    area_method: Literal["geodesic", "planar"] = Field(
        default="geodesic", description="geodesic (ellipsoidal) or planar (Gauss–Krüger)")
    planar_epsg: int | None = Field(
        default=None, ge=1024, le=32767,
        description="CGCS2000 3-degree Gauss–Krüger zone, EPSG:4534–4554; "
                    "default: the zone of the centroid (EPSG:4545 for Fuling)")

    def footprint(self) -> Footprint:
        """The checked polygon with its areas (``RuleViolation`` naming the problem)."""
        return geometry.footprint(self.geometry, crs=self.crs, method=self.area_method,
                                  planar_epsg=self.planar_epsg)
