"""Unemployment-insurance rules as pure functions: eligibility, entitlement months by the
statutory bands and a regional ladder, carry-over of unused months, benefit until the
statutory retirement age, what the fund pays besides the benefit, the bounds of the benefit
amount, the reasons a benefit stops, and the job-stabilisation refund (稳岗返还).

Sources (``reference/hrss-rules.md`` §6):

- **Eligibility** — 社会保险法 art. 45; 失业保险条例 (1999) art. 14: contributions paid by
  employer and worker for at least one year; the job ended involuntarily (失业保险金申领
  发放办法 art. 4: contract expiry, dismissal, the employer's proposal to end the contract
  by mutual agreement (协商一致解除, art. 4(3)), or resignation because of the employer's
  fault); registered as unemployed and seeking work. ✔
- **Duration** — 社会保险法 art. 46; 条例 art. 17: cumulative contribution years
  1 to < 5 → at most 12 months, 5 to < 10 → 18, ≥ 10 → 24. ✔ The bands are dated
  national data (``unemployment_duration_step`` rows of prefix ``""``); the year a claim
  needs (art. 45 "满一年") is where the first paying band starts and the 24-month cap
  (art. 46 "最长不超过二十四个月") is the top band's months, both read from those rows.
- **A new spell** — same articles: "重新就业后，再次失业的，缴费时间重新计算，领取失业
  保险金的期限与前次失业应当领取而尚未领取的失业保险金的期限合并计算，最长不超过二十四
  个月". Our reading: the months counted for a new claim are the months of coverage
  *after the start month of the previous claim* (the months before it were counted for
  that claim and are not counted twice); the unused months of the previous claim
  (entitled months − benefit months paid) are added, and the total is capped at 24. ✔
  Re-employed for less than a year and unemployed again, the unused months alone may be
  claimed: 失业保险金申领发放办法 art. 15 ("失业人员在领取失业保险金期间重新就业后不满
  一年再次失业的，可以继续申领其前次失业应领取而尚未领取的失业保险金") ✔ — the setting
  ``unemployment_carry_over_without_new_year`` is on by default.
- **Regional ladder** — a region may pay fewer months than the statutory maximum on a
  finer ladder (Chongqing: 1 to < 2 years 3 months, … 7 years 16, +1 a full year up to
  24; CNR 29 Sep 2018 quoting the Chongqing bureau ◐). The ladder is data
  (``unemployment_duration_step``) and is always capped at the statutory maximum.
- **Until retirement** — 国务院关于渐进式延迟法定退休年龄的办法 art. 7 (adopted by the NPC
  Standing Committee decision of 13 Sep 2024, in force 1 Jan 2025): "对领取失业保险金且
  距法定退休年龄不足一年的人员，领取失业保险金年限延长至法定退休年龄，在实施渐进式延迟
  法定退休年龄期间，由失业保险基金按照规定为其缴纳养老保险费" ✔. See
  :func:`retirement_extension` for the months; the window (one year) is dated data
  (``unemployment_retirement_extension``).
- **During benefit** — 社会保险法 art. 48: the fund pays the basic medical-insurance
  contributions of every benefit month (the person pays nothing) ✔; art. 49 and 条例
  art. 20: on death during the benefit period the survivors get a one-off funeral grant
  and survivor payment "参照当地对在职职工死亡的规定" (amounts: dated regional data) ✔.
  Bases and rates of the fund-paid contributions are regional data
  (``unemployment_fund_contribution_rule``; :func:`fund_contribution`).
- **Amount** — set by the province: not below the urban minimum living allowance (SIL
  art. 47 "不得低于城市居民最低生活保障标准") and below the minimum wage (条例 art. 18
  "低于当地最低工资标准"): :func:`benefit_bound_problems`. The amount and both bounds are
  dated regional tables, never constants here (Chongqing 1,440 is ✘ unconfirmed).
- **Stops** — 社会保险法 art. 51: re-employment, military service, emigration, starting a
  pension, refusing suitable work or training without good reason (and death). ✔
- **Job-stabilisation refund** — §6.3 (人社部 notices restated by local bureaux ✔):
  unemployment insurance fully paid for ≥ 12 months; layoff rate ≤ the surveyed-
  unemployment target (5.5 %), or ≤ 20 % for employers with ≤ 30 insured staff;
  refund = previous year's actual contributions (employer + employees) × the share of
  the size class (large / SME; ≥ 300 average insured headcount counts as large, one 2023
  implementation). Layoff rate = new benefit claimants from the firm in the year ÷
  average insured headcount (one national implementation). Thresholds and shares per
  policy year are data (``job_stabilisation_refund_rule``; 2020 ✘ unconfirmed).

Money is integer fen, rates integer parts per million, rounding half up to the fen.
Nothing here touches the database, the clock or the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from minsheng.platform.money import share_fen, to_fen, to_yuan
from minsheng.platform.months import add_months, months_between

PPM: Final = 1_000_000

#: Ways a job ends, and whether they count as involuntary (失业保险金申领发放办法 art. 4).
SEPARATION_REASONS: Final[dict[str, str]] = {
    "contract_expired": "劳动合同期满终止",
    "dismissed": "被用人单位解除劳动合同",
    "mutual_by_employer": "用人单位提出、双方协商一致解除劳动合同",
    "employer_fault": "因用人单位过错本人解除劳动合同（劳动法第三十二条第二、三项）",
    "employer_closed": "用人单位破产、关闭或撤销",
    "voluntary": "本人主动辞职",
}
INVOLUNTARY: Final = frozenset(SEPARATION_REASONS) - {"voluntary"}

#: Why a registration ends (失业登记注销). The employment domain ends it on placement.
END_REASONS: Final[dict[str, str]] = {
    "re_employed": "实现就业",
    "moved_away": "迁出本地",
    "retired": "达到法定退休年龄或领取养老金",
    "enlisted": "应征服兵役",
    "emigrated": "移居境外",
    "deceased": "死亡",
    "refused_offer": "无正当理由拒绝介绍的工作或培训",
    "other": "其他",
}

#: Why a benefit stops (社会保险法 art. 51, and death).
STOP_REASONS: Final[dict[str, str]] = {
    "re_employed": "重新就业",
    "enlisted": "应征服兵役",
    "emigrated": "移居境外",
    "pension_started": "享受基本养老保险待遇",
    "refused_offer": "无正当理由拒不接受介绍的适当工作或培训",
    "deceased": "死亡",
    "moved_away": "迁出本统筹地区",
}
#: A registration end → the benefit stop it implies.
STOP_FOR_END: Final[dict[str, str]] = {
    "re_employed": "re_employed", "moved_away": "moved_away", "retired": "pension_started",
    "enlisted": "enlisted", "emigrated": "emigrated", "deceased": "deceased",
    "refused_offer": "refused_offer", "other": "re_employed",
}
#: A benefit stop → the end of the registration it implies (refusing an offer stops the
#: benefit but the person stays registered as unemployed).
END_FOR_STOP: Final[dict[str, str]] = {
    "re_employed": "re_employed", "enlisted": "enlisted", "emigrated": "emigrated",
    "pension_started": "retired", "deceased": "deceased", "moved_away": "moved_away",
}

#: Why payment is suspended for a while (条例 art. 15: 被判刑收监执行、被劳动教养 etc.,
#: and local practice for not reporting monthly).
SUSPEND_REASONS: Final[dict[str, str]] = {
    "imprisoned": "被判刑收监执行",
    "not_reported": "未按规定按月报告求职情况",
    "other": "其他",
}

#: What the fund pays on a recipient's behalf (社会保险法 art. 48; 2024 decision art. 7).
FUND_SCHEMES: Final[dict[str, str]] = {
    "medical": "职工基本医疗保险费",
    "pension": "基本养老保险费",
}


# --- duration --------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderStep:
    """One step of a band table: ``[min_months, max_months)`` of contribution → months.
    The statutory bands (national rows) and a region's finer ladder have this shape."""

    min_months: int
    max_months: int | None
    months: int

    @property
    def code(self) -> str:
        low = self.min_months // 12
        if self.max_months is None:
            return f"{low}y+"
        high = self.max_months // 12
        if self.min_months == 0:
            return f"<{high}y"
        return f"{low}y" if high == low + 1 else f"{low}-{high}y"


