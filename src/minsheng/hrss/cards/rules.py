"""The social security card lifecycle (社会保障卡), as a pure state machine.

Sources (``reference/hrss-rules.md`` §10):

- 社会保障卡管理办法 and the MOHRSS card rules and explainers (人社部 社会保障卡 申领、
  启用、挂失、解挂、补换、注销) give the general lifecycle: apply (申领) → issue (发卡) →
  activate (启用, by the cardholder with their identity) → temporary (oral) loss report
  (临时/口头挂失, by 12333, online or at a counter) → formal loss report (正式挂失, in person
  with ID) → cancel loss report (解挂, *only before a replacement has been applied for*) →
  replace (补换: loss, damage, change of particulars; the old card stops working and a
  new one is issued) → close (注销, e.g. on the cardholder's death). ◐ — explainers and
  local rules, not one national article.
- The validity window of a temporary loss report is **local practice** (3 working days
  or 10 days in the pages we found; ✘ not confirmed nationally); here it is the setting
  ``card_temporary_loss_days`` (default 5 calendar days), see :func:`temporary_report_lapsed`.

Decisions of this implementation (not law):

- A lost card is replaced only after a *formal* loss report; a temporary report must be
  made formal (or cancelled) first. A card still in hand (``issued`` or ``active``;
  damaged, change of name) may be replaced directly.
- The new card of a replacement starts ``issued`` and must be activated again.
- A lapsed temporary report returns the card to the state it had before the report
  (``active`` or ``issued``), never to a formal-loss state.

Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from minsheng.platform.errors import Conflict


class CardState(StrEnum):
    APPLIED = "applied"
    ISSUED = "issued"
    ACTIVE = "active"
    LOSS_REPORTED_TEMPORARY = "loss_reported_temporary"
    LOSS_REPORTED = "loss_reported"
    REPLACED = "replaced"
    CANCELLED = "cancelled"


class CardAction(StrEnum):
    ISSUE = "issue"
    ACTIVATE = "activate"
    REPORT_LOSS_TEMPORARY = "report_loss_temporary"
    REPORT_LOSS_FORMAL = "report_loss_formal"
    CANCEL_LOSS_REPORT = "cancel_loss_report"
    LAPSE = "lapse_temporary_report"
    REPLACE = "replace"
    CANCEL_ON_DEATH = "cancel_on_death"


STATE_LABELS: dict[CardState, str] = {
    CardState.APPLIED: "已申领（待制卡）",
    CardState.ISSUED: "已发卡（待启用）",
    CardState.ACTIVE: "正常使用",
    CardState.LOSS_REPORTED_TEMPORARY: "临时挂失",
    CardState.LOSS_REPORTED: "正式挂失",
    CardState.REPLACED: "已补换（旧卡作废）",
    CardState.CANCELLED: "已注销",
}

ACTION_LABELS: dict[CardAction, str] = {
    CardAction.ISSUE: "发卡",
    CardAction.ACTIVATE: "启用",
    CardAction.REPORT_LOSS_TEMPORARY: "临时挂失",
    CardAction.REPORT_LOSS_FORMAL: "正式挂失",
    CardAction.CANCEL_LOSS_REPORT: "解挂",
    CardAction.LAPSE: "临时挂失到期失效",
    CardAction.REPLACE: "补换",
    CardAction.CANCEL_ON_DEATH: "注销（持卡人死亡）",
}

#: A card in one of these states never changes again.
TERMINAL_STATES = frozenset({CardState.REPLACED, CardState.CANCELLED})
#: A loss report is in force: the card must not be used.
LOSS_STATES = frozenset({CardState.LOSS_REPORTED_TEMPORARY, CardState.LOSS_REPORTED})
#: States a card may be in when a loss is reported: the report remembers which.
RESTORABLE_STATES = frozenset({CardState.ISSUED, CardState.ACTIVE})
#: The state of a newly made replacement card.
REPLACEMENT_STATE = CardState.ISSUED


class _Restore:
    """Table target: back to the state the card had before the loss report."""

    def __repr__(self) -> str:
        return "RESTORE"


RESTORE = _Restore()

S, A = CardState, CardAction
#: (state, action) → next state. Anything not listed is an illegal transition.
TRANSITIONS: dict[tuple[CardState, CardAction], CardState | _Restore] = {
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
    (S.LOSS_REPORTED_TEMPORARY, A.CANCEL_LOSS_REPORT): RESTORE,
    (S.LOSS_REPORTED_TEMPORARY, A.LAPSE): RESTORE,
    (S.LOSS_REPORTED_TEMPORARY, A.CANCEL_ON_DEATH): S.CANCELLED,
    (S.LOSS_REPORTED, A.CANCEL_LOSS_REPORT): RESTORE,
    (S.LOSS_REPORTED, A.REPLACE): S.REPLACED,
    (S.LOSS_REPORTED, A.CANCEL_ON_DEATH): S.CANCELLED,
}
del S, A


class IllegalTransition(Conflict):
    """An action the card's current state does not allow (HTTP 409)."""


