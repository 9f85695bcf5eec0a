"""The statutory retirement age, which every HRSS domain applies (pension awards, the end
of working age in employment services, the end of contributions): 全国人民代表大会常务委员会
关于实施渐进式延迟法定退休年龄的决定 (13 Sep 2024) and the 国务院关于渐进式延迟法定退休年龄的
办法 it adopts, annexes 1–3 (delay tables by month of birth). ✔

Also the calendar arithmetic on ages it needs. Pure functions: no database, no clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, get_args

RetirementCategory = Literal["male", "female_cadre", "female_worker"]
RETIREMENT_CATEGORIES: Final = get_args(RetirementCategory)
CATEGORY_LABELS: Final[dict[str, str]] = {
    "male": "男职工",
    "female_cadre": "原法定退休年龄55周岁的女职工",
    "female_worker": "原法定退休年龄50周岁的女职工",
}


# --- calendar arithmetic on dates ---------------------------------------------------


def add_calendar_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; a day that the target month lacks
    (31st, 29 Feb) becomes that month's last day (1965-01-31 + 1 month = 1965-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def completed_months(birth_date: date, on: date) -> int:
    """Whole months of age on ``on`` (negative when ``on`` is before ``birth_date``).

    A month is complete on the same day of the month as the birth day, or on the last
    day of a month that has no such day, so that
    ``completed_months(b, add_calendar_months(b, n)) == n`` for every ``n >= 0``."""
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on.day < birth_date.day and on.day != calendar.monthrange(on.year, on.month)[1]:
        months -= 1
    return months


def age_on(birth_date: date, on: date) -> tuple[int, int]:
    """Age in completed ``(years, months)`` on ``on`` (周岁 and months)."""
    return divmod(completed_months(birth_date, on), 12)


def _period(day: date) -> int:
    """Months since year 0, for comparing calendar months."""
    return day.year * 12 + day.month - 1


# --- statutory retirement age (2024 decision) ----------------------------------------


@dataclass(frozen=True)
class ReformSchedule:
    """How one group's statutory age rises: from ``original_age_years``, one month more
    for every ``step_months`` months of (original) retirement from January 2025, at most
    ``max_delay_months``."""

    original_age_years: int
    step_months: int
    max_delay_months: int


#: 2024 decision, art. 1 and annexes 1–3.
REFORM_SCHEDULES: Final[dict[str, ReformSchedule]] = {
    "male": ReformSchedule(60, 4, 36),  # 60 → 63
    "female_cadre": ReformSchedule(55, 4, 36),  # 55 → 58
    "female_worker": ReformSchedule(50, 2, 60),  # 50 → 55
}
#: The month from which the reform applies (1 January 2025).
REFORM_START: Final = date(2025, 1, 1)


@dataclass(frozen=True)
class RetirementAge:
    """A statutory retirement age and the day it is reached."""

    years: int
    months: int
    retirement_date: date
    original_age_years: int
    delay_months: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def label(self) -> str:
        """``60岁3个月`` or ``63岁``."""
        return f"{self.years}岁{self.months}个月" if self.months else f"{self.years}岁"


def statutory_retirement(birth_date: date, category: RetirementCategory) -> RetirementAge:
    """The statutory retirement age of a person born on ``birth_date`` and the date they
    reach it, under the NPC Standing Committee decision of 13 Sep 2024 (渐进式延迟法定
    退休年龄; 国务院办法 annexes 1–3).

    Rule: let *k* be the number of months from January 2025 to the month in which the
    person reaches the *original* age (60, 55 or 50). If *k* < 0 (the old age was reached
    before 2025) the old age stands. Otherwise the delay is ``k // step + 1`` months
    (step 4 for men and women cadres, 2 for women workers), capped at 36 months (63 and
    58) or 60 months (55). The retirement date is the birth date plus that age (the last
    day of the month when the month has no such day).

    Checked against the rows of the annex tables (and independent implementations):
    men born 1964-12 → 60 (2024-12), 1965-01 → 60y1m in 2025-02, 1965-04 → 60y1m in
    2025-05, 1965-05 → 60y2m in 2025-07, 1965-12 → 60y3m in 2026-03, 1966-01 → 60y4m in
    2026-05, 1976-08 → 62y11m, 1976-09 and later → 63; women cadres 1970-01 → 55y1m in
    2025-02, 1971-04 → 55y4m in 2026-08, 1981-09 and later → 58; women workers 1975-01
    and 1975-02 → 50y1m (2025-02, 2025-03), 1975-03 → 50y2m in 2025-05, 1984-11 and
    later → 55. (A man born 1965-01 is 60y**1**m in 2025-**02**, not 60y3m: the first
    four monthly cohorts of 2025 get one month.)

    Flexible early or deferred retirement (up to 3 years, never below the original age)
    is a choice of the person: see :func:`flexible_window`.
    """
    if category not in REFORM_SCHEDULES:
        raise ValueError(f"unknown retirement category {category!r}")
    schedule = REFORM_SCHEDULES[category]
    original = _period(birth_date) + schedule.original_age_years * 12
    k = original - _period(REFORM_START)
    delay = 0 if k < 0 else min(k // schedule.step_months + 1, schedule.max_delay_months)
    total = schedule.original_age_years * 12 + delay
    return RetirementAge(
        years=total // 12,
        months=total % 12,
        retirement_date=add_calendar_months(birth_date, total),
        original_age_years=schedule.original_age_years,
        delay_months=delay,
    )


#: 国务院关于渐进式延迟法定退休年龄的办法 art. 3 (adopted by the 2024 decision): a worker
#: who has the minimum contribution period may retire early by choice, at most three
#: years before the statutory age and never below the original statutory age (men 60,
#: women 55 or 50); with the employer's agreement retirement may be deferred by at
#: most three years. ✔ (hrss-rules §3)
FLEXIBLE_MAX_MONTHS: Final = 36


@dataclass(frozen=True)
class FlexibleWindow:
    """The dates between which flexible (弹性) retirement may fall."""

    statutory: RetirementAge
    earliest: date
    latest: date
    #: Whether ``earliest`` is set by the original age rather than by the 3-year limit.
    earliest_is_original_age: bool


def flexible_window(birth_date: date, category: RetirementCategory) -> FlexibleWindow:
    """The flexible-retirement window of the 2024 decision (办法 art. 3): from
    ``max(statutory − 36 months, original age)`` to ``statutory + 36 months``.

    A man born 1970-01 (statutory 61y4m) may retire early from 60y0m (the original age
    binds, 16 months early); a woman worker born 1985-01 (statutory 55) from 52y0m (the
    3-year limit binds, 36 months early). Someone whose statutory age had no delay
    (reached before 2025) has no early window: the original age is the statutory age."""
    statutory = statutory_retirement(birth_date, category)
    by_limit = statutory.total_months - FLEXIBLE_MAX_MONTHS
    original = statutory.original_age_years * 12
    return FlexibleWindow(
        statutory=statutory,
        earliest=add_calendar_months(birth_date, max(by_limit, original)),
        latest=add_calendar_months(birth_date, statutory.total_months + FLEXIBLE_MAX_MONTHS),
        earliest_is_original_age=original >= by_limit,
    )


def month_index(day: date) -> int:
    """Months since year 0 of ``day``'s calendar month (to compare months of dates)."""
    return _period(day)