def ladder_step(ladder: Sequence[LadderStep], contribution_months: int) -> LadderStep | None:
    """The step of a ladder that ``contribution_months`` falls in, if any."""
    for step in ladder:
        if step.min_months <= contribution_months and (
                step.max_months is None or contribution_months < step.max_months):
            return step
    return None


def qualifying_months(bands: Sequence[LadderStep]) -> int:
    """Contribution months a claim needs (社会保险法 art. 45 "满一年"): where the first
    band that pays starts."""
    return min(b.min_months for b in bands if b.months > 0)


def longest(bands: Sequence[LadderStep]) -> int:
    """The longest entitlement, carry-over included (art. 46 "最长不超过二十四个月"): the
    top band's months."""
    return max(b.months for b in bands)


def statutory_band(bands: Sequence[LadderStep], contribution_months: int) -> LadderStep:
    """The band of ``contribution_months`` (cumulative, counted afresh for a new spell):
    exactly 12 months is the first year complete (1 to < 5 years), 60 starts "5 to < 10",
    120 starts "10 and more"; below the first band, a band of no months."""
    if contribution_months < 0:
        raise ValueError("contribution months cannot be negative")
    found = ladder_step(bands, contribution_months)
    if found is not None:
        return found
    return LadderStep(0, qualifying_months(bands), 0)


