"""Labour relations law as pure functions: the periods and steps of a labour dispute
(劳动争议调解仲裁法 2008, 劳动人事争议仲裁办案规则 2017), of a labour-inspection complaint
(劳动保障监察条例 2004 and its implementing provisions), and the labour contract
(劳动合同法 2008, amended 2012). Sources: ``reference/hrss-rules.md`` §8 and §11.

Periods counted in days end, when their last day is a statutory holiday or rest day, on
the first working day after it (民事诉讼法 art. 85, applied by 办案规则 art. 82);
periods stated in working days count the platform calendar's working days, make-up
working days (调休) included (``platform.workdays``). The start day is never counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from minsheng.platform.workdays import (
    Deadline,
    HolidayCalendar,
    add_days_statutory,
    add_workdays,
)

# --- labour disputes (劳动人事争议仲裁) ----------------------------------------------------

#: 劳动争议调解仲裁法 art. 29: the commission decides on an application within 5 days of
#: receiving it.
ACCEPTANCE_DAYS = 5
#: Art. 43: the award within 45 days of acceptance; the commission's director may extend
#: it once, by at most 15 days (办案规则 art. 46: 书面通知, 延长期限不得超过十五日).
AWARD_DAYS = 45
MAX_AWARD_EXTENSION_DAYS = 15
#: Art. 14: no agreement 15 days after the mediation body received the request — the
#: party may go on to arbitration (✘ not re-verified, hrss-rules §8.1).
MEDIATION_DAYS = 15
#: Art. 47: a final award for a claim of pay, work-injury medical costs, economic
#: compensation or damages of at most 12 months of the local monthly minimum wage.
FINAL_AWARD_MONTHS = 12


class ClaimType(StrEnum):
    """What the applicant claims (劳动争议仲裁请求的类别)."""

    WAGES = "wages"                        # 追索劳动报酬
    WORK_INJURY_MEDICAL = "work_injury_medical"  # 工伤医疗费
    COMPENSATION = "compensation"          # 经济补偿
    DAMAGES = "damages"                    # 赔偿金
    WORKING_HOURS = "working_hours"        # 工作时间
    REST_LEAVE = "rest_leave"              # 休息休假
    SOCIAL_INSURANCE = "social_insurance"  # 社会保险
    CONTRACT = "contract"                  # 订立、履行、变更、解除和终止劳动合同
    OTHER = "other"


CLAIM_TYPE_LABELS = {
    ClaimType.WAGES: "追索劳动报酬", ClaimType.WORK_INJURY_MEDICAL: "工伤医疗费",
    ClaimType.COMPENSATION: "经济补偿", ClaimType.DAMAGES: "赔偿金",
    ClaimType.WORKING_HOURS: "工作时间", ClaimType.REST_LEAVE: "休息休假",
    ClaimType.SOCIAL_INSURANCE: "社会保险", ClaimType.CONTRACT: "劳动合同争议",
    ClaimType.OTHER: "其他"}

#: Art. 47 (一): money claims final when small.
_MONEY_CLAIMS = frozenset({ClaimType.WAGES, ClaimType.WORK_INJURY_MEDICAL,
                           ClaimType.COMPENSATION, ClaimType.DAMAGES})
#: Art. 47 (二): disputes over the national standards of working hours, rest and leave
#: and social insurance are final whatever the amount.
_STANDARDS_CLAIMS = frozenset({ClaimType.WORKING_HOURS, ClaimType.REST_LEAVE,
                               ClaimType.SOCIAL_INSURANCE})


def acceptance_due(received_on: date, cal: HolidayCalendar) -> Deadline:
    """The last day to accept or refuse an application: 5 days after receipt (art. 29),
    moved past a holiday."""
    return add_days_statutory(received_on, ACCEPTANCE_DAYS, cal)


def award_due(accepted_on: date, extension_days: int, cal: HolidayCalendar) -> Deadline:
    """The last day for the award: 45 days after acceptance, plus an approved extension
    of at most 15 days (art. 43), moved past a holiday."""
    check_extension(extension_days, already_extended=False)
    return add_days_statutory(accepted_on, AWARD_DAYS + extension_days, cal)


def mediation_due(started_on: date, cal: HolidayCalendar) -> Deadline:
    """The day mediation without agreement ends: 15 days after the request (art. 14)."""
    return add_days_statutory(started_on, MEDIATION_DAYS, cal)


class ExtensionRefused(ValueError):
    """An extension the law does not allow: ``reason`` is ``twice`` or ``too_long``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_extension(days: int, *, already_extended: bool) -> None:
    """Art. 43: one extension, of 1–15 days (0 = none asked)."""
    if days < 0 or days > MAX_AWARD_EXTENSION_DAYS:
        raise ExtensionRefused("too_long")
    if days and already_extended:
        raise ExtensionRefused("twice")


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the year ends on 28 February (民法典 art. 202)
        return day.replace(year=day.year + 1, day=28)


