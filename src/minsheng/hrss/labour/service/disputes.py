"""Labour disputes in arbitration (劳动人事争议仲裁): application, acceptance within 5 days,
optional mediation, the award within 45 days (one extension of at most 15), closing with
an outcome; the officer's work-list by next due date; closure and mediation rates.
Rules: ``labour.rules`` (劳动争议调解仲裁法 arts. 14, 27, 29, 43, 47)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.labour import rules
from minsheng.hrss.labour.models import LabourDispute
from minsheng.hrss.labour.schemas import DisputeCreate
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
from minsheng.hrss.unemployment import service as unemployment
from minsheng.platform import paging
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, RuleViolation, invalid_field
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped
from minsheng.platform.worklist import WorkItem

_WHAT = ("劳动争议案件", "labour dispute")


def _audit(session: Session, actor: Principal, dispute: LabourDispute, action: str,
           **payload: Any) -> None:
    audit.record(session, actor=actor.username, action=f"labour.dispute_{action}",
                 subject_type="labour_dispute", subject_id=dispute.id,
                 payload={"case_no": dispute.case_no, **payload})


def apply(session: Session, actor: Principal, data: DisputeCreate) -> LabourDispute:
    """劳动争议仲裁申请: a worker applies for themself, or staff record an application
    received at the counter; the acceptance decision is due 5 days after receipt."""
    actor.require_any("labour:case", "labour:self")
    person, employer = parties(session, actor, data.applicant_person_id, data.employer_id,
                               person_field="applicant_person_id")
    for field in ("knew_on", "employment_ended_on"):
        day = getattr(data, field)
        if day is not None and day > data.received_on:
            raise invalid_field(field, "日期不能晚于收件日期", "the date is after the receipt")
    cal = calendar(session)
    dispute = LabourDispute(
        case_no="pending", applicant_person_id=person.id, employer_id=employer.id,
        region=employer.region, claim_type=data.claim_type, amount=data.amount,
        received_on=data.received_on,
        acceptance_due=rules.acceptance_due(data.received_on, cal).due_date,
        knew_on=data.knew_on, employment_ended_on=data.employment_ended_on,
        state=rules.DisputeState.RECEIVED, note=data.note)
    session.add(dispute)
    flush(session)
    dispute.case_no = case_number("LD", data.received_on.year, dispute.id)
    flush(session)
    _audit(session, actor, dispute, "apply", claim_type=data.claim_type,
           amount=str(data.amount), received_on=data.received_on.isoformat())
    open_labour_case(session, actor, "labour_dispute", dispute, person, dispute.acceptance_due)
    return dispute


def dispute_for(session: Session, actor: Principal, dispute_id: int, *,
                for_update: bool = False) -> LabourDispute:
    """A case the actor may see (staff of its region, or the applicant), else 404."""
    actor.require("labour:read" if actor.is_staff else "labour:self")
    stmt = select(LabourDispute).where(LabourDispute.id == dispute_id)
    dispute = session.scalar(stmt.with_for_update() if for_update else stmt)
    visible = dispute is not None and (
        actor.sees_region(dispute.region) if actor.is_staff
        else actor.person_id == dispute.applicant_person_id)
    if dispute is None or not visible:
        raise not_found(*_WHAT)
    return dispute


def read(session: Session, actor: Principal, dispute_id: int) -> LabourDispute:
    """One case, its full record read audited for staff."""
    dispute = dispute_for(session, actor, dispute_id)
    if actor.is_staff:
        _audit(session, actor, dispute, "read")
    return dispute


def _step(dispute: LabourDispute, action: str) -> rules.DisputeState:
    try:
        return rules.dispute_step(rules.DisputeState(dispute.state), action)
    except rules.StepRefused:
        raise Conflict(
            f"案件当前为“{rules.DISPUTE_STATE_LABELS[rules.DisputeState(dispute.state)]}”，"
            "不能办理这一步", f"Not allowed while the case is {dispute.state}") from None


def _check_version(dispute: LabourDispute, version: int | None) -> None:
    if version is not None and version != dispute.version:
        raise Conflict("案件已被他人更新，请刷新后重试", "The case was changed by someone else")


def _minimum_wage(session: Session, region: str, on: date) -> Decimal | None:
    bounds = unemployment.benefit_bounds(session, region, month_of(on))
    return bounds.minimum_wage.monthly_amount if bounds.minimum_wage else None


def limitation_ends(session: Session, dispute: LabourDispute) -> date | None:
    """The last day of the limitation period (art. 27), when the dates are on record."""
    if dispute.knew_on is None and dispute.employment_ended_on is None:
        return None
    knew = dispute.knew_on or dispute.received_on
    return rules.limitation_ends(rules.ClaimType(dispute.claim_type), knew,
                                 dispute.employment_ended_on, calendar(session))


def accept(session: Session, actor: Principal, dispute_id: int, on: date,
           version: int | None = None) -> LabourDispute:
    """受理: on or after receipt; refused when the application is out of time (art. 27)
    — the officer decides 不予受理 instead. Sets the award's due date (art. 43) and
    whether the award will be final (art. 47)."""
    actor.require("labour:case")
    dispute = dispute_for(session, actor, dispute_id, for_update=True)
    _check_version(dispute, version)
    state = _step(dispute, "accept")
    not_before("on", on, dispute.received_on, "收件日期", "receipt")
    last = limitation_ends(session, dispute)
    if last is not None and dispute.received_on > last:
        raise RuleViolation(f"申请已超过仲裁时效（时效至 {last.isoformat()}），应决定不予受理",
                            f"The application is out of time (limitation ended {last})")
    dispute.state, dispute.accepted_on = state, on
    dispute.award_due = rules.award_due(on, 0, calendar(session)).due_date
    dispute.final_award = rules.is_final_award(
        rules.ClaimType(dispute.claim_type), dispute.amount,
        _minimum_wage(session, dispute.region, dispute.received_on))
    flush(session)
    _audit(session, actor, dispute, "accept", on=on.isoformat(),
           award_due=dispute.award_due.isoformat(), final=dispute.final_award)
    accept_labour_case(session, actor, "labour_dispute", dispute, on)
    return dispute


def start_mediation(session: Session, actor: Principal, dispute_id: int, on: date,
                    version: int | None = None) -> LabourDispute:
    """仲裁调解: mediation of an accepted case; without agreement in 15 days the hearing
    goes on (art. 14). The award's due date keeps running."""
    actor.require("labour:case")
    dispute = dispute_for(session, actor, dispute_id, for_update=True)
    _check_version(dispute, version)
    state = _step(dispute, "mediate")
    assert dispute.accepted_on is not None
    not_before("on", on, dispute.accepted_on, "受理日期", "acceptance")
    dispute.state, dispute.mediation_started_on = state, on
    dispute.mediation_due = rules.mediation_due(on, calendar(session)).due_date
    flush(session)
    _audit(session, actor, dispute, "mediate", on=on.isoformat())
    return dispute


