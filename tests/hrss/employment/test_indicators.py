"""Indicators on hand-built datasets, with answers computed by hand (see each comment):
the employment summary (page, API, command), and the scorecard's employment indicators,
which run the same definitions (``TestSummaryAgreesWithScorecard``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.employment import indicators as ind
from minsheng.hrss.employment import service
from minsheng.hrss.employment.models import UrbanNewEmployment
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.factories.employment import household, member, register_unemployed


def _place(session: Session, clerk: Principal, person_id: int, on: date) -> None:
    service.record_placement(session, clerk, person_id, on=on, region="500103")


@pytest.fixture
def dataset(session: Session) -> Principal:
    clerk = f.staff(session, "clerk", "500103")
    p = {k: f.person(session, name=k) for k in "ABCDEFHIJKLMN"}
    g = f.person(session, name="G", residence_region="500106")
    register_unemployed(session, p["A"], date(2026, 2, 1))
    _place(session, clerk, p["A"].id, date(2026, 5, 10))
    register_unemployed(session, p["B"], date(2026, 3, 1))
    register_unemployed(session, p["C"], date(2025, 6, 1), ended_date=date(2026, 4, 1))
    service.add_to_key_group(session, clerk, p["D"].id, "hard_to_employ",
                             category="disabled", since=date(2026, 1, 1))
    register_unemployed(session, p["D"], date(2026, 1, 15))
    _place(session, clerk, p["D"].id, date(2026, 7, 1))
    f.enrolment(session, p["E"].id, start_month="2020-01")
    f.enrolment(session, p["F"].id, start_month="2020-01", end_month="2025-12")
    f.enrolment(session, g.id, start_month="2020-01")
    for name, year in (("H", 2026), ("I", 2026), ("J", 2025)):
        service.add_to_key_group(session, clerk, p[name].id, "graduate",
                                 graduation_year=year, since=date(year, 7, 1))
    _place(session, clerk, p["H"].id, date(2026, 8, 1))
    for name in "KL":
        service.add_to_key_group(session, clerk, p[name].id, "ex_fisher",
                                 since=date(2025, 1, 1))
    _place(session, clerk, p["K"].id, date(2026, 3, 1))
    _place(session, clerk, p["M"].id, date(2026, 2, 1))
    _place(session, clerk, p["M"].id, date(2026, 9, 1))  # a job change: not new
    _place(session, clerk, p["N"].id, date(2025, 11, 1))
    _place(session, clerk, p["N"].id, date(2026, 2, 1))  # employed before: not new
    # Two zero-employment households detected mid-year; Q's member placed in October.
    hp = household(session)
    for relation, year in (("head", 1980), ("spouse", 1982)):
        register_unemployed(session, member(session, hp, relation, birth=date(year, 1, 1)),
                            date(2026, 1, 10))
    hq = household(session)
    q1 = member(session, hq, "head", birth=date(1979, 1, 1))
    member(session, hq, "parent", birth=date(1950, 1, 1))
    register_unemployed(session, q1, date(2026, 1, 10))
    assert service.detect_zero_employment(session, clerk, date(2026, 6, 30)).opened == 2
    _place(session, clerk, q1.id, date(2026, 10, 1))
    return clerk


class TestIndicators:
    def test_year(self, session: Session, dataset: Principal) -> None:
        result = service.indicators(session, dataset, "500103", date(2026, 1, 1),
                                    date(2026, 12, 31))
        # New employment 2026: A, D, H, K, M (once), Q1 = 6; N changed jobs.
        assert result.urban_new_employment == 6
        # Registered unemployed at year end: B and household P's two = 3 (A, D, Q1 placed,
        # C ended). Employed: E only (F ended 2025-12, G lives in 500106).
        assert (result.registered_unemployed, result.employed) == (3, 1)
        assert result.registered_unemployment_rate == Decimal("75.00")  # 3 ÷ (1 + 3)
        assert result.unemployed_helped == 3  # A, D, Q1
        assert result.hard_to_employ_helped == 1  # D
        assert (result.graduates, result.graduates_employed) == (2, 1)  # H of H, I
        assert result.graduates_employment_rate == Decimal("50.00")
        assert (result.ex_fishers, result.ex_fishers_transferred) == (2, 1)  # K of K, L
        assert result.ex_fisher_transfer_rate == Decimal("50.00")
        assert result.open_zero_employment_households == 1  # P (Q closed on 10-01)

    def test_third_quarter(self, session: Session, dataset: Principal) -> None:
        result = service.indicators(session, dataset, "500103", date(2026, 7, 1),
                                    date(2026, 9, 30))
        # D (07-01) and H (08-01); M's September job is a change.
        assert result.urban_new_employment == 2
        assert result.unemployed_helped == 1 and result.hard_to_employ_helped == 1
        assert result.open_zero_employment_households == 2
        # Graduates employed by 30 September: H of H, I.
        assert result.graduates_employment_rate == Decimal("50.00")

    def test_other_district_is_empty(self, session: Session, dataset: Principal) -> None:
        admin = f.staff(session, "admin", "")
        result = service.indicators(session, admin, "500106", date(2026, 1, 1),
                                    date(2026, 12, 31))
        assert (result.urban_new_employment, result.employed) == (0, 1)  # G is employed
        assert result.registered_unemployment_rate == Decimal("0.00")

    def test_one_event_per_person_per_year(self, session: Session, dataset: Principal) -> None:
        count = session.scalar(select(func.count()).select_from(UrbanNewEmployment))
        # 2025: N; 2026: the six above.
        assert count == 7


# --- the scorecard's employment indicators ----------------------------------------------


def value(session: Session, item: Indicator, region: str, period: str) -> Decimal | None:
    """The indicator's value for a region (GB/T 2260 prefix) and period."""
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def districts(session: Session, item: Indicator, region: str, period: str
              ) -> dict[str, tuple[Decimal, Decimal | None]]:
    """``{district: (numerator, denominator)}`` of the by-district cut."""
    found = item.compute(session, Cut(region, parse_period(period), by_district=True))
    return {k: (fig.numerator, fig.denominator) for k, fig in found.items()}


