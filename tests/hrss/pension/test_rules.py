"""Pension rules as plain functions: retirement-age tables, minimum months, the months
divisor, the formulas, the estimator and the award/certification helpers.

Expected values are written out from the sources (the annex rows of the 2024 decision,
the 国发〔2005〕38号 divisor table as in the reference) or computed independently here,
never taken from the code under test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from minsheng.hrss.kernel import retirement
from minsheng.hrss.pension import rules
from minsheng.hrss.pension.rules import EstimateInput
from minsheng.platform.errors import RuleViolation

D = Decimal

#: The 国发〔2005〕38号 annex table as printed in reference/hrss-rules.md §4.1.
DIVISOR_TABLE = dict(zip(range(40, 71), (
    233, 230, 226, 223, 220, 216, 212, 207, 204, 199, 195, 190, 185, 180, 175, 170,
    164, 158, 152, 145, 139, 132, 125, 117, 109, 101, 93, 84, 75, 65, 56,
), strict=True))

CATEGORIES = ("male", "female_cadre", "female_worker")
ORIGINAL = {"male": 60, "female_cadre": 55, "female_worker": 50}
MAX_DELAY = {"male": 36, "female_cadre": 36, "female_worker": 60}
STEP = {"male": 4, "female_cadre": 4, "female_worker": 2}


def independent_fen(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


births = st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31))


class TestStatutoryRetirement:
    # (category, birth year, birth month) → (years, months, retirement year, month):
    # rows of annexes 1–3 of the 2024 decision (first and last rows, boundaries).
    ANNEX_ROWS = [
        ("male", 1960, 5, 60, 0, 2020, 5),
        ("male", 1964, 12, 60, 0, 2024, 12),
        ("male", 1965, 1, 60, 1, 2025, 2),
        ("male", 1965, 4, 60, 1, 2025, 5),
        ("male", 1965, 5, 60, 2, 2025, 7),
        ("male", 1965, 12, 60, 3, 2026, 3),
        ("male", 1966, 1, 60, 4, 2026, 5),
        ("male", 1976, 8, 62, 11, 2039, 7),
        ("male", 1976, 9, 63, 0, 2039, 9),
        ("male", 1995, 12, 63, 0, 2058, 12),
        ("male", 2000, 12, 63, 0, 2063, 12),
        ("female_cadre", 1963, 4, 55, 0, 2018, 4),
        ("female_cadre", 1969, 12, 55, 0, 2024, 12),
        ("female_cadre", 1970, 1, 55, 1, 2025, 2),
        ("female_cadre", 1971, 4, 55, 4, 2026, 8),
        ("female_cadre", 1981, 8, 57, 11, 2039, 7),
        ("female_cadre", 1981, 9, 58, 0, 2039, 9),
        ("female_cadre", 2000, 12, 58, 0, 2058, 12),
        ("female_worker", 1974, 12, 50, 0, 2024, 12),
        ("female_worker", 1975, 1, 50, 1, 2025, 2),
        ("female_worker", 1975, 2, 50, 1, 2025, 3),
        ("female_worker", 1975, 3, 50, 2, 2025, 5),
        ("female_worker", 1984, 10, 54, 11, 2039, 9),
        ("female_worker", 1984, 11, 55, 0, 2039, 11),
        ("female_worker", 1995, 12, 55, 0, 2050, 12),
    ]

    @pytest.mark.parametrize(("category", "year", "month", "age_y", "age_m", "ret_y", "ret_m"),
                             ANNEX_ROWS)
    def test_annex_rows(self, category: str, year: int, month: int, age_y: int, age_m: int,
                        ret_y: int, ret_m: int) -> None:
        result = retirement.statutory_retirement(date(year, month, 15), category)  # type: ignore[arg-type]
        assert (result.years, result.months) == (age_y, age_m)
        assert result.retirement_date == date(ret_y, ret_m, 15)
        assert result.delay_months == (age_y - ORIGINAL[category]) * 12 + age_m

    def test_man_born_january_1965_is_first_cohort_with_one_month(self) -> None:
        result = retirement.statutory_retirement(date(1965, 1, 1), "male")
        assert result.label == "60岁1个月"
        assert result.retirement_date == date(2025, 2, 1)

    def test_end_of_month_birthday_clamps(self) -> None:
        result = retirement.statutory_retirement(date(1965, 1, 31), "male")  # 60y1m → Feb 2025
        assert result.retirement_date == date(2025, 2, 28)

    def test_unknown_category(self) -> None:
        with pytest.raises(ValueError):
            retirement.statutory_retirement(date(1970, 1, 1), "female")  # type: ignore[arg-type]

    @pytest.mark.parametrize("category", CATEGORIES)
    def test_each_delay_step_spans_step_birth_months(self, category: str) -> None:
        """Walking birth months 1955–2005: the delay never falls, rises by at most one
        month per birth month, and every intermediate delay covers exactly ``step``
        consecutive birth months (every 4 / every 2 months, +1 month)."""
        counts: dict[int, int] = {}
        previous = None
        for index in range(1955 * 12, 2006 * 12):
            born = date(index // 12, index % 12 + 1, 1)
            delay = retirement.statutory_retirement(born, category).delay_months  # type: ignore[arg-type]
            counts[delay] = counts.get(delay, 0) + 1
            if previous is not None:
                assert previous <= delay <= previous + 1
            previous = delay
        assert set(counts) == set(range(MAX_DELAY[category] + 1))
        for delay in range(1, MAX_DELAY[category]):
            assert counts[delay] == STEP[category]

    @given(births, st.sampled_from(CATEGORIES))
    def test_age_and_date_agree(self, born: date, category: str) -> None:
        result = retirement.statutory_retirement(born, category)  # type: ignore[arg-type]
        assert retirement.age_on(born, result.retirement_date) == (result.years, result.months)
        total = result.years * 12 + result.months
        assert ORIGINAL[category] * 12 <= total <= ORIGINAL[category] * 12 + MAX_DELAY[category]
        original_month = (born.year + ORIGINAL[category]) * 12 + born.month - 1
        reached_before_2025 = original_month < 2025 * 12
        assert (result.delay_months == 0) == reached_before_2025

    @given(births, births, st.sampled_from(CATEGORIES))
    def test_later_birth_never_retires_earlier(self, a: date, b: date, category: str) -> None:
        first, second = sorted((a, b))
        ra = retirement.statutory_retirement(first, category)  # type: ignore[arg-type]
        rb = retirement.statutory_retirement(second, category)  # type: ignore[arg-type]
        assert ra.retirement_date <= rb.retirement_date
        assert ra.delay_months <= rb.delay_months


class TestCalendarArithmetic:
    @given(births, st.integers(min_value=0, max_value=900))
    def test_completed_months_inverts_adding(self, born: date, months: int) -> None:
        later = retirement.add_calendar_months(born, months)
        assert retirement.completed_months(born, later) == months

    @given(births, st.integers(min_value=1, max_value=400))
    def test_the_day_before_is_one_month_short(self, born: date, months: int) -> None:
        target = retirement.add_calendar_months(born, months)
        assume(target.day == born.day)  # not a clamped month end
        assert retirement.completed_months(born, target - timedelta(days=1)) == months - 1

    def test_examples(self) -> None:
        assert retirement.age_on(date(1965, 5, 10), date(2025, 7, 9)) == (60, 1)
        assert retirement.age_on(date(1965, 5, 10), date(2025, 7, 10)) == (60, 2)
        assert retirement.add_calendar_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


class TestMinimumContributionMonths:
    @pytest.mark.parametrize(("year", "months"), [
        (2010, 180), (2024, 180), (2025, 180), (2029, 180), (2030, 186), (2031, 192),
        (2032, 198), (2035, 216), (2038, 234), (2039, 240), (2040, 240), (2060, 240),
    ])
    def test_by_year(self, year: int, months: int) -> None:
        assert rules.minimum_contribution_months(date(year, 1, 1)) == months
        assert rules.minimum_contribution_months(date(year, 12, 31)) == months

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31)),
           st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31)))
    def test_never_falls_and_stays_within_15_to_20_years(self, a: date, b: date) -> None:
        first, second = sorted((a, b))
        low = rules.minimum_contribution_months(first)
        high = rules.minimum_contribution_months(second)
        assert 180 <= low <= high <= 240
        assert (high - 180) % 6 == 0


class TestMonthsDivisor:
    @pytest.mark.parametrize(("age", "divisor"), sorted(DIVISOR_TABLE.items()))
    @pytest.mark.parametrize("rule", ["floor", "interpolate"])
    def test_whole_ages_exactly_as_the_table(self, age: int, divisor: int, rule: str) -> None:
        assert rules.months_divisor(age, 0, rule) == divisor  # type: ignore[arg-type]

    @given(st.integers(min_value=40, max_value=70), st.integers(min_value=0, max_value=11))
    def test_floor_uses_the_completed_years_row(self, years: int, months: int) -> None:
        assert rules.months_divisor(years, months, "floor") == DIVISOR_TABLE[years]

    @pytest.mark.parametrize(("years", "months", "expected"), [
        (60, 3, 137),   # 139 − 7 × 3/12 = 137.25
        (60, 6, 136),   # 139 − 3.5 = 135.5 → half up 136
        (60, 9, 134),   # 139 − 5.25 = 133.75
        (55, 6, 167),   # 170 − 3
        (63, 6, 113),   # 117 − 4
        (50, 1, 195),   # 195 − 5/12 = 194.58
        (69, 11, 57),   # 65 − 9 × 11/12 = 56.75
    ])
    def test_interpolate_examples(self, years: int, months: int, expected: int) -> None:
        assert rules.months_divisor(years, months, "interpolate") == expected

    @given(st.integers(min_value=40, max_value=69), st.integers(min_value=0, max_value=11))
    def test_interpolated_value_lies_between_the_rows(self, years: int, months: int) -> None:
        value = rules.months_divisor(years, months, "interpolate")
        assert DIVISOR_TABLE[years + 1] <= value <= DIVISOR_TABLE[years]

    @pytest.mark.parametrize("rule", ["floor", "interpolate"])
    def test_never_rises_with_age(self, rule: str) -> None:
        last = None
        for total in range(40 * 12, 70 * 12 + 1):
            value = rules.months_divisor(total // 12, total % 12, rule)  # type: ignore[arg-type]
            if last is not None:
                assert value <= last
            last = value

    @pytest.mark.parametrize(("years", "months", "rule"), [
        (39, 11, "floor"), (71, 0, "floor"), (70, 1, "interpolate"), (60, 12, "floor"),
        (60, -1, "floor"), (60, 0, "nearest"),
    ])
    def test_outside_the_table(self, years: int, months: int, rule: str) -> None:
        with pytest.raises(ValueError):
            rules.months_divisor(years, months, rule)  # type: ignore[arg-type]

    def test_floor_reaches_70_and_11_months(self) -> None:
        assert rules.months_divisor(70, 11, "floor") == 56


class TestMoney:
    @pytest.mark.parametrize(("value", "fen"), [
        (D("0.005"), D("0.01")), (D("0.0049"), D("0.00")), (D("2.675"), D("2.68")),
        (D("1233.3333"), D("1233.33")), (D("10"), D("10.00")),
    ])
    def test_round_half_up(self, value: Decimal, fen: Decimal) -> None:
        result = rules.round_fen(value)
        assert result == fen
        assert result.as_tuple().exponent == -2


class TestBasicPension:
    @pytest.mark.parametrize(("wage", "index", "months", "expected"), [
        (D("8000"), D("1.2"), 372, D("2728.00")),    # (8000 + 9600)/2 × 31 × 1 %
        (D("8000"), D("1.0"), 185, D("1233.33")),    # 8000 × 15.4167 × 1 %
        (D("1"), D("0"), 12, D("0.01")),             # 0.005 rounds half up
        (D("9136.50"), D("0.6"), 180, D("1096.38")),  # 7309.2 × 15 × 1 % = 1096.38
    ])
    def test_examples(self, wage: Decimal, index: Decimal, months: int,
                      expected: Decimal) -> None:
        assert rules.basic_pension(wage, index, months) == expected

    @given(st.decimals(min_value=1000, max_value=30000, places=2),
           st.decimals(min_value=D("0.6"), max_value=D("3.0"), places=4),
           st.integers(min_value=0, max_value=600))
    def test_matches_an_independent_computation(self, wage: Decimal, index: Decimal,
                                                months: int) -> None:
        with localcontext(prec=60):
            exact = (wage + wage * index) / 2 * months / 12 / 100
        assert rules.basic_pension(wage, index, months) == independent_fen(exact)

    @given(st.decimals(min_value=1000, max_value=30000, places=2),
           st.decimals(min_value=D("0.6"), max_value=D("3.0"), places=4),
           st.integers(min_value=0, max_value=600), st.integers(min_value=0, max_value=120))
    def test_monotonic_in_months(self, wage: Decimal, index: Decimal, months: int,
                                 more: int) -> None:
        assert rules.basic_pension(wage, index, months) <= rules.basic_pension(
            wage, index, months + more)

    @given(st.decimals(min_value=1000, max_value=30000, places=2),
           st.decimals(min_value=D("0.6"), max_value=D("3.0"), places=4),
           st.decimals(min_value=D("0.6"), max_value=D("3.0"), places=4),
           st.integers(min_value=0, max_value=600))
    def test_monotonic_in_index(self, wage: Decimal, a: Decimal, b: Decimal,
                                months: int) -> None:
        low, high = sorted((a, b))
        assert rules.basic_pension(wage, low, months) <= rules.basic_pension(wage, high, months)


class TestAccountAndTransitionalPension:
    def test_account_examples(self) -> None:
        assert rules.account_pension(D("120000"), 139) == D("863.31")  # 863.309…
        assert rules.account_pension(D("27800"), 139) == D("200.00")
        assert rules.account_pension(D("0"), 101) == D("0.00")

    @given(st.decimals(min_value=0, max_value=2_000_000, places=2),
           st.decimals(min_value=0, max_value=2_000_000, places=2),
           st.sampled_from(sorted(set(DIVISOR_TABLE.values()))))
    def test_account_monotonic_in_balance(self, a: Decimal, b: Decimal, divisor: int) -> None:
        low, high = sorted((a, b))
        assert rules.account_pension(low, divisor) <= rules.account_pension(high, divisor)
        with localcontext(prec=60):
            exact = high / divisor
        assert rules.account_pension(high, divisor) == independent_fen(exact)

    def test_transitional_formula(self) -> None:
        # 8000 × 1.2 × (120 / 12) × 1.2 % = 1152.00
        assert rules.transitional_pension(D("8000"), D("1.2"), 120, D("0.012")) == D("1152.00")
        # 6500 × 0.8 × (77 / 12) × 1.3 % = 433.766… → 433.77
        assert rules.transitional_pension(D("6500"), D("0.8"), 77, D("0.013")) == D("433.77")

    def test_transitional_not_applied_at_rate_zero(self) -> None:
        assert rules.transitional_pension(D("8000"), D("1.2"), 120, D("0")) == D("0.00")
        assert rules.transitional_pension(D("8000"), D("1.2"), 0, D("0.012")) == D("0.00")


def employee(**changes: object) -> EstimateInput:
    """A man born 1965-05-10 retiring on his statutory date (60y2m, 2025-07-10); the index
    bounds as a contribution rule of 60 %–300 % gives them."""
    data: dict[str, object] = dict(
        scheme="employee", birth_date=date(1965, 5, 10), retirement_date=date(2025, 7, 10),
        contribution_months=372, account_balance=D("120000"), average_index=D("1.2"),
        local_average_wage=D("8000"), category="male", index_floor=D("0.6"),
        index_ceiling=D("3"))
    data.update(changes)
    return EstimateInput(**data)  # type: ignore[arg-type]


def resident(**changes: object) -> EstimateInput:
    data: dict[str, object] = dict(
        scheme="resident", birth_date=date(1964, 3, 1), retirement_date=None,
        contribution_months=180, account_balance=D("27800"), basic_pension=D("200"))
    data.update(changes)
    return EstimateInput(**data)  # type: ignore[arg-type]


class TestEstimateEmployee:
    def test_eligible(self) -> None:
        result = rules.estimate(employee())
        assert result.eligible
        assert result.missing_months == 0
        assert (result.retirement_age_years, result.retirement_age_months) == (60, 2)
        assert result.months_divisor == 139  # floor: row 60
        assert result.basic_pension == D("2728.00")
        assert result.account_pension == D("863.31")
        assert result.transitional_pension == D("0.00")
        assert result.total == D("3591.31")
        assert result.explanation is None

    def test_interpolated_divisor_for_60_years_2_months(self) -> None:
        result = rules.estimate(employee(), divisor_rule="interpolate")
        assert result.months_divisor == 138  # 139 − 7 × 2/12 = 137.83
        assert result.account_pension == D("869.57")  # 120000 / 138 = 869.565…
        assert any("插值" in note.zh for note in result.notes)

    def test_transitional_rate_setting(self) -> None:
        result = rules.estimate(employee(deemed_contribution_months=120),
                                transitional_rate=D("0.012"))
        assert result.transitional_pension == D("1152.00")
        assert result.total == D("2728.00") + D("863.31") + D("1152.00")

    def test_deemed_months_without_rate_are_noted(self) -> None:
        result = rules.estimate(employee(deemed_contribution_months=120))
        assert result.transitional_pension == D("0.00")
        assert any("过渡" in note.zh for note in result.notes)

    @pytest.mark.parametrize(("retirement", "months", "minimum"), [
        (date(2029, 12, 1), 179, 180), (date(2030, 1, 1), 180, 186),
        (date(2032, 3, 1), 190, 198), (date(2039, 6, 1), 230, 240),
    ])
    def test_too_few_months_is_an_answer(self, retirement: date, months: int,
                                         minimum: int) -> None:
        # A woman worker born 1970 reached her statutory age (50) in 2020: any of these
        # dates is on or after it.
        result = rules.estimate(employee(birth_date=date(1970, 1, 1), retirement_date=retirement,
                                         contribution_months=months, category="female_worker"))
        assert not result.eligible
        assert result.missing_months == minimum - months
        assert result.minimum_months == minimum
        assert result.total == result.basic_pension == result.account_pension == D("0.00")
        explanation = result.explanation
        assert explanation is not None
        assert f"尚缺{minimum - months}个月" in explanation.zh
        assert f"{minimum - months} months are missing" in explanation.en
        exactly = rules.estimate(employee(birth_date=date(1970, 1, 1), category="female_worker",
                                          retirement_date=retirement, contribution_months=minimum))
        assert exactly.eligible and exactly.missing_months == 0

    def test_statutory_date_when_retirement_date_left_out(self) -> None:
        result = rules.estimate(employee(birth_date=date(1966, 1, 20), retirement_date=None,
                                         category="male"))
        assert result.retirement_date == date(2026, 5, 20)  # 60y4m
        assert result.retirement_date_source == "statutory"
        assert result.statutory is not None and result.statutory.delay_months == 4

    def test_retirement_before_the_statutory_date_is_refused(self) -> None:
        """Formerly only a note; now refused, naming the statutory date. Man born
        1970-06-01: original 60 in 2030-06, k = 65 months after 2025-01, delay 65 // 4 + 1
        = 17 months → 61y5m on 2031-11-01."""
        with pytest.raises(RuleViolation) as caught:
            rules.estimate(employee(birth_date=date(1970, 6, 1),
                                    retirement_date=date(2030, 6, 1), category="male"))
        [error] = [e for e in caught.value.errors if e.field == "retirement_date"]
        assert "2031-11-01" in error.message and "2031-11-01" in error.message_en

    def test_flexible_early_retirement_is_noted(self) -> None:
        result = rules.estimate(employee(birth_date=date(1970, 6, 1), route="flexible",
                                         retirement_date=date(2030, 6, 1), category="male"))
        assert result.eligible
        assert any("弹性" in note.zh and "2031-11-01" in note.zh for note in result.notes)

    @given(st.integers(min_value=0, max_value=470), st.integers(min_value=0, max_value=60))
    def test_total_monotonic_in_months(self, months: int, more: int) -> None:
        low = rules.estimate(employee(contribution_months=months))
        high = rules.estimate(employee(contribution_months=months + more))
        assert low.total <= high.total
        assert low.missing_months >= high.missing_months

    @given(st.decimals(min_value=0, max_value=3_000_000, places=2),
           st.decimals(min_value=0, max_value=3_000_000, places=2),
           st.integers(min_value=0, max_value=500))
    def test_total_monotonic_in_balance(self, a: Decimal, b: Decimal, months: int) -> None:
        low, high = sorted((a, b))
        assert rules.estimate(employee(account_balance=low, contribution_months=months)).total \
            <= rules.estimate(employee(account_balance=high, contribution_months=months)).total

    @given(st.decimals(min_value=D("0.6"), max_value=D("3.0"), places=4),
           st.decimals(min_value=D("0.6"), max_value=D("3.0"), places=4),
           st.integers(min_value=0, max_value=500),
           st.sampled_from(["floor", "interpolate"]))
    def test_total_monotonic_in_index(self, a: Decimal, b: Decimal, months: int,
                                      rule: str) -> None:
        low, high = sorted((a, b))
        first = rules.estimate(employee(average_index=low, contribution_months=months,
                                        deemed_contribution_months=min(months, 60)),
                               divisor_rule=rule, transitional_rate=D("0.012"))  # type: ignore[arg-type]
        second = rules.estimate(employee(average_index=high, contribution_months=months,
                                         deemed_contribution_months=min(months, 60)),
                                divisor_rule=rule, transitional_rate=D("0.012"))  # type: ignore[arg-type]
        assert first.total <= second.total

    @given(st.integers(min_value=50 * 12, max_value=70 * 12))
    def test_divisor_is_the_table_row_at_retirement_age(self, age_months: int) -> None:
        born = date(1960, 1, 1)  # a woman worker: statutory age 50 (2010)
        retired = retirement.add_calendar_months(born, age_months)
        result = rules.estimate(employee(birth_date=born, contribution_months=180,
                                         retirement_date=retired, category="female_worker"))
        assert result.months_divisor == DIVISOR_TABLE[age_months // 12]


class TestRetirementDate:
    """Retirement before the statutory date (issue 11, point 2), at its edges. Every
    statutory date is computed here by the decision's rule: original age month, k months
    after January 2025, delay ``k // step + 1`` capped."""

    MAN_1970 = date(1970, 1, 15)  # 60 in 2030-01: k = 60, delay 60 // 4 + 1 = 16 → 61y4m
    MAN_1970_STATUTORY = date(2031, 5, 15)
    WOMAN_WORKER_1985 = date(1985, 3, 10)  # 50 in 2035-03: k = 122, delay 62 → cap 60 → 55y0m
    WOMAN_WORKER_1985_STATUTORY = date(2040, 3, 10)

    def errors(self, born: date, category: str, retired: date, route: str = "statutory",
               early_age_months: int | None = None) -> list[str]:
        return [e.field for e in rules.retirement_date_errors(
            born, category, retired, route, early_age_months)]  # type: ignore[arg-type]

    def test_the_statutory_dates_used_here(self) -> None:
        assert retirement.statutory_retirement(self.MAN_1970, "male").retirement_date \
            == self.MAN_1970_STATUTORY
        assert retirement.statutory_retirement(self.WOMAN_WORKER_1985, "female_worker") \
            .retirement_date == self.WOMAN_WORKER_1985_STATUTORY

    def test_a_man_born_1970_is_not_retired_at_55(self) -> None:
        [error] = rules.retirement_date_errors(self.MAN_1970, "male", date(2025, 1, 15),
                                               "statutory")
        assert error.field == "retirement_date"
        assert "2031-05-15" in error.message and "61岁4个月" in error.message
        assert "2031-05-15" in error.message_en

    def test_the_month_of_the_statutory_date_and_one_month_before(self) -> None:
        assert self.errors(self.MAN_1970, "male", date(2031, 5, 1)) == []  # the month itself
        assert self.errors(self.MAN_1970, "male", date(2031, 5, 31)) == []
        assert self.errors(self.MAN_1970, "male", date(2031, 4, 30)) == ["retirement_date"]
        assert self.errors(self.MAN_1970, "male", date(2036, 1, 1)) == []  # later: allowed

    def test_flexible_early_by_36_months_but_not_37(self) -> None:
        """Woman worker born 1985-03: statutory 55y0m (2040-03); 36 months early is
        52y0m (2037-03), above the original 50, so the 3-year limit binds."""
        born = self.WOMAN_WORKER_1985
        assert self.errors(born, "female_worker", date(2037, 3, 1), "flexible") == []
        [error] = rules.retirement_date_errors(born, "female_worker", date(2037, 2, 28),
                                               "flexible")
        assert "最多提前3年" in error.message and "2037-03-10" in error.message
        assert "2040-03-10" in error.message

    def test_flexible_never_below_the_original_age(self) -> None:
        """Man born 1970-01: 36 months before 61y4m would be 58y4m; the original age 60
        binds, so 60y0m (2030-01) is the earliest, 2029-12 refused."""
        assert self.errors(self.MAN_1970, "male", date(2030, 1, 1), "flexible") == []
        [error] = rules.retirement_date_errors(self.MAN_1970, "male", date(2029, 12, 31),
                                               "flexible")
        assert "不得低于原法定退休年龄60周岁" in error.message
        assert "2030-01-15" in error.message and "2031-05-15" in error.message

    def test_flexible_deferral_at_most_36_months(self) -> None:
        born = self.WOMAN_WORKER_1985  # 2040-03 + 36 months = 2043-03
        assert self.errors(born, "female_worker", date(2043, 3, 31), "flexible") == []
        assert self.errors(born, "female_worker", date(2043, 4, 1), "flexible") \
            == ["retirement_date"]

    def test_no_flexible_early_window_before_the_reform(self) -> None:
        """Born 1960: statutory 60 = the original age, no earlier flexible date."""
        assert self.errors(date(1960, 5, 1), "male", date(2020, 4, 1), "flexible") \
            == ["retirement_date"]

    def test_special_work_from_its_minimum_age(self) -> None:
        """Special-type work, men 55 (660 months, the seeded rulebook row)."""
        born = self.MAN_1970
        assert self.errors(born, "male", date(2025, 1, 1), "special_work", 660) == []
        assert self.errors(born, "male", date(2024, 12, 31), "special_work", 660) \
            == ["retirement_date"]
        assert self.errors(born, "male", date(2025, 1, 1), "special_work", None) == ["route"]

    def test_disability_from_its_minimum_age(self) -> None:
        """Complete incapacity, women 45 (540 months): a woman cadre born 1985-03-10 at
        45 on 2030-03-10."""
        born = date(1985, 3, 10)
        assert self.errors(born, "female_cadre", date(2030, 3, 1), "disability", 540) == []
        assert self.errors(born, "female_cadre", date(2030, 2, 28), "disability", 540) \
            == ["retirement_date"]

    @given(births, st.sampled_from(CATEGORIES), st.integers(min_value=-120, max_value=120))
    def test_statutory_route_accepts_exactly_from_the_statutory_month(
            self, born: date, category: str, shift: int) -> None:
        statutory = retirement.statutory_retirement(born, category)  # type: ignore[arg-type]
        retired = retirement.add_calendar_months(statutory.retirement_date, shift)
        refused = self.errors(born, category, retired) != []
        assert refused == (shift < 0)

    @given(births, st.sampled_from(CATEGORIES), st.integers(min_value=-80, max_value=80))
    def test_flexible_window_by_independent_arithmetic(
            self, born: date, category: str, shift: int) -> None:
        statutory = retirement.statutory_retirement(born, category)  # type: ignore[arg-type]
        age = statutory.years * 12 + statutory.months + shift
        retired = retirement.add_calendar_months(born, age)
        allowed = (max(statutory.years * 12 + statutory.months - 36, ORIGINAL[category] * 12)
                   <= age <= statutory.years * 12 + statutory.months + 36)
        assert (self.errors(born, category, retired, "flexible") == []) == allowed


