"""Working days and statutory deadlines.

Expected 2026 dates come from 国务院办公厅关于2026年部分节假日安排的通知
(4 Nov 2025): National Day 1–7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked;
Mid-Autumn 25–27 Sep off.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.platform.workdays import (
    Deadline,
    HolidayCalendar,
    add_days_statutory,
    add_workdays,
    calendar_from_chinese_calendar,
    is_known,
    is_workday,
    workdays_between,
)

CAL = calendar_from_chinese_calendar()


def calendar_up_to(last_year: int) -> HolidayCalendar:
    """The real calendar, as if nothing after ``last_year`` were published yet."""
    return HolidayCalendar(
        holidays=frozenset(d for d in CAL.holidays if d.year <= last_year),
        adjusted_workdays=frozenset(d for d in CAL.adjusted_workdays if d.year <= last_year),
        known_years=frozenset(y for y in CAL.known_years if y <= last_year),
    )


CAL_2026 = calendar_up_to(2026)
NO_HOLIDAYS = HolidayCalendar(frozenset(), frozenset(), frozenset())


def test_known_years_come_from_the_data() -> None:
    years = sorted(CAL.known_years)
    assert years[0] == 2004
    assert years == list(range(years[0], years[-1] + 1))
    assert 2026 in CAL.known_years
    assert is_known(date(2026, 1, 1), CAL)
    assert not is_known(date(2003, 12, 31), CAL)


class TestNationalDay2026:
    def test_holidays(self) -> None:
        for day in range(1, 8):
            assert not is_workday(date(2026, 10, day), CAL)
        assert not is_workday(date(2026, 9, 25), CAL)  # Mid-Autumn, a Friday

    def test_adjusted_workdays(self) -> None:
        assert date(2026, 9, 20).weekday() == 6  # Sunday
        assert is_workday(date(2026, 9, 20), CAL)
        assert date(2026, 10, 10).weekday() == 5  # Saturday
        assert is_workday(date(2026, 10, 10), CAL)
        assert is_workday(date(2026, 10, 8), CAL)

    def test_add_workdays_across_national_day(self) -> None:
        start = date(2026, 9, 30)
        assert add_workdays(start, 1, CAL) == Deadline(date(2026, 10, 8), estimated=False)
        assert add_workdays(start, 2, CAL).due_date == date(2026, 10, 9)
        assert add_workdays(start, 3, CAL).due_date == date(2026, 10, 10)  # make-up Saturday
        assert add_workdays(start, 4, CAL).due_date == date(2026, 10, 12)
        assert workdays_between(start, date(2026, 10, 12), CAL) == 4

    def test_make_up_sunday_counts(self) -> None:
        # Friday 18 Sep; Saturday 19 off; Sunday 20 worked.
        assert add_workdays(date(2026, 9, 18), 1, CAL).due_date == date(2026, 9, 20)

    def test_five_working_days_to_accept_an_application(self) -> None:
        # Received Wednesday 23 Sep: 24 (Thu), 28, 29, 30 (Mon-Wed), then 8 Oct.
        assert add_workdays(date(2026, 9, 23), 5, CAL).due_date == date(2026, 10, 8)

    def test_zero_days(self) -> None:
        assert add_workdays(date(2026, 9, 30), 0, CAL).due_date == date(2026, 9, 30)
        assert add_workdays(date(2026, 10, 1), 0, CAL).due_date == date(2026, 10, 8)

    def test_statutory_natural_days_end_on_a_holiday(self) -> None:
        # 15 days from 20 Sep end on 5 Oct (a holiday) and move to 8 Oct.
        assert add_days_statutory(date(2026, 9, 20), 15, CAL) == Deadline(
            date(2026, 10, 8), estimated=False
        )
        # Ending on a working day: unchanged.
        assert add_days_statutory(date(2026, 9, 1), 15, CAL).due_date == date(2026, 9, 16)
        # Ending on an ordinary Saturday: moves to Monday.
        assert add_days_statutory(date(2026, 11, 1), 27, CAL).due_date == date(2026, 11, 30)


class TestUnpublishedYears:
    def test_running_into_2027_is_estimated(self) -> None:
        start = date(2026, 12, 1)
        result = add_workdays(start, 60, CAL_2026)
        assert result.estimated
        assert result.due_date.year == 2027
        assert result.due_date.weekday() < 5
        assert workdays_between(start, result.due_date, CAL_2026) == 60

    def test_staying_in_2026_is_not_estimated(self) -> None:
        assert not add_workdays(date(2026, 11, 2), 10, CAL_2026).estimated

    def test_statutory_days_into_2027(self) -> None:
        result = add_days_statutory(date(2026, 12, 20), 45, CAL_2026)
        assert result.estimated
        assert result.due_date == date(2027, 2, 3)  # 45 days later, a Wednesday

    def test_weekday_fallback(self) -> None:
        friday = date(2030, 3, 1)
        assert friday.weekday() == 4
        assert add_workdays(friday, 1, CAL_2026) == Deadline(date(2030, 3, 4), estimated=True)
        assert not is_workday(date(2030, 3, 2), CAL_2026)

    def test_real_calendar_does_not_crash_outside_its_data(self) -> None:
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(date(2040, 1, 2))
        assert add_workdays(date(2039, 12, 30), 5, CAL).estimated


def test_negative_n_rejected() -> None:
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 5), -1, CAL)
    with pytest.raises(ValueError):
        add_days_statutory(date(2026, 1, 5), -1, CAL)


def test_calendar_rejects_a_day_both_off_and_worked() -> None:
    day = date(2026, 10, 1)
    with pytest.raises(ValueError):
        HolidayCalendar(frozenset({day}), frozenset({day}), frozenset({2026}))


def test_workdays_between_is_antisymmetric() -> None:
    a, b = date(2026, 9, 1), date(2026, 10, 31)
    assert workdays_between(a, b, CAL) == -workdays_between(b, a, CAL)
    assert workdays_between(a, a, CAL) == 0


def test_without_holidays_a_week_has_five_working_days() -> None:
    monday = date(2030, 1, 7)
    assert workdays_between(monday, monday + timedelta(days=7), NO_HOLIDAYS) == 5


# --- agreement with the chinese_calendar package, day by day -------------------------


def test_is_workday_agrees_with_chinese_calendar_in_every_known_year() -> None:
    day = date(min(CAL.known_years), 1, 1)
    end = date(max(CAL.known_years), 12, 31)
    while day <= end:
        assert is_workday(day, CAL) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


# --- properties ----------------------------------------------------------------------

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))


@given(starts, st.integers(min_value=0, max_value=200))
def test_add_workdays_lands_on_a_workday(start: date, n: int) -> None:
    due = add_workdays(start, n, CAL_2026).due_date
    assert is_workday(due, CAL_2026)
    assert due >= start
    if n >= 1:
        assert due > start


@given(starts, st.integers(min_value=1, max_value=200))
def test_workdays_between_inverts_add_workdays(start: date, n: int) -> None:
    result = add_workdays(start, n, CAL_2026)
    assert workdays_between(start, result.due_date, CAL_2026) == n
    # The day before the due date still has one working day to go.
    assert workdays_between(start, result.due_date - timedelta(days=1), CAL_2026) == n - 1
    assert result.estimated == any(
        (start + timedelta(days=k)).year not in CAL_2026.known_years
        for k in range(1, (result.due_date - start).days + 1)
    )


@given(starts, st.integers(min_value=0, max_value=400))
def test_add_days_statutory_moves_only_over_days_off(start: date, n: int) -> None:
    natural = start + timedelta(days=n)
    due = add_days_statutory(start, n, CAL_2026).due_date
    assert is_workday(due, CAL_2026)
    assert due >= natural
    gap = (due - natural).days
    assert all(not is_workday(natural + timedelta(days=k), CAL_2026) for k in range(gap))
