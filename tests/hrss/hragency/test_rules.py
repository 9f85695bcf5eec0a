"""HR service agency rules as pure functions: licence status, in force during a year,
the report deadline and lateness, fen to yuan."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.hragency import rules


class TestLicence:
    def test_status(self) -> None:
        assert rules.licence_status("valid", date(2026, 6, 30), date(2026, 6, 30)) == "valid"
        assert rules.licence_status("valid", date(2026, 6, 30), date(2026, 7, 1)) == "expired"
        assert rules.licence_status("revoked", date(2030, 1, 1), date(2026, 1, 1)) == "revoked"

    def test_in_force_during_a_year(self) -> None:
        y = (date(2025, 1, 1), date(2025, 12, 31))
        assert rules.in_force_during(date(2025, 12, 31), date(2030, 1, 1), None, *y)
        assert not rules.in_force_during(date(2026, 1, 1), date(2030, 1, 1), None, *y)
        assert rules.in_force_during(date(2020, 1, 1), date(2025, 1, 1), None, *y)
        assert not rules.in_force_during(date(2020, 1, 1), date(2024, 12, 31), None, *y)
        assert not rules.in_force_during(date(2020, 1, 1), date(2030, 1, 1),
                                         date(2024, 12, 31), *y)

    @given(st.dates(date(2000, 1, 1), date(2040, 1, 1)), st.integers(0, 4000),
           st.one_of(st.none(), st.integers(0, 4000)), st.dates(date(2000, 1, 1),
                                                                date(2045, 1, 1)))
    def test_in_force_on_a_day_means_in_force_during_it(self, issued: date, days: int,
                                                        revoked_after: int | None,
                                                        day: date) -> None:
        until = issued + timedelta(days=days)
        revoked = None if revoked_after is None else issued + timedelta(days=revoked_after)
        if rules.in_force_on(issued, until, revoked, day):
            assert rules.in_force_during(issued, until, revoked, day, day)


class TestReportDeadline:
    def test_31_march_of_the_next_year(self) -> None:
        assert rules.report_deadline(2025, 3, 31) == date(2026, 3, 31)

    def test_a_day_past_the_month_end_is_its_last_day(self) -> None:
        assert rules.report_deadline(2027, 2, 30) == date(2028, 2, 29)  # 2028 is leap
        assert rules.report_deadline(2025, 2, 30) == date(2026, 2, 28)

    @given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(-60, 60),
           st.integers(-60, 60))
    def test_late(self, deadline: date, filed_shift: int, today_shift: int) -> None:
        filed = deadline + timedelta(days=filed_shift)
        assert rules.is_late(deadline, filed, deadline + timedelta(days=today_shift)) == (
            filed_shift > 0)
        assert rules.is_late(deadline, None, deadline + timedelta(days=today_shift)) == (
            today_shift > 0)


class TestMoney:
    @given(st.integers(0, 10**16))
    def test_yuan_from_fen_is_exact(self, fen: int) -> None:
        text = rules.yuan_from_fen(fen)
        whole, cents = text.split(".")
        assert int(whole) * 100 + int(cents) == fen and len(cents) == 2

    def test_examples(self) -> None:
        assert rules.yuan_from_fen(123456) == "1234.56"
        assert rules.yuan_from_fen(5) == "0.05"
        assert rules.scope_text("job_intermediary,training") == "职业介绍、人力资源培训"
