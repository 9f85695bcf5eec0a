"""Pension rules as pure functions: retirement age, minimum contribution period, the
months divisor, the benefit formulas, the estimator, and the small date and money
rules that awards, payroll and eligibility certification build on.

Sources (``reference/hrss-rules.md`` §3–5):

- **Retirement age** — 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定
  (13 Sep 2024) and the 国务院关于渐进式延迟法定退休年龄的办法 it adopts, annexes 1–3
  (delay tables by month of birth) and annex 4 (minimum contribution years): from
  1 Jan 2025, over 15 years, men 60 → 63 and women cadres 55 → 58 (+1 month every 4
  months), women workers 50 → 55 (+1 month every 2 months). ✔
- **Minimum contribution period** — 社会保险法 art. 16 (15 years) and the same decision:
  from 1 Jan 2030 +6 months a year up to 20 years (annex 4). ✔
- **Employee pension** — 国发〔2005〕38号: basic pension ``(C̄ + C̄·Ī) / 2 × N × 1 %``,
  personal-account pension ``balance ÷ months divisor`` (its annex table; see
  :data:`MONTHS_DIVISOR`). The transitional pension is set by each province (not in the
  national text): here an explicit formula with a regional rate, 0 by default. ✔ / ◐
- **Resident pension** — 国发〔2014〕8号: basic pension (set by government) + account
  balance ÷ 139; paid from age 60 with at least 15 contribution years. ✔
- **Retirement date** — an employee pension starts at the statutory retirement age (the
  2024 decision), or earlier only by a lawful route: the flexible option of 办法 art. 3
  (at most 3 years early, never below the original age; deferral at most 3 years), or
  the early routes kept as dated data (``early_retirement_age``: special-type work,
  国发〔1978〕104号 art. 1(2) and 办法 art. 8; complete incapacity certified by appraisal,
  国发〔1978〕104号 art. 1(3)). See :func:`retirement_date_errors`.
- **Eligibility certification** — 社会保险经办条例 (2023) art. 26 and 人社厅发〔2018〕54号
  (no fixed national date; a rolling cycle from the last certification, ◐ per local
  pages). The cycle and the reminder month are dated data (``certification_cycle``),
  passed in here; payment stops from the month after death. ✔ / ◐

Decisions of this implementation (settings, not guesses, where the law is silent):

- Retirement ages after 2025 are not whole years; the divisor table has whole-year rows
  only. :func:`months_divisor` takes the rule as a parameter (setting
  ``pension_divisor_rule``, default ``"floor"``, the completed-years row; ✘ no national
  rule found).
- The average contribution index must lie within the floor and ceiling of the
  contribution rule in force (60 %–300 % of the local average wage today, §3 ◐), passed
  in as ``index_floor``/``index_ceiling``: the bounds are data, not constants here.
- The retirement date is compared by calendar month: retiring in the month the statutory
  age is reached is retiring at that age (the pension is paid from the next month).
- Money is ``Decimal`` yuan, computed exactly (``Fraction``) and rounded half up to the
  fen once, at the end of each component; the total is the sum of the rounded components,
  so that what is shown adds up.

Nothing here touches the database, the clock or the network.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, cast, get_args

from minsheng.hrss.kernel import resident_pension as resident_rules
from minsheng.hrss.kernel.retirement import (
    CATEGORY_LABELS,
    FLEXIBLE_MAX_MONTHS,
    RETIREMENT_CATEGORIES,
    RetirementAge,
    RetirementCategory,
    add_calendar_months,
    age_on,
    completed_months,
    flexible_window,
    month_index,
    statutory_retirement,
)
from minsheng.platform.errors import FieldError, RuleViolation

Scheme = Literal["employee", "resident"]
DivisorRule = Literal["floor", "interpolate"]
RetirementDateSource = Literal["given", "statutory", "age_60"]
#: How an employee retires: at the statutory age (or later), by the flexible option of
#: the 2024 decision, or by one of the early routes whose ages are dated data.
RetirementRoute = Literal["statutory", "flexible", "special_work", "disability"]

SCHEMES: Final = get_args(Scheme)
DIVISOR_RULES: Final = get_args(DivisorRule)
RETIREMENT_ROUTES: Final = get_args(RetirementRoute)
#: Routes whose minimum age comes from the ``early_retirement_age`` parameter.
EARLY_ROUTES: Final = ("special_work", "disability")
ROUTE_LABELS: Final[dict[str, str]] = {
    "statutory": "达到法定退休年龄",
    "flexible": "弹性提前或延迟退休",
    "special_work": "特殊工种提前退休",
    "disability": "完全丧失劳动能力提前退休（病退）",
}

SCHEME_LABELS: Final[dict[str, str]] = {
    "employee": "职工基本养老保险",
    "resident": "城乡居民基本养老保险",
}
DIVISOR_RULE_LABELS: Final[dict[str, str]] = {
    "floor": "按已满整岁查表",
    "interpolate": "按相邻整岁线性插值（四舍五入）",
}

FEN: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")


# --- minimum contribution period -----------------------------------------------------

MINIMUM_MONTHS_BEFORE_2030: Final = 180
MINIMUM_MONTHS_FINAL: Final = 240


def minimum_contribution_months(retirement_date: date) -> int:
    """Minimum cumulative contribution months for a monthly employee pension, by the
    year of retirement: 180 (15 years, 社会保险法 art. 16) until 2029; from 1 Jan 2030
    six months more each year (2030: 186, 2031: 192 … 2039 and later: 240 = 20 years),
    under the 2024 retirement-age decision (annex 4)."""
    if retirement_date.year < 2030:
        return MINIMUM_MONTHS_BEFORE_2030
    return min(MINIMUM_MONTHS_BEFORE_2030 + 6 * (retirement_date.year - 2029),
               MINIMUM_MONTHS_FINAL)


# --- months divisor (计发月数) --------------------------------------------------------

#: 国发〔2005〕38号 annex: months divisor of the personal-account pension by retirement
#: age. The annex text itself was not retrieved; ages 40–65 agree across three
#: independent tables (◐); ages 66–70 agree in two of three only (✘ less certain).
MONTHS_DIVISOR: Final[dict[int, int]] = {
    40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 207, 48: 204,
    49: 199, 50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170, 56: 164, 57: 158,
    58: 152, 59: 145, 60: 139, 61: 132, 62: 125, 63: 117, 64: 109, 65: 101,
    66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
}
DIVISOR_MIN_AGE: Final = min(MONTHS_DIVISOR)
DIVISOR_MAX_AGE: Final = max(MONTHS_DIVISOR)


def _round_half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (四舍五入)."""
    half = Fraction(1, 2)
    return math.floor(value + half) if value >= 0 else -math.floor(-value + half)


