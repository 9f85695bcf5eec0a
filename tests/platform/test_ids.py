"""Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

Expected values come from ``reference/hrss-rules.md`` §1 (verified examples) or
from the oracles below, which implement the standards' check formulas directly
and independently of python-stdnum.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.platform.errors import RuleViolation
from minsheng.platform.ids import (
    ResidentId,
    mask_resident_id,
    parse_resident_id,
    resident_id_check_char,
    upgrade_15_digit,
    uscc_check_char,
    validate_uscc,
)

TODAY = date(2026, 11, 28)

# --- independent oracles -----------------------------------------------------------


def gb11643_check_char(first17: str) -> str:
    """GB 11643-1999 / ISO 7064 MOD 11-2: W_i = 2^(18-i) mod 11, "10X98765432"[S mod 11]."""
    total = sum(int(c) * (2 ** (18 - i) % 11) for i, c in enumerate(first17, start=1))
    return "10X98765432"[total % 11]


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def gb32100_check_char(first17: str) -> str:
    """GB 32100-2015: W_i = 3^(i-1) mod 31, check value (31 - S mod 31) mod 31."""
    total = sum(USCC_CHARS.index(c) * (3 ** (i - 1) % 31) for i, c in enumerate(first17, 1))
    return USCC_CHARS[(31 - total % 31) % 31]


def test_oracles_reproduce_the_reference_weights() -> None:
    assert [2 ** (18 - i) % 11 for i in range(1, 18)] == [
        7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
    ]  # fmt: skip
    assert [3 ** (i - 1) % 31 for i in range(1, 18)] == [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ]  # fmt: skip


def rule_violation(exc: pytest.ExceptionInfo[RuleViolation], field: str) -> str:
    """The English reason of a single-field violation, after checking the field."""
    assert [e.field for e in exc.value.errors] == [field]
    assert exc.value.errors[0].message  # Chinese message present
    return exc.value.errors[0].message_en.lower()


# --- resident ID: reference examples -----------------------------------------------


def test_reference_example_female_with_x_check() -> None:
    rid = parse_resident_id("11010519491231002X", today=TODAY)
    assert rid == ResidentId(
        number="11010519491231002X",
        birth_date=date(1949, 12, 31),
        gender="F",  # digit 17 = 2, even
        birth_place_code="110105",
    )


def test_reference_example_male() -> None:
    rid = parse_resident_id("360426199101010071", today=TODAY)
    assert rid.birth_date == date(1991, 1, 1)
    assert rid.gender == "M"  # digit 17 = 7, odd
    assert rid.birth_place_code == "360426"


def test_lowercase_x_and_surrounding_space_accepted() -> None:
    assert parse_resident_id(" 11010519491231002x ", today=TODAY).number == "11010519491231002X"


def test_full_width_digits_are_normalised() -> None:
    assert parse_resident_id("１１0105194912310０2X", today=TODAY).number == "11010519491231002X"


def test_oracle_agrees_with_reference_examples() -> None:
    assert gb11643_check_char("11010519491231002") == "X"
    assert gb11643_check_char("36042619910101007") == "1"
    assert gb32100_check_char("91110000600037341") == "L"
    assert gb32100_check_char("91110108551385082") == "Q"


# --- resident ID: precise reasons --------------------------------------------------


def with_check(first17: str) -> str:
    return first17 + gb11643_check_char(first17)


@pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491231002X1"])
def test_wrong_length(value: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id(value, field="id_no", today=TODAY)
    assert "18 characters" in rule_violation(exc, "id_no")


def test_fifteen_digit_number_is_rejected_with_upgrade_hint() -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id("110105491231002", today=TODAY)
    assert "15-digit" in rule_violation(exc, "resident_id")


@pytest.mark.parametrize(
    "value", ["11010519491231002Y", "1101051949123100AX", "110105194912310O2X"]
)
def test_wrong_format(value: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id(value, today=TODAY)
    assert "digits" in rule_violation(exc, "resident_id")


def test_bad_check_digit() -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id("110105194912310021", today=TODAY)
    assert "check character" in rule_violation(exc, "resident_id")


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900000", "20230229"])
def test_impossible_birth_date(birth: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id(with_check("500103" + birth + "123"), today=TODAY)
    assert "does not exist" in rule_violation(exc, "resident_id")


def test_birth_date_in_the_future() -> None:
    tomorrow = TODAY + timedelta(days=1)
    number = with_check("500103" + tomorrow.strftime("%Y%m%d") + "123")
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id(number, today=TODAY)
    assert "future" in rule_violation(exc, "resident_id")
    # Born today is fine.
    assert parse_resident_id(with_check("500103" + TODAY.strftime("%Y%m%d") + "123"), today=TODAY)


@pytest.mark.parametrize("region", ["999999", "000000", "501234"])
def test_unknown_region_code(region: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_resident_id(with_check(region + "19900101123"), today=TODAY)
    assert "address code" in rule_violation(exc, "resident_id")


@pytest.mark.parametrize(
    ("first17", "birth"),
    [
        # 渝北区, abolished 2025, person born before the code existed (1997): the
        # number was issued later, so it is valid (stdnum alone rejects it).
        ("50011219900101123", date(1990, 1, 1)),
        # 重庆市市中区 of Sichuan (1983–1993), pre-1997 Chongqing.
        ("51020219800101123", date(1980, 1, 1)),
        ("51020219850101123", date(1985, 1, 1)),
        # 涪陵地区.
        ("51230019800101123", date(1980, 1, 1)),
        # 两江新区 (from 2025).
        ("50015720250301123", date(2025, 3, 1)),
    ],
)
def test_abolished_and_new_region_codes_stay_valid_in_ids(first17: str, birth: date) -> None:
    rid = parse_resident_id(with_check(first17), today=TODAY)
    assert rid.birth_date == birth
    assert rid.birth_place_code == first17[:6]


# --- resident ID: properties -------------------------------------------------------

ID_REGIONS = ["110105", "360426", "500103", "500112", "500157", "510104", "510202", "512300"]


@st.composite
def first17_digits(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(ID_REGIONS))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return f"{region}{birth:%Y%m%d}{sequence:03d}"


@given(first17_digits())
def test_generated_numbers_validate(first17: str) -> None:
    number = first17 + gb11643_check_char(first17)
    rid = parse_resident_id(number, today=TODAY)
    assert rid.number == number
    assert rid.birth_date == date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    assert rid.gender == ("M" if int(first17[16]) % 2 else "F")


@given(first17_digits())
def test_any_other_check_char_fails(first17: str) -> None:
    good = gb11643_check_char(first17)
    for wrong in "0123456789X":
        if wrong != good:
            with pytest.raises(RuleViolation) as exc:
                parse_resident_id(first17 + wrong, today=TODAY)
            assert "check character" in rule_violation(exc, "resident_id")


@given(first17_digits(), st.integers(min_value=0, max_value=16), st.integers(1, 9))
def test_any_single_digit_substitution_fails(first17: str, position: int, shift: int) -> None:
    number = first17 + gb11643_check_char(first17)
    changed = str((int(number[position]) + shift) % 10)
    typo = number[:position] + changed + number[position + 1 :]
    with pytest.raises(RuleViolation):
        parse_resident_id(typo, today=TODAY)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_matches_the_oracle(first17: str) -> None:
    assert resident_id_check_char(first17) == gb11643_check_char(first17)


def test_upgrade_15_digit_reference_example() -> None:
    # 11010519491231002X without "19" and without the check character.
    assert upgrade_15_digit("110105491231002") == "11010519491231002X"
    assert upgrade_15_digit("360426910101007") == "360426199101010071"


def test_upgrade_15_digit_rejects_bad_input() -> None:
    with pytest.raises(RuleViolation):
        upgrade_15_digit("11010549123100")
    with pytest.raises(RuleViolation) as exc:
        upgrade_15_digit("110105490230002", field="old_id")
    assert "does not exist" in rule_violation(exc, "old_id")


@given(first17_digits().filter(lambda s: s[6:8] == "19"))
def test_upgrade_round_trip(first17: str) -> None:
    fifteen = first17[:6] + first17[8:]
    assert upgrade_15_digit(fifteen) == first17 + gb11643_check_char(first17)


# --- masking -----------------------------------------------------------------------


def test_mask_design_example() -> None:
    assert mask_resident_id("500103199001011234") == "5001**********1234"


@given(st.text(min_size=9).map(str.strip).filter(lambda s: len(s) >= 9))
def test_mask_keeps_first_and_last_four_and_length(number: str) -> None:
    masked = mask_resident_id(number)
    assert len(masked) == len(number)
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}


@given(st.text(max_size=8).map(str.strip))
def test_mask_short_input_reveals_nothing(number: str) -> None:
    assert mask_resident_id(number) == "*" * len(number)


# --- USCC --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91110000600037341L", "91110108551385082Q"])
def test_uscc_reference_examples(code: str) -> None:
    assert validate_uscc(code) == code


def test_uscc_compacts_and_uppercases() -> None:
    assert validate_uscc(" 9111 0000-6000 37341l ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91110000600037341", "18 characters"),
        ("01110000600037341L", "position 1"),
        ("B1110000600037341L", "position 1"),
        ("9I110000600037341L", "position 2"),
        ("911A0000600037341L", "positions 3-8"),
        ("911100006000373O1L", "position 16"),
        ("91110000600037341M", "check character"),
        ("91110000600037341I", "position 18"),
    ],
)
def test_uscc_precise_reasons(code: str, reason: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_uscc(code, field="employer.uscc")
    assert reason in rule_violation(exc, "employer.uscc")


@st.composite
def uscc_first17(draw: st.DrawFn, authorities: str = "123456789ANY") -> str:
    first = draw(st.sampled_from(authorities))
    second = draw(st.sampled_from(USCC_CHARS))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    org = draw(st.text(alphabet=USCC_CHARS, min_size=9, max_size=9))
    return first + second + region + org


@given(uscc_first17(authorities="ANY"))
def test_uscc_with_authority_a_n_y_passes_with_correct_check(first17: str) -> None:
    code = first17 + gb32100_check_char(first17)
    assert validate_uscc(code) == code


@given(uscc_first17())
def test_uscc_any_wrong_check_char_fails(first17: str) -> None:
    good = gb32100_check_char(first17)
    assert validate_uscc(first17 + good) == first17 + good
    for wrong in USCC_CHARS:
        if wrong != good:
            with pytest.raises(RuleViolation) as exc:
                validate_uscc(first17 + wrong)
            assert "check character" in rule_violation(exc, "uscc")


@given(st.text(alphabet=USCC_CHARS, min_size=17, max_size=17))
def test_uscc_check_char_matches_the_oracle(first17: str) -> None:
    assert uscc_check_char(first17) == gb32100_check_char(first17)


def test_check_char_helpers_reject_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("9111000060003734")
    with pytest.raises(ValueError):
        uscc_check_char("9111000060003734I")
    with pytest.raises(ValueError):
        resident_id_check_char("1101051949123100X")
