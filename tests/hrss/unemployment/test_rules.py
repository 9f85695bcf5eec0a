"""Unemployment rules at their edges: the statutory bands (社会保险法 art. 46) at exactly
1, 5 and 10 years and one month either side, Chongqing's ladder within them, carry-over
of unused months up to 24, benefit until retirement (2024 decision art. 7), the
contributions the fund pays, the bounds of the amount, eligibility, and the
job-stabilisation refund (§6.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.unemployment import rules
from minsheng.platform.months import add_months

#: The statutory bands as the migration seeds them (社会保险法 art. 46): 1–<5 years 12
#: months, 5–<10 years 18, 10 years and more 24.
BANDS = (rules.LadderStep(12, 60, 12), rules.LadderStep(60, 120, 18),
         rules.LadderStep(120, None, 24))

#: Chongqing's ladder as seeded (reference §6.2): 1–<2y 3, 2–<3y 6, 3–<4y 9, 4–<5y 12,
#: 5–<7y 15, 7y 16, +1 per further full year up to 24.
CQ = ([rules.LadderStep(12, 24, 3), rules.LadderStep(24, 36, 6), rules.LadderStep(36, 48, 9),
       rules.LadderStep(48, 60, 12), rules.LadderStep(60, 84, 15)]
      + [rules.LadderStep(12 * y, 12 * (y + 1), 16 + y - 7) for y in range(7, 15)]
      + [rules.LadderStep(180, None, 24)])


class TestStatutoryBands:
    @pytest.mark.parametrize(("months", "expected", "band"), [
        (0, 0, "<1y"), (11, 0, "<1y"), (12, 12, "1-5y"), (13, 12, "1-5y"),
        (59, 12, "1-5y"), (60, 18, "5-10y"), (61, 18, "5-10y"),
        (119, 18, "5-10y"), (120, 24, "10y+"), (121, 24, "10y+"), (400, 24, "10y+"),
    ])
    def test_band_edges(self, months: int, expected: int, band: str) -> None:
        result = rules.entitlement(months, bands=BANDS)
        assert result.months == expected
        assert result.band == band
        assert result.eligible is (months >= 12)

    @given(st.integers(min_value=0, max_value=1200))
    def test_never_more_than_24_and_monotonic(self, months: int) -> None:
        here = rules.entitlement(months, bands=BANDS).months
        assert 0 <= here <= 24
        assert rules.entitlement(months + 1, bands=BANDS).months >= here


class TestChongqingLadder:
    @pytest.mark.parametrize(("months", "expected", "band"), [
        (11, 0, "<1y"), (12, 3, "1y"), (13, 3, "1y"), (23, 3, "1y"), (24, 6, "2y"),
        (59, 12, "4y"), (60, 15, "5-7y"), (61, 15, "5-7y"), (83, 15, "5-7y"), (84, 16, "7y"),
        (119, 18, "9y"), (120, 19, "10y"), (121, 19, "10y"), (179, 23, "14y"),
        (180, 24, "15y+"),
    ])
    def test_ladder_edges(self, months: int, expected: int, band: str) -> None:
        result = rules.entitlement(months, bands=BANDS, ladder=CQ)
        assert result.months == expected
        assert result.band == band

    @given(st.integers(min_value=0, max_value=1200))
    def test_ladder_within_the_statutory_cap(self, months: int) -> None:
        assert (rules.entitlement(months, bands=BANDS, ladder=CQ).months
                <= rules.statutory_band(BANDS, months).months)

    def test_a_ladder_step_above_the_band_is_capped(self) -> None:
        generous = [rules.LadderStep(12, None, 20)]
        assert rules.entitlement(30, bands=BANDS, ladder=generous).months == 12


class TestCarryOver:
    def test_unused_months_are_added(self) -> None:
        # 2 years afresh → 12; 5 unused from the previous spell → 17.
        result = rules.entitlement(24, bands=BANDS, unused_months=5)
        assert (result.spell_months, result.carried_months, result.months) == (12, 5, 17)

    def test_total_capped_at_24(self) -> None:
        result = rules.entitlement(130, bands=BANDS, unused_months=10)
        assert result.months == 24
        assert result.carried_months == 0

    def test_cap_takes_part_of_the_carry(self) -> None:
        assert rules.entitlement(60, bands=BANDS, unused_months=10).carried_months == 6

    def test_re_employed_under_a_year_claims_the_unused_months(self) -> None:
        # 申领发放办法 art. 15: 11 months afresh (under a year) give no months of their own;
        # the 8 unused months of the previous claim may be claimed: 0 + 8 = 8. (Before
        # issue 11 the default refused this: the setting was off.)
        result = rules.entitlement(11, bands=BANDS, unused_months=8)
        assert result.eligible
        assert (result.spell_months, result.carried_months, result.months) == (0, 8, 8)

    def test_with_the_setting_off_under_a_year_gives_nothing(self) -> None:
        result = rules.entitlement(11, bands=BANDS, unused_months=8,
                                   carry_over_without_new_year=False)
        assert not result.eligible
        assert result.months == 0

    def test_under_a_year_without_unused_months_gives_nothing(self) -> None:
        assert not rules.entitlement(11, bands=BANDS).eligible

    def test_unused_months(self) -> None:
        assert rules.unused_months(12, 7) == 5
        assert rules.unused_months(12, 14) == 0

    @given(st.integers(0, 600), st.integers(0, 24))
    def test_carry_never_exceeds_24(self, months: int, unused: int) -> None:
        assert rules.entitlement(months, bands=BANDS, unused_months=unused, ladder=CQ).months <= 24


class TestUntilRetirement:
    """2024 decision art. 7: less than a year from retirement when the entitlement runs
    out, the benefit continues up to and including the retirement month."""

    def test_exactly_twelve_months_before_retirement_is_extended(self) -> None:
        # Last paid 2026-01, retirement 2027-01: 12 months on → 2026-02 … 2027-01 (12).
        months = rules.retirement_extension(202601, 202701, 12)
        assert months == [202602, 202603, 202604, 202605, 202606, 202607, 202608, 202609,
                          202610, 202611, 202612, 202701]

    def test_thirteen_months_before_retirement_is_not(self) -> None:
        assert rules.retirement_extension(202512, 202701, 12) == []

    def test_one_month_before_pays_the_retirement_month_only(self) -> None:
        assert rules.retirement_extension(202612, 202701, 12) == [202701]

    def test_entitlement_reaching_retirement_needs_no_extension(self) -> None:
        assert rules.retirement_extension(202701, 202701, 12) == []
        assert rules.retirement_extension(202703, 202701, 12) == []

    def test_no_rule_or_no_retirement_month(self) -> None:
        assert rules.retirement_extension(202601, 202612, None) == []
        assert rules.retirement_extension(202601, None, 12) == []

    @given(st.integers(2025, 2040), st.integers(1, 12), st.integers(-30, 30))
    def test_the_last_month_paid_is_the_retirement_month(self, year: int, month: int,
                                                         gap: int) -> None:
        last = year * 100 + month
        retirement = add_months(last, gap)
        months = rules.retirement_extension(last, retirement, 12)
        assert len(months) == (gap if 0 < gap <= 12 else 0)
        if months:
            assert months[0] == add_months(last, 1) and months[-1] == retirement


class TestFundContribution:
    def test_base_and_amount_rounded_half_up(self) -> None:
        # 7,654.32 × 60 % = 4,592.592 → 4,592.59; × 10 % = 459.259 → 459.26;
        # × 20 % = 918.518 → 918.52.
        medical = rules.fund_contribution(Decimal("7654.32"), 600_000, 100_000)
        pension = rules.fund_contribution(Decimal("7654.32"), 600_000, 200_000)
        assert (medical.base, medical.amount) == (Decimal("4592.59"), Decimal("459.26"))
        assert (pension.base, pension.amount) == (Decimal("4592.59"), Decimal("918.52"))


class TestBenefitBounds:
    @pytest.mark.parametrize(("amount", "codes"), [
        ("799.99", ["below_subsistence"]),  # 社会保险法 art. 47: 不得低于
        ("800.00", []),                      # equal to the allowance is allowed
        ("1999.99", []),
        ("2000.00", ["not_below_minimum_wage"]),  # 条例 art. 18: 低于最低工资
        ("2000.01", ["not_below_minimum_wage"]),
    ])
    def test_edges(self, amount: str, codes: list[str]) -> None:
        problems = rules.benefit_bound_problems(
            Decimal(amount), subsistence=Decimal("800.00"), minimum_wage=Decimal("2000.00"))
        assert [code for code, _, _ in problems] == codes

    def test_a_bound_not_on_record_is_not_checked(self) -> None:
        assert rules.benefit_bound_problems(Decimal("1"), subsistence=None,
                                            minimum_wage=None) == []


def _facts(**overrides: object) -> rules.ClaimFacts:
    data: dict[str, object] = {"contribution_months": 24, "separation_reason": "dismissed",
                               "registered": True, "seeking_work": True,
                               "insured_now": False, "drawing_pension": False,
                               "qualifying_months": 12}
    data.update(overrides)
    return rules.ClaimFacts(**data)  # type: ignore[arg-type]


class TestEligibility:
    def test_eligible(self) -> None:
        assert rules.claim_refusals(_facts()) == []

    @pytest.mark.parametrize(("overrides", "field"), [
        ({"separation_reason": "voluntary"}, "separation_reason"),
        ({"registered": False, "separation_reason": None}, "registration"),
        ({"seeking_work": False}, "seeking_work"),
        ({"insured_now": True}, "insured_now"),
        ({"drawing_pension": True}, "pension"),
        ({"contribution_months": 11}, "contribution_months"),
    ])
    def test_each_refusal(self, overrides: dict[str, object], field: str) -> None:
        assert field in [f for f, _, _ in rules.claim_refusals(_facts(**overrides))]

    def test_mutual_agreement_proposed_by_the_employer_is_involuntary(self) -> None:
        # 失业保险金申领发放办法 art. 4: 用人单位提出、双方协商一致解除 is involuntary.
        assert rules.claim_refusals(_facts(separation_reason="mutual_by_employer")) == []
        assert "mutual_by_employer" in rules.INVOLUNTARY

    def test_under_a_year_with_unused_months_is_not_refused(self) -> None:
        # 申领发放办法 art. 15 (on by default since issue 11).
        assert rules.claim_refusals(_facts(contribution_months=8, unused_months=12)) == []
        assert "contribution_months" in [f for f, _, _ in rules.claim_refusals(
            _facts(contribution_months=8, unused_months=12),
            carry_over_without_new_year=False)]

    def test_exactly_one_year_is_enough(self) -> None:
        assert rules.claim_refusals(_facts(contribution_months=12)) == []

    def test_every_stop_reason_of_article_51(self) -> None:
        assert {"re_employed", "enlisted", "emigrated", "pension_started",
                "refused_offer"} <= set(rules.STOP_REASONS)
        # Refusing an offer stops the benefit, the person stays registered.
        assert "refused_offer" not in rules.END_FOR_STOP
        assert rules.STOP_FOR_END["retired"] == "pension_started"


RULE_2023 = rules.RefundRule(year=2023, contribution_year=2022, large_share_ppm=300_000,
                             sme_share_ppm=600_000, layoff_threshold_ppm=55_000,
                             small_headcount=30, small_threshold_ppm=200_000,
                             large_headcount=300, min_paid_months=12)


def _firm(**overrides: object) -> rules.EmployerYear:
    data: dict[str, object] = {"paid_fen": 1_234_567, "paid_months": 12,
                               "insured_person_months": 100 * 12, "new_claimants": 5,
                               "in_arrears": False}
    data.update(overrides)
    return rules.EmployerYear(**data)  # type: ignore[arg-type]


class TestRefund:
    def test_sme_share_rounded_half_up(self) -> None:
        # 12,345.67 × 60 % = 7,407.402 → 7,407.40
        decision = rules.refund(_firm(), RULE_2023)
        assert decision.eligible and decision.size == "sme"
        assert decision.amount_fen == 740_740

    def test_half_fen_rounds_up(self) -> None:
        # 0.05 yuan × 30 % = 0.015 → 0.02 (large firm, 300 average staff)
        decision = rules.refund(_firm(paid_fen=5, insured_person_months=300 * 12,
                                      new_claimants=0), RULE_2023)
        assert decision.size == "large"
        assert decision.amount_fen == 2

    def test_large_from_300_average_staff(self) -> None:
        assert rules.refund(_firm(insured_person_months=299 * 12 + 11), RULE_2023).size == "sme"
        assert rules.refund(_firm(insured_person_months=300 * 12), RULE_2023).size == "large"

    def test_layoff_rate_at_the_threshold(self) -> None:
        # 11 of 200 = 5.5 % exactly: eligible; 12 of 200 = 6 %: not.
        at = rules.refund(_firm(insured_person_months=200 * 12, new_claimants=11), RULE_2023)
        over = rules.refund(_firm(insured_person_months=200 * 12, new_claimants=12), RULE_2023)
        assert at.eligible and at.layoff_rate == Decimal("0.0550")
        assert not over.eligible and over.reason == "layoffs"

    def test_small_firm_threshold(self) -> None:
        # 30 staff: 6 laid off = 20 % passes; 7 = 23.3 % fails. 31 staff: 2 = 6.45 % fails.
        assert rules.refund(_firm(insured_person_months=360, new_claimants=6),
                            RULE_2023).eligible
        assert not rules.refund(_firm(insured_person_months=360, new_claimants=7),
                                RULE_2023).eligible
        assert not rules.refund(_firm(insured_person_months=372, new_claimants=2),
                                RULE_2023).eligible

    def test_arrears_exclude(self) -> None:
        decision = rules.refund(_firm(in_arrears=True), RULE_2023)
        assert (decision.eligible, decision.reason, decision.amount_fen) == (False, "arrears", 0)

    def test_fewer_than_12_paid_months_exclude(self) -> None:
        assert rules.refund(_firm(paid_months=11), RULE_2023).reason == "paid_months"

    @given(st.integers(0, 10**10), st.integers(1, 10**5))
    def test_refund_is_the_share_to_the_fen(self, fen: int, staff: int) -> None:
        decision = rules.refund(_firm(paid_fen=fen, insured_person_months=staff * 12,
                                      new_claimants=0), RULE_2023)
        exact = Decimal(fen) * Decimal(decision.share_ppm) / Decimal(1_000_000)
        assert abs(Decimal(decision.amount_fen) - exact) <= Decimal("0.5")