def divisor_age_in_range(age_years: int, age_months: int, rule: DivisorRule) -> bool:
    """Whether :func:`months_divisor` has a value for this age under ``rule``: 40y0m to
    70y11m with ``floor``, 40y0m to 70y0m with ``interpolate`` (no row above 70)."""
    if age_years < DIVISOR_MIN_AGE or age_years > DIVISOR_MAX_AGE:
        return False
    return not (rule == "interpolate" and age_years == DIVISOR_MAX_AGE and age_months > 0)


def months_divisor(age_years: int, age_months: int = 0, rule: DivisorRule = "floor") -> int:
    """The months divisor (计发月数) for a retirement age of ``age_years`` years and
    ``age_months`` months, from the 国发〔2005〕38号 annex table (:data:`MONTHS_DIVISOR`;
    rows 66–70 less certain).

    Whole ages are exactly the table row. For ages that are not whole years (usual after
    the 2024 reform), ``rule`` decides — a regional setting, since no national rule was
    found (✘):

    - ``"floor"`` (default): the row of the completed years (60y3m → row 60 = 139);
    - ``"interpolate"``: linear between the rows of the completed and the next year,
      rounded half up (60y3m → 139 − 7 × 3/12 = 137.25 → 137).

    Raises ``ValueError`` outside the table (:func:`divisor_age_in_range`).
    """
    if not 0 <= age_months <= 11:
        raise ValueError(f"age_months must be 0–11, not {age_months}")
    if rule not in DIVISOR_RULES:
        raise ValueError(f"unknown divisor rule {rule!r}")
    if not divisor_age_in_range(age_years, age_months, rule):
        raise ValueError(f"no months divisor for age {age_years}y{age_months}m ({rule})")
    low = MONTHS_DIVISOR[age_years]
    if age_months == 0 or rule == "floor":
        return low
    high = MONTHS_DIVISOR[age_years + 1]
    return _round_half_up(low + Fraction(high - low) * age_months / 12)


# --- money ----------------------------------------------------------------------------


def round_fen(value: Fraction | Decimal | int) -> Decimal:
    """Yuan rounded half up to the fen (0.005 → 0.01), as a two-place ``Decimal``."""
    return Decimal(_round_half_up(Fraction(value) * 100)).scaleb(-2).quantize(FEN)


def basic_pension(
    local_average_wage: Decimal, average_index: Decimal, contribution_months: int
) -> Decimal:
    """Monthly basic pension of the employee scheme (国发〔2005〕38号):
    ``(C̄ + C̄ × Ī) / 2 × N × 1 %`` with C̄ the local average monthly wage of the year
    before retirement, Ī the average contribution index and N the contribution years
    (deemed years included) counted to the month, ``N = months / 12``."""
    c = Fraction(local_average_wage)
    n = Fraction(contribution_months, 12)
    return round_fen((c + c * Fraction(average_index)) / 2 * n / 100)


def account_pension(balance: Decimal, divisor: int) -> Decimal:
    """Monthly personal-account pension: account balance ÷ months divisor (国发〔2005〕38号;
    for the resident scheme the divisor is 139, 国发〔2014〕8号)."""
    if divisor <= 0:
        raise ValueError("the months divisor is positive")
    return round_fen(Fraction(balance) / divisor)


