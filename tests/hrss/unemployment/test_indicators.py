"""The scorecard's unemployment-insurance indicators on small hand-built datasets, with
answers computed by hand (see each comment): the benefit standard in force, benefit
paid and its recipients, and job-stabilisation refunds (shared with the refunds page)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.models import Contribution
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.hrss.unemployment import indicators as ind
from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import JobStabilisationRefund, UnemploymentPayment
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import claim, insured, payroll


def value(session: Session, item: Indicator, region: str, period: str) -> Decimal | None:
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def districts(session: Session, item: Indicator, region: str, period: str
              ) -> dict[str, Decimal]:
    found = item.compute(session, Cut(region, parse_period(period), by_district=True))
    return {k: item.value(fig) or Decimal(0) for k, fig in found.items()}


def records(session: Session, item: Indicator, region: str, period: str
            ) -> list[dict[str, Any]]:
    assert item.records is not None
    return [dict(r) for r in session.execute(
        item.records(Cut(region, parse_period(period)))).mappings()]


def _publish(session: Session, region: str, month: str, amount: str) -> None:
    service.publish_benefit_rate(session, SYSTEM, region_prefix=region, valid_from=month,
                                 monthly_amount=Decimal(amount), source="测试发布",
                                 source_status="confirmed")


class TestBenefitStandard:
    """The migration's city rows: 1,200 from 2018-08, 1,440 from 2019-01 (prefix 50)."""

    item = ind.UNEMPLOYMENT_BENEFIT_STANDARD

    def test_in_force_at_period_end(self, session: Session) -> None:
        assert value(session, self.item, "50", "2016-2020") == Decimal("1440.00")
        assert value(session, self.item, "50", "2018") == Decimal("1200.00")  # 2018-12
        assert value(session, self.item, "50", "2018-08") == Decimal("1200.00")  # first month
        assert value(session, self.item, "50", "2018-07") is None  # none in force yet
        assert value(session, self.item, "500103", "2020") == Decimal("1440.00")
        assert value(session, self.item, "51", "2020") is None  # Sichuan: not ours

    def test_a_district_rate_and_the_city(self, session: Session) -> None:
        _publish(session, "500102", "2020-01", "1500")  # 涪陵 its own from 2020-01
        # The city keeps its own rate; the district reads its own from its first month.
        assert value(session, self.item, "50", "2020") == Decimal("1440.00")
        assert value(session, self.item, "500102", "2020") == Decimal("1500.00")
        assert value(session, self.item, "500102", "2019") == Decimal("1440.00")
        found = districts(session, self.item, "50", "2020")
        assert found["500102"] == Decimal("1500.00")
        assert found["500103"] == found["500157"] == Decimal("1440.00")
        assert "500105" not in found  # abolished: not a district today

    def test_not_a_record_list(self) -> None:
        assert self.item.records is None and self.item.article_value == 1440


def _send(session: Session, month: int) -> None:
    """What the payroll run does after queueing: the bank file carries the queued
    payments, which become ``sent``."""
    session.execute(text("UPDATE unemployment_payment SET status = 'sent' "
                         "WHERE payroll_month = :m AND status = 'queued'"), {"m": month})


