"""Labour law as pure functions: periods across the Spring Festival 2026 and National Day
2025 holidays (with their make-up working days), limitation, final awards, probation, and
the order of the steps of a case. Expected dates are counted by hand in the comments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.labour import rules
from minsheng.hrss.labour.rules import (
    ClaimType,
    ComplaintState,
    ContractKind,
    DisputeState,
)
from minsheng.platform.workdays import HolidayCalendar, calendar_from_chinese_calendar

CAL: HolidayCalendar = calendar_from_chinese_calendar()


class TestDisputePeriods:
    def test_acceptance_ending_in_the_spring_festival_moves_past_it(self) -> None:
        # Received Thu 12 Feb 2026; +5 days = Tue 17 Feb, inside the 15–23 Feb holiday;
        # the first working day after it is Tue 24 Feb.
        assert rules.acceptance_due(date(2026, 2, 12), CAL).due_date == date(2026, 2, 24)

    def test_acceptance_ending_on_a_make_up_saturday_stays(self) -> None:
        # Received Mon 9 Feb 2026; +5 = Sat 14 Feb, a make-up working day (调休).
        assert rules.acceptance_due(date(2026, 2, 9), CAL).due_date == date(2026, 2, 14)

    def test_acceptance_from_a_make_up_sunday_into_national_day(self) -> None:
        # Received Sun 28 Sep 2025 (a working day); +5 = Fri 3 Oct, inside 1–8 Oct; the
        # next working day is Thu 9 Oct.
        assert rules.acceptance_due(date(2025, 9, 28), CAL).due_date == date(2025, 10, 9)

    def test_award_due_and_its_extension(self) -> None:
        # Accepted Mon 18 Aug 2025: 13 days to 31 Aug, 30 to 30 Sep, 2 more = Thu 2 Oct
        # (holiday) → Thu 9 Oct. Extended by 15: 60 days = Fri 17 Oct, a working day.
        assert rules.award_due(date(2025, 8, 18), 0, CAL).due_date == date(2025, 10, 9)
        assert rules.award_due(date(2025, 8, 18), 15, CAL).due_date == date(2025, 10, 17)

    def test_award_due_on_spring_festival_sunday(self) -> None:
        # Accepted 1 Jan 2026: 30 days to 31 Jan, 15 more = Sun 15 Feb → Tue 24 Feb.
        assert rules.award_due(date(2026, 1, 1), 0, CAL).due_date == date(2026, 2, 24)

    def test_mediation_due(self) -> None:
        # 15 days after Fri 6 Feb 2026 = Sat 21 Feb (holiday) → Tue 24 Feb.
        assert rules.mediation_due(date(2026, 2, 6), CAL).due_date == date(2026, 2, 24)

    @pytest.mark.parametrize("days", [-1, 16, 30])
    def test_an_extension_beyond_fifteen_days_is_refused(self, days: int) -> None:
        with pytest.raises(rules.ExtensionRefused) as refused:
            rules.check_extension(days, already_extended=False)
        assert refused.value.reason == "too_long"

    def test_a_second_extension_is_refused(self) -> None:
        with pytest.raises(rules.ExtensionRefused) as refused:
            rules.check_extension(5, already_extended=True)
        assert refused.value.reason == "twice"


class TestComplaintPeriods:
    def test_acceptance_counts_the_make_up_saturday(self) -> None:
        # Received Thu 12 Feb 2026: working days Fri 13 (1), Sat 14 make-up (2), then the
        # holiday to 23 Feb, Tue 24 (3), Wed 25 (4), Thu 26 (5).
        assert rules.complaint_acceptance_due(date(2026, 2, 12), CAL).due_date == \
            date(2026, 2, 26)

    def test_acceptance_across_national_day(self) -> None:
        # Received Fri 26 Sep 2025: Sun 28 make-up (1), Mon 29 (2), Tue 30 (3), the holiday
        # 1–8 Oct, Thu 9 (4), Fri 10 (5).
        assert rules.complaint_acceptance_due(date(2025, 9, 26), CAL).due_date == \
            date(2025, 10, 10)

    def test_investigation_sixty_and_ninety_working_days(self) -> None:
        # Opened Mon 5 Jan 2026. January after the 5th: 6–9 (4), 12–16, 19–23, 26–30 → 19.
        # February: 2–6, 9–13 → 29; Sat 14 make-up → 30; holiday 15–23; 24–27 → 34; Sat 28
        # make-up → 35. March: five weeks 2–27 → 55; 30, 31 → 57. April: 1, 2, 3 → 60.
        assert rules.investigation_due(date(2026, 1, 5), False, CAL).due_date == \
            date(2026, 4, 3)
        # 30 more: April after the 3rd (Qingming Mon 6 off): 7–10 (4) → 64, 13–17 → 69,
        # 20–24 → 74, 27–30 → 78; May 1–5 off; 6–8 → 81; Sat 9 make-up → 82; 11–15 → 87;
        # 18, 19, 20 → 90.
        assert rules.investigation_due(date(2026, 1, 5), True, CAL).due_date == \
            date(2026, 5, 20)

    def test_lookback_of_two_years(self) -> None:
        assert rules.within_lookback(date(2024, 3, 1), None, date(2026, 3, 1))
        assert not rules.within_lookback(date(2024, 3, 1), None, date(2026, 3, 2))
        # A continuing violation counts from its end.
        assert rules.within_lookback(date(2020, 1, 1), date(2024, 6, 30), date(2026, 6, 30))
        assert rules.lookback_ends(date(2024, 2, 29), None) == date(2026, 2, 28)


class TestLimitation:
    def test_one_year_from_knowing(self) -> None:
        # Knew on Tue 14 Jan 2025: the year ends Wed 14 Jan 2026, a working day.
        last = rules.limitation_ends(ClaimType.COMPENSATION, date(2025, 1, 14), None, CAL)
        assert last == date(2026, 1, 14)
        assert rules.within_limitation(ClaimType.COMPENSATION, date(2025, 1, 14), None,
                                       date(2026, 1, 14), CAL)
        assert not rules.within_limitation(ClaimType.COMPENSATION, date(2025, 1, 14), None,
                                           date(2026, 1, 15), CAL)

    def test_a_year_ending_in_the_spring_festival_moves_past_it(self) -> None:
        # Knew on 17 Feb 2025: the year ends Tue 17 Feb 2026, a holiday → Tue 24 Feb.
        assert rules.limitation_ends(ClaimType.DAMAGES, date(2025, 2, 17), None, CAL) == \
            date(2026, 2, 24)

    def test_wages_while_employed_have_no_limit_until_the_end(self) -> None:
        assert rules.limitation_ends(ClaimType.WAGES, date(2015, 1, 1), None, CAL) is None
        assert rules.within_limitation(ClaimType.WAGES, date(2015, 1, 1), None,
                                       date(2026, 1, 1), CAL)
        # Employment ended Mon 30 Jun 2025: a year to Tue 30 Jun 2026.
        assert rules.limitation_ends(ClaimType.WAGES, date(2015, 1, 1), date(2025, 6, 30),
                                     CAL) == date(2026, 6, 30)


class TestFinalAward:
    WAGE = Decimal("2100")  # 12 months = 25,200

    @pytest.mark.parametrize(("claim", "amount", "final"), [
        (ClaimType.WAGES, Decimal("25200.00"), True),
        (ClaimType.WAGES, Decimal("25200.01"), False),
        (ClaimType.COMPENSATION, Decimal("1"), True),
        (ClaimType.WORK_INJURY_MEDICAL, Decimal("30000"), False),
        (ClaimType.WORKING_HOURS, Decimal("999999"), True),
        (ClaimType.SOCIAL_INSURANCE, Decimal("0"), True),
        (ClaimType.CONTRACT, Decimal("100"), False),
    ])
    def test_art_47(self, claim: ClaimType, amount: Decimal, final: bool) -> None:
        assert rules.is_final_award(claim, amount, self.WAGE) is final

    def test_without_a_minimum_wage_a_money_claim_is_not_final(self) -> None:
        assert not rules.is_final_award(ClaimType.WAGES, Decimal("1"), None)

    @given(st.decimals(min_value=0, max_value=10**7, places=2),
           st.decimals(min_value=1000, max_value=5000, places=2))
    def test_money_claims_final_exactly_up_to_twelve_months(self, amount: Decimal,
                                                             wage: Decimal) -> None:
        assert rules.is_final_award(ClaimType.WAGES, amount, wage) == (amount <= wage * 12)


class TestSteps:
    ORDER = {DisputeState.RECEIVED: 0, DisputeState.ARBITRATING: 1,
             DisputeState.MEDIATING: 1, DisputeState.CLOSED: 2}

    @given(st.lists(st.sampled_from(["accept", "reject", "withdraw", "mediate", "extend",
                                     "award", "mediated", "mediation_failed"]), max_size=12))
    def test_no_dispute_skips_acceptance_or_leaves_closure(self, actions: list[str]) -> None:
        state, accepted, closed_by = DisputeState.RECEIVED, False, None
        for action in actions:
            try:
                after = rules.dispute_step(state, action)
            except rules.StepRefused:
                continue
            assert state is not DisputeState.CLOSED  # nothing moves a closed case
            if action in ("award", "mediate", "mediated", "extend"):
                assert accepted  # never before acceptance
            accepted = accepted or action == "accept"
            if after is DisputeState.CLOSED:
                closed_by = action
            state = after
        if closed_by == "award":
            assert accepted

    def test_an_award_before_acceptance_is_refused(self) -> None:
        with pytest.raises(rules.StepRefused):
            rules.dispute_step(DisputeState.RECEIVED, "award")
        with pytest.raises(rules.StepRefused):
            rules.dispute_step(DisputeState.CLOSED, "accept")

    @given(st.lists(st.sampled_from(["accept", "reject", "extend", "close"]), max_size=8))
    def test_no_complaint_is_closed_after_investigation_without_acceptance(
            self, actions: list[str]) -> None:
        state, accepted = ComplaintState.RECEIVED, False
        for action in actions:
            try:
                after = rules.complaint_step(state, action)
            except rules.StepRefused:
                continue
            if action in ("close", "extend"):
                assert accepted
            accepted = accepted or action == "accept"
            state = after


class TestContracts:
    @pytest.mark.parametrize(("end", "limit"), [
        (date(2026, 3, 31), 1),   # exactly 3 months → 1 month
        (date(2026, 3, 30), 0),   # a day short of 3 months → none
        (date(2026, 12, 31), 2),  # exactly 1 year → 2 months
        (date(2028, 12, 31), 6),  # exactly 3 years → 6 months
        (date(2028, 12, 30), 2),  # a day short of 3 years → 2 months
    ])
    def test_probation_limits_art_19(self, end: date, limit: int) -> None:
        assert rules.max_probation_months(ContractKind.FIXED_TERM, date(2026, 1, 1), end) == limit

    def test_open_ended_and_per_task(self) -> None:
        assert rules.max_probation_months(ContractKind.OPEN_ENDED, date(2026, 1, 1), None) == 6
        assert rules.max_probation_months(ContractKind.PER_TASK, date(2026, 1, 1),
                                          date(2027, 1, 1)) == 0

    def test_problems(self) -> None:
        fields = [p.field for p in rules.contract_problems(
            ContractKind.FIXED_TERM, date(2026, 1, 1), None, 0)]
        assert fields == ["end_on"]
        fields = [p.field for p in rules.contract_problems(
            ContractKind.FIXED_TERM, date(2026, 1, 1), date(2025, 12, 31), 0)]
        assert fields == ["end_on"]
        fields = [p.field for p in rules.contract_problems(
            ContractKind.FIXED_TERM, date(2026, 1, 1), date(2026, 6, 30), 2)]
        assert fields == ["probation_months"]
        assert rules.contract_problems(ContractKind.OPEN_ENDED, date(2026, 1, 1), None, 6) == []

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    def test_double_pay_starts_after_one_month(self, start: date) -> None:
        first = rules.double_wage_from(start)
        assert start + timedelta(days=28) <= first <= start + timedelta(days=31)
        assert first.month == (start.month % 12) + 1

    def test_in_force(self) -> None:
        assert rules.in_force(date(2026, 1, 1), date(2026, 12, 31), None, date(2026, 12, 31))
        assert not rules.in_force(date(2026, 1, 1), date(2026, 12, 31), None, date(2027, 1, 1))
        assert not rules.in_force(date(2026, 1, 1), None, date(2026, 6, 1), date(2026, 6, 1))
