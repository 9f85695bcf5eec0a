"""What the labour use cases share: the holiday calendar, case numbers, the parties of a
case and the rule that a case belongs to its employer's district."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import regions
from minsheng.platform.calendar.service import load_calendar
from minsheng.platform.cases import service as cases
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


# --- the applicant's case (办件) ------------------------------------------------------

#: What each kind of labour case is called in the applicant's 我的办件, and its office.
CASE_TITLES = {"labour_dispute": "劳动人事争议仲裁申请", "labour_complaint": "劳动保障监察投诉"}
_OFFICES = {"labour_dispute": "劳动人事争议仲裁委员会", "labour_complaint": "劳动保障监察机构"}
#: Where a refusal may be challenged: 行政复议法 art. 20 (60 days) for a complaint not
#: accepted; for arbitration, 劳动争议调解仲裁法 art. 29: a court within 15 days.
_REMEDIES = {
    "labour_complaint": "如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，"
                        "或者在六个月内依法向人民法院提起行政诉讼。",
    "labour_dispute": "对不予受理不服的，可以就该劳动争议事项向人民法院提起诉讼"
                      "（劳动争议调解仲裁法第二十九条）。",
}


def open_labour_case(session: Session, actor: Principal, subject_type: str, record: Any,
                     person: Person, due: date) -> None:
    """The worker's case for an application or complaint just received (at the counter
    or online), due for an acceptance decision on ``due``."""
    district = regions.name_of(record.region) or ""
    cases.open_case(
        session, actor, kind=subject_type.replace("_", "."), title=CASE_TITLES[subject_type],
        subject_type=subject_type, subject_id=record.id,
        applicant=cases.Applicant(cases.PERSON, person.id, person.name, person.resident_id),
        region=record.region, office=district + _OFFICES[subject_type], due=due,
        note=f"收件编号 {record.case_no}")


def accept_labour_case(session: Session, actor: Principal, subject_type: str, record: Any,
                       on: date) -> None:
    cases.advance(session, actor, subject_type=subject_type, subject_id=record.id,
                  stage=cases.Stage.ACCEPTED, note=f"{on.isoformat()} 立案受理")


def close_labour_case(session: Session, actor: Principal, subject_type: str, record: Any,
                      on: date, outcome_label: str, refused: bool) -> None:
    """Decided and done: a case not accepted gets a written notice with its reason and
    where to turn; a closed one records how it ended."""
    notice = None
    if refused:
        title = CASE_TITLES[subject_type]
        got: date = record.received_on
        notice = cases.Notice(f"{title}不予受理通知书", (
            f"你于{got.year}年{got.month}月{got.day}日提交的{title}（收件编号 {record.case_no}），"
            "经审查，决定不予受理。",
            f"理由：{record.note or '不符合受理条件'}。",
            _REMEDIES[subject_type]))
    decision = cases.Outcome.REFUSED if refused else cases.Outcome.APPROVED
    cases.advance(session, actor, subject_type=subject_type, subject_id=record.id,
                  stage=cases.Stage.DECIDED, outcome=decision, outcome_label=outcome_label,
                  notice=notice, note=f"{on.isoformat()} {outcome_label}")
    cases.advance(session, actor, subject_type=subject_type, subject_id=record.id,
                  stage=cases.Stage.DONE, note="已结案")