def limitation_ends(claim_type: ClaimType, knew_on: date,
                    employment_ended_on: date | None, cal: HolidayCalendar) -> date | None:
    """The last day to apply (art. 27): one year from the day the party knew or should
    have known of the infringement; for pay owed while the employment lasts, no limit
    until it ends, then one year from its end. ``None``: the period has not started.
    A last day on a holiday moves to the next working day."""
    if claim_type is ClaimType.WAGES:
        if employment_ended_on is None:
            return None
        start = employment_ended_on
    else:
        start = knew_on
    return add_days_statutory(_one_year_after(start), 0, cal).due_date


def within_limitation(claim_type: ClaimType, knew_on: date, employment_ended_on: date | None,
                      received_on: date, cal: HolidayCalendar) -> bool:
    """The application was received on or before :func:`limitation_ends`."""
    last = limitation_ends(claim_type, knew_on, employment_ended_on, cal)
    return last is None or received_on <= last


def is_final_award(claim_type: ClaimType, amount: Decimal,
                   monthly_minimum_wage: Decimal | None) -> bool:
    """Art. 47: final (一裁终局) for a standards dispute (working hours, rest and leave,
    social insurance), or a money claim of at most 12 × the local monthly minimum wage
    in force when the application is received; without a minimum wage on record a money
    claim is not final (the worker keeps the right to sue)."""
    if claim_type in _STANDARDS_CLAIMS:
        return True
    if claim_type in _MONEY_CLAIMS and monthly_minimum_wage is not None:
        return amount <= monthly_minimum_wage * FINAL_AWARD_MONTHS
    return False


class DisputeState(StrEnum):
    RECEIVED = "received"      # 已收件，待决定是否受理
    ARBITRATING = "arbitrating"  # 已受理，仲裁审理中
    MEDIATING = "mediating"    # 仲裁调解中
    CLOSED = "closed"          # 结案（含不予受理）


class DisputeOutcome(StrEnum):
    MEDIATED = "mediated"          # 调解结案
    AWARDED = "awarded"            # 裁决结案
    WITHDRAWN = "withdrawn"        # 撤回申请
    NOT_ACCEPTED = "not_accepted"  # 不予受理


DISPUTE_STATE_LABELS = {DisputeState.RECEIVED: "待受理", DisputeState.ARBITRATING: "仲裁审理中",
                        DisputeState.MEDIATING: "调解中", DisputeState.CLOSED: "已结案"}
DISPUTE_OUTCOME_LABELS = {DisputeOutcome.MEDIATED: "调解结案", DisputeOutcome.AWARDED: "裁决结案",
                          DisputeOutcome.WITHDRAWN: "撤回申请",
                          DisputeOutcome.NOT_ACCEPTED: "不予受理"}

#: The steps of a dispute: (state, action) → next state. Acceptance comes before any
#: hearing, mediation or award; a closed case takes no step.
DISPUTE_STEPS: dict[tuple[DisputeState, str], DisputeState] = {
    (DisputeState.RECEIVED, "accept"): DisputeState.ARBITRATING,
    (DisputeState.RECEIVED, "reject"): DisputeState.CLOSED,
    (DisputeState.RECEIVED, "withdraw"): DisputeState.CLOSED,
    (DisputeState.ARBITRATING, "mediate"): DisputeState.MEDIATING,
    (DisputeState.ARBITRATING, "extend"): DisputeState.ARBITRATING,
    (DisputeState.ARBITRATING, "award"): DisputeState.CLOSED,
    (DisputeState.ARBITRATING, "withdraw"): DisputeState.CLOSED,
    (DisputeState.MEDIATING, "mediated"): DisputeState.CLOSED,
    (DisputeState.MEDIATING, "mediation_failed"): DisputeState.ARBITRATING,
    (DisputeState.MEDIATING, "extend"): DisputeState.MEDIATING,
    (DisputeState.MEDIATING, "withdraw"): DisputeState.CLOSED,
}
#: How each closing action is recorded.
CLOSING_OUTCOME = {"reject": DisputeOutcome.NOT_ACCEPTED, "withdraw": DisputeOutcome.WITHDRAWN,
                   "award": DisputeOutcome.AWARDED, "mediated": DisputeOutcome.MEDIATED}
