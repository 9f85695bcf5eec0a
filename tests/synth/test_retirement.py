"""The synthetic city retires people in their statutory month: its vectorised schedule
agrees with ``hrss.kernel.retirement`` (which it may not import)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from minsheng.hrss.kernel.retirement import statutory_retirement
from minsheng.synth.insurance import statutory_retirement_month


@given(st.lists(st.tuples(st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
                          st.booleans()), min_size=1, max_size=50))
def test_agrees_with_the_kernel(people: list[tuple[date, bool]]) -> None:
    births = np.array([born for born, _ in people], dtype="datetime64[D]")
    male = np.array([is_male for _, is_male in people])
    months = statutory_retirement_month(births, male)
    for (born, is_male), month in zip(people, months.tolist(), strict=True):
        expected = statutory_retirement(born, "male" if is_male else "female_cadre")
        assert month == expected.retirement_date.year * 100 + expected.retirement_date.month


def test_examples_by_hand() -> None:
    """Man born 1966-01: 60 in 2026-01, k = 12, delay 12 // 4 + 1 = 4 → 2026-05. Woman
    born 1960-07 (original 55, reached 2015-07, before the reform) → 2015-07."""
    births = np.array([date(1966, 1, 20), date(1960, 7, 1)], dtype="datetime64[D]")
    assert statutory_retirement_month(births, np.array([True, False])).tolist() == [
        202605, 201507]
