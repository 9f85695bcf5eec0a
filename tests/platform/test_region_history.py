"""Division codes valid on a record's own date, and the roll-up of abolished codes to
today's districts. Facts from ``reference/hrss-rules.md`` §2: 500105 江北区 and 500112
渝北区 were abolished in the 2025 reorganisation (in force through 2025 in the GB/T 2260
year table), 500157 两江新区 took their area and is in force from 2025."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from minsheng.platform import regions
from minsheng.platform.errors import RuleViolation

JIANGBEI, YUBEI, LIANGJIANG, YUZHONG = "500105", "500112", "500157", "500103"
LAST_DAY = date(2025, 12, 31)


def _refusal(code: str, on: date) -> RuleViolation:
    with pytest.raises(RuleViolation) as exc:
        regions.validate_region(code, on)
    return exc.value


class TestValidateOnTheRecordsDate:
    def test_a_2024_record_in_jiangbei_is_accepted(self) -> None:
        assert regions.validate_region(JIANGBEI, date(2024, 6, 1)) == JIANGBEI
        assert regions.validate_region(YUBEI, LAST_DAY) == YUBEI  # the last day in force

    def test_a_2026_record_in_jiangbei_is_refused_naming_the_date_and_the_successor(
            self) -> None:
        error = _refusal(JIANGBEI, date(2026, 3, 1))
        [field] = error.errors
        assert field.field == "region"
        for text in (field.message, field.message_en):
            assert "2025-12-31" in text and "2026-03-01" in text and LIANGJIANG in text
        assert "两江新区" in field.message and "江北区" in field.message
        assert "successor" in field.message_en and "abolished" in field.message_en

    def test_the_first_day_after_is_refused(self) -> None:
        assert _refusal(YUBEI, LAST_DAY + timedelta(days=1)).errors[0].field == "region"

    def test_the_new_area_is_refused_before_it_existed(self) -> None:
        error = _refusal(LIANGJIANG, date(2024, 12, 31))
        assert "2025-01-01" in error.errors[0].message_en
        assert regions.validate_region(LIANGJIANG, date(2025, 1, 1)) == LIANGJIANG

    def test_unchanged_districts_and_the_other_checks(self) -> None:
        assert regions.validate_region(YUZHONG, date(2001, 1, 1)) == YUZHONG
        assert "outside the service area" in _refusal("110105", date(2024, 1, 1)).message_en
        assert regions.validate_region("110105", date(2024, 1, 1), service_area=False) \
            == "110105"
        assert "not a county-level" in _refusal("500100", date(2024, 1, 1)).message_en

    @given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
    def test_jiangbei_is_valid_exactly_from_1997_through_2025(self, on: date) -> None:
        in_force = date(1997, 1, 1) <= on <= LAST_DAY
        try:
            regions.validate_region(JIANGBEI, on)
            accepted = True
        except RuleViolation:
            accepted = False
        assert accepted is in_force


class TestDatedTable:
    def test_rows_of_the_reorganisation(self) -> None:
        jiangbei = regions.dated_division(JIANGBEI)
        assert jiangbei is not None
        assert (jiangbei.name, jiangbei.valid_to_date, jiangbei.successor_code) == (
            "江北区", LAST_DAY, LIANGJIANG)
        liangjiang = regions.dated_division(LIANGJIANG)
        assert liangjiang is not None and liangjiang.valid_from_date == date(2025, 1, 1)
        assert liangjiang.valid_to_date is None
        # A code the changes file does not name: the loc.dat years as days.
        yuzhong = regions.dated_division(YUZHONG)
        assert yuzhong is not None and yuzhong.valid_from_date == date(1997, 1, 1)
        assert regions.dated_division("509999") is None

    def test_successor_depends_on_the_day(self) -> None:
        assert regions.successor_on(JIANGBEI, date(2025, 6, 1)) == JIANGBEI
        assert regions.successor_on(JIANGBEI, date(2026, 1, 1)) == LIANGJIANG
        assert regions.successor_on(YUZHONG, date(2026, 1, 1)) == YUZHONG
        assert regions.rollup_map(date(2026, 1, 1)) == {JIANGBEI: LIANGJIANG,
                                                         YUBEI: LIANGJIANG}
        assert regions.rollup_map(date(2025, 6, 1)) == {}


class TestRollUpInSql:
    def test_group_by_and_prefix_count_abolished_codes_under_the_successor(
            self, session: Session) -> None:
        # Five records: two in 江北 (abolished), one in 渝北 (abolished), one in 两江,
        # one in 渝中. Today 两江新区 has 2 + 1 + 1 = 4 of them, 渝中 1.
        codes = [JIANGBEI, JIANGBEI, YUBEI, LIANGJIANG, YUZHONG]
        records = union_all(*(select(literal(c).label("region")) for c in codes)).subquery()
        district = regions.rollup_sql(records.c.region, date(2026, 11, 1))
        counted = {str(d): int(n) for d, n in session.execute(
            select(district, func.count()).group_by(district))}
        assert counted == {LIANGJIANG: 4, YUZHONG: 1}
        inside = session.scalar(select(func.count()).select_from(records).where(
            regions.within_sql(records.c.region, LIANGJIANG, date(2026, 11, 1))))
        assert inside == 4
        city = session.scalar(select(func.count()).select_from(records).where(
            regions.within_sql(records.c.region, "50", date(2026, 11, 1))))
        assert city == 5