def illegal(state: CardState, action: CardAction) -> IllegalTransition:
    """The 409 for ``action`` on a card in ``state``, naming the state in both languages."""
    return IllegalTransition(
        f"社保卡当前状态为“{STATE_LABELS[state]}”（{state.value}），不能办理{ACTION_LABELS[action]}",
        f"The card is in state {state.value}; {action.value} is not allowed",
        extra={"current_state": state.value, "action": action.value},
    )


def allowed_actions(state: CardState) -> list[CardAction]:
    """The actions the state allows, in table order (for pages: which buttons to show)."""
    return [action for (from_state, action) in TRANSITIONS if from_state is state]


def next_state(
    state: CardState, action: CardAction, *, previous: CardState | None = None
) -> CardState:
    """The state after ``action``; ``IllegalTransition`` (409, naming ``state``) if the
    table does not allow it. ``previous`` is the state before a loss report, needed when
    the report is cancelled or lapses (it must be ``issued`` or ``active``)."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise illegal(state, action)
    if isinstance(target, _Restore):
        if previous not in RESTORABLE_STATES:
            raise ValueError(f"a card in {state} must remember issued/active, got {previous}")
        assert previous is not None
        return previous
    return target


@dataclass(frozen=True)
class CardStatus:
    """What the machine needs to know of a card: its state and, while a loss report is
    in force, the state before it (``previous``)."""

    state: CardState
    previous: CardState | None = None


def step(status: CardStatus, action: CardAction) -> CardStatus:
    """Apply ``action``: the new state, and the remembered pre-report state (kept while a
    loss report stays in force, set when one starts, cleared when it ends)."""
    new = next_state(status.state, action, previous=status.previous)
    if new in LOSS_STATES:
        remembered = status.previous if status.state in LOSS_STATES else status.state
        return CardStatus(new, remembered)
    return CardStatus(new, None)


def temporary_report_expires_at(reported_at: datetime, days: int) -> datetime:
    """When a temporary loss report made at ``reported_at`` stops being in force:
    ``days`` calendar days later (setting ``card_temporary_loss_days``; the window is
    local practice, ✘ not confirmed nationally — some places count working days)."""
    return _utc(reported_at) + timedelta(days=days)


def temporary_report_lapsed(reported_at: datetime, now: datetime, days: int) -> bool:
    """Whether a temporary loss report made at ``reported_at`` has lapsed at ``now``: it
    is in force for ``days`` calendar days and lapses at the first instant after them
    (``now >= reported_at + days``). A lapsed report returns the card to its state before
    the report (``next_state(..., LAPSE, previous=...)``) unless it was made formal."""
    return _utc(now) >= temporary_report_expires_at(reported_at, days)


def effective_status(
    status: CardStatus, reported_at: datetime | None, now: datetime, days: int
) -> CardStatus:
    """The card's status at ``now`` with a lapsed temporary report applied (what a read
    shows even before the lapse has been written)."""
    if (
        status.state is CardState.LOSS_REPORTED_TEMPORARY
        and reported_at is not None
        and temporary_report_lapsed(reported_at, now, days)
    ):
        return step(status, CardAction.LAPSE)
    return status


def is_live(state: CardState) -> bool:
    """A card that is not replaced or cancelled: a person holds at most one."""
    return state not in TERMINAL_STATES


def may_apply(existing: Iterable[CardState]) -> bool:
    """A person may apply for a new card only when none of their cards is live
    (one person, one card; 补换 is the way to get a second one)."""
    return not any(is_live(state) for state in existing)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
