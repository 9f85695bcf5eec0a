"""Insurance use cases: enrolment, contribution rules, monthly assessment, payments,
resident pension and government-paid contributions, coverage.

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s and write audit events. The monthly assessment is set-based SQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Select, bindparam, case, func, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import (
    EMPLOYEE_SCHEMES,
    AssessmentRun,
    Contribution,
    ContributionRule,
    EmployerPayment,
    Enrolment,
    GovernmentPaymentRule,
    PersonDesignation,
    ResidentPensionGrade,
)
from minsheng.hrss.insurance.schemas import (
    ContributionRead,
    EmployerMonth,
    EnrolmentCreate,
    EnrolmentEnd,
    EnrolmentRead,
    HireRequest,
    LeaveRequest,
    ResidentPayment,
)
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import bulk, money, regions
from minsheng.platform.db import flush, unit_of_work, utcnow
from minsheng.platform.errors import Conflict, NotFound, RuleViolation, invalid_field
from minsheng.platform.money import to_money
from minsheng.platform.months import add_months, first_day, label, month_of, parse_month
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter

SCHEME_LABELS = {
    "employee_pension": "职工基本养老保险",
    "resident_pension": "城乡居民基本养老保险",
    "unemployment": "失业保险",
    "work_injury": "工伤保险",
}
#: Contributions of month M are in arrears once this many months have passed after M
#: unpaid (local collection practice, ✘ unconfirmed: a setting, not law).
ARREARS_AFTER_MONTHS = 1


# --- enrolment ----------------------------------------------------------------------


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


def employer_for(session: Session, actor: Principal, employer_id: int) -> Employer:
    """The employer an account acts for (its own), or one in a staff member's scope."""
    if actor.employer_id == employer_id:
        employer = session.get(Employer, employer_id)
        if employer is not None:
            return employer
    return registry.read_employer(session, actor, employer_id)


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
    enrolment.end_month, enrolment.end_reason = end, reason or None
    flush(session)
    audit.record(session, actor=actor.username, action="enrolment.end", subject_type="enrolment",
                 subject_id=enrolment.id, payload={"end": end, "reason": reason})
    return enrolment


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


def _acting_for_employer(actor: Principal) -> Principal:
    """An employer account acts on its own employees wherever they live."""
    if actor.employer_id is None:
        return actor
    return Principal(user_id=actor.user_id, username=actor.username, role="clerk",
                     region_code="", employer_id=actor.employer_id)


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


def contributions_of(session: Session, actor: Principal, person_id: int,
                     year: int | None = None) -> list[ContributionRead]:
    registry.person_for_read(session, actor, person_id)
    stmt = select(Contribution).where(Contribution.person_id == person_id)
    if year is not None:
        stmt = stmt.where(Contribution.period.between(year * 100 + 1, year * 100 + 12))
    rows = session.scalars(stmt.order_by(Contribution.period.desc(), Contribution.scheme))
    return [
        ContributionRead(
            period=label(c.period), scheme=c.scheme,
            scheme_label=SCHEME_LABELS[c.scheme], employer_id=c.employer_id,
            declared_wage=c.declared_wage, base=c.base, clamp=c.clamp,
            employer_amount=c.employer_amount, personal_amount=c.personal_amount,
            government_amount=c.government_amount, subsidy_amount=c.subsidy_amount,
            status=c.status)
        for c in rows
    ]


# --- rules as data ------------------------------------------------------------------


def rules_in_force(session: Session, period: int) -> list[ContributionRule]:
    return list(session.scalars(select(ContributionRule).where(
        ContributionRule.valid_from <= period,
        or_(ContributionRule.valid_to.is_(None), ContributionRule.valid_to >= period))))


def _best_rule(candidates: Sequence[ContributionRule], region: str) -> ContributionRule | None:
    matching = [r for r in candidates if region.startswith(r.region_prefix)]
    return max(matching, key=lambda r: len(r.region_prefix), default=None)


def rule_for(session: Session, region: str, period: int) -> ContributionRule | None:
    """The rule of the longest region prefix that covers ``region`` in ``period``."""
    return _best_rule(rules_in_force(session, period), region)


@dataclass(frozen=True)
class RuleInput:
    region_prefix: str
    valid_from: str
    valid_to: str | None
    average_wage: Decimal
    pension_employer: Decimal
    pension_personal: Decimal
    unemployment_employer: Decimal
    unemployment_personal: Decimal
    work_injury: Sequence[Decimal]
    source: str
    floor_ratio: Decimal = Decimal("0.6")
    ceiling_ratio: Decimal = Decimal("3")


