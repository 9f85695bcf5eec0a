"""Feedback use cases (意见建议): a citizen or employer submits; it waits on the workbench
of the staff who reply in the submitter's district, due in the bureau's number of working
days; a reply closes it. Each submission opens a case (办件) the submitter follows on
我的办件; the reply decides and closes it. Everything is audited (``feedback.*``).

Two clerks replying at once: the row is locked (``SELECT ... FOR UPDATE``; SQLite
serialises writers) and the ``version`` column catches a reply sent from a stale page,
so exactly one reply wins and the other gets 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.feedback import rules
from minsheng.hrss.feedback.models import Feedback
from minsheng.hrss.feedback.schemas import FeedbackCreate
from minsheng.hrss.registry import service as registry
from minsheng.platform import paging
from minsheng.platform.calendar.service import load_calendar
from minsheng.platform.cases import service as cases
from minsheng.platform.config import get_settings
from minsheng.platform.db import LOCAL_TIME, flush
from minsheng.platform.errors import Conflict, NotFound, RuleViolation
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped
from minsheng.platform.security.service import display_names
from minsheng.platform.workdays import HolidayCalendar
from minsheng.platform.worklist import WorkItem

#: The case (办件) a submission opens, as 我的办件 names it.
CASE_KIND = "feedback"
SUBJECT_TYPE = "feedback"


def _calendar(session: Session) -> HolidayCalendar:
    found = session.info.get("feedback.calendar")
    if found is None:
        found = session.info["feedback.calendar"] = load_calendar(session)
    return found


def _record(session: Session, actor: Principal, action: str, feedback_id: int,
            **payload: Any) -> None:
    audit.record(session, actor=actor.username, action=f"feedback.{action}",
                 subject_type="feedback", subject_id=feedback_id, payload=payload)


def _moment(day: date, today: date) -> datetime | None:
    """When a back-dated act happened (the demo's history); ``None``: now."""
    return None if day == today else datetime.combine(day, time(9, 30), tzinfo=LOCAL_TIME)


def _not_found() -> NotFound:
    return NotFound("未找到该意见建议", "No such feedback")


@dataclass(frozen=True)
class _Submitter:
    applicant: cases.Applicant
    region: str


def _submitter(session: Session, actor: Principal) -> _Submitter:
    """The signed-in citizen or employer and their district (residence or seat)."""
    if actor.person_id is not None:
        person = registry.person_for_read(session, actor, actor.person_id)
        return _Submitter(cases.Applicant(cases.PERSON, person.id, person.name,
                                          person.resident_id), person.residence_region)
    if actor.employer_id is not None:
        employer = registry.read_employer(session, actor, actor.employer_id)
        return _Submitter(cases.Applicant(cases.EMPLOYER, employer.id, employer.name,
                                          employer.uscc), employer.region)
    raise RuleViolation("您的账户尚未关联登记信息，请到经办窗口办理关联后再提交",
                        "The account is linked to no person or employer")


def submit(session: Session, actor: Principal, data: FeedbackCreate, *,
           today: date | None = None) -> Feedback:
    """提交意见建议: checked as a whole (every field's problem at once, nothing written
    when any), due the setting's number of working days later, a case opened."""
    actor.require("feedback:self")
    day = today or date.today()
    problems = rules.submission_problems(data.kind, data.subject, data.text, data.phone)
    if problems:
        raise RuleViolation("填写的信息有误，请按提示修改", "Invalid feedback", errors=problems)
    who = _submitter(session, actor)
    due = rules.reply_due(day, get_settings().feedback_reply_working_days, _calendar(session))
    person = who.applicant.kind == cases.PERSON
    row = Feedback(
        submitter_kind=who.applicant.kind, person_id=who.applicant.id if person else None,
        employer_id=None if person else who.applicant.id, submitter_name=who.applicant.name,
        submitted_by=actor.username, region=who.region, kind=data.kind,
        subject=data.subject.strip(), text=data.text.strip(),
        phone=rules.normal_phone(data.phone) or "", state=rules.State.OPEN,
        submitted_on=day, due_on=due.due_date, due_estimated=due.estimated, reply="")
    session.add(row)
    flush(session)
    _record(session, actor, "submit", row.id, kind=row.kind, region=row.region,
            due_on=row.due_on.isoformat())
    cases.open_case(
        session, actor, kind=CASE_KIND, title=f"意见建议（{rules.KIND_LABELS[row.kind]}）",
        subject_type=SUBJECT_TYPE, subject_id=row.id, applicant=who.applicant,
        region=row.region, due=row.due_on, accepted=True, note=row.subject,
        at=_moment(day, date.today()))
    return row


def mine(session: Session, actor: Principal) -> list[Feedback]:
    """The signed-in citizen's or employer's own feedback, newest first."""
    actor.require("feedback:self")
    f = Feedback
    if actor.person_id is not None:
        own = f.person_id == actor.person_id
    elif actor.employer_id is not None:
        own = f.employer_id == actor.employer_id
    else:
        return []
    return list(session.scalars(select(f).where(own)
                                .order_by(f.submitted_on.desc(), f.id.desc())))


def _owns(actor: Principal, row: Feedback) -> bool:
    return ((actor.person_id is not None and row.person_id == actor.person_id)
            or (actor.employer_id is not None and row.employer_id == actor.employer_id))


def get(session: Session, actor: Principal, feedback_id: int, *,
        for_update: bool = False) -> Feedback:
    """A feedback for staff of its region or its own submitter, else 404."""
    actor.require_any("feedback:read", "feedback:self")
    stmt = select(Feedback).where(Feedback.id == feedback_id)
    row = session.scalar(stmt.with_for_update() if for_update else stmt)
    if row is None:
        raise _not_found()
    visible = (actor.can("feedback:read") and actor.sees_region(row.region)) if actor.is_staff \
        else _owns(actor, row)
    if not visible:
        raise _not_found()
    return row


def read(session: Session, actor: Principal, feedback_id: int) -> Feedback:
    """The full record as its page shows it; a staff read is audited."""
    row = get(session, actor, feedback_id)
    if actor.is_staff:
        _record(session, actor, "read", row.id)
    return row


def reply(session: Session, actor: Principal, feedback_id: int, text: str, *,
          version: int | None = None, today: date | None = None) -> Feedback:
    """答复: closes the feedback and its case; once only (409), on the version the
    clerk saw (409 when someone else replied first)."""
    actor.require("feedback:reply")
    problem = rules.reply_problem(text)
    if problem is not None:
        raise RuleViolation(f"答复意见：{problem.message}", problem.message_en,
                            errors=[problem])
    day = today or date.today()
    row = get(session, actor, feedback_id, for_update=True)
    if version is not None and version != row.version:
        raise Conflict("该意见建议已被他人处理，请刷新后查看",
                       "The feedback was changed by someone else; reload it",
                       extra={"current_state": row.state})
    if row.state != rules.State.OPEN:
        raise Conflict("该意见建议已答复", "The feedback was already replied to",
                       extra={"current_state": row.state})
    if day < row.submitted_on:
        raise RuleViolation("答复日期不能早于提交日期", "reply before the submission")
    row.state, row.replied_on, row.replied_by = rules.State.REPLIED, day, actor.username
    row.reply = text.strip()
    flush(session)
    _record(session, actor, "reply", row.id, on=day.isoformat(),
            in_time=rules.replied_in_time(row.due_on, day))
    at = _moment(day, date.today())
    cases.advance(session, actor, subject_type=SUBJECT_TYPE, subject_id=row.id,
                  stage=cases.Stage.DECIDED, outcome=cases.Outcome.APPROVED,
                  outcome_label="已答复", note="已答复，答复意见可在意见建议页面查看", at=at)
    cases.advance(session, actor, subject_type=SUBJECT_TYPE, subject_id=row.id,
                  stage=cases.Stage.DONE, note="已办结", at=at)
    return row


def case_number(session: Session, row: Feedback) -> str | None:
    case = cases.case_of(session, SUBJECT_TYPE, row.id)
    return case.number if case is not None else None


# --- the staff's list -------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The list's filters, as the URL carries them."""

    state: str = ""
    kind: str = ""
    overdue: bool = False
    q: str = ""

    @classmethod
    def clean(cls, state: str = "", kind: str = "", overdue: bool = False,
              q: str = "") -> Filters:
        return cls(state if state in rules.STATE_LABELS else "",
                   kind if kind in rules.KIND_LABELS else "", overdue, q.strip()[:40])

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, as URL parameters (an empty one is left out)."""
        found = {"state": self.state, "kind": self.kind,
                 "overdue": "true" if self.overdue else "", "q": self.q}
        return {k: v for k, v in found.items() if v}


#: The orders of the staff list (``sort``): by default open ones by deadline (overdue
#: first), replied ones after, newest first.
SORTING = paging.Sorting({
    "due": [paging.Fixed(Feedback.state != rules.State.OPEN), Feedback.due_on],
    "submitted": Feedback.submitted_on,
    "id": Feedback.id,
    "kind": Feedback.kind,
}, default="due", tie_breakers=[Feedback.submitted_on.desc(), Feedback.id.desc()])


def list_query(actor: Principal, filters: Filters, today: date,
               sort: paging.Sort | None = None) -> Select[Any]:
    """The region's feedback in the order ``sort``: by default open ones by deadline
    (overdue first), replied ones after, newest first."""
    actor.require("feedback:read")
    f = Feedback
    stmt = scoped(select(f), f.region, actor)
    if filters.state:
        stmt = stmt.where(f.state == filters.state)
    if filters.kind:
        stmt = stmt.where(f.kind == filters.kind)
    if filters.overdue:
        stmt = stmt.where(f.state == rules.State.OPEN, f.due_on < today)
    if filters.q:
        stmt = stmt.where(or_(f.subject.contains(filters.q, autoescape=True),
                              f.submitter_name.contains(filters.q, autoescape=True)))
    return stmt.order_by(*SORTING.order_by(sort or SORTING.default))


def list_page(session: Session, actor: Principal, filters: Filters, *, today: date,
              page: int = 1, size: int = paging.LIST_PAGE_SIZE,
              sort: paging.Sort | None = None) -> paging.Listing[Feedback]:
    return paging.paginate(session, list_query(actor, filters, today, sort), page, size)


def all_rows(session: Session, actor: Principal, filters: Filters, *,
             today: date, sort: paging.Sort | None = None) -> Iterator[Feedback]:
    yield from session.scalars(list_query(actor, filters, today, sort)
                               .execution_options(yield_per=1000))


def open_counts(session: Session, actor: Principal, today: date) -> tuple[int, int]:
    """``(open, overdue)`` feedback of the actor's region."""
    actor.require("feedback:read")
    f = Feedback
    row = session.execute(select(
        func.count().filter(f.state == rules.State.OPEN),
        func.count().filter(f.state == rules.State.OPEN, f.due_on < today))
        .where(region_filter(f.region, actor))).one()
    return int(row[0]), int(row[1])


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """The workbench's to-do for those who reply: the region's open feedback, those past
    their deadline overdue; the list it opens (``/feedback?state=open``) has as many."""
    if not actor.can("feedback:reply"):
        return []
    f = Feedback
    count, overdue, nearest = session.execute(
        select(func.count(), func.count().filter(f.due_on < today),
               func.min(f.due_on).filter(f.due_on >= today))
        .where(f.state == rules.State.OPEN, region_filter(f.region, actor))).one()
    return [WorkItem("feedback.reply", "意见建议待答复", int(count), "/feedback?state=open",
                     int(overdue), nearest)]


def phone_for(actor: Principal, row: Feedback) -> str:
    """The call-back number: whole for its submitter and for those who reply, masked
    (``138****8000``) for the other staff who may read the feedback."""
    if not row.phone or not actor.is_staff or actor.can("feedback:reply"):
        return row.phone
    return registry.mask_phone(row.phone)


def staff_names(session: Session, usernames: set[str]) -> dict[str, str]:
    """The names people read for the staff who replied (王敏, not ``wangmin``); an
    account no longer known is 工作人员."""
    found = display_names(session, {u for u in usernames if u})
    return {u: (found[u] if found.get(u, u) != u else "工作人员") for u in usernames if u}