class TestEstimateResident:
    def test_eligible_at_60(self) -> None:
        result = rules.estimate(resident())
        assert result.retirement_date == date(2024, 3, 1)  # the 60th birthday
        assert result.retirement_date_source == "age_60"
        assert result.eligible
        assert result.months_divisor == 139
        assert result.basic_pension == D("200.00")
        assert result.account_pension == D("200.00")  # 27800 / 139
        assert result.total == D("400.00")

    def test_under_60_is_not_eligible(self) -> None:
        result = rules.estimate(resident(retirement_date=date(2023, 3, 1)))
        assert not result.eligible
        assert result.missing_months == 0
        assert result.shortfalls == ("age",)
        assert result.explanation is not None and "60周岁" in result.explanation.zh

    def test_too_few_months(self) -> None:
        result = rules.estimate(resident(contribution_months=150))
        assert not result.eligible
        assert result.missing_months == 30
        assert result.total == D("0.00")

    def test_reform_does_not_raise_the_resident_minimum(self) -> None:
        result = rules.estimate(resident(birth_date=date(1975, 1, 1)))  # 60 in 2035
        assert result.minimum_months == 180 and result.eligible


class TestEstimateResidentOverage:
    """国发〔2014〕8号 七 with the day the scheme began (Chongqing 2011-07-01 here)."""

    START = date(2011, 7, 1)

    def test_over_60_at_the_start_draws_the_basic_pension_without_contributing(self) -> None:
        # Born 1945-05-10: 66 on 2011-07-01 → 0 months needed; 0 paid, no account:
        # 175.00 + 0 / 139 = 175.00. Without the start date she is 180 months short.
        data = resident(birth_date=date(1945, 5, 10), retirement_date=self.START,
                        contribution_months=0, account_balance=D("0"), basic_pension=D("175"))
        result = rules.estimate(replace(data, resident_scheme_start=self.START))
        assert (result.eligible, result.minimum_months, result.total) == (True, 0, D("175.00"))
        before = rules.estimate(data)
        assert (before.eligible, before.missing_months) == (False, 180)

    def test_the_years_left_to_60_are_enough(self) -> None:
        # Born 1958-03-20: 53 on 2011-07-01 → 60 − 53 = 7 years = 84 months. Paid 7
        # years of 100 + 30 subsidy: 910.00 / 139 = 6.546… → 6.55; 175 + 6.55 = 181.55.
        result = rules.estimate(resident(
            birth_date=date(1958, 3, 20), contribution_months=84, account_balance=D("910"),
            basic_pension=D("175"), resident_scheme_start=self.START))
        assert (result.eligible, result.minimum_months) == (True, 84)
        assert (result.account_pension, result.total) == (D("6.55"), D("181.55"))

    def test_one_year_short_of_the_years_left(self) -> None:
        # Same person with 6 years paid: 84 − 72 = 12 months missing.
        result = rules.estimate(resident(
            birth_date=date(1958, 3, 20), contribution_months=72, account_balance=D("780"),
            basic_pension=D("175"), resident_scheme_start=self.START))
        assert (result.eligible, result.missing_months) == (False, 12)
        assert result.explanation is not None
        assert "53周岁" in result.explanation.zh and "逐年缴费至60周岁" in result.explanation.zh

    def test_45_at_the_start_needs_fifteen_years(self) -> None:
        # Born 1966-07-01, exactly 45 on 2011-07-01: 180 months; 179 paid → 1 missing.
        result = rules.estimate(resident(
            birth_date=date(1966, 7, 1), contribution_months=179,
            resident_scheme_start=self.START))
        assert (result.minimum_months, result.missing_months) == (180, 1)

    def test_still_age_60_for_the_overage(self) -> None:
        # 超龄 or not, nothing is paid before 60: born 1952-01-01 is 59 on 2011-07-01 and
        # asks for the pension on 2011-12-31 (59) → refused for age, not months
        # (12 needed, 12 paid).
        result = rules.estimate(resident(
            birth_date=date(1952, 1, 1), retirement_date=date(2011, 12, 31),
            contribution_months=12, resident_scheme_start=self.START))
        assert (result.eligible, result.shortfalls, result.minimum_months) == (
            False, ("age",), 12)


