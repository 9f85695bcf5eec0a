"""The pension domain's scorecard indicators on small hand-built data sets: people in
payment, the certification rate, and 应发尽发 of poverty-registered pensioners. Expected
values are counted by hand in the comments; 应发尽发 is also checked against the poverty
report page's own service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.pension import indicators, service
from minsheng.hrss.pension.models import CertificationCycle, PensionPayment, PensionPayrollRun
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Person
from minsheng.platform import bulk, payroll
from minsheng.platform.db import utcnow
from minsheng.platform.indicators import Cut, Figure, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def figure(session: Session, item: Indicator, region: str, period: str) -> Figure | None:
    return item.compute(session, Cut(region, parse_period(period))).get("")


def districts(session: Session, item: Indicator, region: str, period: str) -> dict[str, Figure]:
    return dict(item.compute(session, Cut(region, parse_period(period), by_district=True)))


def records(session: Session, item: Indicator, region: str,
            period: str) -> list[dict[str, Any]]:
    assert item.records is not None
    return [dict(r) for r in session.execute(
        item.records(Cut(region, parse_period(period)))).mappings()]


def recipient(session: Session, name: str, region: str) -> Person:
    """A man in payment from 2020-02 (``f.recipient``); 500105 江北区 (abolished) is an
    old residence record: it counts in 500157 两江新区 as divided today."""
    person: Person = f.recipient(session, region="500157" if region == "500105" else region)
    person.name = name
    if region == "500105":
        person.residence_region = "500105"
    session.flush()
    return person


def certify(session: Session, person: Person, *days: date) -> None:
    for day in days:
        service.certify(session, SYSTEM, person.id, method="data_comparison", on=day)


def pay_month(session: Session, month: int) -> None:
    """One payroll month inside the test's transaction: queue (the payroll's set-based
    core), send the bank file, and record the run as finished."""
    payroll.stage_months(session, month)
    service._payroll_batch(session, month, 0, 2**31 - 1)
    bulk.drop_temp_table(session, "payroll_months")
    session.execute(text("UPDATE pension_payment SET status = 'sent' "
                         "WHERE payroll_month = :m AND status = 'queued'"), {"m": month})
    session.add(PensionPayrollRun(payroll_month=month, actor="test", finished_at=utcnow()))
    session.flush()


@pytest.fixture
def pensioners(session: Session) -> dict[str, Person]:
    """Recipients in payment from 2020-02 (cycle: 12 months everywhere):

    - R1 500103: certified 2020-03-01;
    - R2 500103: certified 2020-12-31 (the last day of 2020);
    - R3 500106: certified 2021-01-01 (the first day of 2021);
    - R4 500105 (abolished; now 500157): certified 2020-06-01 and 2021-06-01;
    - R5 510104 (Sichuan): certified 2020-06-01;
    - R6 500103: certified 2020-05-01, died 2021-06-15;
    - R7 500106: certified 2020-10-01, lapsed (due 2021-10-01), suspended from 2021-12.
    """
    f.contribution_rule(session)
    f.contribution_rule(session, region="51")
    people = {name: recipient(session, name, region) for name, region in (
        ("R1", "500103"), ("R2", "500103"), ("R3", "500106"), ("R4", "500105"),
        ("R5", "510104"), ("R6", "500103"), ("R7", "500106"))}
    certify(session, people["R1"], date(2020, 3, 1))
    certify(session, people["R2"], date(2020, 12, 31))
    certify(session, people["R3"], date(2021, 1, 1))
    certify(session, people["R4"], date(2020, 6, 1), date(2021, 6, 1))
    certify(session, people["R5"], date(2020, 6, 1))
    certify(session, people["R6"], date(2020, 5, 1))
    certify(session, people["R7"], date(2020, 10, 1))
    registry.record_death(session, SYSTEM, people["R6"].id, date(2021, 6, 15))
    r7 = people["R7"].id
    assert service.suspend_lapsed(session, month=202112, low=r7, high=r7 + 1) == 1
    return people


class TestPensionersInPayment:
    item = indicators.PENSIONERS_IN_PAYMENT

    def test_stock_at_the_period_end(self, session: Session,
                                     pensioners: dict[str, Person]) -> None:
        # 2020-12-31, 50: R1 R2 R3 R4 R6 R7 = 6 (R5 lives in Sichuan).
        assert self.item.value(figure(session, self.item, "50", "2020")) == 6
        assert self.item.value(figure(session, self.item, "50", "2016-2020")) == 6
        # 2021-12-31: R6 died in June, R7 suspended in December → R1 R2 R3 R4 = 4.
        assert self.item.value(figure(session, self.item, "50", "2021")) == 4

    def test_period_edges(self, session: Session, pensioners: dict[str, Person]) -> None:
        # Payment starts in 2020-02: nobody in January, all six in February.
        assert self.item.value(figure(session, self.item, "50", "2020-01")) == 0
        assert self.item.value(figure(session, self.item, "50", "2020-02")) == 6
        # R6 died 2021-06-15: in payment at the end of May, not at the end of June.
        assert self.item.value(figure(session, self.item, "500103", "2021-05")) == 3
        assert self.item.value(figure(session, self.item, "500103", "2021-06")) == 2
        # R7's suspension starts in December: still in payment at the end of November.
        assert self.item.value(figure(session, self.item, "500106", "2021-11")) == 2
        assert self.item.value(figure(session, self.item, "500106", "2021-12")) == 1

    def test_regions_and_breakdown(self, session: Session,
                                   pensioners: dict[str, Person]) -> None:
        assert self.item.value(figure(session, self.item, "500157", "2020")) == 1  # R4
        assert self.item.value(figure(session, self.item, "51", "2020")) == 1  # R5
        by = districts(session, self.item, "50", "2020")
        # 500103: R1 R2 R6; 500106: R3 R7; 500157: R4 (recorded as 500105).
        assert {k: v.numerator for k, v in by.items()} == {"500103": 3, "500106": 2,
                                                           "500157": 1}
        assert sum(v.numerator for v in by.values()) == 6

    def test_records(self, session: Session, pensioners: dict[str, Person]) -> None:
        rows = records(session, self.item, "50", "2021")
        assert sorted(r["name"] for r in rows) == ["R1", "R2", "R3", "R4"]
        assert {r["detail"] for r in rows} == {"职工基本养老金"}
        assert all(len(r["resident_id"]) == 18 for r in rows)


class TestPensionCertificationRate:
    item = indicators.PENSION_CERTIFICATION_RATE

    def test_rate_at_the_end_of_2020(self, session: Session,
                                     pensioners: dict[str, Person]) -> None:
        # In payment: R1 R2 R3 R4 R6 R7 = 6. Certified 2020-01-01…2020-12-31: R1, R2 (on
        # the last day), R4, R6, R7 = 5; R3 only on 2021-01-01. 5 ÷ 6 = 83.33 %.
        assert figure(session, self.item, "50", "2020") == Figure(Decimal(5), Decimal(6))
        assert self.item.value(figure(session, self.item, "50", "2020")) == Decimal("83.33")

    def test_rate_at_the_end_of_2021(self, session: Session,
                                     pensioners: dict[str, Person]) -> None:
        # In payment: R1 R2 R3 R4 = 4. Certified 2021-01-01…2021-12-31: R3 (on the first
        # day), R4 (twice in the cycle: once) = 2; R2's 2020-12-31 is one day too early.
        assert figure(session, self.item, "50", "2021") == Figure(Decimal(2), Decimal(4))
        # November 2021: R7 (certified 2020-10-01, due 2021-10-01) is in payment but not
        # certified: window 2020-12-01…2021-11-30 → R2 R3 R4 of R1 R2 R3 R4 R7 = 3 of 5.
        assert figure(session, self.item, "50", "2021-11") == Figure(Decimal(3), Decimal(5))

    def test_the_cycle_in_force_for_the_region_is_used(
            self, session: Session, pensioners: dict[str, Person]) -> None:
        session.add(CertificationCycle(region_prefix="500106", valid_from=202101,
                                       cycle_months=6, reminder_months=5, source="测试"))
        session.flush()
        # 500106 at the end of 2021: only R3 in payment; a 6-month cycle makes the window
        # 2021-07-01…2021-12-31, and R3 certified on 2021-01-01 → 0 of 1.
        assert figure(session, self.item, "500106", "2021") == Figure(Decimal(0), Decimal(1))
        # Elsewhere the 12-month cycle still holds: R4 → 1 of 1.
        assert figure(session, self.item, "500157", "2021") == Figure(Decimal(1), Decimal(1))

    def test_regions_breakdown_records(self, session: Session,
                                       pensioners: dict[str, Person]) -> None:
        assert figure(session, self.item, "51", "2020") == Figure(Decimal(1), Decimal(1))
        by = districts(session, self.item, "50", "2020")
        # 500103: R1 R2 R6 all certified; 500106: R7 of R3 R7; 500157: R4.
        assert by == {"500103": Figure(Decimal(3), Decimal(3)),
                      "500106": Figure(Decimal(1), Decimal(2)),
                      "500157": Figure(Decimal(1), Decimal(1))}
        rows = {r["name"]: (r["day"], r["detail"]) for r in
                records(session, self.item, "50", "2021")}
        assert rows == {"R1": (date(2020, 3, 1), "未在认证周期内认证"),
                        "R2": (date(2020, 12, 31), "未在认证周期内认证"),
                        "R3": (date(2021, 1, 1), "认证周期内已认证"),
                        "R4": (date(2021, 6, 1), "认证周期内已认证")}


@pytest.fixture
def poor_pensioners(session: Session) -> dict[str, Person]:
    """Recipients in payment from 2020-02 and the poverty register (建档立卡):

    - Q1 500103, registered from 2016;        - Q3 500103, not registered;
    - Q2 500106, registered from 2019; his December 2020 payment failed at the bank;
    - Q4 500105 (abolished; now 500157), registered from 2017;
    - Q5 510104 (Sichuan), registered from 2016;
    - Q6 500103, registered 2016-01-01…2020-11-30;
    - Q7 500103, registered from 2020-12-31.

    Payrolls of 2020-11 and 2020-12 ran to the end."""
    f.contribution_rule(session)
    f.contribution_rule(session, region="51")
    registered = {"Q1": ("500103", date(2016, 1, 1), None),
                  "Q2": ("500106", date(2019, 1, 1), None),
                  "Q3": ("500103", None, None),
                  "Q4": ("500105", date(2017, 1, 1), None),
                  "Q5": ("510104", date(2016, 1, 1), None),
                  "Q6": ("500103", date(2016, 1, 1), date(2020, 11, 30)),
                  "Q7": ("500103", date(2020, 12, 31), None)}
    people = {}
    for name, (region, since, until) in registered.items():
        people[name] = recipient(session, name, region)
        if since is not None:
            insurance.designate(session, SYSTEM, people[name].id, "poverty_registered",
                                since, until)
    pay_month(session, 202011)
    pay_month(session, 202012)
    failed = session.scalar(select(PensionPayment.id).where(
        PensionPayment.person_id == people["Q2"].id, PensionPayment.benefit_month == 202012))
    assert failed is not None
    assert service.reconcile(session, SYSTEM, month="2020-12",
                             failures=[(failed, "账户状态异常")]) == (6, 1)
    return people


class TestPovertyPensionBenefitPaid:
    item = indicators.POVERTY_PENSION_BENEFIT_PAID

    def test_rate_for_2020(self, session: Session,
                           poor_pensioners: dict[str, Person]) -> None:
        # Read at 2020-12, the last month paid. Eligible in 50: Q1 Q2 Q4 Q7 (registered on
        # the last day) = 4; Q6 left the register in November, Q3 was never on it, Q5 is
        # in Sichuan. Paid: Q1 Q4 Q7 = 3 (Q2's payment failed). 3 ÷ 4 = 75 %.
        assert figure(session, self.item, "50", "2020") == Figure(Decimal(3), Decimal(4))
        assert self.item.value(figure(session, self.item, "50", "2016-2020")) == Decimal(75)

    def test_the_page_shows_the_same_figure(self, session: Session,
                                            poor_pensioners: dict[str, Person]) -> None:
        report = service.poverty_report(session, SYSTEM, region="50", year=2020,
                                        month="2020-12")
        assert (sum(d.paid_benefit for d in report.districts),
                sum(d.eligible_benefit for d in report.districts)) == (3, 4)
        assert report.benefit_not_paid_ids == [poor_pensioners["Q2"].id]
        by_page = {d.region: (d.paid_benefit, d.eligible_benefit) for d in report.districts}
        assert by_page == {"500103": (2, 2), "500106": (0, 1), "500157": (1, 1)}

    def test_period_edges(self, session: Session,
                          poor_pensioners: dict[str, Person]) -> None:
        # November 2020: Q1 Q2 Q4 Q6 (still registered) eligible, all four paid.
        assert figure(session, self.item, "50", "2020-11") == Figure(Decimal(4), Decimal(4))
        # A period with no finished payroll has no figure: 0 ÷ 0.
        assert self.item.value(figure(session, self.item, "50", "2021")) is None

    def test_regions_breakdown_records(self, session: Session,
                                       poor_pensioners: dict[str, Person]) -> None:
        assert figure(session, self.item, "500157", "2020") == Figure(Decimal(1), Decimal(1))
        assert figure(session, self.item, "51", "2020") == Figure(Decimal(1), Decimal(1))
        by = districts(session, self.item, "50", "2020")
        assert by == {"500103": Figure(Decimal(2), Decimal(2)),
                      "500106": Figure(Decimal(0), Decimal(1)),
                      "500157": Figure(Decimal(1), Decimal(1))}
        rows = {r["name"]: r["detail"] for r in records(session, self.item, "50", "2020")}
        assert rows == {"Q1": "当月待遇已发放", "Q2": "应发未发", "Q4": "当月待遇已发放",
                        "Q7": "当月待遇已发放"}


def test_every_indicator_is_registered_with_its_permission() -> None:
    from minsheng.platform import indicators as catalogue

    for item in indicators.INDICATORS:
        assert catalogue.get(item.id) is item
        assert (item.domain, item.permission) == ("养老待遇", "pension:read")
