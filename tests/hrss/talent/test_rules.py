"""The talent rules at their edges: skill levels 1–5 (1 高级技师), the occupation code of
the 职业分类大典, certificate numbers, record dates, the highest level and title."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.talent import rules

TODAY = date(2026, 12, 4)


class TestSkillLevels:
    def test_labels_run_from_senior_technician_to_junior_worker(self) -> None:
        assert [rules.skill_level_label(n) for n in range(1, 6)] == [
            "高级技师", "技师", "高级工", "中级工", "初级工"]

    @given(st.integers(min_value=-10**6, max_value=10**6))
    def test_only_one_to_five_is_a_level(self, level: int) -> None:
        assert rules.is_skill_level(level) == (1 <= level <= 5)

    def test_a_boolean_is_not_a_level(self) -> None:
        assert not rules.is_skill_level(True)

    @given(st.lists(st.integers(min_value=1, max_value=5), min_size=1))
    def test_the_highest_level_is_the_smallest_number(self, levels: list[int]) -> None:
        best = rules.highest_skill_level(levels)
        assert best in levels and all(best <= lv for lv in levels)

    def test_no_certificate_no_level(self) -> None:
        assert rules.highest_skill_level([]) is None


class TestTitles:
    @given(st.lists(st.sampled_from(list(rules.TITLE_RANK)), min_size=1))
    def test_the_highest_title_outranks_the_others(self, levels: list[str]) -> None:
        best = rules.highest_title(levels)
        assert best is not None
        assert all(rules.TITLE_RANK[best] >= rules.TITLE_RANK[lv] for lv in levels)

    def test_senior_above_deputy_senior(self) -> None:
        assert rules.highest_title(["intermediate", "senior", "deputy_senior"]) == "senior"
        assert rules.highest_title(["junior", "deputy_senior"]) == "deputy_senior"


class TestCodes:
    @given(st.integers(1, 8), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
    def test_every_code_of_the_classification_shape(self, a: int, b: int, c: int,
                                                     d: int) -> None:
        assert rules.is_occupation_code(f"{a}-{b:02d}-{c:02d}-{d:02d}")

    def test_codes_outside_the_major_groups_or_malformed(self) -> None:
        for code in ("0-01-01-01", "9-01-01-01", "6-1-01-01", "6-18-01", "618-01-01",
                     "6-18-01-01 ", ""):
            assert not rules.is_occupation_code(code), code

    @given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=6, max_size=32))
    def test_certificate_numbers_of_six_to_32(self, number: str) -> None:
        assert rules.is_certificate_no(number)

    def test_too_short_too_long_or_strange(self) -> None:
        for number in ("S1234", "S" * 33, "-S12345", "S12 345", "证书123456"):
            assert not rules.is_certificate_no(number), number


class TestDates:
    @given(st.integers(min_value=-400, max_value=400))
    def test_a_record_date_has_happened(self, offset: int) -> None:
        on = TODAY + timedelta(days=offset)
        problems = rules.record_date_problems("issued_on", on, TODAY, date(1980, 1, 1))
        assert bool(problems) == (offset > 0)
        assert all(p.field == "issued_on" for p in problems)

    @given(st.integers(min_value=-400, max_value=400))
    def test_not_before_the_holder_was_born(self, offset: int) -> None:
        birth = date(2000, 6, 1)
        problems = rules.record_date_problems("granted_on", birth + timedelta(days=offset),
                                              TODAY, birth)
        assert bool(problems) == (offset < 0)

    def test_every_bad_field_of_a_certificate_is_named(self) -> None:
        problems = rules.certificate_problems(6, "6-18-01", "S1", TODAY + timedelta(days=1),
                                              TODAY, None)
        assert [p.field for p in problems] == ["level", "occupation_code", "certificate_no",
                                               "issued_on"]

    @given(st.integers(min_value=-30, max_value=30))
    def test_leaving_a_station_not_before_entering(self, offset: int) -> None:
        entered = date(2020, 9, 1)
        problems = rules.postdoc_problems(entered, entered + timedelta(days=offset), TODAY)
        assert [p.field for p in problems] == (["left_on"] if offset < 0 else [])