class TestTransferDirection:
    """衔接暂行办法 art. 3: 15 employee years moves the resident record into the
    employee scheme; fewer moves the employee record into the resident scheme."""

    def test_the_15_year_edge(self) -> None:
        assert rules.transfer_direction(179) == "to_resident"
        assert rules.transfer_direction(180) == "to_employee"
        assert rules.transfer_direction(0) == "to_resident"

    @given(st.integers(0, 1200))
    def test_threshold(self, months: int) -> None:
        expected = "to_employee" if months >= 15 * 12 else "to_resident"
        assert rules.transfer_direction(months) == expected


class TestEstimateInputErrors:
    @pytest.mark.parametrize(("data", "field"), [
        (employee(retirement_date=date(1960, 1, 1)), "retirement_date"),
        (employee(retirement_date=date(1965, 5, 10)), "retirement_date"),
        (employee(contribution_months=-1), "contribution_months"),
        (employee(contribution_months=600), "contribution_months"),  # > months since 16
        (employee(average_index=D("0.59")), "average_index"),
        (employee(average_index=D("3.01")), "average_index"),
        (employee(average_index=None), "average_index"),
        (employee(local_average_wage=D("0")), "local_average_wage"),
        (employee(local_average_wage=None), "local_average_wage"),
        (employee(account_balance=D("-1")), "account_balance"),
        (employee(deemed_contribution_months=373), "deemed_contribution_months"),
        (employee(deemed_contribution_months=-5), "deemed_contribution_months"),
        (employee(scheme="enterprise"), "scheme"),
        (employee(category="female"), "category"),
        (employee(retirement_date=None, category=None), "retirement_date"),  # no date, no category
        (employee(category=None), "category"),  # an employee's statutory age needs it
        (employee(route="early"), "route"),
        (employee(retirement_date=date(2025, 6, 30)), "retirement_date"),  # a month early
        (employee(birth_date=date(1970, 1, 15), retirement_date=date(2025, 1, 15),
                  contribution_months=360, route="special_work"), "route"),  # no such route
        (employee(birth_date=date(1990, 1, 1), retirement_date=date(2026, 1, 1),
                  contribution_months=100), "retirement_date"),  # age 36: not in the table
        (resident(basic_pension=None), "basic_pension"),
        (resident(basic_pension=D("-1")), "basic_pension"),
    ])
    def test_rule_violation_names_the_field(self, data: EstimateInput, field: str) -> None:
        with pytest.raises(RuleViolation) as caught:
            rules.estimate(data)
        fields = [error.field for error in caught.value.errors]
        assert field in fields
        for error in caught.value.errors:
            assert error.message and error.message_en
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message)

    def test_every_problem_at_once(self) -> None:
        with pytest.raises(RuleViolation) as caught:
            rules.estimate(employee(contribution_months=-1, average_index=D("5"),
                                    account_balance=D("-3")))
        assert {e.field for e in caught.value.errors} == {
            "contribution_months", "average_index", "account_balance"}

    def test_interpolate_has_no_row_above_70(self) -> None:
        data = employee(birth_date=date(1950, 1, 1), retirement_date=date(2020, 3, 1),
                        contribution_months=300)
        assert rules.estimate(data, divisor_rule="floor").months_divisor == 56
        with pytest.raises(RuleViolation):
            rules.estimate(data, divisor_rule="interpolate")


