"""Labour-inspection complaints (劳动保障监察投诉): received, accepted within 5 working
days (or not, e.g. outside the 2-year look-back), investigated within 60 working days
(one approved extension of 30), closed with an outcome; wage arrears on a list of the
employers concerned; the closure rate. Rules: ``labour.rules`` (劳动保障监察条例 arts.
17, 20; 若干规定 art. 18)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.labour import rules
from minsheng.hrss.labour.models import InspectionComplaint
from minsheng.hrss.labour.schemas import ComplaintCreate
from minsheng.hrss.labour.service._common import (
    OPEN,
    accept_labour_case,
    calendar,
    case_number,
    close_labour_case,
    not_before,
    not_found,
    open_case_work,
    open_labour_case,
    parties,
)
from minsheng.hrss.registry.service import Employer
from minsheng.platform import paging
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, RuleViolation, invalid_field
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped
from minsheng.platform.worklist import WorkItem

_WHAT = ("投诉案件", "complaint")


def _audit(session: Session, actor: Principal, complaint: InspectionComplaint, action: str,
           **payload: Any) -> None:
    audit.record(session, actor=actor.username, action=f"labour.complaint_{action}",
                 subject_type="labour_complaint", subject_id=complaint.id,
                 payload={"case_no": complaint.case_no, **payload})


def file_complaint(session: Session, actor: Principal,
                   data: ComplaintCreate) -> InspectionComplaint:
    """劳动保障监察投诉: a worker complains for themself, or staff record a complaint
    received at the counter; the acceptance decision is due 5 working days later."""
    actor.require_any("labour:case", "labour:self")
    person, employer = parties(session, actor, data.complainant_person_id, data.employer_id,
                               person_field="complainant_person_id")
    if data.violation_on is not None and data.violation_on > data.received_on:
        raise invalid_field("violation_on", "违法行为发生日期不能晚于投诉日期",
                            "the violation is dated after the complaint")
    if data.violation_ended_on is not None and (
            data.violation_on is None or data.violation_ended_on < data.violation_on):
        raise invalid_field("violation_ended_on", "违法行为终了日期须在发生日期之后",
                            "the end of the violation is before its start")
    complaint = InspectionComplaint(
        case_no="pending", complainant_person_id=person.id, employer_id=employer.id,
        region=employer.region, received_on=data.received_on,
        acceptance_due=rules.complaint_acceptance_due(data.received_on,
                                                      calendar(session)).due_date,
        violation_on=data.violation_on, violation_ended_on=data.violation_ended_on,
        wage_arrears_amount=data.wage_arrears_amount, workers_affected=data.workers_affected,
        state=rules.ComplaintState.RECEIVED, note=data.note)
    session.add(complaint)
    flush(session)
    complaint.case_no = case_number("JC", data.received_on.year, complaint.id)
    flush(session)
    _audit(session, actor, complaint, "file", received_on=data.received_on.isoformat(),
           wage_arrears=str(data.wage_arrears_amount), workers=data.workers_affected)
    open_labour_case(session, actor, "labour_complaint", complaint, person,
                     complaint.acceptance_due)
    return complaint


def complaint_for(session: Session, actor: Principal, complaint_id: int, *,
                  for_update: bool = False) -> InspectionComplaint:
    actor.require("labour:read" if actor.is_staff else "labour:self")
    stmt = select(InspectionComplaint).where(InspectionComplaint.id == complaint_id)
    complaint = session.scalar(stmt.with_for_update() if for_update else stmt)
    visible = complaint is not None and (
        actor.sees_region(complaint.region) if actor.is_staff
        else actor.person_id == complaint.complainant_person_id)
    if complaint is None or not visible:
        raise not_found(*_WHAT)
    return complaint


def read(session: Session, actor: Principal, complaint_id: int) -> InspectionComplaint:
    complaint = complaint_for(session, actor, complaint_id)
    if actor.is_staff:
        _audit(session, actor, complaint, "read")
    return complaint


def _step(complaint: InspectionComplaint, action: str) -> rules.ComplaintState:
    try:
        return rules.complaint_step(rules.ComplaintState(complaint.state), action)
    except rules.StepRefused:
        label = rules.COMPLAINT_STATE_LABELS[rules.ComplaintState(complaint.state)]
        raise Conflict(f"案件当前为“{label}”，不能办理这一步",
                       f"Not allowed while the complaint is {complaint.state}") from None


def _check_version(complaint: InspectionComplaint, version: int | None) -> None:
    if version is not None and version != complaint.version:
        raise Conflict("案件已被他人更新，请刷新后重试", "The case was changed by someone else")


def accept(session: Session, actor: Principal, complaint_id: int, on: date,
           version: int | None = None) -> InspectionComplaint:
    """立案: on or after receipt; a violation outside the 2-year look-back is not
    pursued (art. 20) — refused here, the officer decides 不予受理. The investigation is
    due 60 working days after (art. 17)."""
    actor.require("labour:case")
    complaint = complaint_for(session, actor, complaint_id, for_update=True)
    _check_version(complaint, version)
    state = _step(complaint, "accept")
    not_before("on", on, complaint.received_on, "投诉日期", "receipt")
    if complaint.violation_on is not None and not rules.within_lookback(
            complaint.violation_on, complaint.violation_ended_on, complaint.received_on):
        last = rules.lookback_ends(complaint.violation_on, complaint.violation_ended_on)
        raise RuleViolation(f"违法行为已超过两年未被发现和投诉（至 {last.isoformat()}），"
                            "依劳动保障监察条例第二十条不再查处，应决定不予受理",
                            f"Outside the 2-year look-back (ended {last})")
    complaint.state, complaint.accepted_on = state, on
    complaint.investigation_due = rules.investigation_due(on, False, calendar(session)).due_date
    flush(session)
    _audit(session, actor, complaint, "accept", on=on.isoformat(),
           investigation_due=complaint.investigation_due.isoformat())
    accept_labour_case(session, actor, "labour_complaint", complaint, on)
    return complaint


def extend(session: Session, actor: Principal, complaint_id: int, approved_by_note: str,
           version: int | None = None) -> InspectionComplaint:
    """延长调查期限: 30 more working days with the head's approval, once (art. 17)."""
    actor.require("labour:approve")
    complaint = complaint_for(session, actor, complaint_id, for_update=True)
    _check_version(complaint, version)
    state = _step(complaint, "extend")
    if complaint.extended:
        raise Conflict("调查期限只能延长一次（劳动保障监察条例第十七条）",
                       "The investigation may be extended only once (art. 17)")
    if not approved_by_note.strip():
        raise invalid_field("approved_by_note", "请填写审批人和批准文号", "name the approval")
    assert complaint.accepted_on is not None
    complaint.state, complaint.extended = state, True
    complaint.extension_note = approved_by_note.strip()
    complaint.investigation_due = rules.investigation_due(
        complaint.accepted_on, True, calendar(session)).due_date
    flush(session)
    _audit(session, actor, complaint, "extend",
           investigation_due=complaint.investigation_due.isoformat())
    return complaint