def add_rule(session: Session, actor: Principal, data: RuleInput) -> ContributionRule:
    """Publish the contribution parameters of a region from a month on."""
    actor.require("insurance:rules")
    if len(data.work_injury) != 8:
        raise invalid_field("work_injury", "工伤保险费率须按8个行业风险类别给出",
                            "give eight work-injury rates, one per risk class")
    start = parse_month(data.valid_from, "valid_from")
    end = parse_month(data.valid_to, "valid_to") if data.valid_to else None
    if not data.source.strip():
        raise invalid_field("source", "须注明发布依据", "cite the published source")
    overlapping = session.scalars(select(ContributionRule).where(
        ContributionRule.region_prefix == data.region_prefix,
        or_(ContributionRule.valid_to.is_(None), ContributionRule.valid_to >= start),
        ContributionRule.valid_from <= (end or 999_912))).first()
    if overlapping is not None:
        raise Conflict("该地区该期间已有缴费参数", "A rule already covers this region and period",
                       extra={"rule_id": overlapping.id})
    rule = ContributionRule(
        region_prefix=data.region_prefix, valid_from=start, valid_to=end,
        average_wage=data.average_wage, floor_ppm=money.ppm_of(data.floor_ratio),
        ceiling_ppm=money.ppm_of(data.ceiling_ratio),
        pension_employer_ppm=money.ppm_of(data.pension_employer),
        pension_personal_ppm=money.ppm_of(data.pension_personal),
        unemployment_employer_ppm=money.ppm_of(data.unemployment_employer),
        unemployment_personal_ppm=money.ppm_of(data.unemployment_personal),
        work_injury_ppm=json.dumps([money.ppm_of(r) for r in data.work_injury]),
        source=data.source.strip())
    session.add(rule)
    session.flush()
    audit.record(session, actor=actor.username, action="contribution_rule.create",
                 subject_type="contribution_rule", subject_id=rule.id,
                 payload={"region": data.region_prefix, "from": start, "to": end,
                          "source": rule.source})
    return rule


# --- monthly assessment -------------------------------------------------------------

_RULE_STAGE = (
    "region VARCHAR(6) PRIMARY KEY, rule_id INTEGER, floor_fen BIGINT, ceiling_fen BIGINT, "
    "pe BIGINT, pp BIGINT, ue BIGINT, up BIGINT, "
    + ", ".join(f"wi{i} BIGINT" for i in range(1, 9))
)
_BASE_FEN = (
    "CASE WHEN e.declared_wage IS NULL "
    "OR CAST(ROUND(e.declared_wage * 100) AS BIGINT) < r.floor_fen THEN r.floor_fen "
    "WHEN CAST(ROUND(e.declared_wage * 100) AS BIGINT) > r.ceiling_fen THEN r.ceiling_fen "
    "ELSE CAST(ROUND(e.declared_wage * 100) AS BIGINT) END"
)
_CLAMP = (
    "CASE WHEN e.declared_wage IS NULL "
    "OR CAST(ROUND(e.declared_wage * 100) AS BIGINT) < r.floor_fen THEN 'floor' "
    "WHEN CAST(ROUND(e.declared_wage * 100) AS BIGINT) > r.ceiling_fen THEN 'ceiling' END"
)
_WORK_INJURY = "CASE emp.work_injury_risk_class " + " ".join(
    f"WHEN {i} THEN r.wi{i}" for i in range(1, 9)) + " END"


def _assessment_sql() -> str:
    """The whole arithmetic of ``rules.assess`` in one INSERT ... SELECT over a range of
    people: employees at their employer's region, flexible workers (no employer) at
    their residence, paying the combined pension rate themselves (国发〔2005〕38号)."""
    region = "COALESCE(emp.region, p.residence_region)"
    er = (f"CASE WHEN emp.id IS NULL THEN 0 WHEN e.scheme = 'employee_pension' THEN r.pe "
          f"WHEN e.scheme = 'unemployment' THEN r.ue ELSE {_WORK_INJURY} END")
    pr = ("CASE WHEN emp.id IS NULL THEN r.pe + r.pp WHEN e.scheme = 'employee_pension' "
          "THEN r.pp WHEN e.scheme = 'unemployment' THEN r.up ELSE 0 END")
    return (
        "INSERT INTO contribution (person_id, period, scheme, employer_id, region, declared_wage, "
        "base, clamp, employer_amount, personal_amount, government_amount, subsidy_amount, "
        "status, rule_id, run_id) "
        "SELECT x.person_id, :period, x.scheme, x.employer_id, x.region, x.declared_wage, "
        "x.base_fen / 100.0, x.clamp, ((x.base_fen * x.er + 500000) / 1000000) / 100.0, "
        "((x.base_fen * x.pr + 500000) / 1000000) / 100.0, 0, 0, 'due', x.rule_id, :run_id "
        f"FROM (SELECT e.person_id, e.scheme, e.employer_id, {region} AS region, "
        f"e.declared_wage, r.rule_id, {_BASE_FEN} AS base_fen, {_CLAMP} AS clamp, "
        f"{er} AS er, {pr} AS pr "
        "FROM enrolment e JOIN person p ON p.id = e.person_id "
        "LEFT JOIN employer emp ON emp.id = e.employer_id "
        f"JOIN assess_rule r ON r.region = {region} "
        "WHERE e.person_id >= :low AND e.person_id < :high "
        "AND e.scheme IN ('employee_pension','unemployment','work_injury') "
        f"AND {region} LIKE :like "
        "AND e.start_month <= :period AND (e.end_month IS NULL OR e.end_month >= :period) "
        "AND (p.death_date IS NULL OR p.death_date >= :month_start)) x "
        "WHERE true ON CONFLICT (person_id, period, scheme) DO NOTHING"
    )


