"""Registration and its end, claims from the records (counted afresh, carry-over), the
benefit payroll (catch-up, entitlement limit, suspension, idempotence), stop events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import UnemploymentClaim, UnemploymentPayment
from minsheng.platform.config import get_settings
from minsheng.platform.errors import Conflict, NotFound, RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import ACCOUNT, citizen, claim, insured, payroll

CQ_AMOUNT = Decimal("1440.00")  # the seeded Chongqing amount from 2019-01 (✘ unconfirmed)


def _payments(session: Session, person_id: int) -> dict[int, tuple[Decimal, str]]:
    rows = session.scalars(select(UnemploymentPayment)
                           .where(UnemploymentPayment.person_id == person_id))
    return {p.benefit_month: (p.amount, p.status) for p in rows}


class TestRegistration:
    def test_citizen_registers_and_the_row_is_what_employment_reads(self,
                                                                     session: Session) -> None:
        person, employer = insured(session)
        reg = service.register_unemployed(session, citizen(person), person.id,
                                          registered_date=date(2020, 1, 6),
                                          separation_reason="contract_expired")
        assert (reg.person_id, reg.registered_date, reg.ended_date, reg.end_reason) == (
            person.id, date(2020, 1, 6), None, None)
        assert reg.last_employer_id == employer.id

    def test_twice_is_a_conflict(self, session: Session) -> None:
        person, _ = insured(session)
        service.register_unemployed(session, SYSTEM, person.id, registered_date=date(2020, 1, 6),
                                    separation_reason="dismissed")
        with pytest.raises(Conflict):
            service.register_unemployed(session, SYSTEM, person.id,
                                        separation_reason="dismissed")

    def test_still_insured_is_refused(self, session: Session) -> None:
        person, _ = insured(session, end=None)
        with pytest.raises(Conflict):
            service.register_unemployed(session, SYSTEM, person.id,
                                        separation_reason="dismissed")

    def test_another_citizen_gets_404(self, session: Session) -> None:
        person, _ = insured(session)
        other = f.person(session)
        with pytest.raises(NotFound):
            service.register_unemployed(session, citizen(other), person.id,
                                        separation_reason="dismissed")


class TestEndRegistration:
    def test_placement_ends_registration_and_stops_the_benefit(self, session: Session) -> None:
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        clerk = f.staff(session, "clerk", "500103")
        ended = service.end_registration(session, clerk, person.id, date(2020, 4, 20),
                                         "re_employed")
        assert ended is not None
        assert (ended.ended_date, ended.end_reason) == (date(2020, 4, 20), "re_employed")
        session.refresh(made)
        assert (made.status, made.stop_reason) == ("stopped", "re_employed")

    def test_recorded_death_ends_registration_and_stops_the_benefit(
        self, session: Session
    ) -> None:
        from minsheng.hrss.registry import service as registry

        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        case_officer = f.staff(session, "case_officer", "500103")
        registry.record_death(session, case_officer, person.id, date(2020, 3, 15))
        session.refresh(made)
        assert (made.status, made.stop_reason) == ("stopped", "deceased")
        assert service.open_registration(session, person.id) is None

    def test_nothing_to_end_returns_none(self, session: Session) -> None:
        person = f.person(session)
        assert service.end_registration(session, SYSTEM, person.id, date(2020, 1, 1),
                                        "re_employed") is None

    def test_retirement_stops_with_pension_started(self, session: Session) -> None:
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        service.end_registration(session, SYSTEM, person.id, date(2020, 2, 1), "retired")
        assert made.stop_reason == "pension_started"

    def test_unknown_reason_and_date_before_registration(self, session: Session) -> None:
        person, _ = insured(session)
        service.register_unemployed(session, SYSTEM, person.id, registered_date=date(2020, 1, 6),
                                    separation_reason="dismissed")
        with pytest.raises(RuleViolation):
            service.end_registration(session, SYSTEM, person.id, date(2020, 2, 1), "bored")
        with pytest.raises(RuleViolation):
            service.end_registration(session, SYSTEM, person.id, date(2019, 12, 1),
                                     "re_employed")


class TestClaim:
    def test_five_years_in_chongqing_give_15_months_at_1440(self, session: Session) -> None:
        person, employer = insured(session)  # 2015-01..2019-12 = 60 months
        made = claim(session, person, date(2020, 1, 6))
        assert (made.contribution_months, made.entitled_months, made.band) == (60, 15, "5-7y")
        assert made.monthly_amount == CQ_AMOUNT
        assert made.start_month == 202001 and made.employer_id == employer.id
        assert made.status == "active" and made.claim_no.startswith("CQSY2020")

    def test_voluntary_resignation_and_short_record_are_refused(self,
                                                                 session: Session) -> None:
        person, _ = insured(session, start="2019-03", end="2020-01")  # 11 months
        service.register_unemployed(session, SYSTEM, person.id, registered_date=date(2020, 2, 3),
                                    separation_reason="voluntary")
        with pytest.raises(RuleViolation) as caught:
            service.submit_claim(session, SYSTEM, person.id, bank_account=ACCOUNT,
                                 on=date(2020, 2, 3))
        fields = {e.field for e in caught.value.errors}
        assert fields == {"separation_reason", "contribution_months"}

    def test_exactly_one_year_is_eligible(self, session: Session) -> None:
        person, _ = insured(session, start="2019-01", end="2019-12")
        made = claim(session, person, date(2020, 1, 6))
        assert (made.contribution_months, made.entitled_months) == (12, 3)

    def test_not_registered_is_refused(self, session: Session) -> None:
        person, _ = insured(session)
        with pytest.raises(RuleViolation):
            service.submit_claim(session, SYSTEM, person.id, bank_account=ACCOUNT)

    def test_new_spell_counts_afresh_and_carries_unused_months(self,
                                                                session: Session) -> None:
        person, employer = insured(session)
        first = claim(session, person, date(2020, 1, 6))  # 15 months
        payroll(session, 202003)  # 2020-01..03 paid
        service.end_registration(session, SYSTEM, person.id, date(2020, 3, 31), "re_employed")
        f.enrolment(session, person.id, "unemployment", employer_id=employer.id,
                    start_month="2020-04", end_month="2022-03")  # 24 months afresh
        second = claim(session, person, date(2022, 4, 7))
        # afresh: 24 months → CQ 2–<3 years 6 months; unused 15 − 3 = 12; 6 + 12 = 18.
        assert first.status == "stopped"
        assert (second.contribution_months, second.spell_months, second.carried_months,
                second.entitled_months) == (24, 6, 12, 18)

    def test_re_employed_under_a_year_claims_the_unused_months(self,
                                                                 session: Session) -> None:
        # 失业保险金申领发放办法 art. 15: 15 months entitled, 3 paid, re-employed 8 months
        # (under a year), unemployed again: 0 months afresh + 15 − 3 = 12 unused. Before
        # issue 11 the default setting refused this claim.
        person, employer = insured(session)
        claim(session, person, date(2020, 1, 6))
        payroll(session, 202003)
        service.end_registration(session, SYSTEM, person.id, date(2020, 3, 31), "re_employed")
        f.enrolment(session, person.id, "unemployment", employer_id=employer.id,
                    start_month="2020-04", end_month="2020-11")
        second = claim(session, person, date(2020, 12, 7))
        assert (second.contribution_months, second.spell_months, second.carried_months,
                second.entitled_months) == (8, 0, 12, 12)
        payroll(session, 202112)
        assert len([m for m in _payments(session, person.id) if m >= 202012]) == 12

    def test_with_the_carry_over_setting_off_it_is_refused(
            self, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(get_settings(), "unemployment_carry_over_without_new_year", False)
        person, employer = insured(session)
        claim(session, person, date(2020, 1, 6))
        payroll(session, 202003)
        service.end_registration(session, SYSTEM, person.id, date(2020, 3, 31), "re_employed")
        f.enrolment(session, person.id, "unemployment", employer_id=employer.id,
                    start_month="2020-04", end_month="2020-11")
        with pytest.raises(RuleViolation):
            claim(session, person, date(2020, 12, 7))

    def test_mutual_agreement_proposed_by_the_employer_gives_a_claim(
            self, session: Session) -> None:
        # 申领发放办法 art. 4: the employer proposed ending the contract and both agreed.
        person, _ = insured(session)  # 60 months: Chongqing 15
        made = claim(session, person, date(2020, 1, 6), separation="mutual_by_employer")
        assert (made.status, made.entitled_months) == ("active", 15)

    def test_open_claim_blocks_another(self, session: Session) -> None:
        person, _ = insured(session)
        claim(session, person, date(2020, 1, 6), approve=False)
        with pytest.raises(Conflict):
            service.submit_claim(session, SYSTEM, person.id, bank_account=ACCOUNT)

    def test_refusal_needs_a_reason(self, session: Session) -> None:
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6), approve=False)
        with pytest.raises(RuleViolation):
            service.decide_claim(session, SYSTEM, made.id, approve=False)
        service.decide_claim(session, SYSTEM, made.id, approve=False, note="材料不全")
        assert made.status == "rejected"


class TestPayroll:
    def test_catches_up_from_the_start_month_and_is_idempotent(self, session: Session) -> None:
        person, _ = insured(session)
        claim(session, person, date(2020, 1, 6))
        assert payroll(session, 202003) == 3
        assert payroll(session, 202003) == 0
        assert _payments(session, person.id) == {
            m: (CQ_AMOUNT, "queued") for m in (202001, 202002, 202003)}

    def test_never_more_than_the_entitlement_then_exhausted(self, session: Session) -> None:
        person, _ = insured(session, start="2019-01", end="2019-12")  # 3 months
        made = claim(session, person, date(2020, 1, 6))
        payroll(session, 202012)
        assert sorted(_payments(session, person.id)) == [202001, 202002, 202003]
        session.refresh(made)
        assert made.status == "exhausted"

    def test_pending_claim_is_not_paid(self, session: Session) -> None:
        person, _ = insured(session)
        claim(session, person, date(2020, 1, 6), approve=False)
        assert payroll(session, 202003) == 0

    def test_suspended_months_are_not_paid_nor_counted(self, session: Session) -> None:
        person, _ = insured(session, start="2019-01", end="2019-12")  # 3 months
        made = claim(session, person, date(2020, 1, 6))
        payroll(session, 202001)
        service.suspend_benefit(session, SYSTEM, made.id, month="2020-02", reason="imprisoned")
        payroll(session, 202003)
        service.resume_benefit(session, SYSTEM, made.id, month="2020-04")
        payroll(session, 202006)
        assert sorted(_payments(session, person.id)) == [202001, 202004, 202005]

    def test_amount_follows_the_dated_table(self, session: Session) -> None:
        person, _ = insured(session, start="2015-01", end="2018-06")
        claim(session, person, date(2018, 11, 5))
        payroll(session, 201902)
        paid = _payments(session, person.id)
        assert paid[201812][0] == Decimal("1200.00")  # from 2018-08 (◐)
        assert paid[201901][0] == CQ_AMOUNT


class TestStops:
    @pytest.mark.parametrize(("reason", "end"), [
        ("re_employed", "re_employed"), ("enlisted", "enlisted"), ("emigrated", "emigrated"),
        ("pension_started", "retired"), ("refused_offer", None)])
    def test_stop_cancels_later_months(self, session: Session, reason: str,
                                       end: str | None) -> None:
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        payroll(session, 202004)
        service.stop_benefit(session, SYSTEM, made.id, on=date(2020, 2, 14), reason=reason)
        statuses = {m: s for m, (_, s) in _payments(session, person.id).items()}
        assert statuses == {202001: "queued", 202002: "queued", 202003: "cancelled",
                            202004: "cancelled"}
        registration = service.open_registration(session, person.id)
        assert (registration is None) is (end is not None)
        assert payroll(session, 202006) == 0

    def test_stopped_claim_cannot_stop_again(self, session: Session) -> None:
        person, _ = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        service.stop_benefit(session, SYSTEM, made.id, on=date(2020, 2, 1),
                             reason="re_employed")
        with pytest.raises(Conflict):
            service.stop_benefit(session, SYSTEM, made.id, on=date(2020, 2, 1),
                                 reason="re_employed")

    def test_employer_account_cannot_stop(self, session: Session) -> None:
        person, employer = insured(session)
        made = claim(session, person, date(2020, 1, 6))
        from minsheng.platform.errors import Forbidden
        from minsheng.platform.security.principal import Principal

        boss = Principal(user_id=0, username="boss", role="employer", employer_id=employer.id)
        with pytest.raises(Forbidden):
            service.stop_benefit(session, boss, made.id, on=date(2020, 2, 1),
                                 reason="re_employed")
        assert session.get(UnemploymentClaim, made.id) is not None
