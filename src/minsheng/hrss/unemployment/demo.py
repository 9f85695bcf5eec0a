"""Demo data for unemployment insurance: people laid off in 渝中区 (their employee
enrolments ended), registered as unemployed, most claims approved and paid for a month,
a few waiting for a decision."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.schemas import EnrolmentEnd
from minsheng.hrss.registry.service import Person
from minsheng.hrss.unemployment import service
from minsheng.platform.db import unit_of_work
from minsheng.platform.errors import DomainError
from minsheng.platform.security.principal import SYSTEM

DEMO_LAID_OFF = 24
DEMO_PENDING = 4


def seed_demo_unemployment(factory: sessionmaker[Session], *, laid_off: int = DEMO_LAID_OFF,
                           last_month: str = "2026-09", registered_date: date = date(2026, 10, 9),
                           payroll_month: str = "2026-10") -> int:
    """Lay off ``laid_off`` insured workers of 渝中区 at ``last_month``, register them and
    claim; approve all but a few; run the payroll of ``payroll_month``. Returns the
    number of claims made. Idempotent enough for the demo: people already registered are
    skipped."""
    made = 0
    with unit_of_work(factory) as session:
        insured = insurance.enrolled_in("unemployment", with_employer=True)
        rows = session.execute(
            select(Person.id).where(Person.id.in_(insured), Person.residence_region == "500103",
                                    Person.status == "alive")
            .order_by(Person.id).limit(laid_off * 2)).scalars().all()
        for person_id in rows:
            if made >= laid_off:
                break
            if service.open_registration(session, person_id) is not None:
                continue
            try:
                with session.begin_nested():
                    for enrolment in insurance.enrolments_of(session, SYSTEM, person_id):
                        if enrolment.end_month is None and enrolment.employer_id is not None:
                            insurance.end_enrolment(session, SYSTEM, enrolment.id, EnrolmentEnd(
                                end_month=last_month, reason="contract_ended",
                                version=enrolment.version))
                    service.register_unemployed(
                        session, SYSTEM, person_id, registered_date=registered_date,
                        separation_reason="contract_expired" if made % 3 else "dismissed")
                    claim = service.submit_claim(session, SYSTEM, person_id,
                                                 bank_account=f"62220000{person_id:08d}",
                                                 on=registered_date)
                    if made >= DEMO_PENDING:
                        service.decide_claim(session, SYSTEM, claim.id, approve=True)
                made += 1
            except DomainError:
                continue  # not eligible on the synthetic record (e.g. under a year insured)
    service.run_payroll(factory, SYSTEM, month=payroll_month)
    return made
