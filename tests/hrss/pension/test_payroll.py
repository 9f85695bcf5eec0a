"""Awards, payroll, certification, suspension and back-pay, death and overpayment."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.pension import rules, service
from minsheng.hrss.pension.demo import seed_demo_resident_pensions
from minsheng.hrss.pension.models import (
    CertificationCycle,
    PensionAward,
    PensionOverpayment,
    PensionPayment,
    PensionPayrollRun,
    PensionRecipient,
)
from minsheng.hrss.registry.models import Person
from minsheng.platform import bulk, payroll
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.errors import Conflict, RuleViolation
from minsheng.platform.security.audit import sm3_hex
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.conftest import scratch_database


def _payroll(session: Session, month: int) -> int:
    """The set-based core of one payroll month inside the test's transaction."""
    payroll.stage_months(session, month)
    queued = service._payroll_batch(session, month, 0, 2**31 - 1)
    bulk.drop_temp_table(session, "payroll_months")
    return queued


def _paid(session: Session, person_id: int) -> dict[int, Decimal]:
    rows = session.execute(select(PensionPayment.benefit_month, PensionPayment.amount)
                           .where(PensionPayment.person_id == person_id,
                                  PensionPayment.status != "cancelled")).all()
    return {m: a for m, a in rows}


class TestAward:
    def test_award_from_the_record(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.recipient(session)
        award = service.current_award(session, p.id)
        basis = json.loads(award.basis)
        assert basis["contribution_months"] == 360
        # basic = (C + C·I)/2 × N × 1 % with C = 8,000, I = 1, N = 30 years → 2,400.00
        assert award.basic_amount == Decimal("2400.00")
        assert basis["months_divisor"] == rules.months_divisor(60, 0)
        assert award.total_amount == award.basic_amount + award.account_amount \
            + award.transitional_amount
        recipient = session.get(PensionRecipient, p.id)
        assert recipient is not None and recipient.start_month == 202002

    def test_too_few_months_is_refused_with_the_gap(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.person(session, resident_id=f.resident_id("500103", date(1960, 2, 1)))
        f.enrolment(session, p.id, start_month="2010-01", end_month="2019-12")
        with pytest.raises(RuleViolation) as err:
            service.award_pension(session, SYSTEM, p.id, retirement_date=date(2020, 2, 29))
        assert err.value.extra["missing_months"] == 60

    def test_the_certification_cycle_is_dated_data(self, session: Session) -> None:
        """The seeded national cycle (12 months) gives 2021-02-03 for an award on
        2020-02-03; a district publishing a 6-month cycle from 2020 gives 2020-08-03."""
        f.contribution_rule(session)
        national = f.recipient(session)
        row = session.get(PensionRecipient, national.id)
        assert row is not None and row.certification_due_date == date(2021, 2, 3)
        session.add(CertificationCycle(region_prefix="500106", valid_from=202001,
                                       cycle_months=6, reminder_months=5, source="测试",
                                       source_status="unconfirmed"))
        session.flush()
        local = f.recipient(session, region="500106")
        row = session.get(PensionRecipient, local.id)
        assert row is not None and row.certification_due_date == date(2020, 8, 3)

    def test_uplift_adds_a_version_and_keeps_history(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.recipient(session)
        before = service.current_award(session, p.id)
        count = service.apply_uplift(session, SYSTEM, year=2026, percent=Decimal("0.02"),
                                     fixed_amount=Decimal("10.00"), effective_month="2026-01",
                                     source="测试")
        assert count >= 1
        after = service.current_award(session, p.id)
        assert after.version == before.version + 1
        assert after.total_amount == rules.annual_uplift(before.total_amount, Decimal("0.02"),
                                                         Decimal("10.00"))
        assert service.current_award(session, p.id, 202512).id == before.id
        with pytest.raises(Conflict):
            service.apply_uplift(session, SYSTEM, year=2026, percent=Decimal("0.02"),
                                 fixed_amount=Decimal("0"), effective_month="2026-01",
                                 source="测试")


class TestAwardRetirementDate:
    """Issue 11 point 2: no employee pension before the statutory retirement date, except
    by a lawful route; the refusal names the statutory date."""

    @staticmethod
    def _man(session: Session, born: date, start: str, end: str) -> Person:
        p = f.person(session, resident_id=f.resident_id("500103", born, male=True))
        f.enrolment(session, p.id, start_month=start, end_month=end,
                    declared_wage=Decimal("8000.00"))
        return p

    def test_a_man_born_1970_01_is_refused_at_55(self, session: Session) -> None:
        """Statutory 61y4m (60 in 2030-01, k = 60, delay 60 // 4 + 1 = 16): 2031-05."""
        f.contribution_rule(session)
        p = self._man(session, date(1970, 1, 1), "1990-01", "2024-12")
        with pytest.raises(RuleViolation) as caught:
            service.award_pension(session, SYSTEM, p.id,
                                  retirement_date=date(2025, 1, 31))
        statutory = date(2031, 5, p.birth_date.day).isoformat()
        [error] = [e for e in caught.value.errors if e.field == "retirement_date"]
        assert statutory in error.message and statutory in error.message_en
        assert session.get(PensionRecipient, p.id) is None

    def test_the_statutory_month_and_one_month_before(self, session: Session) -> None:
        """Man born 1966-01: 60y4m, statutory month 2026-05 (k = 12, delay 12 // 4 + 1)."""
        f.contribution_rule(session)
        p = self._man(session, date(1966, 1, 1), "1996-01", "2026-04")
        with pytest.raises(RuleViolation):
            service.award_pension(session, SYSTEM, p.id,
                                  retirement_date=date(2026, 4, 30))
        award = service.award_pension(session, SYSTEM, p.id,
                                      retirement_date=date(2026, 5, 1),
                                      awarded_on=date(2026, 5, 20))
        assert award.effective_month == 202606
        assert json.loads(award.basis)["statutory_retirement_date"].startswith("2026-05")

    def test_special_type_work_at_55_with_its_approval(self, session: Session) -> None:
        """The seeded early route: special-type work, men from 55 (660 months)."""
        f.contribution_rule(session)
        p = self._man(session, date(1970, 1, 1), "1990-01", "2024-12")
        with pytest.raises(RuleViolation) as caught:  # the approval is required
            service.award_pension(session, SYSTEM, p.id,
                                  retirement_date=date(2025, 1, 31), route="special_work")
        assert [e.field for e in caught.value.errors] == ["route_evidence"]
        award = service.award_pension(session, SYSTEM, p.id,
                                      retirement_date=date(2025, 1, 31), route="special_work",
                                      route_evidence="渝人社特审〔2024〕12号",
                                      awarded_on=date(2025, 2, 5))
        basis = json.loads(award.basis)
        assert basis["route"] == "special_work" and basis["category"] == "male"

    def test_a_womans_category_must_be_given(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.person(session, resident_id=f.resident_id("500103", date(1968, 3, 1),
                                                        male=False))
        f.enrolment(session, p.id, start_month="1990-01", end_month="2023-02",
                    declared_wage=Decimal("8000.00"))
        with pytest.raises(RuleViolation) as caught:
            service.award_pension(session, SYSTEM, p.id, retirement_date=date(2023, 3, 31))
        assert [e.field for e in caught.value.errors] == ["category"]
        # A woman cadre born 1968-03 reached 55 in 2023-03 (before the reform): awarded.
        award = service.award_pension(session, SYSTEM, p.id, retirement_date=date(2023, 3, 31),
                                      category="female_cadre", awarded_on=date(2023, 4, 3))
        assert award.effective_month == 202304


class TestAwardContributionIndex:
    def test_the_issue_example_1928_not_3360(self, session: Session) -> None:
        """359 months at 0.6 (4,800 of 8,000) and one at 3.0 (24,000): index (359 × 0.6 +
        3.0) / 360 = 0.6067; basic = (8,000 + 8,000 × 0.6067) / 2 × 30 × 1 % = 12,853.60 /
        2 × 0.3 = 1,928.04 (the unweighted index 1.8 gave (8,000 + 14,400) / 2 × 0.3 =
        3,360.00)."""
        f.contribution_rule(session)
        p = f.person(session, resident_id=f.resident_id("500103", date(1960, 1, 1)))
        f.enrolment(session, p.id, start_month="1990-01", end_month="2019-11",
                    declared_wage=Decimal("4800.00"))
        f.enrolment(session, p.id, start_month="2019-12", end_month="2019-12",
                    declared_wage=Decimal("24000.00"))
        award = service.award_pension(session, SYSTEM, p.id, retirement_date=date(2020, 1, 31),
                                      awarded_on=date(2020, 2, 3))
        assert json.loads(award.basis)["average_index"] == "0.6067"
        assert award.basic_amount == Decimal("1928.04")


class TestPayrollBatch:
    def test_pays_each_month_once(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2026, 6, 1))
        assert _payroll(session, 202611) >= 1
        assert _payroll(session, 202611) == 0
        amount = service.current_award(session, p.id).total_amount
        assert _paid(session, p.id) == {202611: amount}

    def test_lapsed_certification_suspends_then_back_pays(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2025, 8, 15))  # due 2026-08-15
        _payroll(session, 202608)
        _payroll(session, 202609)  # lapsed before September began: suspended
        _payroll(session, 202610)
        assert set(_paid(session, p.id)) == {202608}
        assert session.get(PensionRecipient, p.id).status == "suspended"  # type: ignore[union-attr]
        service.certify(session, SYSTEM, p.id, method="home_visit", on=date(2026, 11, 3))
        _payroll(session, 202611)
        payments = {m: k for m, k in session.execute(
            select(PensionPayment.benefit_month, PensionPayment.kind)
            .where(PensionPayment.person_id == p.id))}
        assert payments == {202608: "regular", 202609: "back_pay", 202610: "back_pay",
                            202611: "regular"}

    def test_death_stops_payment_and_creates_overpayments(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2026, 6, 1))
        for month in (202608, 202609, 202610):
            _payroll(session, month)
        session.execute(PensionPayment.__table__.update().values(status="paid"))
        overpaid = service.stop_on_death(session, SYSTEM, p.id, date(2026, 8, 20))
        assert overpaid == 2
        months = set(session.scalars(select(PensionOverpayment.benefit_month)
                                     .where(PensionOverpayment.person_id == p.id)))
        assert months == {202609, 202610}
        p.status, p.death_date = "deceased", date(2026, 8, 20)
        session.flush()
        assert _payroll(session, 202611) == 0

    def test_failed_payment_is_requeued_next_month(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2026, 6, 1))
        _payroll(session, 202610)
        payment = session.scalars(select(PensionPayment)
                                  .where(PensionPayment.person_id == p.id)).one()
        payment.status = "sent"
        session.flush()
        paid, failed = service.reconcile(session, SYSTEM, month="2026-10",
                                         failures=[(payment.id, "账户已销户")])
        assert (paid, failed) == (0, 1)
        _payroll(session, 202611)
        session.refresh(payment)
        assert (payment.status, payment.payroll_month) == ("queued", 202611)


