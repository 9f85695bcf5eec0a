"""A person's contribution record, as other domains read it: contributions and years,
unemployment-insurance months, the record a pension award is computed from, and
selections of enrolled people for set-based counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.insurance.models import (
    AccountInterestRate,
    Contribution,
    ContributionRule,
    Enrolment,
)
from minsheng.hrss.insurance.schemas import (
    ContributionRead,
)
from minsheng.hrss.insurance.service._common import SCHEME_LABELS
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform import money, rulebook
from minsheng.platform.config import get_settings
from minsheng.platform.db import utcnow
from minsheng.platform.errors import Conflict, RuleViolation
from minsheng.platform.money import PPM, to_money, to_yuan
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import audit
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
    #: Months with a paid contribution (a month still due is not a contribution month).
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
        select(year, func.count(func.distinct(case((Contribution.status == "paid",
                                                    Contribution.period)))),
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
class RecordYear:
    """One calendar year of a person's employee-pension record."""

    year: int
    #: Months contributed (paid, or on the record from before this system).
    months: int
    #: The year's contribution index: the mean of its months' indices, 4 places.
    index: Decimal
    #: The average wage of the rule of the year's last contributed month.
    average_wage: Decimal
    credited: Decimal
    #: The year's credited rate as a fraction (``0.0397``), ``None`` when not on record.
    rate: Decimal | None
    interest: Decimal
    balance: Decimal


@dataclass(frozen=True)
class ContributionGap:
    """An enrolled month that is not paid: a gap the person can make up (补缴)."""

    period: int
    #: ``due``: assessed and unpaid (待缴/欠费); ``not_assessed``: enrolled, no bill yet.
    kind: str
    employer_id: int | None
    #: What the bill says is owed (employer + personal), ``None`` when not assessed.
    amount: Decimal | None


@dataclass(frozen=True)
class ContributionRecord:
    """What the record says about a person's employee pension up to a month."""

    months: int
    average_index: Decimal
    account_balance: Decimal
    years: tuple[RecordYear, ...] = ()
    gaps: tuple[ContributionGap, ...] = ()
    #: Interest credited to the account, all years together.
    interest: Decimal = Decimal("0.00")
    #: Years with a balance but no credited rate on record (no interest counted).
    years_without_rate: tuple[int, ...] = ()
    #: Months counted from the enrolment history before the first contribution row.
    history_months: int = 0


@dataclass(frozen=True)
class _Month:
    period: int
    region: str
    #: Paid row: its base and rule; history month: the declared wage to clamp.
    base: Decimal | None
    declared_wage: Decimal | None
    rule_id: int | None


def _history(session: Session, person_id: int, until: int
             ) -> tuple[list[_Month], list[ContributionGap]]:
    """The employee-pension months up to ``until``: those that count and the gaps.

    A month counts when its contribution row is paid. Enrolled months before the
    person's first contribution row are the record from before this system (migrated
    history; their base is the enrolment's declared wage) and count too. A row still
    ``due`` does not count, nor does an enrolled month from the first row on without a
    row: both are gaps (社会保险法 art. 16 counts contributions paid; 国发〔2005〕38号)."""
    region = session.scalar(select(Person.residence_region)
                            .where(Person.id == person_id)) or ""
    spans = session.execute(select(Enrolment.start_month, Enrolment.end_month,
                                   Enrolment.declared_wage, Enrolment.employer_id)
                            .where(Enrolment.person_id == person_id,
                                   Enrolment.scheme == "employee_pension",
                                   Enrolment.start_month <= until)
                            .order_by(Enrolment.start_month, Enrolment.id)).all()
    rows = {c.period: c for c in session.scalars(
        select(Contribution).where(Contribution.person_id == person_id,
                                   Contribution.scheme == "employee_pension",
                                   Contribution.period <= until))}
    enrolled: dict[int, tuple[Decimal | None, int | None]] = {}
    for start, end, wage, employer_id in spans:
        period, last = start, min(end if end is not None else until, until)
        while period <= last:
            enrolled.setdefault(period, (wage, employer_id))
            period = add_months(period, 1)
    first_row = min(rows, default=None)
    counted: list[_Month] = []
    gaps: list[ContributionGap] = []
    for period in sorted(set(enrolled) | set(rows)):
        row = rows.get(period)
        if row is not None and row.status == "paid":
            counted.append(_Month(period, row.region, row.base, None, row.rule_id))
        elif row is not None:
            gaps.append(ContributionGap(period, "due", row.employer_id,
                                        to_money(row.employer_amount + row.personal_amount)))
        elif first_row is None or period < first_row:
            counted.append(_Month(period, region, None, enrolled[period][0], None))
        else:
            gaps.append(ContributionGap(period, "not_assessed", enrolled[period][1], None))
    return counted, gaps


