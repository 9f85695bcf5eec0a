"""Benefit until the statutory retirement age (国务院关于渐进式延迟法定退休年龄的办法 art. 7,
in force 2025-01): the payroll continues a claim whose entitlement ends less than a year
before the retirement month, up to and including that month (the pension starts the
month after, 自退休次月起发放), with the fund paying the pension contributions of those
months. Before issue 11 the payroll marked such a claim exhausted.

Every retirement month below is worked out by hand from the 2024 decision's schedule:
the original age's month, ``k`` months after 2025-01, gives ``k // 4 + 1`` months more for
men (``k // 2 + 1`` for women workers, ``k // 4 + 1`` for women cadres)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Person
from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import (
    UnemploymentClaim,
    UnemploymentFundContribution,
    UnemploymentFundContributionRule,
    UnemploymentPayment,
)
from minsheng.platform.config import get_settings
from tests import factories as f
from tests.factories.unemployment import claim, insured, payroll

CQ_AMOUNT = Decimal("1440.00")


def _born(year: int, month: int, male: bool = True) -> dict[str, Any]:
    return {"resident_id": f.resident_id("500103", birth=date(year, month, 1), male=male)}


def _paid(session: Session, claim_id: int) -> dict[int, bool]:
    """Benefit month → paid beyond the entitlement (``extended``), cancelled left out."""
    rows = session.scalars(select(UnemploymentPayment).where(
        UnemploymentPayment.claim_id == claim_id, UnemploymentPayment.status != "cancelled"))
    return {p.benefit_month: p.extended for p in rows}


def _retiring_2027_01(session: Session, *, last_insured: str, registered: date
                      ) -> tuple[Person, UnemploymentClaim]:
    """A man born 1966-08: 60 in 2026-08, k = 19, 19 // 4 + 1 = 5 months → 60 years
    5 months, retirement month 2027-01. Insured for 13 months up to ``last_insured``
    (Chongqing ladder, 1 to < 2 years: 3 months of benefit)."""
    end_year, end_month = (int(x) for x in last_insured.split("-"))
    start = f"{end_year - 1}-{end_month:02d}"
    person, _ = insured(session, start=start, end=last_insured, **_born(1966, 8))
    made = claim(session, person, registered)
    assert made.retirement_month == 202701 and made.entitled_months == 3
    return person, made


class TestRetirementMonth:
    @pytest.mark.parametrize(("birth", "male", "category", "expected"), [
        ((1966, 8), True, None, 202701),   # 60 + 5 months
        ((1965, 3), True, None, 202504),   # 60 in 2025-03, k = 2 → + 1 month
        ((1964, 12), True, None, 202412),  # 60 before 2025: unchanged
        # A woman worker born 1975-06: 50 in 2025-06, k = 5, 5 // 2 + 1 = 3 → 2025-09.
        ((1975, 6), False, None, 202509),
        # As a cadre: 55 in 2030-06, k = 65, 65 // 4 + 1 = 17 → 56 years 5 months, 2031-11.
        ((1975, 6), False, "female_cadre", 203111),
    ])
    def test_from_birth_and_gender(self, session: Session, birth: tuple[int, int], male: bool,
                                   category: str | None, expected: int) -> None:
        person = f.person(session, **_born(*birth, male=male))
        assert service.retirement_month(person, category) == expected


class TestPayrollUntilRetirement:
    def test_exactly_twelve_months_before_retirement_is_paid_until_it(
            self, session: Session) -> None:
        # Registered 2025-11: the entitlement pays 2025-11, 12, 2026-01 (last 2026-01,
        # 12 months before 2027-01): 2026-02 … 2027-01 follow, 12 more; 2027-02 is the
        # pension's first month, not ours.
        _, made = _retiring_2027_01(session, last_insured="2025-10",
                                    registered=date(2025, 11, 5))
        payroll(session, 202702)
        paid = _paid(session, made.id)
        assert sorted(paid) == [202511, 202512] + [202600 + m for m in range(1, 13)] + [202701]
        assert [m for m, extended in sorted(paid.items()) if not extended] == [
            202511, 202512, 202601]
        assert len(paid) == 3 + 12
        total = sum(p.amount for p in session.scalars(select(UnemploymentPayment).where(
            UnemploymentPayment.claim_id == made.id)))
        assert total == 15 * CQ_AMOUNT == Decimal("21600.00")
        session.refresh(made)
        assert made.status == "exhausted"

    def test_thirteen_months_before_retirement_is_exhausted_as_before(
            self, session: Session) -> None:
        # Registered 2025-10: last month of the entitlement 2025-12, 13 months before.
        _, made = _retiring_2027_01(session, last_insured="2025-09",
                                    registered=date(2025, 10, 9))
        payroll(session, 202702)
        assert sorted(_paid(session, made.id)) == [202510, 202511, 202512]
        session.refresh(made)
        assert made.status == "exhausted"

    def test_active_through_the_extension_then_exhausted_at_retirement(
            self, session: Session) -> None:
        _, made = _retiring_2027_01(session, last_insured="2025-10",
                                    registered=date(2025, 11, 5))
        assert payroll(session, 202606) == 8  # 2025-11 … 2026-06
        session.refresh(made)
        assert made.status == "active"
        assert payroll(session, 202701) == 7  # 2026-07 … 2027-01
        session.refresh(made)
        assert made.status == "exhausted"
        assert payroll(session, 202703) == 0

    def test_suspended_extension_months_are_not_paid(self, session: Session) -> None:
        _, made = _retiring_2027_01(session, last_insured="2025-10",
                                    registered=date(2025, 11, 5))
        payroll(session, 202603)
        service.suspend_benefit(session, f.SYSTEM, made.id, month="2026-04",
                                reason="not_reported")
        payroll(session, 202605)
        service.resume_benefit(session, f.SYSTEM, made.id, month="2026-06")
        payroll(session, 202702)
        # 15 months up to retirement less 2026-04 and 2026-05: 13; retirement still ends it.
        paid = _paid(session, made.id)
        assert len(paid) == 13 and 202604 not in paid and 202605 not in paid
        assert max(paid) == 202701

    def test_not_before_the_decision_took_effect(self, session: Session) -> None:
        # A man born 1965-03 retires 2025-04. Registered 2024-10, his entitlement ends
        # 2024-12, four months before, but the rule is in force only from 2025-01.
        person, _ = insured(session, start="2023-09", end="2024-09", **_born(1965, 3))
        made = claim(session, person, date(2024, 10, 8))
        payroll(session, 202506)
        assert sorted(_paid(session, made.id)) == [202410, 202411, 202412]

    def test_from_the_first_month_of_the_decision(self, session: Session) -> None:
        # Born 1965-04: retires 2025-05. Registered 2024-11: last month 2025-01, when the
        # rule is in force, four months before → 2025-02 … 2025-05 are paid.
        person, _ = insured(session, start="2023-10", end="2024-10", **_born(1965, 4))
        made = claim(session, person, date(2024, 11, 8))
        assert made.retirement_month == 202505
        payroll(session, 202507)
        paid = _paid(session, made.id)
        assert sorted(paid) == [202411, 202412, 202501, 202502, 202503, 202504, 202505]
        assert sorted(m for m, e in paid.items() if e) == [202502, 202503, 202504, 202505]

    def test_a_woman_with_the_default_category(self, session: Session,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
        # Born 1975-06, a woman worker (the default): retires 2025-09. Registered 2024-12:
        # 2024-12, 2025-01, 02; then 2025-03 … 2025-09 (7). As a cadre (2031-11) nothing.
        person, _ = insured(session, start="2023-11", end="2024-11", **_born(1975, 6, False))
        made = claim(session, person, date(2024, 12, 3))
        payroll(session, 202512)
        assert len(_paid(session, made.id)) == 3 + 7
        monkeypatch.setattr(get_settings(), "unemployment_female_retirement_category",
                            "female_cadre")
        other, _ = insured(session, start="2023-11", end="2024-11", **_born(1975, 6, False))
        cadre = claim(session, other, date(2024, 12, 3))
        assert cadre.retirement_month == 203111
        payroll(session, 202512)
        assert len(_paid(session, cadre.id)) == 3


class TestPensionContributionsUntilRetirement:
    def test_the_fund_pays_pension_for_the_extension_months(self, session: Session) -> None:
        # Average wage 7,654.32: base 60 % = 4,592.592 → 4,592.59; pension 20 % =
        # 918.518 → 918.52 a month for the 12 months 2026-02 … 2027-01 = 11,022.24.
        f.contribution_rule(session, region="50", valid_from="2020-01",
                            average_wage=Decimal("7654.32"))
        session.add(UnemploymentFundContributionRule(
            region_prefix="500103", valid_from=202501, scheme="pension", base_ppm=600_000,
            rate_ppm=200_000, source="测试参数", source_status="unconfirmed"))
        session.flush()
        person, _ = _retiring_2027_01(session, last_insured="2025-10",
                                      registered=date(2025, 11, 5))
        payroll(session, 202702)
        lines = list(session.scalars(select(UnemploymentFundContribution).where(
            UnemploymentFundContribution.person_id == person.id,
            UnemploymentFundContribution.scheme == "pension")))
        assert sorted(line.benefit_month for line in lines) == [
            202602, 202603, 202604, 202605, 202606, 202607, 202608, 202609, 202610, 202611,
            202612, 202701]
        assert {(line.base, line.amount) for line in lines} == {
            (Decimal("4592.59"), Decimal("918.52"))}
        assert sum(line.amount for line in lines) == Decimal("11022.24")