@pytest.fixture
def paid(session: Session) -> dict[str, Person]:
    """Claims (Chongqing ladder: 24 insured months → 6 benefit months at 1,440; Sichuan
    has no ladder of ours → statutory 12 months, at a 1,500 rate published for 51):

    - 甲 500103, insured 2018-01…2019-12, registered 2020-01-06: 2020-01…06;
    - 乙 500106, insured 2018-02…2020-01, registered 2020-02-03: 2020-02…07;
    - 丙 500103, insured 2018-12…2020-11, registered 2020-12-01: from 2020-12;
    - 丁 510104 (Sichuan), insured 2018-01…2020-02, registered 2020-03-02: from 2020-03;
    - 戊 500157, insured 2018-01…2019-12, registered 2020-01-06: 2020-01…06; their
      payments carry the old code 500105 (records from before the re-division).

    Payrolls: 2020-03 (sent), 2020-04 (sent; the bank returns 乙's payment as failed,
    the rest paid), 2020-12 (sent; 乙's failed month re-queued in it).
    """
    f.contribution_rule(session, region="50", valid_from="2015-01")
    f.contribution_rule(session, region="51", valid_from="2015-01")
    _publish(session, "51", "2019-01", "1500")
    plan = [("甲", "500103", "2018-01", "2019-12", date(2020, 1, 6)),
            ("乙", "500106", "2018-02", "2020-01", date(2020, 2, 3)),
            ("丙", "500103", "2018-12", "2020-11", date(2020, 12, 1)),
            ("丁", "510104", "2018-01", "2020-02", date(2020, 3, 2)),
            ("戊", "500157", "2018-01", "2019-12", date(2020, 1, 6))]
    people: dict[str, Person] = {}
    for name, region, start, end, registered in plan:
        people[name], _ = insured(session, start=start, end=end, region=region, name=name)
        if registered <= date(2020, 4, 30):
            claim(session, people[name], registered)
    payroll(session, 202003)
    _send(session, 202003)
    payroll(session, 202004)
    _send(session, 202004)
    failed = session.scalar(select(UnemploymentPayment.id).where(
        UnemploymentPayment.person_id == people["乙"].id,
        UnemploymentPayment.benefit_month == 202004))
    assert failed is not None
    assert service.reconcile(session, SYSTEM, month="2020-04",
                             failures=[(failed, "账户已销户")]) == (3, 1)
    claim(session, people["丙"], date(2020, 12, 1))
    payroll(session, 202012)
    _send(session, 202012)
    session.execute(update(UnemploymentPayment).where(
        UnemploymentPayment.person_id == people["戊"].id).values(region="500105"))
    return people


class TestBenefitPaid:
    item = ind.UNEMPLOYMENT_BENEFIT_PAID

    def test_periods(self, session: Session, paid: dict[str, Person]) -> None:
        # 2020 in 50: 甲 6, 乙 6 (its failed April month re-paid in December), 丙 1,
        # 戊 6 = 19 months × 1,440 = 27,360.
        assert value(session, self.item, "50", "2020") == Decimal("27360.00")
        assert value(session, self.item, "50", "2016-2020") == Decimal("27360.00")
        # Payroll 2020-03: 甲 3, 乙 2, 戊 3 = 8 × 1,440.
        assert value(session, self.item, "50", "2020-03") == Decimal("11520.00")
        # Q2: payroll 2020-04 — 甲 and 戊 (乙's failed payment is not paid) = 2 × 1,440.
        assert value(session, self.item, "50", "2020Q2") == Decimal("2880.00")
        # Payroll 2020-12 (31 December's month): 甲 2, 乙 1 + 3, 丙 1, 戊 2 = 9 × 1,440.
        assert value(session, self.item, "50", "2020-12") == Decimal("12960.00")
        assert value(session, self.item, "50", "2021") == Decimal("0.00")
        # Sichuan: 丁 2020-03…12 = 10 × 1,500 — in 51, not in 50.
        assert value(session, self.item, "51", "2020") == Decimal("15000.00")

    def test_by_district_sums_to_the_total(self, session: Session,
                                           paid: dict[str, Person]) -> None:
        found = districts(session, self.item, "50", "2020")
        # 渝中 甲 8,640 + 丙 1,440; 沙坪坝 乙 8,640; 500105 → 500157 戊 8,640.
        assert found == {"500103": Decimal("10080.00"), "500106": Decimal("8640.00"),
                         "500157": Decimal("8640.00")}
        assert sum(found.values()) == value(session, self.item, "50", "2020")

    def test_records(self, session: Session, paid: dict[str, Person]) -> None:
        rows = records(session, self.item, "500106", "2020")
        # 乙: 2020-02, 03 (payroll 03), 04 and 05…07 (payroll 12) = 6 months.
        assert len(rows) == 6 and {r["name"] for r in rows} == {"乙"}
        assert rows[0]["detail"] == "202002 月失业保险金，202003 批次发放"


