"""Employer bill vs roster: an employee whose enrolment ended 2026-09 is not billed for
2026-10 (issue 11).

The monthly assessment bills a month once; an employer's 减员 is often recorded after
that (the demo assesses 2026-08…2026-10, the employer records the departure in
December with 2026-09 as the last covered month). ``end_month`` is inclusive, so the
contributions already assessed for the months after it are withdrawn when the
enrolment ends; a month already paid after it is refused (a refund is a counter case).

Every figure is computed by hand from the test rule (``factories.contribution_rule``:
average wage 8,000, floor 60 % = 4,800, ceiling 300 % = 24,000; pension 16 % + 8 %,
unemployment 0.5 % + 0.5 %, work injury class 1 0.2 %, employer only).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.insurance.models import Contribution, Enrolment
from minsheng.hrss.insurance.schemas import HireRequest, LeaveRequest
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform import bulk
from minsheng.platform.errors import Conflict
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

TODAY = date(2026, 12, 4)

# Hand-computed monthly amounts (yuan).
# 甲, declared 6,000 (inside 4,800…24,000, so the base is 6,000):
#   pension 6000 × 16 % = 960.00 + 6000 × 8 % = 480.00
#   unemployment 6000 × 0.5 % = 30.00 + 30.00; work injury 6000 × 0.2 % = 12.00
A_MONTH = Decimal("960.00") + Decimal("480.00") + Decimal("30.00") + Decimal("30.00") \
    + Decimal("12.00")  # = 1,512.00
# 乙, declared 10,000: 1,600.00 + 800.00 + 50.00 + 50.00 + 20.00
B_MONTH = Decimal("1600.00") + Decimal("800.00") + Decimal("50.00") + Decimal("50.00") \
    + Decimal("20.00")  # = 2,520.00


def _assess(session: Session, month: int) -> int:
    assessment._stage_rules(session, month, "50")
    inserted = service.assess_batch(session, period=month, prefix="50", low=0,
                                    high=2**31 - 1, run_id=None)
    bulk.drop_temp_table(session, "assess_rule")
    return inserted


def _employer_account(session: Session, employer: Employer) -> Principal:
    user = security.add_user(session, actor=SYSTEM, username=f"hr-{employer.id}",
                             role="employer", password=f.PASSWORD, employer_id=employer.id)
    return security.principal_of(user)


def _two_employees(session: Session) -> tuple[Employer, Principal, Person, Person]:
    f.contribution_rule(session)
    employer = f.employer(session, name="重庆两人科技有限公司", work_injury_risk_class=1)
    hr = _employer_account(session, employer)
    a, b = f.person(session, name="甲一"), f.person(session, name="乙二")
    for person, wage in ((a, "6000.00"), (b, "10000.00")):
        service.hire(session, hr, employer.id, HireRequest(
            resident_id=person.resident_id, start_month="2026-01",
            declared_wage=Decimal(wage)))
    return employer, hr, a, b


def _bill(session: Session, employer: Employer, month: str) -> tuple[int, Decimal]:
    account = service.employer_account(session, SYSTEM, employer.id, month=month, today=TODAY)
    return account.month.people, account.month.total


class TestEmployerBillAfterLeave:
    def test_left_after_the_month_was_assessed_is_not_billed_for_it(
        self, session: Session
    ) -> None:
        employer, hr, _, b = _two_employees(session)
        for month in (202608, 202609, 202610):  # as the demo: three assessed months
            _assess(session, month)
        assert _bill(session, employer, "2026-10") == (2, A_MONTH + B_MONTH)  # 4,032.00

        # In December the employer records that 乙 left; 2026-09 is the last month covered.
        service.leave(session, hr, employer.id, b.id, LeaveRequest(end_month="2026-09"))

        # Before the fix: (2, 4032.00) — 乙 was still billed 2,520.00 for 2026-10.
        assert _bill(session, employer, "2026-10") == (1, Decimal("1512.00"))
        assert Decimal("1512.00") == A_MONTH
        # 2026-09 is inclusive: both are still billed for it (1,512 + 2,520 = 4,032).
        assert _bill(session, employer, "2026-09") == (2, Decimal("4032.00"))
        account = service.employer_account(session, SYSTEM, employer.id, month="2026-10",
                                           today=TODAY)
        assert [e.name for e in account.employees] == ["甲一"]  # roster and bill agree
        assert account.outstanding == Decimal("1512.00")
        # Re-running the month does not bring the row back.
        assert _assess(session, 202610) == 0
        assert _bill(session, employer, "2026-10") == (1, Decimal("1512.00"))
        withdrawn = session.scalars(select(AuditEvent.payload).where(
            AuditEvent.action == "contribution.withdraw")).all()
        assert len(withdrawn) == 3  # one per scheme of the ended enrolments
        assert all('"periods": [202610]' in p for p in withdrawn)

    def test_left_before_the_month_was_assessed(self, session: Session) -> None:
        employer, hr, _, b = _two_employees(session)
        service.leave(session, hr, employer.id, b.id, LeaveRequest(end_month="2026-09"))
        _assess(session, 202609)
        _assess(session, 202610)
        assert _bill(session, employer, "2026-09") == (2, Decimal("4032.00"))
        assert _bill(session, employer, "2026-10") == (1, Decimal("1512.00"))

    def test_next_employer_is_billed_once_the_old_month_is_withdrawn(
        self, session: Session
    ) -> None:
        """The unique key (person, month, scheme) let the old employer's stale row
        block the new employer's assessment: 乙 was billed to the wrong employer."""
        employer, hr, _, b = _two_employees(session)
        _assess(session, 202610)
        service.leave(session, hr, employer.id, b.id, LeaveRequest(end_month="2026-09"))
        second = f.employer(session, name="重庆下一家有限公司", work_injury_risk_class=1)
        service.hire(session, _employer_account(session, second), second.id, HireRequest(
            resident_id=b.resident_id, start_month="2026-10", declared_wage=Decimal("10000")))
        assert _assess(session, 202610) == 3  # 乙's three schemes, now at the new employer
        assert _bill(session, second, "2026-10") == (1, Decimal("2520.00"))
        assert _bill(session, employer, "2026-10") == (1, Decimal("1512.00"))

    def test_a_paid_month_after_the_end_is_refused(self, session: Session) -> None:
        employer, hr, _, b = _two_employees(session)
        _assess(session, 202610)
        service.pay_employer(session, hr, employer.id, "2026-10", A_MONTH + B_MONTH)
        with pytest.raises(Conflict) as refused:
            service.leave(session, hr, employer.id, b.id, LeaveRequest(end_month="2026-09"))
        assert "2026-10" in refused.value.message
        open_ones = session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.person_id == b.id, Enrolment.end_month.is_(None)))
        assert open_ones == 3
        assert session.scalar(select(func.count()).select_from(Contribution).where(
            Contribution.person_id == b.id)) == 3