def records(session: Session, item: Indicator, region: str, period: str) -> list[dict]:
    assert item.records is not None
    return [dict(r) for r in session.execute(
        item.records(Cut(region, parse_period(period)))).mappings()]


def _admin(session: Session) -> Principal:
    return f.staff(session, "admin", "")


class TestSummaryAgreesWithScorecard:
    """The summary and the scorecard read one definition per figure: on the summary's
    own dataset they give the same numbers for the same region and period."""

    @pytest.mark.parametrize("span", ["2026", "2026Q3", "2026-10"])
    def test_same_figures(self, session: Session, dataset: Principal, span: str) -> None:
        period = parse_period(span)
        summary = service.indicators(session, dataset, "500103", period.start, period.end)
        assert value(session, ind.URBAN_NEW_EMPLOYMENT, "500103", span) \
            == summary.urban_new_employment
        assert value(session, ind.UNEMPLOYED_HELPED_INTO_WORK, "500103", span) \
            == summary.unemployed_helped
        assert value(session, ind.HARD_TO_EMPLOY_HELPED_INTO_WORK, "500103", span) \
            == summary.hard_to_employ_helped
        assert value(session, ind.GRADUATE_EMPLOYMENT_RATE, "500103", span) \
            == summary.graduates_employment_rate
        assert value(session, ind.EX_FISHER_TRANSFER_RATE, "500103", span) \
            == summary.ex_fisher_transfer_rate
        assert value(session, ind.ZERO_EMPLOYMENT_HOUSEHOLDS, "500103", span) \
            == summary.open_zero_employment_households
        assert value(session, ind.REGISTERED_UNEMPLOYMENT_RATE, "500103", span) \
            == summary.registered_unemployment_rate

    def test_year_by_hand(self, session: Session, dataset: Principal) -> None:
        # The summary's own test above: 3 of 4 registered unemployed, A D Q1 helped, D
        # hard-to-employ, H of H I graduates, K of K L ex-fishers, P open.
        assert value(session, ind.REGISTERED_UNEMPLOYMENT_RATE, "500103", "2026") \
            == Decimal("75.00")
        assert value(session, ind.UNEMPLOYED_HELPED_INTO_WORK, "500103", "2026") == 3
        assert value(session, ind.ZERO_EMPLOYMENT_HOUSEHOLDS, "500103", "2026") == 1


