"""A person's resident-pension record: paid and unpaid years, the account, what the scheme
requires (超龄 rules) and the employee months that count with it (衔接). Figures by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.insurance.models import AccountInterestRate, ResidentSchemeStart
from minsheng.platform.errors import NotFound
from tests import factories as f
from tests.factories import resident as r


class TestResidentRecord:
    def test_paid_2011_to_2025_is_fifteen_years(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1966, 1, 15))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01")
        r.pay(session, p, range(2011, 2026))
        record = service.resident_record(session, p.id, 202601)
        # 15 years × 12 = 180 months; account 15 × (500 + 60) = 8,400.00.
        assert record.paid_years == tuple(range(2011, 2026))
        assert (record.resident_months, record.counted_months) == (180, 180)
        assert record.account_balance == Decimal("8400.00")
        assert record.unpaid_years == (2026,)  # enrolled, nothing paid yet this year
        # 45 on 2011-07-01 (born 1966-01-15) → 15 years needed, none missing.
        assert (record.required_months, record.missing_months) == (180, 0)

    def test_both_schemes_count_once_and_the_overlap_is_refunded(
        self, session: Session
    ) -> None:
        # No credited rate on record: the employee account's interest is tested with the
        # employee record; here the counting across the schemes stands alone.
        session.execute(delete(AccountInterestRate))
        f.contribution_rule(session)  # average wage 8,000
        r.parameters(session)
        p = r.born(session, date(1966, 1, 15))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01",
                    end_month="2015-06")
        f.enrolment(session, p.id, start_month="2015-07", end_month="2020-12",
                    declared_wage=Decimal("8000"))
        f.enrolment(session, p.id, "resident_pension", start_month="2021-01")
        r.pay(session, p, range(2011, 2016))
        r.pay(session, p, range(2021, 2026))
        record = service.resident_record(session, p.id, 202601)
        # Employee 2015-07..2020-12 = 66 months; resident 10 years = 120 months, of
        # which 2015-07..12 (6) are also employee months → 66 + 120 − 6 = 180.
        assert (record.employee_months, record.resident_months, record.overlap_months) == (
            66, 120, 6)
        assert record.counted_months == 180
        # Resident account 10 × 560 − 560 × 6/12 = 5,320.00; refund 500 × 6/12 = 250.00.
        assert record.resident_balance == Decimal("5320.00")
        assert record.refund_amount == Decimal("250.00")
        # Employee account (no contribution rows: the enrolment history): 8,000 × 1.0
        # × 8 % × 66 = 42,240.00; both accounts: 47,560.00.
        assert record.employee_balance == Decimal("42240.00")
        assert record.account_balance == Decimal("47560.00")
        assert record.unpaid_years == (2026,)

    def test_unpaid_years_are_a_gap_to_make_up(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1958, 3, 20))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01")
        r.pay(session, p, range(2011, 2017), grade=100)
        record = service.resident_record(session, p.id, 201803)
        # 53 on 2011-07-01 → 7 years (84 months) needed; 6 paid → 12 missing; 2017 and
        # 2018 are enrolled and unpaid.
        assert record.requirement is not None and record.requirement.kind == "sliding"
        assert (record.required_months, record.counted_months, record.missing_months) == (
            84, 72, 12)
        assert record.unpaid_years == (2017, 2018)
        assert record.account_balance == Decimal("780.00")  # 6 × (100 + 30)

    def test_overage_needs_nothing(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1945, 5, 10))
        record = service.resident_record(session, p.id, 201107)
        assert record.requirement is not None and record.requirement.kind == "overage"
        assert (record.required_months, record.missing_months, record.counted_months) == (
            0, 0, 0)
        assert record.scheme_start == r.START

    def test_without_a_scheme_start_everyone_needs_fifteen_years(
        self, session: Session
    ) -> None:
        p = r.born(session, date(1945, 5, 10), region="510104")  # Chengdu: none on record
        record = service.resident_record(session, p.id, 201107)
        assert (record.scheme_start, record.required_months) == (None, 180)

    def test_another_districts_clerk_cannot_read_it(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1945, 5, 10))
        assert service.resident_record_of(session, f.staff(session, "clerk", "500103"),
                                          p.id).required_months == 0
        with pytest.raises(NotFound):
            service.resident_record_of(session, f.staff(session, "clerk", "500106"), p.id)


class TestSchemeStart:
    def test_chongqing_is_on_record_and_marked_unconfirmed(self, session: Session) -> None:
        row = service.resident_scheme_start(session, "500106", 202601)
        assert row is not None and row.region_prefix == "50"
        assert (row.start_date, row.source_status) == (date(2011, 7, 1), "unconfirmed")

    def test_a_district_pilot_overrides_the_city(self, session: Session) -> None:
        session.add(ResidentSchemeStart(region_prefix="500102", valid_from=200912,
                                        start_date=date(2009, 12, 1), scheme_name="新农保试点",
                                        source="测试参数", source_status="confirmed"))
        session.flush()
        row = service.resident_scheme_start(session, "500102", 202601)
        assert row is not None and row.start_date == date(2009, 12, 1)
        # Before the scheme began there is nothing in force.
        assert service.resident_scheme_start(session, "500106", 201106) is None

    def test_an_unknown_person(self, session: Session) -> None:
        with pytest.raises(NotFound):
            service.resident_record(session, 987_654_321, 202601)
