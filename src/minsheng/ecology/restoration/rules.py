"""Restoration rules: the substituted-restoration state machine (代为修复), the deposit
draw-down and shortfall recovery arithmetic, and the checks on plans and progress.

Sources (``reference/ecology-and-performance.md`` §1.2–1.4):

- 土地复垦条例 (State Council Decree 592, 2011) art. 3: whoever damages land reclaims it
  (谁损毁，谁复垦); the county government restores legacy land without an identifiable
  obligor. Art. 28: acceptance by the county natural-resources authority.
- 矿山地质环境保护规定 (MLR Decree 44): the restoration fund (治理恢复基金) kept by the
  mining right holder.
- 广东省土地管理条例 art. 21 (the provincial text the reference recommends following):
  costs checked at plan review; the user, the county bureau and a bank sign a
  **fund-supervision agreement** on deposits and withdrawals; an obligor who refuses,
  or fails acceptance after rectification, pays the fee (a third-party estimate may be
  added to it); if still unpaid after a **reminder**, the county bureau restores the
  land itself, **draws on the deposit** by withdrawal notice and **recovers any
  shortfall**. Commentary treats it as administrative substituted performance
  (行政代履行) after negotiated and ordered restoration.
- 自然资办发〔2019〕33号: abandoned open-pit mines of the Yangtze economic belt, restored
  mine by mine (一矿一策) with quarterly reporting.
- Acceptance results are posted for at least a set number of days (one local rule, ◐:
  30 days): dated data (``RestorationNoticeRule``), checked by :func:`notice_days`; a
  case may lengthen it.

Decisions of this implementation (not law): a case may return from a reminder to the
obligor performing (they complied); an obligor may finish and be accepted without a
takeover; recovery payments are still taken after acceptance and notice, as long as
arrears remain. Amounts are exact ``Decimal`` yuan (two places).

Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from minsheng.platform.errors import Conflict, RuleViolation, invalid_field

ZERO = Decimal("0.00")


class CaseState(StrEnum):
    PLAN_FILED = "plan_filed"
    FUND_DEPOSITED = "fund_deposited"
    OBLIGOR_PERFORMING = "obligor_performing"
    REMINDER_ISSUED = "reminder_issued"
    OBLIGOR_DEFAULTED = "obligor_defaulted"
    GOVERNMENT_TAKEOVER = "government_takeover"
    DEPOSIT_DRAWN = "deposit_drawn"
    SHORTFALL_RECOVERY = "shortfall_recovery"
    ACCEPTED = "accepted"
    NOTICE_PUBLISHED = "notice_published"


class CaseAction(StrEnum):
    DEPOSIT_FUND = "deposit_fund"
    START_PERFORMANCE = "start_performance"
    ISSUE_REMINDER = "issue_reminder"
    RESUME_PERFORMANCE = "resume_performance"
    RECORD_DEFAULT = "record_default"
    TAKE_OVER = "take_over"
    DRAW_DEPOSIT = "draw_deposit"
    OPEN_RECOVERY = "open_recovery"
    RECORD_PAYMENT = "record_payment"
    ACCEPT = "accept"
    PUBLISH_NOTICE = "publish_notice"


STATE_LABELS: dict[CaseState, str] = {
    CaseState.PLAN_FILED: "方案已备案",
    CaseState.FUND_DEPOSITED: "资金已存入监管账户",
    CaseState.OBLIGOR_PERFORMING: "义务人履行中",
    CaseState.REMINDER_ISSUED: "已催告",
    CaseState.OBLIGOR_DEFAULTED: "义务人拒不履行或无法履行",
    CaseState.GOVERNMENT_TAKEOVER: "政府代为修复",
    CaseState.DEPOSIT_DRAWN: "已动用监管资金",
    CaseState.SHORTFALL_RECOVERY: "差额追偿中",
    CaseState.ACCEPTED: "已验收",
    CaseState.NOTICE_PUBLISHED: "已公示（结案）",
}

ACTION_LABELS: dict[CaseAction, str] = {
    CaseAction.DEPOSIT_FUND: "签订三方监管协议并存入资金",
    CaseAction.START_PERFORMANCE: "义务人开始履行",
    CaseAction.ISSUE_REMINDER: "发出催告",
    CaseAction.RESUME_PERFORMANCE: "义务人恢复履行",
    CaseAction.RECORD_DEFAULT: "认定拒不履行或无法履行",
    CaseAction.TAKE_OVER: "政府接管代为修复",
    CaseAction.DRAW_DEPOSIT: "结算并动用监管资金",
    CaseAction.OPEN_RECOVERY: "向义务人追偿差额",
    CaseAction.RECORD_PAYMENT: "登记追偿到账",
    CaseAction.ACCEPT: "修复验收",
    CaseAction.PUBLISH_NOTICE: "验收结果公示",
}

S, A = CaseState, CaseAction
#: (state, action) → next state. Anything not listed is an illegal transition (409).
#: ``RECORD_PAYMENT`` keeps the state; it is allowed only while arrears remain.
TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (S.PLAN_FILED, A.DEPOSIT_FUND): S.FUND_DEPOSITED,
    (S.FUND_DEPOSITED, A.START_PERFORMANCE): S.OBLIGOR_PERFORMING,
    (S.OBLIGOR_PERFORMING, A.ISSUE_REMINDER): S.REMINDER_ISSUED,
    (S.OBLIGOR_PERFORMING, A.ACCEPT): S.ACCEPTED,
    (S.REMINDER_ISSUED, A.ISSUE_REMINDER): S.REMINDER_ISSUED,
    (S.REMINDER_ISSUED, A.RESUME_PERFORMANCE): S.OBLIGOR_PERFORMING,
    (S.REMINDER_ISSUED, A.RECORD_DEFAULT): S.OBLIGOR_DEFAULTED,
    (S.OBLIGOR_DEFAULTED, A.TAKE_OVER): S.GOVERNMENT_TAKEOVER,
    (S.GOVERNMENT_TAKEOVER, A.DRAW_DEPOSIT): S.DEPOSIT_DRAWN,
    (S.DEPOSIT_DRAWN, A.OPEN_RECOVERY): S.SHORTFALL_RECOVERY,
    (S.DEPOSIT_DRAWN, A.ACCEPT): S.ACCEPTED,
    (S.SHORTFALL_RECOVERY, A.RECORD_PAYMENT): S.SHORTFALL_RECOVERY,
    (S.SHORTFALL_RECOVERY, A.ACCEPT): S.ACCEPTED,
    (S.ACCEPTED, A.RECORD_PAYMENT): S.ACCEPTED,
    (S.ACCEPTED, A.PUBLISH_NOTICE): S.NOTICE_PUBLISHED,
    (S.NOTICE_PUBLISHED, A.RECORD_PAYMENT): S.NOTICE_PUBLISHED,
}
del S, A


class IllegalTransition(Conflict):
    """An action the case's current state (or its money) does not allow (HTTP 409)."""