def _unemployed_then_placed(session: Session, clerk: Principal, name: str, residence: str,
                            registered: date, placed: date, where: str) -> None:
    p = f.person(session, name=name, residence_region=residence)
    register_unemployed(session, p, registered)
    service.record_placement(session, clerk, p.id, on=placed, region=where)


@pytest.fixture
def helped(session: Session) -> Principal:
    """Registered unemployed people and their jobs (region of work):

    - 甲 500103: registered 2019-06-01, placed 2020-01-01 in 500103; registered again
      2020-03-01, placed 2020-06-01 in 500106 (twice in 2020: counts once, in 500103);
    - 乙 500106: registered 2020-02-01, placed 2020-12-31 in 500106;
    - 丙 500103: registered 2020-06-01, placed 2021-01-01;
    - 丁 500157: registered 2018-01-01, placed 2018-07-01 in 500105 (abolished → 500157);
    - 戊 510104: registered 2020-03-01, placed 2020-04-01 in 510104 (Sichuan);
    - 己 500103: placed 2020-03-01, never registered (not counted);
    - 庚 500103: registered 2015-06-01, placed 2015-12-31 (before 2016).
    """
    clerk = _admin(session)
    a = f.person(session, name="甲", residence_region="500103")
    register_unemployed(session, a, date(2019, 6, 1))
    service.record_placement(session, clerk, a.id, on=date(2020, 1, 1), region="500103")
    register_unemployed(session, a, date(2020, 3, 1))
    service.record_placement(session, clerk, a.id, on=date(2020, 6, 1), region="500106")
    _unemployed_then_placed(session, clerk, "乙", "500106", date(2020, 2, 1),
                            date(2020, 12, 31), "500106")
    _unemployed_then_placed(session, clerk, "丙", "500103", date(2020, 6, 1),
                            date(2021, 1, 1), "500103")
    _unemployed_then_placed(session, clerk, "丁", "500157", date(2018, 1, 1),
                            date(2018, 7, 1), "500105")
    _unemployed_then_placed(session, clerk, "戊", "510104", date(2020, 3, 1),
                            date(2020, 4, 1), "510104")
    g = f.person(session, name="己", residence_region="500103")
    service.record_placement(session, clerk, g.id, on=date(2020, 3, 1), region="500103")
    _unemployed_then_placed(session, clerk, "庚", "500103", date(2015, 6, 1),
                            date(2015, 12, 31), "500103")
    return clerk


