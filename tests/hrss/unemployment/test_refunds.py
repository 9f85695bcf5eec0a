"""Job-stabilisation refunds (稳岗返还, reference §6.3): the year's paid unemployment
contributions per employer, the layoff rate, arrears, the size-class share, rounding to
the fen, idempotent recomputation, approval and the payment list."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.models import Contribution
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.registry.models import Employer
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform.errors import Forbidden, RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import claim, insured

TODAY = date(2023, 3, 1)


def _assess_year(session: Session, year: int) -> None:
    for m in range(1, 13):
        period = year * 100 + m
        assessment._stage_rules(session, period, "")
        insurance.assess_batch(session, period=period, prefix="", low=0, high=2**31 - 1,
                               run_id=None)


def _pay(session: Session, employer: Employer, year: int, months: range = range(1, 13)) -> None:
    for m in months:
        period = year * 100 + m
        due = session.scalar(select(func.sum(Contribution.employer_amount
                                             + Contribution.personal_amount))
                             .where(Contribution.employer_id == employer.id,
                                    Contribution.period == period,
                                    Contribution.status == "due"))
        if due:
            insurance.pay_employer(session, SYSTEM, employer.id, f"{year}-{m:02d}",
                                   Decimal(str(due)).quantize(Decimal("0.01")))


def _paid_total(session: Session, employer: Employer, year: int) -> Decimal:
    total = session.scalar(select(func.sum(Contribution.employer_amount
                                           + Contribution.personal_amount))
                           .where(Contribution.employer_id == employer.id,
                                  Contribution.scheme == "unemployment",
                                  Contribution.status == "paid",
                                  Contribution.period.between(year * 100 + 1, year * 100 + 12)))
    return Decimal(str(total or 0))


@pytest.fixture
def firms(session: Session) -> dict[str, Employer]:
    """2022: a clean firm (3 staff, odd wages), a firm in arrears for December, a small
    firm with one of 4 staff laid off in June who then claimed benefit (≈ 29 %)."""
    f.contribution_rule(session, region="50", valid_from="2015-01")
    clean = f.employer(session, name="重庆稳岗科技有限公司")
    late = f.employer(session, name="重庆欠费贸易有限公司")
    shaky = f.employer(session, name="重庆裁员制造有限公司")
    for n, wage in enumerate(("7777.77", "8123.45", "9001.01")):
        p = f.person(session)
        f.enrolment(session, p.id, "unemployment", employer_id=clean.id,
                    start_month="2022-01", declared_wage=Decimal(wage))
        q = f.person(session)
        f.enrolment(session, q.id, "unemployment", employer_id=late.id, start_month="2022-01",
                    declared_wage=Decimal("8000"))
        r = f.person(session)
        f.enrolment(session, r.id, "unemployment", employer_id=shaky.id,
                    start_month="2022-01", declared_wage=Decimal("8000"))
        del n
    laid_off, _ = insured(session, employer=shaky, start="2021-01", end="2022-05")
    _assess_year(session, 2022)
    _pay(session, clean, 2022)
    _pay(session, late, 2022, range(1, 12))
    _pay(session, shaky, 2022)
    claim(session, laid_off, date(2022, 6, 6))
    return {"clean": clean, "late": late, "shaky": shaky}


class TestCompute:
    def test_decisions_amounts_and_idempotence(self, session: Session,
                                               firms: dict[str, Employer]) -> None:
        run = refunds.compute_refunds(session, SYSTEM, year=2023, today=TODAY)
        assert (run.contribution_year, run.employers, run.eligible) == (2022, 3, 1)
        by_id = {i.refund.employer_id: i.refund
                 for i in refunds.refunds(session, SYSTEM, year=2023)}
        clean = by_id[firms["clean"].id]
        expected = (_paid_total(session, firms["clean"], 2022) * Decimal("0.6")).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert clean.eligible and clean.size == "sme" and clean.amount == expected
        assert clean.employees_covered == 3 and clean.average_headcount == Decimal("3.00")
        assert by_id[firms["late"].id].refusal == "arrears"
        shaky = by_id[firms["shaky"].id]
        # 1 claimant ÷ ((3 × 12 + 5) ÷ 12) = 0.2927 > 20 % (≤ 30 staff) → refused.
        assert (shaky.refusal, shaky.new_claimants, shaky.layoff_rate) == (
            "layoffs", 1, Decimal("0.2927"))
        assert run.total == expected and run.employees_covered == 3
        again = refunds.compute_refunds(session, SYSTEM, year=2023, today=TODAY)
        assert (again.employers, again.total) == (3, expected)
        assert len(refunds.refunds(session, SYSTEM, year=2023)) == 3

    def test_2022_temporary_share_and_2020_marked_unconfirmed(self, session: Session) -> None:
        assert refunds.refund_rule(session, 2023).sme_share_ppm == 600_000
        assert refunds.refund_rule(session, 2022).sme_share_ppm == 900_000
        assert refunds.refund_rule(session, 2020).source_status == "unconfirmed"
        assert [r.year for r in refunds.refund_rules(session)] == list(range(2025, 2019, -1))
        with pytest.raises(RuleViolation):
            refunds.refund_rule(session, 2019)


class TestReview:
    def test_approve_then_recompute_keeps_it_and_lists_it(self, session: Session,
                                                          firms: dict[str, Employer]) -> None:
        refunds.compute_refunds(session, SYSTEM, year=2023, today=TODAY)
        reviewer = f.staff(session, "reviewer", "500103")
        assert refunds.review_refunds(session, reviewer, year=2023) == 1
        run = refunds.compute_refunds(session, SYSTEM, year=2023, today=TODAY)
        assert (run.kept, run.employers) == (1, 2)
        rows = list(csv.reader(io.StringIO(
            refunds.payment_list(session, SYSTEM, year=2023).decode())))
        assert rows[1][2] == "重庆稳岗科技有限公司" and rows[1][4] == "3"
        assert rows[-1][0] == "TOTAL" and rows[-1][1] == "1"
        assert refunds.mark_refunds_paid(session, SYSTEM, year=2023) == 1
        totals = refunds.refund_totals(session, SYSTEM, year=2023)
        assert totals.by_status["paid"][0] == 1

    def test_clerk_cannot_approve(self, session: Session, firms: dict[str, Employer]) -> None:
        refunds.compute_refunds(session, SYSTEM, year=2023, today=TODAY)
        with pytest.raises(Forbidden):
            refunds.review_refunds(session, f.staff(session, "clerk", "500103"), year=2023)

    def test_employer_sees_only_its_own(self, session: Session,
                                        firms: dict[str, Employer]) -> None:
        from minsheng.platform.errors import NotFound
        from minsheng.platform.security.principal import Principal

        refunds.compute_refunds(session, SYSTEM, year=2023, today=TODAY)
        boss = Principal(user_id=0, username="boss", role="employer",
                         employer_id=firms["clean"].id)
        assert [r.year for r in refunds.employer_refunds(session, boss, firms["clean"].id)] \
            == [2023]
        with pytest.raises(NotFound):
            refunds.employer_refunds(session, boss, firms["late"].id)