#: The action that closes a case with an outcome, by state.
OUTCOME_ACTION = {DisputeOutcome.AWARDED: "award", DisputeOutcome.MEDIATED: "mediated",
                  DisputeOutcome.WITHDRAWN: "withdraw", DisputeOutcome.NOT_ACCEPTED: "reject"}


def dispute_step(state: DisputeState, action: str) -> DisputeState:
    """The state after ``action``; ``StepRefused`` when the law's order does not allow
    it (an award before acceptance, anything after closing)."""
    try:
        return DISPUTE_STEPS[(state, action)]
    except KeyError:
        raise StepRefused(state, action) from None


class StepRefused(ValueError):
    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"{action} not allowed in {state}")
        self.state = state
        self.action = action


# --- labour-inspection complaints (劳动保障监察) ---------------------------------------

#: 关于实施《劳动保障监察条例》若干规定 art. 18: decide on a complaint within 5 working days.
COMPLAINT_ACCEPTANCE_WORKDAYS = 5
#: 劳动保障监察条例 art. 17: investigate within 60 working days of opening the case,
#: extendable once by 30 working days with the head's approval.
INVESTIGATION_WORKDAYS = 60
INVESTIGATION_EXTENSION_WORKDAYS = 30
#: Art. 20: a violation not found, reported or complained about within 2 years is not
#: pursued; a continuing violation counts from its end.
LOOKBACK_YEARS = 2


def complaint_acceptance_due(received_on: date, cal: HolidayCalendar) -> Deadline:
    """5 working days after receipt (若干规定 art. 18)."""
    return add_workdays(received_on, COMPLAINT_ACCEPTANCE_WORKDAYS, cal)


def investigation_due(accepted_on: date, extended: bool, cal: HolidayCalendar) -> Deadline:
    """60 working days after the case is opened, 90 with the approved extension
    (条例 art. 17)."""
    days = INVESTIGATION_WORKDAYS + (INVESTIGATION_EXTENSION_WORKDAYS if extended else 0)
    return add_workdays(accepted_on, days, cal)


def lookback_ends(violation_on: date, violation_ended_on: date | None) -> date:
    """The last day a complaint about the violation is pursued: 2 years from the
    violation, or from its end if it continued (条例 art. 20)."""
    start = violation_ended_on or violation_on
    try:
        return start.replace(year=start.year + LOOKBACK_YEARS)
    except ValueError:
        return start.replace(year=start.year + LOOKBACK_YEARS, day=28)


def within_lookback(violation_on: date, violation_ended_on: date | None,
                    received_on: date) -> bool:
    return received_on <= lookback_ends(violation_on, violation_ended_on)


class ComplaintState(StrEnum):
    RECEIVED = "received"        # 已收到投诉，待决定是否受理
    INVESTIGATING = "investigating"  # 已立案调查
    CLOSED = "closed"            # 已结案（含不予受理）


class ComplaintOutcome(StrEnum):
    RECTIFIED = "rectified"      # 责令改正，已整改
    PENALISED = "penalised"      # 行政处罚
    TRANSFERRED = "transferred"  # 移送司法或其他部门
    UNFOUNDED = "unfounded"      # 查无违法事实
    NOT_ACCEPTED = "not_accepted"  # 不予受理


COMPLAINT_STATE_LABELS = {ComplaintState.RECEIVED: "待受理",
                          ComplaintState.INVESTIGATING: "立案调查中",
                          ComplaintState.CLOSED: "已结案"}
COMPLAINT_OUTCOME_LABELS = {ComplaintOutcome.RECTIFIED: "责令改正", ComplaintOutcome.PENALISED:
                            "行政处罚", ComplaintOutcome.TRANSFERRED: "移送处理",
                            ComplaintOutcome.UNFOUNDED: "查无违法事实",
                            ComplaintOutcome.NOT_ACCEPTED: "不予受理"}

COMPLAINT_STEPS: dict[tuple[ComplaintState, str], ComplaintState] = {
    (ComplaintState.RECEIVED, "accept"): ComplaintState.INVESTIGATING,
    (ComplaintState.RECEIVED, "reject"): ComplaintState.CLOSED,
    (ComplaintState.INVESTIGATING, "extend"): ComplaintState.INVESTIGATING,
    (ComplaintState.INVESTIGATING, "close"): ComplaintState.CLOSED,
}


def complaint_step(state: ComplaintState, action: str) -> ComplaintState:
    try:
        return COMPLAINT_STEPS[(state, action)]
    except KeyError:
        raise StepRefused(state, action) from None


# --- labour contracts (劳动合同) -------------------------------------------------------


