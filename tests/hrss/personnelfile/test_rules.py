"""Personnel-file rules as pure functions: the receipt deadline in working days across
the Spring Festival 2026 (with its make-up Saturdays), when a transfer is refused, the
missing classes, the checksum form and the cross-province node. Dates counted by hand."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.personnelfile import rules
from minsheng.platform.workdays import HolidayCalendar, calendar_from_chinese_calendar, is_workday

CAL: HolidayCalendar = calendar_from_chinese_calendar()


class TestReceiptDeadline:
    def test_ten_working_days_in_an_ordinary_fortnight(self) -> None:
        # Mon 2 Mar 2026 (not counted): 3–6 Mar = 4, 9–13 Mar = 9, Mon 16 Mar = 10.
        assert rules.receipt_due(date(2026, 3, 2), 10, CAL) == date(2026, 3, 16)

    def test_across_the_spring_festival(self) -> None:
        # Thu 12 Feb 2026: Fri 13 = 1, Sat 14 (调休上班) = 2, 15–23 Feb holiday,
        # 24–27 Feb = 6, Sat 28 Feb (调休上班) = 7, 2–4 Mar = 10 → Wed 4 Mar.
        assert rules.receipt_due(date(2026, 2, 12), 10, CAL) == date(2026, 3, 4)

    @given(st.dates(date(2025, 1, 1), date(2026, 12, 1)), st.integers(1, 30))
    def test_due_is_a_working_day_after_dispatch(self, day: date, n: int) -> None:
        due = rules.receipt_due(day, n, CAL)
        assert due > day and is_workday(due, CAL)
        # at least n calendar days later, and never more than n working days + holidays
        assert (due - day).days >= n

    @given(st.dates(date(2025, 1, 1), date(2026, 12, 1)), st.integers(1, 29))
    def test_one_more_day_never_comes_earlier(self, day: date, n: int) -> None:
        assert rules.receipt_due(day, n + 1, CAL) > rules.receipt_due(day, n, CAL)


class TestOverdue:
    @given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(-30, 30))
    def test_overdue_only_after_the_due_day_and_never_once_received(self, due: date,
                                                                      shift: int) -> None:
        today = due + timedelta(days=shift)
        assert rules.is_overdue(due, None, today) == (shift > 0)
        assert rules.is_overdue(due, due, today) is False


class TestRefusal:
    def test_the_four_cases(self) -> None:
        assert rules.transfer_refusal(None, 2, False) is rules.Refusal.NOT_HELD
        assert rules.transfer_refusal(1, 2, True) is rules.Refusal.IN_TRANSIT
        assert rules.transfer_refusal(1, 1, False) is rules.Refusal.SAME_CUSTODIAN
        assert rules.transfer_refusal(1, 2, False) is None

    @given(st.integers(1, 50), st.integers(1, 50), st.booleans())
    def test_allowed_exactly_when_held_elsewhere_and_not_moving(self, held: int, to: int,
                                                                moving: bool) -> None:
        allowed = rules.transfer_refusal(held, to, moving) is None
        assert allowed == (held != to and not moving)


class TestMissing:
    @given(st.sets(st.integers(1, 10)), st.sets(st.integers(1, 10)))
    def test_missing_is_required_less_present_in_order(self, required: set[int],
                                                       present: set[int]) -> None:
        missing = rules.missing_categories(required, present)
        assert missing == sorted(missing)
        assert set(missing) == required - present
        assert not set(missing) & present

    def test_ten_classes(self) -> None:
        assert sorted(rules.FILE_CATEGORIES) == list(range(1, 11))
        assert rules.FILE_CATEGORIES[1] == "履历材料"


class TestChecksumAndNode:
    @given(st.binary(max_size=200))
    def test_sha256_hexdigest_is_valid(self, content: bytes) -> None:
        assert rules.valid_checksum(hashlib.sha256(content).hexdigest())

    def test_malformed_checksums(self) -> None:
        assert not rules.valid_checksum("A" * 64)
        assert not rules.valid_checksum("0" * 63)

    def test_peer_node_only_across_provinces(self) -> None:
        assert rules.peer_node("500103", "500102", None, None) is None
        assert rules.peer_node("500103", "510104", None, "sc") == "sc"
        assert rules.peer_node("510104", "500103", "sc", None) == "sc"

    def test_transfer_number(self) -> None:
        assert rules.transfer_number("cq", 2026, 123) == "CQDA2026000000123"