class TestUnemployedHelpedIntoWork:
    item = ind.UNEMPLOYED_HELPED_INTO_WORK

    def test_periods(self, session: Session, helped: Principal) -> None:
        # 2020: 甲 (1 January inside; placed twice, once), 乙 (31 December inside) = 2.
        assert value(session, self.item, "50", "2020") == 2
        # 2016–2020: 甲, 乙, 丁 = 3 (庚 2015 and 丙 2021 outside).
        assert value(session, self.item, "50", "2016-2020") == 3
        assert value(session, self.item, "50", "2021") == 1  # 丙
        assert value(session, self.item, "50", "2020Q1") == 1  # 甲 on 01-01
        assert value(session, self.item, "50", "2020-12") == 1  # 乙 on 12-31
        assert value(session, self.item, "50", "2020-11") == 0

    def test_regions(self, session: Session, helped: Principal) -> None:
        # 丁's 2018 job in 500105 江北区 counts in 500157 两江新区.
        assert value(session, self.item, "500157", "2016-2020") == 1
        # 戊 is in Sichuan: in 51, not in 50.
        assert value(session, self.item, "51", "2020") == 1
        # 500106 alone: 甲's second qualifying job (06-01) and 乙 = 2.
        assert value(session, self.item, "500106", "2020") == 2

    def test_by_district_sums_to_the_total(self, session: Session, helped: Principal) -> None:
        found = districts(session, self.item, "50", "2016-2020")
        # 甲 in 500103 (first job), 乙 500106, 丁 500157: 1 + 1 + 1 = 3.
        assert found == {"500103": (1, None), "500106": (1, None), "500157": (1, None)}
        assert sum(n for n, _ in found.values()) == value(session, self.item, "50",
                                                          "2016-2020")

    def test_records(self, session: Session, helped: Principal) -> None:
        rows = records(session, self.item, "50", "2020")
        assert [(r["name"], r["region"], r["day"]) for r in rows] == [
            ("甲", "500103", date(2020, 1, 1)), ("乙", "500106", date(2020, 12, 31))]
        assert all(r["resident_id"] for r in rows)


@pytest.fixture
def hard(session: Session) -> Principal:
    """Certified hard-to-employ people (category disabled) and their jobs:

    - 子 500103: certified 2019-01-01, placed 2020-05-01 and 2020-09-01 (counts once);
    - 丑 500106: certified 2020-08-01, placed 2020-07-31 (before: no) and 2020-10-01;
    - 寅 500103: certified 2020-01-01, placed 2021-01-01;
    - 卯 510104: certified 2020-01-01, placed 2020-03-01 in Sichuan.
    """
    clerk = _admin(session)
    plan = [("子", "500103", date(2019, 1, 1), [date(2020, 5, 1), date(2020, 9, 1)]),
            ("丑", "500106", date(2020, 8, 1), [date(2020, 7, 31), date(2020, 10, 1)]),
            ("寅", "500103", date(2020, 1, 1), [date(2021, 1, 1)]),
            ("卯", "510104", date(2020, 1, 1), [date(2020, 3, 1)])]
    for name, region, since, jobs in plan:
        p = f.person(session, name=name, residence_region=region)
        service.add_to_key_group(session, clerk, p.id, "hard_to_employ", category="disabled",
                                 since=since)
        for day in jobs:
            service.record_placement(session, clerk, p.id, on=day, region=region)
    return clerk


class TestHardToEmployHelpedIntoWork:
    item = ind.HARD_TO_EMPLOY_HELPED_INTO_WORK

    def test_periods_and_dedup(self, session: Session, hard: Principal) -> None:
        # 2020: 子 (twice, once), 丑 (10-01; the 07-31 job was before certification) = 2.
        assert value(session, self.item, "50", "2020") == 2
        assert value(session, self.item, "50", "2020Q3") == 1  # 子 09-01 (丑 07-31: no)
        assert value(session, self.item, "50", "2021") == 1  # 寅
        assert value(session, self.item, "51", "2020") == 1  # 卯, Sichuan only

    def test_by_district_and_records(self, session: Session, hard: Principal) -> None:
        found = districts(session, self.item, "50", "2020")
        assert found == {"500103": (1, None), "500106": (1, None)}
        rows = records(session, self.item, "50", "2020")
        assert [(r["name"], r["day"]) for r in rows] == [("子", date(2020, 5, 1)),
                                                         ("丑", date(2020, 10, 1))]


@pytest.fixture
def graduates(session: Session) -> Principal:
    """Graduates (recognised where they live) and their first jobs:

    - 2020 graduates: 辰 500103 placed 2020-12-31; 巳 500103 placed 2021-01-01;
      午 500106 never placed; 未 510104 placed 2020-08-01 (Sichuan);
    - 2019 graduate: 申 500103 placed 2019-08-01.
    """
    clerk = _admin(session)
    plan = [("辰", "500103", 2020, date(2020, 12, 31)), ("巳", "500103", 2020, date(2021, 1, 1)),
            ("午", "500106", 2020, None), ("未", "510104", 2020, date(2020, 8, 1)),
            ("申", "500103", 2019, date(2019, 8, 1))]
    for name, region, year, placed in plan:
        p = f.person(session, name=name, residence_region=region)
        service.add_to_key_group(session, clerk, p.id, "graduate", graduation_year=year,
                                 since=date(year, 7, 1))
        if placed:
            service.record_placement(session, clerk, p.id, on=placed, region=region)
    return clerk