def _stage_rules(session: Session, period: int, prefix: str) -> list[str]:
    """Resolve the rule of every division code under ``prefix`` into a scratch table."""
    codes = [c for c in regions.all_codes() if c.startswith(prefix)
             and regions.is_county_level(c)]
    in_force = rules_in_force(session, period)
    rows = []
    for code in codes:
        rule = _best_rule(in_force, code)
        if rule is None:
            continue
        average = money.to_fen(rule.average_wage)
        rows.append((code, rule.id, money.share_fen(average, rule.floor_ppm),
                     money.share_fen(average, rule.ceiling_ppm), rule.pension_employer_ppm,
                     rule.pension_personal_ppm, rule.unemployment_employer_ppm,
                     rule.unemployment_personal_ppm, *json.loads(rule.work_injury_ppm)))
    bulk.create_temp_table(session, "assess_rule", _RULE_STAGE)
    bulk.load_rows(session, "assess_rule",
                   ("region", "rule_id", "floor_fen", "ceiling_fen", "pe", "pp", "ue", "up",
                    *(f"wi{i}" for i in range(1, 9))), rows)
    return [r[0] for r in rows]


def _active(period: int) -> str:
    return f"e.start_month <= {period} AND (e.end_month IS NULL OR e.end_month >= {period})"


def _precheck(session: Session, period: int, prefix: str) -> None:
    """Refuse the whole run when a county under ``prefix`` with enrolments to assess has
    no rule, or an employer lacks a work-injury risk class: never a silent zero."""
    like = prefix + "%"
    missing_rule = session.execute(text(
        "SELECT DISTINCT emp.region FROM enrolment e JOIN employer emp ON emp.id = e.employer_id "
        f"LEFT JOIN assess_rule r ON r.region = emp.region WHERE emp.region LIKE :like "
        f"AND r.region IS NULL AND e.scheme <> 'resident_pension' AND {_active(period)} "
        "UNION SELECT DISTINCT p.residence_region FROM enrolment e JOIN person p "
        "ON p.id = e.person_id LEFT JOIN assess_rule r ON r.region = p.residence_region "
        "WHERE p.residence_region LIKE :like AND r.region IS NULL AND e.employer_id IS NULL "
        f"AND e.scheme = 'employee_pension' AND {_active(period)}"), {"like": like}
    ).scalars().all()
    if missing_rule:
        names = "、".join(f"{c}（{regions.name_of(c) or '?'}）" for c in sorted(missing_rule))
        raise RuleViolation(
            f"{label(period)} 缺少以下地区的缴费参数：{names}；未作任何核定",
            f"No contribution rule for {label(period)} in {', '.join(sorted(missing_rule))}; "
            "nothing was assessed", extra={"regions": sorted(missing_rule)})
    no_class = session.execute(text(
        "SELECT DISTINCT emp.id, emp.name FROM enrolment e JOIN employer emp "
        "ON emp.id = e.employer_id WHERE emp.region LIKE :like AND e.scheme = 'work_injury' "
        f"AND emp.work_injury_risk_class IS NULL AND {_active(period)}"), {"like": like}).all()
    if no_class:
        listed = "、".join(f"{name}（{i}）" for i, name in no_class[:10])
        raise RuleViolation(
            f"以下单位未核定工伤保险行业风险类别，无法确定费率：{listed}；未作任何核定",
            "Employers without a work-injury risk class (rate unknown); nothing was assessed",
            extra={"employer_ids": [i for i, _ in no_class]})


def assess_batch(session: Session, *, period: int, prefix: str, low: int, high: int,
                 run_id: int | None) -> int:
    """Assess people with ``low <= person_id < high`` in the caller's transaction (the
    ``assess_rule`` scratch table of ``_stage_rules`` must exist); returns rows inserted."""
    statement = text(_assessment_sql()).bindparams(
        bindparam("month_start", first_day(period), type_=Date()))
    return bulk.execute_count(session, statement.bindparams(
        period=period, like=prefix + "%", low=low, high=high, run_id=run_id))


#: People per transaction of the monthly run (ranges of ``person_id``, the partition key).
ASSESS_BATCH = 200_000


Progress = Callable[[str, int, int], None]


def assess_month(
    factory: sessionmaker[Session],
    actor: Principal,
    *,
    month: str,
    region_prefix: str = "",
    progress: Progress | None = None,
) -> AssessmentRun:
    """Monthly contribution assessment (缴费核定) for every employer and flexible worker
    under ``region_prefix``: one set-based INSERT ... SELECT per range of people, each
    range its own transaction. Idempotent: a second run inserts nothing; an interrupted
    run is finished by running it again."""
    actor.require("insurance:assess")
    period = parse_month(month)
    prefix = regions.scope_prefix(region_prefix) if region_prefix else actor.region_prefix
    if not actor.sees_region(prefix.ljust(6, "0")) and prefix:
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    with unit_of_work(factory) as session:
        _stage_rules(session, period, prefix)
        _precheck(session, period, prefix)
        low, high = session.execute(select(func.min(Person.id), func.max(Person.id))).one()
        run = AssessmentRun(period=period, region_prefix=prefix, actor=actor.username)
        session.add(run)
        session.flush()
        run_id = run.id
    total = 0
    bounds = list(range(low or 0, (high or 0) + 1, ASSESS_BATCH)) if high else []
    for index, start in enumerate(bounds, start=1):
        with unit_of_work(factory) as session:
            _stage_rules(session, period, prefix)
            total += assess_batch(session, period=period, prefix=prefix, low=start,
                                  high=start + ASSESS_BATCH, run_id=run_id)
        if progress:
            progress(f"{index}/{len(bounds)}", index, len(bounds))
    with unit_of_work(factory) as session:
        run = session.get_one(AssessmentRun, run_id)
        run.finished_at, run.inserted_rows = utcnow(), total
        audit.record(session, actor=actor.username, action="contribution.assess",
                     subject_type="assessment_run", subject_id=run_id,
                     payload={"period": period, "region": prefix, "inserted": total,
                              "batches": len(bounds)})
    return run


