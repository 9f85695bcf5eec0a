"""A person's contribution record, as other domains read it: contributions and years,
unemployment-insurance months, the record a pension award is computed from, and
selections of enrolled people for set-based counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, Select, case, cast, func, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import (
    Contribution,
    ContributionRule,
    Enrolment,
)
from minsheng.hrss.insurance.schemas import (
    ContributionRead,
)
from minsheng.hrss.insurance.service._common import SCHEME_LABELS
from minsheng.hrss.insurance.service.contribution_rules import rule_for
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform.money import PPM, to_money, to_yuan
from minsheng.platform.months import add_months, label
from minsheng.platform.security.principal import Principal


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
    plus the rule's account share (8 %) of the indexed wage for enrolled months with
    no contribution row."""
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
    # The account receives the rule's share of the base (8 %), for a flexible worker too,
    # whose payment is larger (国发〔2005〕38号 §5, §6); a row without its rule counts
    # its personal payment.
    credit_fen = case(
        (ContributionRule.id.is_(None), cast(func.round(Contribution.personal_amount * 100),
                                             BigInteger)),
        else_=(cast(func.round(Contribution.base * 100), BigInteger)
               * ContributionRule.account_ppm + PPM // 2) // PPM)
    recorded_fen, recorded_months = session.execute(
        select(func.coalesce(func.sum(credit_fen), 0),
               func.count(func.distinct(Contribution.period)))
        .select_from(Contribution)
        .outerjoin(ContributionRule, ContributionRule.id == Contribution.rule_id)
        .where(Contribution.person_id == person_id, Contribution.scheme == "employee_pension",
               Contribution.period <= until)).one()
    legacy_months = max(months - int(recorded_months or 0), 0)
    account_share = Decimal(rule.account_ppm if rule else 80_000) / PPM
    legacy = average * index * account_share * legacy_months
    balance = (to_yuan(int(recorded_fen)) + legacy).quantize(Decimal("0.01"))
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
