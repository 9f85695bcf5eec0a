"""Contribution arithmetic and enrolment overlap, against independent computations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.insurance import rules
from minsheng.platform import money

fen = st.integers(min_value=0, max_value=20_000_000)  # up to 200,000 yuan
ppm = st.integers(min_value=0, max_value=300_000)
month = st.builds(lambda y, m: y * 100 + m, st.integers(2000, 2030), st.integers(1, 12))


def _decimal_share(amount_fen: int, rate_ppm: int) -> int:
    exact = Decimal(amount_fen) * Decimal(rate_ppm) / Decimal(1_000_000)
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class TestShare:
    @given(fen, ppm)
    def test_integer_rounding_equals_decimal_half_up(self, amount: int, rate: int) -> None:
        assert money.share_fen(amount, rate) == _decimal_share(amount, rate)


class TestContributionBase:
    @given(st.one_of(st.none(), fen), st.integers(100_000, 5_000_000))
    def test_base_is_clamped_to_60_and_300_percent(self, declared: int | None,
                                                   average: int) -> None:
        base = rules.contribution_base(declared, average, 600_000, 3_000_000)
        floor = _decimal_share(average, 600_000)
        ceiling = _decimal_share(average, 3_000_000)
        assert floor <= base.fen <= ceiling
        if declared is None or declared < floor:
            assert (base.fen, base.clamp) == (floor, "floor")
        elif declared > ceiling:
            assert (base.fen, base.clamp) == (ceiling, "ceiling")
        else:
            assert (base.fen, base.clamp) == (declared, None)

    def test_worked_example(self) -> None:
        # Average 8,000 yuan: floor 4,800, ceiling 24,000; a 30,000 wage pays on 24,000.
        base = rules.contribution_base(3_000_000, 800_000, 600_000, 3_000_000)
        assert (base.fen, base.clamp) == (2_400_000, "ceiling")
        pension = rules.assess(3_000_000, 800_000, 600_000, 3_000_000,
                               rules.Rates(160_000, 80_000))
        assert (pension.employer_fen, pension.personal_fen) == (384_000, 192_000)


class TestSchemeRates:
    def test_flexible_worker_pays_the_flexible_rate_not_the_sum(self) -> None:
        """国发〔2005〕38号 §6: 20 % paid alone, not the 16 % + 8 % of an employee."""
        kw = {"pension": rules.Rates(160_000, 80_000), "unemployment": rules.Rates(5000, 5000),
              "work_injury_ppm": 2000, "flexible_pension_ppm": 200_000}
        assert rules.scheme_rates("employee_pension", has_employer=False, **kw) == \
            rules.Rates(0, 200_000)
        assert rules.scheme_rates("employee_pension", has_employer=True, **kw) == \
            rules.Rates(160_000, 80_000)
        assert rules.scheme_rates("work_injury", has_employer=True, **kw) == rules.Rates(2000, 0)


class TestOverlap:
    @given(month, st.integers(0, 40), month, st.integers(0, 40))
    def test_employee_and_resident_pension_never_share_a_month(
        self, a: int, a_len: int, b: int, b_len: int
    ) -> None:
        from minsheng.platform.months import add_months

        first = rules.Span("employee_pension", a, add_months(a, a_len))
        second = rules.Span("resident_pension", b, add_months(b, b_len))
        months_a = {add_months(a, i) for i in range(a_len + 1)}
        months_b = {add_months(b, i) for i in range(b_len + 1)}
        clash = rules.conflicting_enrolment([first], second)
        assert (clash is not None) == bool(months_a & months_b)

    def test_different_schemes_may_overlap(self) -> None:
        existing = [rules.Span("employee_pension", 202001, None)]
        assert rules.conflicting_enrolment(existing, rules.Span("unemployment", 202001, None)) \
            is None

    def test_open_ended_span_clashes_with_anything_later(self) -> None:
        existing = [rules.Span("resident_pension", 201501, None)]
        assert rules.conflicting_enrolment(existing,
                                           rules.Span("employee_pension", 203012, 203012))


class TestCoverageRate:
    @given(st.integers(0, 10**7), st.integers(1, 10**7))
    def test_rate_is_a_four_decimal_fraction(self, enrolled: int, should: int) -> None:
        if enrolled > should:
            enrolled, should = should, enrolled
        rate = rules.coverage_rate(enrolled, max(should, 1))
        assert rate is not None and Decimal(0) <= rate <= Decimal(1)

    def test_no_population_has_no_rate(self) -> None:
        assert rules.coverage_rate(0, 0) is None


class TestContributionIndex:
    """Issue 11 point 3: the average index is the months-weighted mean of yearly indices
    (国发〔2005〕38号), each within the year's floor and ceiling."""

    def test_the_issue_example(self) -> None:
        """359 months at 0.6 and one at 3.0 (average wage 8,000): (359 × 0.6 + 3.0) / 360
        = 218.4 / 360 = 0.60667 → 0.6067, not (0.6 + 3.0) / 2 = 1.8."""
        months = [rules.month_index(480_000, 800_000, 600_000, 3_000_000)] * 359
        months.append(rules.month_index(2_400_000, 800_000, 600_000, 3_000_000))
        assert rules.average_index(months) == Decimal("0.6067")

    def test_clamped_by_the_rule_of_the_month(self) -> None:
        """A base above 300 % counts 3.0; below 60 % counts 0.6; with a year whose rule
        says 40 %–350 %, 0.45 and 3.2 stand as they are."""
        assert rules.month_index(4_000_000, 800_000, 600_000, 3_000_000) == 3
        assert rules.month_index(100_000, 800_000, 600_000, 3_000_000) == Decimal("0.6")
        assert rules.month_index(360_000, 800_000, 400_000, 3_500_000) == Decimal("0.45")
        assert rules.month_index(2_560_000, 800_000, 400_000, 3_500_000) == Decimal("3.2")

    def test_no_month(self) -> None:
        assert rules.average_index([]) == Decimal("0")

    @given(st.lists(st.tuples(st.integers(1, 40_000_000), st.integers(100_000, 2_000_000)),
                    min_size=1, max_size=60))
    def test_within_the_bounds_and_equal_to_a_decimal_mean(
            self, months: list[tuple[int, int]]) -> None:
        indices = [rules.month_index(b, a, 600_000, 3_000_000) for b, a in months]
        result = rules.average_index(indices)
        assert Decimal("0.6") <= result <= Decimal("3")
        clamped = [min(max(Decimal(b) / Decimal(a), Decimal("0.6")), Decimal("3"))
                   for b, a in months]
        exact = sum(clamped, Decimal(0)) / len(clamped)
        assert abs(result - exact) <= Decimal("0.00005") + Decimal("1e-20")


