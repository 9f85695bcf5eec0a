"""Mines, red-line zones and the closure work-list through the JSON API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.security.models import AuditEvent
from tests import factories as f
from tests.factories import ecology as h
from tests.factories.ecology import LAT0, LON0, offset, polygon, square

KM2 = 1_000_000.0


def _mine_body(geometry: dict[str, object], **extra: object) -> dict[str, object]:
    return {"name": "白涛石灰岩矿", "region": "500102", "mineral": "建筑石料用灰岩",
            "mining_method": "open_pit", "status": "operating",
            "operator_name": "重庆白涛建材有限公司", "operator_uscc": f.uscc_code("500102"),
            "geometry": geometry, **extra}


class TestRegisterMine:
    def test_a_clerk_registers_a_mine_and_gets_its_areas(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        response = client.post("/api/v1/ecology/mines", headers=auth,
                               json=_mine_body(polygon(square()), crs="EPSG:4490"))
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["area_ha"] == pytest.approx(100, rel=1e-3)
        assert body["area_mu"] == pytest.approx(1500, rel=1e-3)
        assert body["area_method"] == "geodesic:EPSG:4490"
        assert body["planar_crs"] == "EPSG:4545"
        assert body["geometry"]["type"] == "Polygon"
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "mine.register"))
        assert event is not None and event.subject_id == str(body["id"])

    def test_planar_area_where_asked(self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        body = client.post("/api/v1/ecology/mines", headers=auth, json=_mine_body(
            polygon(square()), area_method="planar")).json()
        assert body["area_method"] == "planar:EPSG:4545"
        assert body["area_m2"] == body["area_planar_m2"] != body["area_geodesic_m2"]

    def test_a_self_intersecting_polygon_is_a_422_naming_the_field(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        ring = [[LON0, LAT0], [LON0 + 0.01, LAT0 + 0.01], [LON0 + 0.01, LAT0],
                [LON0, LAT0 + 0.01], [LON0, LAT0]]
        response = client.post("/api/v1/ecology/mines", headers=auth,
                               json=_mine_body(polygon(ring)))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "geometry"
        assert "自相交" in response.json()["detail"]

    def test_swapped_coordinates_are_a_422(self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        ring = [[y, x] for x, y in square()]
        response = client.post("/api/v1/ecology/mines", headers=auth,
                               json=_mine_body(polygon(ring)))
        assert response.status_code == 422
        assert "[经度, 纬度]" in response.json()["detail"]

    def test_a_duplicate_mining_right_is_a_409(self, client: TestClient,
                                                session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        first = _mine_body(polygon(square()), mining_right_no="C5001022009127130050178")
        assert client.post("/api/v1/ecology/mines", headers=auth, json=first).status_code == 201
        again = client.post("/api/v1/ecology/mines", headers=auth, json=first)
        assert again.status_code == 409

    def test_a_clerk_cannot_register_in_another_district(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        response = client.post("/api/v1/ecology/mines", headers=auth,
                               json=_mine_body(polygon(square()), region="500101"))
        assert response.status_code == 403

    def test_a_statistician_reads_but_does_not_write(
            self, client: TestClient, session: Session) -> None:
        site = h.mine(session)
        auth = f.login(client, f.staff(session, "nr_analyst", "500000"))
        assert client.get(f"/api/v1/ecology/mines/{site.id}", headers=auth).status_code == 200
        response = client.post("/api/v1/ecology/mines", headers=auth,
                               json=_mine_body(polygon(square())))
        assert response.status_code == 403

    def test_a_mine_of_another_district_is_a_404(self, client: TestClient,
                                                  session: Session) -> None:
        other = h.mine(session, region="500101", geometry=polygon(square(108.4, 30.8)))
        auth = f.login(client, h.fuling_clerk(session))
        assert client.get(f"/api/v1/ecology/mines/{other.id}", headers=auth).status_code == 404


class TestClosureWorklist:
    def test_a_mine_half_inside_a_zone_is_listed_with_its_overlap(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        half_lon, _ = offset(LON0, LAT0, 500, 0)
        zone = client.post("/api/v1/ecology/red-line-zones", headers=auth, json={
            "name": "乌江水土保持红线", "region": "500102",
            "geometry": polygon(square(half_lon, LAT0 - 0.01, 3000.0))})
        assert zone.status_code == 201, zone.text
        mine = client.post("/api/v1/ecology/mines", headers=auth,
                           json=_mine_body(polygon(square()))).json()
        items = client.get("/api/v1/ecology/closure-worklist", headers=auth).json()
        [item] = [i for i in items if i["mine_id"] == mine["id"]]
        assert item["overlap_m2"] == pytest.approx(KM2 / 2, rel=2e-3)
        assert item["overlap_share"] == pytest.approx(0.5, abs=2e-3)
        assert item["zones"][0]["zone_name"] == "乌江水土保持红线"
        assert item["closed"] is False

    def test_boxes_that_meet_without_the_polygons_meeting_are_not_listed(
            self, session: Session) -> None:
        # An L-shaped zone whose bounding box covers the mine, which sits in the notch.
        from minsheng.ecology.mines import service

        x0, y0 = LON0, LAT0
        e, n = offset(x0, y0, 3000, 3000)
        m1, m2 = offset(x0, y0, 1000, 1000)
        ell = [[x0, y0], [e, y0], [e, m2], [m1, m2], [m1, n], [x0, n], [x0, y0]]
        h.zone(session, geometry=polygon(ell))
        notch_lon, notch_lat = offset(x0, y0, 2000, 2000)
        site = h.mine(session, geometry=polygon(square(notch_lon, notch_lat, 500.0)))
        touching = h.mine(session, geometry=polygon(square(e, y0, 500.0)))
        listed = {o.mine.id for o in service.red_line_overlaps(session, h.fuling_clerk(session))}
        assert site.id not in listed and touching.id not in listed

    def test_a_closed_mine_moves_down_and_only_pending_ones_when_asked(
            self, client: TestClient, session: Session) -> None:
        h.zone(session, geometry=polygon(square(LON0 - 0.01, LAT0 - 0.01, 5000.0)))
        open_one = h.mine(session)
        shut = h.mine(session, geometry=polygon(square(*offset(LON0, LAT0, 1500, 0), 300.0)))
        auth = f.login(client, h.fuling_clerk(session))
        closing = client.post(f"/api/v1/ecology/mines/{shut.id}/closure", headers=auth,
                              json={"closed_date": "2019-05-01", "investment": "1250000.5"})
        assert closing.status_code == 201, closing.text
        assert closing.json()["investment"] == "1250000.50"
        items = client.get("/api/v1/ecology/closure-worklist", headers=auth).json()
        assert [i["mine_id"] for i in items] == [open_one.id, shut.id]
        assert items[1]["closed"] is True and items[1]["closure_id"] is not None
        pending = client.get("/api/v1/ecology/closure-worklist?pending_only=true",
                             headers=auth).json()
        assert [i["mine_id"] for i in pending] == [open_one.id]
        again = client.post(f"/api/v1/ecology/mines/{shut.id}/closure", headers=auth,
                            json={"closed_date": "2019-05-02", "investment": "1"})
        assert again.status_code == 409
        assert client.get(f"/api/v1/ecology/mines/{shut.id}",
                          headers=auth).json()["status"] == "closed"

    def test_mines_outside_the_scope_are_not_listed_but_zones_of_any_district_count(
            self, client: TestClient, session: Session) -> None:
        # The zone belongs to the neighbouring district; the mine reaches into it.
        h.zone(session, region="500101", geometry=polygon(square(LON0 - 0.01, LAT0, 3000.0)))
        mine = h.mine(session)
        h.mine(session, region="500101", geometry=polygon(square(LON0, LAT0 + 0.005, 300.0)))
        auth = f.login(client, h.fuling_clerk(session))
        items = client.get("/api/v1/ecology/closure-worklist", headers=auth).json()
        assert [i["mine_id"] for i in items] == [mine.id]


class TestStatus:
    def test_closing_goes_through_a_closure_and_a_closed_mine_stays_closed(
            self, client: TestClient, session: Session) -> None:
        site = h.closed_mine(session)
        auth = f.login(client, h.fuling_clerk(session))
        body = client.get(f"/api/v1/ecology/mines/{site.id}", headers=auth).json()
        response = client.post(f"/api/v1/ecology/mines/{site.id}/status", headers=auth,
                               json={"status": "operating", "version": body["version"]})
        assert response.status_code == 409
        other = h.mine(session, geometry=polygon(square(108.0, 29.5)))
        response = client.post(f"/api/v1/ecology/mines/{other.id}/status", headers=auth,
                               json={"status": "closed", "version": 1})
        assert response.status_code == 422
        stale = client.post(f"/api/v1/ecology/mines/{other.id}/status", headers=auth,
                            json={"status": "suspended", "version": 99})
        assert stale.status_code == 409