class TestGraduateEmploymentRate:
    item = ind.GRADUATE_EMPLOYMENT_RATE

    def test_year_end(self, session: Session, graduates: Principal) -> None:
        # 2020 graduates in 50: 辰 巳 午 (未 is in Sichuan); employed by 12-31: 辰 → 1/3.
        assert value(session, self.item, "50", "2020") == Decimal("33.33")
        # A span reads its last year: the same.
        assert value(session, self.item, "50", "2016-2020") == Decimal("33.33")
        # By 30 September nobody of them had a job yet: 0/3.
        assert value(session, self.item, "50", "2020Q3") == Decimal("0.00")
        assert value(session, self.item, "50", "2019") == Decimal("100.00")  # 申 of 申
        assert value(session, self.item, "500103", "2020") == Decimal("50.00")  # 辰 of 辰 巳
        assert value(session, self.item, "51", "2020") == Decimal("100.00")  # 未
        assert value(session, self.item, "50", "2018") is None  # no graduates: no rate

    def test_by_district_and_records(self, session: Session, graduates: Principal) -> None:
        found = districts(session, self.item, "50", "2020")
        assert found == {"500103": (1, 2), "500106": (0, 1)}
        rows = records(session, self.item, "50", "2020")
        assert sorted((r["name"], r["detail"]) for r in rows) == [
            ("午", "高校毕业生（未就业）"), ("巳", "高校毕业生（未就业）"),
            ("辰", "高校毕业生（已就业）")]


@pytest.fixture
def fishers(session: Session) -> Principal:
    """Ex-fishers (退捕渔民) and poverty-registered labour:

    - ex-fishers: 酉 500103 since 2020-01-01 placed 2020-06-01; 戌 500103 since
      2020-01-01 never placed; 亥 500106 since 2020-01-01, unable to work from
      2020-03-01; 天 500106 since 2021-02-01 never placed;
    - poverty labour: 地 500103 since 2019-01-01 placed 2019-05-01 and 2020-02-01;
      玄 500106 since 2020-01-01 placed 2021-03-01; 黄 500103 since 2020-01-01 never
      placed; 宇 510104 since 2020-01-01 placed 2020-02-01 (Sichuan).
    """
    clerk = _admin(session)
    plan = [("酉", "500103", "ex_fisher", date(2020, 1, 1), [date(2020, 6, 1)]),
            ("戌", "500103", "ex_fisher", date(2020, 1, 1), []),
            ("亥", "500106", "ex_fisher", date(2020, 1, 1), []),
            ("天", "500106", "ex_fisher", date(2021, 2, 1), []),
            ("地", "500103", "poverty_labour", date(2019, 1, 1),
             [date(2019, 5, 1), date(2020, 2, 1)]),
            ("玄", "500106", "poverty_labour", date(2020, 1, 1), [date(2021, 3, 1)]),
            ("黄", "500103", "poverty_labour", date(2020, 1, 1), []),
            ("宇", "510104", "poverty_labour", date(2020, 1, 1), [date(2020, 2, 1)])]
    for name, region, group, since, jobs in plan:
        p = f.person(session, name=name, residence_region=region)
        service.add_to_key_group(session, clerk, p.id, group, since=since)
        for day in jobs:
            service.record_placement(session, clerk, p.id, on=day, region=region)
        if name == "亥":
            service.record_work_incapacity(session, clerk, p.id, since=date(2020, 3, 1))
    return clerk