def transitional_pension(
    local_average_wage: Decimal, index: Decimal, deemed_months: int, rate: Decimal
) -> Decimal:
    """Monthly transitional pension (过渡性养老金) for deemed contribution years (视同缴费
    年限, work before personal accounts, 国发〔1997〕26号).

    Each province sets this part (国发〔2005〕38号 leaves it to them; not in the national
    text). The formula used here is the common provincial shape
    ``C̄ × I × (deemed_months / 12) × rate``: the indexed wage times the deemed years
    times a transitional rate per year (typically 1.0 %–1.4 % where applied). ``rate`` is
    the regional setting ``pension_transitional_rate``; 0 (default) means "not applied".
    """
    if rate <= 0 or deemed_months <= 0:
        return ZERO
    value = (Fraction(local_average_wage) * Fraction(index) * Fraction(deemed_months, 12)
             * Fraction(rate))
    return round_fen(value)


#: 国发〔2014〕8号: resident personal-account pension = balance ÷ 139.
RESIDENT_DIVISOR: Final = 139
#: 国发〔2014〕8号: resident pension from age 60 with at least 15 contribution years
#: (less for people near or over 60 when the scheme began: :func:`resident_minimum_months`).
RESIDENT_PENSION_AGE: Final = resident_rules.RESIDENT_PENSION_AGE
RESIDENT_MINIMUM_MONTHS: Final = resident_rules.RESIDENT_MINIMUM_MONTHS
#: Contributions count from the legal working age (劳动法 art. 15: 16).
WORKING_AGE: Final = 16


# --- the estimator -------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A sentence for people, in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True)
class EstimateInput:
    """What the estimator is told. ``retirement_date`` may be left out: see
    :func:`resolve_retirement_date`."""

    scheme: str
    birth_date: date
    retirement_date: date | None
    contribution_months: int
    account_balance: Decimal = ZERO
    average_index: Decimal | None = None
    local_average_wage: Decimal | None = None
    #: Resident scheme: the regional basic pension per month (基础养老金).
    basic_pension: Decimal | None = None
    #: Employee scheme: deemed months (视同缴费), part of ``contribution_months``.
    deemed_contribution_months: int = 0
    category: str | None = None
    #: Employee scheme: how the person retires (:data:`RETIREMENT_ROUTES`).
    route: str = "statutory"
    #: The minimum age in months of an early ``route`` for ``category``, from the dated
    #: ``early_retirement_age`` parameter (``None``: the region has no such route).
    early_age_months: int | None = None
    #: Employee scheme: the bounds of the average index, from the contribution rule in
    #: force (floor and ceiling of the base as a share of the average wage).
    index_floor: Decimal | None = None
    index_ceiling: Decimal | None = None
    #: Resident scheme: the day the scheme began where the person lives; when given,
    #: people near or over 60 that day need fewer months (:func:`resident_minimum_months`).
    resident_scheme_start: date | None = None


@dataclass(frozen=True)
class Estimate:
    """The estimator's answer with everything it used.

    ``inputs`` carries the resolved ``retirement_date``. Amounts are 0.00 when the person
    is not eligible: no monthly pension is paid then (社会保险法 art. 16)."""

    inputs: EstimateInput
    eligible: bool
    missing_months: int
    minimum_months: int
    months_divisor: int
    retirement_age_years: int
    retirement_age_months: int
    basic_pension: Decimal
    account_pension: Decimal
    transitional_pension: Decimal
    total: Decimal
    divisor_rule: DivisorRule
    transitional_rate: Decimal
    #: The statutory retirement of ``inputs.category``, when one was given.
    statutory: RetirementAge | None = None
    #: Why not eligible: ``"months"`` (too few months), ``"age"`` (resident under 60).
    shortfalls: tuple[str, ...] = ()
    notes: tuple[Message, ...] = field(default_factory=tuple)
    #: ``given``, ``statutory`` (from the category) or ``age_60`` (resident default).
    retirement_date_source: RetirementDateSource = "given"

    @property
    def retirement_date(self) -> date:
        assert self.inputs.retirement_date is not None
        return self.inputs.retirement_date

    @property
    def retirement_age_label(self) -> str:
        """``60岁3个月`` or ``60岁``."""
        years, months = self.retirement_age_years, self.retirement_age_months
        return f"{years}岁{months}个月" if months else f"{years}岁"

    @property
    def explanation(self) -> Message | None:
        """Why the person is not (yet) eligible and what they can do; ``None`` if eligible."""
        if self.eligible:
            return None
        zh: list[str] = []
        en: list[str] = []
        if "age" in self.shortfalls:
            zh.append(f"城乡居民基本养老保险年满{RESIDENT_PENSION_AGE}周岁方可按月领取，按所填领取日期"
                      f"您为{_age_zh(self.retirement_age_years, self.retirement_age_months)}"
                      "（国发〔2014〕8号）。")
            en.append(f"The resident pension is paid from age {RESIDENT_PENSION_AGE}; on the "
                      f"date given you are {self.retirement_age_years} years "
                      f"{self.retirement_age_months} months old (国发〔2014〕8号).")
        if "months" in self.shortfalls:
            have = self.inputs.contribution_months
            if self.inputs.scheme == "employee":
                basis_zh = (f"按{self.retirement_date.year}年退休，最低缴费年限为"
                            f"{_months_zh(self.minimum_months)}（社会保险法第十六条，2024年渐进式"
                            "延迟法定退休年龄的决定）")
                basis_en = (f"retiring in {self.retirement_date.year}, the minimum is "
                            f"{self.minimum_months} months (Social Insurance Law art. 16 and "
                            "the 2024 retirement-age decision)")
                remedy_zh = ("可以延长缴费至满最低缴费年限（也可一次性补缴），"
                             "之后按月领取基本养老金；也可以按规定转入城乡居民基本养老保险。")
                remedy_en = ("You may keep contributing (or pay the gap at once) until the "
                             "minimum is reached and then draw a monthly pension, or transfer "
                             "to the resident scheme.")
            else:
                basis_zh, basis_en = _resident_basis(self.inputs, self.minimum_months)
                remedy_zh = "可以按年继续缴费或按规定补缴，缴满后按月领取。"
                remedy_en = ("You may go on paying yearly or make up the gap, then draw the "
                             "pension monthly.")
            zh.append(f"累计缴费{_months_zh(have)}，{basis_zh}，尚缺{self.missing_months}个月，"
                      f"暂不能按月领取养老金。{remedy_zh}")
            en.append(f"You have {have} contribution months; {basis_en}. "
                      f"{self.missing_months} months are missing, so no monthly pension is "
                      f"paid yet. {remedy_en}")
        return Message("".join(zh), " ".join(en))


