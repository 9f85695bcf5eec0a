"""Coverage (参保率) and the "everyone who should be" checks (应保尽保, 应缴尽缴).

Each figure is defined once here as SQL (:func:`coverage_select`, :func:`insured_select`,
:func:`poverty_select`): the coverage page, its API and the scorecard indicators
(``insurance/indicators.py``) all run these statements, with a region condition and a
grouping key of their own, so that they can never disagree."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    exists,
    extract,
    func,
    literal,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import Contribution, Enrolment, PersonDesignation
from minsheng.hrss.registry.service import Person
from minsheng.platform import regions
from minsheng.platform.errors import invalid_field
from minsheng.platform.months import month_of
from minsheng.platform.security.principal import Principal, region_filter

#: The two pension schemes of 城乡养老保险 (职工基本养老保险 + 城乡居民基本养老保险).
PENSION_SCHEMES = ("employee_pension", "resident_pension")

#: The pension domain's recipients, read by name inside set-based counts (a person
#: drawing a pension counts as insured: 参保人数 include retirees). The insurance domain
#: does not import the pension domain's models; these three columns are all it reads.
_recipient = table("pension_recipient", column("person_id"), column("status"),
                   column("start_month"))


def _effective_prefix(actor: Principal, region: str) -> str:
    prefix = regions.scope_prefix(region) if region else ""
    own = actor.region_prefix
    if prefix.startswith(own):
        return prefix
    if own.startswith(prefix):
        return own
    raise invalid_field("region", "不在您的管辖范围内", "outside your scope")


# --- the definitions, as SQL -----------------------------------------------------------


def alive_on(on: date) -> ColumnElement[bool]:
    """The person was alive on ``on``: alive now, or died after that day."""
    return or_(Person.status == "alive", Person.death_date > on)


def enrolled_between(schemes: Sequence[str], first: int, last: int) -> ColumnElement[bool]:
    """The person has an enrolment in one of ``schemes`` in force in some month of
    ``first``…``last`` (``YYYYMM``, inclusive; several spans of one person are one
    EXISTS, so a person counts once)."""
    return exists().where(Enrolment.person_id == Person.id, Enrolment.scheme.in_(schemes),
                          Enrolment.start_month <= last,
                          or_(Enrolment.end_month.is_(None), Enrolment.end_month >= first))


def drawing_pension(month: int, on: date) -> ColumnElement[bool]:
    """The person draws a pension (employee or resident) in ``month``: in payment from
    that month or earlier, and not stopped by then (a stop is a death: one after ``on``
    does not count)."""
    return exists().where(_recipient.c.person_id == Person.id,
                          _recipient.c.start_month <= month,
                          or_(_recipient.c.status != "stopped", Person.death_date > on))


def pension_insured_on(on: date) -> ColumnElement[bool]:
    """城乡养老保险参保: on ``on`` the person has an employee or resident pension enrolment
    in force for that month, or draws a pension."""
    month = month_of(on)
    return or_(enrolled_between(PENSION_SCHEMES, month, month), drawing_pension(month, on))


def _age_cutoff(on: date) -> date:
    try:
        return on.replace(year=on.year - rules.MIN_ENROLMENT_AGE)
    except ValueError:  # 29 February
        return on.replace(year=on.year - rules.MIN_ENROLMENT_AGE, day=28)


def should_enrol_on(on: date) -> list[ColumnElement[bool]]:
    """Who should be enrolled (应参保人员) on ``on``: residents alive that day and aged 16
    or over (国发〔2014〕8号 §3). Students are not yet on record and are counted."""
    return [alive_on(on), Person.birth_date <= _age_cutoff(on)]


def coverage_select(on: date, within: ColumnElement[bool],
                    key: ColumnElement[Any]) -> Select[Any]:
    """Pension coverage per ``key``: ``(key, enrolled, should enrol)`` of the residents
    whose residence satisfies ``within`` (counted where they live)."""
    return (select(key, func.count().filter(pension_insured_on(on)), func.count())
            .select_from(Person).where(within, *should_enrol_on(on)).group_by(key))


def insured_select(schemes: Sequence[str], on: date, within: ColumnElement[bool],
                   key: ColumnElement[Any]) -> Select[Any]:
    """People insured on ``on`` per ``key``: ``(key, people)``. Pension schemes: the
    :func:`pension_insured_on` rule (retirees drawing a pension included); any other
    scheme: an enrolment in force for the month of ``on``. Alive that day; each person
    once, however many spans or schemes."""
    month = month_of(on)
    insured = (pension_insured_on(on) if set(schemes) == set(PENSION_SCHEMES)
               else enrolled_between(schemes, month, month))
    return (select(key, func.count()).select_from(Person)
            .where(within, alive_on(on), insured).group_by(key))


#: A month ``YYYYMM``: a number, or an SQL expression of the outer query.
Month = int | ColumnElement[int]


def _month_of_sql(day: Any) -> ColumnElement[int]:
    return extract("year", day) * 100 + extract("month", day)


def poverty_registered(first: Month, last: Month) -> ColumnElement[bool]:
    """The person is on the poverty register (建档立卡贫困人口, ``person_designation``)
    at some time in the months ``first``…``last`` (``YYYYMM``)."""
    d = PersonDesignation
    return exists().where(d.person_id == Person.id, d.designation == "poverty_registered",
                          _month_of_sql(d.valid_from) <= last,
                          or_(d.valid_to.is_(None), _month_of_sql(d.valid_to) >= first))


@dataclass(frozen=True)
class PovertyRules:
    """The three predicates of the poverty checks for a year (people of the year's
    poverty register aged 16+ and alive at its end)."""

    base: list[ColumnElement[bool]]
    in_pension: ColumnElement[bool]
    in_resident: ColumnElement[bool]
    has_paid: ColumnElement[bool]


def poverty_rules(year: int) -> PovertyRules:
    """应保尽保 / 应缴尽缴 for ``year``: who should be enrolled (registered poor at some
    time in the year, 16 or over and alive at its end), who is enrolled (an employee or
    resident pension enrolment in some month of the year, or drawing a pension), who
    should pay (a resident-pension enrolment in the year) and who paid (the year's
    resident contribution, recorded for January, paid by themselves or by the government,
    代缴)."""
    first, last = year * 100 + 1, year * 100 + 12
    end = date(year, 12, 31)
    paid = exists().where(Contribution.person_id == Person.id,
                          Contribution.scheme == "resident_pension",
                          Contribution.period == first, Contribution.status == "paid")
    return PovertyRules(
        base=[alive_on(end), Person.birth_date <= date(year - rules.MIN_ENROLMENT_AGE, 12, 31),
              poverty_registered(first, last)],
        in_pension=or_(enrolled_between(PENSION_SCHEMES, first, last), drawing_pension(last, end)),
        in_resident=enrolled_between(("resident_pension",), first, last),
        has_paid=paid)


def poverty_select(year: int, within: ColumnElement[bool],
                   key: ColumnElement[Any]) -> Select[Any]:
    """The poverty checks per ``key``: ``(key, should enrol, enrolled, should pay,
    paid)``."""
    r = poverty_rules(year)
    return (select(key, func.count(), func.count().filter(r.in_pension),
                   func.count().filter(r.in_resident),
                   func.count().filter(and_(r.in_resident, r.has_paid)))
            .select_from(Person).where(within, *r.base).group_by(key))


# --- the use cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    region: str
    on: date
    should_enrol: int
    enrolled: int
    rate: Decimal | None


def coverage(session: Session, actor: Principal, *, region: str = "",
             on: date | None = None) -> Coverage:
    """Pension coverage (城乡养老保险参保率) of a region (as divided today) on a date:
    residents alive and aged 16 and over (国发〔2014〕8号 §3) with an employee or resident
    pension enrolment for that month or drawing a pension ÷ all such residents
    (:func:`coverage_select`). Residents are counted where they live as divided today: a
    residence recorded under an abolished code (500105 江北区) counts in its successor
    (500157 两江新区)."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    row = session.execute(coverage_select(
        on, regions.within_sql(Person.residence_region, prefix), literal(""))).first()
    enrolled, should = (int(row[1]), int(row[2])) if row else (0, 0)
    return Coverage(prefix, on, should, enrolled, rules.coverage_rate(enrolled, should))


