"""The ecology scorecard indicators (issue 12), computed from small hand-built records made
through the sub-domain services; expected values are worked out by hand below.

Every class builds the same kind of set: two records of 涪陵区 dated on the period's first
and last day (in), records on 2015-12-31 and 2021-01-01 (out), one in 万州区 (another
district), one under the abolished 500105 江北区 (counted in 500157 两江新区 and in 50),
one in 成都市锦江区 510104 (Sichuan: never in 50).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.orm import Session

from minsheng.app.demo_ecology import seed_ecology
from minsheng.ecology.greenmines import indicators as green_ind
from minsheng.ecology.greenmines import service as greenmines
from minsheng.ecology.greenmines.schemas import AssessmentCreate
from minsheng.ecology.kernel.common import Period as EcoPeriod
from minsheng.ecology.land import indicators as land_ind
from minsheng.ecology.mines import indicators as mine_ind
from minsheng.ecology.mines import service as mines
from minsheng.ecology.mines.models import MineClosure
from minsheng.ecology.mines.schemas import ClosureCreate
from minsheng.ecology.overview import service as overview
from minsheng.ecology.restoration import indicators as rest_ind
from minsheng.ecology.restoration.models import RestorationPlan
from minsheng.ecology.sand import indicators as sand_ind
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.schemas import AuctionCreate, NoticeCreate, SandCaseCreate
from minsheng.hrss.scorecard import service as scorecard
from minsheng.platform.indicators import Cut, Indicator, Kind, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.ecology.greenmines.test_service import SPEC_2020
from tests.factories import ecology as h

D = Decimal
FULING, WANZHOU, JIANGJIN = "500102", "500101", "500116"
JIANGBEI, LIANGJIANG, JINJIANG = "500105", "500157", "510104"
FIRST, LAST = date(2016, 1, 1), date(2020, 12, 31)
BEFORE, AFTER = date(2015, 12, 31), date(2021, 1, 1)
ALL = (mine_ind.INDICATORS + sand_ind.INDICATORS + rest_ind.INDICATORS
       + green_ind.INDICATORS + land_ind.INDICATORS)


def cut(region: str = FULING, period: str = "2016-2020", by_district: bool = False) -> Cut:
    return Cut(region, parse_period(period), by_district)


def value(item: Indicator, session: Session, region: str = FULING,
          period: str = "2016-2020") -> Decimal | None:
    return item.value(item.compute(session, cut(region, period)).get(""))


def districts(item: Indicator, session: Session, region: str = "50") -> dict[str, Decimal]:
    return {k: fig.numerator for k, fig in item.compute(session, cut(region, by_district=True))
            .items() if fig.numerator}


def records(item: Indicator, session: Session, region: str = FULING) -> list[dict[str, object]]:
    assert item.records is not None
    return [dict(r) for r in session.execute(item.records(cut(region))).mappings()]


def lon(n: int) -> float:
    """Sites side by side, 0.02° apart, so no two overlap."""
    return 107.0 + 0.02 * n


# --- builders --------------------------------------------------------------------------


def _close(session: Session, n: int, day: date, investment: str, *, region: str = FULING,
           reason: str = "sensitive_zone") -> None:
    site = h.mine(session, region=region, name=f"关闭矿山{n}",
                  geometry=h.polygon(h.square(lon(n), 29.7, 300)))
    mines.close_mine(session, SYSTEM, site.id, ClosureCreate(
        closed_date=day, investment=D(investment), reason=reason))


def _closures(session: Session) -> None:
    _close(session, 1, FIRST, "1000000", reason="red_line")
    _close(session, 2, LAST, "2500000.50")
    _close(session, 3, BEFORE, "9")
    _close(session, 4, AFTER, "9")
    _close(session, 5, date(2018, 6, 1), "7", reason="other")  # not a sensitive-zone closure
    _close(session, 6, date(2018, 6, 1), "3000000", region=WANZHOU)
    _close(session, 7, date(2018, 6, 1), "4", region=JINJIANG)
    _close(session, 8, date(2018, 6, 1), "5000000", region=LIANGJIANG)
    # a closure carried over from the old register under 500105 江北区
    session.execute(update(MineClosure).where(MineClosure.investment == D("5000000"))
                    .values(region=JIANGBEI))


def _sand_case(session: Session, n: int, day: date | None, revenue: str, *,
               region: str = FULING) -> None:
    case = sand.register_case(session, SYSTEM, SandCaseCreate(
        project_name=f"工程{n}剩余砂石", region=region, estimated_volume_m3=D("1000"),
        project_use_m3=D("400"), geometry=h.polygon(h.square(lon(n), 29.5))))
    sand.publish_notice(session, SYSTEM, case.id, NoticeCreate(
        start_on=(day or LAST) - timedelta(days=40), workdays=5))
    if day is not None:
        sand.record_auction(session, SYSTEM, case.id, AuctionCreate(
            auction_date=day, trading_platform="重庆市公共资源交易中心", buyer=f"竞得人{n}",
            revenue=D(revenue), city_share_percent=D(30)))


def _sand(session: Session) -> None:
    _sand_case(session, 1, FIRST, "86500000")
    _sand_case(session, 2, LAST, "63500000.50")
    _sand_case(session, 3, BEFORE, "1")
    _sand_case(session, 4, AFTER, "1")
    _sand_case(session, 5, None, "0")  # in notice, never auctioned
    _sand_case(session, 6, date(2018, 6, 1), "10000000", region=WANZHOU)
    _sand_case(session, 7, date(2018, 6, 1), "7", region=JINJIANG)


def _plan(session: Session, n: int, day: date, hectares: str, spent: str = "1000000", *,
          region: str = FULING, kind: str = "mine", method: str = "open_pit") -> None:
    h.accepted_plan(session, region=region, hectares=hectares, spent=spent,
                    accepted_date=day, lon=lon(n), lat=29.3, kind=kind, method=method)


def _restoration(session: Session) -> None:
    _plan(session, 1, FIRST, "12.5", "5000000")
    _plan(session, 2, LAST, "17.5", "7000000")
    _plan(session, 3, BEFORE, "40")
    _plan(session, 4, AFTER, "40")
    _plan(session, 5, date(2019, 6, 1), "52", kind="waste_stack")  # a stack, not a mine
    _plan(session, 6, date(2019, 6, 1), "8", method="underground")  # not open-pit
    _plan(session, 7, date(2018, 6, 1), "50", "9000000", region=WANZHOU)
    _plan(session, 8, date(2019, 6, 1), "20", region=JIANGJIN)
    _plan(session, 9, date(2019, 6, 1), "30", region=JINJIANG)
    _plan(session, 10, date(2018, 6, 1), "10", region=LIANGJIANG)
    session.execute(update(RestorationPlan).where(RestorationPlan.accepted_area_m2
                                                  == D("100000")).values(region=JIANGBEI))


def _sheet(share: str, investment: str, day: date) -> AssessmentCreate:
    return AssessmentCreate.model_validate({
        "set_code": "MNR-2020", "assessed_date": day, "investment": investment,
        "preconditions": {code: {"met": True} for code, _ in SPEC_2020.preconditions},
        "scores": {i.code: {"score": i.max_score * D(share)} for i in SPEC_2020.items}})


def _green(session: Session) -> None:
    h.standard_sets(session)

    def site(n: int, region: str = FULING) -> int:
        return h.mine(session, region=region, name=f"绿色矿山{n}",
                      geometry=h.polygon(h.square(lon(n), 29.9))).id

    one = site(1)
    greenmines.assess(session, SYSTEM, one, _sheet("0.85", "1000000", FIRST))
    greenmines.assess(session, SYSTEM, one, _sheet("0.9", "1500000", LAST))  # latest
    greenmines.assess(session, SYSTEM, site(2), _sheet("0.95", "2000000", date(2019, 6, 1)))
    greenmines.assess(session, SYSTEM, site(3), _sheet("0.7", "9000000", date(2019, 6, 1)))
    greenmines.assess(session, SYSTEM, site(4), _sheet("0.9", "7", BEFORE))
    greenmines.assess(session, SYSTEM, site(5), _sheet("0.9", "7", AFTER))
    greenmines.assess(session, SYSTEM, site(6, WANZHOU), _sheet("0.9", "3000000",
                                                                date(2018, 6, 1)))
    greenmines.assess(session, SYSTEM, site(7, JINJIANG), _sheet("0.9", "4", date(2018, 6, 1)))


def _land(session: Session) -> None:
    def project(n: int, start: date | None, accepted: date | None, investment: str,
                farmland: str, new: str, region: str = FULING) -> None:
        h.land_project(session, region=region, investment=investment, farmland_mu=farmland,
                       new_mu=new, start=start, accepted=accepted, lon=lon(n), lat=29.1)

    project(1, date(2014, 3, 1), FIRST, "5000000", "1000", "100")  # accepted on day one
    project(2, LAST, None, "7000000", "1200", "50")  # started on the last day
    project(3, date(2015, 1, 1), date(2021, 6, 30), "3000000", "500", "0")  # spans it
    project(4, date(2013, 1, 1), BEFORE, "9", "1", "1")  # done before
    project(5, AFTER, None, "9", "1", "1")  # starts after
    project(6, date(2018, 3, 1), date(2019, 6, 30), "2000000", "300", "30", WANZHOU)
    project(7, date(2019, 3, 1), date(2019, 12, 1), "1000000", "100", "10", JIANGBEI)
    project(8, date(2018, 3, 1), date(2019, 6, 30), "9", "1", "1", JINJIANG)


# --- closures ----------------------------------------------------------------------------


class TestClosedMines:
    item = mine_ind.CLOSED_MINES

    def test_fuling_counts_the_sensitive_zone_closures_of_the_period(
            self, session: Session) -> None:
        _closures(session)
        # 1 (1 Jan 2016, red line) + 2 (31 Dec 2020, sensitive zone); 3 and 4 fall outside
        # the period, 5 was closed for another reason.
        assert value(self.item, session) == 2
        assert value(self.item, session, period="2015") == 1 and \
            value(self.item, session, period="2021") == 1

    def test_regions_and_breakdown(self, session: Session) -> None:
        _closures(session)
        # 50: Fuling 2 + Wanzhou 1 + 500105 → 两江 1 = 4; 锦江 (Sichuan) is not in 50.
        assert value(self.item, session, "50") == 4
        assert value(self.item, session, LIANGJIANG) == 1
        assert value(self.item, session, WANZHOU) == 1
        by = districts(self.item, session)
        assert by == {FULING: 2, WANZHOU: 1, LIANGJIANG: 1}
        assert sum(by.values()) == 4

    def test_records_are_the_closed_mines(self, session: Session) -> None:
        _closures(session)
        rows = records(self.item, session)
        assert [(r["name"], r["day"], r["resident_id"]) for r in rows] == [
            ("关闭矿山1", FIRST, None), ("关闭矿山2", LAST, None)]
        assert str(rows[0]["detail"]).startswith("位于生态保护红线内")


class TestClosureInvestment:
    item = mine_ind.CLOSURE_INVESTMENT

    def test_the_investment_of_the_counted_closures(self, session: Session) -> None:
        _closures(session)
        # 1,000,000 + 2,500,000.50; not 9 + 9 (outside) nor 7 (another reason).
        assert value(self.item, session) == D("3500000.50")
        # 50: 3,500,000.50 + 3,000,000 (万州) + 5,000,000 (江北 → 两江) = 11,500,000.50
        assert value(self.item, session, "50") == D("11500000.50")
        by = districts(self.item, session)
        assert by[LIANGJIANG] == D("5000000") and sum(by.values()) == D("11500000.50")

    def test_the_summary_page_shows_the_same_figures(self, session: Session) -> None:
        _closures(session)
        page = overview.summary(session, SYSTEM, region=FULING,
                                period=EcoPeriod(FIRST, LAST)).closures
        assert (page.mines, page.investment) == (2, D("3500000.50"))


# --- sand ------------------------------------------------------------------------------


class TestSurplusCases:
    item = sand_ind.SURPLUS_CASES

    def test_cases_auctioned_in_the_period(self, session: Session) -> None:
        _sand(session)
        # 1 (auctioned 1 Jan 2016) + 2 (31 Dec 2020); 3, 4 outside; 5 never auctioned.
        assert value(self.item, session) == 2
        # 50: Fuling 2 + Wanzhou 1; 锦江 is Sichuan.
        assert value(self.item, session, "50") == 3
        assert districts(self.item, session) == {FULING: 2, WANZHOU: 1}

    def test_records_are_the_cases(self, session: Session) -> None:
        _sand(session)
        rows = records(self.item, session)
        assert [(r["name"], r["day"], r["resident_id"]) for r in rows] == [
            ("工程1剩余砂石", FIRST, None), ("工程2剩余砂石", LAST, None)]
        assert str(rows[0]["record"]).startswith("CQ500102")


class TestSurplusRevenue:
    item = sand_ind.SURPLUS_REVENUE

    def test_the_revenue_of_the_cases(self, session: Session) -> None:
        _sand(session)
        # 86,500,000 + 63,500,000.50 = 150,000,000.50
        assert value(self.item, session) == D("150000000.50")
        # + 10,000,000 (万州) = 160,000,000.50
        assert value(self.item, session, "50") == D("160000000.50")
        assert sum(districts(self.item, session).values()) == D("160000000.50")
        page = overview.summary(session, SYSTEM, region=FULING,
                                period=EcoPeriod(FIRST, LAST)).sand
        assert (page.cases, page.revenue) == (2, D("150000000.50"))


# --- restoration -------------------------------------------------------------------------


class TestRestoredArea:
    item = rest_ind.RESTORED_AREA

    def test_accepted_area_of_open_pit_mines_in_hectares(self, session: Session) -> None:
        _restoration(session)
        # 12.5 ha (accepted 1 Jan 2016) + 17.5 ha (31 Dec 2020) = 30 ha; the 40 ha plans
        # fall outside, the 52 ha waste stack and the 8 ha underground mine are no
        # abandoned open-pit mines.
        assert value(self.item, session) == D("30.00")
        assert value(self.item, session, period="2021") == D("40.00")
        # 50: 30 + 50 (万州) + 20 (江津) + 10 (江北 → 两江) = 110 ha; 锦江's 30 ha is Sichuan.
        assert value(self.item, session, "50") == D("110.00")
        by = districts(self.item, session)
        assert by == {FULING: 30, WANZHOU: 50, JIANGJIN: 20, LIANGJIANG: 10}  # hectares
        assert sum(by.values()) == 110

    def test_records_are_the_accepted_plans(self, session: Session) -> None:
        _restoration(session)
        rows = records(self.item, session)
        assert [(r["day"], r["resident_id"], r["region"]) for r in rows] == [
            (FIRST, None, FULING), (LAST, None, FULING)]
        assert all(r["name"] == "测试石灰岩矿" for r in rows)


class TestRestorationInvestment:
    item = rest_ind.RESTORATION_INVESTMENT

    def test_money_reported_on_the_accepted_plans(self, session: Session) -> None:
        _restoration(session)
        # 5,000,000 + 7,000,000
        assert value(self.item, session) == D("12000000.00")
        # 12,000,000 + 9,000,000 (万州) + 1,000,000 (江津) + 1,000,000 (两江) = 23,000,000
        assert value(self.item, session, "50") == D("23000000.00")
        assert sum(districts(self.item, session).values()) == D("23000000")


class TestRestoredShare:
    item = rest_ind.RESTORED_SHARE

    def test_share_of_the_whole_city_whatever_the_region(self, session: Session) -> None:
        _restoration(session)
        # 30 ha ÷ 110 ha (the whole of 50, not only the region asked) = 27.2727… → 27.27 %
        assert value(self.item, session) == D("27.27")
        # 万州: 50 ÷ 110 = 45.4545… → 45.45 %; 两江 (江北's plan): 10 ÷ 110 = 9.09 %
        assert value(self.item, session, WANZHOU) == D("45.45")
        assert value(self.item, session, LIANGJIANG) == D("9.09")
        assert value(self.item, session, "50") == D("100.00")
        figure = self.item.compute(session, cut())[""]
        assert figure.denominator == D("1100000")  # 110 ha in m²; Sichuan's 30 ha left out

    def test_each_district_is_divided_by_the_city(self, session: Session) -> None:
        _restoration(session)
        by = self.item.compute(session, cut("50", by_district=True))
        assert {f.denominator for f in by.values()} == {D("1100000")}
        assert sum(f.numerator for f in by.values()) == D("1100000")  # the parts make 100 %
        assert self.item.value(by[FULING]) == D("27.27")

    def test_a_district_with_nothing_restored_has_zero(self, session: Session) -> None:
        _restoration(session)
        assert value(self.item, session, "500103") == D("0.00")
        assert value(self.item, session, period="2010") is None  # nothing in the city

    def test_the_summary_page_shows_the_same_share(self, session: Session) -> None:
        _restoration(session)
        page = overview.summary(session, SYSTEM, region=FULING,
                                period=EcoPeriod(FIRST, LAST)).restoration
        assert page.share == D("0.272727") and page.area_ha == 30.0
        assert page.city_area_ha == 110.0 and page.rank == 2


# --- green mines ------------------------------------------------------------------------


class TestGreenMines:
    item = green_ind.GREEN_MINES

    def test_mines_passing_in_the_period_each_once(self, session: Session) -> None:
        _green(session)
        # mine 1 passed twice (1 Jan 2016, 31 Dec 2020): once; mine 2; mine 3 failed;
        # mines 4 and 5 passed outside the period.
        assert value(self.item, session) == 2
        assert value(self.item, session, "50") == 3  # + 万州; 锦江 is Sichuan
        assert districts(self.item, session) == {FULING: 2, WANZHOU: 1}

    def test_records_are_the_mines_with_their_latest_sheet(self, session: Session) -> None:
        _green(session)
        rows = records(self.item, session)
        assert [(r["name"], r["day"], r["resident_id"]) for r in rows] == [
            ("绿色矿山2", date(2019, 6, 1), None), ("绿色矿山1", LAST, None)]


class TestGreenMineInvestment:
    item = green_ind.GREEN_MINE_INVESTMENT

    def test_investment_of_the_latest_passing_sheets(self, session: Session) -> None:
        _green(session)
        # mine 1's latest passing sheet 1,500,000 (not + 1,000,000) + mine 2's 2,000,000
        assert value(self.item, session) == D("3500000.00")
        # + 3,000,000 (万州) = 6,500,000
        assert value(self.item, session, "50") == D("6500000.00")
        assert sum(districts(self.item, session).values()) == D("6500000")
        page = overview.summary(session, SYSTEM, region=FULING,
                                period=EcoPeriod(FIRST, LAST)).green_mines
        assert (page.mines, page.investment) == (2, D("3500000.00"))


# --- land consolidation -------------------------------------------------------------------


class TestLandProjects:
    item = land_ind.LAND_PROJECTS

    def test_projects_carried_out_in_the_period(self, session: Session) -> None:
        _land(session)
        # 1 (accepted on 1 Jan 2016), 2 (started 31 Dec 2020), 3 (2015 → 2021); 4 was
        # accepted on 31 Dec 2015, 5 starts on 1 Jan 2021.
        assert value(self.item, session) == 3
        # 50: 3 + 万州 1 + 江北 (→ 两江) 1 = 5; 锦江 is Sichuan.
        assert value(self.item, session, "50") == 5
        assert value(self.item, session, LIANGJIANG) == 1
        assert districts(self.item, session) == {FULING: 3, WANZHOU: 1, LIANGJIANG: 1}

    def test_records_are_the_projects(self, session: Session) -> None:
        _land(session)
        rows = records(self.item, session)
        # ordered by start: 2014-03-01, 2015-01-01, 2020-12-31; the day is the acceptance
        # date, or the start while under way.
        assert [(r["day"], r["resident_id"]) for r in rows] == [
            (FIRST, None), (date(2021, 6, 30), None), (LAST, None)]
        assert all(r["name"] == "测试土地整治项目" for r in rows)


class TestLandInvestment:
    item = land_ind.LAND_INVESTMENT

    def test_investment_of_the_projects(self, session: Session) -> None:
        _land(session)
        # 5,000,000 + 7,000,000 + 3,000,000 = 15,000,000
        assert value(self.item, session) == D("15000000.00")
        # + 2,000,000 (万州) + 1,000,000 (两江) = 18,000,000
        assert value(self.item, session, "50") == D("18000000.00")
        assert sum(districts(self.item, session).values()) == D("18000000")


class TestHighStandardFarmland:
    item = land_ind.HIGH_STANDARD_FARMLAND

    def test_farmland_of_the_projects_in_mu(self, session: Session) -> None:
        _land(session)
        # 1000 + 1200 + 500 = 2700 mu; 50: + 300 + 100 = 3100 mu
        assert value(self.item, session) == D("2700.00")
        assert value(self.item, session, "50") == D("3100.00")
        assert sum(districts(self.item, session).values()) == D("3100")


class TestNewCultivatedLand:
    item = land_ind.NEW_CULTIVATED_LAND

    def test_new_cultivated_land_of_the_projects_in_mu(self, session: Session) -> None:
        _land(session)
        # 100 + 50 + 0 = 150 mu; 50: + 30 + 10 = 190 mu
        assert value(self.item, session) == D("150.00")
        assert value(self.item, session, "50") == D("190.00")
        assert sum(districts(self.item, session).values()) == D("190")
        page = overview.summary(session, SYSTEM, region=FULING,
                                period=EcoPeriod(FIRST, LAST)).land
        assert (page.projects, page.investment, page.high_standard_farmland_mu,
                page.new_cultivated_mu) == (3, D("15000000.00"), D("2700.00"), D("150.00"))


# --- the catalogue, the scorecard and the demo ---------------------------------------------


class TestCatalogue:
    def test_definitions(self) -> None:
        assert [i.order for i in ALL] == sorted(i.order for i in ALL)
        assert all(200 <= i.order <= 230 and i.permission == "ecology:read" for i in ALL)
        assert all(i.records is not None and i.article_value is not None for i in ALL)
        assert len({i.id for i in ALL}) == 13
        assert [i.id for i in ALL if i.kind is Kind.RATE] == ["eco_restored_share"]
        assert rest_ind.RESTORED_SHARE.denominator

    def test_ecology_staff_see_them_and_hrss_statisticians_do_not(
            self, session: Session) -> None:
        _closures(session)
        ids = [i.id for i in ALL]
        analyst = f.staff(session, "nr_analyst", "500000")
        card = scorecard.scorecard(session, analyst, region=FULING, period="2016-2020",
                                   only=ids)
        assert {r.indicator.id for r in card.rows} == set(ids)
        row = next(r for r in card.rows if r.indicator.id == "eco_closed_mines")
        assert row.value == 2
        statistician = f.staff(session, "statistician", "500000")
        assert not [r for r in scorecard.scorecard(session, statistician, period="2020",
                                                   only=ids).rows]


class TestDemo:
    def test_the_demo_gives_the_article_figures_for_fuling_2016_2020(
            self, session: Session) -> None:
        seed_ecology(session)
        values = {i.id: value(i, session) for i in ALL}
        assert values == {i.id: i.article_value for i in ALL
                          if i.id != "eco_green_mine_investment"} | {
            "eco_green_mine_investment": D("80460000.00")}  # 8000余万元
        assert values["eco_green_mine_investment"] >= D(80_000_000)