@dataclass(frozen=True)
class Entitlement:
    """Months of benefit for one claim and how they were found."""

    eligible: bool
    contribution_months: int
    statutory: LadderStep
    step: LadderStep | None
    #: Months from this spell's contributions (the ladder's, capped at the band's).
    spell_months: int
    #: Unused months of the previous claim added (after the 24-month cap).
    carried_months: int
    months: int

    @property
    def band(self) -> str:
        """The band used: the ladder step where a regional ladder applies, else the
        statutory band."""
        return self.step.code if self.step is not None else self.statutory.code


def entitlement(contribution_months: int, *, bands: Sequence[LadderStep],
                ladder: Sequence[LadderStep] = (), unused_months: int = 0,
                carry_over_without_new_year: bool = True) -> Entitlement:
    """Benefit months for a claim (社会保险法 arts. 45–46): the statutory band of the
    contribution months counted afresh, or the regional ladder's step when the region
    sets one (never more than the band allows); plus the unused months of the previous
    claim, the total at most the top band's (24). Less than the first band (a year) of new
    contributions gives no months of its own; the unused months alone may still be claimed
    (申领发放办法 art. 15) unless ``carry_over_without_new_year`` is turned off."""
    if unused_months < 0:
        raise ValueError("unused months cannot be negative")
    band = statutory_band(bands, contribution_months)
    step = ladder_step(ladder, contribution_months) if ladder else None
    spell = band.months
    if ladder and band.months:
        spell = min(step.months if step is not None else 0, band.months)
    has_year = contribution_months >= qualifying_months(bands)
    if not has_year:
        spell = 0
    eligible = has_year or (carry_over_without_new_year and unused_months > 0)
    total = min(spell + unused_months, longest(bands)) if eligible else 0
    return Entitlement(eligible, contribution_months, band, step if has_year else None,
                       spell, total - spell if eligible else 0, total)


def unused_months(entitled_months: int, paid_months: int) -> int:
    """Months of a previous claim not received (前次失业应领而尚未领取的期限)."""
    return max(entitled_months - paid_months, 0)


# --- until the statutory retirement age ------------------------------------------------