def _year_ranges(years: list[int]) -> str:
    """``[1990, 1991, 1992, 1995]`` → ``1990–1992、1995``."""
    parts: list[str] = []
    for year in sorted(set(years)):
        if parts and parts[-1].split("–")[-1] == str(year - 1):
            parts[-1] = f"{parts[-1].split('–')[0]}–{year}"
        else:
            parts.append(str(year))
    return "、".join(parts)


def contribution_record(session: Session, person_id: int, until: int, *,
                        in_year: rules.InYearInterest | None = None) -> ContributionRecord:
    """A person's employee-pension record up to ``until`` (养老保险缴费记录), as the pension
    award needs it.

    - **Months**: the paid months and the history before the first contribution row
      (:func:`_history`); unpaid months are ``gaps``, not counted.
    - **Average index** (国发〔2005〕38号 §6): each month's index is its base (a history
      month: the declared wage clamped like a base) ÷ the average wage of the
      contribution rule in force that month for the region, within that rule's floor and
      ceiling (``floor_ppm``/``ceiling_ppm``); the average is the months-weighted mean of
      the yearly indices (:func:`rules.average_index`). Each year uses its own rule, not
      the rule at retirement.
    - **Account**: each month credits the rule's account share of the base
      (``account_ppm``, 8 % today, 国发〔2005〕38号 §5), and the account earns the yearly
      credited rate (记账利率, ``account_interest_rate``) by :func:`rules.account_growth`
      (``in_year`` from the setting ``pension_account_in_year_interest``).

    A month without a contribution rule in force is refused (``RuleViolation`` naming
    the years): an index cannot be guessed."""
    counted, gaps = _history(session, person_id, until)
    all_rules = list(session.scalars(select(ContributionRule)))
    by_id = {r.id: r for r in all_rules}
    cache: dict[tuple[str, int], ContributionRule | None] = {}

    def rule_at(region: str, period: int) -> ContributionRule | None:
        key = (region, period)
        if key not in cache:
            live = [r for r in all_rules if r.valid_from <= period
                    and (r.valid_to is None or r.valid_to >= period)]
            found = rulebook.most_specific(live, region)
            cache[key] = found[0] if found else None
        return cache[key]

    indices: dict[int, list[Fraction]] = {}
    credits: list[tuple[int, int]] = []
    wages: dict[int, Decimal] = {}
    missing: list[int] = []
    for month in counted:
        rule = (by_id.get(month.rule_id) if month.rule_id is not None else None) \
            or rule_at(month.region, month.period)
        if rule is None:
            missing.append(month.period // 100)
            continue
        average_fen = money.to_fen(rule.average_wage)
        if month.base is not None:
            base_fen = money.to_fen(month.base)
        else:
            declared = money.to_fen(month.declared_wage) if month.declared_wage else None
            base_fen = rules.contribution_base(declared, average_fen, rule.floor_ppm,
                                               rule.ceiling_ppm).fen
        indices.setdefault(month.period // 100, []).append(
            rules.month_index(base_fen, average_fen, rule.floor_ppm, rule.ceiling_ppm))
        credits.append((month.period, rules.account_credit_fen(base_fen, rule.account_ppm)))
        wages[month.period // 100] = rule.average_wage
    if missing:
        span = _year_ranges(missing)
        raise RuleViolation(
            f"缺少 {span} 年的缴费基数参数（社会平均工资），无法计算缴费指数和个人账户",
            f"No contribution rule (average wage) on record for {span}: the contribution "
            "index and the personal account cannot be computed",
            extra={"years": sorted(set(missing))})
    region = session.scalar(select(Person.residence_region)
                            .where(Person.id == person_id)) or ""
    rates = _interest_rates(session, region, {p // 100 for p, _ in credits}, until)
    if in_year is None:
        in_year = get_settings().pension_account_in_year_interest
    growth = rules.account_growth(credits, rates, until, in_year)
    years = tuple(
        RecordYear(g.year, len(indices.get(g.year, [])),
                   rules.average_index(indices.get(g.year, [])),
                   wages.get(g.year, Decimal("0.00")), to_yuan(g.credited_fen),
                   None if g.rate_ppm is None else Decimal(g.rate_ppm) / PPM,
                   to_yuan(g.interest_fen), to_yuan(g.closing_fen))
        for g in growth)
    balance = to_yuan(growth[-1].closing_fen) if growth else Decimal("0.00")
    history = sum(1 for m in counted if m.base is None)
    return ContributionRecord(
        months=len(credits),
        average_index=rules.average_index(i for year in indices.values() for i in year),
        account_balance=balance, years=years, gaps=tuple(gaps),
        interest=to_yuan(sum(g.interest_fen for g in growth)),
        years_without_rate=tuple(g.year for g in growth
                                 if g.rate_ppm is None and g.opening_fen > 0),
        history_months=history)


def _interest_rates(session: Session, region: str, years: set[int],
                    until: int) -> dict[int, int | None]:
    """The credited rate (ppm) of every year from the first credit to ``until``."""
    if not years:
        return {}
    rows = list(session.scalars(select(AccountInterestRate)))
    rates: dict[int, int | None] = {}
    for year in range(min(years), until // 100 + 1):
        live = [r for r in rows if r.valid_from <= year * 100 + 1
                and (r.valid_to is None or r.valid_to >= year * 100 + 1)]
        found = rulebook.most_specific(live, region)
        rates[year] = found[0].rate_ppm if found else None
    return rates


def pension_record(session: Session, actor: Principal, person_id: int,
                   until: int | None = None) -> ContributionRecord:
    """A person's employee-pension record up to ``until`` (default: this month) for the
    person or staff in scope: months, average index, account with interest, gaps."""
    person = registry.person_for_read(session, actor, person_id)
    return contribution_record(session, person.id, until or month_of(date.today()))


def contribution_gaps(session: Session, actor: Principal, person_id: int,
                      until: int | None = None) -> list[ContributionGap]:
    """The enrolled employee-pension months up to ``until`` (default: this month) that
    are not paid — assessed and unpaid, or not yet assessed — oldest first: the months
    the person (or the employer) can make up. Needs no contribution rule."""
    person = registry.person_for_read(session, actor, person_id)
    return _history(session, person.id, until or month_of(date.today()))[1]


@dataclass(frozen=True)
class FlexiblePayment:
    months: list[int]
    amount: Decimal


def pay_flexible_contributions(session: Session, actor: Principal, person_id: int,
                               periods: list[int] | None = None) -> FlexiblePayment:
    """A flexible worker (灵活就业) pays their own assessed, unpaid employee-pension months
    (补缴: all of them, or ``periods``): the rows become paid by ``self`` and count in the
    contribution period and the account from then on. A month billed to an employer is
    the employer's to pay (``pay_employer``)."""
    actor.require_any("insurance:write", "insurance:self")
    person = registry.person_for_write(session, actor, person_id)
    stmt = select(Contribution).where(
        Contribution.person_id == person.id, Contribution.scheme == "employee_pension",
        Contribution.employer_id.is_(None), Contribution.status == "due")
    if periods is not None:
        stmt = stmt.where(Contribution.period.in_(periods))
    rows = list(session.scalars(stmt.order_by(Contribution.period)))
    if not rows:
        raise Conflict("没有待缴的灵活就业养老保险费", "No flexible-worker contribution is due")
    now = utcnow()
    for row in rows:
        row.status, row.paid_by, row.paid_at = "paid", "self", now
    total = to_money(sum((r.personal_amount for r in rows), Decimal("0")))
    session.flush()
    audit.record(session, actor=actor.username, action="contribution.flexible_pay",
                 subject_type="person", subject_id=person.id,
                 payload={"months": [r.period for r in rows], "amount": str(total)})
    return FlexiblePayment([r.period for r in rows], total)


def employee_spans(month: int) -> Select[*tuple[Any, ...]]:
    """SQL: ``(person_id, employer_id, start_month)`` of each employee-pension enrolment
    through an employer open in ``month`` (``YYYYMM``): who works for whom, as insured —
    for the labour domain's contract signing rate and its no-contract work-list."""
    return select(Enrolment.person_id, Enrolment.employer_id, Enrolment.start_month).where(
        Enrolment.scheme == "employee_pension", Enrolment.employer_id.is_not(None),
        Enrolment.start_month <= month,
        or_(Enrolment.end_month.is_(None), Enrolment.end_month >= month))


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