@dataclass(frozen=True)
class CaseMoney:
    """What the guards need to know of a case's money."""

    shortfall: Decimal = ZERO  # cost the deposit did not cover
    arrears: Decimal = ZERO  # receivable not yet recovered


def _guard(state: CaseState, action: CaseAction, money: CaseMoney) -> tuple[str, str] | None:
    """Why ``action`` is refused although the table lists it, or ``None``."""
    if action is CaseAction.OPEN_RECOVERY and money.shortfall <= 0:
        return ("监管资金足以支付修复费用，没有需要追偿的差额",
                "the deposit covers the cost: there is no shortfall to recover")
    if action is CaseAction.ACCEPT and state is CaseState.DEPOSIT_DRAWN and money.shortfall > 0:
        return (f"尚有差额 {money.shortfall:,.2f} 元未立案追偿，请先向义务人追偿差额",
                f"a shortfall of {money.shortfall:,.2f} yuan must be put into recovery first")
    if action is CaseAction.RECORD_PAYMENT and money.arrears <= 0:
        return ("没有未追回的欠款", "there are no arrears to collect")
    return None


def illegal(state: CaseState, action: CaseAction, why: tuple[str, str] | None = None
            ) -> IllegalTransition:
    """The 409 for ``action`` on a case in ``state``, naming both in both languages."""
    zh = f"案件当前状态为“{STATE_LABELS[state]}”，不能办理“{ACTION_LABELS[action]}”"
    en = f"The case is in state {state.value}; {action.value} is not allowed"
    if why is not None:
        zh, en = f"{zh}：{why[0]}", f"{en}: {why[1]}"
    return IllegalTransition(zh, en, extra={"current_state": state.value,
                                            "action": action.value})


