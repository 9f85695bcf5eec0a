"""Scarce-talent introductions (引进优秀紧缺人才): the dated category catalogue, the
talent events they come through (重庆英才大会) and the employer's declaration."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Employer, Person
from minsheng.hrss.talent import rules
from minsheng.hrss.talent.models import TalentCategory, TalentEvent, TalentIntroduction
from minsheng.hrss.talent.schemas import EventCreate, IntroductionCreate
from minsheng.hrss.talent.service._common import person_of, refuse
from minsheng.platform import paging, regions, rulebook
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped


def categories(session: Session, region: str, on: date) -> list[TalentCategory]:
    """The catalogue in force for ``region`` on ``on`` (most specific prefix, latest)."""
    return sorted(rulebook.in_force(session, TalentCategory, region, month_of(on)),
                  key=lambda c: c.code)


def category_names(session: Session) -> dict[str, str]:
    """Every category code ever published with its latest name (lists and exports)."""
    rows = session.execute(select(TalentCategory.code, TalentCategory.name)
                           .order_by(TalentCategory.valid_from)).all()
    return {code: name for code, name in rows}


def _employer_in_scope(session: Session, actor: Principal, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    in_scope = employer is not None and (
        actor.sees_region(employer.region) if actor.is_staff
        else actor.employer_id == employer.id)
    if employer is None or not in_scope:
        raise invalid_field("employer_id", "用人单位不存在或不是本单位",
                            "no such employer, or not yours")
    return employer


def declare(session: Session, actor: Principal, data: IntroductionCreate) -> TalentIntroduction:
    """申报引进优秀紧缺人才: the employer for its own introduced talent, or staff for an
    employer of their region. The category must be in the catalogue in force for the
    employer's district in the month of introduction; the same person, employer and day
    is recorded once (a 409)."""
    actor.require_any("talent:write", "talent:employer")
    employer = _employer_in_scope(session, actor, data.employer_id)
    person = person_of(session, data.person_id)
    refuse(rules.record_date_problems("introduced_on", data.introduced_on, date.today(),
                                      person.birth_date))
    codes = {c.code for c in categories(session, employer.region, data.introduced_on)}
    if data.category_code.upper() not in codes:
        raise invalid_field("category_code", "该类别不在引进当月有效的优秀紧缺人才目录中",
                            "the category is not in the catalogue in force that month")
    if data.event_id is not None:
        event = session.get(TalentEvent, data.event_id)
        if event is None:
            raise invalid_field("event_id", "人才活动不存在", "no such talent event")
        if data.introduced_on < event.held_on:
            raise invalid_field("introduced_on", "引进日期不能早于人才活动举办日期",
                                "introduced before the event was held")
    if session.scalar(select(TalentIntroduction.id).where(
            TalentIntroduction.person_id == person.id,
            TalentIntroduction.employer_id == employer.id,
            TalentIntroduction.introduced_on == data.introduced_on)) is not None:
        raise Conflict("该人才在同一日期已由本单位申报引进",
                       "This introduction is already declared")
    found = TalentIntroduction(
        person_id=person.id, employer_id=employer.id, region=employer.region,
        category_code=data.category_code.upper(), introduced_on=data.introduced_on,
        event_id=data.event_id, project_name=data.project_name, declared_by=actor.username)
    session.add(found)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.introduction_declare",
                 subject_type="talent_introduction", subject_id=found.id,
                 payload={"person_id": person.id, "employer_id": employer.id,
                          "category": found.category_code,
                          "introduced_on": data.introduced_on.isoformat(),
                          "event_id": data.event_id})
    return found


#: The orders the introduction list allows; the default is the latest first.
INTRODUCTION_SORTING = paging.Sorting({
    "introduced": TalentIntroduction.introduced_on,
    "category": TalentIntroduction.category_code,
    "employer": Employer.name,
}, default="introduced", default_descending=True, tie_breakers=[TalentIntroduction.id.desc()])


def introductions_query(actor: Principal, *, year: int | None = None, event_id: int | None = None,
                        sort: paging.Sort | None = None) -> Select[*tuple[Any, ...]]:
    """Introductions of the actor's region (staff) or the employer's own, with the
    talent's name and ID and the employer's name, latest first."""
    actor.require_any("talent:read", "talent:employer")
    i = TalentIntroduction
    stmt: Select[*tuple[Any, ...]] = (select(i, Person.name, Person.resident_id, Employer.name)
            .join(Person, Person.id == i.person_id).join(Employer, Employer.id == i.employer_id))
    if year is not None:
        stmt = stmt.where(i.introduced_on >= date(year, 1, 1),
                          i.introduced_on <= date(year, 12, 31))
    if event_id is not None:
        stmt = stmt.where(i.event_id == event_id)
    if actor.is_staff:
        stmt = scoped(stmt, i.region, actor)
    else:
        stmt = stmt.where(i.employer_id == actor.employer_id)
    return stmt.order_by(*INTRODUCTION_SORTING.order_by(sort or INTRODUCTION_SORTING.default))


def introductions_page(session: Session, actor: Principal, *, year: int | None = None,
                       event_id: int | None = None, page: int = 1,
                       sort: paging.Sort | None = None) -> paging.Listing[Any]:
    return paging.paginate(session, introductions_query(actor, year=year, event_id=event_id,
                                                        sort=sort), page, scalars=False)


def all_introductions(session: Session, actor: Principal, *, year: int | None = None,
                      event_id: int | None = None, sort: paging.Sort | None = None
                      ) -> Iterator[Any]:
    yield from session.execute(introductions_query(actor, year=year, event_id=event_id,
                                                   sort=sort)
                               .execution_options(yield_per=2000))


# --- talent events ----------------------------------------------------------------------


def create_event(session: Session, actor: Principal, data: EventCreate) -> TalentEvent:
    """登记人才活动 (e.g. 重庆英才大会) held in the actor's region, with the projects
    signed at it."""
    actor.require("talent:write")
    if regions.name_of(data.region) is None:
        raise invalid_field("region", "未知的行政区划代码", "unknown division code")
    if not actor.sees_region(data.region):
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    if session.scalar(select(TalentEvent.id).where(
            TalentEvent.name == data.name, TalentEvent.held_on == data.held_on)) is not None:
        raise Conflict("同名同日的人才活动已登记", "This event is already registered")
    event = TalentEvent(name=data.name, region=data.region, held_on=data.held_on,
                        projects_signed=data.projects_signed)
    session.add(event)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.event_create",
                 subject_type="talent_event", subject_id=event.id,
                 payload={"name": data.name, "held_on": data.held_on.isoformat(),
                          "projects_signed": data.projects_signed})
    return event


def events(session: Session, actor: Principal) -> list[tuple[TalentEvent, int]]:
    """Every talent event with the introductions tied to it (of the actor's region),
    latest first."""
    actor.require_any("talent:read", "talent:employer")
    i = TalentIntroduction
    tied = (select(i.event_id, func.count().label("n")).where(i.event_id.is_not(None))
            .group_by(i.event_id))
    if actor.is_staff:
        tied = tied.where(region_filter(i.region, actor))
    counted = tied.subquery()
    rows = session.execute(
        select(TalentEvent, func.coalesce(counted.c.n, 0))
        .outerjoin(counted, counted.c.event_id == TalentEvent.id)
        .order_by(TalentEvent.held_on.desc(), TalentEvent.id.desc()).limit(200)).all()
    return [(e, int(n)) for e, n in rows]
