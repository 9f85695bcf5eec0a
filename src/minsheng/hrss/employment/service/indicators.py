"""The employment indicators of a region and period, computed from records.

Each figure is defined once, as a query builder over a :class:`~minsheng.platform.
indicators.Cut` (region, period, total or by district) that returns grouped rows
``(key, numerator[, denominator, …])``: the summary below (the ``employment
indicators`` page, API and command) and the scorecard's indicators
(``employment/indicators.py``) execute the same statements, so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    exists,
    extract,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import rules
from minsheng.hrss.employment.models import (
    KeyGroupMember,
    Placement,
    UrbanNewEmployment,
    WorkIncapacity,
    ZeroEmploymentCase,
)
from minsheng.hrss.employment.service._common import (
    registered_unemployed_people,
)
from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry.service import Person
from minsheng.platform import regions
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.indicators import Cut, Figure, Period, figures
from minsheng.platform.security.principal import Principal

# --- the shared definitions -------------------------------------------------------------


def urban_new_employment_query(cut: Cut) -> Select[Any]:
    """城镇新增就业: urban new employment events dated in the period, in the region of
    work (at most one event per person per calendar year, kept by the table's key)."""
    key = cut.key(UrbanNewEmployment.region)
    return (select(key, func.count())
            .where(cut.within(UrbanNewEmployment.region),
                   UrbanNewEmployment.event_date.between(cut.period.start, cut.period.end))
            .group_by(key))


def registered_unemployment_query(cut: Cut) -> Select[Any]:
    """城镇登记失业率 at the period's end (hrss-rules §9): rows ``(key, U, U + E, E)``
    where U = people living in the region (residence) with a registration open at the end
    and no placement since it began, E = people living in the region with an
    employee-pension enrolment open in the end's month. Each person counts once in U and
    once in E.

    Driven from the two sets of people (open registrations, open enrolments), grouped by
    person and joined to ``person`` once: at city scale a per-person probe of either set
    turns quadratic once the set no longer fits in memory."""
    end = cut.period.end
    flags = union_all(
        select(registered_unemployed_people(end).subquery().c.person_id.label("person_id"),
               literal(1).label("u"), literal(0).label("e")),
        select(insurance.enrolled_in("employee_pension", end.year * 100 + end.month)
               .subquery().c.person_id.label("person_id"),
               literal(0).label("u"), literal(1).label("e"))).subquery()
    per_person = (select(flags.c.person_id, func.max(flags.c.u).label("u"),
                         func.max(flags.c.e).label("e"))
                  .group_by(flags.c.person_id).subquery())
    key = cut.key(Person.residence_region)
    u, e = func.sum(per_person.c.u), func.sum(per_person.c.e)
    return (select(key, u, u + e, e)
            .select_from(per_person.join(Person, Person.id == per_person.c.person_id))
            .where(cut.within(Person.residence_region))
            .group_by(key))


def _first_placements(cut: Cut, *criteria: ColumnElement[bool]) -> Any:
    """Each person's first placement in the region and period that meets ``criteria``
    (a person placed twice counts once, where first placed)."""
    return (select(Placement.id, Placement.person_id, Placement.region, Placement.placed_date,
                   func.row_number().over(partition_by=Placement.person_id,
                                          order_by=(Placement.placed_date, Placement.id))
                   .label("nth"))
            .where(cut.within(Placement.region),
                   Placement.placed_date.between(cut.period.start, cut.period.end), *criteria)
            .subquery())


def helped_into_work_query(cut: Cut, group: str) -> Select[Any]:
    """登记失业人员 (``group="unemployed"``) / 就业困难人员 (``"hard_to_employ"``) 实现就业:
    distinct people with a placement or employment registration dated in the period in
    the region of work, who were registered unemployed / certified hard-to-employ on that
    day; each counts once, in the district of their first such placement."""
    flag = (Placement.was_registered_unemployed if group == "unemployed"
            else Placement.was_hard_to_employ)
    first = _first_placements(cut, flag.is_(True))
    key = cut.key(first.c.region)
    return select(key, func.count()).where(first.c.nth == 1).group_by(key)


def helped_into_work_records(cut: Cut, group: str) -> Any:
    """The first qualifying placement of each person counted by
    :func:`helped_into_work_query` (subquery: id, person_id, region, placed_date)."""
    flag = (Placement.was_registered_unemployed if group == "unemployed"
            else Placement.was_hard_to_employ)
    first = _first_placements(cut, flag.is_(True))
    return select(first).where(first.c.nth == 1).subquery()


def placed_by(person_id: Any, on: date) -> ColumnElement[bool]:
    """SQL: the person has a placement or employment registration dated on or before
    ``on``."""
    return exists(select(Placement.id).where(Placement.person_id == person_id,
                                             Placement.placed_date <= on))


def _able_on(person_id: Any, on: date) -> ColumnElement[bool]:
    return ~exists(select(WorkIncapacity.person_id).where(
        WorkIncapacity.person_id == person_id, WorkIncapacity.since <= on))


def graduates_clause(cut: Cut) -> list[ColumnElement[bool]]:
    """Graduates of the period's end year recognised in the region."""
    return [KeyGroupMember.group_code == "graduate",
            KeyGroupMember.graduation_year == cut.period.end.year,
            cut.within(KeyGroupMember.region)]


def graduate_employment_query(cut: Cut) -> Select[Any]:
    """高校毕业生年底就业率: ``(key, employed, graduates)`` — graduates of the end's year
    in the region (where recognised) and those of them with a placement or employment
    registration dated on or before the period's end (31 December for a year)."""
    key = cut.key(KeyGroupMember.region)
    placed = placed_by(KeyGroupMember.person_id, cut.period.end)
    return (select(key,
                   func.count(func.distinct(case((placed, KeyGroupMember.person_id)))),
                   func.count(func.distinct(KeyGroupMember.person_id)))
            .where(*graduates_clause(cut)).group_by(key))


def key_group_clause(cut: Cut, group: str) -> list[ColumnElement[bool]]:
    """Members of ``group`` recognised in the region by the period's end, able to work
    then (no work incapacity recorded by the end)."""
    end = cut.period.end
    return [KeyGroupMember.group_code == group, KeyGroupMember.since <= end,
            cut.within(KeyGroupMember.region), _able_on(KeyGroupMember.person_id, end)]


def key_group_employed_query(cut: Cut, group: str) -> Select[Any]:
    """``(key, employed, members)`` of a key group at the period's end (退捕渔民
    ``ex_fisher``, 贫困劳动力 ``poverty_labour``): members per :func:`key_group_clause`
    and those of them with a placement or employment registration by the end; each
    person once (their membership row is unique per group)."""
    key = cut.key(KeyGroupMember.region)
    placed = placed_by(KeyGroupMember.person_id, cut.period.end)
    return (select(key,
                   func.count(func.distinct(case((placed, KeyGroupMember.person_id)))),
                   func.count(func.distinct(KeyGroupMember.person_id)))
            .where(*key_group_clause(cut, group)).group_by(key))


def open_zero_employment_clause(cut: Cut) -> list[ColumnElement[bool]]:
    end = cut.period.end
    return [cut.within(ZeroEmploymentCase.region), ZeroEmploymentCase.detected_date <= end,
            or_(ZeroEmploymentCase.closed_date.is_(None), ZeroEmploymentCase.closed_date > end)]


def open_zero_employment_query(cut: Cut) -> Select[Any]:
    """城镇零就业家庭（未清零）: work-list cases open at the period's end — detected on or
    before it and not closed by it — in the household's region (one case per household
    is open at a time)."""
    key = cut.key(ZeroEmploymentCase.region)
    return (select(key, func.count()).where(*open_zero_employment_clause(cut))
            .group_by(key))


def figure_of(session: Session, query: Select[Any]) -> dict[str, Figure]:
    """Run a definition: ``{key: Figure}``."""
    return figures(session.execute(query).all())


# --- the summary (page, API, command) ---------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    region: str
    start: date
    end: date
    urban_new_employment: int
    registered_unemployed: int | None
    employed: int
    registered_unemployment_rate: Decimal | None
    unemployed_helped: int
    hard_to_employ_helped: int
    graduates: int
    graduates_employed: int
    graduates_employment_rate: Decimal | None
    ex_fishers: int
    ex_fishers_transferred: int
    ex_fisher_transfer_rate: Decimal | None
    open_zero_employment_households: int


def _total(session: Session, query: Select[Any]) -> tuple[int, ...]:
    """The total row of a definition (zeros when nothing matched)."""
    row = session.execute(query).first()
    if row is None:
        return (0,) * (len(query.selected_columns) - 1)
    return tuple(int(v or 0) for v in row[1:])


def indicators(session: Session, actor: Principal, region_prefix: str, start: date, end: date
               ) -> Indicators:
    """The employment indicators of a region (GB/T 2260 prefix) for ``start``..``end``
    (hrss-rules §9), computed by the same definitions as the scorecard's indicators:

    - urban new employment: events dated in the period (one per person per year);
    - registered unemployed: people living in the region with a registration open at
      ``end`` and no placement since it began;
      employed: people in the region with an employee-pension enrolment open in the month
      of ``end`` (the insured-employment count); the rate is U ÷ (E + U);
    - unemployed / hard-to-employ helped into work: distinct people placed in the period
      who were registered unemployed / certified hard-to-employ that day;
    - graduates' year-end employment rate: graduates of ``end``'s year in the region with a
      placement or employment registration by ``end``;
    - ex-fisher transfer rate: ex-fishers recognised by ``end`` and able to work then,
      with a job by ``end``;
    - open zero-employment households at ``end``."""
    actor.require("employment:read")
    if not (actor.region_prefix == "" or region_prefix.startswith(actor.region_prefix)):
        region_prefix = actor.region_prefix
    if end < start:
        raise RuleViolation("统计期间有误", "The period ends before it starts",
                            errors=[FieldError("end", "结束日期早于开始日期",
                                               "end is before start")])
    # The region as divided today: records under an abolished code (500105 江北区)
    # count in its successor (500157 两江新区).
    cut = Cut(region_prefix, Period(start, end, f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"))
    (new_employment,) = _total(session, urban_new_employment_query(cut))
    unemployed, _, employed = _total(session, registered_unemployment_query(cut))
    (unemployed_helped,) = _total(session, helped_into_work_query(cut, "unemployed"))
    (hard_helped,) = _total(session, helped_into_work_query(cut, "hard_to_employ"))
    graduates_employed, graduates_total = _total(session, graduate_employment_query(cut))
    fishers_placed, fishers_total = _total(session, key_group_employed_query(cut, "ex_fisher"))
    (open_cases,) = _total(session, open_zero_employment_query(cut))
    return Indicators(
        region=region_prefix, start=start, end=end, urban_new_employment=new_employment,
        registered_unemployed=unemployed, employed=employed,
        registered_unemployment_rate=rules.registered_unemployment_rate(unemployed, employed),
        unemployed_helped=unemployed_helped, hard_to_employ_helped=hard_helped,
        graduates=graduates_total, graduates_employed=graduates_employed,
        graduates_employment_rate=rules.rate(graduates_employed, graduates_total),
        ex_fishers=fishers_total, ex_fishers_transferred=fishers_placed,
        ex_fisher_transfer_rate=rules.rate(fishers_placed, fishers_total),
        open_zero_employment_households=open_cases)


def new_employment_by_month(session: Session, actor: Principal, region_prefix: str,
                            year: int) -> list[int]:
    """Urban new employment of a region (GB/T 2260 prefix, as divided today) in each month
    of ``year``: twelve counts, January first, of the events dated in that month (a
    person counts once a year, in the month of their first job of the year)."""
    actor.require("employment:read")
    if not (actor.region_prefix == "" or region_prefix.startswith(actor.region_prefix)):
        region_prefix = actor.region_prefix
    month = extract("month", UrbanNewEmployment.event_date)
    counts = [0] * 12
    for number, count in session.execute(
            select(month, func.count()).where(
                regions.within_sql(UrbanNewEmployment.region, region_prefix),
                UrbanNewEmployment.event_date >= date(year, 1, 1),
                UrbanNewEmployment.event_date <= date(year, 12, 31))
            .group_by(month)).all():
        counts[int(number) - 1] = int(count)
    return counts