class TestExFisherTransferRate:
    item = ind.EX_FISHER_TRANSFER_RATE

    def test_at_period_end(self, session: Session, fishers: Principal) -> None:
        # End of 2020: 酉 of 酉 戌 (亥 unable to work, 天 not yet recognised) = 50 %.
        assert value(session, self.item, "50", "2020") == Decimal("50.00")
        # End of May 2020: nobody placed yet → 0 of 酉 戌 = 0 %.
        assert value(session, self.item, "50", "2020-05") == Decimal("0.00")
        # End of February 2020: 亥 still able → 0 of 酉 戌 亥.
        assert districts(session, self.item, "50", "2020-02") == {
            "500103": (0, 2), "500106": (0, 1)}
        # End of 2021: 酉 of 酉 戌 天 = 33.33 %.
        assert value(session, self.item, "50", "2021") == Decimal("33.33")
        assert value(session, self.item, "500106", "2020") is None  # nobody to count

    def test_by_district_and_records(self, session: Session, fishers: Principal) -> None:
        found = districts(session, self.item, "50", "2021")
        assert found == {"500103": (1, 2), "500106": (0, 1)}
        assert sum(n for n, _ in found.values()) == 1
        rows = records(session, self.item, "50", "2020")
        assert sorted((r["name"], r["detail"]) for r in rows) == [
            ("戌", "退捕渔民（未就业）"), ("酉", "退捕渔民（已就业）")]


class TestPovertyLabourEmployed:
    item = ind.POVERTY_LABOUR_EMPLOYED

    def test_at_period_end(self, session: Session, fishers: Principal) -> None:
        # End of 2020: 地 (placed twice, once); 玄 not yet, 黄 never, 宇 in Sichuan.
        assert value(session, self.item, "50", "2020") == 1
        assert value(session, self.item, "50", "2016-2020") == 1
        assert value(session, self.item, "50", "2018") == 0  # nobody recognised yet
        assert value(session, self.item, "50", "2021") == 2  # 地, 玄
        assert value(session, self.item, "51", "2020") == 1  # 宇

    def test_by_district_and_records(self, session: Session, fishers: Principal) -> None:
        found = districts(session, self.item, "50", "2021")
        assert found == {"500103": (1, None), "500106": (1, None)}
        rows = records(session, self.item, "50", "2021")
        assert sorted(r["name"] for r in rows) == ["地", "玄"]


@pytest.fixture
def households(session: Session) -> Principal:
    """Zero-employment households (both members registered unemployed 2020-01-10),
    detected on 2020-06-30: 渝中 X (never cleared) and 沙坪坝 Y (its member placed on
    2020-12-31, which closes the case that day); 渝中 Z detected 2021-03-31."""
    admin = _admin(session)
    hx = household(session, "500103")
    for relation, year in (("head", 1980), ("spouse", 1982)):
        register_unemployed(session, member(session, hx, relation, birth=date(year, 1, 1)),
                            date(2020, 1, 10))
    hy = household(session, "500106")
    y1 = member(session, hy, "head", birth=date(1979, 1, 1), region="500106")
    register_unemployed(session, y1, date(2020, 1, 10))
    assert service.detect_zero_employment(session, admin, date(2020, 6, 30)).opened == 2
    service.record_placement(session, admin, y1.id, on=date(2020, 12, 31), region="500106")
    hz = household(session, "500103")
    register_unemployed(session, member(session, hz, "head", birth=date(1975, 1, 1)),
                        date(2021, 1, 10))
    assert service.detect_zero_employment(session, admin, date(2021, 3, 31)).opened == 1
    return admin


