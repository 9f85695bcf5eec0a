"""Social insurance rules as pure functions.

Sources (see ../shared/reference/hrss-rules.md §3–4):
- 社会保险法 (2010, amended 2018) arts. 10, 12, 23, 33, 44, 53: who pays which insurance;
  work-injury insurance is paid by the employer alone.
- Contribution base: the declared wage clamped to 60 %–300 % of the local average wage
  (全口径城镇单位就业人员平均工资, since 国办发〔2019〕13号; ◐ in the reference, so the
  ratios are data in ``contribution_rule``, not constants here).
- 国发〔2005〕38号 §6: individual businesses and flexible workers (灵活就业) pay employee
  pension themselves at 20 % of the base, of which 8 % is credited to the personal account
  (§5: the personal account is 8 % of the base for everyone). Both rates are dated data of
  the contribution rule (``flexible_pension_ppm``, ``account_ppm``), not constants.
- 国发〔2014〕8号: resident pension grades, government subsidy, and government-paid
  contributions (代缴) for designated groups.
- 国发〔2005〕38号 §6 and the contribution-index practice it founds: the average index is
  the mean of the yearly indices (own base ÷ that year's average wage, within the year's
  floor and ceiling) weighted by the months contributed (:func:`average_index`).
- Personal-account interest (记账利率): yearly compounding at the rate of each year, a
  year's credits earning from the next year (:func:`account_growth`; the rates are
  dated data, ``account_interest_rate``).
- 人社部发〔2014〕17号《城乡养老保险制度衔接暂行办法》art. 8 (◐, not in the reference):
  months covered by both employee and resident pension are not allowed; the resident
  contributions of overlapping months are refunded. We refuse the overlap (409).

All money is handled in integer fen; rates are integers in parts per million (ppm), so
the set-based SQL of the assessment does exactly the same integer arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final, Literal, get_args

from minsheng.platform.money import PPM, share_fen
from minsheng.platform.months import months_between

#: Schemes that may not cover the same month for one person.
EXCLUSIVE_PENSIONS = frozenset({"employee_pension", "resident_pension"})


@dataclass(frozen=True)
class Base:
    """A contribution base: the amount and whether the declared wage was clamped."""

    fen: int
    clamp: str | None  # "floor" | "ceiling" | None


def contribution_base(
    declared_fen: int | None, average_fen: int, floor_ppm: int, ceiling_ppm: int
) -> Base:
    """Clamp a declared monthly wage to [floor, ceiling] = [60 %, 300 %] of the average
    wage (ratios from the rule). No declaration counts as the floor, and says so."""
    floor, ceiling = share_fen(average_fen, floor_ppm), share_fen(average_fen, ceiling_ppm)
    if declared_fen is None or declared_fen < floor:
        return Base(floor, "floor")
    if declared_fen > ceiling:
        return Base(ceiling, "ceiling")
    return Base(declared_fen, None)


@dataclass(frozen=True)
class Rates:
    """Employer and personal rates of one scheme (ppm)."""

    employer_ppm: int
    personal_ppm: int


def scheme_rates(
    scheme: str,
    *,
    has_employer: bool,
    pension: Rates,
    unemployment: Rates,
    work_injury_ppm: int,
    flexible_pension_ppm: int,
) -> Rates:
    """Who pays what for one scheme (社会保险法 arts. 12, 33, 44; 国发〔2005〕38号 §6: a
    flexible worker pays the flexible rate alone, not the employer's and employee's sum)."""
    if scheme == "employee_pension":
        if has_employer:
            return pension
        return Rates(0, flexible_pension_ppm)
    if scheme == "unemployment":
        return unemployment
    if scheme == "work_injury":
        return Rates(work_injury_ppm, 0)  # employer only (art. 33)
    raise ValueError(f"no monthly assessment for scheme {scheme}")


def account_credit_fen(base_fen: int, account_ppm: int) -> int:
    """The month's credit to the personal account: 8 % of the base (国发〔2005〕38号 §5),
    for an employee and a flexible worker alike, whatever the payment was."""
    return share_fen(base_fen, account_ppm)


# --- the employee-pension record: contribution index and personal account ---------------


def month_index(base_fen: int, average_fen: int, floor_ppm: int, ceiling_ppm: int) -> Fraction:
    """A month's contribution index (缴费指数): own base ÷ the average wage of the rule in
    force that month, clamped to the rule's floor and ceiling (60 %–300 % today: the base
    itself is clamped there, §3), exact."""
    if average_fen <= 0:
        raise ValueError("the average wage is positive")
    value = Fraction(base_fen, average_fen)
    return min(max(value, Fraction(floor_ppm, PPM)), Fraction(ceiling_ppm, PPM))


def average_index(indices: Iterable[Fraction]) -> Decimal:
    """The average contribution index (平均缴费指数, 国发〔2005〕38号 §6): the mean of the
    yearly indices weighted by the months actually contributed in each year — which is
    the mean over the contributed months of each month's index (:func:`month_index`),
    rounded half up to 4 places. ``0`` with no month.

    359 months at 0.6 and one at 3.0: (359 × 0.6 + 3.0) / 360 = 0.6067, not the 1.8 of
    an unweighted mean of the two spans."""
    values = list(indices)
    if not values:
        return Decimal("0.0000")
    mean = sum(values, Fraction(0)) / len(values)
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP)


InYearInterest = Literal["none", "monthly"]
IN_YEAR_INTEREST: Final = get_args(InYearInterest)


@dataclass(frozen=True)
class AccountYear:
    """One year of the personal account: what was credited, the rate and the interest."""

    year: int
    opening_fen: int
    credited_fen: int
    #: The year's credited rate (ppm), ``None`` when none is on record.
    rate_ppm: int | None
    #: Months of the year the opening balance earned interest (12, or fewer in the year
    #: of ``until``).
    months: int
    interest_fen: int

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.credited_fen + self.interest_fen


def _half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def account_growth(credits: Iterable[tuple[int, int]], rates: Mapping[int, int | None],
                   until: int, in_year: InYearInterest = "none") -> list[AccountYear]:
    """The personal account year by year up to ``until`` (``YYYYMM``), from the monthly
    credits ``(period, fen)`` and the yearly credited rates (记账利率, ppm by year).

    Rule (人社部发〔2017〕31号 ◐; each year's rate is dated data): interest compounds once a
    year. The balance brought into a year earns that year's rate; in the year of
    ``until`` only for the months up to it (``rate × month / 12``, the retirement year's
    part). The credits of a year earn interest from the following year on
    (``in_year="none"``, the default). ``in_year="monthly"`` (a regional practice,
    unconfirmed, hence a setting) also gives each month's credit simple interest for the
    rest of its year (``rate × (12 − month) / 12``; to ``until`` in the last year). A year
    whose rate is not on record earns none (``rate_ppm`` is ``None``: the caller says
    so). Each year's interest is rounded half up to the fen.
    """
    by_year: dict[int, list[tuple[int, int]]] = {}
    for period, fen in credits:
        if period <= until:
            by_year.setdefault(period // 100, []).append((period % 100, fen))
    if not by_year:
        return []
    last_year, last_month = divmod(until, 100)
    years: list[AccountYear] = []
    balance = 0
    for year in range(min(by_year), last_year + 1):
        rows = by_year.get(year, [])
        months = last_month if year == last_year else 12
        rate = rates.get(year)
        interest = Fraction(0)
        if rate is not None:
            interest = Fraction(balance * rate * months, PPM * 12)
            if in_year == "monthly":
                interest += sum((Fraction(fen * rate * (months - month), PPM * 12)
                                 for month, fen in rows if month < months), Fraction(0))
        credited = sum(fen for _, fen in rows)
        row = AccountYear(year, balance, credited, rate, months, _half_up(interest))
        years.append(row)
        balance = row.closing_fen
    return years


@dataclass(frozen=True)
class Assessed:
    base: Base
    employer_fen: int
    personal_fen: int


def assess(declared_fen: int | None, average_fen: int, floor_ppm: int, ceiling_ppm: int,
           rates: Rates) -> Assessed:
    """One person's monthly contribution for one scheme."""
    base = contribution_base(declared_fen, average_fen, floor_ppm, ceiling_ppm)
    return Assessed(base, share_fen(base.fen, rates.employer_ppm),
                    share_fen(base.fen, rates.personal_ppm))


@dataclass(frozen=True)
class Span:
    scheme: str
    start: int
    end: int | None  # inclusive; None = open

    def overlaps(self, other: Span) -> bool:
        self_end = self.end if self.end is not None else 999_912
        other_end = other.end if other.end is not None else 999_912
        return self.start <= other_end and other.start <= self_end


def conflicting_enrolment(existing: Iterable[Span], new: Span) -> Span | None:
    """The first existing enrolment the new one may not overlap: the same scheme, or
    employee and resident pension for the same months (衔接暂行办法 art. 8)."""
    for span in existing:
        same = span.scheme == new.scheme
        both_pensions = {span.scheme, new.scheme} == EXCLUSIVE_PENSIONS
        if (same or both_pensions) and span.overlaps(new):
            return span
    return None


def enrolled_months(spans: Iterable[Span], until: int) -> int:
    """Months covered by the spans up to ``until`` (overlaps counted once)."""
    months: set[int] = set()
    for span in spans:
        last = min(span.end if span.end is not None else until, until)
        count = months_between(span.start, last)
        start_index = (span.start // 100) * 12 + span.start % 100 - 1
        months.update(start_index + i for i in range(count))
    return len(months)


def government_payment_fen(lowest_grade_fen: int, share_ppm: int) -> int:
    """代缴: the government pays ``share`` of the lowest grade (国发〔2014〕8号 §6)."""
    return share_fen(lowest_grade_fen, share_ppm)


def coverage_rate(enrolled: int, should_enrol: int) -> Decimal | None:
    """Pension coverage (参保率) = enrolled ÷ people who should be enrolled, 4 decimals."""
    if should_enrol == 0:
        return None
    return (Decimal(enrolled) / Decimal(should_enrol)).quantize(Decimal("0.0001"))


#: Age from which a resident should be in a pension scheme (国发〔2014〕8号: residents
#: aged 16+, not students, not in the employee scheme). Students are not yet on record.
MIN_ENROLMENT_AGE = 16


# --- the resident pension record and the transfer between the two schemes (衔接) -----------
#
# 人社部发〔2014〕17号《城乡养老保险制度衔接暂行办法》 (◐, not in the reference; text read
# from the national notice as republished by local bureaus):
# - art. 3: at the employee statutory age, someone with 15+ employee-pension years
#   transfers the resident record into the employee scheme; with fewer, the employee
#   record into the resident scheme;
# - art. 5: transferred into the resident scheme, the employee years count as resident
#   years and the employee personal account joins the resident account;
# - art. 8: months paid in both schemes (counted by month) count once, as employee
#   months; the resident personal contribution of those months is refunded.


def covered_periods(spans: Iterable[Span], until: int) -> set[int]:
    """The months (``YYYYMM``) the spans cover up to ``until``, each once."""
    periods: set[int] = set()
    for span in spans:
        month = span.start
        last = min(span.end if span.end is not None else until, until)
        while month <= last:
            periods.add(month)
            month = month + 1 if month % 100 < 12 else (month // 100 + 1) * 100 + 1
    return periods


@dataclass(frozen=True)
class ResidentYear:
    """One paid year of resident pension (国发〔2014〕8号 四: paid yearly): what went
    into the personal account, in fen."""

    year: int
    personal_fen: int
    government_fen: int = 0
    subsidy_fen: int = 0

    @property
    def account_fen(self) -> int:
        """Personal payment, government payment (代缴) and subsidy: all credited to the
        personal account (国发〔2014〕8号 五)."""
        return self.personal_fen + self.government_fen + self.subsidy_fen


@dataclass(frozen=True)
class ResidentMonths:
    """Paid resident years set against the employee-pension months (衔接 art. 8)."""

    #: 12 per paid year.
    resident_months: int
    #: Resident months that are also employee-pension months.
    overlap_months: int
    #: The resident account without the overlapping months' share, in fen.
    account_fen: int
    #: The personal contributions of the overlapping months, refunded (art. 8), in fen.
    refund_fen: int

    @property
    def counted_months(self) -> int:
        """Resident months that count: each overlapping month counts once, as an
        employee month."""
        return self.resident_months - self.overlap_months


def _twelfths_fen(fen: int, months: int) -> int:
    """``fen × months / 12`` rounded half up to the fen (integers only)."""
    return (2 * fen * months + 12) // 24


def resident_months(years: Iterable[ResidentYear], employee_periods: set[int]) -> ResidentMonths:
    """The resident record counted against the employee record (衔接暂行办法 art. 8):
    every paid year is 12 months; a month also covered by employee pension counts
    once (as an employee month), the year's payment of that month (1/12 of the whole:
    personal, government and subsidy) leaves the resident account, and its personal
    part (1/12 of the personal payment) is refunded.

    A year 2015 of 500 personal + 60 subsidy with employee pension from 2015-07: 6
    months overlap, 280.00 (= 560 × 6/12) leaves the account, 250.00 is refunded.
    """
    total = overlap = account = refund = 0
    for paid in years:
        months = {paid.year * 100 + m for m in range(1, 13)}
        shared = len(months & employee_periods)
        total += 12
        overlap += shared
        account += paid.account_fen - _twelfths_fen(paid.account_fen, shared)
        refund += _twelfths_fen(paid.personal_fen, shared)
    return ResidentMonths(total, overlap, account, refund)