def _months_zh(months: int) -> str:
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}个月"
    return f"{years}年{rest}个月" if rest else f"{years}年"


def _age_zh(years: int, months: int) -> str:
    return f"{years}周岁{months}个月" if months else f"{years}周岁"


def as_category(value: str | None) -> RetirementCategory | None:
    """``value`` as a retirement category, ``None`` when it is not one."""
    return cast(RetirementCategory, value) if value in RETIREMENT_CATEGORIES else None


def resolve_retirement_date(data: EstimateInput) -> date | None:
    """The retirement (first payment) date the estimate uses: the one given; else, for
    the employee scheme with a category, the statutory date (:func:`statutory_retirement`);
    for the resident scheme, the 60th birthday (国发〔2014〕8号); else ``None``."""
    if data.retirement_date is not None:
        return data.retirement_date
    if data.scheme == "resident":
        return add_calendar_months(data.birth_date, RESIDENT_PENSION_AGE * 12)
    category = as_category(data.category)
    if data.scheme == "employee" and category is not None:
        return statutory_retirement(data.birth_date, category).retirement_date
    return None


def _plain(value: Decimal) -> str:
    """``Decimal("3.000")`` → ``3``, ``Decimal("0.60")`` → ``0.6``."""
    return f"{value.normalize():f}"


def _age_label(total_months: int) -> str:
    years, months = divmod(total_months, 12)
    return _age_zh(years, months)


