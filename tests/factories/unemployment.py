"""Builders for unemployment tests; every record goes through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Employer, Person
from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import UnemploymentClaim
from minsheng.hrss.unemployment.service import payroll as payroll_service
from minsheng.platform import bulk
from minsheng.platform.payroll import stage_months
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

ACCOUNT = "6222000011112222"


def citizen(person: Person) -> Principal:
    return Principal(user_id=0, username=f"citizen-{person.id}", role="citizen",
                     person_id=person.id)


def insured(session: Session, *, start: str = "2015-01", end: str | None = "2019-12",
            employer: Employer | None = None, region: str = "500103",
            **person: Any) -> tuple[Person, Employer]:
    """A person covered by unemployment insurance with an employer from ``start`` to ``end``."""
    employer = employer or f.employer(session, region=region)
    p = f.person(session, residence_region=region, **person)
    f.enrolment(session, p.id, "unemployment", employer_id=employer.id, start_month=start,
                end_month=end)
    return p, employer


def claim(session: Session, person: Person, registered_date: date, *,
          separation: str = "dismissed", approve: bool = True) -> UnemploymentClaim:
    """Register ``person`` as unemployed on ``registered_date``, claim, and approve."""
    service.register_unemployed(session, SYSTEM, person.id, registered_date=registered_date,
                                separation_reason=separation)
    made = service.submit_claim(session, SYSTEM, person.id, bank_account=ACCOUNT,
                                on=registered_date)
    if approve:
        service.decide_claim(session, SYSTEM, made.id, approve=True)
    return made


def payroll(session: Session, month: int) -> int:
    """The set-based core of one payroll month inside the test's transaction."""
    stage_months(session, month)
    queued = payroll_service._payroll_batch(session, month, 0, 2**31 - 1)
    bulk.drop_temp_table(session, "payroll_months")
    return queued
