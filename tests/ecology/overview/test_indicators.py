"""The ecology figures computed from hand-built records: shares, ranks, periods, scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.ecology.greenmines import service as greenmines
from minsheng.ecology.greenmines.schemas import AssessmentCreate
from minsheng.ecology.kernel.common import Period
from minsheng.ecology.overview import rules, service
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.schemas import AuctionCreate, NoticeCreate, SandCaseCreate
from minsheng.platform.errors import Forbidden
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.ecology.greenmines.test_service import SPEC_2020
from tests.factories import ecology as h

WANZHOU = (108.4, 30.8)
JIANGJIN = (106.26, 29.28)
D = Decimal


def _restoration(session: Session) -> None:
    """Fuling 30 ha (two plans), Wanzhou 50 ha, Jiangjin 20 ha; a waste stack and a
    plan accepted in 2021 that the 2016–2020 figures leave out."""
    h.accepted_plan(session, hectares="12.5", spent="5000000")
    h.accepted_plan(session, hectares="17.5", spent="7000000", lon=107.45)
    h.accepted_plan(session, region="500101", hectares="50", spent="9000000", lon=WANZHOU[0],
                    lat=WANZHOU[1])
    h.accepted_plan(session, region="500116", hectares="20", spent="3000000",
                    lon=JIANGJIN[0], lat=JIANGJIN[1])
    h.accepted_plan(session, hectares="52", spent="155000000", kind="waste_stack", lon=107.34)
    h.accepted_plan(session, hectares="40", spent="1", accepted_date=date(2021, 3, 1), lon=107.55)


def _sheet(share: str, investment: str, day: date) -> AssessmentCreate:
    return AssessmentCreate.model_validate({
        "set_code": "MNR-2020", "assessed_date": day, "investment": investment,
        "preconditions": {code: {"met": True} for code, _ in SPEC_2020.preconditions},
        "scores": {i.code: {"score": i.max_score * D(share)} for i in SPEC_2020.items},
        "metrics": {"trees_planted": 1000, "greening_m2": "2500.5"}})


class TestRankAndShare:
    def test_share_of_the_city_and_rank_among_districts(self, session: Session) -> None:
        _restoration(session)
        period = Period(date(2016, 1, 1), date(2020, 12, 31))
        fuling = service.summary(session, SYSTEM, region="500102", period=period).restoration
        assert fuling.area_ha == 30.0 and fuling.plans == 2
        assert fuling.funds == D("12000000.00")
        assert fuling.city_area_ha == 100.0
        assert fuling.share == D("0.300000")
        assert fuling.rank == 2
        assert [(d.region, d.rank) for d in fuling.districts] == [
            ("500101", 1), ("500102", 2), ("500116", 3)]
        assert fuling.other_sites == 1 and fuling.other_area_ha == 52.0
        everything = service.summary(session, SYSTEM, region="500102").restoration
        assert everything.area_ha == 70.0 and everything.share == D("0.500000")
        assert everything.rank == 1

    def test_the_city_as_a_whole_has_no_rank(self, session: Session) -> None:
        _restoration(session)
        city = service.summary(session, SYSTEM, region="50").restoration
        assert city.area_ha == 140.0 and city.share == D("1.000000") and city.rank is None

    def test_competition_ranking_shares_places(self) -> None:
        values = {"a": D(5), "b": D(9), "c": D(5), "d": D(1)}
        assert [rules.competition_rank(k, values) for k in "bacd"] == [1, 2, 2, 4]
        assert rules.competition_rank("x", values) is None
        assert rules.share(D(392.2), D("2214.6")) == D("0.177097")


class TestOtherFigures:
    def test_closures_green_mines_sand_and_land(self, session: Session) -> None:
        h.closed_mine(session, investment="1000000")
        h.closed_mine(session, investment="2500000.50", lon=107.45)
        h.closed_mine(session, region="500101", lon=WANZHOU[0], lat=WANZHOU[1])
        h.closed_mine(session, investment="9", closed_date=date(2021, 1, 5), lon=107.5)

        h.standard_sets(session)
        one, two, fails = (h.mine(session, geometry=h.polygon(h.square(107.2 + k / 20, 29.6)))
                           for k in range(3))
        greenmines.assess(session, SYSTEM, one.id, _sheet("0.85", "1000000", date(2020, 7, 1)))
        greenmines.assess(session, SYSTEM, one.id, _sheet("0.9", "1500000", date(2020, 9, 1)))
        greenmines.assess(session, SYSTEM, two.id, _sheet("0.95", "2000000", date(2020, 8, 1)))
        greenmines.assess(session, SYSTEM, fails.id, _sheet("0.7", "9000000", date(2020, 8, 1)))

        for n, (revenue, auctioned) in enumerate((("86500000", True), ("1", False))):
            case = sand.register_case(session, SYSTEM, SandCaseCreate(
                project_name=f"项目{n}", region="500102", estimated_volume_m3=D("1000"),
                project_use_m3=D("400"), geometry=h.polygon(h.square(107.6, 29.5 + n / 50))))
            sand.publish_notice(session, SYSTEM, case.id, NoticeCreate(start_on=date(2020, 5, 6)))
            if auctioned:
                sand.record_auction(session, SYSTEM, case.id, AuctionCreate(
                    auction_date=date(2020, 6, 1), trading_platform="平台", buyer="甲",
                    revenue=D(revenue), city_share_percent=D(30)))

        h.land_project(session, investment="5000000", farmland_mu="1000", new_mu="100")
        h.land_project(session, investment="7000000", farmland_mu="1200", new_mu="0",
                       start=date(2020, 10, 1), accepted=None, lon=107.3)
        h.land_project(session, investment="9", farmland_mu="1", new_mu="1",
                       start=date(2021, 2, 1), accepted=None, lon=107.2)

        figures = service.summary(session, SYSTEM, region="500102",
                                  period=Period(date(2016, 1, 1), date(2020, 12, 31)))
        assert figures.closures.mines == 2
        assert figures.closures.investment == D("3500000.50")
        assert figures.green_mines.mines == 2
        assert figures.green_mines.investment == D("3500000.00")  # latest sheet of each
        assert figures.green_mines.trees_planted == 2000
        assert figures.green_mines.greening_m2 == D("5001.00")
        assert figures.sand.cases == 1 and figures.sand.revenue == D("86500000.00")
        assert figures.sand.city_amount == D("25950000.00")
        assert figures.land.projects == 2
        assert figures.land.investment == D("12000000.00")
        assert figures.land.high_standard_farmland_mu == D("2200.00")
        assert figures.land.new_cultivated_mu == D("100.00")
        assert figures.land.area_ha == pytest.approx(200, rel=1e-3)


class TestScope:
    def test_a_district_clerk_sees_their_district_not_the_city(self, session: Session) -> None:
        _restoration(session)
        clerk = h.fuling_clerk(session)
        mine = service.summary(session, clerk)
        assert mine.region == "500102" and mine.restoration.rank == 1
        with pytest.raises(Forbidden):
            service.summary(session, clerk, region="50")
        with pytest.raises(Forbidden):
            service.summary(session, clerk, region="500101")

    def test_the_summary_api_and_its_period(self, client: TestClient, session: Session) -> None:
        _restoration(session)
        auth = f.login(client, f.staff(session, "nr_analyst", "500000"))
        body = client.get("/api/v1/ecology/summary?region=500102&from=2016-01-01&to=2020-12-31",
                          headers=auth).json()
        assert body["restoration"]["area_ha"] == 30.0
        assert body["restoration"]["share"] == "0.300000"
        bad = client.get("/api/v1/ecology/summary?region=500102&from=2021-01-01&to=2020-01-01",
                         headers=auth)
        assert bad.status_code == 422
