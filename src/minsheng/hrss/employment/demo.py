"""Employment demo data: vacancies of the demo employers, job seekers (the demo citizen
among them), applications, key-group members, and zero-employment households on the
work-list, one of them already cleared by a placement; and, for the scorecard, a record
of the 13th five-year plan and of this year in 涪陵区 and 渝中区 (registered unemployed
and hard-to-employ people placed, graduates, ex-fishers and poverty-registered labour
and their jobs, zero-employment households detected and cleared)."""

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


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("志强", "秀英", "建国", "丽娟", "海燕", "德明", "春梅", "永红", "晓东", "玉兰",
         "国庆", "雪梅", "文杰", "桂芳", "小龙")
#: The districts whose history the scorecard demo shows (涪陵区 and 渝中区).
HISTORY_DISTRICTS = ("500102", "500103")
HISTORY_YEARS = (2016, 2017, 2018, 2019, 2020)


def _history_person(session: Session, district: str, k: int, birth_year: int) -> Person:
    """A demo resident of ``district`` with an ID not yet on record."""
    birth = date(birth_year, 1 + k % 12, 1 + k % 28)
    male = k % 2 == 0
    for seq in range(800 + (k % 50) * 2, 1000, 2):
        body = f"{district}{birth:%Y%m%d}{seq + (1 if male else 0):03d}"
        rid = body + ric.calc_check_digit(body + "0")
        if session.scalar(select(Person.id).where(Person.resident_id == rid)) is None:
            break
    name = SURNAMES[k % len(SURNAMES)] + GIVEN[(k // len(SURNAMES)) % len(GIVEN)]
    return registry.register_person(session, SYSTEM, PersonCreate(
        resident_id=rid, name=name, phone=f"1380230{k % 10_000:04d}", hukou_region=district,
        residence_region=district, hukou_type="urban"))


def seed_demo_history(session: Session, employers: list[int], today: date) -> int:
    """What the scorecard reads for 2016–2020 and this year in 涪陵区 and 渝中区, recorded
    through the services as the clerks would have: each year two registered unemployed
    and one hard-to-employ person placed, three poverty-registered workers recognised and
    placed; the 2020 and this year's graduates (fourteen of fifteen in work by the year's
    end) and ex-fishers (all placed in 2020, three of four this year); a household whose
    two members were registered unemployed, detected in November 2020 and cleared by a
    placement in January 2021; and a household of 涪陵区 registered this year, left for
    the work-list's detection. Returns the number of people added."""
    k = 0

    def person(district: str, birth_year: int) -> Person:
        nonlocal k
        k += 1
        return _history_person(session, district, k, birth_year)

    this_year = today.year
    heads: dict[str, int] = {}
    for n, district in enumerate(HISTORY_DISTRICTS):
        employer = employers[n % len(employers)]
        for year in (*HISTORY_YEARS, this_year):
            last = min(date(year, 12, 31), today - timedelta(days=1))
            for i in range(2):
                p = person(district, 1975 + i)
                if _register_unemployed(session, p.id, min(date(year, 1 + i, 10), last)):
                    service.record_placement(session, SYSTEM, p.id,
                                             on=min(date(year, 3 + 4 * i, 15), last),
                                             region=district, employer_id=employer)
            hard = person(district, 1968)
            service.add_to_key_group(session, SYSTEM, hard.id, "hard_to_employ",
                                     category="near_retirement", since=min(date(year, 1, 5), last))
            service.record_placement(session, SYSTEM, hard.id, on=min(date(year, 5, 20), last),
                                     region=district, employer_id=employer)
            for i in range(3):
                poor = person(district, 1985 + i)
                service.add_to_key_group(session, SYSTEM, poor.id, "poverty_labour",
                                         since=min(date(year, 2, 1), last))
                service.record_placement(session, SYSTEM, poor.id,
                                         on=min(date(year, 4 + i, 8), last),
                                         region=district, employer_id=employer)
            if year not in (2020, this_year):
                continue
            for i in range(15):
                graduate = person(district, year - 22)
                service.add_to_key_group(session, SYSTEM, graduate.id, "graduate",
                                         graduation_year=year,
                                         since=min(date(year, 7, 1), last))
                if i < 14:
                    service.record_placement(
                        session, SYSTEM, graduate.id, on=min(date(year, 8, 1 + i), last),
                        region=district, employer_id=employers[(n + i) % len(employers)])
            for i in range(4):
                fisher = person(district, 1970 + i)
                service.add_to_key_group(session, SYSTEM, fisher.id, "ex_fisher",
                                         since=min(date(year, 1, 1), last))
                if year == 2020 or i < 3:
                    service.record_placement(session, SYSTEM, fisher.id,
                                             on=min(date(year, 3, 1 + i), last), region=district,
                                             employer_id=employer)
        # A zero-employment household of 2020, cleared in January 2021.
        household = registry.create_household(session, SYSTEM, HouseholdCreate(
            address_region=district, address=f"演示街道{n + 1}号"))
        for relation in ("head", "spouse"):
            member = person(district, 1976)
            registry.add_household_member(session, SYSTEM, household.id, member.id, relation)
            if _register_unemployed(session, member.id, date(2020, 9, 1)):
                heads.setdefault(district, member.id)
    if heads:
        service.detect_zero_employment(session, SYSTEM, date(2020, 11, 30))
        for district, head in heads.items():
            service.record_placement(session, SYSTEM, head, on=date(2021, 1, 12),
                                     region=district, employer_id=employers[0])
    # This year's household in 涪陵区, registered two months ago: the work-list's
    # detection (below, in the caller) opens its case.
    household = registry.create_household(session, SYSTEM, HouseholdCreate(
        address_region="500102", address="敦仁街道演示路 3 号"))
    for relation in ("head", "spouse"):
        member = person("500102", 1979)
        registry.add_household_member(session, SYSTEM, household.id, member.id, relation)
        _register_unemployed(session, member.id, today - timedelta(days=60))
    return k


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
        seed_demo_history(session, employers, today)
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
