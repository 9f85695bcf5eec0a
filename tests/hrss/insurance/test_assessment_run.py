"""The monthly run (``assess_month``): its ledger of ranges decides a re-run, resumes an
interrupted run with the same rows, and lets a late enrolment be assessed alone; the
contribution's references are checked by the database per statement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Row, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service
from minsheng.hrss.insurance.models import AssessmentRange, AssessmentRun, Contribution
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

MONTH, PERIOD = "2026-11", 202611


@pytest.fixture
def factory(session: Session) -> sessionmaker[Session]:
    """Sessions on the test's connection: each unit of work of the run is a savepoint of
    the test's rolled-back transaction."""
    return sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint",
                        expire_on_commit=False)


def _city(session: Session, people: int = 5) -> tuple[Employer, list[Person]]:
    """``people`` employees of one employer in the three employee schemes, and one
    flexible worker (employee pension alone, no employer)."""
    f.contribution_rule(session)
    employer = f.employer(session, work_injury_risk_class=3)
    staff = [f.person(session) for _ in range(people)]
    for index, person in enumerate(staff):
        for scheme in ("employee_pension", "unemployment", "work_injury"):
            f.enrolment(session, person.id, scheme, employer_id=employer.id,
                        declared_wage=Decimal(3000 + 4000 * index))
    flexible = f.person(session)
    f.enrolment(session, flexible.id, "employee_pension", declared_wage=Decimal("6000"))
    return employer, [*staff, flexible]


def _rows(session: Session) -> list[Row[Any]]:
    """The month's rows without ids and provenance: what two runs must agree on."""
    return list(session.execute(select(
        Contribution.person_id, Contribution.scheme, Contribution.employer_id,
        Contribution.region, Contribution.declared_wage, Contribution.base, Contribution.clamp,
        Contribution.employer_amount, Contribution.personal_amount, Contribution.status,
        Contribution.rule_id).where(Contribution.period == PERIOD)
        .order_by(Contribution.person_id, Contribution.scheme)).all())


def _ranges(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AssessmentRange)
                          .where(AssessmentRange.period == PERIOD)) or 0


class TestRerun:
    def test_a_second_run_is_a_no_op_that_reports_zero(
            self, session: Session, factory: sessionmaker[Session]) -> None:
        _city(session)
        first = service.assess_month(factory, SYSTEM, month=MONTH)
        assert first.inserted_rows == 16 and first.finished_at is not None
        rows, ranges = _rows(session), _ranges(session)
        assert len(rows) == 16 and ranges == 1
        again = service.assess_month(factory, SYSTEM, month=MONTH)
        assert again.inserted_rows == 0 and again.finished_at is not None
        assert again.id != first.id
        assert _rows(session) == rows and _ranges(session) == ranges

    def test_the_re_run_is_decided_by_the_ledger_not_by_recomputing(
            self, session: Session, factory: sessionmaker[Session]) -> None:
        """A row removed behind the run's back is not noticed by a re-run (it reads the
        ledger, not the contributions); ``recheck`` assesses every range again."""
        _, people = _city(session)
        service.assess_month(factory, SYSTEM, month=MONTH)
        rows = _rows(session)
        session.execute(delete(Contribution).where(Contribution.person_id == people[0].id,
                                                   Contribution.scheme == "unemployment"))
        assert service.assess_month(factory, SYSTEM, month=MONTH).inserted_rows == 0
        assert len(_rows(session)) == 15
        assert service.assess_month(factory, SYSTEM, month=MONTH,
                                    recheck=True).inserted_rows == 1
        assert _rows(session) == rows

    def test_a_late_enrolment_is_assessed_alone(
            self, session: Session, factory: sessionmaker[Session]) -> None:
        """增员 recorded after the month was assessed, starting in that month: the next
        run assesses its rows and nobody else's."""
        employer, _ = _city(session)
        service.assess_month(factory, SYSTEM, month=MONTH)
        newcomer = f.person(session)
        for scheme in ("employee_pension", "unemployment", "work_injury"):
            f.enrolment(session, newcomer.id, scheme, employer_id=employer.id,
                        start_month=MONTH, declared_wage=Decimal("9000"))
        late = service.assess_month(factory, SYSTEM, month=MONTH)
        assert late.inserted_rows == 3
        assert {r.person_id for r in _rows(session) if r.person_id == newcomer.id}
        assert len(_rows(session)) == 19
        newest = session.scalar(select(func.max(AssessmentRange.enrolment_high)))
        assert newest == session.scalar(select(func.max(assessment.Enrolment.id)))
        assert service.assess_month(factory, SYSTEM, month=MONTH).inserted_rows == 0

    def test_a_run_of_the_whole_country_covers_a_province_after_it(
            self, session: Session, factory: sessionmaker[Session]) -> None:
        _city(session)
        assert service.assess_month(factory, SYSTEM, month=MONTH).inserted_rows == 16
        ranges = _ranges(session)
        province = service.assess_month(factory, SYSTEM, month=MONTH, region_prefix="500000")
        assert province.inserted_rows == 0 and _ranges(session) == ranges

    def test_rows_written_before_the_ledger_are_kept(
            self, session: Session, factory: sessionmaker[Session]) -> None:
        """Rows of the month with no ledger row (written by ``assess_batch``, or before
        the ledger existed) make the range's plain INSERT fail; it is assessed again
        skipping them, and recorded."""
        _city(session)
        assessment._stage_rules(session, PERIOD, "")
        assert service.assess_batch(session, period=PERIOD, prefix="", low=0,
                                    high=2**31 - 1, run_id=None) == 16
        rows = _rows(session)
        run = service.assess_month(factory, SYSTEM, month=MONTH)
        assert run.inserted_rows == 0 and _ranges(session) == 1 and _rows(session) == rows