# --- employer accounts: what is owed, payments, arrears -----------------------------


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
        "arrears" if is_in_arrears(period, today or date.today()) else "due")
    return EmployerMonth(period=label(period), employer_id=employer.id, people=people,
                         employer_amount=to_money(er), personal_amount=to_money(pr),
                         total=to_money(er) + to_money(pr), status=status)


def is_in_arrears(period: int, today: date) -> bool:
    return add_months(period, ARREARS_AFTER_MONTHS) < month_of(today)


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


def employers_in_arrears(session: Session, actor: Principal, *, today: date | None = None,
                         limit: int = 200) -> list[dict[str, Any]]:
    """Employers with contributions unpaid past the collection month (欠费)."""
    actor.require("insurance:read")
    cutoff = add_months(month_of(today or date.today()), -ARREARS_AFTER_MONTHS)
    rows = session.execute(
        select(Employer.id, Employer.name, Employer.region,
               func.count(func.distinct(Contribution.period)),
               func.sum(Contribution.employer_amount + Contribution.personal_amount))
        .join(Contribution, Contribution.employer_id == Employer.id)
        .where(Contribution.status == "due", Contribution.period < cutoff,
               region_filter(Employer.region, actor))
        .group_by(Employer.id, Employer.name, Employer.region)
        .order_by(func.sum(Contribution.employer_amount + Contribution.personal_amount).desc())
        .limit(limit)).all()
    return [{"employer_id": i, "name": n, "region": r, "months": m, "amount": to_money(a)}
            for i, n, r, m, a in rows]


# --- resident pension -----------------------------------------------------------------


def _grades(session: Session, region: str, year: int) -> list[ResidentPensionGrade]:
    rows = session.scalars(select(ResidentPensionGrade).where(
        ResidentPensionGrade.year == year)).all()
    best = max((len(g.region_prefix) for g in rows if region.startswith(g.region_prefix)),
               default=None)
    return sorted((g for g in rows if best is not None and len(g.region_prefix) == best
                   and region.startswith(g.region_prefix)), key=lambda g: g.amount)


def pay_resident_pension(session: Session, actor: Principal, data: ResidentPayment) -> Contribution:
    """A resident's yearly contribution at a published grade (国发〔2014〕8号 §4), recorded
    against January of the year; the government subsidy of the grade is credited."""
    actor.require_any("insurance:write", "insurance:self")
    person = registry.person_for_write(session, actor, data.person_id)
    period = data.year * 100 + 1
    year_span = rules.Span("resident_pension", period, data.year * 100 + 12)
    enrolled = any(s.scheme == "resident_pension" and s.overlaps(year_span)
                   for s in _spans(session, person.id))
    if not enrolled:
        raise Conflict(f"{data.year} 年未参加城乡居民养老保险",
                       f"Not enrolled in resident pension in {data.year}")
    grade = next((g for g in _grades(session, person.residence_region, data.year)
                  if g.amount == data.grade), None)
    if grade is None:
        raise invalid_field("grade", f"{data.year} 年没有 {data.grade} 元这一缴费档次",
                            f"no grade of {data.grade} in {data.year}")
    existing = session.scalar(select(Contribution).where(
        Contribution.person_id == person.id, Contribution.period == period,
        Contribution.scheme == "resident_pension"))
    if existing is not None:
        raise Conflict(f"{data.year} 年度已缴费", f"Already paid for {data.year}")
    row = Contribution(person_id=person.id, period=period, scheme="resident_pension",
                       region=person.residence_region, base=grade.amount, clamp=None,
                       employer_amount=Decimal("0"), personal_amount=grade.amount,
                       government_amount=Decimal("0"), subsidy_amount=grade.subsidy,
                       status="paid", paid_by="self", paid_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.username, action="resident_pension.pay",
                 subject_type="person", subject_id=person.id,
                 payload={"year": data.year, "grade": str(grade.amount)})
    return row