class TestZeroEmploymentHouseholds:
    item = ind.ZERO_EMPLOYMENT_HOUSEHOLDS

    def test_open_at_period_end(self, session: Session, households: Principal) -> None:
        # 31 Dec 2020: Y closed that day, X open → 1.
        assert value(session, self.item, "50", "2020") == 1
        assert value(session, self.item, "50", "2016-2020") == 1
        # 30 Sep 2020: X and Y → 2; 30 June (the detection day is inside) → 2; May → 0.
        assert value(session, self.item, "50", "2020Q3") == 2
        assert value(session, self.item, "50", "2020-06") == 2
        assert value(session, self.item, "50", "2020-05") == 0
        assert value(session, self.item, "50", "2021") == 2  # X, Z

    def test_by_district_and_records(self, session: Session, households: Principal) -> None:
        assert districts(session, self.item, "50", "2020Q3") == {
            "500103": (1, None), "500106": (1, None)}
        assert value(session, self.item, "500106", "2020") == 0
        rows = records(session, self.item, "50", "2021")
        assert [(r["region"], r["day"], r["resident_id"]) for r in rows] == [
            ("500103", date(2020, 6, 30), None), ("500103", date(2021, 3, 31), None)]

    def test_direction_and_target(self) -> None:
        assert self.item.direction.value == "<=" and self.item.article_value == 0


@pytest.fixture
def labour_force(session: Session) -> Principal:
    """Residents and their status at the end of 2020 / 2021:

    - registered unemployed: 甲 500103 from 2020-03-01 (still at the end of 2021);
      乙 500103 from 2020-03-01, placed 2020-06-01 (no longer); 丙 500106 from
      2021-01-01; 丁 510104 from 2020-03-01 (Sichuan);
    - employee pension open: 戊 500103 from 2019-01; 己 500103 2019-01…2020-11 (ended
      before December); 庚 500106 from 2020-12; 辛 510104 from 2019-01 (Sichuan).
    """
    admin = _admin(session)
    for name, region, registered in (("甲", "500103", date(2020, 3, 1)),
                                     ("乙", "500103", date(2020, 3, 1)),
                                     ("丙", "500106", date(2021, 1, 1)),
                                     ("丁", "510104", date(2020, 3, 1))):
        p = f.person(session, name=name, residence_region=region)
        register_unemployed(session, p, registered)
        if name == "乙":
            service.record_placement(session, admin, p.id, on=date(2020, 6, 1),
                                     region="500103")
    for name, region, start, end in (("戊", "500103", "2019-01", None),
                                     ("己", "500103", "2019-01", "2020-11"),
                                     ("庚", "500106", "2020-12", None),
                                     ("辛", "510104", "2019-01", None)):
        p = f.person(session, name=name, residence_region=region)
        f.enrolment(session, p.id, start_month=start, end_month=end)
    return admin


class TestRegisteredUnemploymentRate:
    item = ind.REGISTERED_UNEMPLOYMENT_RATE

    def test_at_period_end(self, session: Session, labour_force: Principal) -> None:
        # End of 2020 in 50: U = 甲; E = 戊, 庚 → 1 ÷ (2 + 1) = 33.33 %.
        assert value(session, self.item, "50", "2020") == Decimal("33.33")
        # End of 2021: U = 甲, 丙; E = 戊, 庚 → 2 ÷ 4 = 50 %.
        assert value(session, self.item, "50", "2021") == Decimal("50.00")
        # End of May 2020: U = 甲, 乙; E = 戊, 己 → 2 ÷ 4 = 50 %.
        assert value(session, self.item, "50", "2020-05") == Decimal("50.00")
        # Sichuan: 丁 ÷ (辛 + 丁) = 50 %.
        assert value(session, self.item, "51", "2020") == Decimal("50.00")

    def test_by_district_sums(self, session: Session, labour_force: Principal) -> None:
        found = districts(session, self.item, "50", "2020")
        # 渝中: 甲 ÷ (戊 + 甲); 沙坪坝: 0 ÷ 庚.
        assert found == {"500103": (1, 2), "500106": (0, 1)}
        assert (sum(n for n, _ in found.values()), sum(d or 0 for _, d in found.values())) \
            == (1, 3)

    def test_records_are_the_unemployed(self, session: Session,
                                        labour_force: Principal) -> None:
        assert [r["name"] for r in records(session, self.item, "50", "2021")] == ["甲", "丙"]
