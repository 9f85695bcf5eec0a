"""The substituted-restoration state machine and the money arithmetic, as pure rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.ecology.restoration import rules
from minsheng.ecology.restoration.rules import CaseAction as A
from minsheng.ecology.restoration.rules import CaseMoney, CaseState, IllegalTransition
from minsheng.ecology.restoration.rules import CaseState as S
from minsheng.platform.errors import RuleViolation

#: The full path of the regulation (广东省土地管理条例 art. 21 as the reference recommends).
TAKEOVER_PATH = [
    (A.DEPOSIT_FUND, S.FUND_DEPOSITED), (A.START_PERFORMANCE, S.OBLIGOR_PERFORMING),
    (A.ISSUE_REMINDER, S.REMINDER_ISSUED), (A.RECORD_DEFAULT, S.OBLIGOR_DEFAULTED),
    (A.TAKE_OVER, S.GOVERNMENT_TAKEOVER), (A.DRAW_DEPOSIT, S.DEPOSIT_DRAWN),
]


class TestTransitions:
    def test_the_takeover_path_is_legal_step_by_step(self) -> None:
        state = S.PLAN_FILED
        for action, expected in TAKEOVER_PATH:
            state = rules.next_state(state, action)
            assert state is expected
        money = CaseMoney(shortfall=Decimal("370000.00"))
        state = rules.next_state(state, A.OPEN_RECOVERY, money)
        assert state is S.SHORTFALL_RECOVERY
        money = CaseMoney(shortfall=Decimal("370000.00"), arrears=Decimal("370000.00"))
        assert rules.next_state(state, A.RECORD_PAYMENT, money) is S.SHORTFALL_RECOVERY
        state = rules.next_state(state, A.ACCEPT, money)
        assert rules.next_state(state, A.PUBLISH_NOTICE) is S.NOTICE_PUBLISHED

    def test_an_obligor_who_complies_after_a_reminder_is_accepted_without_takeover(
            self) -> None:
        state = rules.next_state(S.REMINDER_ISSUED, A.RESUME_PERFORMANCE)
        assert rules.next_state(state, A.ACCEPT) is S.ACCEPTED

    @pytest.mark.parametrize(("state", "action"), [
        (S.PLAN_FILED, A.TAKE_OVER),  # no takeover before a deposit, reminder and default
        (S.FUND_DEPOSITED, A.ISSUE_REMINDER),
        (S.OBLIGOR_PERFORMING, A.TAKE_OVER),  # a reminder comes first
        (S.OBLIGOR_PERFORMING, A.DRAW_DEPOSIT),
        (S.REMINDER_ISSUED, A.DRAW_DEPOSIT),
        (S.OBLIGOR_DEFAULTED, A.DRAW_DEPOSIT),  # the government must take over first
        (S.GOVERNMENT_TAKEOVER, A.ACCEPT),  # settle the money before acceptance
        (S.ACCEPTED, A.TAKE_OVER),
        (S.NOTICE_PUBLISHED, A.ACCEPT),
        (S.NOTICE_PUBLISHED, A.DEPOSIT_FUND),
    ])
    def test_illegal_transitions_are_409_naming_the_state(
            self, state: CaseState, action: rules.CaseAction) -> None:
        with pytest.raises(IllegalTransition) as caught:
            rules.next_state(state, action)
        assert caught.value.status_code == 409
        assert rules.STATE_LABELS[state] in caught.value.message
        assert caught.value.extra == {"current_state": state.value, "action": action.value}

    def test_no_recovery_without_a_shortfall_and_no_acceptance_with_one_unrecovered(
            self) -> None:
        with pytest.raises(IllegalTransition, match="没有需要追偿的差额"):
            rules.next_state(S.DEPOSIT_DRAWN, A.OPEN_RECOVERY, CaseMoney())
        with pytest.raises(IllegalTransition, match="请先向义务人追偿差额"):
            rules.next_state(S.DEPOSIT_DRAWN, A.ACCEPT, CaseMoney(shortfall=Decimal("1")))
        assert rules.next_state(S.DEPOSIT_DRAWN, A.ACCEPT, CaseMoney()) is S.ACCEPTED

    def test_payments_only_while_arrears_remain(self) -> None:
        with pytest.raises(IllegalTransition, match="没有未追回的欠款"):
            rules.next_state(S.ACCEPTED, A.RECORD_PAYMENT, CaseMoney())
        owed = CaseMoney(arrears=Decimal("10"))
        assert rules.next_state(S.NOTICE_PUBLISHED, A.RECORD_PAYMENT, owed) \
            is S.NOTICE_PUBLISHED

    def test_allowed_actions_follow_the_guards(self) -> None:
        assert rules.allowed_actions(S.DEPOSIT_DRAWN, CaseMoney()) == [A.ACCEPT]
        assert rules.allowed_actions(S.DEPOSIT_DRAWN, CaseMoney(shortfall=Decimal("5"))) \
            == [A.OPEN_RECOVERY]
        assert rules.allowed_actions(S.NOTICE_PUBLISHED, CaseMoney()) == []

    @given(st.sampled_from(list(S)), st.sampled_from(list(A)))
    def test_every_pair_is_either_in_the_table_or_refused(self, state: CaseState,
                                                          action: rules.CaseAction) -> None:
        money = CaseMoney(shortfall=Decimal("1"), arrears=Decimal("1"))
        if (state, action) in rules.TRANSITIONS and not (
                state is S.DEPOSIT_DRAWN and action is A.ACCEPT):
            assert rules.next_state(state, action, money) is rules.TRANSITIONS[(state, action)]
        else:
            with pytest.raises(IllegalTransition):
                rules.next_state(state, action, money)


class TestShortfallArithmetic:
    def test_a_deposit_smaller_than_the_cost_leaves_a_shortfall(self) -> None:
        settled = rules.draw_down(Decimal("1000000"), Decimal("1350000"), Decimal("20000"))
        assert settled.total_cost == Decimal("1370000.00")
        assert settled.drawn == Decimal("1000000.00")
        assert settled.shortfall == Decimal("370000.00")
        assert settled.refund == Decimal("0.00")

    def test_a_deposit_larger_than_the_cost_is_partly_refunded(self) -> None:
        settled = rules.draw_down(Decimal("1000000"), Decimal("820000.40"))
        assert settled.drawn == Decimal("820000.40")
        assert settled.refund == Decimal("179999.60")
        assert settled.shortfall == Decimal("0.00")

    def test_payments_reduce_the_arrears_and_an_overpayment_is_refused(self) -> None:
        recovered = rules.apply_payment(Decimal("370000"), Decimal("0"), Decimal("200000"))
        assert Decimal("370000") - recovered == Decimal("170000.00")
        recovered = rules.apply_payment(Decimal("370000"), recovered, Decimal("170000"))
        assert recovered == Decimal("370000.00")
        with pytest.raises(RuleViolation, match="超过尚欠金额"):
            rules.apply_payment(Decimal("370000"), Decimal("200000"), Decimal("170000.01"))
        with pytest.raises(RuleViolation, match="应大于0"):
            rules.apply_payment(Decimal("370000"), Decimal("0"), Decimal("0"))

    @given(deposit=st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
           cost=st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
           fee=st.decimals(min_value=0, max_value=Decimal("1e7"), places=2))
    def test_the_deposit_and_the_cost_are_both_fully_accounted_for(
            self, deposit: Decimal, cost: Decimal, fee: Decimal) -> None:
        settled = rules.draw_down(deposit, cost, fee)
        assert settled.drawn + settled.shortfall == cost + fee
        assert settled.drawn + settled.refund == deposit
        assert min(settled.drawn, settled.refund, settled.shortfall) >= 0
        assert settled.refund == 0 or settled.shortfall == 0


class TestPlans:
    def test_quarters(self) -> None:
        assert rules.parse_quarter("2020Q3") == 20203
        assert rules.parse_quarter("2020-q1") == 20201
        assert rules.quarter_label(20204) == "2020Q4"
        with pytest.raises(RuleViolation):
            rules.parse_quarter("2020Q5")

    def test_the_restored_total_stays_within_the_plan(self) -> None:
        rules.check_cumulative_area(Decimal("100000"), Decimal("60000"), Decimal("40000"))
        with pytest.raises(RuleViolation, match=r"尚余 4\.0000 公顷"):
            rules.check_cumulative_area(Decimal("100000"), Decimal("60000"),
                                        Decimal("40000.01"))
