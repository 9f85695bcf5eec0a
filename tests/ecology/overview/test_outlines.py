"""District outlines on the ecology map: the project holds no boundary polygons, so each
district is outlined by the convex hull of its sites on record, labelled 示意范围, with no
coordinate that is not a vertex of a held site."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlalchemy.orm import Session

from minsheng.app.demo_ecology import seed_ecology
from minsheng.ecology.overview import service
from minsheng.platform import regions
from tests import factories as f
from tests.factories import ecology as h
from tests.live import sign_in


def _vertices(geometry: dict) -> set[tuple[float, float]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    return {(pt[0], pt[1]) for polygon in polygons for ring in polygon for pt in ring}


class TestDistrictOutlines:
    def test_one_outline_per_district_covers_its_sites_from_their_own_vertices(
            self, session: Session) -> None:
        seed_ecology(session)
        analyst = f.staff(session, "nr_analyst", "500000")
        sites = service.map_features(session, analyst)
        outlines = service.district_outlines(session, analyst)
        by_district: dict[str, list[dict]] = {}
        for site in sites:
            by_district.setdefault(site["properties"]["region"], []).append(site)
        assert len(by_district) > 1
        assert {o["properties"]["region"] for o in outlines} == set(by_district)
        for outline in outlines:
            props = outline["properties"]
            district = props["region"]
            assert props["layer"] == "district"
            assert props["name"] == f"{regions.name_of(district)}（示意范围）"
            assert "非行政区划界线" in props["detail"]
            hull = shape(outline["geometry"]).buffer(1e-9)
            own = by_district[district]
            assert all(hull.contains(shape(s["geometry"])) for s in own), district
            held = set().union(*(_vertices(s["geometry"]) for s in own))
            assert _vertices(outline["geometry"]) <= held, district

    def test_a_district_officer_sees_the_outline_of_the_district_only(
            self, session: Session) -> None:
        seed_ecology(session)
        outlines = service.district_outlines(session, h.fuling_clerk(session))
        assert [o["properties"]["region"] for o in outlines] == ["500102"]

    def test_sites_under_an_abolished_code_count_in_todays_district(
            self, session: Session) -> None:
        h.land_project(session, region="500105")  # 江北区, abolished in 2025
        h.mine(session, region="500157", name="两江新区矿",
               geometry=h.polygon(h.square(h.LON0 + 0.05, h.LAT0 + 0.05)))
        outlines = service.district_outlines(session, f.staff(session, "nr_analyst", "500000"))
        assert [o["properties"]["region"] for o in outlines] == ["500157"]

    def test_one_site_makes_its_own_outline_and_no_site_none(self, session: Session) -> None:
        analyst = f.staff(session, "nr_analyst", "500000")
        assert service.district_outlines(session, analyst) == []
        site = h.mine(session)
        (outline,) = service.district_outlines(session, analyst)
        assert shape(outline["geometry"]).equals(site.shape())


class TestTheMapPage:
    def test_the_map_page_carries_the_outlines_legend_and_scale_bar(
            self, client: TestClient, session: Session) -> None:
        seed_ecology(session)
        sign_in(client, h.fuling_clerk(session))
        page = client.get("/ecology/map").text
        inline = re.search(r'<script type="application/json" id="district-outlines">(.*?)'
                           r"</script>", page, re.S)
        assert inline is not None
        (outline,) = json.loads(inline.group(1))["features"]
        assert outline["properties"]["name"] == "涪陵区（示意范围）"
        assert 'data-outlines-id="district-outlines"' in page
        assert 'data-testid="map-scale"' in page and 'data-testid="map-legend"' in page
        assert "不是行政区划界线" in page
        legend = re.search(r"data-layers='([^']*)'", page)
        assert legend is not None
        assert json.loads(html.unescape(legend.group(1)))["district"].startswith("区县范围（示意")

    def test_a_site_page_map_has_a_legend_and_a_scale_bar(
            self, client: TestClient, session: Session) -> None:
        site = h.mine(session)
        sign_in(client, h.fuling_clerk(session))
        page = client.get(f"/ecology/mines/{site.id}").text
        legend = re.search(r"data-layers='([^']*)'", page)
        assert legend is not None
        assert json.loads(html.unescape(legend.group(1)))["mine_operating"] == "生产矿山"
        assert 'data-testid="map-scale"' in page
