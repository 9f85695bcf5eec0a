"""Identifiers: citizen identity numbers (GB 11643-1999) and unified social credit
codes (GB 32100-2015), checked with python-stdnum, and masking for display.

The social security number *is* the citizen identity number (社会保险法 art. 58).
See ``reference/hrss-rules.md`` §1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc
from stdnum.util import isdigits

from minsheng.platform import regions
from minsheng.platform.errors import invalid_field

#: GB 32100-2015 code alphabet: digits and capitals without I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB 32100-2015 registration-authority codes (position 1): 1 机构编制, 5 民政,
#: 9 市场监管/工商, A 中央军委改革和编制办公室, N 农业农村, Y 其他 …
USCC_AUTHORITIES = "123456789ANY"


_PLAIN_ID = re.compile(r"[0-9]{17}[0-9Xx]")


@dataclass(frozen=True)
class ResidentId:
    """A valid 18-character citizen identity number and what it encodes."""

    number: str
    birth_date: date
    gender: Literal["M", "F"]
    birth_place_code: str


def parse_resident_id(
    value: str, field: str = "resident_id", *, today: date | None = None
) -> ResidentId:
    """Check a citizen identity number (公民身份号码) and decode it.

    GB 11643-1999: positions 1–6 are the county code (GB/T 2260) of the household
    registration at issue, 7–14 the birth date YYYYMMDD, 15–17 a sequence number
    whose last digit is odd for men and even for women, and 18 the ISO 7064
    MOD 11-2 check character (``0``–``9`` or ``X``; lowercase ``x`` is accepted).

    The input is normalised with ``stdnum.cn.ric.compact`` (full-width digits
    become ASCII) and the check character comes from ``stdnum.cn.ric``. The
    address code must appear in GB/T 2260 at *any* time
    (:func:`minsheng.platform.regions.is_known`): codes of abolished divisions stay
    valid in issued numbers. ``ric.validate`` is not used for the address code:
    it requires the code to be in force in the *birth* year, which rejects real
    numbers issued after birth (e.g. 500112… for people born before 1997), and it
    fails with ``KeyError`` on an unknown county of a known province. The birth
    date must exist and not be after ``today`` (default: the current date).

    Raises ``RuleViolation`` naming ``field`` with the precise reason.
    """
    # Fast path for the common, already-clean input (bulk imports); else stdnum's compact.
    number = value.upper() if _PLAIN_ID.fullmatch(value) else ric.compact(value).replace(" ", "")
    if len(number) == 15 and isdigits(number):
        raise invalid_field(
            field,
            "这是15位的第一代身份证号码，请换算为18位后再提交",
            "this is a 15-digit first-generation number; upgrade it to 18 characters",
        )
    if len(number) != 18:
        raise invalid_field(
            field,
            f"公民身份号码应为18位，实为{len(number)}位",
            f"a resident ID number has 18 characters, got {len(number)}",
        )
    if not isdigits(number[:17]) or not (isdigits(number[17]) or number[17] == "X"):
        raise invalid_field(
            field,
            "公民身份号码前17位应为数字，第18位应为数字或X",
            "the first 17 characters must be digits and the 18th a digit or X",
        )
    if number[17] != ric.calc_check_digit(number):
        raise invalid_field(
            field,
            "校验码错误（GB 11643-1999 第18位），请核对号码",
            "wrong check character (GB 11643-1999, position 18); please re-check the number",
        )
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise invalid_field(
            field,
            f"出生日期 {number[6:14]} 不存在",
            f"birth date {number[6:14]} does not exist",
        ) from None
    if not regions.is_known(number[:6]):
        raise invalid_field(
            field,
            f"地址码 {number[:6]} 不是有效的行政区划代码（GB/T 2260）",
            f"address code {number[:6]} is not a known division code (GB/T 2260)",
        )
    if birth_date > (today or date.today()):
        raise invalid_field(
            field,
            f"出生日期 {birth_date.isoformat()} 晚于今天",
            f"birth date {birth_date.isoformat()} is in the future",
        )
    gender: Literal["M", "F"] = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(
        number=number, birth_date=birth_date, gender=gender, birth_place_code=number[:6]
    )


def resident_id_check_char(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not isdigits(first17):
        raise ValueError("expected 17 digits")
    return ric.calc_check_digit(first17 + "0")


def upgrade_15_digit(value: str, field: str = "resident_id") -> str:
    """Upgrade a 15-digit first-generation number to 18 characters.

    The 15-digit number has a 2-digit birth year and no check character; insert
    "19" before the year and append the GB 11643-1999 check character
    (``reference/hrss-rules.md`` §1.1, widely documented practice).
    """
    number = ric.compact(value).replace(" ", "")
    if len(number) != 15 or not isdigits(number):
        raise invalid_field(
            field,
            "第一代身份证号码应为15位数字",
            "a first-generation ID number has 15 digits",
        )
    first17 = number[:6] + "19" + number[6:]
    try:
        ric.get_birth_date(first17 + "0")
    except stdnum_errors.InvalidComponent:
        raise invalid_field(
            field,
            f"出生日期 19{number[6:12]} 不存在",
            f"birth date 19{number[6:12]} does not exist",
        ) from None
    return first17 + resident_id_check_char(first17)


def mask_resident_id(number: str) -> str:
    """Mask an ID number for pages, logs and exports: the first 4 and last 4
    characters shown, every other character replaced by ``*``
    (``500103199001011234`` → ``5001**********1234``; DESIGN.md, personal data).

    Input of 8 characters or fewer would be shown whole, so it is masked entirely.
    Surrounding whitespace is dropped; the length is otherwise kept.
    """
    text = number.strip()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character of the first 17 characters: weights
    3^(i-1) mod 31, check value (31 − Σ mod 31) mod 31, mapped through the alphabet."""
    first17 = first17.upper()
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError("expected 17 characters from the GB 32100 alphabet")
    return uscc.calc_check_digit(first17)


