"""Resident pension (城乡居民养老保险): grades, payments, government-paid contributions (代缴)
and the designations that earn them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, DateTime, bindparam, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import (
    DESIGNATIONS,
    Contribution,
    GovernmentPaymentRule,
    PersonDesignation,
    ResidentPensionGrade,
)
from minsheng.hrss.insurance.schemas import (
    ResidentPayment,
)
from minsheng.hrss.insurance.service.enrolment import _spans
from minsheng.hrss.registry import service as registry
from minsheng.platform import bulk, money, regions, rulebook
from minsheng.platform.db import utcnow
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def _grades(session: Session, region: str, year: int) -> list[ResidentPensionGrade]:
    """The grades in force for ``region`` in ``year`` (those of its January: a resident
    contributes for a whole year), lowest first."""
    return sorted(rulebook.in_force(session, ResidentPensionGrade, region, year * 100 + 1),
                  key=lambda g: g.amount)


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
    period = year * 100 + 1
    grades_of = rulebook.resolver(session, ResidentPensionGrade, period)
    shares_of = {d: rulebook.resolver(session, GovernmentPaymentRule, period,
                                      GovernmentPaymentRule.designation == d)
                 for d in DESIGNATIONS}
    stage = []
    for code in counties:
        grades = sorted(grades_of(code), key=lambda g: g.amount)
        applicable = {d: rows[0].share_ppm for d, resolve in shares_of.items()
                      if (rows := resolve(code))}
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
                 period=period, year_last=year * 100 + 12, like=prefix + "%"))
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


def resident_grades(session: Session, region: str, year: int) -> list[ResidentPensionGrade]:
    """The resident-pension grades (缴费档次) published for ``region`` in ``year``: those
    of the longest region prefix that has any, lowest first; empty when none are
    published (国发〔2014〕8号 §4: grades and subsidies are set locally each year)."""
    return _grades(session, region, year)


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
    payable = [PayableYear(y, _grades(session, person.residence_region, y))
               for y in open_years]
    return [p for p in payable if p.grades]
