"""What the fund pays besides the benefit (社会保险法 arts. 48–49): the payroll writes one
medical-insurance contribution line per recipient-month (idempotent per month, cancelled
with its payment), and a death during the benefit period ends the claim and records the
survivors' funeral grant and survivor payment, audited. Neither existed before issue 11."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Person
from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import (
    UnemploymentClaim,
    UnemploymentDeathGrant,
    UnemploymentDeathGrantRule,
    UnemploymentFundContribution,
    UnemploymentFundContributionRule,
)
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import claim, insured, payroll
from tests.live import sign_in


def _medical(session: Session, person: Person,
             status: str = "recorded") -> dict[int, tuple[Decimal, Decimal]]:
    rows = session.scalars(select(UnemploymentFundContribution).where(
        UnemploymentFundContribution.person_id == person.id,
        UnemploymentFundContribution.scheme == "medical",
        UnemploymentFundContribution.status == status))
    return {r.benefit_month: (r.base, r.amount) for r in rows}


def _rules(session: Session) -> None:
    """Average wage 8,000.00 (the factory's); medical: base 60 % = 4,800.00, rate 8.5 %
    → 408.00 a month."""
    f.contribution_rule(session, region="50", valid_from="2015-01")
    session.add(UnemploymentFundContributionRule(
        region_prefix="500103", valid_from=201501, scheme="medical", base_ppm=600_000,
        rate_ppm=85_000, source="测试参数", source_status="unconfirmed"))
    session.flush()


class TestMedicalContributions:
    def test_one_line_per_recipient_month_at_the_rule(self, session: Session) -> None:
        _rules(session)
        person, _ = insured(session)  # 2015-01 … 2019-12: 15 months in Chongqing
        claim(session, person, date(2020, 1, 6))
        payroll(session, 202003)
        assert _medical(session, person) == {
            m: (Decimal("4800.00"), Decimal("408.00")) for m in (202001, 202002, 202003)}

    def test_idempotent_per_month(self, session: Session) -> None:
        _rules(session)
        person, _ = insured(session)
        claim(session, person, date(2020, 1, 6))
        payroll(session, 202003)
        payroll(session, 202003)
        payroll(session, 202004)
        count = session.scalar(select(func.count()).select_from(UnemploymentFundContribution)
                               .where(UnemploymentFundContribution.person_id == person.id))
        assert count == 4  # 2020-01 … 04, once each, no pension (not near retirement)

    def test_cancelled_with_the_payment_on_a_stop(self, session: Session) -> None:
        _rules(session)
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        payroll(session, 202004)
        service.stop_benefit(session, SYSTEM, made.id, on=date(2020, 2, 14),
                             reason="re_employed")
        assert sorted(_medical(session, person)) == [202001, 202002]
        assert sorted(_medical(session, person, "cancelled")) == [202003, 202004]

    def test_cancelled_with_the_payment_on_a_suspension(self, session: Session) -> None:
        _rules(session)
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        payroll(session, 202003)
        service.suspend_benefit(session, SYSTEM, made.id, month="2020-03", reason="imprisoned")
        assert sorted(_medical(session, person)) == [202001, 202002]

    def test_months_without_an_average_wage_get_no_line(self, session: Session) -> None:
        person, _ = insured(session)  # no contribution rule on record
        claim(session, person, date(2020, 1, 6))
        assert payroll(session, 202002) == 2
        assert _medical(session, person) == {}

    def test_totals_on_the_staff_page(self, session: Session) -> None:
        _rules(session)
        for _ in range(2):
            person, _ = insured(session)
            claim(session, person, date(2020, 1, 6))
        payroll(session, 202003)
        clerk = f.staff(session, "clerk", "500103")
        assert service.latest_fund_month(session, clerk) == 202003
        totals = {t.scheme: (t.person_months, t.amount)
                  for t in service.fund_totals(session, clerk, 202003)}
        # 2 people × 3 months × 408.00 = 2,448.00.
        assert totals["medical"] == (6, Decimal("2448.00"))
        assert totals["pension"] == (0, Decimal("0.00"))


class TestDeathDuringBenefit:
    def _rule(self, session: Session) -> None:
        # Test figures: a funeral grant of 5,000.00 and a survivor payment of 9 months of
        # the 1,440.00 benefit = 12,960.00; together 17,960.00.
        session.add(UnemploymentDeathGrantRule(
            region_prefix="50", valid_from=202401, funeral_amount=Decimal("5000.00"),
            survivor_amount=Decimal("12960.00"), source="测试参数",
            source_status="unconfirmed"))
        session.flush()

    def _recipient(self, session: Session) -> tuple[Person, UnemploymentClaim]:
        person, _ = insured(session, start="2021-03", end="2026-02")  # 60 months: 15
        made = claim(session, person, date(2026, 3, 2))
        payroll(session, 202605)  # 2026-03 … 05
        return person, made

    def test_death_ends_the_claim_and_grants_both_payments(self, session: Session) -> None:
        self._rule(session)
        person, made = self._recipient(session)
        officer = f.staff(session, "case_officer", "500103")
        registry.record_death(session, officer, person.id, date(2026, 5, 10))
        session.refresh(made)
        assert (made.status, made.stop_reason) == ("stopped", "deceased")
        grant = session.scalars(select(UnemploymentDeathGrant).where(
            UnemploymentDeathGrant.claim_id == made.id)).one()
        assert (grant.funeral_amount, grant.survivor_amount, grant.status) == (
            Decimal("5000.00"), Decimal("12960.00"), "granted")
        assert grant.funeral_amount + grant.survivor_amount == Decimal("17960.00")
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "unemployment.death_grant",
            AuditEvent.subject_id == str(made.id))).one()
        assert event.actor == officer.username
        items = service.death_grants_page(session, officer).rows
        assert [(i.grant.id, i.total) for i in items] == [(grant.id, Decimal("17960.00"))]
        # The month of death stays paid (申领发放办法: 当月待遇由家属领取); nothing after.
        assert payroll(session, 202608) == 0

    def test_the_grant_on_the_staff_page(self, client: TestClient, session: Session) -> None:
        self._rule(session)
        person, _ = self._recipient(session)
        registry.record_death(session, f.staff(session, "case_officer", "500103"), person.id,
                              date(2026, 5, 10))
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/unemployment").text
        section = page[page.index('data-testid="grants"'):page.index('id="registrations"')]
        assert section.count('data-testid="grant-row"') == 1
        assert "2026-05-10" in section and "17,960.00" in section and "已核定" in section

    def test_without_a_rule_the_grant_waits_for_one(self, session: Session) -> None:
        person, made = self._recipient(session)
        registry.record_death(session, f.staff(session, "case_officer", "500103"), person.id,
                              date(2026, 5, 10))
        grant = session.scalars(select(UnemploymentDeathGrant)).one()
        assert (grant.claim_id, grant.status, grant.funeral_amount) == (made.id, "unpriced",
                                                                         None)

    def test_no_grant_outside_the_benefit_period(self, session: Session) -> None:
        self._rule(session)
        pending, _ = insured(session, start="2021-03", end="2026-02")
        claim(session, pending, date(2026, 3, 2), approve=False)  # never paid
        nothing = f.person(session)
        officer = f.staff(session, "case_officer", "500103")
        registry.record_death(session, officer, pending.id, date(2026, 5, 10))
        registry.record_death(session, officer, nothing.id, date(2026, 5, 10))
        assert session.scalar(select(func.count()).select_from(UnemploymentDeathGrant)) == 0