def close(session: Session, actor: Principal, complaint_id: int, outcome: str, on: date,
          recovered_amount: Decimal = Decimal(0), note: str = "",
          version: int | None = None) -> InspectionComplaint:
    """结案 after investigation, or 不予受理 before acceptance (with its reason)."""
    actor.require("labour:case")
    complaint = complaint_for(session, actor, complaint_id, for_update=True)
    _check_version(complaint, version)
    found = rules.ComplaintOutcome(outcome)
    _step(complaint, "reject" if found is rules.ComplaintOutcome.NOT_ACCEPTED else "close")
    if found is rules.ComplaintOutcome.NOT_ACCEPTED and not note.strip():
        raise invalid_field("note", "不予受理须说明理由", "a refusal needs a reason")
    if recovered_amount and found is rules.ComplaintOutcome.NOT_ACCEPTED:
        raise invalid_field("recovered_amount", "不予受理的投诉没有追回金额",
                            "a complaint not accepted recovers nothing")
    not_before("on", on, complaint.accepted_on or complaint.received_on, "上一步的日期",
               "previous step")
    complaint.state, complaint.outcome, complaint.closed_on = "closed", found, on
    complaint.recovered_amount = recovered_amount
    if note:
        complaint.note = note
    flush(session)
    _audit(session, actor, complaint, "close", outcome=found.value, on=on.isoformat(),
           recovered=str(recovered_amount))
    close_labour_case(session, actor, "labour_complaint", complaint, on,
                      rules.COMPLAINT_OUTCOME_LABELS[found],
                      refused=found is rules.ComplaintOutcome.NOT_ACCEPTED)
    return complaint


# --- work-lists -----------------------------------------------------------------------


def next_due() -> ColumnElement[Any]:
    c = InspectionComplaint
    return case((c.state == "received", c.acceptance_due),
                (c.state == "investigating", c.investigation_due), else_=None)


def due_of(complaint: InspectionComplaint) -> date | None:
    if complaint.state == "received":
        return complaint.acceptance_due
    if complaint.state == "investigating":
        return complaint.investigation_due
    return None


#: The orders of the work-list (``sort``): by default open cases by their next statutory
#: date (overdue first), cases without one (closed) last, then the newest.
COMPLAINT_SORTING = paging.Sorting({
    "due": [paging.Fixed(next_due().is_(None)), next_due()],
    "received": InspectionComplaint.received_on,
    "amount": InspectionComplaint.wage_arrears_amount,
    "case_no": InspectionComplaint.case_no,
}, default="due", tie_breakers=[InspectionComplaint.received_on.desc(),
                                InspectionComplaint.id.desc()])


def complaints_query(actor: Principal, *, overdue: bool = False, state: str = "",
                     today: date | None = None, sort: paging.Sort | None = None
                     ) -> Select[*tuple[Any, ...]]:
    actor.require("labour:read")
    due = next_due()
    stmt = scoped(select(InspectionComplaint), InspectionComplaint.region, actor)
    if state == OPEN:
        stmt = stmt.where(InspectionComplaint.state != "closed")
    elif state:
        stmt = stmt.where(InspectionComplaint.state == state)
    if overdue:
        stmt = stmt.where(due < (today or date.today()))
    return stmt.order_by(*COMPLAINT_SORTING.order_by(sort or COMPLAINT_SORTING.default))