class ContractKind(StrEnum):
    FIXED_TERM = "fixed_term"    # 固定期限
    OPEN_ENDED = "open_ended"    # 无固定期限
    PER_TASK = "per_task"        # 以完成一定工作任务为期限


#: 劳动合同法 art. 51–53: a general collective contract and special ones (wages, the
#: protection of women workers, work safety).
COLLECTIVE_KIND_LABELS = {"general": "综合性集体合同", "wages": "工资专项集体合同",
                          "women": "女职工权益保护专项集体合同",
                          "safety": "劳动安全卫生专项集体合同"}
#: Art. 54: a collective contract filed with the bureau takes effect 15 days after the
#: bureau receives it unless the bureau objects.
COLLECTIVE_EFFECT_DAYS = 15

CONTRACT_KIND_LABELS = {ContractKind.FIXED_TERM: "固定期限", ContractKind.OPEN_ENDED: "无固定期限",
                        ContractKind.PER_TASK: "以完成一定工作任务为期限"}
#: 劳动合同法 art. 10 and 82: an employee working more than one month without a written
#: contract is owed double pay from the second month, for at most 11 months.
WRITTEN_CONTRACT_GRACE_MONTHS = 1
ENDING_ALERT_DAYS = 30


@dataclass(frozen=True)
class ContractProblem:
    field: str
    message: str
    message_en: str


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def max_probation_months(kind: ContractKind, start_on: date, end_on: date | None) -> int:
    """劳动合同法 art. 19: term under 3 months or per-task — no probation; 3 months to
    under 1 year — 1 month; 1 year to under 3 years — 2 months; 3 years or more, or
    open-ended — 6 months."""
    if kind is ContractKind.PER_TASK:
        return 0
    if kind is ContractKind.OPEN_ENDED or end_on is None:
        return 6
    term = _months_between(start_on, end_on + timedelta(days=1))
    if term < 3:
        return 0
    if term < 12:
        return 1
    if term < 36:
        return 2
    return 6


def contract_problems(kind: ContractKind, start_on: date, end_on: date | None,
                      probation_months: int) -> list[ContractProblem]:
    """What is wrong with a contract's terms: a fixed term needs an end after its start;
    an open-ended contract has no end; probation within art. 19."""
    problems = []
    if kind is ContractKind.FIXED_TERM and end_on is None:
        problems.append(ContractProblem("end_on", "固定期限劳动合同须填写终止日期",
                                        "a fixed-term contract needs an end date"))
    if kind is ContractKind.OPEN_ENDED and end_on is not None:
        problems.append(ContractProblem("end_on", "无固定期限劳动合同不填写终止日期",
                                        "an open-ended contract has no end date"))
    if end_on is not None and end_on < start_on:
        problems.append(ContractProblem("end_on", "终止日期不能早于起始日期",
                                        "the end date is before the start date"))
    if not problems:
        limit = max_probation_months(kind, start_on, end_on)
        if probation_months > limit:
            problems.append(ContractProblem(
                "probation_months",
                f"试用期超过法定上限：本合同最长 {limit} 个月（劳动合同法第十九条）",
                f"probation over the statutory limit of {limit} months (art. 19)"))
    return problems


def in_force(start_on: date, end_on: date | None, terminated_on: date | None,
             on: date) -> bool:
    """The contract binds on ``on``: started, not past its end, not terminated."""
    return (start_on <= on and (end_on is None or end_on >= on)
            and (terminated_on is None or terminated_on > on))


def double_wage_from(employment_start: date) -> date:
    """The first day of double pay when no written contract is signed (art. 82): the day
    after one month of employment."""
    month = employment_start.month + WRITTEN_CONTRACT_GRACE_MONTHS
    year = employment_start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    try:
        return employment_start.replace(year=year, month=month)
    except ValueError:  # 31 January + one month: the last day of February
        return (date(year, month % 12 + 1, 1) if month < 12 else date(year + 1, 1, 1)) \
            - timedelta(days=1)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A rate in per cent, two decimals (None without a denominator)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


def collective_problems(start_on: date, end_on: date) -> list[ContractProblem]:
    """The term's dates in order. (集体合同规定 2004 art. 38 says the term is *generally*
    1–3 years — a norm, not a bar, so a longer or shorter term is filed.)"""
    if end_on < start_on:
        return [ContractProblem("end_on", "终止日期不能早于起始日期",
                                "the end date is before the start date")]
    return []


def collective_in_force_from(filed_on: date, start_on: date) -> date:
    """The day the contract binds: its start, but not before 15 days after filing."""
    return max(start_on, filed_on + timedelta(days=COLLECTIVE_EFFECT_DAYS))
