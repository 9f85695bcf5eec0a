"""The resident pension's contribution requirement (国发〔2014〕8号 七): 超龄 people pay
nothing, those with less than 15 years to 60 when the scheme began pay the years left,
everyone else 15 years. Expected figures are worked out by hand in each test."""

from __future__ import annotations

from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from minsheng.hrss.kernel.resident_pension import (
    resident_pension_age_date,
    resident_required_months,
    resident_requirement,
)

CQ_START = date(2011, 7, 1)  # the migration's (unconfirmed) Chongqing start


def independent_age(birth: date, on: date) -> int:
    """Completed years of age on ``on`` (no 29 February births here)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class TestEdges:
    def test_a_woman_born_1945_pays_nothing(self) -> None:
        # 2011-07-01 − 1945-05-10: 66 completed years, 60 or older → 超龄, 0 months.
        need = resident_requirement(date(1945, 5, 10), CQ_START)
        assert (need.kind, need.months, need.age_at_start) == ("overage", 0, 66)

    def test_exactly_60_on_the_day_the_scheme_began(self) -> None:
        # Born 1951-07-01: 60 on 2011-07-01 itself → already 60 → nothing to pay.
        need = resident_requirement(date(1951, 7, 1), CQ_START)
        assert (need.kind, need.months) == ("overage", 0)

    def test_one_day_short_of_60_pays_one_year(self) -> None:
        # Born 1951-07-02: 59 on 2011-07-01 → 60 − 59 = 1 year = 12 months.
        need = resident_requirement(date(1951, 7, 2), CQ_START)
        assert (need.kind, need.months, need.age_at_start) == ("sliding", 12, 59)

    def test_51_at_the_start_pays_nine_years(self) -> None:
        # Born 1960-03-15: 51 on 2011-07-01 → 60 − 51 = 9 years = 108 months.
        assert resident_required_months(date(1960, 3, 15), CQ_START) == 108

    def test_46_at_the_start_pays_fourteen_years(self) -> None:
        # Born 1965-07-01: exactly 46 → 14 years left → 168 months.
        need = resident_requirement(date(1965, 7, 1), CQ_START)
        assert (need.kind, need.months) == ("sliding", 168)

    def test_45_at_the_start_needs_fifteen_years(self) -> None:
        # Born 1966-07-01: exactly 45 → 15 years left → neither "不足15年" nor "超过15年"
        # gives less than 15 years: 180.
        need = resident_requirement(date(1966, 7, 1), CQ_START)
        assert (need.kind, need.months) == ("full", 180)

    def test_45_and_364_days_still_fifteen_years(self) -> None:
        # Born 1965-07-02: 45 completed years on 2011-07-01 → 180.
        assert resident_required_months(date(1965, 7, 2), CQ_START) == 180

    def test_44_at_the_start_needs_fifteen_years(self) -> None:
        assert resident_required_months(date(1967, 1, 1), CQ_START) == 180

    def test_born_after_the_start_needs_fifteen_years(self) -> None:
        assert resident_required_months(date(2012, 1, 1), CQ_START) == 180

    def test_without_a_start_date_everyone_needs_fifteen_years(self) -> None:
        assert resident_required_months(date(1945, 5, 10), None) == 180

    def test_born_29_february(self) -> None:
        # 1952-02-29 + 60 years = 2012-02-29 (60 is a multiple of 4: the day exists); a
        # scheme beginning that day finds her 60 → 0; a day earlier she is 59 → 1 year.
        assert resident_pension_age_date(date(1952, 2, 29)) == date(2012, 2, 29)
        assert resident_required_months(date(1952, 2, 29), date(2012, 2, 29)) == 0
        assert resident_required_months(date(1952, 2, 29), date(2012, 2, 28)) == 12


not_29_feb = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)).filter(
    lambda d: (d.month, d.day) != (2, 29))
starts = st.dates(min_value=date(2009, 1, 1), max_value=date(2014, 12, 31))


class TestProperties:
    @given(not_29_feb, starts)
    def test_the_years_left_to_60_capped_at_15(self, birth: date, start: date) -> None:
        age = independent_age(birth, start)
        expected = 12 * min(max(60 - age, 0), 15)
        assert resident_required_months(birth, start) == expected

    @given(not_29_feb, not_29_feb, starts)
    def test_older_people_never_need_more(self, a: date, b: date, start: date) -> None:
        older, younger = sorted((a, b))
        assert resident_required_months(older, start) <= resident_required_months(younger, start)

    @given(not_29_feb, starts)
    def test_kind_matches_months(self, birth: date, start: date) -> None:
        need = resident_requirement(birth, start)
        assume(birth <= start)
        assert need.months % 12 == 0 and 0 <= need.months <= 180
        assert (need.kind == "overage") == (need.months == 0)
        assert (need.kind == "full") == (need.months == 180)
