"""Enrolment (参保登记): enrol, end, hire and leave (增员/减员), and a person's enrolments."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import (
    EMPLOYEE_SCHEMES,
    Contribution,
    Enrolment,
)
from minsheng.hrss.insurance.schemas import (
    EnrolmentCreate,
    EnrolmentEnd,
    EnrolmentRead,
    HireRequest,
    LeaveRequest,
)
from minsheng.hrss.insurance.service._common import (
    SCHEME_LABELS,
    _acting_for_employer,
    employer_for,
)
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, NotFound, invalid_field
from minsheng.platform.months import label, parse_month
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def _spans(session: Session, person_id: int, exclude_id: int | None = None) -> list[rules.Span]:
    rows = session.execute(
        select(Enrolment.scheme, Enrolment.start_month, Enrolment.end_month, Enrolment.id)
        .where(Enrolment.person_id == person_id)
    ).all()
    return [rules.Span(s, a, b) for s, a, b, i in rows if i != exclude_id]


def _conflict(span: rules.Span, clash: rules.Span) -> Conflict:
    window = f"{label(clash.start)}–{label(clash.end) if clash.end else '至今'}"
    return Conflict(
        f"与已有参保记录冲突：{SCHEME_LABELS[clash.scheme]} {window}"
        f"（同一月份不能重复参加，职工养老与城乡居民养老不能同时参加）",
        f"Overlaps an existing enrolment: {clash.scheme} {window} (the same months cannot be "
        "covered twice, nor by both employee and resident pension)",
        extra={"scheme": clash.scheme, "start_month": label(clash.start),
               "end_month": label(clash.end) if clash.end else None},
    )


def enrol(session: Session, actor: Principal, data: EnrolmentCreate) -> Enrolment:
    """参保登记: enrol a person in one scheme for a span of months."""
    actor.require("insurance:write")
    person = registry.person_for_write(session, actor, data.person_id)
    start = parse_month(data.start_month, "start_month")
    end = parse_month(data.end_month, "end_month") if data.end_month else None
    if end is not None and end < start:
        raise invalid_field("end_month", "终止月份不能早于起始月份", "end month before start month")
    if data.scheme in ("unemployment", "work_injury") and data.employer_id is None:
        raise invalid_field("employer_id", "失业保险和工伤保险须由用人单位参保",
                            "unemployment and work-injury insurance need an employer")
    if data.scheme == "resident_pension" and data.employer_id is not None:
        raise invalid_field("employer_id", "城乡居民养老保险为个人参保，不关联单位",
                            "resident pension is individual; no employer")
    if data.employer_id is not None:
        employer_for(session, actor, data.employer_id)
    span = rules.Span(data.scheme, start, end)
    clash = rules.conflicting_enrolment(_spans(session, person.id), span)
    if clash is not None:
        raise _conflict(span, clash)
    enrolment = Enrolment(person_id=person.id, scheme=data.scheme, employer_id=data.employer_id,
                          start_month=start, end_month=end, declared_wage=data.declared_wage)
    session.add(enrolment)
    session.flush()
    audit.record(session, actor=actor.username, action="enrolment.create",
                 subject_type="enrolment", subject_id=enrolment.id,
                 payload={"person_id": person.id, "scheme": data.scheme,
                          "employer_id": data.employer_id, "start": start, "end": end})
    return enrolment


def end_enrolment(session: Session, actor: Principal, enrolment_id: int,
                  data: EnrolmentEnd) -> Enrolment:
    """End an enrolment with its last covered month (停保/减员)."""
    actor.require("insurance:write")
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(f"参保记录 {enrolment_id} 不存在", f"Enrolment {enrolment_id} not found")
    registry.person_for_write(session, actor, enrolment.person_id)
    if enrolment.version != data.version:
        raise Conflict("参保记录已被他人修改，请刷新后重试",
                       "Enrolment changed by someone else; reload and retry",
                       extra={"current_version": enrolment.version})
    return _end(session, actor, enrolment, parse_month(data.end_month, "end_month"), data.reason)


def _end(session: Session, actor: Principal, enrolment: Enrolment, end: int,
         reason: str) -> Enrolment:
    if end < enrolment.start_month:
        raise invalid_field("end_month", "终止月份不能早于起始月份", "end month before start month")
    if enrolment.end_month is not None and enrolment.end_month < end:
        raise Conflict(f"该参保已于 {label(enrolment.end_month)} 终止",
                       f"Already ended in {label(enrolment.end_month)}")
    _withdraw_after(session, actor, enrolment, end)
    enrolment.end_month, enrolment.end_reason = end, reason or None
    flush(session)
    audit.record(session, actor=actor.username, action="enrolment.end", subject_type="enrolment",
                 subject_id=enrolment.id, payload={"end": end, "reason": reason})
    return enrolment


def _withdraw_after(session: Session, actor: Principal, enrolment: Enrolment,
                    end: int) -> None:
    """Months after the new (inclusive) ``end`` that the monthly assessment already
    billed to this enrolment are withdrawn: an ended enrolment owes nothing for them.

    A 减员 is usually recorded after the months following it were assessed (the run
    bills every open enrolment each month); without this the employer kept paying for
    someone who had left, and the stale row — the contribution key is (person, month,
    scheme) — kept the next employer's assessment of the month out. A month already
    paid after ``end`` is refused: money received is refunded at the counter (退费),
    never silently dropped. Resident pension (a yearly payment by the person) is left
    as it is. One set-based DELETE; the periods are audited (``contribution.withdraw``).
    """
    if enrolment.scheme not in EMPLOYEE_SCHEMES:
        return
    same_payer = (Contribution.employer_id == enrolment.employer_id
                  if enrolment.employer_id is not None else Contribution.employer_id.is_(None))
    after = (Contribution.person_id == enrolment.person_id,
             Contribution.scheme == enrolment.scheme, same_payer, Contribution.period > end)
    rows = session.execute(select(Contribution.period, Contribution.status).where(*after)
                           .order_by(Contribution.period)).all()
    paid = [period for period, status in rows if status == "paid"]
    if paid:
        months = "、".join(label(p) for p in paid)
        raise Conflict(
            f"{SCHEME_LABELS[enrolment.scheme]} {months} 的费用已缴纳，终止月份不能早于 "
            f"{label(paid[-1])}；如需终止到更早的月份，请先到经办窗口办理退费",
            f"{enrolment.scheme} is already paid for {', '.join(label(p) for p in paid)}; "
            "end it no earlier, or have the payment refunded first",
            extra={"paid_months": [label(p) for p in paid]})
    due = [period for period, _ in rows]
    if not due:
        return
    session.execute(delete(Contribution).where(*after, Contribution.status == "due")
                    .execution_options(synchronize_session=False))
    audit.record(session, actor=actor.username, action="contribution.withdraw",
                 subject_type="enrolment", subject_id=enrolment.id,
                 payload={"person_id": enrolment.person_id, "scheme": enrolment.scheme,
                          "employer_id": enrolment.employer_id, "end": end, "periods": due})


def hire(
    session: Session, actor: Principal, employer_id: int, data: HireRequest
) -> list[Enrolment]:
    """增员: enrol a person found by resident ID in the employer's employee schemes."""
    actor.require("insurance:employer")
    employer = employer_for(session, actor, employer_id)
    person = registry.find_by_resident_id(session, data.resident_id)
    if person is None:
        raise invalid_field("resident_id", "未找到该公民身份号码的参保人，请先办理人员登记",
                            "no person with this resident ID; register the person first")
    created = []
    for scheme in data.schemes:
        if scheme not in EMPLOYEE_SCHEMES:
            raise invalid_field("schemes", f"{SCHEME_LABELS[scheme]}不能由单位增员",
                                f"{scheme} is not an employee scheme")
        created.append(enrol(session, _acting_for_employer(actor), EnrolmentCreate(
            person_id=person.id, scheme=scheme, employer_id=employer.id,
            start_month=data.start_month, declared_wage=data.declared_wage)))
    return created


