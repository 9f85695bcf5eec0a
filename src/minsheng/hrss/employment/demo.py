"""Employment demo data: vacancies of the demo employers, job seekers (the demo citizen
among them), applications, key-group members, and zero-employment households on the
work-list, one of them already cleared by a placement."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stdnum.cn import ric

from minsheng.hrss.employment import service
from minsheng.hrss.employment.models import Vacancy
from minsheng.hrss.employment.schemas import SeekerInput, VacancyInput
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import HouseholdCreate, PersonCreate
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform.db import unit_of_work
from minsheng.platform.errors import DomainError
from minsheng.platform.security.models import UserAccount
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.vacancies import generate_seekers, generate_vacancies

DISTRICT = "500103"


@dataclass(frozen=True)
class DemoEmployment:
    vacancies: int
    seekers: int
    zero_employment_households: int


def _new_person(session: Session, name: str, birth: date, male: bool, serial: int) -> Person:
    body = f"{DISTRICT}{birth:%Y%m%d}{(900 + serial * 2 + (1 if male else 0)) % 1000:03d}"
    return registry.register_person(session, SYSTEM, PersonCreate(
        resident_id=body + ric.calc_check_digit(body + "0"), name=name,
        phone=f"1390023{serial:04d}", hukou_region=DISTRICT, residence_region=DISTRICT,
        hukou_type="urban"))


def _register_unemployed(session: Session, person_id: int, on: date) -> bool:
    try:
        module = importlib.import_module("minsheng.hrss.unemployment.service")
        reasons = importlib.import_module("minsheng.hrss.unemployment.rules").SEPARATION_REASONS
    except ModuleNotFoundError:
        return False
    module.register_unemployed(session, SYSTEM, person_id, registered_date=on,
                               separation_reason=next(iter(reasons)))
    return True


def seed_demo_employment(factory: sessionmaker[Session], *, vacancies: int = 400) -> DemoEmployment:
    """Load the employment demo in its own unit of work. Idempotent: a database that has
    any vacancy is left alone."""
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(Vacancy)):
            return DemoEmployment(0, 0, 0)
        employers = list(session.scalars(select(Employer.id).order_by(Employer.id).limit(80)))
        if not employers:
            return DemoEmployment(0, 0, 0)
        today = date.today()
        posted = 0
        for n, v in enumerate(generate_vacancies(vacancies, seed=2026, today=today)):
            region = DISTRICT if n % 3 == 0 else v.region
            service.post_vacancy(session, SYSTEM, employers[n % len(employers)], VacancyInput(
                title=v.title, occupation_code=v.occupation_code, region=region,
                education_required=v.education_required, pay_min=v.pay_min,
                pay_max=v.pay_max, headcount=1 + n % 3, description=v.description),
                on=v.posted_date)
            posted += 1
        people = list(session.scalars(
            select(Person).where(Person.residence_region == DISTRICT, Person.status == "alive",
                                 Person.birth_date > date(today.year - 55, 1, 1),
                                 Person.birth_date < date(today.year - 20, 1, 1))
            .order_by(Person.id).limit(40)))
        seekers = 0
        citizen = session.scalar(select(UserAccount.person_id).where(
            UserAccount.username == "citizen"))
        for person, s in zip(people, generate_seekers(len(people), seed=2026), strict=False):
            if person.id == citizen:
                continue
            service.register_seeker(session, SYSTEM, person.id, SeekerInput(
                region=DISTRICT, occupation_code=s.occupation_code, education=s.education,
                min_pay=s.min_pay, skills=s.skills))
            seekers += 1
        if citizen is not None:
            service.register_seeker(session, SYSTEM, citizen, SeekerInput(
                region=DISTRICT, occupation_code="4-02", education=2, min_pay=4500,
                skills="叉车证 仓库管理", summary="在物流园做过三年仓库管理，会开叉车"))
            seekers += 1
        for i, person in enumerate(people[:12]):
            group = ("graduate", "ex_fisher", "hard_to_employ", "rural_labour",
                     "poverty_labour")[i % 5]
            service.add_to_key_group(
                session, SYSTEM, person.id, group, since=today - timedelta(days=90),
                category="long_term_unemployed" if group == "hard_to_employ" else "",
                graduation_year=today.year if group == "graduate" else None)
        households = 0
        families = (("陈", "解放碑街道民族路 12 号"), ("罗", "七星岗街道中山一路 45 号"),
                    ("何", "大溪沟街道人民路 8 号"))
        registered_date = today - timedelta(days=60)
        placed: list[int] = []
        for k, (surname, address) in enumerate(families):
            household = registry.create_household(session, SYSTEM, HouseholdCreate(
                address_region=DISTRICT, address=address))
            members = [(f"{surname}建华", date(1978, 3 + k, 5), True, "head"),
                       (f"{surname}秀兰", date(1980, 6 + k, 9), False, "spouse")]
            for j, (name, birth, male, relation) in enumerate(members):
                person = _new_person(session, name, birth, male, k * 10 + j)
                registry.add_household_member(session, SYSTEM, household.id, person.id,
                                              relation)
                try:
                    if _register_unemployed(session, person.id, registered_date) and j == 0:
                        placed.append(person.id)
                except DomainError:
                    continue
            households += 1
        detected = service.detect_zero_employment(session, SYSTEM, today - timedelta(days=20))
        if placed:  # the last household is cleared by a placement
            service.record_placement(session, SYSTEM, placed[-1], on=today - timedelta(days=3),
                                     region=DISTRICT, employer_id=employers[0])
        return DemoEmployment(posted, seekers, detected.opened)