def mediation_failed(session: Session, actor: Principal, dispute_id: int, on: date,
                     version: int | None = None) -> LabourDispute:
    """调解不成: the case returns to the hearing."""
    actor.require("labour:case")
    dispute = dispute_for(session, actor, dispute_id, for_update=True)
    _check_version(dispute, version)
    state = _step(dispute, "mediation_failed")
    assert dispute.mediation_started_on is not None
    not_before("on", on, dispute.mediation_started_on, "调解开始日期", "start of mediation")
    dispute.state = state
    flush(session)
    _audit(session, actor, dispute, "mediation_failed", on=on.isoformat())
    return dispute


def extend(session: Session, actor: Principal, dispute_id: int, days: int,
           approved_by_note: str, version: int | None = None) -> LabourDispute:
    """延期: the commission's director approves one extension of the award's period, by
    at most 15 days (art. 43); a second extension is refused."""
    actor.require("labour:approve")
    dispute = dispute_for(session, actor, dispute_id, for_update=True)
    _check_version(dispute, version)
    state = _step(dispute, "extend")
    if not approved_by_note.strip():
        raise invalid_field("approved_by_note", "请填写审批人和批准文号",
                            "name the approval")
    try:
        rules.check_extension(days, already_extended=dispute.extension_days > 0)
    except rules.ExtensionRefused as refused:
        if refused.reason == "twice":
            raise Conflict("仲裁期限只能延长一次（劳动争议调解仲裁法第四十三条）",
                           "The award period may be extended only once (art. 43)") from None
        raise invalid_field("days", "延长期限为1至15日（劳动争议调解仲裁法第四十三条）",
                            "an extension is 1-15 days (art. 43)") from None
    if days < 1:
        raise invalid_field("days", "延长期限为1至15日（劳动争议调解仲裁法第四十三条）",
                            "an extension is 1-15 days (art. 43)")
    assert dispute.accepted_on is not None
    dispute.state = state
    dispute.extension_days, dispute.extension_note = days, approved_by_note.strip()
    dispute.award_due = rules.award_due(dispute.accepted_on, days, calendar(session)).due_date
    flush(session)
    _audit(session, actor, dispute, "extend", days=days, award_due=dispute.award_due.isoformat())
    return dispute