def government_pay_resident(session: Session, actor: Principal, *, year: int,
                            region_prefix: str) -> int:
    """代缴: for every designated person (建档立卡贫困人口, 低保, 特困, 重度残疾) enrolled in
    resident pension in ``year`` and not yet paid, the government pays its share of the
    lowest grade (the largest share when a person is in several groups). Set-based and
    idempotent: people already recorded for the year are skipped."""
    actor.require("insurance:assess")
    prefix = regions.scope_prefix(region_prefix)
    counties = [c for c in regions.all_codes() if c.startswith(prefix)
                and regions.is_county_level(c)]
    stage = []
    for code in counties:
        grades = _grades(session, code, year)
        shares = session.execute(select(GovernmentPaymentRule.designation,
                                        GovernmentPaymentRule.share_ppm,
                                        GovernmentPaymentRule.region_prefix)
                                 .where(GovernmentPaymentRule.year == year)).all()
        applicable = {}
        for designation, share, rule_prefix in sorted(shares, key=lambda s: len(s[2])):
            if code.startswith(rule_prefix):
                applicable[designation] = share
        if not grades or not applicable:
            continue
        lowest = money.to_fen(grades[0].amount)
        subsidy = money.to_fen(grades[0].subsidy)
        for designation, share in applicable.items():
            stage.append((code, designation, lowest,
                          rules.government_payment_fen(lowest, share), subsidy))
    bulk.create_temp_table(session, "gov_pay_rule",
                           "region VARCHAR(6), designation VARCHAR(24), lowest_fen BIGINT, "
                           "gov_fen BIGINT, subsidy_fen BIGINT")
    bulk.load_rows(session, "gov_pay_rule",
                   ("region", "designation", "lowest_fen", "gov_fen", "subsidy_fen"), stage)
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    inserted = bulk.execute_count(session, text(
        "INSERT INTO contribution (person_id, period, scheme, employer_id, region, "
        "declared_wage, base, clamp, employer_amount, personal_amount, government_amount, "
        "subsidy_amount, status, paid_by, paid_at) "
        "SELECT x.person_id, :period, 'resident_pension', NULL, x.region, NULL, "
        "x.lowest_fen / 100.0, NULL, 0, (x.lowest_fen - x.gov_fen) / 100.0, x.gov_fen / 100.0, "
        "x.subsidy_fen / 100.0, CASE WHEN x.gov_fen >= x.lowest_fen THEN 'paid' ELSE 'due' END, "
        "CASE WHEN x.gov_fen >= x.lowest_fen THEN 'government' END, "
        "CASE WHEN x.gov_fen >= x.lowest_fen THEN :now END "
        "FROM (SELECT p.id AS person_id, p.residence_region AS region, "
        "MAX(g.lowest_fen) AS lowest_fen, MAX(g.gov_fen) AS gov_fen, "
        "MAX(g.subsidy_fen) AS subsidy_fen FROM person p "
        "JOIN person_designation d ON d.person_id = p.id "
        "JOIN gov_pay_rule g ON g.region = p.residence_region AND g.designation = d.designation "
        "JOIN enrolment e ON e.person_id = p.id AND e.scheme = 'resident_pension' "
        "AND e.start_month <= :year_last AND (e.end_month IS NULL OR e.end_month >= :period) "
        "WHERE p.residence_region LIKE :like AND p.status = 'alive' "
        "AND d.valid_from <= :year_end AND (d.valid_to IS NULL OR d.valid_to >= :year_start) "
        "GROUP BY p.id, p.residence_region) x "
        "WHERE true ON CONFLICT (person_id, period, scheme) DO NOTHING"
    ).bindparams(bindparam("now", utcnow(), type_=DateTime(timezone=True)),
                 bindparam("year_start", year_start, type_=Date()),
                 bindparam("year_end", year_end, type_=Date()),
                 period=year * 100 + 1, year_last=year * 100 + 12, like=prefix + "%"))
    bulk.drop_temp_table(session, "gov_pay_rule")
    audit.record(session, actor=actor.username, action="resident_pension.government_pay",
                 subject_type="region", subject_id=prefix or "all",
                 payload={"year": year, "inserted": inserted})
    return inserted


def designate(session: Session, actor: Principal, person_id: int, designation: str,
              valid_from: date, valid_to: date | None = None) -> PersonDesignation:
    """Record that a person belongs to a designated group from a date."""
    actor.require("insurance:write")
    from minsheng.hrss.insurance.models import DESIGNATIONS

    if designation not in DESIGNATIONS:
        raise invalid_field("designation", "未知的人员类别", "unknown designation")
    person = registry.person_for_write(session, actor, person_id)
    row = PersonDesignation(person_id=person.id, designation=designation,
                            valid_from=valid_from, valid_to=valid_to)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.username, action="person.designate",
                 subject_type="person", subject_id=person.id,
                 payload={"designation": designation, "from": valid_from.isoformat()})
    return row


# --- coverage and the "everyone who should be" checks ---------------------------------


def _effective_prefix(actor: Principal, region: str) -> str:
    prefix = regions.scope_prefix(region) if region else ""
    own = actor.region_prefix
    if prefix.startswith(own):
        return prefix
    if own.startswith(prefix):
        return own
    raise invalid_field("region", "不在您的管辖范围内", "outside your scope")


#: A person drawing a pension counts as insured (参保人数 include retirees); the one
#: place this domain reads the pension domain's table, inside a set-based count.
_DRAWING_PENSION = ("EXISTS (SELECT 1 FROM pension_recipient pr WHERE pr.person_id = p.id "
                    "AND pr.status <> 'stopped')")
_PENSION_AT = (
    "(EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme IN "
    "('employee_pension','resident_pension') AND e.start_month <= :period "
    "AND (e.end_month IS NULL OR e.end_month >= :period)) OR " + _DRAWING_PENSION + ")"
)


