"""Demo data for unemployment insurance: people laid off in 渝中区 (their employee
enrolments ended), registered as unemployed, most claims approved and paid for a month,
a few waiting for a decision; and one man near retirement whose benefit continues until
his statutory retirement month with the fund paying his pension contributions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.schemas import EnrolmentCreate, EnrolmentEnd
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import PersonCreate
from minsheng.hrss.registry.service import Employer, Person
from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import (
    SubsistenceAllowance,
    UnemploymentClaim,
    UnemploymentDeathGrantRule,
)
from minsheng.platform.db import unit_of_work
from minsheng.platform.errors import DomainError
from minsheng.platform.ids import resident_id_check_char
from minsheng.platform.security.principal import SYSTEM

DEMO_LAID_OFF = 24
DEMO_PENDING = 4
#: Demo parameters only (not published values), marked unconfirmed on the rules page.
DEMO_SOURCE = "演示参数（非官方发布值）"
#: 老周, born 1966-08 in 渝中区: statutory retirement at 60 years 5 months, in 2027-01
#: (2024 decision: 60 reached 2026-08, 19 months into the reform, 19 // 4 + 1 = 5).
NEAR_RETIREMENT_ID = "50010319660815357"


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
    with unit_of_work(factory) as session:
        seed_near_retirement(session)
        seed_demo_parameters(session)
    service.run_payroll(factory, SYSTEM, month=payroll_month)
    with unit_of_work(factory) as session:
        _a_death_during_benefit(session)
    return made


def _a_death_during_benefit(session: Session) -> None:
    """One of the laid-off claimants dies in November: the claim stops and the survivors'
    grants are recorded (社会保险法 art. 49)."""
    deceased = session.scalar(select(UnemploymentClaim.person_id).where(
        UnemploymentClaim.status == "active", UnemploymentClaim.region == "500103",
        UnemploymentClaim.retirement_month > 202712).order_by(UnemploymentClaim.id.desc())
        .limit(1))
    if deceased is not None:
        registry.record_death(session, SYSTEM, deceased, date(2026, 11, 20))


def seed_near_retirement(session: Session) -> Person | None:
    """老周: 24 months insured (Chongqing ladder: 6 months of benefit), laid off at
    2026-01 and registered 2026-02-10. His benefit would end with 2026-07, six months
    before his retirement month 2027-01, so it continues until then (2024 decision art. 7);
    the 2026-10 payroll pays 2026-02…07 and the extension 2026-08…10, with the medical
    contributions of every month and the pension contributions of the extension."""
    rid = NEAR_RETIREMENT_ID + resident_id_check_char(NEAR_RETIREMENT_ID)
    if session.scalar(select(Person.id).where(Person.resident_id == rid)) is not None:
        return None
    person = registry.register_person(session, SYSTEM, PersonCreate(
        resident_id=rid, name="周建国", phone="13983000001", hukou_region="500103",
        residence_region="500103", hukou_type="urban"))
    employer = session.scalar(select(Employer.id).where(Employer.region == "500103")
                              .order_by(Employer.id).limit(1))
    for scheme, start in (("employee_pension", "1990-03"), ("unemployment", "2024-02")):
        insurance.enrol(session, SYSTEM, EnrolmentCreate(
            person_id=person.id, scheme=scheme, employer_id=employer, start_month=start,
            end_month="2026-01"))
    service.register_unemployed(session, SYSTEM, person.id, registered_date=date(2026, 2, 10),
                                separation_reason="mutual_by_employer")
    claim = service.submit_claim(session, SYSTEM, person.id, bank_account="6222000019660815",
                                 on=date(2026, 2, 10))
    service.decide_claim(session, SYSTEM, claim.id, approve=True)
    return person


def seed_demo_parameters(session: Session) -> None:
    """Demo values for what the city has not published in our sources: the urban minimum
    living allowance (the lower bound of the benefit) and the grants on a recipient's
    death; both marked unconfirmed, both shown on the rules page as demo values."""
    if session.scalar(select(SubsistenceAllowance.id).limit(1)) is None:
        session.add(SubsistenceAllowance(region_prefix="50", valid_from=202401,
                                         monthly_amount=Decimal("760.00"),
                                         source=DEMO_SOURCE, source_status="unconfirmed"))
    if session.scalar(select(UnemploymentDeathGrantRule.id).limit(1)) is None:
        session.add(UnemploymentDeathGrantRule(
            region_prefix="50", valid_from=202401, funeral_amount=Decimal("5000.00"),
            survivor_amount=Decimal("12000.00"), source=DEMO_SOURCE,
            source_status="unconfirmed"))
    session.flush()