class TestAccountGrowth:
    """Issue 11 point 4: yearly compounding at each year's credited rate; a year's credits
    earn from the next year. Figures by hand: 640 a month (8 % of 8,000) in 2022–2024
    with the published rates 6.12 %, 3.97 %, 2.62 %."""

    CREDITS = [(y * 100 + m, 64_000) for y in (2022, 2023, 2024) for m in range(1, 13)]
    RATES = {2022: 61_200, 2023: 39_700, 2024: 26_200}

    def test_three_years_by_hand(self) -> None:
        """2022: 7,680 credited, no interest yet (its own credits) → 7,680.00.
        2023: 7,680 × 3.97 % = 304.896 → 304.90; 7,680 + 304.90 + 7,680 = 15,664.90.
        2024: 15,664.90 × 2.62 % = 410.42038 → 410.42; + 7,680 → 23,755.32."""
        years = rules.account_growth(self.CREDITS, self.RATES, 202412)
        assert [(y.year, y.interest_fen, y.closing_fen) for y in years] == [
            (2022, 0, 768_000), (2023, 30_490, 1_566_490), (2024, 41_042, 2_375_532)]

    def test_the_retirement_year_earns_pro_rata(self) -> None:
        """Until 2024-06: the 2024 opening balance earns 6/12 of 2.62 %: 15,664.90 × 0.0262
        × 0.5 = 205.21019 → 205.21; with 6 × 640 credited: 19,710.11."""
        years = rules.account_growth(self.CREDITS, self.RATES, 202406)
        assert years[-1].months == 6 and years[-1].interest_fen == 20_521
        assert years[-1].closing_fen == 1_971_011

    def test_a_year_without_a_rate_earns_nothing_and_says_so(self) -> None:
        years = rules.account_growth(self.CREDITS, {2022: 61_200, 2024: 26_200}, 202412)
        assert years[1].rate_ppm is None and years[1].interest_fen == 0
        # 2024: (7,680 + 7,680) × 2.62 % = 402.432 → 402.43
        assert years[2].interest_fen == 40_243

    def test_monthly_in_year_option(self) -> None:
        """Setting "monthly": each 2022 credit of month m earns 6.12 % × (12 − m) / 12 in
        2022: 640 × 0.0612 × 66 / 12 = 215.424 → 215.42."""
        years = rules.account_growth(self.CREDITS[:12], self.RATES, 202212, "monthly")
        assert years[0].interest_fen == 21_542

    def test_credits_after_until_are_left_out(self) -> None:
        assert rules.account_growth(self.CREDITS, self.RATES, 202112) == []

    @given(st.lists(st.tuples(month, st.integers(0, 500_000)), max_size=40),
           st.dictionaries(st.integers(2000, 2030), st.integers(0, 100_000)))
    def test_never_less_than_the_credits(self, credits: list[tuple[int, int]],
                                         rates: dict[int, int]) -> None:
        years = rules.account_growth(credits, rates, 203012)
        total = sum(fen for _, fen in credits)
        assert (years[-1].closing_fen if years else 0) >= total
        assert sum(y.credited_fen for y in years) == total
