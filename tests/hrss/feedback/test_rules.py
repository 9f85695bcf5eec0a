"""The feedback rules: the reply's working-day deadline, the length limits and the
call-back number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.feedback import rules
from minsheng.platform.workdays import calendar_from_chinese_calendar, is_workday

CAL = calendar_from_chinese_calendar()


def test_national_day_and_its_make_up_days_move_the_deadline() -> None:
    # Submitted Tue 30 Sep 2025: 1–8 Oct are days off, Sat 11 Oct is a make-up working
    # day; counting by hand: 9, 10, 11, 13, 14, 15, 16, 17, 20, 21 October.
    assert rules.reply_due(date(2025, 9, 30), 10, CAL).due_date == date(2025, 10, 21)
    # Submitted on a Saturday: the first working day is Monday.
    assert rules.reply_due(date(2025, 6, 7), 1, CAL).due_date == date(2025, 6, 9)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
       st.integers(min_value=1, max_value=30))
def test_the_deadline_is_the_nth_working_day_after_submission(day: date, n: int) -> None:
    due = rules.reply_due(day, n, CAL).due_date
    assert due > day and is_workday(due, CAL)
    counted = [day + timedelta(days=k) for k in range(1, (due - day).days + 1)]
    assert sum(is_workday(d, CAL) for d in counted) == n
    # and not a day later than needed: the day before has one working day fewer
    assert sum(is_workday(d, CAL) for d in counted[:-1]) == n - 1


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
       st.integers(min_value=0, max_value=40))
def test_overdue_only_after_the_due_day_and_only_while_open(due: date, days: int) -> None:
    today = due + timedelta(days=days)
    assert rules.is_overdue("open", due, today) == (days > 0)
    assert not rules.is_overdue("replied", due, today)
    assert not rules.is_overdue("open", due, due - timedelta(days=days))


def _fields(kind: str, subject: str, text: str, phone: str = "") -> set[str]:
    return {p.field for p in rules.submission_problems(kind, subject, text, phone)}


@given(st.integers(min_value=0, max_value=80), st.integers(min_value=0, max_value=1100))
def test_length_limits_of_subject_and_text(subject_len: int, text_len: int) -> None:
    found = _fields("complaint", "题" * subject_len, "字" * text_len)
    assert ("subject" in found) == (not 2 <= subject_len <= 60)
    assert ("text" in found) == (not 10 <= text_len <= 1000)


@given(st.integers(min_value=0, max_value=12))
def test_spaces_around_the_text_do_not_count(pad: int) -> None:
    assert _fields("praise", " " * pad + "好" + " " * pad, "很好" * 5) == {"subject"}
    assert _fields("praise", " " * pad + "表扬" + " " * pad, "很好" * 5) == set()


def test_every_problem_is_named_at_once_in_both_languages() -> None:
    problems = rules.submission_problems("other", "", "短", "123")
    assert {p.field for p in problems} == {"kind", "subject", "text", "phone"}
    for p in problems:
        assert p.message and p.message_en and p.message != p.message_en
    assert all(all(ord(c) < 128 for c in p.message_en) for p in problems)


@pytest.mark.parametrize(("typed", "kept"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("023-63891234", "023-63891234"), ("02363891234", "02363891234"),
    ("0851-8123456", "0851-8123456"), ("023-63891234-801", "023-63891234-801"),
])
def test_phones_accepted(typed: str, kept: str) -> None:
    assert rules.normal_phone(typed) == kept


@pytest.mark.parametrize("typed", ["12812345678", "1381234567", "138123456789", "63891234",
                                   "abc", "023-638912", "+86 13812345678x"])
def test_phones_refused(typed: str) -> None:
    assert rules.normal_phone(typed) is None


def test_reply_limits() -> None:
    assert rules.reply_problem("已收到") is not None
    assert rules.reply_problem("已转相关科室办理") is None
    assert rules.reply_problem("答" * 1001) is not None