def retirement_date_errors(
    birth_date: date, category: RetirementCategory, retirement_date: date, route: str,
    early_age_months: int | None = None,
) -> list[FieldError]:
    """Why an employee may not retire on ``retirement_date`` by ``route`` (empty: they
    may), each error naming the statutory retirement date, in Chinese and English.

    Compared by calendar month (retiring in the month the age is reached is retiring at
    that age; the pension is paid from the next month):

    - ``statutory``: not before the month of the statutory retirement date (2024 decision,
      :func:`statutory_retirement`). A later date is a late or extended retirement
      (办法 art. 2: contributions extended to reach the minimum period).
    - ``flexible`` (办法 art. 3): within :func:`flexible_window`: at most 36 months before
      the statutory date and never below the original age (60, 55 or 50), at most 36
      months after it. The minimum contribution period it also needs is checked by the
      estimate (not eligible otherwise).
    - ``special_work`` / ``disability``: not before the minimum age of the route for the
      category, ``early_age_months`` from the dated ``early_retirement_age`` parameter
      (国发〔1978〕104号 art. 1(2)–(3): men 55 / women 45 for special-type work, men 50 /
      women 45 for complete incapacity certified by appraisal; 办法 art. 8 keeps the
      special-type route). ``None`` means the region has no such route: refused.

    A route's date on or after the statutory month is always allowed (nobody needs an
    early route to retire at the statutory age); ``flexible`` still caps the deferral.
    """
    statutory = statutory_retirement(birth_date, category)
    given, due = month_index(retirement_date), month_index(statutory.retirement_date)
    who = f"{CATEGORY_LABELS[category]}（{birth_date.isoformat()}出生）"
    stat_zh = (f"法定退休年龄{statutory.label}，"
               f"法定退休日期为{statutory.retirement_date.isoformat()}")
    stat_en = (f"the statutory retirement age is {statutory.years} years "
               f"{statutory.months} months, reached on {statutory.retirement_date.isoformat()}")
    if route == "flexible":
        window = flexible_window(birth_date, category)
        if given < month_index(window.earliest):
            if window.earliest_is_original_age:
                zh_limit = ("弹性提前退休不得低于原法定退休年龄"
                            f"{statutory.original_age_years}周岁，"
                            f"最早为{window.earliest.isoformat()}")
                en_limit = (f"flexible early retirement is never below the original age "
                            f"{statutory.original_age_years}: {window.earliest.isoformat()} "
                            "at the earliest")
            else:
                zh_limit = (f"弹性提前退休最多提前{FLEXIBLE_MAX_MONTHS // 12}年，"
                            f"最早为{window.earliest.isoformat()}")
                en_limit = (f"flexible early retirement is at most {FLEXIBLE_MAX_MONTHS} "
                            f"months early: {window.earliest.isoformat()} at the earliest")
            return [FieldError(
                "retirement_date",
                f"退休日期早于弹性退休的最早日期：{who}{stat_zh}；{zh_limit}"
                "（国务院关于渐进式延迟法定退休年龄的办法第三条）。",
                f"The retirement date is too early for flexible retirement: {stat_en}; "
                f"{en_limit} (2024 decision, art. 3).")]
        if given > month_index(window.latest):
            return [FieldError(
                "retirement_date",
                f"退休日期晚于弹性延迟退休的最晚日期：{who}{stat_zh}；弹性延迟退休最长"
                f"{FLEXIBLE_MAX_MONTHS // 12}年，最晚为{window.latest.isoformat()}"
                "（国务院关于渐进式延迟法定退休年龄的办法第三条）。",
                f"The retirement date is after the latest flexible deferral: {stat_en}; "
                f"deferral is at most {FLEXIBLE_MAX_MONTHS} months, to "
                f"{window.latest.isoformat()} (2024 decision, art. 3).")]
        return []
    if given >= due:
        return []
    if route in EARLY_ROUTES:
        label = ROUTE_LABELS[route]
        if early_age_months is None:
            return [FieldError(
                "route", f"本地区没有{label}的年龄条件（政策参数），不能按此途径提前退休；"
                f"{who}{stat_zh}。",
                f"No minimum age for the early route '{route}' is published for this "
                f"region; {stat_en}.")]
        earliest = add_calendar_months(birth_date, early_age_months)
        if given < month_index(earliest):
            return [FieldError(
                "retirement_date",
                f"退休日期早于{label}的最低年龄：须年满{_age_label(early_age_months)}"
                f"（{earliest.isoformat()}）；{who}{stat_zh}。",
                f"The retirement date is before the minimum age of the early route "
                f"'{route}' ({early_age_months // 12} years, on {earliest.isoformat()}); "
                f"{stat_en}.")]
        return []
    window = flexible_window(birth_date, category)
    flexible_zh = (f"弹性提前退休最早{window.earliest.isoformat()}"
                   if window.earliest < statutory.retirement_date else "不能弹性提前退休")
    return [FieldError(
        "retirement_date",
        f"退休日期早于法定退休日期：{who}{stat_zh}（全国人大常委会2024年9月13日决定）。"
        f"提前退休须选择弹性提前退休（最多提前3年且不低于原法定退休年龄，{flexible_zh}）、"
        "特殊工种或病退途径。",
        f"The retirement date is before the statutory retirement date: {stat_en} (NPC "
        "Standing Committee decision of 13 Sep 2024). Earlier retirement needs the "
        "flexible route (at most 3 years early, never below the original age), special-type "
        "work or certified incapacity.")]


def _route_note(route: str, statutory: RetirementAge, retirement_date: date) -> Message:
    """Says that the date differs from the statutory one and by which route."""
    early = retirement_date < statutory.retirement_date
    zh_kind = "提前" if early else "晚于法定退休日期"
    en_kind = "early" if early else "after the statutory date"
    return Message(
        f"按“{ROUTE_LABELS.get(route, route)}”{zh_kind}退休：法定退休年龄{statutory.label}，"
        f"法定退休日期{statutory.retirement_date.isoformat()}。",
        f"Retiring {en_kind} by the route '{route}': the statutory retirement date is "
        f"{statutory.retirement_date.isoformat()}.")


def _required(name: str, label: str, label_en: str) -> FieldError:
    return FieldError(name, f"请填写{label}", f"{label_en} is required")


def check_estimate_input(data: EstimateInput, *, divisor_rule: DivisorRule = "floor"
                         ) -> list[FieldError]:
    """Every problem with ``data``, each naming its field in Chinese and English
    (an empty list: the input can be estimated). Too few contribution months is not a
    problem here: it is an answer (not eligible)."""
    errors: list[FieldError] = []
    scheme_ok = data.scheme in SCHEMES
    if not scheme_ok:
        errors.append(FieldError(
            "scheme",
            "未知的养老保险类型，应为职工基本养老保险或城乡居民基本养老保险",
            "unknown scheme: employee or resident"))
    if data.category is not None and data.category not in RETIREMENT_CATEGORIES:
        errors.append(FieldError(
            "category", "未知的人员类别，应为男职工、女干部或女工人",
            "unknown category: male, female_cadre or female_worker"))
    elif data.category is None and data.scheme == "employee":
        errors.append(FieldError(
            "category", "请选择人员类别，用于核对法定退休年龄",
            "choose the category: the statutory retirement age depends on it"))
    retirement = resolve_retirement_date(data)
    if retirement is None and scheme_ok:
        errors.append(FieldError(
            "retirement_date", "请填写退休日期，或选择人员类别按法定退休年龄推算",
            "give the retirement date, or a category to use the statutory age"))
    if retirement is not None and retirement <= data.birth_date:
        errors.append(FieldError("retirement_date", "退休日期不能早于或等于出生日期",
                                 "the retirement date must be after the birth date"))
        retirement = None
    if data.contribution_months < 0:
        errors.append(FieldError("contribution_months", "缴费月数不能为负数",
                                 "contribution months cannot be negative"))
    elif retirement is not None:
        working = completed_months(add_calendar_months(data.birth_date, WORKING_AGE * 12),
                                   retirement)
        if data.contribution_months > max(working, 0):
            errors.append(FieldError(
                "contribution_months",
                f"缴费月数超过{WORKING_AGE}周岁至退休之间的月数（{max(working, 0)}个月）",
                f"more contribution months than there are from age {WORKING_AGE} to "
                f"retirement ({max(working, 0)})"))
    if data.account_balance < 0:
        errors.append(FieldError("account_balance", "个人账户储存额不能为负数",
                                 "the account balance cannot be negative"))
    if data.scheme == "employee":
        errors.extend(_check_employee(data, retirement, divisor_rule))
    elif data.scheme == "resident":
        if data.basic_pension is None:
            errors.append(_required("basic_pension", "基础养老金标准", "the basic pension"))
        elif data.basic_pension < 0:
            errors.append(FieldError("basic_pension", "基础养老金标准不能为负数",
                                     "the basic pension cannot be negative"))
    return errors


