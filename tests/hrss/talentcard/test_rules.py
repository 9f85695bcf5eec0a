"""The talent service card as pure functions: the card's steps, validity and renewal,
which bases a tier accepts, and service deadlines in working days across the 2026
Mid-Autumn and National Day holidays (1–7 Oct off; Sun 20 Sep and Sat 10 Oct worked).
Expected dates are counted by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.rules import BasisKind, CardAction, CardState
from minsheng.platform.workdays import (
    HolidayCalendar,
    calendar_from_chinese_calendar,
    is_workday,
    workdays_between,
)

CAL: HolidayCalendar = calendar_from_chinese_calendar()
NATIONAL_DAY = {date(2026, 10, d) for d in range(1, 8)}
AUTUMN = st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 10, 31))


class TestServiceDeadline:
    def test_one_day_before_national_day_runs_past_the_holiday(self) -> None:
        # Wed 30 Sep; 1–7 Oct are off; the first working day after is Thu 8 Oct.
        assert rules.service_due(date(2026, 9, 30), 1, CAL).due_date == date(2026, 10, 8)

    def test_mid_autumn_friday_is_skipped(self) -> None:
        # Thu 24 Sep; Fri 25–Sun 27 Sep off (中秋); Mon 28 (1), Tue 29 (2), Wed 30 (3).
        assert rules.service_due(date(2026, 9, 24), 3, CAL).due_date == date(2026, 9, 30)

    def test_make_up_sunday_counts(self) -> None:
        # Fri 18 Sep; Sat 19 off; Sun 20 Sep is a make-up working day (调休) → day 1.
        assert rules.service_due(date(2026, 9, 18), 1, CAL).due_date == date(2026, 9, 20)

    def test_make_up_saturday_after_the_holiday_counts(self) -> None:
        # Thu 8 Oct; Fri 9 (1), Sat 10 Oct make-up working day (2).
        assert rules.service_due(date(2026, 10, 8), 2, CAL).due_date == date(2026, 10, 10)

    def test_ten_working_days_across_the_holiday(self) -> None:
        # Tue 29 Sep: 30 Sep (1), 8 Oct (2), 9 (3), Sat 10 (4), 12 (5), 13 (6), 14 (7),
        # 15 (8), 16 (9), Mon 19 Oct (10).
        assert rules.service_due(date(2026, 9, 29), 10, CAL).due_date == date(2026, 10, 19)

    def test_zero_days_on_a_holiday_is_the_next_working_day(self) -> None:
        assert rules.service_due(date(2026, 10, 3), 0, CAL).due_date == date(2026, 10, 8)

    @given(AUTUMN, st.integers(min_value=1, max_value=40))
    def test_the_deadline_is_the_nth_working_day(self, start: date, n: int) -> None:
        due = rules.service_due(start, n, CAL).due_date
        assert due > start
        assert is_workday(due, CAL)
        assert due not in NATIONAL_DAY
        assert workdays_between(start, due, CAL) == n

    @given(AUTUMN, st.integers(min_value=0, max_value=30))
    def test_one_more_day_never_comes_sooner(self, start: date, n: int) -> None:
        later = rules.service_due(start, n + 1, CAL).due_date
        sooner = rules.service_due(start, n, CAL).due_date
        # 0 days from a day off is the next working day, as is 1 day: equal then.
        assert later > sooner if n >= 1 or is_workday(start, CAL) else later == sooner

    @given(st.sampled_from(sorted(NATIONAL_DAY)), st.integers(min_value=0, max_value=5))
    def test_a_request_in_the_holiday_waits_for_it_to_end(self, start: date, n: int) -> None:
        # Requested during 1–7 Oct: the first working day is 8 Oct, so n days end on the
        # n-th working day from 8 Oct on (8, 9, Sat 10, 12, 13, 14 …).
        from_eighth = [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10),
                       date(2026, 10, 12), date(2026, 10, 13), date(2026, 10, 14)]
        expected = from_eighth[max(n - 1, 0)]
        assert rules.service_due(start, n, CAL).due_date == expected

    def test_overdue_only_when_open_and_past(self) -> None:
        due = date(2026, 10, 8)
        assert rules.is_overdue(rules.BookingState.REQUESTED, due, date(2026, 10, 9))
        assert not rules.is_overdue(rules.BookingState.REQUESTED, due, due)
        assert not rules.is_overdue(rules.BookingState.DELIVERED, due, date(2027, 1, 1))


class TestCardSteps:
    def test_the_legal_path(self) -> None:
        state = rules.card_step(CardState.APPLIED, CardAction.APPROVE)
        state = rules.card_step(state, CardAction.ISSUE)
        assert state is CardState.ACTIVE
        assert rules.card_step(state, CardAction.RENEW) is CardState.ACTIVE
        assert rules.card_step(state, CardAction.REVOKE) is CardState.REVOKED
        assert rules.card_step(CardState.EXPIRED, CardAction.RENEW) is CardState.ACTIVE
        assert rules.card_step(CardState.APPLIED, CardAction.REFUSE) is CardState.REFUSED

    @pytest.mark.parametrize(("state", "action"), [
        (CardState.APPLIED, CardAction.ISSUE), (CardState.APPROVED, CardAction.APPROVE),
        (CardState.REFUSED, CardAction.ISSUE), (CardState.REVOKED, CardAction.RENEW),
        (CardState.REVOKED, CardAction.REVOKE), (CardState.EXPIRED, CardAction.REVOKE),
        (CardState.ACTIVE, CardAction.ISSUE), (CardState.APPROVED, CardAction.RENEW)])
    def test_illegal_steps_are_refused(self, state: CardState, action: CardAction) -> None:
        with pytest.raises(rules.StepRefused):
            rules.card_step(state, action)

    @given(st.sampled_from(list(CardState)), st.sampled_from(list(CardAction)))
    def test_final_states_have_no_way_out(self, state: CardState, action: CardAction) -> None:
        if state in (CardState.REFUSED, CardState.REVOKED):
            with pytest.raises(rules.StepRefused):
                rules.card_step(state, action)

    def test_an_active_card_past_its_last_day_reads_as_expired(self) -> None:
        last = date(2029, 3, 1)
        assert rules.effective_state(CardState.ACTIVE, last, last) is CardState.ACTIVE
        assert rules.effective_state(CardState.ACTIVE, last, date(2029, 3, 2)) \
            is CardState.EXPIRED
        assert rules.effective_state(CardState.REVOKED, last, date(2030, 1, 1)) \
            is CardState.REVOKED


class TestValidity:
    def test_three_years_end_the_day_before(self) -> None:
        assert rules.valid_until(date(2026, 3, 2), 3) == date(2029, 3, 1)

    def test_from_29_february(self) -> None:
        # 29 Feb 2028 + 1 year → 28 Feb 2029 (no 29th), the day before: 27 Feb 2029.
        assert rules.valid_until(date(2028, 2, 29), 1) == date(2029, 2, 27)

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
           st.integers(min_value=1, max_value=10))
    def test_validity_spans_whole_years(self, start: date, years: int) -> None:
        until = rules.valid_until(start, years)
        assert until > start
        assert 365 * years - 2 <= (until - start).days <= 366 * years

    def test_renewal_runs_on_from_the_old_last_day(self) -> None:
        # Valid to 1 Mar 2029, renewed 1 Feb 2029 for 3 years: 2 Mar 2029 + 3 y − 1 day.
        assert rules.renewed_until(date(2029, 3, 1), date(2029, 2, 1), 3) == date(2032, 3, 1)

    def test_an_expired_card_is_renewed_from_the_renewal_day(self) -> None:
        assert rules.renewed_until(date(2029, 3, 1), date(2029, 6, 10), 3) == date(2032, 6, 9)

    def test_too_early_is_refused_naming_the_first_day(self) -> None:
        with pytest.raises(rules.RenewalRefused) as refused:
            rules.renewed_until(date(2029, 3, 1), date(2028, 11, 30), 3)
        # 90 days before 1 Mar 2029 (28 days of Feb, 31 Jan, 31 Dec = 90) → 1 Dec 2028.
        assert refused.value.opens_on == date(2028, 12, 1)
        assert rules.renewed_until(date(2029, 3, 1), date(2028, 12, 1), 3) == date(2032, 3, 1)


class TestEligibility:
    BASES = rules.parse_bases("category:C, title:副高,skill_level:2")

    def test_parsing(self) -> None:
        assert {(BasisKind.CATEGORY, "C"), (BasisKind.TITLE, "副高"),
                              (BasisKind.SKILL_LEVEL, "2")} == self.BASES
        with pytest.raises(ValueError):
            rules.parse_bases("title")
        with pytest.raises(ValueError):
            rules.parse_bases("rank:1")

    def test_described_in_chinese(self) -> None:
        assert rules.describe_bases("category:B,title:正高,category:A,skill_level:1") == (
            "人才类别 A、B；专业技术职称 正高及以上；职业技能等级 一级/高级技师及以上")

    @pytest.mark.parametrize(("kind", "value", "accepted"), [
        (BasisKind.SKILL_LEVEL, "1", True), (BasisKind.SKILL_LEVEL, "2", True),
        (BasisKind.SKILL_LEVEL, "3", False), (BasisKind.SKILL_LEVEL, "x", False),
        (BasisKind.TITLE, "正高", True), (BasisKind.TITLE, "副高", True),
        (BasisKind.TITLE, "中级", False), (BasisKind.TITLE, "教授", False),
        (BasisKind.CATEGORY, "C", True), (BasisKind.CATEGORY, "A", False)])
    def test_better_levels_qualify(self, kind: BasisKind, value: str,
                                   accepted: bool) -> None:
        assert rules.basis_accepted(self.BASES, kind, value) is accepted

    @given(st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=5))
    def test_skill_levels_are_ordered(self, tier_level: int, held: int) -> None:
        bases = rules.parse_bases(f"skill_level:{tier_level}")
        assert rules.basis_accepted(bases, BasisKind.SKILL_LEVEL, str(held)) is (
            held <= tier_level)

    def test_satisfaction_scale(self) -> None:
        assert [s for s in range(-1, 8) if rules.valid_satisfaction(s)] == [1, 2, 3, 4, 5]


class TestBasisOnRecord:
    """The declared basis against what the talent register holds."""

    def test_by_hand(self) -> None:
        on = rules.basis_on_record
        skill, title, category = (rules.BasisKind.SKILL_LEVEL, rules.BasisKind.TITLE,
                                  rules.BasisKind.CATEGORY)
        # 高级技师 (1) bears out a declared 技师 (2); a 高级工 (3) does not.
        assert on(skill, "2", skill_levels=[1], titles=[], categories=[])
        assert not on(skill, "2", skill_levels=[3], titles=[], categories=[])
        # 正高 on record bears out 副高; 中级 does not.
        assert on(title, "副高", skill_levels=[], titles=["正高"], categories=[])
        assert not on(title, "副高", skill_levels=[], titles=["中级"], categories=[])
        assert on(category, "B", skill_levels=[], titles=[], categories=["A", "B"])
        assert not on(category, "C", skill_levels=[], titles=[], categories=["A", "B"])
        assert not on(title, "院士", skill_levels=[], titles=["正高"], categories=[])

    @given(st.integers(1, 5), st.lists(st.integers(1, 5), max_size=5))
    def test_a_skill_level_is_on_record_iff_one_as_good_is_held(
            self, declared: int, held: list[int]) -> None:
        found = rules.basis_on_record(rules.BasisKind.SKILL_LEVEL, str(declared),
                                      skill_levels=held, titles=[], categories=[])
        assert found == any(level <= declared for level in held)

    @given(st.sampled_from(["正高", "副高", "中级", "初级"]),
           st.lists(st.sampled_from(["senior", "deputy_senior", "intermediate", "junior"]),
                    max_size=4))
    def test_register_titles_are_read_in_this_domains_words(
            self, declared: str, held: list[str]) -> None:
        order = ["正高", "副高", "中级", "初级"]
        words = [rules.TITLE_OF_RECORD[t] for t in held]
        found = rules.basis_on_record(rules.BasisKind.TITLE, declared, skill_levels=[],
                                      titles=held, categories=[])
        assert found == any(order.index(w) <= order.index(declared) for w in words)