@dataclass(frozen=True)
class Coverage:
    region: str
    on: date
    should_enrol: int
    enrolled: int
    rate: Decimal | None


def coverage(session: Session, actor: Principal, *, region: str = "",
             on: date | None = None) -> Coverage:
    """Pension coverage (城乡养老保险参保率) of a region on a date: living residents aged
    16 and over (国发〔2014〕8号 §3) with an employee or resident pension enrolment for
    that month ÷ all such residents. Students are not yet on record and are counted."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    params = _coverage_params(prefix, on)
    should, enrolled = session.execute(text(
        "SELECT count(*), count(*) FILTER (WHERE " + _PENSION_AT + ") FROM person p "
        "WHERE p.residence_region LIKE :like AND p.status = 'alive' AND p.birth_date <= :cutoff"
    ).bindparams(bindparam("cutoff", params.pop("cutoff"), type_=Date())), params).one()
    return Coverage(prefix, on, should, enrolled, rules.coverage_rate(enrolled, should))


def _coverage_params(prefix: str, on: date) -> dict[str, Any]:
    try:
        cutoff = on.replace(year=on.year - rules.MIN_ENROLMENT_AGE)
    except ValueError:  # 29 February
        cutoff = on.replace(year=on.year - rules.MIN_ENROLMENT_AGE, day=28)
    return {"like": prefix + "%", "period": month_of(on), "cutoff": cutoff}


def not_enrolled(session: Session, actor: Principal, *, region: str = "",
                 on: date | None = None, page: int = 1, size: int = 50) -> list[Person]:
    """The work-list behind 全民参保计划: residents who should be but are not enrolled."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    params = _coverage_params(prefix, on)
    ids = session.execute(text(
        "SELECT p.id FROM person p WHERE p.residence_region LIKE :like AND p.status = 'alive' "
        "AND p.birth_date <= :cutoff AND NOT " + _PENSION_AT +
        " ORDER BY p.id LIMIT :size OFFSET :offset"
    ).bindparams(bindparam("cutoff", params.pop("cutoff"), type_=Date())),
        {**params, "size": min(max(size, 1), 500), "offset": (max(page, 1) - 1) * size}
    ).scalars().all()
    return list(session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))


@dataclass(frozen=True)
class PovertyChecks:
    """应保尽保 and 应缴尽缴 for poverty-registered people of a region and year."""

    region: str
    year: int
    should_enrol: int
    enrolled: int
    should_pay: int
    paid: int
    not_enrolled_ids: list[int]
    not_paid_ids: list[int]
    #: Per district: (region, should enrol, enrolled, should pay, paid).
    districts: list[tuple[str, int, int, int, int]] = field(default_factory=list)


def poverty_checks(session: Session, actor: Principal, *, region: str = "",
                   year: int) -> PovertyChecks:
    """Poverty-registered (建档立卡) people aged 16+: are all enrolled in a pension, and
    have all resident-pension enrollees paid for the year (by themselves or by the
    government, 代缴)?"""
    actor.require_any("insurance:coverage", "insurance:read")
    prefix = _effective_prefix(actor, region)
    base = (
        "FROM person p WHERE p.residence_region LIKE :like AND p.status = 'alive' "
        "AND p.birth_date <= :cutoff AND EXISTS (SELECT 1 FROM person_designation d "
        "WHERE d.person_id = p.id AND d.designation = 'poverty_registered' "
        "AND d.valid_from <= :year_end AND (d.valid_to IS NULL OR d.valid_to >= :year_start))"
    )
    enrolled_in = (
        "EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme IN "
        "({schemes}) AND e.start_month <= :last AND (e.end_month IS NULL OR "
        "e.end_month >= :first))"
    )
    both = enrolled_in.format(schemes="'employee_pension','resident_pension'")
    in_pension = f"({both} OR {_DRAWING_PENSION})"
    in_resident = enrolled_in.format(schemes="'resident_pension'")
    has_paid = ("EXISTS (SELECT 1 FROM contribution c WHERE c.person_id = p.id "
                "AND c.scheme = 'resident_pension' AND c.period = :first AND c.status = 'paid')")
    binds = [bindparam("cutoff", date(year - rules.MIN_ENROLMENT_AGE, 12, 31), type_=Date()),
             bindparam("year_start", date(year, 1, 1), type_=Date()),
             bindparam("year_end", date(year, 12, 31), type_=Date())]
    params = {"like": prefix + "%", "first": year * 100 + 1, "last": year * 100 + 12}

    def run(sql: str) -> Any:
        return session.execute(text(sql).bindparams(*binds), params)

    districts = [tuple(row) for row in run(
        f"SELECT p.residence_region, count(*), count(*) FILTER (WHERE {in_pension}), "
        f"count(*) FILTER (WHERE {in_resident}), "
        f"count(*) FILTER (WHERE {in_resident} AND {has_paid}) {base} "
        "GROUP BY p.residence_region ORDER BY p.residence_region")]
    missing_enrolment = run(f"SELECT p.id {base} AND NOT {in_pension} ORDER BY p.id LIMIT 200")
    missing_payment = run(
        f"SELECT p.id {base} AND {in_resident} AND NOT {has_paid} ORDER BY p.id LIMIT 200")
    should, enrolled, should_pay, paid = (sum(int(d[i]) for d in districts)
                                          for i in range(1, 5))
    return PovertyChecks(prefix, year, should, enrolled, should_pay, paid,
                         list(missing_enrolment.scalars()), list(missing_payment.scalars()),
                         districts=[(str(d[0]), int(d[1]), int(d[2]), int(d[3]), int(d[4]))
                                    for d in districts])


