"""Builders for employment tests: seekers, vacancies, households and unemployment
registrations (the unemployment domain's table, written with its agreed columns)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, Table, insert, inspect, text
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service
from minsheng.hrss.employment.schemas import SeekerInput, VacancyInput
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Employer, Household, Person
from minsheng.hrss.registry.schemas import HouseholdCreate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def vacancy(session: Session, employer: Employer, title: str, **kw: Any) -> Any:
    on = kw.pop("on", date(2026, 3, 1))
    data = {"title": title, "occupation_code": "4-04", "region": "500103",
            "education_required": 3, "pay_min": Decimal("5000"), "pay_max": Decimal("8000"),
            "headcount": 1, "description": "", **kw}
    return service.post_vacancy(session, SYSTEM, employer.id, VacancyInput(**data), on=on)


def seeker(session: Session, person: Person, **kw: Any) -> Any:
    data = {"region": "500103", "occupation_code": "4-04", "education": 4,
            "min_pay": Decimal("5000"), "skills": "", "summary": "", **kw}
    return service.register_seeker(session, SYSTEM, person.id, SeekerInput(**data))


def household(session: Session, region: str = "500103") -> Household:
    return registry.create_household(session, SYSTEM, HouseholdCreate(
        address_region=region, address="测试街道 1 号"))


def member(session: Session, hh: Household, relation: str, *, birth: date, male: bool = True,
           region: str = "500103", name: str = "张三") -> Person:
    p = f.person(session, residence_region=region, name=name,
                 resident_id=f.resident_id(region, birth, male=male))
    registry.add_household_member(session, SYSTEM, hh.id, p.id, relation)
    return p


def ensure_unemployment_table(session: Session) -> None:
    """The unemployment domain's table, or — until it is migrated — a stand-in with the
    agreed columns, created inside the test's transaction (rolled back with it)."""
    if not inspect(session.connection()).has_table("unemployment_registration"):
        session.execute(text(
            "CREATE TABLE unemployment_registration (id INTEGER PRIMARY KEY, "
            "person_id INTEGER NOT NULL, registered_date DATE NOT NULL, ended_date DATE, "
            "end_reason VARCHAR(24))"))


def register_unemployed(session: Session, person: Person, on: date,
                        ended_date: date | None = None) -> None:
    """A registration row: the agreed columns, and plain values for any other required
    column of the unemployment domain's table."""
    ensure_unemployment_table(session)
    reflected = Table("unemployment_registration", MetaData(),
                      autoload_with=session.connection())
    values: dict[str, Any] = {"person_id": person.id, "registered_date": on,
                              "ended_date": ended_date,
                              "end_reason": "moved_away" if ended_date else None}
    for col in reflected.columns:
        if col.name in values or col.primary_key or col.nullable:
            continue
        if col.name == "region":
            values[col.name] = person.residence_region
        elif isinstance(col.type, Boolean):
            values[col.name] = True
        elif isinstance(col.type, Integer):
            values[col.name] = 1
        elif isinstance(col.type, DateTime):
            values[col.name] = datetime.now(UTC)
        elif isinstance(col.type, Date):
            values[col.name] = on
        else:
            values[col.name] = "dismissed" if "reason" in col.name else "test"
    session.execute(insert(reflected).values(**values))