def next_state(state: CaseState, action: CaseAction, money: CaseMoney = CaseMoney()
               ) -> CaseState:
    """The state after ``action``; ``IllegalTransition`` (409) when the table or the
    money guards (shortfall, arrears) do not allow it."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise illegal(state, action)
    why = _guard(state, action, money)
    if why is not None:
        raise illegal(state, action, why)
    return target


def allowed_actions(state: CaseState, money: CaseMoney = CaseMoney()) -> list[CaseAction]:
    """The actions the state and the money allow now, in table order (page buttons)."""
    return [action for (from_state, action) in TRANSITIONS
            if from_state is state and _guard(state, action, money) is None]


# --- money --------------------------------------------------------------------------


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DrawDown:
    """The settlement of a takeover: what the deposit pays, what it leaves over (refunded
    to the obligor) and what it does not cover (the shortfall to recover)."""

    total_cost: Decimal
    drawn: Decimal
    refund: Decimal
    shortfall: Decimal


def draw_down(deposit: Decimal, actual_cost: Decimal, assessment_fee: Decimal = ZERO
              ) -> DrawDown:
    """The government's cost (contractor's settled cost plus any third-party assessment
    fee) is paid from the supervised deposit first: ``drawn = min(deposit, cost)``; the
    rest of the deposit is refunded, the rest of the cost is the shortfall the obligor
    owes (广东省土地管理条例 art. 21). So ``drawn + shortfall = cost`` and
    ``drawn + refund = deposit``."""
    for value, name in ((deposit, "deposit"), (actual_cost, "actual_cost"),
                        (assessment_fee, "assessment_fee")):
        if value < 0:
            raise invalid_field(name, "金额不能为负", "must not be negative")
    cost = _yuan(actual_cost + assessment_fee)
    drawn = min(_yuan(deposit), cost)
    return DrawDown(cost, drawn, _yuan(deposit) - drawn, cost - drawn)


def apply_payment(receivable: Decimal, recovered: Decimal, amount: Decimal) -> Decimal:
    """Recovered total after a payment; a payment must be positive and not exceed the
    arrears (``receivable - recovered``): an overpayment is refused, not booked."""
    if amount <= 0:
        raise invalid_field("amount", "到账金额应大于0", "the amount must be positive")
    arrears = receivable - recovered
    if _yuan(amount) > arrears:
        raise invalid_field("amount", f"到账金额超过尚欠金额 {arrears:,.2f} 元",
                            f"the amount exceeds the arrears of {arrears:,.2f} yuan")
    return recovered + _yuan(amount)


# --- plans and progress ---------------------------------------------------------------

_QUARTER = re.compile(r"^(?P<year>\d{4})\s*(-|\s)?\s*[Qq](?P<q>[1-4])$")


def parse_quarter(text: str, field: str = "quarter") -> int:
    """``2020Q3`` (or ``2020-Q3``) → 20203."""
    match = _QUARTER.match(text.strip())
    if match is None or not 1990 <= int(match["year"]) <= 2100:
        raise invalid_field(field, "季度格式应为“年份Q季度”，如 2020Q3",
                            "a quarter is written YYYYQn, e.g. 2020Q3")
    return int(match["year"]) * 10 + int(match["q"])


def quarter_label(quarter: int) -> str:
    return f"{quarter // 10}Q{quarter % 10}"


def check_cumulative_area(planned_m2: Decimal, restored_before_m2: Decimal,
                          reported_m2: Decimal) -> None:
    """The area restored over all reports may not exceed the plan's area (一矿一策: the
    plan fixes the area; a larger restoration needs a revised plan)."""
    if reported_m2 < 0:
        raise invalid_field("area_restored_ha", "修复面积不能为负", "must not be negative")
    if restored_before_m2 + reported_m2 > planned_m2:
        left = max(planned_m2 - restored_before_m2, Decimal(0)) / 10_000
        raise invalid_field(
            "area_restored_ha",
            f"累计修复面积将超过方案面积；本方案尚余 {left:,.4f} 公顷",
            f"the cumulative restored area would exceed the planned area; {left:,.4f} ha "
            "remain")


def restorable(status: str) -> bool:
    """一矿一策 covers closed and abandoned mines (自然资办发〔2019〕33号)."""
    return status in ("closed", "abandoned")


def needs_obligor_for_substitution(obligor_name: str | None) -> None:
    """Substituted restoration is performed *for an obligor*; a legacy site without one
    is restored by the county government directly (土地复垦条例 art. 3)."""
    if not obligor_name:
        raise RuleViolation(
            "该方案没有修复义务人（历史遗留矿山由县级人民政府直接组织修复），不适用代为修复",
            "the plan has no obligor (a legacy site is restored by the county government "
            "directly); substituted restoration does not apply")


def notice_days(asked: int | None, minimum: int | None) -> int:
    """Days an acceptance result is posted: ``asked``, or the minimum in force when none
    is asked; never fewer than the minimum (one local rule, ◐: at least 30 days; the
    figure is dated data, ``RestorationNoticeRule``)."""
    if minimum is None:
        if asked is None:
            raise invalid_field("notice_days", "未设置验收结果公示期，请填写公示天数",
                                "no notice period is on record; give the days")
        return asked
    if asked is None:
        return minimum
    if asked < minimum:
        raise invalid_field("notice_days", f"公示期不少于{minimum}日",
                            f"the notice runs at least {minimum} days")
    return asked