def retirement_extension(last_month: int, retirement_month: int | None,
                         window_months: int | None) -> list[int]:
    """Benefit months paid beyond the entitlement (国务院关于渐进式延迟法定退休年龄的办法
    art. 7, from 2025-01: "领取失业保险金且距法定退休年龄不足一年的…延长至法定退休年龄").

    Our reading, in whole months: ``last_month`` is the last month the entitlement pays,
    ``retirement_month`` the month in which the person reaches the statutory retirement
    age (kernel ``statutory_retirement``). When the entitlement runs out the person is
    less than a year from retirement exactly when the retirement month is at most
    ``window_months`` (12) after the last paid month; benefit then continues every month
    after it **up to and including the retirement month**, the last month paid: the
    pension is paid from the month after retirement (养老金自退休次月起发放, as the pension
    award does), so the two meet without a gap or a double month.

    The fund pays the basic pension contributions of these months (the same article:
    "由失业保险基金按照规定为其缴纳养老保险费"; our reading: the months of the extension,
    not the entitlement months before it).

    Last paid 2026-05, retirement 2027-05 (12 months on): 2026-06 … 2027-05 are paid;
    retirement 2027-06 (13 months on): nothing more. ``window_months`` ``None`` (no rule
    in force at ``last_month``) or no known retirement month: nothing more."""
    if retirement_month is None or window_months is None:
        return []
    gap = months_between(last_month, retirement_month) - 1
    if not 0 < gap <= window_months:
        return []
    return [add_months(last_month, k) for k in range(1, gap + 1)]


# --- what the fund pays besides the benefit -------------------------------------------


@dataclass(frozen=True)
class FundContribution:
    base: Decimal
    amount: Decimal


def fund_contribution(average_wage: Decimal, base_ppm: int, rate_ppm: int) -> FundContribution:
    """A month's contribution the fund pays for a recipient (社会保险法 art. 48 medical;
    2024 decision art. 7 pension): the base is ``base_ppm`` of the local average wage
    (the contribution-base floor, 60 %, where the region says so) rounded half up to the
    fen, the amount ``rate_ppm`` of the base, rounded half up."""
    base_fen = share_fen(to_fen(average_wage), base_ppm)
    return FundContribution(to_yuan(base_fen), to_yuan(share_fen(base_fen, rate_ppm)))


# --- the benefit amount's bounds -------------------------------------------------------


def benefit_bound_problems(amount: Decimal, *, subsistence: Decimal | None,
                           minimum_wage: Decimal | None) -> list[tuple[str, str, str]]:
    """Why a monthly benefit amount is outside its statutory bounds, as ``(code, message,
    message_en)``: below the urban minimum living allowance (社会保险法 art. 47: 不得低于)
    or not below the minimum wage (失业保险条例 art. 18: 低于当地最低工资标准). A bound
    with no figure on record is not checked (the caller says so)."""
    problems = []
    if subsistence is not None and amount < subsistence:
        problems.append(("below_subsistence",
                         f"低于城市居民最低生活保障标准（{subsistence:,.2f} 元）",
                         f"below the urban minimum living allowance ({subsistence:.2f})"))
    if minimum_wage is not None and amount >= minimum_wage:
        problems.append(("not_below_minimum_wage",
                         f"不低于最低工资标准（{minimum_wage:,.2f} 元）",
                         f"not below the minimum wage ({minimum_wage:.2f})"))
    return problems


# --- eligibility --------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFacts:
    """What the records say about a person at the time of a claim."""

    contribution_months: int
    separation_reason: str | None
    registered: bool
    seeking_work: bool
    insured_now: bool
    drawing_pension: bool
    #: Contribution months a claim needs (:func:`qualifying_months` of the bands).
    qualifying_months: int
    unused_months: int = 0


