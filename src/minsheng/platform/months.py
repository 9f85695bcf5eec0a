"""Contribution periods: calendar months as integers ``YYYYMM`` (e.g. 202611).

Integers sort, compare and partition well in SQL; these helpers are the only place
that does month arithmetic on them.
"""

from __future__ import annotations

import re
from datetime import date

from minsheng.platform.errors import invalid_field

_PATTERN = re.compile(r"^(\d{4})-?(\d{2})$")


def parse_month(text: str, field: str = "month") -> int:
    """``"2026-11"`` or ``"202611"`` → 202611; anything else is a ``RuleViolation``."""
    match = _PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2200:
        raise invalid_field(field, "月份格式应为“年-月”，如 2026-10", "a month is written YYYY-MM")
    return int(match.group(1)) * 100 + int(match.group(2))


def month_of(day: date) -> int:
    return day.year * 100 + day.month


def first_day(period: int) -> date:
    return date(period // 100, period % 100, 1)


def add_months(period: int, n: int) -> int:
    index = (period // 100) * 12 + (period % 100 - 1) + n
    return (index // 12) * 100 + index % 12 + 1


def months_between(first: int, last: int) -> int:
    """Number of months from ``first`` to ``last`` inclusive (0 if ``last < first``)."""
    count = (last // 100 - first // 100) * 12 + (last % 100 - first % 100) + 1
    return max(count, 0)


def label(period: int) -> str:
    return f"{period // 100:04d}-{period % 100:02d}"
