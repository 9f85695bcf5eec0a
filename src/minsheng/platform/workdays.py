"""Statutory working days and deadline arithmetic.

A working day is Monday–Friday, except the public holidays of the 全国年节及纪念日
放假办法 (amended 2024, in force 2025) as arranged each year by the State Council
General Office's notice on holidays (国务院办公厅关于部分节假日安排的通知), which also
turns some weekend days into working days (调休). The dates come from the
``chinese_calendar`` package (``reference/hrss-rules.md`` §11), which covers only
the years whose notice has been published; for any other year a weekday fallback
is used and results are flagged ``estimated``.

All functions are pure: they take the :class:`HolidayCalendar` as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class HolidayCalendar:
    """Days off and make-up working days for the years in ``known_years``.

    ``holidays``: days off of the holiday arrangements (including weekend days
    inside a holiday period); ``adjusted_workdays``: weekend days that are working
    days (调休); ``known_years``: years whose arrangement is published and loaded.
    """

    holidays: frozenset[date]
    adjusted_workdays: frozenset[date]
    known_years: frozenset[int]

    def __post_init__(self) -> None:
        both = self.holidays & self.adjusted_workdays
        if both:
            raise ValueError(f"days both holiday and working day: {sorted(both)}")


@cache
def calendar_from_chinese_calendar() -> HolidayCalendar:
    """The calendar of the installed ``chinese_calendar`` package (cached).

    Known years are the years present in its holiday and make-up-day tables.
    """
    import chinese_calendar

    holidays: dict[date, object] = chinese_calendar.holidays
    workdays: dict[date, object] = chinese_calendar.workdays
    return HolidayCalendar(
        holidays=frozenset(holidays),
        adjusted_workdays=frozenset(workdays),
        known_years=frozenset(d.year for d in (*holidays, *workdays)),
    )


def is_known(day: date, cal: HolidayCalendar) -> bool:
    """Whether the holiday arrangement of ``day``'s year is in the calendar."""
    return day.year in cal.known_years


def is_workday(day: date, cal: HolidayCalendar) -> bool:
    """Whether ``day`` is a statutory working day.

    A holiday is not; a make-up day (调休) is; otherwise Monday–Friday are. For a
    year not in the calendar this is the Monday–Friday estimate.
    """
    if day in cal.holidays:
        return False
    if day in cal.adjusted_workdays:
        return True
    return day.weekday() < 5


@dataclass(frozen=True)
class Deadline:
    """A computed due date. ``estimated`` is true when a day the computation
    depended on lies in a year whose holidays are not published/loaded yet, so the
    date may move once the State Council announces that year's arrangement."""

    due_date: date
    estimated: bool


def _next_workday_from(day: date, cal: HolidayCalendar) -> Deadline:
    """``day`` if it is a working day, else the first working day after it."""
    estimated = False
    while True:
        estimated = estimated or not is_known(day, cal)
        if is_workday(day, cal):
            return Deadline(day, estimated)
        day += _ONE_DAY


def add_workdays(start: date, n: int, cal: HolidayCalendar) -> Deadline:
    """The ``n``-th working day after ``start`` (a period of ``n`` working days).

    The start day is not counted, as for every statutory period (民事诉讼法 art. 85:
    "期间开始的时和日，不计算在期间内"); e.g. 劳动保障监察条例 art. 17: an
    investigation ends within 60 working days of opening the case.
    ``n == 0`` gives ``start`` if it is a working day, else the next working day
    (a time limit that falls on a day off moves to the next working day).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return _next_workday_from(start, cal)
    day = start
    estimated = False
    remaining = n
    while remaining:
        day += _ONE_DAY
        estimated = estimated or not is_known(day, cal)
        if is_workday(day, cal):
            remaining -= 1
    return Deadline(day, estimated)


def workdays_between(a: date, b: date, cal: HolidayCalendar) -> int:
    """Number of working days in ``(a, b]`` (``a`` excluded, ``b`` included).

    So ``workdays_between(s, add_workdays(s, n, cal).due_date, cal) == n`` for
    ``n >= 1``. If ``b < a`` the result is ``-workdays_between(b, a, cal)``.
    """
    if b < a:
        return -workdays_between(b, a, cal)
    count = 0
    day = a
    while day < b:
        day += _ONE_DAY
        if is_workday(day, cal):
            count += 1
    return count


def add_days_statutory(start: date, n: int, cal: HolidayCalendar) -> Deadline:
    """End of a period of ``n`` natural days starting after ``start``.

    The start day is not counted; if the last day is a statutory holiday or rest
    day, the period ends on the first working day after it (民事诉讼法 art. 85:
    "期间开始的时和日，不计算在期间内。……期间届满的最后一日是法定休假日的，以法定
    休假日后的第一日为期间届满的日期"; the same rule in 民法典 art. 203; labour
    dispute arbitration periods such as the 45 days of 劳动争议调解仲裁法 art. 43 and
    the 15 days of art. 50 are counted this way).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    return _next_workday_from(start + timedelta(days=n), cal)
