"""What the labour use cases share: the holiday calendar, case numbers, the parties of a
case and the rule that a case belongs to its employer's district."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform.calendar.service import load_calendar
from minsheng.platform.config import get_settings
from minsheng.platform.errors import NotFound, invalid_field
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.workdays import HolidayCalendar
from minsheng.platform.worklist import WorkItem


def calendar(session: Session) -> HolidayCalendar:
    """The statutory working-day calendar kept in the database (调休 included), read once
    per unit of work."""
    found = session.info.get("labour.calendar")
    if found is None:
        found = session.info["labour.calendar"] = load_calendar(session)
    return found


def case_number(kind: str, year: int, case_id: int) -> str:
    """``CQLD2026000123``: node, kind (LD 劳动争议, JC 劳动保障监察), year, serial."""
    return f"{get_settings().node_id.upper()}{kind}{year}{case_id:08d}"


def parties(session: Session, actor: Principal, person_id: int, employer_id: int,
            *, person_field: str) -> tuple[Person, Employer]:
    """The worker and the employer of a new case. A worker acts for themself; staff
    file for any worker, against an employer of their region (the case's region)."""
    person = session.get(Person, person_id)
    if person is None or (not actor.is_staff and actor.person_id != person.id):
        raise invalid_field(person_field, "申请人不存在或不是本人",
                            "no such person, or not the signed-in worker")
    employer = session.get(Employer, employer_id)
    if employer is None or (actor.is_staff and not actor.sees_region(employer.region)):
        raise invalid_field("employer_id", "用人单位不存在或不在您的管辖范围内",
                            "no such employer in your region")
    return person, employer


def not_before(field: str, day: date, earliest: date, what: str, what_en: str) -> None:
    """A step dated before the step it follows is refused, naming both."""
    if day < earliest:
        raise invalid_field(field, f"日期不能早于{what}（{earliest.isoformat()}）",
                            f"the date is before the {what_en} ({earliest.isoformat()})")


def not_found(what: str, what_en: str) -> NotFound:
    return NotFound(f"未找到该{what}", f"No such {what_en}")


#: The work-lists' filter for every case not yet closed (the workbench's to-do).
OPEN = "open"


def open_case_work(session: Session, actor: Principal, today: date, *, model: Any,
                   due: ColumnElement[Any], key: str, label: str, href: str) -> list[WorkItem]:
    """The workbench's to-do for case officers: the region's open cases of ``model``,
    those past ``due`` (their next statutory time limit) overdue, and the nearest coming
    limit."""
    if not actor.can("labour:case"):
        return []
    count, overdue, nearest = session.execute(
        select(func.count(), func.count().filter(due < today),
               func.min(due).filter(due >= today))
        .where(model.state != "closed", region_filter(model.region, actor))).one()
    return [WorkItem(key, label, int(count), href, int(overdue), nearest)]