def _check_employee(
    data: EstimateInput, retirement: date | None, divisor_rule: DivisorRule
) -> list[FieldError]:
    errors: list[FieldError] = []
    low, high = data.index_floor, data.index_ceiling
    if data.average_index is None:
        errors.append(_required("average_index", "平均缴费指数", "the average contribution index"))
    elif low is not None and high is not None and not low <= data.average_index <= high:
        errors.append(FieldError(
            "average_index",
            f"平均缴费指数应在 {_plain(low)} 至 {_plain(high)} 之间（缴费基数为当地平均工资的 "
            f"{_plain(low * 100)}%–{_plain(high * 100)}%）",
            f"the average index lies between {_plain(low)} and {_plain(high)} (the "
            f"contribution base is clamped to {_plain(low * 100)}–{_plain(high * 100)} % of "
            "the local average wage)"))
    elif data.average_index <= 0:
        errors.append(FieldError("average_index", "平均缴费指数应大于 0",
                                 "the average index must be positive"))
    if data.local_average_wage is None:
        errors.append(_required("local_average_wage", "上年度当地月平均工资",
                                "the local average monthly wage"))
    elif data.local_average_wage <= 0:
        errors.append(FieldError("local_average_wage", "上年度当地月平均工资应大于 0",
                                 "the local average wage must be positive"))
    if data.deemed_contribution_months < 0:
        errors.append(FieldError("deemed_contribution_months", "视同缴费月数不能为负数",
                                 "deemed months cannot be negative"))
    elif data.deemed_contribution_months > max(data.contribution_months, 0):
        errors.append(FieldError("deemed_contribution_months", "视同缴费月数不能超过累计缴费月数",
                                 "deemed months are part of the contribution months"))
    if data.route not in RETIREMENT_ROUTES:
        errors.append(FieldError(
            "route", "未知的退休途径，应为法定退休、弹性退休、特殊工种或病退",
            "unknown route: statutory, flexible, special_work or disability"))
    category = as_category(data.category)
    if retirement is not None and category is not None and data.route in RETIREMENT_ROUTES:
        errors.extend(retirement_date_errors(
            data.birth_date, category, retirement, data.route, data.early_age_months))
    if retirement is not None:
        years, months = age_on(data.birth_date, retirement)
        if not divisor_age_in_range(years, months, divisor_rule):
            errors.append(FieldError(
                "retirement_date",
                f"退休时年龄{_age_zh(years, months)}，超出计发月数表的范围"
                f"（{DIVISOR_MIN_AGE}–{DIVISOR_MAX_AGE}周岁）",
                f"the retirement age {years}y{months}m is outside the months-divisor table "
                f"({DIVISOR_MIN_AGE}–{DIVISOR_MAX_AGE})"))
    return errors


