"""Unemployment-insurance rules as pure functions: eligibility, entitlement months by the
statutory bands and a regional ladder, carry-over of unused months, the reasons a
benefit stops, and the job-stabilisation refund (稳岗返还).

Sources (``reference/hrss-rules.md`` §6):

- **Eligibility** — 社会保险法 art. 45; 失业保险条例 (1999) art. 14: contributions paid by
  employer and worker for at least one year; the job ended involuntarily (contract
  expiry, dismissal, or resignation under Labour Law art. 32(2)(3), per
  失业保险金申领发放办法 art. 4); registered as unemployed and seeking work. ✔
- **Duration** — 社会保险法 art. 46; 条例 art. 17: cumulative contribution years
  1 to < 5 → at most 12 months, 5 to < 10 → 18, ≥ 10 → 24. ✔
- **A new spell** — same articles: "重新就业后，再次失业的，缴费时间重新计算，领取失业
  保险金的期限与前次失业应当领取而尚未领取的失业保险金的期限合并计算，最长不超过二十四
  个月". Our reading: the months counted for a new claim are the months of coverage
  *after the start month of the previous claim* (the months before it were counted for
  that claim and are not counted twice); the unused months of the previous claim
  (entitled months − benefit months paid) are added, and the total is capped at 24. ✔
  Whether unused months alone (a new record shorter than one year) give a claim is not
  in the statute; that is the setting ``unemployment_carry_over_without_new_year``
  (default off: the one-year condition of art. 45 applies to every claim). ✘
- **Regional ladder** — a region may pay fewer months than the statutory maximum on a
  finer ladder (Chongqing: 1 to < 2 years 3 months, … 7 years 16, +1 a full year up to
  24; CNR 29 Sep 2018 quoting the Chongqing bureau ◐). The ladder is data
  (``unemployment_duration_step``) and is always capped at the statutory maximum.
- **Amount** — set by the province, between the minimum living allowance (SIL art. 47)
  and the minimum wage (条例 art. 18): a dated regional table (``unemployment_benefit_rate``),
  never a constant here (Chongqing 1,440 is ✘ unconfirmed).
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

PPM: Final = 1_000_000
#: Longest entitlement, carry-over included (社会保险法 art. 46).
MAX_MONTHS: Final = 24
#: Contribution months needed for a claim (社会保险法 art. 45: 满一年).
MIN_CONTRIBUTION_MONTHS: Final = 12

#: Ways a job ends, and whether they count as involuntary (失业保险金申领发放办法 art. 4).
SEPARATION_REASONS: Final[dict[str, str]] = {
    "contract_expired": "劳动合同期满终止",
    "dismissed": "被用人单位解除劳动合同",
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


# --- duration --------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A statutory band: ``[min_months, max_months)`` of contribution → benefit months."""

    code: str
    min_months: int
    max_months: int | None
    benefit_months: int


#: 社会保险法 art. 46 / 条例 art. 17.
STATUTORY_BANDS: Final[tuple[Band, ...]] = (
    Band("<1y", 0, 12, 0),
    Band("1-5y", 12, 60, 12),
    Band("5-10y", 60, 120, 18),
    Band("10y+", 120, None, 24),
)


def statutory_band(contribution_months: int) -> Band:
    """The band of ``contribution_months`` (cumulative, counted afresh for a new spell):
    exactly 12 months is the first year complete (1 to < 5 years), 60 starts "5 to < 10",
    120 starts "10 and more"."""
    if contribution_months < 0:
        raise ValueError("contribution months cannot be negative")
    for band in STATUTORY_BANDS:
        if band.max_months is None or contribution_months < band.max_months:
            return band
    raise AssertionError("unreachable: the last band is open")


@dataclass(frozen=True)
class LadderStep:
    """One step of a regional ladder: ``[min_months, max_months)`` → months."""

    min_months: int
    max_months: int | None
    months: int

    @property
    def code(self) -> str:
        low = self.min_months // 12
        if self.max_months is None:
            return f"{low}y+"
        high = self.max_months // 12
        return f"{low}y" if high == low + 1 else f"{low}-{high}y"


def ladder_step(ladder: Sequence[LadderStep], contribution_months: int) -> LadderStep | None:
    """The step of a regional ladder that ``contribution_months`` falls in, if any."""
    for step in ladder:
        if step.min_months <= contribution_months and (
                step.max_months is None or contribution_months < step.max_months):
            return step
    return None


@dataclass(frozen=True)
class Entitlement:
    """Months of benefit for one claim and how they were found."""

    eligible: bool
    contribution_months: int
    statutory: Band
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


def entitlement(contribution_months: int, *, ladder: Sequence[LadderStep] = (),
                unused_months: int = 0, carry_over_without_new_year: bool = False) -> Entitlement:
    """Benefit months for a claim (社会保险法 arts. 45–46): the statutory band of the
    contribution months counted afresh, or the regional ladder's step when the region
    sets one (never more than the band allows); plus the unused months of the previous
    claim, the total at most 24. Less than a year of contributions gives no claim, unless
    ``carry_over_without_new_year`` lets the unused months alone be claimed (✘ setting)."""
    if unused_months < 0:
        raise ValueError("unused months cannot be negative")
    band = statutory_band(contribution_months)
    step = ladder_step(ladder, contribution_months) if ladder else None
    spell = band.benefit_months
    if ladder and band.benefit_months:
        spell = min(step.months if step is not None else 0, band.benefit_months)
    has_year = contribution_months >= MIN_CONTRIBUTION_MONTHS
    if not has_year:
        spell = 0
    eligible = has_year or (carry_over_without_new_year and unused_months > 0)
    total = min(spell + unused_months, MAX_MONTHS) if eligible else 0
    return Entitlement(eligible, contribution_months, band, step if has_year else None,
                       spell, total - spell if eligible else 0, total)


def unused_months(entitled_months: int, paid_months: int) -> int:
    """Months of a previous claim not received (前次失业应领而尚未领取的期限)."""
    return max(entitled_months - paid_months, 0)


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
    unused_months: int = 0


def claim_refusals(facts: ClaimFacts, *,
                   carry_over_without_new_year: bool = False) -> list[tuple[str, str, str]]:
    """Why a claim fails, as ``(field, message, message_en)`` (empty: eligible), from
    社会保险法 arts. 45 and 51: a year of contributions, an involuntary end of the job,
    registered as unemployed and seeking work, not insured in a job now, not drawing a
    pension."""
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
    if facts.contribution_months < MIN_CONTRIBUTION_MONTHS and not carry_only:
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
