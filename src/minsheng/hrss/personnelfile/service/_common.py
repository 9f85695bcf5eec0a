"""What the personnel-file use cases share: the audit record, the calendar, the refusal
of a file the actor may not see."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from minsheng.platform.calendar.service import load_calendar
from minsheng.platform.errors import NotFound
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal
from minsheng.platform.workdays import HolidayCalendar


def calendar(session: Session) -> HolidayCalendar:
    """The statutory working-day calendar, read once per unit of work."""
    found = session.info.get("personnelfile.calendar")
    if found is None:
        found = session.info["personnelfile.calendar"] = load_calendar(session)
    return found


def period(day: date) -> int:
    return month_of(day)


def record(session: Session, actor: Principal, action: str, subject_type: str,
           subject_id: object, **payload: Any) -> None:
    audit.record(session, actor=actor.username, action=f"personnelfile.{action}",
                 subject_type=subject_type, subject_id=subject_id, payload=payload)


def no_file() -> NotFound:
    return NotFound("未找到该人员的人事档案，或档案不在您的管辖范围内",
                    "No personnel file of that person in your region")
