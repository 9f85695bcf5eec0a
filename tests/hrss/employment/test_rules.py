"""Employment rules: working age bounds, urban new employment, rates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.employment import rules, text
from minsheng.hrss.pension.rules import statutory_retirement


class TestRetiredBirthCutoff:
    @given(st.dates(min_value=date(2020, 1, 1), max_value=date(2045, 12, 31)),
           st.sampled_from(["male", "female_cadre", "female_worker"]))
    def test_cutoff_is_the_boundary(self, on: date, category: str) -> None:
        cutoff = rules.retired_birth_cutoff(on, category)  # type: ignore[arg-type]
        assert statutory_retirement(cutoff, category).retirement_date <= on  # type: ignore[arg-type]
        after = cutoff + timedelta(days=1)
        assert statutory_retirement(after, category).retirement_date > on  # type: ignore[arg-type]

    def test_man_before_the_reform(self) -> None:
        # A man born 1964-06-15 reached 60 on 2024-06-15 (no delay before 2025).
        assert rules.retired_birth_cutoff(date(2024, 6, 15), "male") == date(1964, 6, 15)


class TestNewEmployment:
    def test_registered_unemployed_counts(self) -> None:
        assert rules.counts_as_new_employment(registered_unemployed=True, employed_before=True)

    def test_first_job_counts(self) -> None:
        assert rules.counts_as_new_employment(registered_unemployed=False,
                                              employed_before=False)

    def test_job_change_does_not(self) -> None:
        assert not rules.counts_as_new_employment(registered_unemployed=False,
                                                  employed_before=True)


class TestRates:
    def test_registered_unemployment_rate(self) -> None:
        # 3 ÷ (97 + 3) = 3.00 %
        assert rules.registered_unemployment_rate(3, 97) == Decimal("3.00")

    def test_half_up(self) -> None:
        assert rules.rate(1, 8) == Decimal("12.50")
        assert rules.rate(2, 3) == Decimal("66.67")

    def test_nobody(self) -> None:
        assert rules.rate(0, 0) is None


class TestTerms:
    def test_chinese_job_words(self) -> None:
        found = text.terms("招聘Java软件工程师，熟悉MySQL")
        assert {"java", "软件", "工程师", "mysql"} <= set(found)
        assert "熟悉" not in found

    def test_title_outweighs_body(self) -> None:
        weights = text.weighted_terms("叉车司机", "仓库 叉车 装卸")
        assert weights["叉车"] == 3 and weights["仓库"] == 1