class TestResidentMonths:
    """衔接暂行办法 art. 8: months in both schemes count once; the resident payment of
    those months leaves the account and its personal part is refunded."""

    def test_a_year_half_covered_by_employee_pension(self) -> None:
        # 2015: 500 personal + 60 subsidy; employee pension from 2015-07 → 6 of 12 months
        # overlap. Account keeps 560 × 6/12 = 280.00; refund 500 × 6/12 = 250.00.
        employee = rules.covered_periods([rules.Span("employee_pension", 201507, 201612)],
                                         202612)
        counted = rules.resident_months([rules.ResidentYear(2015, 50_000, 0, 6_000)], employee)
        assert (counted.resident_months, counted.overlap_months, counted.counted_months) == (
            12, 6, 6)
        assert (counted.account_fen, counted.refund_fen) == (28_000, 25_000)

    def test_no_overlap_keeps_everything(self) -> None:
        # 2011–2025, 15 years of 100 + 30 subsidy, no employee months: 180 months,
        # account 15 × 130 = 1,950.00, nothing refunded.
        years = [rules.ResidentYear(y, 10_000, 0, 3_000) for y in range(2011, 2026)]
        counted = rules.resident_months(years, set())
        assert (counted.counted_months, counted.account_fen, counted.refund_fen) == (
            180, 195_000, 0)

    def test_twelfths_round_half_up(self) -> None:
        # 100.01 personal, 1 month overlap: 10001 / 12 = 833.4 fen → 833 refunded; the
        # account keeps 10001 − 833 = 9168 fen.
        counted = rules.resident_months([rules.ResidentYear(2020, 10_001)], {202003})
        assert (counted.refund_fen, counted.account_fen) == (833, 9_168)

    def test_covered_periods_stop_at_until_and_cross_years(self) -> None:
        periods = rules.covered_periods([rules.Span("employee_pension", 202411, None)], 202602)
        assert periods == {202411, 202412, 202501, 202502, 202503, 202504, 202505, 202506,
                           202507, 202508, 202509, 202510, 202511, 202512, 202601, 202602}

    @given(st.lists(st.integers(2009, 2030), unique=True, max_size=8),
           st.sets(month, max_size=60), st.integers(0, 200_000), st.integers(0, 10_000))
    def test_counted_plus_overlap_is_twelve_a_year(
        self, years: list[int], employee: set[int], personal: int, subsidy: int
    ) -> None:
        paid = [rules.ResidentYear(y, personal, 0, subsidy) for y in years]
        counted = rules.resident_months(paid, employee)
        shared = sum(1 for e in employee if e // 100 in years)
        assert counted.overlap_months == shared
        assert counted.counted_months + shared == 12 * len(years)
        assert 0 <= counted.account_fen <= len(years) * (personal + subsidy)
        assert counted.refund_fen <= len(years) * personal
        if not shared:
            assert counted.account_fen == len(years) * (personal + subsidy)
