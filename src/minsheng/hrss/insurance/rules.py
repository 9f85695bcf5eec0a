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
- 人社部发〔2014〕17号《城乡养老保险制度衔接暂行办法》art. 8 (◐, not in the reference):
  months covered by both employee and resident pension are not allowed; the resident
  contributions of overlapping months are refunded. We refuse the overlap (409).

All money is handled in integer fen; rates are integers in parts per million (ppm), so
the set-based SQL of the assessment does exactly the same integer arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from minsheng.platform.money import share_fen
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