def claim_refusals(facts: ClaimFacts, *,
                   carry_over_without_new_year: bool = True) -> list[tuple[str, str, str]]:
    """Why a claim fails, as ``(field, message, message_en)`` (empty: eligible), from
    社会保险法 arts. 45 and 51: a year of contributions (or unused months of a previous
    claim, 申领发放办法 art. 15), an involuntary end of the job, registered as unemployed
    and seeking work, not insured in a job now, not drawing a pension."""
    refusals = []
    if not facts.registered:
        refusals.append(("registration", "未办理失业登记", "not registered as unemployed"))
    if facts.separation_reason not in INVOLUNTARY:
        refusals.append(("separation_reason", "非因本人意愿中断就业的，方可领取失业保险金",
                         "the job must have ended involuntarily"))
    if not facts.seeking_work:
        refusals.append(("seeking_work", "须有求职要求", "must be seeking work"))
    if facts.insured_now:
        refusals.append(("insured_now", "目前仍在单位参加失业保险，未处于失业状态",
                         "still insured in a job"))
    if facts.drawing_pension:
        refusals.append(("pension", "已享受基本养老保险待遇", "already drawing a pension"))
    carry_only = carry_over_without_new_year and facts.unused_months > 0
    if facts.contribution_months < facts.qualifying_months and not carry_only:
        refusals.append(("contribution_months",
                         f"失业前缴纳失业保险费不满一年（{facts.contribution_months} 个月）",
                         f"contributions under one year ({facts.contribution_months} months)"))
    return refusals


# --- job-stabilisation refund -----------------------------------------------------------


@dataclass(frozen=True)
class RefundRule:
    """A policy year's parameters (``job_stabilisation_refund_rule``)."""

    year: int
    contribution_year: int
    large_share_ppm: int
    sme_share_ppm: int
    layoff_threshold_ppm: int
    small_headcount: int
    small_threshold_ppm: int
    large_headcount: int
    min_paid_months: int


@dataclass(frozen=True)
class EmployerYear:
    """An employer's unemployment-insurance record for the contribution year.

    ``insured_person_months`` is the number of (person, month) contribution rows, so the
    average insured headcount is ``insured_person_months ÷ 12``."""

    paid_fen: int
    paid_months: int
    insured_person_months: int
    new_claimants: int
    in_arrears: bool


@dataclass(frozen=True)
class RefundDecision:
    eligible: bool
    #: ``None`` when eligible; else the first reason: arrears, paid_months, no_staff, layoffs.
    reason: str | None
    size: str  # "large" | "sme"
    share_ppm: int
    #: New claimants ÷ average headcount, 4 decimals (``None`` without insured staff).
    layoff_rate: Decimal | None
    average_headcount: Decimal
    amount_fen: int


REFUSAL_LABELS: Final[dict[str, str]] = {
    "arrears": "存在欠费",
    "paid_months": "失业保险费足额缴纳不满 12 个月",
    "no_staff": "无参保职工",
    "layoffs": "裁员率高于标准",
}


def layoff_within(new_claimants: int, insured_person_months: int, threshold_ppm: int) -> bool:
    """``claimants ÷ (person-months ÷ 12) ≤ threshold`` in exact integers."""
    return new_claimants * 12 * PPM <= threshold_ppm * insured_person_months


def refund(record: EmployerYear, rule: RefundRule) -> RefundDecision:
    """稳岗返还 for one employer: arrears exclude; at least ``min_paid_months`` fully
    paid; layoff rate within the threshold (or, with at most ``small_headcount`` insured
    staff on average, within the small-firm threshold); the refund is the contributions
    paid (employer + employees) × the size class's share, rounded half up to the fen."""
    months = record.insured_person_months
    headcount = (Decimal(months) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    large = months >= rule.large_headcount * 12
    size, share = ("large", rule.large_share_ppm) if large else ("sme", rule.sme_share_ppm)
    rate = None
    if months:
        rate = (Decimal(record.new_claimants * 12) / Decimal(months)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)
    reason: str | None = None
    if record.in_arrears:
        reason = "arrears"
    elif record.paid_months < rule.min_paid_months:
        reason = "paid_months"
    elif not months:
        reason = "no_staff"
    elif not (layoff_within(record.new_claimants, months, rule.layoff_threshold_ppm) or (
            months <= rule.small_headcount * 12
            and layoff_within(record.new_claimants, months, rule.small_threshold_ppm))):
        reason = "layoffs"
    amount = (record.paid_fen * share + PPM // 2) // PPM if reason is None else 0
    return RefundDecision(reason is None, reason, size, share, rate, headcount, amount)