def close(session: Session, actor: Principal, dispute_id: int, outcome: str, on: date,
          note: str = "", version: int | None = None) -> LabourDispute:
    """结案: awarded or withdrawn after acceptance, mediated during mediation, or not
    accepted (不予受理) before acceptance — each only in its own step."""
    actor.require("labour:case")
    dispute = dispute_for(session, actor, dispute_id, for_update=True)
    _check_version(dispute, version)
    found = rules.DisputeOutcome(outcome)
    _step(dispute, rules.OUTCOME_ACTION[found])
    start = dispute.mediation_started_on or dispute.accepted_on or dispute.received_on
    not_before("on", on, start, "上一步的日期", "previous step")
    dispute.state, dispute.outcome, dispute.closed_on = rules.DisputeState.CLOSED, found, on
    if note:
        dispute.note = note
    flush(session)
    _audit(session, actor, dispute, "close", outcome=found.value, on=on.isoformat())
    close_labour_case(session, actor, "labour_dispute", dispute, on,
                      rules.DISPUTE_OUTCOME_LABELS[found],
                      refused=found is rules.DisputeOutcome.NOT_ACCEPTED)
    return dispute


# --- the work-list -------------------------------------------------------------------


def next_due() -> ColumnElement[Any]:
    """SQL: the next statutory date of an open case (acceptance, mediation or award)."""
    d = LabourDispute
    return case(
        (d.state == "received", d.acceptance_due),
        (and_(d.state == "mediating", d.mediation_due < d.award_due), d.mediation_due),
        (d.state.in_(("arbitrating", "mediating")), d.award_due), else_=None)


def is_overdue(dispute: LabourDispute, today: date) -> bool:
    due = due_of(dispute)
    return due is not None and due < today


def due_of(dispute: LabourDispute) -> date | None:
    if dispute.state == "received":
        return dispute.acceptance_due
    if dispute.state == "mediating" and dispute.mediation_due and dispute.award_due \
            and dispute.mediation_due < dispute.award_due:
        return dispute.mediation_due
    if dispute.state in ("arbitrating", "mediating"):
        return dispute.award_due
    return None


#: The orders of the work-list (``sort``): by default open cases by their next statutory
#: date (overdue first), cases without one (closed) last, then the newest.
DISPUTE_SORTING = paging.Sorting({
    "due": [paging.Fixed(next_due().is_(None)), next_due()],
    "received": LabourDispute.received_on,
    "amount": LabourDispute.amount,
    "case_no": LabourDispute.case_no,
}, default="due", tie_breakers=[LabourDispute.received_on.desc(), LabourDispute.id.desc()])