class TestResume:
    def test_an_interrupted_run_resumes_with_the_same_rows(
            self, session: Session, factory: sessionmaker[Session],
            monkeypatch: pytest.MonkeyPatch) -> None:
        """Two people a range: the run stops in its second range (a lost connection),
        the next run assesses only the ranges left, and the month ends up row for row
        as an uninterrupted run makes it."""
        _city(session)
        monkeypatch.setattr(assessment, "ASSESS_BATCH", 2)
        assess = assessment._assess_range
        calls: list[int] = []

        def failing(*args: Any, **kwargs: Any) -> int:
            calls.append(kwargs["low"])
            if len(calls) == 2:
                raise ConnectionError("lost the database in the second range")
            return assess(*args, **kwargs)

        monkeypatch.setattr(assessment, "_assess_range", failing)
        with pytest.raises(ConnectionError):
            service.assess_month(factory, SYSTEM, month=MONTH)
        done, failed = calls
        assert _ranges(session) == 1
        partial = len(_rows(session))
        assert 0 < partial < 16
        interrupted = session.scalars(select(AssessmentRun).where(
            AssessmentRun.period == PERIOD)).one()
        assert interrupted.finished_at is None

        monkeypatch.setattr(assessment, "_assess_range", assess)
        resumed = service.assess_month(factory, SYSTEM, month=MONTH)
        assert resumed.inserted_rows == 16 - partial
        resumed_rows = _rows(session)
        assert len(resumed_rows) == 16

        session.execute(delete(Contribution).where(Contribution.period == PERIOD))
        session.execute(delete(AssessmentRange).where(AssessmentRange.period == PERIOD))
        whole = service.assess_month(factory, SYSTEM, month=MONTH)
        assert whole.inserted_rows == 16
        assert _rows(session) == resumed_rows
        assert done < failed


class TestPlan:
    """What a range needs, from the ledger rows of the month."""

    def test_ranges(self) -> None:
        done = [assessment._Done("50", 0, 10, 100), assessment._Done("", 10, 20, 90)]
        plan = assessment._plan
        assert plan(done, "50", 0, 10, 100, recheck=False) is None
        assert plan(done, "5001", 0, 10, 100, recheck=False) is None  # "50" covers "5001"
        assert plan(done, "50", 0, 10, 120, False) == assessment._Range(0, 10, 100, False)
        assert plan(done, "50", 10, 20, 90, recheck=False) is None  # "" covers "50"
        # Not covered ("51" is another province; "" is wider than "50"), but rows of
        # "50" may be there: ON CONFLICT, never a plain INSERT.
        assert plan(done, "", 0, 10, 100, False) == assessment._Range(0, 10, None, False)
        assert plan(done, "51", 0, 10, 100, False) == assessment._Range(0, 10, None, True)
        assert plan(done, "50", 20, 30, 100, False) == assessment._Range(20, 30, None, True)
        assert plan(done, "50", 0, 10, 100, True) == assessment._Range(0, 10, None, False)

    def test_bounds_are_aligned(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(assessment, "ASSESS_BATCH", 10)
        assert assessment._bounds(13, 31) == [(10, 20), (20, 30), (30, 40)]
        assert assessment._bounds(None, None) == []


class TestReferences:
    """``contribution.person_id`` / ``employer_id`` name a person / an employer (checked
    per statement on PostgreSQL, per row on SQLite; migration 0027)."""

    def _row(self, person_id: int, employer_id: int | None) -> Contribution:
        return Contribution(person_id=person_id, period=PERIOD, scheme="employee_pension",
                            employer_id=employer_id, region="500103", base=Decimal("8000"),
                            employer_amount=Decimal("1280"), personal_amount=Decimal("640"),
                            government_amount=Decimal("0"), subsidy_amount=Decimal("0"),
                            status="due")

    def test_an_unknown_person_or_employer_is_refused(self, session: Session) -> None:
        person, employer = f.person(session), f.employer(session)
        for row in (self._row(10**9, employer.id), self._row(person.id, 10**9)):
            with pytest.raises(IntegrityError), session.begin_nested():
                session.add(row)
                session.flush()
        session.add(self._row(person.id, employer.id))
        session.flush()
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(Contribution.__table__.update()
                            .where(Contribution.person_id == person.id)
                            .values(person_id=10**9))

    def test_a_person_or_employer_with_contributions_is_not_deleted(
            self, session: Session) -> None:
        person, employer = f.person(session), f.employer(session)
        session.add(self._row(person.id, employer.id))
        session.flush()
        for table, key in ((Person.__table__, person.id), (Employer.__table__, employer.id)):
            with pytest.raises(IntegrityError), session.begin_nested():
                session.execute(table.delete().where(table.c.id == key))