def leave(session: Session, actor: Principal, employer_id: int, person_id: int,
          data: LeaveRequest) -> list[Enrolment]:
    """减员: end the person's open enrolments with this employer."""
    actor.require("insurance:employer")
    employer = employer_for(session, actor, employer_id)
    end = parse_month(data.end_month, "end_month")
    open_ones = session.scalars(select(Enrolment).where(
        Enrolment.person_id == person_id, Enrolment.employer_id == employer.id,
        or_(Enrolment.end_month.is_(None), Enrolment.end_month > end))).all()
    if not open_ones:
        raise NotFound("该人员在本单位没有在保记录", "No open enrolment of this person here")
    return [_end(session, _acting_for_employer(actor), e, end, data.reason) for e in open_ones]


def employee_of(session: Session, actor: Principal, employer_id: int,
                resident_id: str) -> int:
    """The person with ``resident_id`` if they are or were enrolled through the
    employer (its current and former employees), else a field error that says no more
    than that: whether the ID is registered at all stays unknown to the employer."""
    actor.require("insurance:employer")
    employer = employer_for(session, actor, employer_id)
    person = registry.find_by_resident_id(session, resident_id)
    linked = person is not None and session.scalar(select(Enrolment.id).where(
        Enrolment.person_id == person.id, Enrolment.employer_id == employer.id).limit(1))
    if person is None or not linked:
        raise invalid_field(
            "resident_id", "本单位没有该公民身份号码的参保职工（含曾在本单位参保的）",
            "no current or former employee with this resident ID")
    return person.id


def view_enrolment(enrolment: Enrolment, employer_name: str | None) -> EnrolmentRead:
    return EnrolmentRead(
        id=enrolment.id, person_id=enrolment.person_id,
        scheme=enrolment.scheme,
        scheme_label=SCHEME_LABELS[enrolment.scheme], employer_id=enrolment.employer_id,
        employer_name=employer_name, start_month=label(enrolment.start_month),
        end_month=label(enrolment.end_month) if enrolment.end_month else None,
        declared_wage=enrolment.declared_wage, version=enrolment.version)


def enrolments_of(session: Session, actor: Principal, person_id: int) -> list[EnrolmentRead]:
    registry.person_for_read(session, actor, person_id)
    rows = session.execute(
        select(Enrolment, Employer.name).outerjoin(Employer, Employer.id == Enrolment.employer_id)
        .where(Enrolment.person_id == person_id).order_by(Enrolment.start_month, Enrolment.id)
    ).all()
    return [view_enrolment(e, name) for e, name in rows]


def enrolment_person(session: Session, enrolment_id: int) -> int:
    person_id = session.scalar(select(Enrolment.person_id).where(Enrolment.id == enrolment_id))
    if person_id is None:
        raise NotFound(f"参保记录 {enrolment_id} 不存在", f"Enrolment {enrolment_id} not found")
    return person_id
