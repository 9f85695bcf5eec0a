"""Property tests for the registry's record checks."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.registry import rules
from minsheng.platform import regions

WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # GB 11643-1999: W_i = 2^(18-i) mod 11
COUNTIES = [d.code for d in regions.current_counties("50") + regions.current_counties("5101")]


def _check_char(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


@st.composite
def valid_people(draw: st.DrawFn) -> dict[str, str]:
    # The address code is the registration place at issue, so any birth date goes
    # with any code that was ever in force (GB 11643-1999 §5.2 / hrss-rules §1.1).
    region = draw(st.sampled_from(COUNTIES))
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2026, 6, 30)))
    seq = draw(st.integers(min_value=0, max_value=999))
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return {
        "resident_id": body + _check_char(body),
        "name": draw(st.text(alphabet="张王李赵钱孙周吴郑欧阳娜修·", min_size=1, max_size=64)),
        "phone": draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True) | st.just("")),
        "hukou_region": region,
        "residence_region": draw(st.sampled_from(COUNTIES)),
        "hukou_type": draw(st.sampled_from(["urban", "rural", "城镇", "农村", "URBAN"])),
    }


class TestCheckPerson:
    @given(valid_people())
    def test_valid_records_pass_and_decode_the_id(self, raw: dict[str, str]) -> None:
        record, errors = rules.check_person(raw)
        assert errors == []
        assert record is not None
        rid = raw["resident_id"]
        assert record.birth_date == date(int(rid[6:10]), int(rid[10:12]), int(rid[12:14]))
        assert record.gender == ("M" if int(rid[16]) % 2 else "F")
        assert record.hukou_type in ("urban", "rural")

    @given(valid_people(), st.text(min_size=1, max_size=20))
    def test_phones_outside_the_pattern_are_named(self, raw: dict[str, str], phone: str) -> None:
        if rules.PHONE_PATTERN.match(phone.strip()) or not phone.strip():
            return
        record, errors = rules.check_person({**raw, "phone": phone})
        assert record is None
        assert [e.field for e in errors] == ["phone"]

    @given(valid_people(), st.integers(min_value=0, max_value=16), st.integers(1, 9))
    def test_any_single_digit_change_is_caught(
        self, raw: dict[str, str], position: int, delta: int
    ) -> None:
        rid = raw["resident_id"]
        changed = rid[:position] + str((int(rid[position]) + delta) % 10) + rid[position + 1:]
        record, errors = rules.check_person({**raw, "resident_id": changed})
        assert record is None
        assert "resident_id" in {e.field for e in errors}

    def test_every_missing_field_is_reported_at_once(self) -> None:
        record, errors = rules.check_person({})
        assert record is None
        assert {e.field for e in errors} == {"resident_id", "name", "hukou_region",
                                             "residence_region", "hukou_type"}


class TestCheckEmployer:
    @given(st.sampled_from(list("ABCDEFGHIJKLMNOPQRST")),
           st.sampled_from(["large", "中型", "small", "微型"]))
    def test_sections_and_size_aliases(self, industry: str, size: str) -> None:
        from stdnum.cn import uscc

        body = "91500103MA5U00001"
        record, errors = rules.check_employer({
            "uscc": body + uscc.calc_check_digit(body), "name": "某公司", "region": "500103",
            "industry": industry.lower(), "size_class": size})
        assert errors == []
        assert record is not None and record.industry == industry
        assert record.size_class in ("large", "medium", "small", "micro")
