"""Land-consolidation projects and surplus sand-and-gravel cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from minsheng.ecology.sand import rules as sand_rules
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.schemas import AuctionCreate, NoticeCreate, SandCaseCreate
from minsheng.platform.errors import Conflict, RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories import ecology as h
from tests.factories.ecology import offset, polygon, square


class TestRegisterLandProject:
    def test_the_checked_interface(self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        response = client.post("/api/v1/ecology/land-projects", headers=auth, json={
            "name": "江北街道李寺村土地整治项目", "region": "500102",
            "geometry": polygon(square()), "investment": 10360000,
            "new_cultivated_mu": 120, "high_standard_farmland_mu": 1200})
        assert response.status_code == 201, response.text
        body = response.json()
        assert isinstance(body["id"], int)
        assert body["area_m2"] == pytest.approx(1_000_000, rel=1e-3)
        assert body["area_ha"] == pytest.approx(100, rel=1e-3)
        assert body["area_mu"] == pytest.approx(1500, rel=1e-3)
        assert body["area_method"] == "geodesic:EPSG:4326"  # GeoJSON's datum by default
        assert body["investment"] == "10360000.00"
        read = client.get(f"/api/v1/ecology/land-projects/{body['id']}", headers=auth).json()
        assert read["area_ha"] == body["area_ha"]

    def test_a_multipolygon_of_three_villages(self, client: TestClient,
                                              session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        parts = [[square(*offset(107.5, 29.5, 3000 * k, 0), 1000.0)] for k in range(3)]
        body = client.post("/api/v1/ecology/land-projects", headers=auth, json={
            "name": "大顺乡试点", "region": "500102", "investment": "50630000",
            "geometry": {"type": "MultiPolygon", "coordinates": parts}}).json()
        assert body["area_ha"] == pytest.approx(300, rel=1e-3)

    def test_farmland_larger_than_the_project_is_refused(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        response = client.post("/api/v1/ecology/land-projects", headers=auth, json={
            "name": "x", "region": "500102", "geometry": polygon(square()),
            "investment": 1, "high_standard_farmland_mu": 1600})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "high_standard_farmland_mu"

    def test_an_invalid_polygon_is_refused_with_a_reason(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        ring = square()[:-1]
        response = client.post("/api/v1/ecology/land-projects", headers=auth, json={
            "name": "x", "region": "500102", "geometry": polygon(ring), "investment": 1})
        assert response.status_code == 422
        assert "未闭合" in response.json()["detail"]


def _case(session: Session, estimated: str = "2650000", use: str = "980000") -> int:
    return sand.register_case(session, SYSTEM, SandCaseCreate(
        project_name="涪丰高速涪陵段", region="500102", geometry=polygon(square()),
        estimated_volume_m3=Decimal(estimated), project_use_m3=Decimal(use))).id


class TestSandAndGravel:
    def test_notice_runs_five_working_days_then_the_auction_splits_the_revenue(
            self, session: Session) -> None:
        case_id = _case(session)
        # Published Friday 2019-09-27 (not counted): Sunday 09-29 is a make-up working day,
        # 09-30, then the National Day holiday 10-01..10-07, then 10-08, 10-09, 10-10
        # (国办发明电〔2018〕15号): five working days end on 10-10.
        case = sand.publish_notice(session, SYSTEM, case_id,
                                   NoticeCreate(start_on=date(2019, 9, 27)))
        assert case.notice_end == date(2019, 10, 10)
        with pytest.raises(Conflict, match="公示期至 2019-10-10"):
            sand.record_auction(session, SYSTEM, case_id, AuctionCreate(
                auction_date=date(2019, 10, 10), trading_platform="重庆市公共资源交易中心",
                buyer="国有平台公司", revenue=Decimal("86500000"),
                city_share_percent=Decimal("30")))
        case = sand.record_auction(session, SYSTEM, case_id, AuctionCreate(
            auction_date=date(2019, 10, 11), trading_platform="重庆市公共资源交易中心",
            buyer="国有平台公司", revenue=Decimal("86500000.01"),
            city_share_percent=Decimal("30")))
        assert case.city_amount == Decimal("25950000.00")
        assert case.district_amount == Decimal("60550000.01")
        view = sand.view_case(case)
        assert view.surplus_volume_m3 == Decimal("1670000")
        assert view.city_share_percent == Decimal("30")

    def test_auction_before_the_notice_is_a_409(self, session: Session) -> None:
        case_id = _case(session)
        with pytest.raises(Conflict, match="须先公示"):
            sand.record_auction(session, SYSTEM, case_id, AuctionCreate(
                auction_date=date(2019, 10, 10), trading_platform="平台", buyer="甲",
                revenue=Decimal("1"), city_share_percent=Decimal("0")))

    def test_project_use_cannot_exceed_the_estimate(self, session: Session) -> None:
        with pytest.raises(RuleViolation, match="项目自用方量不能超过"):
            _case(session, estimated="100", use="101")

    @given(revenue=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"),
                               places=2),
           share=st.integers(min_value=0, max_value=1_000_000))
    def test_the_split_always_adds_up(self, revenue: Decimal, share: int) -> None:
        city, district = sand_rules.split_revenue(revenue, share)
        assert city + district == revenue
        assert city >= 0 and district >= 0
        assert abs(city - revenue * share / 1_000_000) <= Decimal("0.005")