def disputes_query(actor: Principal, *, overdue: bool = False, state: str = "",
                   today: date | None = None, sort: paging.Sort | None = None
                   ) -> Select[*tuple[Any, ...]]:
    """The cases of the actor's region, open ones first by next due date (overdue
    first), then closed ones, newest first."""
    actor.require("labour:read")
    due = next_due()
    stmt = scoped(select(LabourDispute), LabourDispute.region, actor)
    if state == OPEN:
        stmt = stmt.where(LabourDispute.state != "closed")
    elif state:
        stmt = stmt.where(LabourDispute.state == state)
    if overdue:
        stmt = stmt.where(due < (today or date.today()))
    return stmt.order_by(*DISPUTE_SORTING.order_by(sort or DISPUTE_SORTING.default))


def disputes_page(session: Session, actor: Principal, *, overdue: bool = False,
                  state: str = "", page: int = 1, sort: paging.Sort | None = None,
                  size: int = paging.LIST_PAGE_SIZE) -> paging.Listing[LabourDispute]:
    return paging.paginate(session, disputes_query(actor, overdue=overdue, state=state, sort=sort),
                           page, size)


def all_disputes(session: Session, actor: Principal, *, overdue: bool = False,
                 state: str = "", sort: paging.Sort | None = None) -> Iterator[LabourDispute]:
    yield from session.scalars(disputes_query(actor, overdue=overdue, state=state, sort=sort)
                               .execution_options(yield_per=1000))


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """Open cases for the case officer's workbench (``_common.open_case_work``)."""
    return open_case_work(session, actor, today, model=LabourDispute, due=next_due(),
                          key="labour.disputes", label="劳动人事争议案件待办理",
                          href="/labour/disputes?state=open")


def open_counts(session: Session, actor: Principal, today: date) -> tuple[int, int]:
    """``(open, overdue)`` cases of the actor's region."""
    actor.require("labour:read")
    due = next_due()
    row = session.execute(select(func.count().filter(LabourDispute.state != "closed"),
                                 func.count().filter(due < today))
                          .where(region_filter(LabourDispute.region, actor))).one()
    return int(row[0]), int(row[1])


def my_disputes(session: Session, actor: Principal) -> list[LabourDispute]:
    """The signed-in worker's own cases, newest first."""
    actor.require("labour:self")
    return list(session.scalars(select(LabourDispute).where(
        LabourDispute.applicant_person_id == actor.person_id)
        .order_by(LabourDispute.received_on.desc(), LabourDispute.id.desc())))


# --- rates ---------------------------------------------------------------------------


def rates_select(within: ColumnElement[bool], key: ColumnElement[Any], first: date,
                 last: date) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, cases accepted in the period, of them closed by its end,
    closed in the period after acceptance, of them mediated)``. 结案率 = closed ÷
    accepted; 调解成功率 = mediated ÷ closed (both after acceptance: a case not
    accepted is neither)."""
    d = LabourDispute
    accepted = and_(d.accepted_on >= first, d.accepted_on <= last)
    closed_after = and_(d.accepted_on.is_not(None), d.closed_on >= first, d.closed_on <= last)
    return (select(key,
                   func.count().filter(accepted),
                   func.count().filter(and_(accepted, d.closed_on <= last)),
                   func.count().filter(closed_after),
                   func.count().filter(and_(closed_after, d.outcome == "mediated")))
            .where(within, or_(accepted, closed_after)).group_by(key))


@dataclass(frozen=True)
class DisputeRates:
    accepted: int
    closed_of_accepted: int
    closed: int
    mediated: int

    @property
    def closure_rate(self) -> Decimal | None:
        return rules.rate(self.closed_of_accepted, self.accepted)

    @property
    def mediation_rate(self) -> Decimal | None:
        return rules.rate(self.mediated, self.closed)


def rates(session: Session, actor: Principal, first: date, last: date) -> DisputeRates:
    """The actor's region's closure and mediation-success rates for a period."""
    actor.require("labour:read")
    row = session.execute(rates_select(region_filter(LabourDispute.region, actor),
                                       literal(""), first, last)).first()
    return DisputeRates(*(int(v or 0) for v in row[1:])) if row else DisputeRates(0, 0, 0, 0)
