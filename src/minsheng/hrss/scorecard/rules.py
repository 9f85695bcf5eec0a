"""How a figure reads against its plan target.

A five-year plan states its targets as bounds (城乡养老保险参保率 ≥ 95 %, 城镇登记失业率
≤ 4.5 %: 重庆市人力资源和社会保障事业发展“十三五”规划); the scorecard says whether
a value meets its bound and how far it is from it.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Standing(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_VALUE = "no_value"


STANDING_LABELS = {Standing.MET: "达到目标", Standing.NOT_MET: "未达目标",
                   Standing.NO_VALUE: "无数据"}


def standing(value: Decimal | None, direction: str, target: Decimal) -> Standing:
    """Whether ``value`` meets a target of ``direction`` (``>=`` at least, ``<=`` at
    most); the bound itself meets it. No value (a rate of nobody) is neither."""
    if value is None:
        return Standing.NO_VALUE
    if direction == ">=":
        return Standing.MET if value >= target else Standing.NOT_MET
    if direction == "<=":
        return Standing.MET if value <= target else Standing.NOT_MET
    raise ValueError(f"unknown direction {direction!r}")


def progress(value: Decimal | None, direction: str, target: Decimal) -> Decimal | None:
    """How much of the target is reached, in per cent, capped at 100 (the gauge): value ÷
    target for an "at least" target; target ÷ value for an "at most" one (a rate at half
    the ceiling has reached it fully). None without a value or with a zero bound."""
    if value is None:
        return None
    if direction == ">=":
        if target <= 0:
            return Decimal(100)
        share = value * 100 / target
    else:
        if value <= target:
            return Decimal(100)
        share = target * 100 / value
    return min(share, Decimal(100)).quantize(Decimal("0.1"))


def change(values: list[Decimal | None]) -> Decimal | None:
    """The change from the first to the last known value of a trend (None with fewer than
    two)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    return known[-1] - known[0]