class TestAnnualUplift:
    @pytest.mark.parametrize(("amount", "percent", "fixed", "expected"), [
        (D("3000.00"), D("0.02"), D("0"), D("3060.00")),
        (D("2345.67"), D("0.025"), D("30"), D("2434.31")),  # 2404.31175 + 30
        (D("0.01"), D("0.5"), D("0"), D("0.02")),           # 0.015 half up
        (D("1000.00"), D("0"), D("50"), D("1050.00")),
    ])
    def test_examples(self, amount: Decimal, percent: Decimal, fixed: Decimal,
                      expected: Decimal) -> None:
        assert rules.annual_uplift(amount, percent, fixed) == expected

    @given(st.decimals(min_value=0, max_value=100_000, places=2),
           st.decimals(min_value=0, max_value=D("0.2"), places=4),
           st.decimals(min_value=0, max_value=500, places=2))
    def test_never_lowers_and_matches_independent_rounding(
            self, amount: Decimal, percent: Decimal, fixed: Decimal) -> None:
        result = rules.annual_uplift(amount, percent, fixed)
        assert result >= amount
        with localcontext(prec=60):
            exact = amount * (1 + percent) + fixed
        assert result == independent_fen(exact)

    @pytest.mark.parametrize(("percent", "fixed"), [(D("-0.01"), D("0")), (D("2"), D("0")),
                                                    (D("0.02"), D("-1"))])
    def test_refuses_cuts_and_percent_written_as_whole_numbers(self, percent: Decimal,
                                                               fixed: Decimal) -> None:
        with pytest.raises(ValueError):
            rules.annual_uplift(D("3000"), percent, fixed)