def estimate(
    data: EstimateInput,
    *,
    divisor_rule: DivisorRule = "floor",
    transitional_rate: Decimal = ZERO,
) -> Estimate:
    """Estimate the monthly pension at retirement.

    Employee scheme (国发〔2005〕38号): basic pension (:func:`basic_pension`) + account
    balance ÷ the months divisor of the retirement age (:func:`months_divisor` with
    ``divisor_rule``) + the transitional pension (:func:`transitional_pension` with the
    regional ``transitional_rate``, index = the average index); eligible with at least
    :func:`minimum_contribution_months` of the retirement date.

    Resident scheme (国发〔2014〕8号): the regional basic pension + balance ÷ 139;
    eligible from age 60 with at least 180 months.

    Too few months (or a resident under 60) is an answer: ``eligible`` is false with
    ``missing_months`` and an :attr:`Estimate.explanation`, amounts 0.00. Bad input
    raises ``RuleViolation`` listing every field (:func:`check_estimate_input`).
    """
    errors = check_estimate_input(data, divisor_rule=divisor_rule)
    if errors:
        names = "、".join(dict.fromkeys(e.field for e in errors))
        raise RuleViolation(f"养老金测算数据有误：{names}",
                            f"Invalid pension estimate input: {names.replace('、', ', ')}",
                            errors=errors)
    category = as_category(data.category)
    statutory = statutory_retirement(data.birth_date, category) if category else None
    source: RetirementDateSource = "given"
    if data.retirement_date is None:
        source = "age_60" if data.scheme == "resident" else "statutory"
    data = replace(data, retirement_date=resolve_retirement_date(data))
    assert data.retirement_date is not None
    years, months = age_on(data.birth_date, data.retirement_date)
    notes: list[Message] = []
    shortfalls: list[str] = []
    if data.scheme == "employee":
        minimum = minimum_contribution_months(data.retirement_date)
        divisor = months_divisor(years, months, divisor_rule)
        if months:
            notes.append(Message(
                f"退休时年龄{_age_zh(years, months)}不是整岁，计发月数"
                f"{DIVISOR_RULE_LABELS[divisor_rule]}确定（本地区设置；国家尚无统一规定）。",
                f"The retirement age is not a whole year; the divisor uses the "
                f"'{divisor_rule}' rule (a regional setting; no national rule found)."))
        if statutory is not None and (month_index(data.retirement_date)
                                      != month_index(statutory.retirement_date)):
            notes.append(_route_note(data.route, statutory, data.retirement_date))
        if data.deemed_contribution_months > 0 and transitional_rate <= 0:
            notes.append(Message(
                "有视同缴费年限，但本地区未设置过渡性养老金系数，测算未含过渡性养老金。",
                "Deemed years were given, but no regional transitional rate is set: the "
                "estimate has no transitional pension."))
    else:
        minimum = resident_minimum_months(data)
        divisor = RESIDENT_DIVISOR
        if years < RESIDENT_PENSION_AGE:
            shortfalls.append("age")
    missing = max(minimum - data.contribution_months, 0)
    if missing:
        shortfalls.append("months")
    eligible = not shortfalls
    basic = account = transitional = ZERO
    if eligible and data.scheme == "employee":
        assert data.local_average_wage is not None and data.average_index is not None
        basic = basic_pension(data.local_average_wage, data.average_index,
                              data.contribution_months)
        account = account_pension(data.account_balance, divisor)
        transitional = transitional_pension(data.local_average_wage, data.average_index,
                                            data.deemed_contribution_months, transitional_rate)
    elif eligible:
        assert data.basic_pension is not None
        basic = round_fen(data.basic_pension)
        account = account_pension(data.account_balance, divisor)
    return Estimate(
        inputs=data,
        eligible=eligible,
        missing_months=missing,
        minimum_months=minimum,
        months_divisor=divisor,
        retirement_age_years=years,
        retirement_age_months=months,
        basic_pension=basic,
        account_pension=account,
        transitional_pension=transitional,
        total=basic + account + transitional,
        divisor_rule=divisor_rule,
        transitional_rate=transitional_rate,
        statutory=statutory,
        shortfalls=tuple(shortfalls),
        notes=tuple(notes),
        retirement_date_source=source,
    )


# --- awards: annual uplift ---------------------------------------------------------------


def annual_uplift(amount: Decimal, percent: Decimal, fixed: Decimal = ZERO) -> Decimal:
    """A pension after the annual adjustment (养老金年度调整): ``amount × (1 + percent) +
    fixed``, rounded half up to the fen. ``percent`` is a fraction (``Decimal("0.02")``
    for 2 %); the yearly MOHRSS/MOF notice sets the percentage and any fixed amount
    (定额调整). An uplift never lowers a pension: ``percent`` must lie in [0, 1) and
    ``fixed`` be non-negative (``ValueError`` otherwise, which also catches "2" meant as
    2 %)."""
    if not 0 <= percent < 1:
        raise ValueError(f"the uplift percent is a fraction in [0, 1), not {percent}")
    if fixed < 0:
        raise ValueError("the fixed uplift cannot be negative")
    return round_fen(Fraction(amount) * (1 + Fraction(percent)) + Fraction(fixed))


def uplift_covers(first_award_month: int, year: int) -> bool:
    """Whether a pensioner is within ``year``'s adjustment: the yearly notice (e.g. 人社部
    财政部《关于2024年调整退休人员基本养老金的通知》 人社部发〔2024〕56号) covers those who
    "于上年12月31日前已按规定办理退休手续并按月领取基本养老金" — in payment from a month of
    the previous year or earlier. Someone retired in June of ``year`` is not covered."""
    return first_award_month <= uplift_last_covered_month(year)


def uplift_last_covered_month(year: int) -> int:
    """The last first-payment month ``year``'s adjustment covers: December before it."""
    return (year - 1) * 100 + 12


# --- eligibility certification (领取待遇资格认证) ------------------------------------------

# The cycle (12 months in local practice, ◐) and the reminder month (11) are dated data:
# the ``certification_cycle`` parameter, passed in as ``cycle_months``/``reminder_months``.


def certification_due_date(last_certified: date, cycle_months: int) -> date:
    """The day by which the next certification is due: ``cycle_months`` after the last
    one (社会保险经办条例 art. 26; 人社厅发〔2018〕54号 — no fixed national date, a rolling
    cycle from the last successful certification). With 12: 2024-02-29 → 2025-02-28."""
    return add_calendar_months(last_certified, cycle_months)