def complaints_page(session: Session, actor: Principal, *, overdue: bool = False,
                    state: str = "", page: int = 1, sort: paging.Sort | None = None,
                    size: int = paging.LIST_PAGE_SIZE) -> paging.Listing[InspectionComplaint]:
    return paging.paginate(
        session, complaints_query(actor, overdue=overdue, state=state, sort=sort), page, size)


def all_complaints(session: Session, actor: Principal, *, overdue: bool = False,
                   state: str = "", sort: paging.Sort | None = None
                   ) -> Iterator[InspectionComplaint]:
    yield from session.scalars(complaints_query(actor, overdue=overdue, state=state, sort=sort)
                               .execution_options(yield_per=1000))


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """Open cases for the case officer's workbench (``_common.open_case_work``)."""
    return open_case_work(session, actor, today, model=InspectionComplaint, due=next_due(),
                          key="labour.complaints", label="劳动保障监察投诉待办理",
                          href="/labour/complaints?state=open")


def open_counts(session: Session, actor: Principal, today: date) -> tuple[int, int]:
    """``(open, overdue)`` cases of the actor's region."""
    actor.require("labour:read")
    due = next_due()
    row = session.execute(select(func.count().filter(InspectionComplaint.state != "closed"),
                                 func.count().filter(due < today))
                          .where(region_filter(InspectionComplaint.region, actor))).one()
    return int(row[0]), int(row[1])


def my_complaints(session: Session, actor: Principal) -> list[InspectionComplaint]:
    actor.require("labour:self")
    return list(session.scalars(select(InspectionComplaint).where(
        InspectionComplaint.complainant_person_id == actor.person_id)
        .order_by(InspectionComplaint.received_on.desc(), InspectionComplaint.id.desc())))


@dataclass(frozen=True)
class Arrears:
    """An employer with open wage-arrears complaints (欠薪单位)."""

    employer_id: int
    employer_name: str
    uscc: str
    region: str
    cases: int
    amount: Decimal
    workers: int


def arrears_query(actor: Principal) -> Select[*tuple[Any, ...]]:
    """Employers of the actor's region with wage arrears in complaints not yet closed, or
    closed without the full amount recovered: largest amount first."""
    actor.require("labour:read")
    c = InspectionComplaint
    open_arrears = and_(c.wage_arrears_amount > 0, c.state != "closed")
    unrecovered = and_(c.wage_arrears_amount > c.recovered_amount, c.state == "closed",
                       c.outcome.in_(("penalised", "transferred")))
    stmt = (select(Employer.id, Employer.name, Employer.uscc, Employer.region,
                   func.count(), func.sum(c.wage_arrears_amount - c.recovered_amount),
                   func.sum(c.workers_affected))
            .join(Employer, Employer.id == c.employer_id)
            .where(or_(open_arrears, unrecovered))
            .group_by(Employer.id, Employer.name, Employer.uscc, Employer.region)
            .order_by(func.sum(c.wage_arrears_amount - c.recovered_amount).desc(), Employer.id))
    return scoped(stmt, c.region, actor)


def arrears(session: Session, actor: Principal) -> list[Arrears]:
    return [Arrears(r[0], r[1], r[2], r[3], int(r[4]), Decimal(r[5] or 0), int(r[6] or 0))
            for r in session.execute(arrears_query(actor))]


def closure_select(within: ColumnElement[bool], key: ColumnElement[Any], first: date,
                   last: date) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, complaints accepted in the period, of them closed by its
    end, wage arrears recovered in complaints closed in the period, workers in them)``.
    结案率 = closed ÷ accepted."""
    c = InspectionComplaint
    accepted = and_(c.accepted_on >= first, c.accepted_on <= last)
    closed_in = and_(c.accepted_on.is_not(None), c.closed_on >= first, c.closed_on <= last)
    return (select(key, func.count().filter(accepted),
                   func.count().filter(and_(accepted, c.closed_on <= last)),
                   func.coalesce(func.sum(c.recovered_amount).filter(closed_in), 0),
                   func.coalesce(func.sum(c.workers_affected).filter(
                       and_(closed_in, c.recovered_amount > 0)), 0))
            .where(within, or_(accepted, closed_in)).group_by(key))


@dataclass(frozen=True)
class ComplaintFigures:
    accepted: int
    closed: int
    recovered: Decimal
    workers_paid: int

    @property
    def closure_rate(self) -> Decimal | None:
        return rules.rate(self.closed, self.accepted)


def figures(session: Session, actor: Principal, first: date, last: date) -> ComplaintFigures:
    actor.require("labour:read")
    row = session.execute(closure_select(region_filter(InspectionComplaint.region, actor),
                                         literal(""), first, last)).first()
    if row is None:
        return ComplaintFigures(0, 0, Decimal(0), 0)
    return ComplaintFigures(int(row[1]), int(row[2]), Decimal(row[3] or 0), int(row[4] or 0))