class TestCertification:
    """With the seeded cycle (12 months, reminder in month 11): the months are data now
    (``certification_cycle``), passed in."""

    @pytest.mark.parametrize(("last", "due", "reminder"), [
        (date(2025, 3, 10), date(2026, 3, 10), date(2026, 2, 10)),
        (date(2024, 2, 29), date(2025, 2, 28), date(2025, 1, 29)),
        (date(2025, 3, 31), date(2026, 3, 31), date(2026, 2, 28)),
        (date(2025, 1, 31), date(2026, 1, 31), date(2025, 12, 31)),
    ])
    def test_due_and_reminder(self, last: date, due: date, reminder: date) -> None:
        assert rules.certification_due_date(last, 12) == due
        assert rules.reminder_date(last, 11) == reminder

    def test_lapses_the_day_after_the_due_date(self) -> None:
        last = date(2025, 3, 10)
        assert not rules.is_lapsed(last, date(2026, 3, 10), 12)
        assert rules.is_lapsed(last, date(2026, 3, 11), 12)
        assert not rules.is_lapsed(last, last, 12)

    def test_another_cycle_length(self) -> None:
        """A region publishing a 6-month cycle: due 2025-09-10, reminded 2025-08-10."""
        last = date(2025, 3, 10)
        assert rules.certification_due_date(last, 6) == date(2025, 9, 10)
        assert rules.reminder_date(last, 5) == date(2025, 8, 10)

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
    def test_reminder_precedes_due_by_about_a_month(self, last: date) -> None:
        reminder, due = rules.reminder_date(last, 11), rules.certification_due_date(last, 12)
        assert last < reminder < due
        assert 28 <= (due - reminder).days <= 31
        assert 365 <= (due - last).days <= 366
        assert not rules.is_lapsed(last, reminder, 12)
        assert rules.is_lapsed(last, due + timedelta(days=1), 12)