class TestBenefitRecipients:
    item = ind.UNEMPLOYMENT_BENEFIT_RECIPIENTS

    def test_periods_and_dedup(self, session: Session, paid: dict[str, Person]) -> None:
        # 2020: 甲 乙 丙 戊, each once though paid in several payrolls.
        assert value(session, self.item, "50", "2020") == 4
        assert value(session, self.item, "50", "2020-03") == 3  # 甲 乙 戊
        assert value(session, self.item, "50", "2020Q2") == 2  # 甲 戊
        assert value(session, self.item, "50", "2020-12") == 4
        assert value(session, self.item, "50", "2019") == 0
        assert value(session, self.item, "51", "2020") == 1  # 丁
        assert value(session, self.item, "500157", "2020") == 1  # 戊, under 500105

    def test_by_district_and_records(self, session: Session,
                                     paid: dict[str, Person]) -> None:
        found = districts(session, self.item, "50", "2020")
        assert found == {"500103": 2, "500106": 1, "500157": 1}
        rows = records(session, self.item, "50", "2020")
        assert sorted(r["name"] for r in rows) == ["丙", "乙", "戊", "甲"]
        first = {r["name"]: r["detail"] for r in rows}
        assert first["丙"] == "首次发放：202012 批次"


def _assess_and_pay(session: Session, year: int) -> None:
    for m in range(1, 13):
        period = year * 100 + m
        assessment._stage_rules(session, period, "")
        insurance.assess_batch(session, period=period, prefix="", low=0, high=2**31 - 1,
                               run_id=None)
    for employer_id, period, due in session.execute(
            select(Contribution.employer_id, Contribution.period,
                   func.sum(Contribution.employer_amount + Contribution.personal_amount))
            .where(Contribution.status == "due", Contribution.employer_id.is_not(None),
                   Contribution.period.between(year * 100 + 1, year * 100 + 12))
            .group_by(Contribution.employer_id, Contribution.period)).all():
        insurance.pay_employer(session, SYSTEM, employer_id,
                               f"{period // 100}-{period % 100:02d}",
                               Decimal(str(due)).quantize(Decimal("0.01")))


@pytest.fixture
def refunded(session: Session) -> dict[str, Employer]:
    """Small firms whose staff pay unemployment insurance on 8,000 yuan a month
    (0.5 % + 0.5 % = 80 yuan a month, 960 a year per person), every month paid:

    - 渝中 A: 2 staff in 2019 and 2020; 沙坪坝 B: 1 staff; 江北 C: 1 staff (its 2020
      refund recorded under the old code 500105); 成都 D: 1 staff (Sichuan).

    Refund year 2020 (2019 contributions, SMEs 100 %): A 1,920, B 960, C 960, D 960;
    A, C and D paid, B approved but not yet paid. Refund year 2021 (2020 contributions,
    SMEs 60 %): A 1,152 paid, the others still computed."""
    f.contribution_rule(session, region="50", valid_from="2015-01")
    f.contribution_rule(session, region="51", valid_from="2015-01")
    firms = {"A": f.employer(session, name="渝中甲公司", region="500103"),
             "B": f.employer(session, name="沙坪坝乙公司", region="500106"),
             "C": f.employer(session, name="两江丙公司", region="500157"),
             "D": f.employer(session, name="成都丁公司", region="510104")}
    for key, staff in (("A", 2), ("B", 1), ("C", 1), ("D", 1)):
        for _ in range(staff):
            p = f.person(session, residence_region=firms[key].region)
            f.enrolment(session, p.id, "unemployment", employer_id=firms[key].id,
                        start_month="2019-01", declared_wage=Decimal("8000"))
    _assess_and_pay(session, 2019)
    refunds.compute_refunds(session, SYSTEM, year=2020, today=date(2020, 3, 1))
    by_employer = {r.employer_id: r for r in session.scalars(
        select(JobStabilisationRefund).where(JobStabilisationRefund.year == 2020))}
    chosen = [by_employer[firms[k].id].id for k in "ACD"]
    assert refunds.review_refunds(session, SYSTEM, year=2020, refund_ids=chosen) == 3
    assert refunds.mark_refunds_paid(session, SYSTEM, year=2020) == 3
    refunds.review_refunds(session, SYSTEM, year=2020)  # B approved, not paid
    session.execute(update(JobStabilisationRefund).where(
        JobStabilisationRefund.id == by_employer[firms["C"].id].id).values(region="500105"))
    _assess_and_pay(session, 2020)
    refunds.compute_refunds(session, SYSTEM, year=2021, today=date(2021, 3, 1))
    a2021 = session.scalar(select(JobStabilisationRefund.id).where(
        JobStabilisationRefund.year == 2021, JobStabilisationRefund.employer_id == firms["A"].id))
    assert a2021 is not None
    refunds.review_refunds(session, SYSTEM, year=2021, refund_ids=[a2021])
    refunds.mark_refunds_paid(session, SYSTEM, year=2021)
    session.flush()
    return firms


