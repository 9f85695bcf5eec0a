"""The insurance domain's scorecard indicators on small hand-built data sets: pension
coverage, people insured per scheme, and 应保尽保 / 应缴尽缴 of poverty-registered people.
Expected values are counted by hand in the comments; every figure is also checked
against the coverage page's own service where it shows the same figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import indicators, service
from minsheng.hrss.insurance.models import GovernmentPaymentRule, ResidentPensionGrade
from minsheng.hrss.insurance.schemas import ResidentPayment
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Person
from minsheng.platform.indicators import Cut, Figure, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def figure(session: Session, item: Indicator, region: str, period: str) -> Figure | None:
    return item.compute(session, Cut(region, parse_period(period))).get("")


def value(session: Session, item: Indicator, region: str, period: str) -> Decimal | None:
    return item.value(figure(session, item, region, period))


def districts(session: Session, item: Indicator, region: str, period: str) -> dict[str, Figure]:
    return dict(item.compute(session, Cut(region, parse_period(period), by_district=True)))


def legacy_jiangbei(session: Session, person: Person) -> None:
    """A residence recorded before 500105 江北区 was abolished (an old record, as
    imported): counts in 500157 两江新区 as divided today."""
    person.residence_region = "500105"
    session.flush()


def records(session: Session, item: Indicator, region: str,
            period: str) -> list[dict[str, Any]]:
    assert item.records is not None
    return [dict(r) for r in session.execute(
        item.records(Cut(region, parse_period(period)))).mappings()]


@pytest.fixture
def insured(session: Session) -> dict[str, Person]:
    """Adults born 1985 unless said (enrolments in months, inclusive):

    - A 500103: employee pension + work injury 2016-01…2020-11 (ends the month before
      December 2020);
    - B 500103: resident pension from 2020-12 (starts in the last month);
    - C 500103: employee pension 2010-01…2015-12 and again from 2018-01 (two spans);
      unemployment 2018-01…2019-06 and from 2019-07 (two spans); work injury from 2018-01;
    - D 500106: resident pension from 2012-01;
    - E 500106: not enrolled;
    - F 500105 (abolished; now 500157): employee pension + unemployment from 2015-01,
      work injury from 2020-12;
    - G 510104 成都 (Sichuan): resident pension from 2015-01;
    - H 500103: born 2010 (10 at the end of 2020), not enrolled;
    - K 500103: employee pension from 2015-01, died 2020-12-15;
    - R 500103: born 1960, employee pension 1990-01…2019-12, pension in payment from
      2020-02, and a resident pension enrolment from 2020-03 (insured twice over).
    """
    f.contribution_rule(session)
    firm = f.employer(session)
    people: dict[str, Person] = {}

    def enrol(name: str, scheme: str, start: str, end: str | None = None) -> None:
        employer = None if scheme == "resident_pension" else firm.id
        f.enrolment(session, people[name].id, scheme, start_month=start, end_month=end,
                    employer_id=employer)

    for name, region in (("A", "500103"), ("B", "500103"), ("C", "500103"), ("D", "500106"),
                         ("E", "500106"), ("F", "500157"), ("G", "510104"), ("K", "500103")):
        people[name] = f.person(session, name=f"人员{name}", residence_region=region)
    people["H"] = f.person(session, name="人员H", resident_id=f.resident_id(
        "500103", date(2010, 3, 1)))
    enrol("A", "employee_pension", "2016-01", "2020-11")
    enrol("A", "work_injury", "2016-01", "2020-11")
    enrol("B", "resident_pension", "2020-12")
    enrol("C", "employee_pension", "2010-01", "2015-12")
    enrol("C", "employee_pension", "2018-01")
    enrol("C", "unemployment", "2018-01", "2019-06")
    enrol("C", "unemployment", "2019-07")
    enrol("C", "work_injury", "2018-01")
    enrol("D", "resident_pension", "2012-01")
    enrol("F", "employee_pension", "2015-01")
    enrol("F", "unemployment", "2015-01")
    enrol("F", "work_injury", "2020-12")
    enrol("G", "resident_pension", "2015-01")
    enrol("K", "employee_pension", "2015-01")
    registry.record_death(session, SYSTEM, people["K"].id, date(2020, 12, 15))
    people["R"] = f.recipient(session)
    enrol("R", "resident_pension", "2020-03")
    legacy_jiangbei(session, people["F"])
    return people


class TestPensionCoverage:
    item = indicators.PENSION_COVERAGE

    def test_the_rate_at_the_end_of_2020(self, session: Session,
                                         insured: dict[str, Person]) -> None:
        # Should be enrolled in 50 on 2020-12-31: A B C D E F R = 7 (H is 10, K died on
        # 12-15, G lives in Sichuan). Enrolled: B (from 12), C, D, F, R (drawing) = 5;
        # A ended in November. 5 ÷ 7 = 71.43 %.
        assert figure(session, self.item, "50", "2020") == Figure(Decimal(5), Decimal(7))
        assert value(session, self.item, "50", "2016-2020") == Decimal("71.43")

    def test_the_page_shows_the_same_figure(self, session: Session,
                                            insured: dict[str, Person]) -> None:
        page = service.coverage(session, SYSTEM, region="50", on=date(2020, 12, 31))
        assert (page.enrolled, page.should_enrol) == (5, 7)
        page = service.coverage(session, SYSTEM, region="500157", on=date(2020, 12, 31))
        assert (page.enrolled, page.should_enrol) == (1, 1)

    def test_period_edges(self, session: Session, insured: dict[str, Person]) -> None:
        # 2019-12-31: A C D F R (enrolled to 2019-12) K (alive then) = 6 of
        # A B C D E F R K = 8 (H is 9) → 75 %.
        assert figure(session, self.item, "50", "2019") == Figure(Decimal(6), Decimal(8))
        # November 2020: A still in (ends 11), B not yet (starts 12): A C D F R K = 6 of 8.
        assert figure(session, self.item, "50", "2020-11") == Figure(Decimal(6), Decimal(8))

    def test_regions(self, session: Session, insured: dict[str, Person]) -> None:
        # 500157 两江新区: F, recorded under the abolished 500105 → 1 ÷ 1.
        assert figure(session, self.item, "500157", "2020") == Figure(Decimal(1), Decimal(1))
        # Sichuan's G is only in 51.
        assert figure(session, self.item, "51", "2020") == Figure(Decimal(1), Decimal(1))

    def test_breakdown_sums_to_the_total(self, session: Session,
                                         insured: dict[str, Person]) -> None:
        by = districts(session, self.item, "50", "2020")
        # 500103: A B C R should, B C R enrolled; 500106: D E, D; 500157: F, F.
        assert by == {"500103": Figure(Decimal(3), Decimal(4)),
                      "500106": Figure(Decimal(1), Decimal(2)),
                      "500157": Figure(Decimal(1), Decimal(1))}
        assert sum(by.values(), Figure(Decimal(0), Decimal(0))) == Figure(Decimal(5), Decimal(7))

    def test_records_list_who_is_and_is_not_enrolled(self, session: Session,
                                                     insured: dict[str, Person]) -> None:
        rows = records(session, self.item, "50", "2020")
        details = {r["name"]: r["detail"] for r in rows}
        assert details == {"人员A": "应参保未参保", "人员B": "已参加城乡养老保险",
                           "人员C": "已参加城乡养老保险", "人员D": "已参加城乡养老保险",
                           "人员E": "应参保未参保", "人员F": "已参加城乡养老保险",
                           "张三": "已参加城乡养老保险"}  # R keeps the factory's name
        assert all(len(r["resident_id"]) == 18 for r in rows)
        assert {r["day"] for r in rows} == {date(2020, 12, 31)}


class TestPensionInsured:
    item = indicators.PENSION_INSURED

    def test_stock_at_the_period_end(self, session: Session,
                                     insured: dict[str, Person]) -> None:
        # 2020-12-31, 50: B C D F R = 5 (R enrolled and drawing: once; C's two spans: once).
        assert value(session, self.item, "50", "2020") == 5
        assert value(session, self.item, "50", "2016-2020") == 5
        # 2019-12-31: A C D F R K = 6.
        assert value(session, self.item, "50", "2019") == 6

    def test_regions_and_breakdown(self, session: Session,
                                   insured: dict[str, Person]) -> None:
        assert value(session, self.item, "500157", "2020") == 1  # F under 500105
        assert value(session, self.item, "51", "2020") == 1  # G
        by = districts(session, self.item, "50", "2020")
        # 500103: B C R; 500106: D; 500157: F.
        assert {k: v.numerator for k, v in by.items()} == {"500103": 3, "500106": 1,
                                                           "500157": 1}

    def test_records(self, session: Session, insured: dict[str, Person]) -> None:
        rows = records(session, self.item, "500103", "2020")
        assert sorted(r["name"] for r in rows) == ["人员B", "人员C", "张三"]
        assert sorted(r["record"] for r in rows) == sorted(
            insured[n].id for n in ("B", "C", "R"))


class TestUnemploymentInsured:
    item = indicators.UNEMPLOYMENT_INSURED

    def test_stock_and_two_spans_count_once(self, session: Session,
                                            insured: dict[str, Person]) -> None:
        # 2020-12-31: C (second span) and F = 2.
        assert value(session, self.item, "50", "2020") == 2
        # June 2019: C's first span ends in it (in); July: the second starts (in, once).
        assert value(session, self.item, "500103", "2019-06") == 1
        assert value(session, self.item, "500103", "2019-07") == 1
        # 2017: only F (C started in 2018).
        assert value(session, self.item, "50", "2017") == 1

    def test_regions_breakdown_records(self, session: Session,
                                       insured: dict[str, Person]) -> None:
        assert value(session, self.item, "500157", "2020") == 1
        assert value(session, self.item, "51", "2020") == 0
        by = districts(session, self.item, "50", "2020")
        assert {k: v.numerator for k, v in by.items()} == {"500103": 1, "500157": 1}
        rows = records(session, self.item, "50", "2020")
        # Ordered by residence then person: C (500103), F (still recorded as 500105).
        assert [(r["name"], r["region"]) for r in rows] == [("人员C", "500103"),
                                                            ("人员F", "500105")]


class TestWorkInjuryInsured:
    item = indicators.WORK_INJURY_INSURED

    def test_period_edges(self, session: Session, insured: dict[str, Person]) -> None:
        # 2020-12-31: C, and F who started in December; A ended in November = 2.
        assert value(session, self.item, "50", "2020") == 2
        # 2019-12-31: A and C = 2; November 2020: A (ends in it) and C = 2.
        assert value(session, self.item, "50", "2019") == 2
        assert value(session, self.item, "500103", "2020-11") == 2
        assert value(session, self.item, "500157", "2020-11") == 0

    def test_breakdown_and_records(self, session: Session,
                                   insured: dict[str, Person]) -> None:
        by = districts(session, self.item, "50", "2020")
        assert {k: v.numerator for k, v in by.items()} == {"500103": 1, "500157": 1}
        assert sorted(r["name"] for r in records(session, self.item, "50", "2020")) == [
            "人员C", "人员F"]


@pytest.fixture
def poor(session: Session) -> dict[str, Person]:
    """Poverty-registered people (建档立卡) and 2020:

    - P1 500103, registered from 2016, resident pension from 2016-01; the government
      pays 2020 in full (500103's 代缴 rule: 100 % of the lowest grade);
    - P2 500106, registered 2019-01-01…2020-06-30, resident pension from 2020-01; nobody
      paid 2020 (500106 has no 代缴 rule);
    - P3 500103, registered from 2020-03-01, employee pension 2019-01…2020-05 then
      resident pension from 2020-06 (two spans in 2020); the government pays 2020;
    - P4 500103, registered 2018…2019-12-31 only, not enrolled (not 2020's register);
    - P5 500106, registered from 2020-12-31 (the last day), not enrolled;
    - P6 500105 (abolished; now 500157), registered from 2017, resident pension from
      2017-01, paid 2020 herself at the 100-yuan grade;
    - P7 510104 (Sichuan), registered from 2016, resident pension from 2016-01;
    - P8 500103, born 2005 (15 at the end of 2020), registered from 2016, not enrolled.
    """
    f.contribution_rule(session)
    session.add_all([
        ResidentPensionGrade(region_prefix="50", valid_from=201601, amount=Decimal(100),
                             subsidy=Decimal(30), source="测试"),
        GovernmentPaymentRule(region_prefix="500103", valid_from=201601,
                              designation="poverty_registered", share_ppm=1_000_000,
                              source="测试")])
    session.flush()
    firm = f.employer(session)
    plan = {"P1": ("500103", date(2016, 1, 1), None), "P2": ("500106", date(2019, 1, 1),
                                                          date(2020, 6, 30)),
            "P3": ("500103", date(2020, 3, 1), None), "P4": ("500103", date(2018, 1, 1),
                                                          date(2019, 12, 31)),
            "P5": ("500106", date(2020, 12, 31), None), "P6": ("500157", date(2017, 1, 1),
                                                            None),
            "P7": ("510104", date(2016, 1, 1), None), "P8": ("500103", date(2016, 1, 1), None)}
    people: dict[str, Person] = {}
    for name, (region, since, until) in plan.items():
        rid = f.resident_id(region, date(2005, 6, 1)) if name == "P8" else None
        people[name] = f.person(session, name=f"贫困{name}", residence_region=region,
                                resident_id=rid, hukou_type="rural")
        service.designate(session, SYSTEM, people[name].id, "poverty_registered", since,
                          until)
    for name, start in (("P1", "2016-01"), ("P2", "2020-01"), ("P6", "2017-01"),
                        ("P7", "2016-01"), ("P3", "2020-06")):
        f.enrolment(session, people[name].id, "resident_pension", start_month=start)
    f.enrolment(session, people["P3"].id, "employee_pension", start_month="2019-01",
                end_month="2020-05", employer_id=firm.id)
    service.pay_resident_pension(session, SYSTEM, ResidentPayment(
        person_id=people["P6"].id, year=2020, grade=Decimal(100)))
    service.government_pay_resident(session, SYSTEM, year=2020, region_prefix="50")
    legacy_jiangbei(session, people["P6"])
    return people


class TestPovertyPensionEnrolled:
    item = indicators.POVERTY_PENSION_ENROLLED

    def test_the_rate_for_2020(self, session: Session, poor: dict[str, Person]) -> None:
        # 2020's register in 50, 16+ and alive: P1 P2 P3 P5 P6 = 5 (P4 left in 2019, P8
        # is 15, P7 is in Sichuan). Enrolled: P1 P2 P3 (two spans, once) P6 = 4 → 80 %.
        assert figure(session, self.item, "50", "2020") == Figure(Decimal(4), Decimal(5))
        assert value(session, self.item, "50", "2016-2020") == Decimal(80)

    def test_the_page_shows_the_same_figure(self, session: Session,
                                            poor: dict[str, Person]) -> None:
        checks = service.poverty_checks(session, SYSTEM, region="50", year=2020)
        assert (checks.enrolled, checks.should_enrol) == (4, 5)
        assert checks.not_enrolled_ids == [poor["P5"].id]

    def test_period_edges(self, session: Session, poor: dict[str, Person]) -> None:
        # 2019: P1 P2 P4 P6 on the register (P3 from 2020, P5 from 2020-12-31; P8 is 14).
        # Enrolled in 2019: P1 and P6 (P2 only from 2020-01, P4 never) = 2 of 4 → 50 %.
        assert figure(session, self.item, "50", "2019") == Figure(Decimal(2), Decimal(4))

    def test_regions_and_breakdown(self, session: Session, poor: dict[str, Person]) -> None:
        assert figure(session, self.item, "500157", "2020") == Figure(Decimal(1), Decimal(1))
        assert figure(session, self.item, "51", "2020") == Figure(Decimal(1), Decimal(1))
        by = districts(session, self.item, "50", "2020")
        # 500103: P1 P3 / P1 P3; 500106: P2 / P2 P5; 500157: P6 / P6.
        assert by == {"500103": Figure(Decimal(2), Decimal(2)),
                      "500106": Figure(Decimal(1), Decimal(2)),
                      "500157": Figure(Decimal(1), Decimal(1))}

    def test_records(self, session: Session, poor: dict[str, Person]) -> None:
        rows = records(session, self.item, "50", "2020")
        assert {r["name"]: r["detail"] for r in rows} == {
            "贫困P1": "已参加基本养老保险", "贫困P2": "已参加基本养老保险",
            "贫困P3": "已参加基本养老保险", "贫困P5": "应保未保", "贫困P6": "已参加基本养老保险"}


class TestPovertyPensionPaid:
    item = indicators.POVERTY_PENSION_PAID

    def test_the_rate_for_2020(self, session: Session, poor: dict[str, Person]) -> None:
        # Should pay (resident pension in 2020): P1 P2 P3 P6 = 4. Paid: P1 and P3 by the
        # government (代缴), P6 herself = 3 → 75 %.
        assert figure(session, self.item, "50", "2020") == Figure(Decimal(3), Decimal(4))
        assert value(session, self.item, "50", "2020") == Decimal(75)
        checks = service.poverty_checks(session, SYSTEM, region="50", year=2020)
        assert (checks.paid, checks.should_pay) == (3, 4)
        assert checks.not_paid_ids == [poor["P2"].id]

    def test_period_and_regions(self, session: Session, poor: dict[str, Person]) -> None:
        # 2019: P1 and P6 should pay; no 2019 contribution anywhere → 0 of 2.
        assert figure(session, self.item, "50", "2019") == Figure(Decimal(0), Decimal(2))
        assert figure(session, self.item, "500157", "2020") == Figure(Decimal(1), Decimal(1))
        # P7 (Sichuan): should pay, has not (no 代缴 rule in 51).
        assert figure(session, self.item, "51", "2020") == Figure(Decimal(0), Decimal(1))

    def test_breakdown_and_records(self, session: Session, poor: dict[str, Person]) -> None:
        by = districts(session, self.item, "50", "2020")
        assert by == {"500103": Figure(Decimal(2), Decimal(2)),
                      "500106": Figure(Decimal(0), Decimal(1)),
                      "500157": Figure(Decimal(1), Decimal(1))}
        rows = records(session, self.item, "50", "2020")
        assert {r["name"]: r["detail"] for r in rows} == {
            "贫困P1": "当年已缴费（含政府代缴）", "贫困P2": "应缴未缴",
            "贫困P3": "当年已缴费（含政府代缴）", "贫困P6": "当年已缴费（含政府代缴）"}


def test_every_indicator_is_registered_with_its_permission() -> None:
    from minsheng.platform import indicators as catalogue

    for item in indicators.INDICATORS:
        assert catalogue.get(item.id) is item
        assert (item.domain, item.permission) == ("参保缴费", "insurance:coverage")
        assert item.records is not None