@pytest.fixture
def payroll_db(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = scratch_database(database_url, "payroll", tmp_path)
    upgrade(url)
    engine: Engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


def _seed(factory: sessionmaker[Session], people: int) -> None:
    with unit_of_work(factory) as session:
        f.contribution_rule(session)
        for _ in range(people):
            f.recipient(session, last_certified=date(2026, 6, 1))


def _bank_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


class TestRunPayroll:
    def test_second_run_pays_no_one_twice(self, payroll_db: sessionmaker[Session]) -> None:
        _seed(payroll_db, 3)
        first = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        assert first.payments == 3
        rows = _bank_rows(first.bank_file)
        assert rows[-1][0] == "TOTAL" and int(rows[-1][1]) == 3
        assert Decimal(rows[-1][6]) == first.total == sum(Decimal(r[6]) for r in rows[1:-1])
        second = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        assert (second.payments, second.total) == (0, Decimal("0.00"))
        assert sum(c for _, c, _ in second.by_region) == 3

    def test_crash_midway_then_rerun_equals_a_clean_run(
        self, payroll_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _seed(payroll_db, 5)
        monkeypatch.setattr(service, "PAYROLL_BATCH", 2)

        def crash(done: int, total: int) -> None:
            if done == 1:
                raise RuntimeError("power cut")

        with pytest.raises(RuntimeError):
            service.run_payroll(payroll_db, SYSTEM, month="2026-11", progress=crash)
        with unit_of_work(payroll_db) as session:
            partial = session.scalar(select(func.count()).select_from(PensionPayment))
        assert 0 < (partial or 0) < 5
        resumed = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        with unit_of_work(payroll_db) as session:
            expected = sum(a.total_amount for a in session.scalars(select(PensionAward)))
            paid = session.scalar(select(func.count()).select_from(PensionPayment))
        assert resumed.payments == 5 and paid == 5
        assert resumed.total == expected


class TestPayrollLedger:
    """The run row is the payroll's ledger: resume after a crash, closed-month re-runs."""

    def test_a_crashed_run_resumes_after_its_last_done_range(
        self, payroll_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _seed(payroll_db, 5)
        monkeypatch.setattr(service, "PAYROLL_BATCH", 2)
        totals: list[int] = []

        def crash(done: int, total: int) -> None:
            totals.append(total)
            if done == 1:
                raise RuntimeError("power cut")

        with pytest.raises(RuntimeError):
            service.run_payroll(payroll_db, SYSTEM, month="2026-11", progress=crash)
        with unit_of_work(payroll_db) as session:
            crashed = session.scalars(select(PensionPayrollRun)).one()
            assert crashed.finished_at is None and crashed.done_below is not None
            done_below, crashed_id = crashed.done_below, crashed.id
            before = dict(session.execute(select(PensionPayment.id, PensionPayment.person_id)
                                          .where(PensionPayment.run_id == crashed_id)).all())
        assert before and all(person < done_below for person in before.values())
        resumed = service.run_payroll(payroll_db, SYSTEM, month="2026-11",
                                      progress=lambda done, total: totals.append(total))
        assert resumed.run_id == crashed_id
        assert totals[-1] < totals[0]  # only the ranges after done_below were run again
        with unit_of_work(payroll_db) as session:
            assert session.scalar(select(func.count()).select_from(PensionPayrollRun)) == 1
            after = session.execute(select(PensionPayment.id, PensionPayment.person_id,
                                           PensionPayment.status, PensionPayment.run_id)).all()
        assert len(after) == 5
        assert {(status, run) for _, _, status, run in after} == {("sent", crashed_id)}
        assert set(before) <= {payment_id for payment_id, _, _, _ in after}
        assert [int(r[0]) for r in _bank_rows(resumed.bank_file)[1:-1]] == sorted(
            payment_id for payment_id, _, _, _ in after)

    def test_a_closed_month_is_not_recomputed(self, payroll_db: sessionmaker[Session]) -> None:
        _seed(payroll_db, 3)
        first = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        with unit_of_work(payroll_db) as session:
            # Behind the ledger's back: a recomputation would pay this month again.
            gone = session.scalars(select(PensionPayment.id).limit(1)).one()
            session.execute(PensionPayment.__table__.delete()
                            .where(PensionPayment.id == gone))
        second = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        assert (second.payments, second.total) == (0, Decimal("0.00"))
        assert second.run_id != first.run_id
        assert _bank_rows(second.bank_file)[-1][:2] == ["TOTAL", "0"]
        with unit_of_work(payroll_db) as session:
            assert session.scalar(select(func.count()).select_from(PensionPayment)) == 2
            closing = session.get_one(PensionPayrollRun, second.run_id)
            assert closing.finished_at is not None and closing.payments == 0

    def test_a_late_award_after_closing_is_paid_by_a_second_run(
            self, payroll_db: sessionmaker[Session]) -> None:
        _seed(payroll_db, 2)
        first = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        with unit_of_work(payroll_db) as session:
            late = f.recipient(session, last_certified=date(2026, 6, 1)).id
        second = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        assert second.run_id != first.run_id and second.payments == 1
        with unit_of_work(payroll_db) as session:
            paid = session.execute(select(PensionPayment.person_id, PensionPayment.run_id)
                                   .where(PensionPayment.run_id == second.run_id)).all()
        assert paid == [(late, second.run_id)]

    def test_the_bank_file_lists_each_payment_of_the_run(
            self, payroll_db: sessionmaker[Session]) -> None:
        _seed(payroll_db, 3)
        with unit_of_work(payroll_db) as session:
            first, second = session.scalars(select(PensionRecipient.person_id)
                                            .order_by(PensionRecipient.person_id).limit(2))
            session.execute(Person.__table__.update().where(Person.id == first)
                            .values(name='王, "小二"'))
            session.execute(PensionRecipient.__table__.update()
                            .where(PensionRecipient.person_id == second)
                            .values(bank_account=""))
        result = service.run_payroll(payroll_db, SYSTEM, month="2026-11")
        with unit_of_work(payroll_db) as session:
            rows = session.execute(
                select(PensionPayment.id, Person.name, Person.resident_id,
                       PensionRecipient.bank_account, PensionPayment.amount)
                .join(Person, Person.id == PensionPayment.person_id)
                .join(PensionRecipient, PensionRecipient.person_id == PensionPayment.person_id)
                .order_by(PensionPayment.id)).all()
            run = session.get_one(PensionPayrollRun, result.run_id)
            assert (run.payments, run.control_sum) == (3, sm3_hex(result.bank_file))
        total = sum((amount for *_, amount in rows), Decimal("0"))
        expected = io.StringIO()
        writer = csv.writer(expected, lineterminator="\n")
        writer.writerow(["payment_id", "name", "resident_id", "bank_account", "benefit_month",
                         "kind", "amount"])
        for payment_id, name, resident_id, account, amount in rows:
            writer.writerow([payment_id, name, resident_id, account, "2026-11", "regular",
                             f"{amount:.2f}"])
        writer.writerow(["TOTAL", 3, "", "", "", "2026-11", f"{total:.2f}"])
        assert result.bank_file.decode("utf-8") == expected.getvalue()
        assert '"王, ""小二"""' in result.bank_file.decode("utf-8")
        assert result.total == total

    def test_a_bad_month_is_refused_in_both_languages_and_writes_nothing(
            self, payroll_db: sessionmaker[Session]) -> None:
        _seed(payroll_db, 1)
        with pytest.raises(RuleViolation) as refused:
            service.run_payroll(payroll_db, SYSTEM, month="2026-13")
        assert "月份" in refused.value.message and "YYYY-MM" in refused.value.message_en
        with unit_of_work(payroll_db) as session:
            assert session.scalar(select(func.count()).select_from(PensionPayrollRun)) == 0
            assert session.scalar(select(func.count()).select_from(PensionPayment)) == 0


class TestPaymentReferences:
    """A payment names a person, checked per statement (migration 0028)."""

    def _payment(self, person_id: int) -> dict[str, object]:
        return {"person_id": person_id, "benefit_month": 202611, "payroll_month": 202611,
                "kind": "regular", "amount": Decimal("100.00"), "region": "500103",
                "award_id": 1, "status": "queued"}

    def test_an_unknown_person_is_refused(self, session: Session) -> None:
        person = f.person(session)
        table = PensionPayment.__table__
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(table.insert(), [self._payment(person.id),
                                             self._payment(10**9)])
        session.execute(table.insert(), [self._payment(person.id)])
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(table.update().where(table.c.person_id == person.id)
                            .values(person_id=10**9))
        assert session.scalar(select(func.count()).select_from(table)) == 1

    def test_a_person_with_payments_is_not_deleted(self, session: Session) -> None:
        person = f.person(session)
        session.execute(PensionPayment.__table__.insert(), [self._payment(person.id)])
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(text("DELETE FROM person WHERE id = :id"), {"id": person.id})
        assert session.get(Person, person.id) is not None


class TestLateAward:
    def test_months_since_retirement_are_back_paid_once(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.person(session, resident_id=f.resident_id("500103", date(1960, 3, 2)))
        f.enrolment(session, p.id, start_month="1990-01", end_month="2026-03")
        service.award_pension(session, SYSTEM, p.id, retirement_date=date(2026, 3, 31),
                              local_average_wage=Decimal("8000.00"),
                              awarded_on=date(2026, 7, 10))
        _payroll(session, 202607)
        _payroll(session, 202608)
        kinds = {m: k for m, k in session.execute(
            select(PensionPayment.benefit_month, PensionPayment.kind)
            .where(PensionPayment.person_id == p.id))}
        assert kinds == {202604: "back_pay", 202605: "back_pay", 202606: "back_pay",
                         202607: "regular", 202608: "regular"}


class TestUpliftScope:
    def test_retired_this_year_is_not_uplifted(self, session: Session) -> None:
        """The 2026 notice covers pensioners retired by 2025-12-31: one in payment since
        2020-02 gets 3,000 × 1.02 + 10; one in payment from 2026-07 keeps his amount."""
        f.contribution_rule(session)
        old = f.recipient(session)
        new = f.person(session, resident_id=f.resident_id("500103", date(1964, 6, 10),
                                                           male=True))
        f.enrolment(session, new.id, start_month="1995-01", end_month="2026-05",
                    declared_wage=Decimal("8000.00"))
        service.award_pension(session, SYSTEM, new.id, retirement_date=date(2026, 6, 30),
                              bank_account="6222000011113333", awarded_on=date(2026, 7, 2))
        before_old = service.current_award(session, old.id)
        before_new = service.current_award(session, new.id)
        assert before_new.effective_month == 202607
        assert service.apply_uplift(session, SYSTEM, year=2026, percent=Decimal("0.02"),
                                    fixed_amount=Decimal("10.00"), effective_month="2026-01",
                                    source="测试") == 1
        assert service.current_award(session, old.id).total_amount == (
            before_old.total_amount * Decimal("1.02") + Decimal("10.00")).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert service.current_award(session, new.id).id == before_new.id

    def test_a_resident_pensioner_is_not_in_the_employee_notice(self, session: Session) -> None:
        """The yearly notice covers the employee scheme: the demo's 超龄 resident pensioner,
        in payment since 2011-08 at 175.00, keeps 175.00; the employee pensioner in payment
        since 2020 gets total × 1.02 + 10."""
        f.contribution_rule(session)
        old = f.recipient(session)
        resident = seed_demo_resident_pensions(session)
        before = service.current_award(session, old.id).total_amount
        assert service.apply_uplift(session, SYSTEM, year=2026, percent=Decimal("0.02"),
                                    fixed_amount=Decimal("10.00"), effective_month="2026-01",
                                    source="测试") == 1
        assert service.current_award(session, old.id).total_amount == (
            before * Decimal("1.02") + Decimal("10.00")).quantize(Decimal("0.01"),
                                                                   rounding=ROUND_HALF_UP)
        kept = service.current_award(session, resident.person_id)
        assert (kept.id, kept.total_amount) == (resident.award.id, Decimal("175.00"))


@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1991, 2100))
def test_uplift_covers_exactly_those_in_payment_before_the_year(
        year_from: int, month_from: int, year: int) -> None:
    assert rules.uplift_covers(year_from * 100 + month_from, year) == (year_from < year)