class TestJobStabilisationRefunds:
    amount = ind.JOB_STABILISATION_REFUND_AMOUNT
    employers = ind.JOB_STABILISATION_REFUND_EMPLOYERS
    employees = ind.JOB_STABILISATION_REFUND_EMPLOYEES

    def test_the_page_and_the_scorecard_agree(self, session: Session,
                                              refunded: dict[str, Employer]) -> None:
        city = f.staff(session, "statistician", "500000")
        totals = refunds.refund_totals(session, city, year=2020)
        # Paid in 2020 in 50: A 1,920 + C 960 (D is in Sichuan) with 2 + 1 staff.
        assert totals.by_status["paid"] == (2, Decimal("2880.00"), 3)
        assert value(session, self.amount, "50", "2020") == totals.by_status["paid"][1]
        assert value(session, self.employers, "50", "2020") == totals.by_status["paid"][0]
        assert value(session, self.employees, "50", "2020") == totals.by_status["paid"][2]
        # The page's districts: 渝中 1,920 and 两江新区 (C under 500105) 960 paid.
        by_district = {d.region: d.paid for d in refunds.refunds_by_district(
            session, city, year=2020)}
        assert by_district["500103"] == Decimal("1920.00")
        assert by_district["500157"] == Decimal("960.00")
        assert districts(session, self.amount, "50", "2020") == {
            "500103": Decimal("1920.00"), "500157": Decimal("960.00")}

    def test_periods(self, session: Session, refunded: dict[str, Employer]) -> None:
        # A year's refunds count in the period holding its 31 December.
        assert value(session, self.amount, "50", "2020Q4") == Decimal("2880.00")
        assert value(session, self.amount, "50", "2020-12") == Decimal("2880.00")
        assert value(session, self.amount, "50", "2020Q3") == Decimal("0.00")
        # 2021: A's 1,152 (1,920 × 60 %); the others are not paid.
        assert value(session, self.amount, "50", "2021") == Decimal("1152.00")
        assert value(session, self.amount, "50", "2020-2021") == Decimal("4032.00")
        assert value(session, self.amount, "50", "2016-2020") == Decimal("2880.00")
        assert value(session, self.amount, "51", "2020") == Decimal("960.00")  # D

    def test_dedup(self, session: Session, refunded: dict[str, Employer]) -> None:
        # 2020–2021: firms A (both years, once) and C = 2; employees 2 + 1 + 2 = 5.
        assert value(session, self.employers, "50", "2020-2021") == 2
        assert value(session, self.employees, "50", "2020-2021") == 5
        found = districts(session, self.employers, "50", "2020-2021")
        assert found == {"500103": 1, "500157": 1}
        assert sum(found.values()) == 2
        assert districts(session, self.employees, "50", "2020-2021") == {
            "500103": 4, "500157": 1}

    def test_records(self, session: Session, refunded: dict[str, Employer]) -> None:
        rows = records(session, self.amount, "50", "2020-2021")
        assert [(r["name"], r["resident_id"], r["detail"]) for r in rows] == [
            ("渝中甲公司", None, "2020 年度稳岗返还，参保职工 2 人"),
            ("两江丙公司", None, "2020 年度稳岗返还，参保职工 1 人"),
            ("渝中甲公司", None, "2021 年度稳岗返还，参保职工 2 人")]
        assert rows[0]["record"] == refunded["A"].uscc