def validate_uscc(value: str, field: str = "uscc") -> str:
    """Check a unified social credit code (统一社会信用代码, GB 32100-2015).

    Position 1 is the registration authority (``1``–``9``, ``A``, ``N``, ``Y``),
    2 the entity type (any code character), 3–8 the GB/T 2260 region of the
    registering authority (digits; not looked up, national registrations use
    100000), 9–17 the GB 11714 organisation code, 18 the check character; the
    alphabet is ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z).

    stdnum's ``uscc.validate`` requires positions 1–8 to be digits and so rejects
    valid codes of authorities A, N and Y; the structure is checked here and only
    the check character is computed by stdnum. Returns the compact code.
    """
    code = uscc.compact(value)
    if len(code) != 18:
        raise invalid_field(
            field,
            f"统一社会信用代码应为18位，实为{len(code)}位",
            f"a unified social credit code has 18 characters, got {len(code)}",
        )
    if code[0] not in USCC_AUTHORITIES:
        raise invalid_field(
            field,
            f"第1位登记管理部门代码“{code[0]}”无效（应为1–9、A、N或Y）",
            f"position 1 (registration authority) {code[0]!r} is invalid (1-9, A, N or Y)",
        )
    if code[1] not in USCC_ALPHABET:
        raise invalid_field(
            field,
            f"第2位机构类别代码“{code[1]}”无效",
            f"position 2 (entity type) {code[1]!r} is invalid",
        )
    if not isdigits(code[2:8]):
        raise invalid_field(
            field,
            "第3–8位登记管理机关行政区划码应为数字",
            "positions 3-8 (registration region code) must be digits",
        )
    for position, char in enumerate(code[8:], start=9):
        if char not in USCC_ALPHABET:
            raise invalid_field(
                field,
                f"第{position}位字符“{char}”无效（不使用I、O、S、V、Z）",
                f"character {char!r} at position {position} is invalid (I, O, S, V, Z unused)",
            )
    if code[17] != uscc.calc_check_digit(code[:17]):
        raise invalid_field(
            field,
            "校验码错误（GB 32100-2015 第18位），请核对代码",
            "wrong check character (GB 32100-2015, position 18); please re-check the code",
        )
    return code


def mask_name(name: str) -> str:
    """A name for a public check or a public page: the first character (usually the
    surname) shown, the rest hidden (``张三丰`` → ``张**``; DESIGN.md, personal data)."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*" * len(name)
