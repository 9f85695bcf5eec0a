"""The card state machine as plain functions: the table, the lapse window, and
properties over random sequences of events (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from minsheng.hrss.cards import rules
from minsheng.hrss.cards.rules import CardAction, CardState, CardStatus, IllegalTransition

S, A = CardState, CardAction

#: The lifecycle written out independently of ``rules.TRANSITIONS``: (state, action) →
#: next state, "before" meaning the state before the loss report.
EXPECTED = {
    (S.APPLIED, A.ISSUE): S.ISSUED,
    (S.APPLIED, A.CANCEL_ON_DEATH): S.CANCELLED,
    (S.ISSUED, A.ACTIVATE): S.ACTIVE,
    (S.ISSUED, A.REPORT_LOSS_TEMPORARY): S.LOSS_REPORTED_TEMPORARY,
    (S.ISSUED, A.REPORT_LOSS_FORMAL): S.LOSS_REPORTED,
    (S.ISSUED, A.REPLACE): S.REPLACED,
    (S.ISSUED, A.CANCEL_ON_DEATH): S.CANCELLED,
    (S.ACTIVE, A.REPORT_LOSS_TEMPORARY): S.LOSS_REPORTED_TEMPORARY,
    (S.ACTIVE, A.REPORT_LOSS_FORMAL): S.LOSS_REPORTED,
    (S.ACTIVE, A.REPLACE): S.REPLACED,
    (S.ACTIVE, A.CANCEL_ON_DEATH): S.CANCELLED,
    (S.LOSS_REPORTED_TEMPORARY, A.REPORT_LOSS_FORMAL): S.LOSS_REPORTED,
    (S.LOSS_REPORTED_TEMPORARY, A.CANCEL_LOSS_REPORT): "before",
    (S.LOSS_REPORTED_TEMPORARY, A.LAPSE): "before",
    (S.LOSS_REPORTED_TEMPORARY, A.CANCEL_ON_DEATH): S.CANCELLED,
    (S.LOSS_REPORTED, A.CANCEL_LOSS_REPORT): "before",
    (S.LOSS_REPORTED, A.REPLACE): S.REPLACED,
    (S.LOSS_REPORTED, A.CANCEL_ON_DEATH): S.CANCELLED,
}
ALL_PAIRS = [(s, a) for s in CardState for a in CardAction]


class TestNextState:
    @pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
    def test_every_pair_is_legal_or_a_409_naming_the_state(
        self, state: CardState, action: CardAction
    ) -> None:
        expected = EXPECTED.get((state, action))
        if expected is None:
            with pytest.raises(IllegalTransition) as raised:
                rules.next_state(state, action, previous=S.ACTIVE)
            error = raised.value
            assert error.status_code == 409
            assert f"（{state.value}）" in error.message
            assert f"state {state.value}" in error.message_en
            assert error.extra["current_state"] == state.value
        else:
            for before in (S.ISSUED, S.ACTIVE):
                target = before if expected == "before" else expected
                assert rules.next_state(state, action, previous=before) is target

    def test_the_message_names_the_state_in_chinese(self) -> None:
        with pytest.raises(IllegalTransition) as raised:
            rules.next_state(S.LOSS_REPORTED_TEMPORARY, A.ACTIVATE, previous=S.ISSUED)
        assert "临时挂失" in raised.value.message
        assert "启用" in raised.value.message

    def test_restoring_needs_a_remembered_state(self) -> None:
        with pytest.raises(ValueError, match="remember"):
            rules.next_state(S.LOSS_REPORTED, A.CANCEL_LOSS_REPORT)

    def test_terminal_states_allow_nothing(self) -> None:
        assert rules.allowed_actions(S.REPLACED) == []
        assert rules.allowed_actions(S.CANCELLED) == []


class TestStep:
    def test_formal_report_after_temporary_keeps_the_state_before(self) -> None:
        status = rules.step(CardStatus(S.ISSUED), A.REPORT_LOSS_TEMPORARY)
        assert status == CardStatus(S.LOSS_REPORTED_TEMPORARY, S.ISSUED)
        status = rules.step(status, A.REPORT_LOSS_FORMAL)
        assert status == CardStatus(S.LOSS_REPORTED, S.ISSUED)
        assert rules.step(status, A.CANCEL_LOSS_REPORT) == CardStatus(S.ISSUED)

    def test_replacing_forgets_the_state_before(self) -> None:
        status = rules.step(CardStatus(S.ACTIVE), A.REPORT_LOSS_FORMAL)
        assert rules.step(status, A.REPLACE) == CardStatus(S.REPLACED)


class TestLapse:
    REPORTED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def test_in_force_until_the_window_ends(self) -> None:
        end = self.REPORTED + timedelta(days=5)
        assert rules.temporary_report_expires_at(self.REPORTED, 5) == end
        assert not rules.temporary_report_lapsed(self.REPORTED, end - timedelta(seconds=1), 5)
        assert rules.temporary_report_lapsed(self.REPORTED, end, 5)

    def test_naive_timestamps_are_utc(self) -> None:
        naive = self.REPORTED.replace(tzinfo=None)
        end = self.REPORTED + timedelta(days=3)
        assert rules.temporary_report_lapsed(naive, end, 3)
        assert not rules.temporary_report_lapsed(naive, end - timedelta(microseconds=1), 3)

    def test_effective_status_applies_a_due_lapse_only(self) -> None:
        temporary = CardStatus(S.LOSS_REPORTED_TEMPORARY, S.ACTIVE)
        later = self.REPORTED + timedelta(days=10)
        assert rules.effective_status(temporary, self.REPORTED, later, 5) == CardStatus(S.ACTIVE)
        assert rules.effective_status(temporary, self.REPORTED, later, 20) == temporary
        formal = CardStatus(S.LOSS_REPORTED, S.ACTIVE)
        assert rules.effective_status(formal, self.REPORTED, later, 5) == formal

    @given(reported=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1),
                                 timezones=st.just(UTC)),
           elapsed=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
           days=st.integers(min_value=1, max_value=30),
           before=st.sampled_from([S.ISSUED, S.ACTIVE]))
    def test_a_lapse_returns_to_the_state_before_and_never_to_a_loss(
        self, reported: datetime, elapsed: timedelta, days: int, before: CardState
    ) -> None:
        status = CardStatus(S.LOSS_REPORTED_TEMPORARY, before)
        now = reported + elapsed
        result = rules.effective_status(status, reported, now, days)
        if elapsed >= timedelta(days=days):
            assert result == CardStatus(before)
        else:
            assert result == status
        assert result.state is not S.LOSS_REPORTED


class TestApplying:
    def test_only_when_no_card_is_live(self) -> None:
        assert rules.may_apply([])
        assert rules.may_apply([S.REPLACED, S.CANCELLED])
        for live in (S.APPLIED, S.ISSUED, S.ACTIVE, S.LOSS_REPORTED_TEMPORARY,
                     S.LOSS_REPORTED):
            assert not rules.may_apply([S.REPLACED, live])


class PersonsCards(RuleBasedStateMachine):
    """Random sequences of events on one person's cards: applications, every action on
    any card (illegal ones must raise and change nothing), lapses, replacements."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[CardStatus] = []
        self.frozen: dict[int, CardStatus] = {}

    @initialize()
    def first_card(self) -> None:
        self.cards.append(CardStatus(S.APPLIED))

    @rule()
    def apply_again(self) -> None:
        states = [c.state for c in self.cards]
        if rules.may_apply(states):
            self.cards.append(CardStatus(S.APPLIED))
        else:
            assert any(rules.is_live(s) for s in states)

    @precondition(lambda self: bool(self.cards))
    @rule(data=st.data(), action=st.sampled_from(list(CardAction)))
    def act(self, data: st.DataObject, action: CardAction) -> None:
        index = data.draw(st.integers(0, len(self.cards) - 1))
        before = self.cards[index]
        try:
            after = rules.step(before, action)
        except IllegalTransition as error:
            assert error.extra["current_state"] == before.state.value
            assert (before.state, action) not in EXPECTED
            return
        assert (before.state, action) in EXPECTED
        if action is A.LAPSE:
            assert after.state in rules.RESTORABLE_STATES
            assert after.state == before.previous
        self.cards[index] = after
        if action is A.REPLACE:
            self.cards.append(CardStatus(rules.REPLACEMENT_STATE))

    @invariant()
    def terminal_cards_never_change(self) -> None:
        for index, card in enumerate(self.cards):
            if card.state in rules.TERMINAL_STATES:
                assert self.frozen.setdefault(index, card) == card

    @invariant()
    def at_most_one_live_card(self) -> None:
        assert sum(rules.is_live(c.state) for c in self.cards) <= 1

    @invariant()
    def the_state_before_a_report_is_remembered_exactly_while_it_is_in_force(self) -> None:
        for card in self.cards:
            if card.state in rules.LOSS_STATES:
                assert card.previous in rules.RESTORABLE_STATES
            else:
                assert card.previous is None


TestPersonsCards = PersonsCards.TestCase