def enrolment_person(session: Session, enrolment_id: int) -> int:
    person_id = session.scalar(select(Enrolment.person_id).where(Enrolment.id == enrolment_id))
    if person_id is None:
        raise NotFound(f"参保记录 {enrolment_id} 不存在", f"Enrolment {enrolment_id} not found")
    return person_id


# --- read models for the pages (read-only) ---------------------------------------------


def resident_grades(session: Session, region: str, year: int) -> list[ResidentPensionGrade]:
    """The resident-pension grades (缴费档次) published for ``region`` in ``year``: those
    of the longest region prefix that has any, lowest first; empty when none are
    published (国发〔2014〕8号 §4: grades and subsidies are set locally each year)."""
    return _grades(session, region, year)


@dataclass(frozen=True)
class YearTotal:
    """A person's contributions of one calendar year, summed."""

    year: int
    months: int
    employer_amount: Decimal
    personal_amount: Decimal
    government_amount: Decimal
    subsidy_amount: Decimal
    #: Employer and personal parts of the rows still unpaid (待缴/欠费).
    due_amount: Decimal


def contribution_years(session: Session, actor: Principal, person_id: int) -> list[YearTotal]:
    """A person's contributions by year, newest first (what 缴费记录 shows as totals)."""
    registry.person_for_read(session, actor, person_id)
    year = Contribution.period // 100
    unpaid = func.sum(case((Contribution.status == "due",
                            Contribution.employer_amount + Contribution.personal_amount),
                           else_=0))
    rows = session.execute(
        select(year, func.count(func.distinct(Contribution.period)),
               func.sum(Contribution.employer_amount), func.sum(Contribution.personal_amount),
               func.sum(Contribution.government_amount), func.sum(Contribution.subsidy_amount),
               unpaid)
        .where(Contribution.person_id == person_id).group_by(year).order_by(year.desc())).all()
    return [YearTotal(int(y), m, to_money(er), to_money(pr), to_money(gov), to_money(sub),
                      to_money(due))
            for y, m, er, pr, gov, sub, due in rows]


@dataclass(frozen=True)
class PayableYear:
    """A year a resident-pension enrollee may still pay for, with its grades."""

    year: int
    grades: list[ResidentPensionGrade]


