"""Employment rules as pure functions: working age, what counts as urban new employment,
why a vacancy matches a seeker, the zero-employment deadline and the indicator ratios.

Sources: hrss-rules §9 (就业促进法 arts. 52 and 56; 就业服务与就业管理规定 arts. 63–64; the
statistical definitions of 城镇新增就业 and 城镇登记失业率).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

from minsheng.hrss.employment import occupations
from minsheng.hrss.kernel.retirement import RetirementCategory, statutory_retirement

#: Working age starts at 16 (劳动法 art. 15; hrss-rules §9 "16 to retirement age").
MINIMUM_WORKING_AGE: Final = 16

KEY_GROUPS: Final[dict[str, str]] = {
    "graduate": "高校毕业生",
    "rural_labour": "农村劳动力转移就业",
    "hard_to_employ": "就业困难人员",
    "ex_fisher": "退捕渔民",
    "poverty_labour": "脱贫（建档立卡）劳动力",
}
#: 就业困难人员 categories (就业促进法 art. 52; the list is set by each province — these are
#: the typical ones named in hrss-rules §9).
HARD_TO_EMPLOY_CATEGORIES: Final[dict[str, str]] = {
    "zero_employment_family": "零就业家庭成员",
    "near_retirement": "距法定退休年龄不足十年",
    "long_term_unemployed": "连续失业一定期限",
    "disabled": "残疾人",
    "minimum_living_allowance": "城乡低保家庭成员",
    "land_expropriated": "失地农民",
    "veteran": "未就业退役军人",
    "single_parent": "单亲家庭",
}


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def youngest_working_birth_date(on: date) -> date:
    """People born on or before this date are at least 16 on ``on``."""
    return add_years(on, -MINIMUM_WORKING_AGE)


def retired_birth_cutoff(on: date, category: RetirementCategory) -> date:
    """The latest birth date of someone who has reached the statutory retirement age on
    ``on`` (2024 decision, via ``kernel.retirement.statutory_retirement``): everyone born on or
    before it is past working age. The retirement date never decreases as the birth date
    increases, so a binary search over birth dates finds the boundary."""
    low, high = add_years(on, -80), add_years(on, -40)  # retired / not retired
    while (high - low).days > 1:
        middle = low + timedelta(days=(high - low).days // 2)
        if statutory_retirement(middle, category).retirement_date <= on:
            low = middle
        else:
            high = middle
    return low


def counts_as_new_employment(*, registered_unemployed: bool, employed_before: bool) -> bool:
    """城镇新增就业 (hrss-rules §9): a job taken by someone who was registered unemployed
    or who enters work for the first time (no earlier employment on record) is a new
    employment; moving from one job to another is not. Each person counts at most once a
    year (the statistical definition de-duplicates per person per year)."""
    return registered_unemployed or not employed_before


@dataclass(frozen=True)
class MatchFacts:
    """What a candidate vacancy (or seeker) offers next to what is asked."""

    matched_terms: tuple[str, ...]
    occupation_code: str
    wanted_occupation: str | None
    pay_min: Decimal | None
    pay_max: Decimal | None
    wanted_pay: Decimal | None
    education_required: int
    education: int | None
    region: str
    wanted_region_prefix: str


def occupation_fit(code: str, wanted: str | None) -> Literal["same", "major", "none"]:
    if not wanted:
        return "none"
    if code == wanted:
        return "same"
    if occupations.major_of(code) == occupations.major_of(wanted):
        return "major"
    return "none"


OCCUPATION_BONUS: Final = {"same": 4, "major": 1, "none": 0}


def explain(facts: MatchFacts, region_name: str) -> list[str]:
    """Why this match, in words a job seeker reads: the words in common, the occupation,
    the pay, the education requirement and the place of work."""
    reasons: list[str] = []
    if facts.matched_terms:
        reasons.append("关键词匹配：" + "、".join(facts.matched_terms[:6]))
    fit = occupation_fit(facts.occupation_code, facts.wanted_occupation)
    if fit == "same":
        reasons.append(f"职业相同：{occupations.name_of(facts.occupation_code)}")
    elif fit == "major":
        reasons.append("同一职业大类："
                       + occupations.MAJOR_CATEGORIES[occupations.major_of(facts.occupation_code)])
    if facts.wanted_pay is not None and facts.pay_max is not None:
        if facts.pay_min is not None and facts.pay_min >= facts.wanted_pay:
            reasons.append(f"起薪 {facts.pay_min:,.0f} 元不低于期望 {facts.wanted_pay:,.0f} 元")
        else:
            reasons.append(f"薪资上限 {facts.pay_max:,.0f} 元达到期望 {facts.wanted_pay:,.0f} 元")
    if facts.education is not None:
        reasons.append(f"学历要求{occupations.education_label(facts.education_required)}，"
                       f"符合{occupations.education_label(facts.education)}")
    if facts.wanted_region_prefix:
        reasons.append(f"工作地点在{region_name}")
    return reasons


def zero_employment_deadline(detected_date: date, days: int) -> date:
    """The date by which at least one member of a zero-employment household must be placed
    (就业促进法 art. 56 sets the duty; no national time limit exists ✘, so ``days`` is the
    local setting ``MINSHENG_EMPLOYMENT_ZERO_HOUSEHOLD_DAYS``)."""
    return detected_date + timedelta(days=days)


def rate(part: int, whole: int) -> Decimal | None:
    """``part ÷ whole × 100`` to two decimals, half up; ``None`` when nobody is counted."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def registered_unemployment_rate(unemployed: int, employed: int) -> Decimal | None:
    """城镇登记失业率 = registered unemployed ÷ (employed + registered unemployed) × 100 %
    (hrss-rules §9)."""
    return rate(unemployed, employed + unemployed)
