"""The resident pension award (城乡居民养老保险待遇核定): from resident contributions, with the
超龄 rules (国发〔2014〕8号 七) and the months of both schemes counted once (衔接暂行办法).
Every expected figure is worked out by hand in the test."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import AccountInterestRate
from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import PensionPayment, PensionRecipient
from minsheng.platform import bulk, payroll
from minsheng.platform.errors import RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories import resident as r

ACCOUNT = "6217000011112222"


def _award(session: Session, person_id: int, on: date, **kw: object) -> object:
    return service.award_pension(session, SYSTEM, person_id, retirement_date=on,
                                 scheme="resident", bank_account=ACCOUNT, **kw)  # type: ignore[arg-type]


class TestOverage:
    def test_born_1945_draws_the_basic_pension_with_no_contribution(
        self, session: Session
    ) -> None:
        # 66 when the scheme began on 2011-07-01 → nothing to pay; 175.00 basic + 0 / 139.
        # Before: refused as 180 months short.
        r.parameters(session)
        p = r.born(session, date(1945, 5, 10))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-07")
        award = service.award_pension(session, SYSTEM, p.id, retirement_date=date(2011, 7, 1),
                                      scheme="resident", bank_account=ACCOUNT,
                                      awarded_on=date(2011, 7, 20))
        assert (award.scheme, award.basic_amount, award.account_amount, award.total_amount) == (
            "resident", Decimal("175.00"), Decimal("0.00"), Decimal("175.00"))
        basis = json.loads(award.basis)
        assert (basis["contribution_months"], basis["required_months"],
                basis["requirement"]) == (0, 0, "overage")
        recipient = session.get(PensionRecipient, p.id)
        assert recipient is not None and (recipient.scheme, recipient.start_month) == (
            "resident", 201108)

    def test_the_payroll_pays_her(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1945, 5, 10))
        service.award_pension(session, SYSTEM, p.id, retirement_date=date(2011, 7, 1),
                              scheme="resident", bank_account=ACCOUNT,
                              awarded_on=date(2026, 10, 5))
        payroll.stage_months(session, 202610)
        service._payroll_batch(session, 202610, 0, 2**31 - 1)
        bulk.drop_temp_table(session, "payroll_months")
        paid = dict(session.execute(select(PensionPayment.benefit_month, PensionPayment.amount)
                                    .where(PensionPayment.person_id == p.id)).all())
        # Late award: 2011-08 … 2026-10 = 15 × 12 + 3 = 183 months of 175.00.
        assert len(paid) == 183 and set(paid.values()) == {Decimal("175.00")}

    def test_not_before_the_scheme_began(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1945, 5, 10))
        with pytest.raises(RuleViolation) as err:
            _award(session, p.id, date(2011, 6, 30))
        assert err.value.errors[0].field == "retirement_date"
        assert "2011-07-01" in err.value.message

    def test_the_basic_pension_must_be_on_record_or_given(self, session: Session) -> None:
        r.parameters(session, "510104", basic=None)
        p = r.born(session, date(1945, 5, 10), region="510104")
        with pytest.raises(RuleViolation) as err:
            _award(session, p.id, date(2011, 7, 1))
        assert err.value.errors[0].field == "resident_basic_pension"
        award = _award(session, p.id, date(2011, 7, 1), resident_basic_pension=Decimal("150"))
        assert award.total_amount == Decimal("150.00")  # type: ignore[attr-defined]


class TestFromResidentContributions:
    def test_paid_2011_to_2025(self, session: Session) -> None:
        # Born 1966-01-15 (45 on 2011-07-01: 15 years needed); 15 years of 500 + 60:
        # account 8,400.00 / 139 = 60.431… → 60.43; 175.00 + 60.43 = 235.43.
        # Before: refused as 180 months short (only employee enrolments were read).
        r.parameters(session)
        p = r.born(session, date(1966, 1, 15))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01")
        r.pay(session, p, range(2011, 2026))
        award = _award(session, p.id, date(2026, 1, 15), awarded_on=date(2026, 2, 3))
        assert (award.basic_amount, award.account_amount, award.total_amount) == (  # type: ignore[attr-defined]
            Decimal("175.00"), Decimal("60.43"), Decimal("235.43"))
        recipient = session.get(PensionRecipient, p.id)
        assert recipient is not None and recipient.start_month == 202602

    def test_one_year_short_names_the_months(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1966, 1, 15))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01")
        r.pay(session, p, range(2012, 2026))  # 14 years: 180 − 168 = 12 missing
        with pytest.raises(RuleViolation) as err:
            _award(session, p.id, date(2026, 1, 15))
        assert err.value.extra["missing_months"] == 12
        assert "尚缺12个月" in err.value.message
        assert session.get(PensionRecipient, p.id) is None

    def test_the_years_left_to_60(self, session: Session) -> None:
        # Born 1958-03-20: 53 on 2011-07-01 → 7 years (84 months). Paid 2011–2017 at
        # 100 + 30: 910.00 / 139 = 6.546… → 6.55; 175.00 + 6.55 = 181.55.
        r.parameters(session)
        p = r.born(session, date(1958, 3, 20))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01")
        r.pay(session, p, range(2011, 2018), grade=100)
        award = _award(session, p.id, date(2018, 3, 20))
        assert award.total_amount == Decimal("181.55")  # type: ignore[attr-defined]
        assert json.loads(award.basis)["required_months"] == 84  # type: ignore[attr-defined]

    def test_not_before_60(self, session: Session) -> None:
        r.parameters(session)
        p = r.born(session, date(1966, 1, 15))
        f.enrolment(session, p.id, "resident_pension", start_month="2011-01")
        r.pay(session, p, range(2011, 2026))
        with pytest.raises(RuleViolation) as err:
            _award(session, p.id, date(2026, 1, 14))  # the day before the 60th birthday
        assert err.value.extra["shortfalls"] == ["age"]
        assert "60周岁" in err.value.message


class TestBothSchemes:
    def test_employee_months_count_into_the_resident_scheme_once(
        self, session: Session
    ) -> None:
        # Employee 2015-07..2020-12 = 66 months (< 15 years → into the resident scheme);
        # resident 2011–2015 and 2021–2025 = 120 months, 2015-07..12 in both: 66 + 120
        # − 6 = 180 months, enough. Accounts: resident 10 × 560 − 280 = 5,320.00,
        # employee 8,000 × 8 % × 66 = 42,240.00; 47,560.00 / 139 = 342.158… → 342.16;
        # 175.00 + 342.16 = 517.16. Before: refused, 114 months short (66 of 180).
        # The employee account's interest is the record's own test (test_records); here
        # no credited rate is on record, so the transfer's counting stands alone.
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
        award = _award(session, p.id, date(2026, 1, 15))
        assert award.total_amount == Decimal("517.16")  # type: ignore[attr-defined]
        basis = json.loads(award.basis)  # type: ignore[attr-defined]
        assert (basis["contribution_months"], basis["overlap_months"],
                basis["refund_amount"]) == (180, 6, "250.00")

    def test_fifteen_employee_years_draw_the_employee_pension(self, session: Session) -> None:
        f.contribution_rule(session)
        r.parameters(session)
        p = r.born(session, date(1966, 1, 15))
        f.enrolment(session, p.id, start_month="2005-01", end_month="2019-12",
                    declared_wage=Decimal("8000"))  # 180 months
        f.enrolment(session, p.id, "resident_pension", start_month="2020-01")
        r.pay(session, p, range(2020, 2026))
        with pytest.raises(RuleViolation) as err:
            _award(session, p.id, date(2026, 1, 15))
        assert err.value.extra["employee_months"] == 180
        assert "转入职工基本养老保险" in err.value.message
