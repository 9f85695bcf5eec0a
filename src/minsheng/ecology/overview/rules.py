"""Indicator arithmetic for the ecology summary. No I/O.

The figures are those the Fuling report gives (``reference/seed-figures.md``, ecology):
a district's share of the city's restored area, and its rank among the districts.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal


def share(part: Decimal, total: Decimal) -> Decimal | None:
    """``part ÷ total`` as a fraction with 6 decimals (17.71 % = 0.177100), or ``None``
    when the total is zero."""
    if total <= 0:
        return None
    return (part / total).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def competition_rank(region: str, values: Mapping[str, Decimal]) -> int | None:
    """Standard competition ranking ("1224"): 1 + the number of districts with a strictly
    larger value; ``None`` when the region has nothing to rank (no value or zero)."""
    mine = values.get(region)
    if mine is None or mine <= 0:
        return None
    return 1 + sum(1 for v in values.values() if v > mine)
