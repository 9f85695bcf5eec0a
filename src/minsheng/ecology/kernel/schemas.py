"""Schema pieces every ecology API shares: a polygon in, areas out, money."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from minsheng.ecology.kernel import geometry
from minsheng.ecology.kernel.geometry import Footprint


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: An amount of yuan, not negative, kept to the fen.
Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), AfterValidator(_cents)]


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


class SiteGeometryIn(BaseModel):
    """A polygon as GeoJSON (``Polygon`` or ``MultiPolygon``, ``[lon, lat]`` degrees), its
    datum, and which area is the record's."""

    geometry: dict[str, Any] | str = Field(
        description="GeoJSON Polygon or MultiPolygon (or a Feature holding one), lon/lat")
    crs: str | None = Field(default=None, max_length=64,
                            description="EPSG:4490 (CGCS2000) or EPSG:4326 (WGS 84, default)")
    area_method: Literal["geodesic", "planar"] = Field(
        default="geodesic", description="geodesic (ellipsoidal) or planar (Gauss–Krüger)")
    planar_epsg: int | None = Field(
        default=None, description="CGCS2000 3-degree Gauss–Krüger zone, EPSG:4534–4554; "
        "default: the zone of the centroid (EPSG:4545 for Fuling)")

    def footprint(self) -> Footprint:
        """The checked polygon with its areas (``RuleViolation`` naming the problem)."""
        return geometry.footprint(self.geometry, crs=self.crs, method=self.area_method,
                                  planar_epsg=self.planar_epsg)
