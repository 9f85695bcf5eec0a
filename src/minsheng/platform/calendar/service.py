"""The statutory holiday calendar as data.

``chinese_calendar`` knows only the years the State Council has published; we seed
our table from it and an admin adds each new year (every November, when the
General Office publishes the next year's 节假日安排).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.calendar.models import CalendarDay, CalendarYear
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal
from minsheng.platform.workdays import (
    Deadline,
    HolidayCalendar,
    add_workdays,
    calendar_from_chinese_calendar,
)


def seed_from_chinese_calendar(session: Session) -> int:
    """Copy the years ``chinese_calendar`` knows into the table (idempotent). Returns the
    number of years added."""
    known = calendar_from_chinese_calendar()
    have = set(session.scalars(select(CalendarYear.year)))
    new_years = sorted(known.known_years - have)
    if not new_years:
        return 0
    rows = [
        CalendarDay(day=d, is_workday=False, name="法定节假日")
        for d in sorted(known.holidays) if d.year in new_years
    ] + [
        CalendarDay(day=d, is_workday=True, name="调休上班")
        for d in sorted(known.adjusted_workdays) if d.year in new_years
    ]
    session.add_all(CalendarYear(year=y, source="chinese_calendar") for y in new_years)
    session.add_all(rows)
    session.flush()
    return len(new_years)


def load_calendar(session: Session) -> HolidayCalendar:
    """The calendar as the database holds it, for the pure functions in ``workdays``."""
    days = session.execute(select(CalendarDay.day, CalendarDay.is_workday)).all()
    return HolidayCalendar(
        holidays=frozenset(d for d, work in days if not work),
        adjusted_workdays=frozenset(d for d, work in days if work),
        known_years=frozenset(session.scalars(select(CalendarYear.year))),
    )


def publish_year(
    session: Session,
    actor: Principal,
    *,
    year: int,
    holidays: list[tuple[date, str]],
    adjusted_workdays: list[tuple[date, str]],
    source: str,
) -> CalendarYear:
    """Record a year's arrangement as published by the State Council General Office."""
    actor.require("calendar:manage")
    if session.get(CalendarYear, year) is not None:
        raise Conflict(f"{year} 年的节假日安排已存在", f"The {year} arrangement already exists")
    for day, _ in holidays + adjusted_workdays:
        if day.year != year:
            raise invalid_field("day", f"{day} 不在 {year} 年内", f"{day} is not in {year}")
    for day, _ in adjusted_workdays:
        if day.weekday() < 5:
            raise invalid_field("day", f"{day} 不是周末，无需调休", f"{day} is not a weekend day")
    entry = CalendarYear(year=year, source=source)
    session.add(entry)
    session.add_all(CalendarDay(day=d, is_workday=False, name=n) for d, n in holidays)
    session.add_all(CalendarDay(day=d, is_workday=True, name=n) for d, n in adjusted_workdays)
    session.flush()
    audit.record(session, actor=actor.username, action="calendar.publish_year",
                 subject_type="calendar_year", subject_id=year,
                 payload={"holidays": len(holidays), "adjusted": len(adjusted_workdays),
                          "source": source})
    return entry


def workday_deadline(session: Session, start: date, workdays: int) -> Deadline:
    """The ``workdays``-th statutory working day after ``start``, by the stored calendar;
    ``estimated`` when it runs into a year whose holidays are not yet published."""
    if workdays < 0:
        raise invalid_field("workdays", "工作日数不能为负", "must not be negative")
    return add_workdays(start, workdays, load_calendar(session))


def list_years(session: Session) -> list[CalendarYear]:
    return list(session.scalars(select(CalendarYear).order_by(CalendarYear.year)))