class TestMonthsPaidAfterDeath:
    def test_months_after_the_death_month_are_overpaid(self) -> None:
        paid = [202503, 202504, 202505, 202506, 202507]
        assert rules.months_paid_after_death(date(2025, 5, 20), paid) == [202506, 202507]

    def test_across_the_year_end_unsorted_and_repeated(self) -> None:
        paid = [202602, 202511, 202512, 202601, 202601]
        assert rules.months_paid_after_death(date(2025, 12, 1), paid) == [202601, 202602]

    def test_nothing_after_death(self) -> None:
        assert rules.months_paid_after_death(date(2025, 5, 31), [202504, 202505]) == []

    @given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
           st.lists(st.integers(min_value=2019, max_value=2031).flatmap(
               lambda y: st.integers(min_value=1, max_value=12).map(lambda m: y * 100 + m))))
    def test_exactly_the_months_after_death(self, died: date, paid: list[int]) -> None:
        result = rules.months_paid_after_death(died, paid)
        death_month = died.year * 100 + died.month
        assert result == sorted(set(result))
        assert set(result) == {m for m in paid if m > death_month}


class TestReminderThreshold:
    """``reminded_if_certified_by`` inverts ``reminder_date`` so the count runs in SQL."""

    @given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
    def test_is_the_latest_day_whose_reminder_is_due(self, on: date) -> None:
        edge = rules.reminded_if_certified_by(on, 11)
        assert rules.reminder_date(edge, 11) <= on
        assert rules.reminder_date(edge + timedelta(days=1), 11) > on
