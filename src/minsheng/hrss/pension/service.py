"""Pension use cases: awards and uplifts, the monthly payroll, eligibility certification
(proof of life), suspension and back-pay, death and overpayments, the poverty report.

The payroll is set-based SQL over ranges of ``person_id``, each range its own
transaction; ``pension_payment`` is unique per (person, benefit month), so a second or
resumed run pays no one twice.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    extract,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.pension import rules
from minsheng.hrss.pension.models import (
    CertificationCycle,
    EarlyRetirementAge,
    PensionAward,
    PensionCertification,
    PensionOverpayment,
    PensionPayment,
    PensionPayrollRun,
    PensionRecipient,
    PensionSuspension,
    PensionUplift,
    ResidentBasicPension,
)
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform import bulk, money, payroll, regions, rulebook
from minsheng.platform.config import get_settings
from minsheng.platform.db import flush, unit_of_work, utcnow
from minsheng.platform.errors import (
    Conflict,
    FieldError,
    NotFound,
    RuleViolation,
    invalid_field,
)
from minsheng.platform.money import to_money
from minsheng.platform.months import add_months, first_day, label, month_of, parse_month
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.payroll import PayrollResult, Progress
from minsheng.platform.security import audit
from minsheng.platform.security.audit import sm3_hex
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.worklist import WorkItem

CERTIFICATION_METHODS = {
    "face": "自助人脸识别认证",
    "data_comparison": "数据比对认证",
    "home_visit": "上门认证",
    "peer_node": "川渝就地认证",
}
#: People per transaction of the payroll (ranges of ``person_id``, the partition key).
PAYROLL_BATCH = 200_000


# --- awards -------------------------------------------------------------------------------


def current_award(session: Session, person_id: int, month: int | None = None) -> PensionAward:
    stmt = select(PensionAward).where(PensionAward.person_id == person_id)
    if month is not None:
        stmt = stmt.where(PensionAward.effective_month <= month)
    award = session.scalar(stmt.order_by(PensionAward.version.desc()).limit(1))
    if award is None:
        raise NotFound("该人员没有养老金核定记录", "No pension award for this person")
    return award


@dataclass(frozen=True)
class EstimateParameters:
    """What the rulebook says for an estimate or an award in a region and month."""

    region: str
    #: The average monthly wage of the contribution rule in force (计发基数), if any.
    average_wage: Decimal | None
    #: The bounds of the average index: the rule's base floor and ceiling.
    index_floor: Decimal | None
    index_ceiling: Decimal | None
    #: Minimum age in months of each early route, by ``(route, category)``.
    early_ages: dict[tuple[str, str], int]
    source: str = ""


def estimate_parameters(session: Session, region: str, period: int) -> EstimateParameters:
    """The contribution rule (average wage, index bounds) and the early-retirement ages in
    force for ``region`` in ``period`` (``YYYYMM``)."""
    rule = insurance.rule_for(session, region, period)
    early = rulebook.in_force(session, EarlyRetirementAge, region, period)
    return EstimateParameters(
        region=region,
        average_wage=rule.average_wage if rule else None,
        index_floor=Decimal(rule.floor_ppm) / money.PPM if rule else None,
        index_ceiling=Decimal(rule.ceiling_ppm) / money.PPM if rule else None,
        early_ages={(row.route, row.category): row.min_age_months for row in early},
        source=rule.source if rule else "")


def with_parameters(data: rules.EstimateInput, parameters: EstimateParameters
                    ) -> rules.EstimateInput:
    """``data`` with the index bounds and the chosen early route's minimum age filled in
    from the rulebook."""
    return replace(
        data, index_floor=parameters.index_floor, index_ceiling=parameters.index_ceiling,
        early_age_months=parameters.early_ages.get((data.route, data.category or "")))


def retirement_category(gender: str, category: str | None) -> str:
    """The retirement category of a person of ``gender``: men are ``male``; a woman's is
    ``female_cadre`` (original age 55) or ``female_worker`` (50), which the record does
    not hold, so it must be given. Raises ``RuleViolation`` on the field ``category``."""
    if gender == "M":
        if category not in (None, "", "male"):
            raise RuleViolation("人员类别与性别不符：男性为男职工", "A man's category is male",
                                errors=[FieldError("category", "人员类别与性别不符：男性为男职工",
                                                   "a man's category is male")])
        return "male"
    if category not in ("female_cadre", "female_worker"):
        zh = "请选择女职工的人员类别（原法定退休年龄55周岁或50周岁），用于核对法定退休年龄"
        en = "give a woman's category (original retirement age 55 or 50)"
        raise RuleViolation(zh, en, errors=[FieldError("category", zh, en)])
    return category


def award_pension(
    session: Session,
    actor: Principal,
    person_id: int,
    *,
    retirement_date: date,
    scheme: str = "employee",
    category: str | None = None,
    route: str = "statutory",
    route_evidence: str = "",
    local_average_wage: Decimal | None = None,
    resident_basic_pension: Decimal | None = None,
    bank_account: str = "",
    awarded_on: date | None = None,
) -> PensionAward:
    """退休待遇核定: compute the award from the person's record and put them in payment
    from the month after retirement; months between then and the award (``awarded_on``,
    default today) are back-paid by the next payroll.

    Employee scheme: the retirement date must not be before the statutory retirement date
    of the person's ``category`` (men: ``male``; women: ``female_cadre`` or
    ``female_worker``, given), unless by a lawful ``route`` (:data:`rules.ROUTE_LABELS`:
    the flexible option of the 2024 decision, or an early route whose minimum age is in
    the rulebook, with ``route_evidence``: the special-type approval or the appraisal
    conclusion). A refusal names the statutory date (:func:`rules.retirement_date_errors`).
    """
    actor.require("pension:award")
    person = registry.person_for_write(session, actor, person_id)
    if session.get(PensionRecipient, person.id) is not None:
        raise Conflict("该人员已在领取养老金", "This person already receives a pension")
    if scheme == "resident":
        return award_resident_pension(session, actor, person, retirement_date=retirement_date,
                                      basic_pension=resident_basic_pension,
                                      bank_account=bank_account, awarded_on=awarded_on)
    start = add_months(month_of(retirement_date), 1)
    period = month_of(retirement_date)
    parameters = estimate_parameters(session, person.residence_region, period)
    employee = scheme == "employee"
    if employee:
        category = retirement_category(person.gender, category)
        if route in rules.EARLY_ROUTES and not route_evidence.strip():
            zh = "按特殊工种或病退提前退休，须填写审批文件或劳动能力鉴定结论的编号"
            en = "an early route needs the approval or appraisal reference"
            raise RuleViolation(zh, en, errors=[FieldError("route_evidence", zh, en)])
    record = insurance.contribution_record(session, person.id, period)
    wage = local_average_wage if local_average_wage is not None else parameters.average_wage
    if wage is None:
        raise RuleViolation("缺少计发基数（上年度在岗职工月平均工资）",
                            "No local average wage on record for the retirement month")
    # With no month on record the index does not matter (the estimate answers "not
    # eligible"); the floor keeps the input within its bounds.
    index = record.average_index if record.months else (parameters.index_floor
                                                         or Decimal("1"))
    settings = get_settings()
    data = rules.EstimateInput(
        scheme=scheme, birth_date=person.birth_date, retirement_date=retirement_date,
        contribution_months=record.months, average_index=index,
        local_average_wage=wage, account_balance=record.account_balance,
        basic_pension=resident_basic_pension,
        category=category if employee else None, route=route if employee else "statutory")
    estimate = rules.estimate(
        with_parameters(data, parameters) if employee else data,
        divisor_rule=settings.pension_divisor_rule,
        transitional_rate=settings.pension_transitional_rate)
    if not estimate.eligible:
        raise RuleViolation(
            f"缴费年限不足，尚缺 {estimate.missing_months} 个月，暂不能按月领取",
            f"Contribution period short by {estimate.missing_months} months; not yet eligible",
            extra={"missing_months": estimate.missing_months})
    statutory = estimate.statutory
    basis = {"contribution_months": record.months,
             "average_index": str(record.average_index),
             "local_average_wage": str(wage),
             "account_balance": str(record.account_balance),
             "account_interest": str(record.interest),
             "months_divisor": estimate.months_divisor,
             "retirement_date": retirement_date.isoformat(),
             "category": category if employee else None,
             "route": route if employee else None,
             "route_evidence": route_evidence.strip()[:100] or None,
             "statutory_retirement_date": statutory.retirement_date.isoformat()
             if statutory else None}
    return _put_in_payment(session, actor, person, scheme=scheme, start=start,
                           estimate=estimate, basis=basis, bank_account=bank_account,
                           awarded_on=awarded_on, audit_extra={"route": route})


# --- resident pension award (城乡居民养老保险待遇核定) ----------------------------------------


def resident_basic_pension(session: Session, region: str,
                           month: int) -> ResidentBasicPension | None:
    """The monthly resident basic pension in force for ``region`` in ``month``."""
    return rulebook.one_in_force(session, ResidentBasicPension, region, month)


def award_resident_pension(
    session: Session,
    actor: Principal,
    person: Person,
    *,
    retirement_date: date,
    basic_pension: Decimal | None = None,
    bank_account: str = "",
    awarded_on: date | None = None,
) -> PensionAward:
    """城乡居民养老保险待遇核定 (国发〔2014〕8号 七), the resident branch of
    :func:`award_pension` (the caller has checked the permission and that the person
    is not already a recipient).

    From the resident record (``insurance.resident_record``): someone 60 or older when
    the scheme began where they live (超龄) needs no contribution; with less than 15
    years to 60 then, the years left; else 15 years. Employee-pension months count too,
    overlapping months once, and the employee account joins the resident one (衔接暂行
    办法 art. 3, 5, 8); with 15 or more employee years the person draws the employee
    pension instead (refused here). Amount: the basic pension in force in the first
    month (``resident_basic_pension``, or ``basic_pension`` when given) + the account
    ÷ 139."""
    until = month_of(retirement_date)
    record = insurance.resident_record(session, person.id, until)
    if rules.transfer_direction(record.employee_months) == "to_employee":
        raise RuleViolation(
            f"职工基本养老保险已缴费{record.employee_months}个月（满15年），应将城乡居民养老保险"
            "转入职工基本养老保险，按职工基本养老保险核定待遇（城乡养老保险制度衔接暂行办法第三条）",
            f"{record.employee_months} employee-pension months (15 years or more): the "
            "resident record moves into the employee scheme, which pays the pension "
            "(衔接暂行办法 art. 3)", extra={"employee_months": record.employee_months})
    if record.scheme_start is None:
        raise RuleViolation(
            "本地区城乡居民养老保险制度实施时间未登记（政策参数），暂不能核定",
            "No start date of the resident scheme on record for this region")
    if retirement_date < record.scheme_start:
        raise invalid_field(
            "retirement_date",
            f"本地城乡居民养老保险于{record.scheme_start.isoformat()}实施，领取日期不能早于该日",
            f"the resident scheme began here on {record.scheme_start.isoformat()}")
    start = add_months(until, 1)
    source = "given"
    if basic_pension is None:
        standard = resident_basic_pension(session, person.residence_region, start)
        if standard is None:
            raise invalid_field(
                "resident_basic_pension",
                f"{label(start)} 没有在用的城乡居民基础养老金标准（政策参数），"
                "请填写基础养老金标准",
                f"no resident basic pension in force in {label(start)}")
        basic_pension, source = standard.monthly_amount, f"rulebook:{standard.id}"
    estimate = rules.estimate(rules.EstimateInput(
        scheme="resident", birth_date=person.birth_date, retirement_date=retirement_date,
        contribution_months=record.counted_months, account_balance=record.account_balance,
        basic_pension=basic_pension, resident_scheme_start=record.scheme_start))
    if not estimate.eligible:
        explanation = estimate.explanation
        assert explanation is not None
        extra: dict[str, Any] = {"shortfalls": list(estimate.shortfalls)}
        if estimate.missing_months:
            extra["missing_months"] = estimate.missing_months
        raise RuleViolation(explanation.zh, explanation.en, extra=extra)
    requirement = record.requirement
    basis = {"contribution_months": record.counted_months,
             "resident_months": record.resident_months,
             "employee_months": record.employee_months,
             "overlap_months": record.overlap_months,
             "required_months": estimate.minimum_months,
             "requirement": requirement.kind if requirement else None,
             "scheme_start": record.scheme_start.isoformat(),
             "resident_balance": str(record.resident_balance),
             "employee_balance": str(record.employee_balance),
             "account_balance": str(record.account_balance),
             "refund_amount": str(record.refund_amount),
             "basic_pension": str(basic_pension),
             "basic_pension_source": source,
             "months_divisor": estimate.months_divisor,
             "retirement_date": retirement_date.isoformat()}
    return _put_in_payment(session, actor, person, scheme="resident", start=start,
                           estimate=estimate, basis=basis, bank_account=bank_account,
                           awarded_on=awarded_on)


def _put_in_payment(session: Session, actor: Principal, person: Person, *, scheme: str,
                    start: int, estimate: rules.Estimate, basis: dict[str, Any],
                    bank_account: str, awarded_on: date | None,
                    audit_extra: dict[str, Any] | None = None) -> PensionAward:
    """Record the award and put the person in payment from ``start``; months between
    then and the award (``awarded_on``, default today) are back-paid by the next
    payroll (the same closed-span mechanism as a lifted suspension); awarding
    establishes eligibility, so the certification cycle starts on the award date."""
    award = PensionAward(
        person_id=person.id, version=1, scheme=scheme, effective_month=start,
        basic_amount=estimate.basic_pension, account_amount=estimate.account_pension,
        transitional_amount=estimate.transitional_pension, total_amount=estimate.total,
        basis=json.dumps(basis, ensure_ascii=False), reason="award", actor=actor.username)
    session.add(award)
    certified = awarded_on or date.today()
    session.add(PensionRecipient(person_id=person.id, scheme=scheme, start_month=start,
                                 status="active", last_certified_date=certified,
                                 certification_due_date=certification_due(
                                     session, person.residence_region, certified),
                                 bank_account=bank_account))
    current = month_of(certified)
    if start < current:
        session.add(PensionSuspension(person_id=person.id, from_month=start,
                                      to_month=add_months(current, -1), reason="late_award"))
    session.flush()
    audit.record(session, actor=actor.username, action="pension.award", subject_type="person",
                 subject_id=person.id, payload={"total": str(estimate.total), "start": start,
                                                "scheme": scheme, **(audit_extra or {})})
    return award


def apply_uplift(session: Session, actor: Principal, *, year: int, percent: Decimal,
                 fixed_amount: Decimal, effective_month: str, source: str) -> int:
    """养老金调整: every employee-scheme award in force of a pensioner retired by the end
    of the previous year (``rules.uplift_covers``) gets a new version from
    ``effective_month``: total × (1 + percent) + fixed, the increase added to the basic
    part. Runs once per year (a second run for the year is refused).

    The yearly notice (人社部、财政部《关于调整退休人员基本养老金的通知》) covers retirees
    of enterprises and of government and public institutions, i.e. the employee scheme.
    A resident pensioner's basic pension rises with the resident scheme's own minimum
    standard (``resident_basic_pension`` in the rulebook), not by this uplift."""
    actor.require("pension:award")
    if session.get(PensionUplift, year) is not None:
        raise Conflict(f"{year} 年度调整已执行", f"The {year} uplift has already been applied")
    month = parse_month(effective_month, "effective_month")
    pct_ppm = money.ppm_of(percent)
    fixed_fen = money.to_fen(fixed_amount)
    latest = ("SELECT a.* FROM pension_award a WHERE a.version = (SELECT max(b.version) "
              "FROM pension_award b WHERE b.person_id = a.person_id)")
    new_total = (f"((CAST(ROUND(x.total_amount * 100) AS BIGINT) * {1_000_000 + pct_ppm} "
                 f"+ 500000) / 1000000 + {fixed_fen})")
    count = bulk.execute_count(session, text(
        "INSERT INTO pension_award (person_id, version, scheme, effective_month, basic_amount, "
        "account_amount, transitional_amount, total_amount, basis, reason, created_at, actor) "
        f"SELECT x.person_id, x.version + 1, x.scheme, :month, "
        f"x.basic_amount + ({new_total} - CAST(ROUND(x.total_amount * 100) AS BIGINT)) / 100.0, "
        f"x.account_amount, x.transitional_amount, {new_total} / 100.0, x.basis, :reason, "
        f":now, :actor FROM ({latest}) x JOIN pension_recipient r ON r.person_id = x.person_id "
        "WHERE r.status <> 'stopped' AND x.scheme = 'employee' AND (SELECT "
        "min(c.effective_month) FROM pension_award c WHERE c.person_id = x.person_id) "
        "<= :last_covered"
    ).bindparams(bindparam("now", utcnow(), type_=_timestamp()), month=month,
                 last_covered=rules.uplift_last_covered_month(year),
                 reason=f"uplift:{year}", actor=actor.username))
    session.add(PensionUplift(year=year, percent=percent, fixed_amount=fixed_amount,
                              effective_month=month, source=source, applied_awards=count,
                              actor=actor.username))
    session.flush()
    audit.record(session, actor=actor.username, action="pension.uplift",
                 subject_type="pension_uplift", subject_id=year,
                 payload={"percent": str(percent), "fixed": str(fixed_amount),
                          "awards": count, "source": source})
    return count


def _timestamp() -> DateTime:
    return DateTime(timezone=True)


# --- certification (proof of life) ----------------------------------------------------


def certify(session: Session, actor: Principal, person_id: int, *, method: str,
            on: date | None = None, node: str | None = None,
            evidence: str = "") -> PensionCertification:
    """待遇资格认证: record a successful certification; a suspended payment resumes from
    this month and the suspended months are back-paid in the next payroll."""
    actor.require_any("pension:certify", "pension:self")
    if method not in CERTIFICATION_METHODS:
        raise invalid_field("method", "认证方式无效", "unknown certification method")
    if method == "face" and actor.is_staff:
        raise invalid_field("method", "自助认证须由本人完成", "self-service is done by the person")
    on = on or date.today()
    if on > date.today():
        raise invalid_field("on", "认证日期不能晚于今天", "date in the future")
    person = registry.person_for_write(session, actor, person_id)
    recipient = session.get(PensionRecipient, person.id)
    if recipient is None or recipient.status == "stopped":
        raise Conflict("该人员不在待遇领取中", "Not a pension recipient in payment")
    row = PensionCertification(person_id=person.id, certified_date=on, method=method,
                        node=node or get_settings().node_id, evidence=evidence[:200],
                        actor=actor.username)
    session.add(row)
    recipient.last_certified_date = max(recipient.last_certified_date, on)
    recipient.certification_due_date = certification_due(
        session, person.residence_region, recipient.last_certified_date)
    if recipient.status == "suspended":
        recipient.status = "active"
        resume = month_of(on)
        for suspension in session.scalars(select(PensionSuspension).where(
                PensionSuspension.person_id == person.id, PensionSuspension.to_month.is_(None))):
            if suspension.from_month >= resume:
                session.delete(suspension)  # suspended and resumed within one month
            else:
                suspension.to_month = add_months(resume, -1)
    flush(session)
    audit.record(session, actor=actor.username, action="pension.certify",
                 subject_type="person", subject_id=person.id,
                 payload={"method": method, "on": on.isoformat(), "node": row.node,
                          **({"evidence": row.evidence} if row.evidence else {})})
    return row


def certification_cycle(session: Session, region: str, on: date) -> CertificationCycle:
    """The certification cycle in force for ``region`` on ``on`` (dated data)."""
    row = rulebook.one_in_force(session, CertificationCycle, region, month_of(on))
    if row is None:
        raise RuleViolation("缺少待遇资格认证周期参数（政策参数）",
                            "No certification cycle on record for this region and month")
    return row


def certification_due(session: Session, region: str, last_certified: date) -> date:
    """The next certification due date after ``last_certified`` for a recipient living in
    ``region``, by the cycle in force then (:func:`rules.certification_due_date`)."""
    cycle = certification_cycle(session, region, last_certified)
    return rules.certification_due_date(last_certified, cycle.cycle_months)


@dataclass(frozen=True)
class DueItem:
    person_id: int
    name: str
    region: str
    last_certified_date: date
    certification_due_date: date
    status: str
    reminder_due: bool


#: The orders of the certification due-list (``sort``): the earliest deadline first by
#: default.
DUE_SORTING = Sorting({
    "due": PensionRecipient.certification_due_date,
    "last": PensionRecipient.last_certified_date,
    "name": Person.name,
    "region": Person.residence_region,
}, default="due", tie_breakers=[PensionRecipient.person_id])


def _due_query(actor: Principal, on: date, within_days: int, sort: Sort | None = None
               ) -> Select[PensionRecipient, str, str]:
    horizon = date.fromordinal(on.toordinal() + within_days)
    return (select(PensionRecipient, Person.name, Person.residence_region)
            .join(Person, Person.id == PensionRecipient.person_id)
            .where(PensionRecipient.status != "stopped",
                   PensionRecipient.certification_due_date <= horizon,
                   region_filter(Person.residence_region, actor))
            .order_by(*DUE_SORTING.order_by(sort or DUE_SORTING.default)))


ReminderMonths = Callable[[str], int]


def _reminder_months(session: Session, on: date) -> ReminderMonths:
    """The reminder month of the cycle in force on ``on``, by region (one query)."""
    rows = rulebook.resolver(session, CertificationCycle, month_of(on))

    def of(region: str) -> int:
        found = rows(region)
        if not found:
            raise RuleViolation("缺少待遇资格认证周期参数（政策参数）",
                                "No certification cycle on record for this region")
        return found[0].reminder_months
    return of


def _due_item(row: Any, on: date, reminder_months: ReminderMonths) -> DueItem:
    r, name, region = row
    return DueItem(r.person_id, name, region, r.last_certified_date, r.certification_due_date,
                   r.status,
                   rules.reminder_date(r.last_certified_date, reminder_months(region)) <= on)


def due_list(session: Session, actor: Principal, *, on: date | None = None,
             within_days: int = 31, limit: int = 500) -> list[DueItem]:
    """Recipients whose certification is due within ``within_days`` or overdue
    (suspended), in the actor's region; ``reminder_due`` from the reminder month of the
    cycle in force (month 11 of 12 as seeded) on."""
    actor.require("pension:read")
    on = on or date.today()
    rows = session.execute(_due_query(actor, on, within_days).limit(limit)).all()
    reminder = _reminder_months(session, on)
    return [_due_item(row, on, reminder) for row in rows]


def due_page(session: Session, actor: Principal, *, on: date | None = None,
             within_days: int = 31, page: int = 1, sort: Sort | None = None
             ) -> Listing[DueItem]:
    """One page of :func:`due_list` in the order ``sort`` (one of :data:`DUE_SORTING`'s)
    with the total of the whole list."""
    actor.require("pension:read")
    on = on or date.today()
    listing = paginate(session, _due_query(actor, on, within_days, sort), page,
                       scalars=False)
    reminder = _reminder_months(session, on)
    return replace(listing, rows=[_due_item(row, on, reminder) for row in listing.rows])


def all_due(session: Session, actor: Principal, *, on: date | None = None,
            within_days: int = 31, sort: Sort | None = None) -> Iterator[DueItem]:
    """Every item of :func:`due_list` in the list's order, read in batches (for the Excel
    export)."""
    actor.require("pension:read")
    on = on or date.today()
    rows = session.execute(_due_query(actor, on, within_days, sort)
                           .execution_options(yield_per=2_000))
    reminder = _reminder_months(session, on)
    return (_due_item(row, on, reminder) for row in rows)


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    reminders: int


def due_counts(session: Session, actor: Principal, *, on: date | None = None,
               within_days: int = 31) -> DueCounts:
    """Of the due-list, counted in SQL: active recipients past their due date, and
    active recipients in the reminder month or later of their cycle (the reminder list;
    the reminder month of the cycle in force for the actor's region)."""
    actor.require("pension:read")
    on = on or date.today()
    listed = _due_query(actor, on, within_days).order_by(None).subquery()
    active = listed.c.status == "active"
    reminder = certification_cycle(session, actor.region_code, on).reminder_months
    overdue, reminders = session.execute(select(
        func.count().filter(active & (listed.c.certification_due_date < on)),
        func.count().filter(active & (listed.c.last_certified_date
                                      <= rules.reminded_if_certified_by(on, reminder))),
    ).select_from(listed)).one()
    return DueCounts(int(overdue), int(reminders))


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """The workbench's 待遇资格认证 to-do for staff who register certifications: the
    due-list of the pension page (due within 31 days, or overdue and suspended), its
    overdue part (past the due date) and the nearest coming due date."""
    if not actor.can("pension:certify"):
        return []
    listed = _due_query(actor, today, 31).order_by(None).subquery()
    late = listed.c.certification_due_date < today
    count, overdue, nearest = session.execute(select(
        func.count(), func.count().filter(late),
        func.min(listed.c.certification_due_date).filter(~late),
    ).select_from(listed)).one()
    return [WorkItem("pension.certification", "待遇资格认证到期待办理", int(count),
                     "/pension?within=31#due-list", int(overdue), nearest)]


def reminders_due(session: Session, actor: Principal, *, on: date | None = None) -> int:
    """How many recipients passed the reminder month of their cycle without certifying (the
    reminder list: 12333 SMS and app notices go out from it)."""
    return due_counts(session, actor, on=on, within_days=31).reminders


def suspend_lapsed(session: Session, *, month: int, low: int = 0,
                   high: int = 2**31 - 1) -> int:
    """Suspend everyone whose certification lapsed (due date) before ``month`` began
    (set-based)."""
    params = {"month": month, "low": low, "high": high}
    start = bindparam("month_start", first_day(month), type_=Date())
    session.execute(text(
        "INSERT INTO pension_suspension (person_id, from_month, to_month, reason) "
        "SELECT person_id, :month, NULL, 'certification_lapsed' FROM pension_recipient "
        "WHERE status = 'active' AND certification_due_date < :month_start "
        "AND person_id >= :low AND person_id < :high").bindparams(start), params)
    return bulk.execute_count(session, text(
        "UPDATE pension_recipient SET status = 'suspended', version = version + 1 "
        "WHERE status = 'active' AND certification_due_date < :month_start "
        "AND person_id >= :low AND person_id < :high").bindparams(start).bindparams(
            low=low, high=high))


# --- payroll ------------------------------------------------------------------------------

#: The award in force in a month: the newest version effective by then, found as the
#: version with no newer one effective by then (an anti-join over the range; a
#: correlated ``max()`` per recipient ran twice per row). Every table is limited to the
#: range, so each is read over that range only.
_AWARD_AT = ("JOIN pension_award a ON a.person_id = r.person_id AND a.effective_month <= :month "
             "AND a.person_id >= :low AND a.person_id < :high AND NOT EXISTS (SELECT 1 FROM "
             "pension_award n WHERE n.person_id = a.person_id AND n.effective_month <= :month "
             "AND n.version > a.version AND n.person_id >= :low AND n.person_id < :high)")
_BACK_PAY_AWARD_AT = (
    "JOIN pension_award a ON a.person_id = r.person_id AND a.version = "
    "(SELECT max(b.version) FROM pension_award b WHERE b.person_id = r.person_id "
    "AND b.effective_month <= m.period)")
_PAYMENT_COLUMNS = ("INSERT INTO pension_payment (person_id, benefit_month, payroll_month, "
                    "kind, amount, region, award_id, status, run_id) ")


def _payroll_batch(session: Session, month: int, low: int, high: int, *,
                   status: str = "queued", run_id: int | None = None) -> int:
    """Pay this month's regular payments, back-pay and failed re-queues for one id range
    (``low <= person_id < high``), each payment written once with its final ``status``
    (``sent`` by a run, whose bank file carries it) and ``run_id``."""
    params = {"month": month, "low": low, "high": high, "status": status, "run": run_id}
    month_start = bindparam("month_start", first_day(month), type_=Date())
    run = bindparam("run", run_id, type_=Integer())
    suspend_lapsed(session, month=month, low=low, high=high)
    inserted = bulk.execute_count(session, text(
        _PAYMENT_COLUMNS +
        "SELECT r.person_id, :month, :month, 'regular', a.total_amount, p.residence_region, "
        "a.id, :status, :run FROM pension_recipient r JOIN person p ON p.id = r.person_id "
        + _AWARD_AT +
        " WHERE r.status = 'active' AND r.start_month <= :month "
        "AND (p.death_date IS NULL OR p.death_date >= :month_start) "
        "AND r.person_id >= :low AND r.person_id < :high AND p.id >= :low AND p.id < :high "
        "ON CONFLICT (person_id, benefit_month) DO NOTHING").bindparams(month_start, run)
        .bindparams(**params))
    inserted += bulk.execute_count(session, text(
        _PAYMENT_COLUMNS +
        "SELECT r.person_id, m.period, :month, 'back_pay', a.total_amount, p.residence_region, "
        "a.id, :status, :run FROM pension_suspension s JOIN payroll_months m "
        "ON m.period >= s.from_month AND m.period <= s.to_month "
        "JOIN pension_recipient r ON r.person_id = s.person_id "
        "JOIN person p ON p.id = r.person_id "
        + _BACK_PAY_AWARD_AT +
        " WHERE s.to_month IS NOT NULL AND s.to_month < :month AND r.status = 'active' "
        "AND m.period >= r.start_month AND (p.death_date IS NULL OR p.death_date >= m.first_day) "
        "AND s.person_id >= :low AND s.person_id < :high "
        "ON CONFLICT (person_id, benefit_month) DO NOTHING").bindparams(run)
        .bindparams(**params))
    inserted += bulk.execute_count(session, text(
        "UPDATE pension_payment SET status = :status, payroll_month = :month, run_id = :run, "
        "failure_reason = NULL WHERE status = 'failed' AND payroll_month < :month "
        "AND person_id >= :low AND person_id < :high AND person_id IN "
        "(SELECT person_id FROM pension_recipient WHERE status <> 'stopped')"
    ).bindparams(run).bindparams(**params))
    if status != "queued":
        # Payments queued for this month outside a run (e.g. by hand): the run sends them.
        session.execute(text(
            "UPDATE pension_payment SET status = :status, run_id = :run "
            "WHERE payroll_month = :month AND status = 'queued' "
            "AND person_id >= :low AND person_id < :high").bindparams(run)
            .bindparams(**params))
    return inserted


_BANK_COLUMNS = ["payment_id", "name", "resident_id", "bank_account", "benefit_month", "kind",
                 "amount"]


def _watermarks(session: Session) -> tuple[int, int]:
    """The newest award and certification ids: what a closed run has already seen."""
    award, certification = session.execute(select(
        select(func.coalesce(func.max(PensionAward.id), 0)).scalar_subquery(),
        select(func.coalesce(func.max(PensionCertification.id), 0)).scalar_subquery())).one()
    return int(award), int(certification)


def _closed_result(session: Session, actor: Principal, closed: PensionPayrollRun
                   ) -> PayrollResult:
    """A second run of a closed month: nothing to pay, decided from the closed run's
    ledger row alone. It is recorded as a run that sent nothing (an empty bank file)."""
    content, _, _ = payroll.bank_file(closed.payroll_month, _BANK_COLUMNS, [])
    record = PensionPayrollRun(
        payroll_month=closed.payroll_month, actor=actor.username, finished_at=utcnow(),
        payments=0, total_amount=Decimal("0.00"), control_sum=sm3_hex(content),
        done_below=closed.done_below, award_high=closed.award_high,
        certification_high=closed.certification_high)
    session.add(record)
    session.flush()
    audit.record(session, actor=actor.username, action="pension.payroll",
                 subject_type="payroll_run", subject_id=record.id,
                 payload={"month": record.payroll_month, "queued": 0, "sent": 0,
                          "total": "0.00", "control_sum": record.control_sum,
                          "closed_by": closed.id})
    return PayrollResult(record.id, record.payroll_month, 0, 0, Decimal("0.00"),
                         record.control_sum, content,
                         summary_by_region(session, record.payroll_month))


def run_payroll(factory: sessionmaker[Session], actor: Principal, *, month: str,
                progress: Progress | None = None) -> PayrollResult:
    """养老金发放 for a month: per range of people (``PAYROLL_BATCH`` recipients by
    ``person_id``, each range one transaction), suspend lapsed certifications and pay
    regular payments, back-pay and failed re-queues, written once as ``sent`` with the
    run's id; then write the bank file of the run's payments.

    The run row is the ledger (``done_below``): a crashed run is resumed by running the
    month again, from the first range not done. A second run of a closed month pays no
    one twice and, unless an award or certification was added since it began (a late
    award, a resumed payment), is a no-op decided from the run row alone."""
    actor.require("pension:payroll")
    period = parse_month(month)
    with unit_of_work(factory) as session:
        last = session.scalars(select(PensionPayrollRun)
                               .where(PensionPayrollRun.payroll_month == period)
                               .order_by(PensionPayrollRun.id.desc()).limit(1)).first()
        award_high, certification_high = _watermarks(session)
        if (last is not None and last.finished_at is not None
                and (last.award_high, last.certification_high)
                == (award_high, certification_high)):
            return _closed_result(session, actor, last)
        low, high = session.execute(select(func.min(PensionRecipient.person_id),
                                           func.max(PensionRecipient.person_id))).one()
        if last is None or last.finished_at is not None or last.done_below is None:
            last = PensionPayrollRun(payroll_month=period, actor=actor.username,
                                     done_below=low if low is not None else 0,
                                     award_high=award_high,
                                     certification_high=certification_high)
            session.add(last)
            session.flush()
        run_id, done_below = last.id, int(last.done_below or 0)
    batch = PAYROLL_BATCH
    bounds = list(range(done_below, high + 1, batch)) if high is not None else []
    queued = 0
    for index, start in enumerate(bounds, start=1):
        with unit_of_work(factory) as session:
            _fast_statements(session)
            payroll.stage_months(session, period)
            queued += _payroll_batch(session, period, start, start + batch, status="sent",
                                    run_id=run_id)
            bulk.drop_temp_table(session, "payroll_months")
            session.execute(text(
                "UPDATE pension_payroll_run SET done_below = :done WHERE id = :run"),
                {"done": start + batch, "run": run_id})
        if progress:
            progress(index, len(bounds))
    with unit_of_work(factory) as session:
        count, total, by_region = _run_totals(session, period, run_id)
        content = bank_file(session, period, run_id, count=count, total=total)
        record = session.get_one(PensionPayrollRun, run_id)
        record.finished_at, record.payments, record.total_amount = utcnow(), count, total
        record.control_sum = sm3_hex(content)
        audit.record(session, actor=actor.username, action="pension.payroll",
                     subject_type="payroll_run", subject_id=run_id,
                     payload={"month": period, "queued": queued, "sent": int(count),
                              "total": str(total), "control_sum": record.control_sum})
        control = record.control_sum
    return PayrollResult(run_id, period, queued, int(count), total, control, content,
                         by_region)


def _run_totals(session: Session, month: int, run_id: int
                ) -> tuple[int, Decimal, list[tuple[str, int, Decimal]]]:
    """In one pass over the month's payments: the run's count and total, and the
    month's payments sent or paid by district (:func:`summary_by_region`)."""
    rows = session.execute(text(
        "SELECT region, count(*) FILTER (WHERE status IN ('sent','paid')), "
        "sum(amount) FILTER (WHERE status IN ('sent','paid')), "
        "count(*) FILTER (WHERE run_id = :run), sum(amount) FILTER (WHERE run_id = :run) "
        "FROM pension_payment WHERE payroll_month = :month "
        "AND status IN ('sent','paid','failed') GROUP BY region ORDER BY region"),
        {"month": month, "run": run_id}).all()
    by_region = [(region, int(sent), to_money(amount)) for region, sent, amount, _, _ in rows
                 if sent]
    count = sum(int(n) for *_, n, _ in rows)
    total = sum((to_money(a) for *_, a in rows if a is not None), Decimal("0.00"))
    return count, to_money(total), by_region


def _fast_statements(session: Session) -> None:
    """PostgreSQL, for this transaction: no JIT (compiling the range statements cost more
    than running them) and room to hash and sort in memory."""
    if bulk.dialect_name(session) == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '128MB'"))


_BANK_SELECT = (
    "SELECT pp.id, p.name, p.resident_id, {account}, {month}, pp.kind, pp.amount "
    "FROM pension_payment pp JOIN person p ON p.id = pp.person_id "
    "JOIN pension_recipient r ON r.person_id = pp.person_id "
    "WHERE pp.payroll_month = {payroll} AND pp.status IN ('sent','paid','failed') "
    "AND pp.run_id = {run} ORDER BY pp.id")


def bank_file(session: Session, month: int, run_id: int, *, count: int,
              total: Decimal) -> bytes:
    """The disbursement file of run ``run_id`` (see :func:`payroll.bank_file`): on
    PostgreSQL written by the database (``COPY … TO STDOUT``, CSV as Python's writer
    makes it), on SQLite through Python; ``count`` and ``total`` make its last line."""
    _fast_statements(session)
    if bulk.dialect_name(session) != "postgresql":
        rows = session.execute(text(_BANK_SELECT.format(
            account="r.bank_account", month="pp.benefit_month", payroll=":month", run=":run")),
            {"month": month, "run": run_id}).all()
        content, _, _ = payroll.bank_file(
            month, _BANK_COLUMNS,
            ((i, n, rid, acc, label(b), k, a) for i, n, rid, acc, b, k, a in rows))
        return content
    # Merge joins over the primary keys, sorted in memory: the nested loops planned for
    # payments just written (statistics of an empty table) looked up person and
    # recipient once per payment (5.1 s for 1,000,000 payments, against 2.5 s).
    session.execute(text("SET LOCAL enable_nestloop = off"))
    session.execute(text("SET LOCAL enable_hashjoin = off"))
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    head, _, _ = payroll.bank_file(month, _BANK_COLUMNS, [])
    header = head.split(b"\n", 1)[0]
    # An empty text as NULL: COPY quotes an empty string, Python's writer does not.
    select_sql = _BANK_SELECT.format(
        account="NULLIF(r.bank_account, '')",
        month="(pp.benefit_month / 100)::text || '-' || lpad((pp.benefit_month % 100)::text, "
              "2, '0')",
        payroll=str(int(month)), run=str(int(run_id)))
    out = io.BytesIO()
    out.write(header + b"\n")
    connection = session.connection().connection.driver_connection
    assert connection is not None
    with connection.cursor() as cursor, cursor.copy(
            f"COPY ({select_sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            out.write(chunk)
    padding = [""] * (len(_BANK_COLUMNS) - 4)
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(
        ["TOTAL", count, *padding, label(month), f"{total:.2f}"])
    out.write(line.getvalue().encode("utf-8"))
    return out.getvalue()


def summary_by_region(session: Session, month: int) -> list[tuple[str, int, Decimal]]:
    """Payments sent or paid in a payroll month, by district."""
    return payroll.summary_by_region(session, PensionPayment, month)


def reconcile(session: Session, actor: Principal, *, month: str,
              failures: list[tuple[int, str]]) -> tuple[int, int]:
    """Bank returns: the listed payments failed (re-queued next month), every other
    payment sent in this payroll is paid. Returns (paid, failed)."""
    actor.require("pension:payroll")
    return payroll.reconcile(session, actor, PensionPayment, month=parse_month(month),
                             failures=failures, audit_action="pension.reconcile")


# --- death ------------------------------------------------------------------------------


def stop_on_death(session: Session, actor: Principal, person_id: int, death_date: date) -> int:
    """A death stops payment from the month after death: queued payments for later months
    are cancelled and sent or paid ones become overpayments to recover (待遇追回).
    Returns the number of overpaid months."""
    recipient = session.get(PensionRecipient, person_id)
    if recipient is None:
        return 0
    recipient.status = "stopped"
    last = month_of(death_date)
    session.execute(text("UPDATE pension_payment SET status = 'cancelled' WHERE person_id = :p "
                         "AND benefit_month > :last AND status IN ('queued','failed')"),
                    {"p": person_id, "last": last})
    overpaid = bulk.execute_count(session, text(
        "INSERT INTO pension_overpayment (person_id, benefit_month, amount, status, created_at) "
        "SELECT person_id, benefit_month, amount, 'to_recover', :now FROM pension_payment "
        "WHERE person_id = :p AND benefit_month > :last AND status IN ('sent','paid') "
        "ON CONFLICT (person_id, benefit_month) DO NOTHING"
    ).bindparams(bindparam("now", utcnow(), type_=_timestamp()), p=person_id, last=last))
    session.flush()
    audit.record(session, actor=actor.username, action="pension.stop_on_death",
                 subject_type="person", subject_id=person_id,
                 payload={"death_date": death_date.isoformat(), "overpaid_months": overpaid})
    return overpaid


def overpayments_of(session: Session, actor: Principal, person_id: int) -> list[PensionOverpayment]:
    registry.person_for_read(session, actor, person_id)
    return list(session.scalars(
        select(PensionOverpayment).where(PensionOverpayment.person_id == person_id)
        .order_by(PensionOverpayment.benefit_month)))


# --- who is in payment, certified and paid: the definitions the pages and the scorecard share


#: A benefit month counts as paid (已发) once a payroll carries it: queued by the run,
#: sent in the bank file or confirmed; one the bank returned (failed) or cancelled is not.
PAID_STATUSES = ("queued", "sent", "paid")

Month = int | ColumnElement[int]


def _death_month() -> ColumnElement[int]:
    return (extract("year", Person.death_date) * 100
            + extract("month", Person.death_date))


def in_payment(month: Month) -> list[ColumnElement[bool]]:
    """领取养老金（在发放中） in ``month`` (``YYYYMM``, a number or an SQL expression), for a
    query over ``pension_recipient`` joined to ``person``: payment began that month or
    earlier, the person was alive at the month's end (a stop is a death: a recipient
    stopped by a later death still counts), and payment was not suspended that month
    (暂停发放, e.g. for a lapsed certification)."""
    suspended = exists().where(
        PensionSuspension.person_id == PensionRecipient.person_id,
        PensionSuspension.from_month <= month,
        or_(PensionSuspension.to_month.is_(None), PensionSuspension.to_month >= month))
    return [PensionRecipient.start_month <= month,
            or_(_death_month() > month,
                and_(Person.death_date.is_(None), PensionRecipient.status != "stopped")),
            ~suspended]


def pensioners_select(month: int, within: ColumnElement[bool],
                      key: ColumnElement[Any]) -> Select[Any]:
    """People in payment in ``month`` per ``key``: ``(key, people)`` (one recipient
    record a person; counted where they live)."""
    return (select(key, func.count()).select_from(PensionRecipient)
            .join(Person, Person.id == PensionRecipient.person_id)
            .where(within, *in_payment(month)).group_by(key))


def certified_within_cycle(month: int, end: date) -> ColumnElement[bool]:
    """The recipient holds a certification (待遇资格认证) still valid at ``end``, the last
    day of ``month``: one made on or before ``end`` whose next due date,
    ``cycle_months`` later by the cycle in force in ``month`` for the person's region
    (:class:`CertificationCycle`), falls after ``end``. As ``end`` is a month's last
    day, that is a certification made in one of the ``cycle_months`` months up to and
    including ``month`` (12: 2020-01-01 … 2020-12-31 for December 2020)."""
    cycle = CertificationCycle
    cycle_months = (select(cycle.cycle_months).where(
        Person.residence_region.like(cycle.region_prefix + "%"), cycle.valid_from <= month,
        or_(cycle.valid_to.is_(None), cycle.valid_to >= month))
        .order_by(func.length(cycle.region_prefix).desc(), cycle.valid_from.desc())
        .limit(1).correlate(Person).scalar_subquery())
    made = PensionCertification.certified_date
    month_index = (end.year * 12 + end.month)
    return exists().where(
        PensionCertification.person_id == PensionRecipient.person_id, made <= end,
        extract("year", made) * 12 + extract("month", made) > month_index - cycle_months)


def last_certified(end: date) -> ColumnElement[Any]:
    """The recipient's latest certification on or before ``end`` (for record lists)."""
    return (select(func.max(PensionCertification.certified_date))
            .where(PensionCertification.person_id == PensionRecipient.person_id,
                   PensionCertification.certified_date <= end)
            .correlate(PensionRecipient).scalar_subquery())


def certification_select(month: int, end: date, within: ColumnElement[bool],
                         key: ColumnElement[Any]) -> Select[Any]:
    """Certification of people in payment per ``key``: ``(key, certified within the
    cycle, in payment)``."""
    return (select(key, func.count().filter(certified_within_cycle(month, end)), func.count())
            .select_from(PensionRecipient)
            .join(Person, Person.id == PensionRecipient.person_id)
            .where(within, *in_payment(month)).group_by(key))


def last_payroll_month(first: int, last: int) -> ColumnElement[int]:
    """SQL: the latest month of ``first``…``last`` whose payroll has run to the end (the
    month 应发尽发 is read at: the current month's payroll may not have run yet)."""
    run = PensionPayrollRun
    return (select(func.max(run.payroll_month))
            .where(run.payroll_month >= first, run.payroll_month <= last,
                   run.finished_at.is_not(None)).scalar_subquery())


def benefit_paid(month: Month) -> ColumnElement[bool]:
    """The recipient's benefit for ``month`` was paid (:data:`PAID_STATUSES`)."""
    return exists().where(PensionPayment.person_id == PensionRecipient.person_id,
                          PensionPayment.benefit_month == month,
                          PensionPayment.status.in_(PAID_STATUSES))


def poverty_eligible(month: Month) -> list[ColumnElement[bool]]:
    """应发 in ``month``: in payment that month and on the poverty register
    (建档立卡贫困人口, ``insurance.poverty_registered``) at some time in it."""
    return [*in_payment(month), insurance.poverty_registered(month, month)]


def poverty_benefit_select(month: Month, within: ColumnElement[bool],
                           key: ColumnElement[Any]) -> Select[Any]:
    """应发尽发 per ``key``: ``(key, paid, eligible)`` for the benefit ``month``."""
    return (select(key, func.count().filter(benefit_paid(month)), func.count())
            .select_from(PensionRecipient)
            .join(Person, Person.id == PensionRecipient.person_id)
            .where(within, *poverty_eligible(month)).group_by(key))


# --- the three 100 % for poverty-registered people ----------------------------------------


@dataclass(frozen=True)
class DistrictChecks:
    region: str
    should_enrol: int
    enrolled: int
    should_pay: int
    paid: int
    eligible_benefit: int
    paid_benefit: int


@dataclass(frozen=True)
class PovertyReport:
    """建档立卡贫困人员 三个100%: 应保尽保 (enrolled ÷ should), 应缴尽缴 (paid ÷ should
    pay, by themselves or the government), 应发尽发 (benefit paid for ``month`` ÷
    poverty-registered people in payment that month), per district as divided today,
    with who falls short."""

    region: str
    year: int
    month: int
    districts: list[DistrictChecks]
    not_enrolled_ids: list[int]
    not_paid_ids: list[int]
    benefit_not_paid_ids: list[int]


def poverty_report(session: Session, actor: Principal, *, region: str = "", year: int,
                   month: str) -> PovertyReport:
    """The three 100 %: the first two from the insurance domain's poverty checks, 应发尽发
    from :func:`poverty_benefit_select` (the scorecard's definitions)."""
    actor.require("pension:read")
    period = parse_month(month)
    checks = insurance.poverty_checks(session, actor, region=region, year=year)
    within = regions.within_sql(Person.residence_region, checks.region)
    district = regions.rollup_sql(Person.residence_region)
    benefit = {str(row[0]): (int(row[2]), int(row[1])) for row in session.execute(
        poverty_benefit_select(period, within, district))}
    short = list(session.scalars(
        select(PensionRecipient.person_id).join(Person, Person.id == PensionRecipient.person_id)
        .where(within, *poverty_eligible(period), ~benefit_paid(period))
        .order_by(PensionRecipient.person_id).limit(200)))
    codes = sorted({d[0] for d in checks.districts} | set(benefit))
    by_region = {d[0]: d for d in checks.districts}
    districts = []
    for code in codes:
        _, should, enrolled, should_pay, paid_count = by_region.get(code, (code, 0, 0, 0, 0))
        eligible, paid_benefit = benefit.get(code, (0, 0))
        districts.append(DistrictChecks(code, should, enrolled, should_pay, paid_count,
                                        eligible, paid_benefit))
    return PovertyReport(checks.region, year, period, districts, checks.not_enrolled_ids,
                         checks.not_paid_ids, short)


# --- views ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PensionView:
    recipient: PensionRecipient
    awards: list[PensionAward]
    payments: list[PensionPayment]
    overpayments: list[PensionOverpayment]


def pension_view(session: Session, actor: Principal, person_id: int, *,
                 audit_read: bool = True, months: int = 24) -> PensionView:
    """A recipient's state, award history (newest first) and recent payments."""
    person = registry.person_for_read(session, actor, person_id)
    recipient = session.get(PensionRecipient, person.id)
    if recipient is None:
        raise NotFound("该人员没有养老金待遇记录", "No pension for this person")
    if actor.is_staff and audit_read:
        audit.record(session, actor=actor.username, action="pension.read",
                     subject_type="person", subject_id=person.id)
    awards = session.scalars(select(PensionAward).where(PensionAward.person_id == person.id)
                             .order_by(PensionAward.version.desc())).all()
    payments = session.scalars(select(PensionPayment)
                               .where(PensionPayment.person_id == person.id)
                               .order_by(PensionPayment.benefit_month.desc())
                               .limit(months)).all()
    over = session.scalars(
        select(PensionOverpayment).where(PensionOverpayment.person_id == person.id)
        .order_by(PensionOverpayment.benefit_month)).all()
    return PensionView(recipient, list(awards), list(payments), list(over))


def disbursement_list(session: Session, actor: Principal, *, month: str) -> bytes:
    """Everything a payroll month carried (sent, paid or failed), as CSV for the bank
    reconciliation desk; full identities, so the download is audited."""
    actor.require("pension:payroll")
    period = parse_month(month)
    rows = session.execute(
        select(PensionPayment.id, Person.name, Person.resident_id,
               PensionRecipient.bank_account, PensionPayment.benefit_month,
               PensionPayment.kind, PensionPayment.amount, PensionPayment.status)
        .join(Person, Person.id == PensionPayment.person_id)
        .join(PensionRecipient, PensionRecipient.person_id == PensionPayment.person_id)
        .where(PensionPayment.payroll_month == period,
               PensionPayment.status.in_(("sent", "paid", "failed")))
        .order_by(PensionPayment.id)).all()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["payment_id", "name", "resident_id", "bank_account", "benefit_month",
                     "kind", "amount", "status"])
    for payment_id, name, rid, account, benefit, kind, amount, status in rows:
        writer.writerow([payment_id, name, rid, account, label(benefit), kind,
                         f"{to_money(amount):.2f}", status])
    audit.record(session, actor=actor.username, action="pension.disbursement_download",
                 subject_type="payroll_month", subject_id=period, payload={"rows": len(rows)})
    return out.getvalue().encode("utf-8")


# --- read models for the pages (read-only) ---------------------------------------------


def recipient_status(session: Session, person_id: int) -> str | None:
    """The person's payment status (``active``, ``suspended``, ``stopped``), ``None``
    when they have no pension record. The caller has already read the person in its
    scope (or is about to act on them through a service that checks it)."""
    return session.scalar(select(PensionRecipient.status)
                          .where(PensionRecipient.person_id == person_id))


def is_recipient(session: Session, person_id: int) -> bool:
    """Whether the person has a pension record (in payment, suspended or stopped)."""
    return recipient_status(session, person_id) is not None


def recipient_statuses(session: Session, actor: Principal,
                       person_ids: list[int]) -> dict[int, str]:
    """``{person_id: status}`` of those of ``person_ids`` who have a pension record, in
    the actor's region (one query for a list of search results)."""
    actor.require("pension:read")
    if not person_ids:
        return {}
    rows = session.execute(
        select(PensionRecipient.person_id, PensionRecipient.status)
        .join(Person, Person.id == PensionRecipient.person_id)
        .where(PensionRecipient.person_id.in_(person_ids),
               region_filter(Person.residence_region, actor))).all()
    return {person_id: status for person_id, status in rows}


def recipient_counts(session: Session, actor: Principal) -> dict[str, int]:
    """Recipients in the actor's region by payment status (``active``, ``suspended``,
    ``stopped``; every status present, 0 when none)."""
    actor.require("pension:read")
    rows = session.execute(
        select(PensionRecipient.status, func.count())
        .join(Person, Person.id == PensionRecipient.person_id)
        .where(region_filter(Person.residence_region, actor))
        .group_by(PensionRecipient.status)).all()
    counts = {"active": 0, "suspended": 0, "stopped": 0}
    counts.update({status: int(count) for status, count in rows})
    return counts


def certifications_of(session: Session, actor: Principal, person_id: int, *,
                      limit: int = 10) -> list[PensionCertification]:
    """A person's certifications, newest first (staff in scope, or the person)."""
    person = registry.person_for_read(session, actor, person_id)
    return list(session.scalars(
        select(PensionCertification).where(PensionCertification.person_id == person.id)
        .order_by(PensionCertification.certified_date.desc(), PensionCertification.id.desc())
        .limit(limit)))


def payroll_runs(session: Session, actor: Principal, *, month: int | None = None,
                 limit: int = 24) -> list[PensionPayrollRun]:
    """Payroll runs, newest first (of one month when ``month`` is given). A run with no
    ``finished_at`` is running, or crashed and completed by running the month again."""
    actor.require("pension:payroll")
    stmt = select(PensionPayrollRun)
    if month is not None:
        stmt = stmt.where(PensionPayrollRun.payroll_month == month)
    return list(session.scalars(stmt.order_by(PensionPayrollRun.id.desc()).limit(limit)))


def payroll_status_counts(session: Session, actor: Principal,
                          month: int) -> dict[str, tuple[int, Decimal]]:
    """What a payroll month carries by payment status: ``{status: (count, amount)}``
    for every status (queued, sent, paid, failed, cancelled), zeros when none."""
    actor.require("pension:payroll")
    rows = session.execute(
        select(PensionPayment.status, func.count(), func.sum(PensionPayment.amount))
        .where(PensionPayment.payroll_month == month)
        .group_by(PensionPayment.status)).all()
    counts = {status: (0, Decimal("0.00"))
              for status in ("queued", "sent", "paid", "failed", "cancelled")}
    counts.update({status: (int(count), to_money(amount)) for status, count, amount in rows})
    return counts
