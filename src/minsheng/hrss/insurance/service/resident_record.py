"""A person's resident-pension record (城乡居民养老保险缴费记录) as the pension award and
the pages read it: the years paid, the account, what the scheme requires of the person
(超龄 rules, 国发〔2014〕8号 七) and the employee-pension months that count with it
(城乡养老保险制度衔接暂行办法, 人社部发〔2014〕17号)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import Contribution, ResidentSchemeStart
from minsheng.hrss.insurance.service.enrolment import _spans
from minsheng.hrss.insurance.service.records import contribution_record
from minsheng.hrss.kernel.resident_pension import (
    RESIDENT_MINIMUM_MONTHS,
    ResidentRequirement,
    resident_requirement,
)
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform import rulebook
from minsheng.platform.errors import NotFound
from minsheng.platform.money import to_fen, to_yuan
from minsheng.platform.months import month_of
from minsheng.platform.security.principal import Principal


@dataclass(frozen=True)
class ResidentRecord:
    """What the record says about a person's resident pension up to a month.

    Months of both schemes count once (衔接暂行办法 art. 8): ``counted_months`` is the
    employee months plus the resident months that are not also employee months; the
    resident payment of the overlapping months leaves the account and its personal part
    is refunded (``refund_amount``). Transferred into the resident scheme (fewer than
    15 employee years, art. 3 and 5), the employee account joins the resident one:
    ``account_balance`` is both."""

    #: The day the scheme began where the person lives, when on record.
    scheme_start: date | None
    #: What the scheme asks of the person (None when the start is not on record).
    requirement: ResidentRequirement | None
    #: Years with a paid resident contribution, oldest first.
    paid_years: tuple[int, ...]
    #: Years enrolled in the resident scheme with no paid contribution (a gap the person
    #: may still pay or make up), oldest first.
    unpaid_years: tuple[int, ...]
    #: 12 for every paid year.
    resident_months: int
    #: Employee-pension months (the employee record, :func:`contribution_record`).
    employee_months: int
    #: Resident months that are also employee months (counted once, as employee).
    overlap_months: int
    #: The resident account: every paid year's personal, government and subsidy
    #: amounts, without the overlapping months' share.
    resident_balance: Decimal
    #: The employee personal account (joins the resident one on transfer, art. 5).
    employee_balance: Decimal
    #: Personal contributions of the overlapping months, to refund (art. 8).
    refund_amount: Decimal

    @property
    def counted_months(self) -> int:
        """Contribution months of the resident scheme after a transfer: employee months
        plus resident months, overlaps once (art. 5 and 8)."""
        return self.employee_months + self.resident_months - self.overlap_months

    @property
    def account_balance(self) -> Decimal:
        return self.resident_balance + self.employee_balance

    @property
    def required_months(self) -> int:
        """Months needed for a monthly resident pension: 0 for 超龄, the years left to 60
        for the sliding band, else 180 (180 when the scheme start is not on record)."""
        return self.requirement.months if self.requirement else RESIDENT_MINIMUM_MONTHS

    @property
    def missing_months(self) -> int:
        return max(self.required_months - self.counted_months, 0)


def resident_scheme_start(session: Session, region: str, month: int) -> ResidentSchemeStart | None:
    """The row saying when the resident scheme began in ``region``, as the rulebook has
    it in ``month`` (a dated regional parameter: a district's pilot row overrides its
    city's; none in a month before any row's ``valid_from``)."""
    return rulebook.one_in_force(session, ResidentSchemeStart, region, month)


def resident_record(session: Session, person_id: int, until: int) -> ResidentRecord:
    """A person's resident-pension record up to ``until`` (``YYYYMM``), as the pension
    award needs it: paid years (each recorded against its January) up to ``until``, set
    against the employee-pension months of the same span (:func:`rules.resident_months`),
    the employee record (:func:`contribution_record`) and the requirement of the day the
    scheme began where the person lives (:func:`resident_requirement`; the start as the
    rulebook has it this month)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("人员不存在", "No such person")
    # When the scheme began is a fact: read as the rulebook has it now (a retirement
    # month before the start finds the start, not nothing).
    start = resident_scheme_start(session, person.residence_region, month_of(date.today()))
    requirement = (resident_requirement(person.birth_date, start.start_date)
                   if start is not None else None)
    rows = session.execute(
        select(Contribution.period, Contribution.personal_amount,
               Contribution.government_amount, Contribution.subsidy_amount)
        .where(Contribution.person_id == person_id, Contribution.scheme == "resident_pension",
               Contribution.status == "paid", Contribution.period <= until)
        .order_by(Contribution.period)).all()
    years = [rules.ResidentYear(period // 100, to_fen(personal), to_fen(government),
                                to_fen(subsidy))
             for period, personal, government, subsidy in rows]
    spans = _spans(session, person_id)
    employee_periods = rules.covered_periods(
        [s for s in spans if s.scheme == "employee_pension"], until)
    counted = rules.resident_months(years, employee_periods)
    paid = {y.year for y in years}
    enrolled: set[int] = set()
    for span in spans:
        if span.scheme == "resident_pension" and span.start <= until:
            last = min(span.end if span.end is not None else until, until)
            enrolled.update(range(span.start // 100, last // 100 + 1))
    employee = contribution_record(session, person_id, until)
    return ResidentRecord(
        scheme_start=start.start_date if start is not None else None,
        requirement=requirement,
        paid_years=tuple(sorted(paid)),
        unpaid_years=tuple(sorted(enrolled - paid)),
        resident_months=counted.resident_months,
        employee_months=employee.months,
        overlap_months=counted.overlap_months,
        resident_balance=to_yuan(counted.account_fen),
        employee_balance=employee.account_balance,
        refund_amount=to_yuan(counted.refund_fen),
    )


def resident_record_of(session: Session, actor: Principal, person_id: int, *,
                       until: int | None = None) -> ResidentRecord:
    """:func:`resident_record` for a person in the actor's scope (staff) or the person
    themself, up to ``until`` (default: this month)."""
    person = registry.person_for_read(session, actor, person_id)
    return resident_record(session, person.id, until or month_of(date.today()))
