"""Areas against independently known values, holes, units, axis order, invalid polygons.

Expected values come from the construction of the polygons (a square of known side in
metres, built from the ellipsoid's radii of curvature), not from the code under test.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from minsheng.ecology.kernel import geometry
from minsheng.platform.errors import RuleViolation
from tests.factories.ecology import LAT0, LON0, offset, polygon, square

KM2 = 1_000_000.0


class TestGeodesicArea:
    def test_a_1km_square_near_fuling_is_100_ha_within_0_1_percent(self) -> None:
        fp = geometry.footprint(polygon(square()), crs="EPSG:4490")
        assert fp.geodesic_m2 == pytest.approx(KM2, rel=1e-3)
        assert geometry.ha(fp.geodesic_m2) == pytest.approx(100, rel=1e-3)
        assert geometry.mu(fp.geodesic_m2) == pytest.approx(1500, rel=1e-3)

    def test_orientation_does_not_change_the_area(self) -> None:
        ccw = geometry.footprint(polygon(square()))
        cw = geometry.footprint(polygon(square(clockwise=True)))
        assert cw.geodesic_m2 == pytest.approx(ccw.geodesic_m2, rel=1e-12)
        assert cw.geodesic_m2 > 0

    def test_a_hole_is_subtracted_whatever_its_orientation(self) -> None:
        inner_lon, inner_lat = offset(LON0, LAT0, 250, 250)
        for clockwise in (True, False):  # RFC 7946 wants holes clockwise; both must work
            hole = square(inner_lon, inner_lat, 500.0, clockwise=clockwise)
            fp = geometry.footprint(polygon(square(), hole))
            assert fp.geodesic_m2 == pytest.approx(0.75 * KM2, rel=1e-3)
            assert fp.planar_m2 == pytest.approx(0.75 * KM2, rel=1e-3)

    def test_a_multipolygon_adds_its_parts(self) -> None:
        far_lon, far_lat = offset(LON0, LAT0, 5000, 0)
        multi = {"type": "MultiPolygon", "coordinates": [
            [square()], [square(far_lon, far_lat, 500.0)]]}
        fp = geometry.footprint(multi)
        assert fp.geodesic_m2 == pytest.approx(1.25 * KM2, rel=1e-3)

    def test_wgs84_and_cgcs2000_agree_to_the_centimetre_scale(self) -> None:
        a = geometry.footprint(polygon(square()), crs="EPSG:4326").geodesic_m2
        b = geometry.footprint(polygon(square()), crs="EPSG:4490").geodesic_m2
        assert abs(a - b) < 0.01


class TestPlanarArea:
    def test_fuling_uses_the_108e_gauss_kruger_zone(self) -> None:
        assert geometry.gauss_kruger_epsg(107.4) == 4545
        assert geometry.gauss_kruger_epsg(105.0) == 4544
        assert geometry.gauss_kruger_epsg(109.6) == 4546
        fp = geometry.footprint(polygon(square()), crs="EPSG:4490", method="planar")
        assert fp.planar_epsg == 4545
        assert fp.area_m2 == fp.planar_m2
        assert geometry.method_label("planar", fp.crs, fp.planar_epsg) == "planar:EPSG:4545"

    def test_a_1km_square_drawn_in_the_projection_has_1km2_planar_area(self) -> None:
        to_lonlat = Transformer.from_crs("EPSG:4545", "EPSG:4490", always_xy=True)
        x0, y0 = 442_000.0, 3_286_000.0  # about 107.4°E 29.7°N in EPSG:4545
        corners = [(x0, y0), (x0 + 1000, y0), (x0 + 1000, y0 + 1000), (x0, y0 + 1000),
                   (x0, y0)]
        ring = [list(to_lonlat.transform(x, y)) for x, y in corners]
        fp = geometry.footprint(polygon(ring), crs="EPSG:4490")
        assert fp.planar_m2 == pytest.approx(KM2, rel=1e-6)

    def test_planar_area_is_inflated_by_the_scale_factor_away_from_the_meridian(self) -> None:
        # Gauss–Krüger scale k ≈ 1 + (Δλ cos φ)²/2, so areas grow by about (Δλ cos φ)².
        fp = geometry.footprint(polygon(square()), crs="EPSG:4490")
        dl = math.radians(108 - LON0) * math.cos(math.radians(LAT0))
        assert fp.planar_m2 / fp.geodesic_m2 - 1 == pytest.approx(dl ** 2, rel=0.05)


class TestUnits:
    def test_one_hectare_is_fifteen_mu(self) -> None:
        assert geometry.mu(geometry.M2_PER_HA) == 15
        assert geometry.mu_to_m2(15) == pytest.approx(10_000)
        assert geometry.ha(537 * 10_000) == 537


class TestAxisOrderAndRanges:
    def test_swapped_lat_lon_is_refused_with_the_corrected_pair(self) -> None:
        ring = [[y, x] for x, y in square()]
        with pytest.raises(RuleViolation) as caught:
            geometry.footprint(polygon(ring))
        assert "顺序疑似颠倒" in caught.value.message
        assert f"[{LON0:.10g}, {LAT0:.10g}]" in caught.value.message
        assert caught.value.errors[0].field == "geometry"

    def test_a_latitude_beyond_90_is_refused(self) -> None:
        ring = [[107.4, 95.0], [107.5, 95.0], [107.5, 96.0], [107.4, 95.0]]
        with pytest.raises(RuleViolation) as caught:
            geometry.footprint(polygon(ring))
        assert "纬度 95°" in caught.value.message
        assert "-90..90" in caught.value.message_en

    def test_projected_metres_are_refused(self) -> None:
        ring = [[442000, 3286000], [443000, 3286000], [443000, 3287000], [442000, 3286000]]
        with pytest.raises(RuleViolation) as caught:
            geometry.footprint(polygon(ring))
        assert "投影坐标" in caught.value.message

    def test_a_position_outside_china_is_refused(self) -> None:
        ring = [[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]
        with pytest.raises(RuleViolation, match="中国范围"):
            geometry.footprint(polygon(ring))


class TestInvalidPolygons:
    def test_a_self_intersecting_bow_tie_is_refused_with_the_place(self) -> None:
        x0, y0 = LON0, LAT0
        ring = [[x0, y0], [x0 + 0.01, y0 + 0.01], [x0 + 0.01, y0], [x0, y0 + 0.01], [x0, y0]]
        with pytest.raises(RuleViolation) as caught:
            geometry.footprint(polygon(ring))
        assert "自相交" in caught.value.message
        assert "107.405000, 29.705000" in caught.value.message
        assert caught.value.extra["validity"].startswith("Self-intersection")

    def test_a_hole_outside_its_shell_is_refused(self) -> None:
        far_lon, far_lat = offset(LON0, LAT0, 3000, 3000)
        with pytest.raises(RuleViolation, match="内环（洞）位于外环之外"):
            geometry.footprint(polygon(square(), square(far_lon, far_lat, 100.0)))

    def test_an_open_ring_is_refused(self) -> None:
        with pytest.raises(RuleViolation, match="未闭合"):
            geometry.footprint(polygon(square()[:-1]))

    def test_too_few_positions_and_other_types_are_refused(self) -> None:
        with pytest.raises(RuleViolation, match="至少需要4个坐标"):
            geometry.footprint(polygon(square()[:2] + square()[:1]))
        with pytest.raises(RuleViolation, match="“Point”"):
            geometry.footprint({"type": "Point", "coordinates": [LON0, LAT0]})
        with pytest.raises(RuleViolation, match="不是有效的 GeoJSON"):
            geometry.footprint("{not json")

    def test_an_unknown_crs_is_refused(self) -> None:
        with pytest.raises(RuleViolation, match="不支持的坐标系"):
            geometry.footprint(polygon(square()), crs="EPSG:3857")

    def test_a_feature_and_a_json_string_are_accepted(self) -> None:
        import json

        feature = {"type": "Feature", "properties": {}, "geometry": polygon(square())}
        assert geometry.footprint(feature).geodesic_m2 == pytest.approx(KM2, rel=1e-3)
        assert geometry.footprint(json.dumps(feature)).geodesic_m2 == pytest.approx(
            KM2, rel=1e-3)


class TestOverlap:
    def test_half_a_square_inside_another(self) -> None:
        half_lon, _ = offset(LON0, LAT0, 500, 0)
        mine = geometry.parse_geojson(polygon(square()))
        zone = geometry.parse_geojson(polygon(square(half_lon, LAT0 - 0.01, 3000.0)))
        assert geometry.overlap_m2(mine, zone) == pytest.approx(KM2 / 2, rel=2e-3)

    def test_touching_squares_do_not_overlap(self) -> None:
        east_lon, _ = offset(LON0, LAT0, 1000, 0)
        a = geometry.parse_geojson(polygon(square()))
        b = geometry.parse_geojson(polygon(square(square()[1][0], LAT0)))
        assert east_lon == pytest.approx(square()[1][0], abs=1e-6)
        assert geometry.overlap_m2(a, b) < 0.01


@settings(max_examples=40, deadline=None)
@given(side=st.floats(min_value=50, max_value=5000), start=st.integers(0, 3),
       clockwise=st.booleans(), lat=st.floats(min_value=22, max_value=45),
       lon=st.floats(min_value=100, max_value=120))
def test_area_of_a_square_does_not_depend_on_orientation_or_first_vertex(
        side: float, start: int, clockwise: bool, lat: float, lon: float) -> None:
    ring = square(lon, lat, side, clockwise=clockwise)[:-1]
    ring = ring[start:] + ring[:start]
    fp = geometry.footprint(polygon([*ring, ring[0]]))
    assert fp.geodesic_m2 == pytest.approx(side * side, rel=1e-3)
    assert geometry.mu(fp.geodesic_m2) == pytest.approx(geometry.ha(fp.geodesic_m2) * 15)