def resident_payable_years(session: Session, actor: Principal, person_id: int, *,
                           today: date | None = None) -> list[PayableYear]:
    """Years, newest first and not after this one, in which the person is enrolled in
    resident pension, has no contribution recorded yet and grades are published: the
    years ``pay_resident_pension`` would accept."""
    person = registry.person_for_read(session, actor, person_id)
    this_year = (today or date.today()).year
    years: set[int] = set()
    for span in _spans(session, person.id):
        if span.scheme == "resident_pension":
            last = min((span.end or 999_912) // 100, this_year)
            years.update(range(span.start // 100, last + 1))
    recorded = set(session.scalars(select(Contribution.period).where(
        Contribution.person_id == person.id, Contribution.scheme == "resident_pension")))
    open_years = sorted((y for y in years if y * 100 + 1 not in recorded), reverse=True)
    if not open_years:
        return []
    published = set(session.scalars(select(ResidentPensionGrade.year).where(
        ResidentPensionGrade.year.in_(open_years)).distinct()))
    payable = [PayableYear(y, _grades(session, person.residence_region, y))
               for y in open_years if y in published]
    return [p for p in payable if p.grades]


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
    ``ARREARS_AFTER_MONTHS`` months after the month)."""
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
        "arrears" if is_in_arrears(period, today) else "due")
    bill = EmployerMonth(period=label(period), employer_id=employer.id, people=people,
                         employer_amount=er_total, personal_amount=pr_total,
                         total=er_total + pr_total, status=status)
    cutoff = add_months(current, -ARREARS_AFTER_MONTHS)
    arrears = [
        ArrearsMonth(label(p), n, to_money(amount))
        for p, n, amount in session.execute(
            select(Contribution.period, func.count(func.distinct(Contribution.person_id)),
                   func.sum(Contribution.employer_amount + Contribution.personal_amount))
            .where(Contribution.employer_id == employer.id, Contribution.status == "due",
                   Contribution.period < cutoff)
            .group_by(Contribution.period).order_by(Contribution.period)).all()
    ]
    return EmployerAccount(employer, employees, total, bill, lines, outstanding, arrears,
                           [label(p) for p in periods])


def persons_by_ids(session: Session, actor: Principal, person_ids: Sequence[int]) -> list[Person]:
    """The people of a work-list (coverage, poverty checks) inside the actor's scope."""
    actor.require_any("insurance:coverage", "insurance:read")
    if not person_ids:
        return []
    return list(session.scalars(select(Person).where(
        Person.id.in_(list(person_ids)), region_filter(Person.residence_region, actor))
        .order_by(Person.id)))


# --- reads for unemployment insurance (claims, job-stabilisation refunds) ---------------


def unemployment_months(session: Session, person_id: int, until: int,
                        after: int | None = None) -> int:
    """Months of unemployment-insurance coverage (``enrolment`` rows of the scheme
    ``unemployment``, overlaps counted once) up to ``until``, and only those later than
    ``after`` when given: a new spell counts contributions afresh from after the start
    of the previous claim (社会保险法 art. 46)."""
    spans = session.execute(select(Enrolment.start_month, Enrolment.end_month)
                            .where(Enrolment.person_id == person_id,
                                   Enrolment.scheme == "unemployment")).all()
    clipped = []
    for start, end in spans:
        if after is not None:
            start = max(start, add_months(after, 1))
        if end is not None and end < start:
            continue
        clipped.append(rules.Span("unemployment", start, end))
    return rules.enrolled_months(clipped, until)


@dataclass(frozen=True)
class UnemploymentCoverage:
    """Where a person stands in unemployment insurance on a month."""

    insured_now: bool
    last_employer_id: int | None
    last_month: int | None


def unemployment_coverage(session: Session, person_id: int, month: int) -> UnemploymentCoverage:
    """Whether the person is still enrolled in unemployment insurance in ``month`` (so not
    unemployed), and the employer and last month of their latest enrolment."""
    rows = session.execute(select(Enrolment.employer_id, Enrolment.start_month,
                                  Enrolment.end_month)
                           .where(Enrolment.person_id == person_id,
                                  Enrolment.scheme == "unemployment",
                                  Enrolment.start_month <= month)).all()
    insured = any(end is None or end >= month for _, _, end in rows)
    latest = max(rows, key=lambda r: (r[2] if r[2] is not None else 999_912, r[1]),
                 default=None)
    if latest is None:
        return UnemploymentCoverage(insured, None, None)
    return UnemploymentCoverage(insured, latest[0], latest[2])


def arrears_cutoff(today: date) -> int:
    """Contributions of months before this one still due on ``today`` are arrears
    (欠费; the same line as :func:`is_in_arrears`)."""
    return add_months(month_of(today), -ARREARS_AFTER_MONTHS)


# --- the record a pension award is computed from ------------------------------------------


@dataclass(frozen=True)
class ContributionRecord:
    """What the record says about a person's employee pension up to retirement."""

    months: int
    average_index: Decimal
    account_balance: Decimal


def contribution_record(session: Session, person_id: int, until: int) -> ContributionRecord:
    """A person's employee-pension record up to ``until``, as the pension award needs
    it (养老保险缴费记录). Contribution months are the months covered by employee-pension
    enrolments up to ``until`` (the record before this system went live is its enrolment
    history); the average index is the mean of declared wage ÷ the rule's average wage, clamped to
    0.6–3.0 like the base; the account balance is the personal contributions recorded
    plus 8 % of the indexed wage for enrolled months with no contribution row."""
    spans = session.execute(select(Enrolment.start_month, Enrolment.end_month,
                                   Enrolment.declared_wage)
                            .where(Enrolment.person_id == person_id,
                                   Enrolment.scheme == "employee_pension")).all()
    months = rules.enrolled_months(
        [rules.Span("employee_pension", a, b) for a, b, _ in spans], until)
    region = session.scalar(select(Person.residence_region).where(Person.id == person_id)) or ""
    rule: ContributionRule | None = rule_for(session, region, until)
    average = rule.average_wage if rule else Decimal("0")
    wages = [w for _, _, w in spans if w is not None]
    index = Decimal("1")
    if wages and average:
        index = sum((min(max(w / average, Decimal("0.6")), Decimal("3")) for w in wages),
                    Decimal(0)) / len(wages)
    index = index.quantize(Decimal("0.0001"))
    recorded, recorded_months = session.execute(
        select(func.coalesce(func.sum(Contribution.personal_amount), 0),
               func.count(func.distinct(Contribution.period)))
        .where(Contribution.person_id == person_id, Contribution.scheme == "employee_pension",
               Contribution.period <= until)).one()
    legacy_months = max(months - int(recorded_months or 0), 0)
    legacy = average * index * Decimal("0.08") * legacy_months
    balance = (to_money(recorded) + legacy).quantize(Decimal("0.01"))
    return ContributionRecord(months, index, balance)


def enrolled_in(scheme: str, month: int | None = None, *,
                with_employer: bool = False) -> Select[int]:
    """SQL: the people with an enrolment in ``scheme`` open in ``month`` (``YYYYMM``; or
    open-ended, when ``month`` is None), optionally only those enrolled through an
    employer; for set-based counts and selections in other domains."""
    stmt = select(Enrolment.person_id).where(Enrolment.scheme == scheme)
    if month is None:
        stmt = stmt.where(Enrolment.end_month.is_(None))
    else:
        stmt = stmt.where(Enrolment.start_month <= month,
                          or_(Enrolment.end_month.is_(None), Enrolment.end_month >= month))
    return stmt.where(Enrolment.employer_id.is_not(None)) if with_employer else stmt