def _not_enrolled_query(prefix: str, on: date) -> Select[Person]:
    return (select(Person).where(regions.within_sql(Person.residence_region, prefix),
                                 *should_enrol_on(on), ~pension_insured_on(on))
            .order_by(Person.id))


def not_enrolled(session: Session, actor: Principal, *, region: str = "",
                 on: date | None = None, page: int = 1, size: int = 50) -> list[Person]:
    """The work-list behind 全民参保计划: residents who should be but are not enrolled
    (the complement of :func:`coverage`'s numerator)."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    size = min(max(size, 1), 500)
    return list(session.scalars(_not_enrolled_query(prefix, on).limit(size)
                                .offset((max(page, 1) - 1) * size)))


def all_not_enrolled(session: Session, actor: Principal, *, region: str = "",
                     on: date | None = None) -> Iterator[Person]:
    """Every person of the :func:`not_enrolled` work-list (for the Excel export), read
    from the database in batches, never all at once."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    return iter(session.scalars(_not_enrolled_query(prefix, on)
                                .execution_options(yield_per=2_000)))


@dataclass(frozen=True)
class PovertyChecks:
    """应保尽保 and 应缴尽缴 for poverty-registered people of a region and year."""

    region: str
    year: int
    should_enrol: int
    enrolled: int
    should_pay: int
    paid: int
    not_enrolled_ids: list[int]
    not_paid_ids: list[int]
    #: Per district: (region, should enrol, enrolled, should pay, paid).
    districts: list[tuple[str, int, int, int, int]] = field(default_factory=list)


