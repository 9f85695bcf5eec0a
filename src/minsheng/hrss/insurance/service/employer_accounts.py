"""Employer accounts: what a month owes, payments, arrears, and the account page's read model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import (
    EMPLOYEE_SCHEMES,
    Contribution,
    EmployerPayment,
    Enrolment,
)
from minsheng.hrss.insurance.schemas import (
    EmployerMonth,
)
from minsheng.hrss.insurance.service._common import (
    SCHEME_LABELS,
    arrears_sql,
    employer_for,
    is_in_arrears,
)
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform.db import utcnow
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.money import to_money
from minsheng.platform.months import label, month_of, parse_month
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.worklist import WorkItem


def employer_month(session: Session, actor: Principal, employer_id: int,
                   month: str, *, today: date | None = None) -> EmployerMonth:
    """What an employer owes for a month (employer and withheld personal parts)."""
    employer = employer_for(session, actor, employer_id)
    period = parse_month(month)
    people, er, pr, due = session.execute(
        select(func.count(func.distinct(Contribution.person_id)),
               func.sum(Contribution.employer_amount), func.sum(Contribution.personal_amount),
               func.count().filter(Contribution.status == "due"))
        .where(Contribution.employer_id == employer.id, Contribution.period == period)).one()
    status = "none" if not people else "paid" if not due else (
        "arrears" if is_in_arrears(session, employer.region, period, today or date.today())
        else "due")
    return EmployerMonth(period=label(period), employer_id=employer.id, people=people,
                         employer_amount=to_money(er), personal_amount=to_money(pr),
                         total=to_money(er) + to_money(pr), status=status)


def pay_employer(session: Session, actor: Principal, employer_id: int, month: str,
                 amount: Decimal) -> EmployerPayment:
    """An employer settles everything outstanding for a month; the amount must match."""
    actor.require("insurance:pay")
    employer = employer_for(session, actor, employer_id)
    period = parse_month(month)
    outstanding = to_money(session.scalar(
        select(func.sum(Contribution.employer_amount + Contribution.personal_amount))
        .where(Contribution.employer_id == employer.id, Contribution.period == period,
               Contribution.status == "due")))
    if outstanding == 0:
        raise Conflict(f"{label(period)} 没有待缴费用", f"Nothing outstanding for {label(period)}")
    if amount != outstanding:
        raise invalid_field("amount", f"缴费金额应为 {outstanding} 元",
                            f"the amount outstanding is {outstanding}")
    now = utcnow()
    session.execute(
        text("UPDATE contribution SET status = 'paid', paid_by = 'employer', paid_at = :now "
             "WHERE employer_id = :employer AND period = :period AND status = 'due'")
        .bindparams(bindparam("now", now, type_=DateTime(timezone=True))),
        {"employer": employer.id, "period": period})
    payment = EmployerPayment(employer_id=employer.id, period=period, amount=amount,
                              paid_at=now, actor=actor.username)
    session.add(payment)
    session.flush()
    audit.record(session, actor=actor.username, action="contribution.pay",
                 subject_type="employer", subject_id=employer.id,
                 payload={"period": period, "amount": str(amount)})
    return payment


#: The orders of the employers-in-arrears list (``asort``): the largest debt first by
#: default.
ARREARS_SORTING = Sorting({
    "amount": func.sum(Contribution.employer_amount + Contribution.personal_amount),
    "months": func.count(func.distinct(Contribution.period)),
    "name": Employer.name,
}, default="amount", default_descending=True, tie_breakers=[Employer.id])


def _arrears_query(actor: Principal, today: date | None, sort: Sort | None = None
                   ) -> Select[int, str, str, int, Decimal]:
    # Arrears line per row: the grace in force for the contribution's month and the
    # employer's region (arrears_rule).
    overdue: ColumnElement[bool] = literal_column(
        arrears_sql("contribution.period", "employer.region", today or date.today()))
    owed = func.sum(Contribution.employer_amount + Contribution.personal_amount)
    return (select(Employer.id, Employer.name, Employer.region,
                   func.count(func.distinct(Contribution.period)), owed)
            .join(Contribution, Contribution.employer_id == Employer.id)
            .where(Contribution.status == "due", overdue,
                   region_filter(Employer.region, actor))
            .group_by(Employer.id, Employer.name, Employer.region)
            .order_by(*ARREARS_SORTING.order_by(sort or ARREARS_SORTING.default)))


def _code_literal(code: str) -> str:
    """A region code as an SQL literal (six digits, checked)."""
    if not code.isdigit():
        raise ValueError(f"not a region code: {code!r}")
    return f"'{code}'"


def _arrears_row(row: Any) -> dict[str, Any]:
    i, n, r, m, a = row
    return {"employer_id": i, "name": n, "region": r, "months": m, "amount": to_money(a)}


def employers_in_arrears(session: Session, actor: Principal, *, today: date | None = None,
                         limit: int = 200) -> list[dict[str, Any]]:
    """Employers with contributions unpaid past the collection month (欠费)."""
    actor.require("insurance:read")
    rows = session.execute(_arrears_query(actor, today).limit(limit)).all()
    return [_arrears_row(row) for row in rows]


def arrears_page(session: Session, actor: Principal, *, today: date | None = None,
                 page: int = 1, sort: Sort | None = None) -> Listing[dict[str, Any]]:
    """One page of :func:`employers_in_arrears` in the order ``sort`` (one of
    :data:`ARREARS_SORTING`'s), with the number of employers."""
    actor.require("insurance:read")
    listing = paginate(session, _arrears_query(actor, today, sort), page, scalars=False)
    return replace(listing, rows=[_arrears_row(row) for row in listing.rows])


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """The workbench's to-do for staff who handle employers' insurance: employers of the
    region in arrears (欠费, past the grace of ``arrears_rule``), every one overdue by
    definition."""
    if not actor.can("insurance:write"):
        return []
    listed = _arrears_query(actor, today).order_by(None).subquery()
    count = int(session.scalar(select(func.count()).select_from(listed)) or 0)
    return [WorkItem("insurance.arrears", "欠费单位待催缴", count, "/insurance#arrears",
                     overdue=count)]


def all_arrears(session: Session, actor: Principal, *, today: date | None = None,
                sort: Sort | None = None) -> Iterator[dict[str, Any]]:
    """Every employer in arrears in the list's order, read in batches (for the Excel
    export)."""
    actor.require("insurance:read")
    rows = session.execute(_arrears_query(actor, today, sort)
                           .execution_options(yield_per=2_000))
    return (_arrears_row(row) for row in rows)


@dataclass(frozen=True)
class Employee:
    """One person on an employer's roster (在职参保职工) and their open enrolments."""

    person_id: int
    name: str
    resident_id_masked: str
    start_month: str
    end_month: str | None
    declared_wage: Decimal | None
    schemes: list[str]


@dataclass(frozen=True)
class BillLine:
    """One scheme of an employer's monthly bill."""

    scheme: str
    scheme_label: str
    people: int
    base: Decimal
    employer_amount: Decimal
    personal_amount: Decimal
    outstanding: Decimal


@dataclass(frozen=True)
class ArrearsMonth:
    period: str
    people: int
    amount: Decimal


@dataclass(frozen=True)
class EmployerAccount:
    """What the employer's insurance page shows, read with one scope check."""

    employer: Employer
    employees: list[Employee]
    employee_total: int
    month: EmployerMonth
    lines: list[BillLine]
    #: Exactly what ``pay_employer`` accepts for the month (the unpaid rows).
    outstanding: Decimal
    arrears: list[ArrearsMonth]
    periods: list[str]


def _roster(session: Session, employer_id: int, period: int, page: int,
            size: int) -> tuple[list[Employee], int]:
    from minsheng.platform import ids

    open_at = (Enrolment.employer_id == employer_id, Enrolment.scheme.in_(EMPLOYEE_SCHEMES),
               or_(Enrolment.end_month.is_(None), Enrolment.end_month >= period))
    total = session.scalar(select(func.count(func.distinct(Enrolment.person_id)))
                           .where(*open_at)) or 0
    person_ids = list(session.scalars(
        select(Enrolment.person_id).join(Person, Person.id == Enrolment.person_id)
        .where(*open_at).group_by(Enrolment.person_id, Person.name)
        .order_by(Person.name, Enrolment.person_id)
        .limit(size).offset((page - 1) * size)))
    rows = session.execute(
        select(Enrolment, Person.name, Person.resident_id)
        .join(Person, Person.id == Enrolment.person_id)
        .where(*open_at, Enrolment.person_id.in_(person_ids))
        .order_by(Enrolment.start_month, Enrolment.id)).all()
    grouped: dict[int, list[tuple[Enrolment, str, str]]] = {i: [] for i in person_ids}
    for enrolment, name, number in rows:
        grouped[enrolment.person_id].append((enrolment, name, number))
    employees = []
    for person_id, items in grouped.items():
        if not items:
            continue
        first, name, number = items[0]
        ends = [e.end_month for e, _, _ in items]
        end = None if any(x is None for x in ends) else max(x for x in ends if x is not None)
        employees.append(Employee(
            person_id=person_id, name=name, resident_id_masked=ids.mask_resident_id(number),
            start_month=label(min(e.start_month for e, _, _ in items)),
            end_month=label(end) if end is not None else None,
            declared_wage=first.declared_wage,
            schemes=[SCHEME_LABELS[e.scheme] for e, _, _ in items]))
    return employees, total


def employer_account(session: Session, actor: Principal, employer_id: int, *,
                     month: str | None = None, page: int = 1, size: int = 50,
                     today: date | None = None) -> EmployerAccount:
    """An employer's insurance account: the employees with open employee enrolments
    (paged), the bill of ``month`` (default: the latest assessed month, else the current
    one) by scheme with what is still unpaid, and the months in arrears (欠费: unpaid
    the months after the month that ``arrears_rule`` sets for it)."""
    actor.require_any("insurance:employer", "insurance:read")
    employer = employer_for(session, actor, employer_id)
    today = today or date.today()
    current = month_of(today)
    periods = list(session.scalars(
        select(Contribution.period).where(Contribution.employer_id == employer.id)
        .group_by(Contribution.period).order_by(Contribution.period.desc()).limit(24)))
    period = parse_month(month, "month") if month else (periods[0] if periods else current)
    page, size = max(page, 1), min(max(size, 1), 500)
    employees, total = _roster(session, employer.id, current, page, size)
    of_month = (Contribution.employer_id == employer.id, Contribution.period == period)
    unpaid = func.sum(case((Contribution.status == "due",
                            Contribution.employer_amount + Contribution.personal_amount),
                           else_=0))
    lines = [
        BillLine(scheme, SCHEME_LABELS[scheme], n, to_money(base), to_money(er), to_money(pr),
                 to_money(due))
        for scheme, n, base, er, pr, due in session.execute(
            select(Contribution.scheme, func.count(), func.sum(Contribution.base),
                   func.sum(Contribution.employer_amount),
                   func.sum(Contribution.personal_amount), unpaid)
            .where(*of_month).group_by(Contribution.scheme)).all()
    ]
    lines.sort(key=lambda line: list(SCHEME_LABELS).index(line.scheme))
    people = session.scalar(select(func.count(func.distinct(Contribution.person_id)))
                            .where(*of_month)) or 0
    outstanding = sum((line.outstanding for line in lines), Decimal("0.00"))
    er_total = sum((line.employer_amount for line in lines), Decimal("0.00"))
    pr_total = sum((line.personal_amount for line in lines), Decimal("0.00"))
    has_due = session.scalar(select(func.count()).where(
        *of_month, Contribution.status == "due")) or 0
    status = "none" if not people else "paid" if not has_due else (
        "arrears" if is_in_arrears(session, employer.region, period, today) else "due")
    bill = EmployerMonth(period=label(period), employer_id=employer.id, people=people,
                         employer_amount=er_total, personal_amount=pr_total,
                         total=er_total + pr_total, status=status)
    arrears = [
        ArrearsMonth(label(p), n, to_money(amount))
        for p, n, amount in session.execute(
            select(Contribution.period, func.count(func.distinct(Contribution.person_id)),
                   func.sum(Contribution.employer_amount + Contribution.personal_amount))
            .where(Contribution.employer_id == employer.id, Contribution.status == "due",
                   literal_column(arrears_sql("contribution.period",
                                              _code_literal(employer.region), today)))
            .group_by(Contribution.period).order_by(Contribution.period)).all()
    ]
    return EmployerAccount(employer, employees, total, bill, lines, outstanding, arrears,
                           [label(p) for p in periods])
