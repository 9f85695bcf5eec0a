"""The employment indicators of a region and period, computed from records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    exists,
    extract,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import rules
from minsheng.hrss.employment.models import (
    KeyGroupMember,
    Placement,
    UrbanNewEmployment,
    ZeroEmploymentCase,
)
from minsheng.hrss.employment.service._common import _count, registered_unemployed_clause
from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry.service import Person
from minsheng.platform import regions
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.security.principal import Principal


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


def indicators(session: Session, actor: Principal, region_prefix: str, start: date, end: date
               ) -> Indicators:
    """The employment indicators of a region (GB/T 2260 prefix) for ``start``..``end``
    (hrss-rules §9), computed from records:

    - urban new employment: events dated in the period (one per person per year);
    - registered unemployed: people living in the region with a registration open at
      ``end`` and no placement since it began;
      employed: people in the region with an employee-pension enrolment open in the month
      of ``end`` (the insured-employment count); the rate is U ÷ (E + U);
    - unemployed / hard-to-employ helped into work: distinct people placed in the period
      who were registered unemployed / certified hard-to-employ that day;
    - graduates' year-end employment rate: graduates of ``end``'s year in the region with a
      placement or employment registration by the earlier of ``end`` and 31 December;
    - ex-fisher transfer rate: ex-fishers recognised by ``end`` with a job by ``end``;
    - open zero-employment households at ``end``."""
    actor.require("employment:read")
    if not (actor.region_prefix == "" or region_prefix.startswith(actor.region_prefix)):
        region_prefix = actor.region_prefix
    if end < start:
        raise RuleViolation("统计期间有误", "The period ends before it starts",
                            errors=[FieldError("end", "结束日期早于开始日期",
                                               "end is before start")])

    def in_region(col: Any) -> ColumnElement[bool]:
        # The region as divided today: records under an abolished code (500105 江北区)
        # count in its successor (500157 两江新区).
        return regions.within_sql(col, region_prefix)

    new_employment = _count(session, select(UrbanNewEmployment.person_id).where(
        in_region(UrbanNewEmployment.region), UrbanNewEmployment.event_date >= start,
        UrbanNewEmployment.event_date <= end))
    # Cross-domain count: the unemployment domain's registrations (less those placed
    # since), the registry's residence region.
    unemployed = _count(session, select(Person.id).where(
        in_region(Person.residence_region), registered_unemployed_clause(Person.id, end)))
    employed = _employed(session, in_region, end)
    placed = select(Placement.person_id).distinct().where(
        in_region(Placement.region), Placement.placed_date >= start, Placement.placed_date <= end)
    unemployed_helped = _count(session, placed.where(Placement.was_registered_unemployed))
    hard_helped = _count(session, placed.where(Placement.was_hard_to_employ))

    year_end = min(end, date(end.year, 12, 31))
    graduates = select(KeyGroupMember.person_id).distinct().where(
        KeyGroupMember.group_code == "graduate", KeyGroupMember.graduation_year == end.year,
        in_region(KeyGroupMember.region))
    graduates_total = _count(session, graduates)
    graduates_employed = _count(session, graduates.where(exists(select(Placement.id).where(
        Placement.person_id == KeyGroupMember.person_id, Placement.placed_date <= year_end))))
    fishers = select(KeyGroupMember.person_id).distinct().where(
        KeyGroupMember.group_code == "ex_fisher", KeyGroupMember.since <= end,
        in_region(KeyGroupMember.region))
    fishers_total = _count(session, fishers)
    fishers_placed = _count(session, fishers.where(exists(select(Placement.id).where(
        Placement.person_id == KeyGroupMember.person_id, Placement.placed_date <= end))))
    open_cases = _count(session, select(ZeroEmploymentCase.id).where(
        in_region(ZeroEmploymentCase.region), ZeroEmploymentCase.detected_date <= end,
        or_(ZeroEmploymentCase.closed_date.is_(None), ZeroEmploymentCase.closed_date > end)))
    return Indicators(
        region=region_prefix, start=start, end=end, urban_new_employment=new_employment,
        registered_unemployed=unemployed, employed=employed,
        registered_unemployment_rate=(None if unemployed is None else
                                      rules.registered_unemployment_rate(unemployed, employed)),
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


def _employed(session: Session, in_region: Any, end: date) -> int:
    """People living in the region with an employee-pension enrolment open in the month of
    ``end`` (the insurance domain's enrolments)."""
    enrolled = insurance.enrolled_in("employee_pension", end.year * 100 + end.month)
    return _count(session, select(Person.id).where(Person.id.in_(enrolled),
                                                   in_region(Person.residence_region)))