def poverty_checks(session: Session, actor: Principal, *, region: str = "",
                   year: int) -> PovertyChecks:
    """Poverty-registered (建档立卡) people aged 16+: are all enrolled in a pension, and
    have all resident-pension enrollees paid for the year (by themselves or by the
    government, 代缴)? (:func:`poverty_rules`; districts as divided today.)"""
    actor.require_any("insurance:coverage", "insurance:read")
    prefix = _effective_prefix(actor, region)
    within = regions.within_sql(Person.residence_region, prefix)
    district = regions.rollup_sql(Person.residence_region)
    found = session.execute(poverty_select(year, within, district).order_by(district)).all()
    districts = [(str(d[0]), int(d[1]), int(d[2]), int(d[3]), int(d[4])) for d in found]
    r = poverty_rules(year)

    def short_of(*conditions: ColumnElement[bool]) -> list[int]:
        return list(session.scalars(select(Person.id).where(within, *r.base, *conditions)
                                    .order_by(Person.id).limit(200)))

    should, enrolled, should_pay, paid = (sum(int(d[i]) for d in districts)
                                          for i in range(1, 5))
    return PovertyChecks(prefix, year, should, enrolled, should_pay, paid,
                         short_of(~r.in_pension), short_of(r.in_resident, ~r.has_paid),
                         districts=districts)


def persons_by_ids(session: Session, actor: Principal, person_ids: Sequence[int]) -> list[Person]:
    """The people of a work-list (coverage, poverty checks) inside the actor's scope."""
    actor.require_any("insurance:coverage", "insurance:read")
    if not person_ids:
        return []
    return list(session.scalars(select(Person).where(
        Person.id.in_(list(person_ids)), region_filter(Person.residence_region, actor))
        .order_by(Person.id)))
