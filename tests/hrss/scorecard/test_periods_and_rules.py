"""Periods of the scorecard and how a value reads against its target (pure rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.scorecard import demo, rules
from minsheng.platform.errors import RuleViolation
from minsheng.platform.indicators import Figure, Indicator, Kind, parse_period


class TestPeriods:
    @pytest.mark.parametrize(("text", "start", "end"), [
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("2020Q1", date(2020, 1, 1), date(2020, 3, 31)),
        ("2024q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2020-Q4", date(2020, 10, 1), date(2020, 12, 31)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),  # a leap year
        ("202102", date(2021, 2, 1), date(2021, 2, 28)),
        ("2016-2020", date(2016, 1, 1), date(2020, 12, 31)),
        ("2016–2020", date(2016, 1, 1), date(2020, 12, 31)),
    ])
    def test_accepted(self, text: str, start: date, end: date) -> None:
        period = parse_period(text)
        assert (period.start, period.end) == (start, end)

    @pytest.mark.parametrize("text", ["", "2020-13", "2020-00", "2020Q5", "2021-2016",
                                      "1989", "2101", "abc", "2020-1-1", "20", "2020Q"])
    def test_refused_with_the_field_named(self, text: str) -> None:
        with pytest.raises(RuleViolation) as refused:
            parse_period(text)
        assert refused.value.errors[0].field == "period"
        assert "统计期间" in refused.value.errors[0].message

    def test_labels_and_years(self) -> None:
        assert parse_period("2016-2020").label == "2016—2020年"
        assert parse_period("2020Q3").label == "2020年第3季度"
        assert parse_period("2020-03").label == "2020年3月"
        assert [p.text for p in parse_period("2016-2020").years()] == [
            "2016", "2017", "2018", "2019", "2020"]

    @given(st.integers(1990, 2100), st.integers(1, 12))
    def test_a_month_is_whole_and_inside_its_year(self, year: int, month: int) -> None:
        period = parse_period(f"{year}-{month:02d}")
        assert period.start.day == 1 and period.start.month == period.end.month == month
        assert (period.end.replace(day=1) == period.start
                and (period.end.toordinal() - period.start.toordinal()) in (27, 28, 29, 30))

    @given(st.integers(1990, 2100), st.integers(1, 4))
    def test_quarters_tile_the_year(self, year: int, quarter: int) -> None:
        period = parse_period(f"{year}Q{quarter}")
        assert period.start == date(year, 3 * quarter - 2, 1)
        following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        assert period.end.toordinal() + 1 == following.toordinal()


def _rate(numerator: int, denominator: int) -> Decimal | None:
    item = Indicator(id="x", name="x", name_en="x", unit="%", kind=Kind.RATE, domain="d",
                     permission="p", numerator="n", period_rule="r",
                     compute=lambda s, c: {})
    return item.value(Figure(Decimal(numerator), Decimal(denominator)))


class TestValues:
    def test_a_rate_in_per_cent_to_two_places(self) -> None:
        assert _rate(2, 3) == Decimal("66.67")  # 200 ÷ 3 = 66.666…
        assert _rate(19, 20) == Decimal("95.00")
        assert _rate(0, 0) is None  # a rate of nobody has no value

    def test_a_missing_count_is_zero(self) -> None:
        item = Indicator(id="c", name="c", name_en="c", unit="人", kind=Kind.COUNT, domain="d",
                         permission="p", numerator="n", period_rule="r",
                         compute=lambda s, c: {})
        assert item.value(None) == 0
        assert item.value(Figure(Decimal(7))) == 7


class TestStanding:
    def test_the_bound_itself_meets_the_target(self) -> None:
        assert rules.standing(Decimal("95"), ">=", Decimal("95")) is rules.Standing.MET
        assert rules.standing(Decimal("94.99"), ">=", Decimal("95")) is rules.Standing.NOT_MET
        assert rules.standing(Decimal("4.5"), "<=", Decimal("4.5")) is rules.Standing.MET
        assert rules.standing(Decimal("4.51"), "<=", Decimal("4.5")) is rules.Standing.NOT_MET
        assert rules.standing(None, ">=", Decimal("95")) is rules.Standing.NO_VALUE

    def test_progress(self) -> None:
        assert rules.progress(Decimal("76"), ">=", Decimal("95")) == Decimal("80.0")
        assert rules.progress(Decimal("99"), ">=", Decimal("95")) == Decimal("100")
        # A ceiling of 4.5 % with 6 % reached: 4.5 ÷ 6 = 75 %.
        assert rules.progress(Decimal("6"), "<=", Decimal("4.5")) == Decimal("75.0")
        assert rules.progress(Decimal("3"), "<=", Decimal("4.5")) == Decimal("100")

    @given(st.decimals(0, 1000, places=2), st.decimals(0, 1000, places=2),
           st.sampled_from([">=", "<="]))
    def test_progress_is_full_exactly_when_met(self, value: Decimal, target: Decimal,
                                               direction: str) -> None:
        met = rules.standing(value, direction, target) is rules.Standing.MET
        share = rules.progress(value, direction, target)
        assert share is not None and Decimal(0) <= share <= 100
        if met:
            assert share == 100

    def test_change(self) -> None:
        assert rules.change([None, Decimal(3), None, Decimal(5)]) == Decimal(2)
        assert rules.change([Decimal(3)]) is None


class TestDemoTargets:
    """The demo's plan targets follow the years the article's figure covers."""

    def test_an_indicator_without_an_article_figure_still_has_targets(self) -> None:
        item = replace(self._flow(1, (2016, 2020)), article_value=None)
        spans = {(region, first, last) for region, first, last, _ in demo.plan(item, 0.01, 2026)}
        assert spans == {(r, a, b) for r in (demo.CITY, demo.FULING)
                         for a, b in ((2016, 2020), (2026, 2026))}

    @staticmethod
    def _flow(value: int, years: tuple[int, int]) -> Indicator:
        return Indicator(id="demo_flow", name="示例", name_en="Example", unit="人",
                         kind=Kind.COUNT, domain="就业服务", permission="employment:read",
                         numerator="示例", period_rule="示例", compute=lambda s, c: {},
                         flow=True, article_value=Decimal(value), article_years=years)

    def test_a_five_year_flow_gives_a_fifth_a_year(self) -> None:
        targets = demo.plan(self._flow(3_620_000, (2016, 2020)), 0.01, 2026)
        assert (demo.CITY, 2016, 2020, Decimal(3_620_000)) in targets
        # 3,620,000 ÷ 5 years × 0.01 of the city = 7,240 this year.
        assert (demo.CITY, 2026, 2026, Decimal(7_240)) in targets

    def test_a_one_year_figure_is_that_year_s_target(self) -> None:
        targets = demo.plan(self._flow(1_380_000, (2020, 2020)), 0.01, 2026)
        assert (demo.CITY, 2020, 2020, Decimal(1_380_000)) in targets
        # Five years at 2020's pace for the plan period: 1,380,000 × 5.
        assert (demo.CITY, 2016, 2020, Decimal(6_900_000)) in targets
        # A whole year's figure × 0.01 = 13,800 this year.
        assert (demo.CITY, 2026, 2026, Decimal(13_800)) in targets