def reminder_date(last_certified: date, reminder_months: int) -> date:
    """The day the reminder is sent: ``reminder_months`` after the last certification."""
    return add_calendar_months(last_certified, reminder_months)


def reminded_if_certified_by(on: date, reminder_months: int) -> date:
    """The latest last-certification date whose reminder is due on ``on`` (the inverse of
    :func:`reminder_date`, which never decreases): ``reminder_date(d, n) <= on`` exactly
    when ``d <= reminded_if_certified_by(on, n)``. Lets a count run in SQL."""
    day = add_calendar_months(on, -reminder_months)
    while reminder_date(day, reminder_months) > on:
        day = date.fromordinal(day.toordinal() - 1)
    while reminder_date(date.fromordinal(day.toordinal() + 1), reminder_months) <= on:
        day = date.fromordinal(day.toordinal() + 1)
    return day


def is_lapsed(last_certified: date, on: date, cycle_months: int) -> bool:
    """Whether the certification has lapsed on ``on``: after the due date (the due day
    itself is still in time). A lapsed recipient's payment is suspended until they are
    certified, then resumed with back-pay (社会保险经办条例 art. 26; local notices citing
    人社厅发〔2018〕54号)."""
    return on > certification_due_date(last_certified, cycle_months)


def months_paid_after_death(death_date: date, paid_months: Iterable[int]) -> list[int]:
    """The paid months (``YYYYMM``) that are overpaid because of a death: payment stops
    from the month after the month of death, so every paid month after the death month
    must be recovered (社会保险经办条例 art. 26: payment stops once ineligibility is
    confirmed; amounts drawn after death are refunded, per the local notices citing
    人社厅发〔2018〕54号). The death month itself is due. Sorted, each month once."""
    death_month = death_date.year * 100 + death_date.month
    return sorted({month for month in paid_months if month > death_month})


# --- resident pension: people near or over 60 when the scheme began; the transfer ----------
#
# 国发〔2014〕8号 七 (see ``hrss.kernel.resident_pension``) and 城乡养老保险制度衔接暂行办法
# (人社部发〔2014〕17号). The contribution record of both schemes is counted in
# ``insurance.service.resident_record``.


def resident_minimum_months(data: EstimateInput) -> int:
    """Contribution months the resident scheme requires of the person estimated: 0 for
    someone 60 or older when the scheme began where they live (超龄), the years left to
    60 for someone with less than 15 to go, else 180 (国发〔2014〕8号 七;
    :func:`~minsheng.hrss.kernel.resident_pension.resident_requirement`). Without the
    day the scheme began, 180."""
    return resident_rules.resident_required_months(data.birth_date, data.resident_scheme_start)


def _resident_basis(data: EstimateInput, minimum: int) -> tuple[str, str]:
    """Why the resident scheme asks ``minimum`` months of this person (for the
    explanation of a shortfall)."""
    if data.resident_scheme_start is None:
        return (f"城乡居民基本养老保险须累计缴费满{_months_zh(minimum)}（国发〔2014〕8号）",
                f"the resident scheme needs {minimum} months (国发〔2014〕8号)")
    need = resident_rules.resident_requirement(data.birth_date, data.resident_scheme_start)
    start = data.resident_scheme_start.isoformat()
    if need.kind == "sliding":
        return (f"本地城乡居民养老保险于{start}实施，当时您{need.age_at_start}周岁，距60周岁"
                f"不足15年，应逐年缴费至60周岁，共{_months_zh(minimum)}（国发〔2014〕8号）",
                f"the resident scheme began here on {start} when you were "
                f"{need.age_at_start}; with less than 15 years to 60 you pay every year "
                f"left, {minimum} months (国发〔2014〕8号)")
    return (f"本地城乡居民养老保险于{start}实施，须累计缴费满{_months_zh(minimum)}"
            "（国发〔2014〕8号）",
            f"the resident scheme began here on {start}; it needs {minimum} months "
            "(国发〔2014〕8号)")


#: 衔接暂行办法 art. 3: employee-pension years from which the resident record moves into
#: the employee scheme (15 years, "含延长缴费至15年"). How the 2030 rise of the employee
#: minimum changes this threshold is not yet published (✘): the text's 15 years stand.
EMPLOYEE_YEARS_TO_TRANSFER_IN: Final = 180

TransferDirection = Literal["to_employee", "to_resident"]


def transfer_direction(employee_months: int) -> TransferDirection:
    """Where someone with records in both schemes draws a pension (城乡养老保险制度衔接暂行
    办法 art. 3): with 15 or more employee-pension years, the resident record moves into
    the employee scheme (``to_employee``; resident years do not count there, art. 4);
    with fewer, the employee record moves into the resident scheme (``to_resident``; the
    employee years count as resident years and the accounts are merged, art. 5).
    179 months → ``to_resident``, 180 → ``to_employee``."""
    if employee_months < 0:
        raise ValueError("contribution months cannot be negative")
    return "to_employee" if employee_months >= EMPLOYEE_YEARS_TO_TRANSFER_IN else "to_resident"
